//! Client-wide settings a downstream team reaches for in its first hour, through the typed mock.

use std::time::Duration;

use idp_mfa::okta::mock::MockServer as OktaMock;
use idp_mfa::onelogin::mock::MockServer as OneLoginMock;
use idp_mfa::runtime::RetryPolicy;

const USER_ID: &str = "00ub0oNGTSWTBKOLGLNR";

/// A 429 the client gave up on says when to come back, whichever reset clock the vendor uses
/// (Okta: epoch seconds; OneLogin: seconds from now).
#[tokio::test]
async fn a_rate_limited_error_says_when_to_retry() {
    let okta = OktaMock::start().await;
    okta.list_factors()
        .user_id(USER_ID)
        .rate_limited(Duration::from_secs(30))
        .mount()
        .await;
    let client = okta
        .client_builder()
        .retry(RetryPolicy::disabled())
        .build()
        .expect("client");
    let error = client.list_factors(USER_ID).send().await.expect_err("429");
    let wait = error.retry_after().expect("a wait");
    // 30 s from the mock's clock, plus the whole second both clocks round to
    assert!(
        (Duration::from_secs(29)..=Duration::from_secs(32)).contains(&wait),
        "{wait:?}"
    );
    let limits = error.rate_limit().expect("rate-limit headers");
    assert_eq!(limits.retry_after(), Some(wait));

    let onelogin = OneLoginMock::start().await;
    onelogin
        .get_enrolled_factors()
        .user_id(42)
        .rate_limited(Duration::from_secs(12))
        .mount()
        .await;
    let client = onelogin
        .client_builder()
        .retry(RetryPolicy::disabled())
        .build()
        .expect("client");
    let error = client
        .get_enrolled_factors(42)
        .send()
        .await
        .expect_err("429");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(12)));
}

/// A request builder can be logged with `{:?}`: the operation shows, the passcode and ids do
/// not, and neither does the client's token.
#[tokio::test]
async fn request_builders_debug_without_secrets() {
    let okta = OktaMock::start().await;
    let client = okta
        .client_builder()
        .auth(idp_mfa::Auth::ssws("00secret-api-token"))
        .build()
        .expect("client");
    let builder = client
        .verify_factor(USER_ID, "sms-factor-id")
        .body(idp_mfa::okta::UserFactorVerifyRequest::new().pass_code("914263"))
        .header("X-Forwarded-For", "203.0.113.7");
    for text in [format!("{builder:?}"), format!("{builder:#?}")] {
        assert!(
            text.contains("VerifyFactor") && text.contains("verifyFactor"),
            "{text}"
        );
        for secret in [
            "914263",
            USER_ID,
            "sms-factor-id",
            "00secret-api-token",
            "203.0.113.7",
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}

async fn enroll_expecting_forwarded_header(forward: bool) {
    let okta = OktaMock::start().await;
    let answer: idp_mfa::okta::UserFactor = serde_json::from_value(serde_json::json!({
        "id": "mbl1", "factorType": "sms", "status": "PENDING_ACTIVATION"
    }))
    .expect("answer decodes");
    okta.enroll_factor()
        .user_id(USER_ID)
        .header("X-Forwarded-For", "203.0.113.7")
        .returns(answer)
        .mount()
        .await;
    let mut call = okta
        .client()
        .enroll_factor(USER_ID, idp_mfa::okta::UserFactorSms::new());
    if forward {
        call = call.header("X-Forwarded-For", "203.0.113.7");
    }
    let sent = call.send().await;
    assert_eq!(sent.is_ok(), forward, "{sent:?}");
    // the mock checks on drop that every request met an expectation
}

/// A header the spec does not declare (the end user's address, forwarded on enroll) can be
/// asserted by the typed mock.
#[tokio::test]
async fn the_mock_matches_a_forwarded_header() {
    enroll_expecting_forwarded_header(true).await;
}

/// Without the header the request meets no expectation, and the mock says which header.
#[tokio::test]
#[should_panic(expected = "header `X-Forwarded-For`: expected \"203.0.113.7\", got []")]
async fn the_mock_refuses_a_request_without_the_expected_header() {
    enroll_expecting_forwarded_header(false).await;
}
