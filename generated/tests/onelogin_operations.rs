//! Behaviour tests for the 7 OneLogin MFA v1 operations, against a local `wiremock` server.
//!
//! Each test pins down the exact request (method, path with the integer `user_id`, headers, JSON
//! body) the spec asks for, answers with a OneLogin v1 payload (`{"status": {...}, "data": ...}`)
//! and checks the decoded value. Tests marked `#[ignore = "spec bug: ..."]` use the payload
//! exactly as OneLogin documents it, where that differs from the spec the client is generated from.

#[path = "support/common.rs"]
mod common;

use common::*;
use idp_mfa::onelogin::*;
use idp_mfa::Error;
use serde_json::{json, Value};
use wiremock::matchers::body_json;
use wiremock::MockServer;

const USER_ID: i64 = 36178962;
const DEVICE_ID: &str = "525509";
const STATE_TOKEN: &str = "98e008497066bc2763c52342996e06358aab2e32";
const AUTH: &str = "Bearer ol-token";

fn success_status() -> Value {
    json!({ "error": false, "code": 200, "type": "success", "message": "Success" })
}

fn sms_device_json(active: bool, needs_trigger: bool) -> Value {
    json!({
        "active": active,
        "default": false,
        "state_token": STATE_TOKEN,
        "auth_factor_name": "OneLogin SMS",
        "phone_number": "+15551231234",
        "type_display_name": "OneLogin SMS",
        "needs_trigger": needs_trigger,
        "user_display_name": "Rich's Phone",
        "id": 525509
    })
}

fn assert_success(status: Option<&OneLoginStatus>) {
    let status = status.expect("status object");
    assert_eq!(status.code, 200);
    assert_eq!(status.error, Some(false));
    assert_eq!(status.r#type.as_deref(), Some("success"));
}

#[tokio::test]
async fn get_mfa_factors() {
    let server = MockServer::start().await;
    onelogin_mock("GET", &format!("/api/1/users/{USER_ID}/auth_factor"))
        .and(no_query())
        .and(no_body())
        .respond_with(json_response(
            200,
            json!({
                "status": success_status(),
                "data": {
                    "auth_factors": [
                        { "name": "OneLogin SMS", "factor_id": 16282 },
                        { "name": "OneLogin Voice", "factor_id": 16283 }
                    ]
                }
            }),
        ))
        .expect(1)
        .mount(&server)
        .await;

    let response = onelogin_client(&server)
        .get_mfa_factors(USER_ID)
        .send()
        .await
        .expect("getMFAFactors succeeds");

    assert_success(response.status.as_ref());
    let factors = response
        .data
        .and_then(|d| d.auth_factors)
        .expect("auth_factors");
    assert_eq!(factors.len(), 2);
    assert_eq!(factors[0].name.as_deref(), Some("OneLogin SMS"));
    assert_eq!(factors[0].factor_id, Some(16282));
    assert_eq!(factors[1].name.as_deref(), Some("OneLogin Voice"));

    let request = single_request(&server).await;
    assert_standard_headers(&request, AUTH, DEFAULT_USER_AGENT);
    assert_no_body(&request);
}

#[tokio::test]
async fn get_enrolled_factors() {
    let server = MockServer::start().await;
    onelogin_mock("GET", &format!("/api/1/users/{USER_ID}/otp_devices"))
        .and(no_query())
        .and(no_body())
        .respond_with(json_response(
            200,
            json!({
                "status": success_status(),
                "data": {
                    "otp_devices": [
                        {
                            "active": true,
                            "default": true,
                            "auth_factor_name": "Google Authenticator",
                            "type_display_name": "Google Authenticator",
                            "needs_trigger": false,
                            "user_display_name": "Work laptop",
                            "id": 1111111
                        },
                        sms_device_json(true, true)
                    ]
                }
            }),
        ))
        .expect(1)
        .mount(&server)
        .await;

    let response = onelogin_client(&server)
        .get_enrolled_factors(USER_ID)
        .send()
        .await
        .expect("getEnrolledFactors succeeds");

    assert_success(response.status.as_ref());
    let devices = response
        .data
        .and_then(|d| d.otp_devices)
        .expect("otp_devices");
    assert_eq!(devices.len(), 2);
    assert_eq!(devices[0].id, Some(1111111));
    assert_eq!(
        devices[0].auth_factor_name.as_deref(),
        Some("Google Authenticator")
    );
    assert_eq!(devices[0].default, Some(true));
    assert_eq!(devices[0].needs_trigger, Some(false));
    assert_eq!(devices[0].phone_number, None);
    assert_eq!(devices[1].id, Some(525509));
    assert_eq!(devices[1].phone_number.as_deref(), Some("+15551231234"));
    assert_eq!(devices[1].needs_trigger, Some(true));

    let request = single_request(&server).await;
    assert_standard_headers(&request, AUTH, DEFAULT_USER_AGENT);
    assert_no_body(&request);
}

#[tokio::test]
async fn enroll_mfa_factor() {
    let server = MockServer::start().await;
    let expected_body = json!({
        "factor_id": 16282,
        "display_name": "Rich's Phone",
        "number": "+15551231234",
        "verified": false
    });
    onelogin_mock("POST", &format!("/api/1/users/{USER_ID}/otp_devices"))
        .and(no_query())
        .and(json_content_type())
        .and(body_json(&expected_body))
        .respond_with(json_response(
            200,
            json!({ "status": success_status(), "data": [sms_device_json(false, false)] }),
        ))
        .expect(1)
        .mount(&server)
        .await;

    let device = OtpDevice::new("Rich's Phone", "+15551231234")
        .factor_id(16282)
        .verified(false);
    let response = onelogin_client(&server)
        .enroll_mfa_factor(USER_ID)
        .body(device)
        .send()
        .await
        .expect("enrollMfaFactor succeeds");

    assert_success(response.status.as_ref());
    let devices = response.data.expect("data");
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0].id, Some(525509));
    assert_eq!(devices[0].active, Some(false));
    assert_eq!(devices[0].state_token.as_deref(), Some(STATE_TOKEN));
    assert_eq!(
        devices[0].user_display_name.as_deref(),
        Some("Rich's Phone")
    );

    let request = single_request(&server).await;
    assert_standard_headers(&request, AUTH, DEFAULT_USER_AGENT);
    assert_json_body(&request, &expected_body);
}

