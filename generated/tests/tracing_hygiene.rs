//! Tracing hygiene, in its own test binary: tracing caches per-callsite interest process-wide,
//! so a scoped subscriber is only reliable when no other test runs beside it.

mod common;

use std::sync::{Arc, Mutex};

use idp_mfa::okta;
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer};

use common::{json_response, now_epoch, okta_with, rate_limited, RecordingSleeper};

const USER_ID: &str = "00u1abcd2EFGHIJ3k4l5";
const SMS_FACTOR: &str = "mbl1nz9JHJGHWJ0xp0g4";

/// Captures what the client logs, at every level.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut buffer) = self.0.lock() {
            buffer.extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

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
    let logs = LogBuffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let sleeper = RecordingSleeper::default();

    okta_with(&server, &sleeper)
        .verify_factor(USER_ID, SMS_FACTOR)
        .template_id("tmpl-query-value")
        .body(okta::UserFactorVerifyRequest::default().pass_code("654321"))
        .send()
        .await
        .expect("verified after a retry");

    let text =
        String::from_utf8(logs.0.lock().map(|b| b.clone()).unwrap_or_default()).unwrap_or_default();
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
