//! Tracing hygiene, in its own test binary: tracing caches per-callsite interest process-wide,
//! so a scoped subscriber is only reliable when no other test runs beside it.

#[path = "support/common.rs"]
mod common;

use idp_mfa::okta;
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer};

use common::{capture_traces, json_response, now_epoch, okta_with, rate_limited, RecordingSleeper};

const USER_ID: &str = "00u1abcd2EFGHIJ3k4l5";
const SMS_FACTOR: &str = "mbl1nz9JHJGHWJ0xp0g4";

#[tokio::test]
async fn traces_name_the_operation_and_retries_but_never_secrets() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(rate_limited(now_epoch(), now_epoch(), "req-traced"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            json_response(200, json!({"factorResult": "SUCCESS"}))
                .insert_header("X-Okta-Request-Id", "req-traced-2"),
        )
        .mount(&server)
        .await;
    let (logs, _guard) = capture_traces();
    let sleeper = RecordingSleeper::default();

    okta_with(&server, &sleeper)
        .verify_factor(USER_ID, SMS_FACTOR)
        .template_id("tmpl-query-value")
        .body(okta::UserFactorVerifyRequest::default().pass_code("654321"))
        .send()
        .await
        .expect("verified after a retry");

    let text = logs.text();
    for expected in [
        "verifyFactor",
        "retrying",
        "attempt=1",
        "status=200",
        "req-traced-2",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    for secret in ["secret-token-123", "654321", "tmpl-query-value", USER_ID] {
        assert!(!text.contains(secret), "{secret:?} leaked into:\n{text}");
    }
}