#[tokio::test]
async fn remove_mfa_factors() {
    let server = MockServer::start().await;
    onelogin_mock(
        "DELETE",
        &format!("/api/1/users/{USER_ID}/otp_devices/{DEVICE_ID}"),
    )
    .and(no_query())
    .and(no_body())
    .respond_with(wiremock::ResponseTemplate::new(200))
    .expect(1)
    .mount(&server)
    .await;

    let response = onelogin_client(&server)
        .remove_mfa_factors(USER_ID, DEVICE_ID)
        .send_with_response()
        .await
        .expect("removeMfaFactors succeeds on a bodiless 200");

    assert_eq!(response.status(), 200);
    assert_eq!(response.body(), &Value::Null);

    let request = single_request(&server).await;
    assert_standard_headers(&request, AUTH, DEFAULT_USER_AGENT);
    assert_no_body(&request);
}

#[tokio::test]
async fn verify_mfa_factor() {
    let server = MockServer::start().await;
    let expected_body = json!({ "state_token": STATE_TOKEN, "otp_token": "B41832" });
    onelogin_mock(
        "POST",
        &format!("/api/1/users/{USER_ID}/otp_devices/{DEVICE_ID}/verify"),
    )
    .and(no_query())
    .and(json_content_type())
    .and(body_json(&expected_body))
    // OneLogin wraps the status (the spec says the bare object; see the wire patch).
    .respond_with(json_response(200, json!({ "status": success_status() })))
    .expect(1)
    .mount(&server)
    .await;

    let answer = onelogin_client(&server)
        .verify_mfa_factor(USER_ID, DEVICE_ID)
        .body(
            VerifyMfaFactorRequest::new()
                .state_token(STATE_TOKEN)
                .otp_token("B41832"),
        )
        .send()
        .await
        .expect("verifyMfaFactor succeeds");

    assert_success(answer.status.as_ref());
    assert_eq!(answer.status.map(|s| s.message).as_deref(), Some("Success"));

    let request = single_request(&server).await;
    assert_standard_headers(&request, AUTH, DEFAULT_USER_AGENT);
    assert_json_body(&request, &expected_body);
}

#[tokio::test]
async fn activate_mfa_factors() {
    let server = MockServer::start().await;
    let sms_message =
        "This is a security code from ABC Co {{otp_code}}. It expires in {{expiration}} minutes.";
    let expected_body = json!({
        "state_token_expires_in": 300,
        "numeric_sms_otp": true,
        "sms_message": sms_message
    });
    onelogin_mock(
        "POST",
        &format!("/api/1/users/{USER_ID}/otp_devices/{DEVICE_ID}/trigger"),
    )
    .and(no_query())
    .and(json_content_type())
    .and(body_json(&expected_body))
    .respond_with(json_response(
        200,
        json!({
            "status": {
                "type": "success",
                "code": 200,
                "message": "SMS token sent to your mobile device. Authentication pending.",
                "error": false
            },
            "data": [sms_device_json(false, true)]
        }),
    ))
    .expect(1)
    .mount(&server)
    .await;

    let response = onelogin_client(&server)
        .activate_mfa_factors(USER_ID, DEVICE_ID)
        .body(
            ActivateMfaFactorsRequest::new()
                .state_token_expires_in(300)
                .numeric_sms_otp(true)
                .sms_message(sms_message),
        )
        .send()
        .await
        .expect("activateMfaFactors succeeds");

    let status = response.status.as_ref().expect("status");
    assert_eq!(status.code, 200);
    assert_eq!(
        status.message,
        "SMS token sent to your mobile device. Authentication pending."
    );
    // `data` is an array on the wire (patch `trigger-data-is-an-array`, specs/onelogin.toml).
    let devices = response.data.expect("data");
    assert_eq!(devices[0].id, Some(525509));
    assert_eq!(devices[0].state_token.as_deref(), Some(STATE_TOKEN));
    assert_eq!(devices[0].needs_trigger, Some(true));

    let request = single_request(&server).await;
    assert_standard_headers(&request, AUTH, DEFAULT_USER_AGENT);
    assert_json_body(&request, &expected_body);
}

