//! The generated test doubles (feature `mock`): typed expectations per operation, answers,
//! and the failure reports a downstream test sees when its code sends something else.
#![cfg(feature = "mock")]

use std::time::Duration;

use idp_mfa::okta::mock::MockServer;
use idp_mfa::okta::{
    OktaError, UserFactorVerifyRequest, UserFactorVerifyResponse, UserFactorVerifyResult,
    VerifyFactorResponse,
};
use idp_mfa::runtime::RetryPolicy;
use idp_mfa::{onelogin, Error};

const USER_ID: &str = "00u1abcd2EFGHIJ3k4l5";
const FACTOR_ID: &str = "mbl1nz9JHJGHWJ0xp0g4";

fn verified() -> VerifyFactorResponse {
    VerifyFactorResponse::Ok(
        UserFactorVerifyResponse::new().factor_result(UserFactorVerifyResult::Success),
    )
}

#[tokio::test]
async fn a_matching_request_gets_the_typed_answer() {
    let mock = MockServer::start().await;
    mock.verify_factor()
        .user_id(USER_ID)
        .factor_id(FACTOR_ID)
        .x_forwarded_for("203.0.113.7")
        .body(UserFactorVerifyRequest::new().pass_code("123456"))
        .returns(verified())
        .times(1)
        .mount()
        .await;

    let answer = mock
        .client()
        .verify_factor(USER_ID, FACTOR_ID)
        .x_forwarded_for("203.0.113.7")
        .body(UserFactorVerifyRequest::new().pass_code("123456"))
        .send()
        .await
        .expect("the mock answers");

    let VerifyFactorResponse::Ok(result) = answer else {
        panic!("a 200 answer: {answer:?}");
    };
    assert_eq!(result.factor_result, Some(UserFactorVerifyResult::Success));
}

#[tokio::test]
async fn vendor_errors_reach_the_caller_with_their_code() {
    let mock = MockServer::start().await;
    mock.verify_factor()
        .fails(
            403,
            &OktaError::new()
                .error_code("E0000068")
                .error_summary("Invalid Passcode/Answer"),
        )
        .mount()
        .await;

    let error = mock
        .client()
        .verify_factor(USER_ID, FACTOR_ID)
        .body(UserFactorVerifyRequest::new().pass_code("000000"))
        .send()
        .await
        .expect_err("403");

    assert_eq!(error.status(), Some(403));
    assert_eq!(
        error.vendor().and_then(|v| v.code()).as_deref(),
        Some("E0000068")
    );
}

#[tokio::test]
async fn a_rate_limited_answer_is_retried_by_the_real_client() {
    let mock = onelogin::mock::MockServer::start().await;
    mock.get_mfa_factors()
        .user_id(42)
        .rate_limited(Duration::from_secs(0))
        .times(1)
        .mount()
        .await;
    mock.get_mfa_factors()
        .user_id(42)
        .returns(onelogin::GetMfaFactors200Response::new())
        .times(1)
        .mount()
        .await;

    mock.client()
        .get_mfa_factors(42)
        .send()
        .await
        .expect("second attempt answered");

    let sent = mock.received().await;
    assert_eq!(sent.len(), 2);
}

/// Runs `scenario` on its own task and returns the panic message it ended with, if any (the
/// mock server reports failures by panicking when dropped, like wiremock).
async fn panic_message<F>(scenario: F) -> Option<String>
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let joined = tokio::spawn(scenario).await;
    let payload = joined.err()?.try_into_panic().ok()?;
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
}

#[tokio::test]
async fn a_request_that_differs_is_answered_418_and_fails_the_test_naming_the_difference() {
    let message = panic_message(async {
        let mock = MockServer::start().await;
        mock.verify_factor()
            .x_forwarded_for("203.0.113.7")
            .body(UserFactorVerifyRequest::new().pass_code("123456"))
            .returns(verified())
            .mount()
            .await;
        let client = mock
            .client_builder()
            .retry(RetryPolicy::disabled())
            .build()
            .expect("client");

        let error = client
            .verify_factor(USER_ID, FACTOR_ID)
            .x_forwarded_for("198.51.100.1")
            .body(UserFactorVerifyRequest::new().pass_code("654321"))
            .send()
            .await
            .expect_err("no expectation matches");

        let Error::Api(api) = &error else {
            panic!("unexpected error kind {error:?}");
        };
        assert_eq!(api.status, 418);
        assert!(api.body.contains("verifyFactor"), "{}", api.body);
        drop(mock);
    })
    .await
    .expect("the test fails");

    assert!(message.contains("verifyFactor"), "{message}");
    assert!(
        message
            .contains(r#"header `X-Forwarded-For`: expected "203.0.113.7", got ["198.51.100.1"]"#),
        "{message}"
    );
    assert!(
        message.contains(r#"/passCode: expected "123456", got "654321""#),
        "{message}"
    );
}

#[tokio::test]
async fn a_request_to_an_unmocked_operation_is_named() {
    let message = panic_message(async {
        let mock = MockServer::start().await;
        let _ = mock.client().list_factors(USER_ID).send().await;
        drop(mock);
    })
    .await
    .expect("the test fails");

    assert!(message.contains("listFactors"), "{message}");
    assert!(message.contains("none registered"), "{message}");
}

#[tokio::test]
async fn an_expectation_never_met_fails_the_test() {
    let message = panic_message(async {
        let mock = MockServer::start().await;
        mock.list_factors()
            .user_id(USER_ID)
            .returns(Vec::new())
            .mount()
            .await;
        drop(mock);
    })
    .await;

    assert!(
        message.is_some_and(|m| m.contains("listFactors")),
        "the unmet expectation is reported by name"
    );
}
