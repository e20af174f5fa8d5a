//! The team's function tested against the generated OneLogin mock only: no network, no vendor.

use std::time::Duration;

use idp_mfa::serde_json;

use downstream_example::{enroll_sms_and_verify, EnrollError};
use idp_mfa::onelogin::mock::MockServer;
use idp_mfa::onelogin::{
    EnrollMfaFactor200Response, EnrolledOtpDevice, OneLoginStatus, OtpDevice,
    VerifyMfaFactorRequest, VerifyMfaFactorResponse,
};

const USER: i64 = 12345;
const SMS_FACTOR: i64 = 16282;
const DEVICE: i64 = 5558311;
const PHONE: &str = "+15554151337";

async fn expect_enrollment(mock: &MockServer) {
    mock.enroll_mfa_factor()
        .user_id(USER)
        .body(
            OtpDevice::new("SMS", PHONE)
                .factor_id(SMS_FACTOR)
                .verified(false),
        )
        .returns(
            EnrollMfaFactor200Response::new().data(vec![EnrolledOtpDevice::new()
                .id(DEVICE)
                .phone_number(PHONE)
                .active(false)]),
        )
        .times(1)
        .mount()
        .await;
}

fn verified() -> VerifyMfaFactorResponse {
    let status: OneLoginStatus = serde_json::from_value(serde_json::json!({
        "error": false, "code": 200, "type": "success", "message": "Success"
    }))
    .expect("a status");
    VerifyMfaFactorResponse::new().status(status)
}

#[tokio::test]
async fn enrolls_and_verifies() {
    let mock = MockServer::start().await;
    expect_enrollment(&mock).await;
    mock.verify_mfa_factor()
        .user_id(USER)
        .device_id(DEVICE.to_string())
        .body(VerifyMfaFactorRequest::new().otp_token("123456"))
        .returns(verified())
        .times(1)
        .mount()
        .await;

    let device = enroll_sms_and_verify(&mock.client(), USER, SMS_FACTOR, PHONE, "123456")
        .await
        .expect("enrolled and verified");

    assert_eq!(device, DEVICE);
}

#[tokio::test]
async fn a_wrong_code_surfaces_onelogins_code() {
    let mock = MockServer::start().await;
    expect_enrollment(&mock).await;
    mock.verify_mfa_factor()
        .body(VerifyMfaFactorRequest::new().otp_token("000000"))
        .fails(
            401,
            &serde_json::json!({"status": {
                "error": true, "code": 401, "type": "Unauthorized",
                "message": "Failed authentication with this factor"
            }}),
        )
        .mount()
        .await;

    let error = enroll_sms_and_verify(&mock.client(), USER, SMS_FACTOR, PHONE, "000000")
        .await
        .expect_err("the code is wrong");

    let EnrollError::Rejected { code, message } = error else {
        panic!("a rejection, got {error:?}");
    };
    assert_eq!(code.as_deref(), Some("401"));
    assert_eq!(
        message.as_deref(),
        Some("Failed authentication with this factor")
    );
}

#[tokio::test]
async fn a_rate_limited_verification_is_retried() {
    let mock = MockServer::start().await;
    expect_enrollment(&mock).await;
    mock.verify_mfa_factor()
        .rate_limited(Duration::from_secs(1))
        .times(1)
        .mount()
        .await;
    mock.verify_mfa_factor()
        .body(VerifyMfaFactorRequest::new().otp_token("123456"))
        .returns(verified())
        .times(1)
        .mount()
        .await;

    let device = enroll_sms_and_verify(&mock.client(), USER, SMS_FACTOR, PHONE, "123456")
        .await
        .expect("verified on the second attempt");

    assert_eq!(device, DEVICE);
    let verifies = mock
        .received()
        .await
        .iter()
        .filter(|r| r.url.path().ends_with("/verify"))
        .count();
    assert_eq!(verifies, 2);
}