#[tokio::test]
async fn generate_mfa_token() {
    let server = MockServer::start().await;
    let expected_body = json!({ "expires_in": 300, "reusable": true });
    onelogin_mock("POST", &format!("/api/1/users/{USER_ID}/mfa_token"))
        .and(no_query())
        .and(json_content_type())
        .and(body_json(&expected_body))
        .respond_with(json_response(
            200,
            json!({
                "mfa_token": "55647655",
                "reusable": true,
                "expires_at": "2019-01-16T22:16:38Z"
            }),
        ))
        .expect(1)
        .mount(&server)
        .await;

    let token = onelogin_client(&server)
        .generate_mfa_token(USER_ID)
        .body(
            GenerateMfaTokenRequest::new()
                .expires_in(300)
                .reusable(true),
        )
        .send()
        .await
        .expect("generateMFAtoken succeeds");

    assert_eq!(token.mfa_token.as_deref(), Some("55647655"));
    assert_eq!(token.expires_at.as_deref(), Some("2019-01-16T22:16:38Z"));
    // The spec names the response field `resuable` (sic); OneLogin sends `reusable`, and the
    // wire patch `mfa-token-reusable-typo` (specs/onelogin.toml) types it under that name.
    assert_eq!(token.reusable, Some(true));
    assert!(token.additional_properties.is_empty());

    let request = single_request(&server).await;
    assert_standard_headers(&request, AUTH, DEFAULT_USER_AGENT);
    assert_json_body(&request, &expected_body);
}

// ---------------------------------------------------------------------------------------------
// Errors and payloads exactly as OneLogin documents them
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn api_error_keeps_status_and_raw_body() {
    let server = MockServer::start().await;
    let body = r#"{"status":{"error":true,"code":401,"type":"Unauthorized","message":"Authentication Failure"}}"#;
    onelogin_mock("GET", &format!("/api/1/users/{USER_ID}/otp_devices"))
        .respond_with(wiremock::ResponseTemplate::new(401).set_body_raw(body, "application/json"))
        .expect(1)
        .mount(&server)
        .await;

    let error = onelogin_client(&server)
        .get_enrolled_factors(USER_ID)
        .send()
        .await
        .expect_err("a 401 is an error");

    let Error::Api(api) = &error else {
        panic!("expected Error::Api, got {error:?}");
    };
    assert_eq!(api.status, 401);
    assert_eq!(api.request_id, None);
    assert_eq!(api.body, body);
    assert_eq!(api.operation_id, "getEnrolledFactors");
    assert_eq!(api.endpoint, "GET /api/1/users/{user_id}/otp_devices");

    single_request(&server).await;
}

/// OneLogin documents the verify answer as `{"status": {...}}`; the spec says the 200 body *is*
/// the status object. The `verify-answer-is-a-status-envelope` wire patch makes it decode.
#[tokio::test]
async fn verify_mfa_factor_with_documented_response_decodes() {
    let server = MockServer::start().await;
    onelogin_mock(
        "POST",
        &format!("/api/1/users/{USER_ID}/otp_devices/{DEVICE_ID}/verify"),
    )
    .respond_with(json_response(200, json!({ "status": success_status() })))
    .expect(1)
    .mount(&server)
    .await;

    let answer = onelogin_client(&server)
        .verify_mfa_factor(USER_ID, DEVICE_ID)
        .body(VerifyMfaFactorRequest::new().otp_token("123456"))
        .send()
        .await
        .expect("a documented verify answer decodes");
    assert_eq!(answer.status.map(|s| s.code), Some(200));
}

/// OneLogin documents the trigger answer with `data` as an array of devices; the spec reuses the
/// enrolled-factors response, where `data` is an object holding `otp_devices`.
#[tokio::test]
async fn activate_mfa_factors_with_documented_response_decodes() {
    let server = MockServer::start().await;
    onelogin_mock(
        "POST",
        &format!("/api/1/users/{USER_ID}/otp_devices/{DEVICE_ID}/trigger"),
    )
    .respond_with(json_response(
        200,
        json!({
            "status": {
                "type": "success",
                "code": 200,
                "message": "SMS token sent to your mobile device. Authentication pending.",
                "error": false
            },
            "data": [{
                "user_display_name": "Rich's Phone",
                "active": false,
                "state_token": STATE_TOKEN,
                "auth_factor_name": "OneLogin SMS",
                "type_display_name": "OneLogin SMS",
                "id": 35510511,
                "device_id": 525509
            }]
        }),
    ))
    .expect(1)
    .mount(&server)
    .await;

    let response = onelogin_client(&server)
        .activate_mfa_factors(USER_ID, DEVICE_ID)
        .send()
        .await
        .expect("a documented trigger answer decodes");
    assert!(response.data.is_some());
}
