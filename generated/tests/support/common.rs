//! Helpers shared by the operation tests: clients pointed at a local `wiremock` server, request
//! matchers that wiremock lacks (exact query string, exactly one header line, empty body),
//! "exactly one request arrived" checks and a capture of what the client logs.
//!
//! Test binaries include it with `#[path = "support/common.rs"] mod common;`: a file directly in
//! `tests/` would be a test binary of its own, and the workspace keeps no `mod.rs`.
//!
//! Each test binary uses a different subset, hence the `dead_code` allowance.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use idp_mfa::runtime::{BoxFuture, Sleeper};
use idp_mfa::{okta, onelogin, Auth};
use serde_json::json;
use wiremock::{Mock, MockBuilder, MockServer, Request, ResponseTemplate};

/// The Okta API token every Okta test client sends.
pub const OKTA_TOKEN: &str = "test-token";
/// The OneLogin access token every OneLogin test client sends.
pub const ONELOGIN_TOKEN: &str = "ol-token";
/// The `User-Agent` the runtime sends when a call does not set its own.
pub const DEFAULT_USER_AGENT: &str = concat!("idp-mfa/", env!("CARGO_PKG_VERSION"));

/// An Okta client for the mock server (`Authorization: SSWS test-token`).
pub fn okta_client(server: &MockServer) -> okta::Client {
    okta::Client::builder(server.uri())
        .auth(Auth::ssws(OKTA_TOKEN))
        .allow_http(true)
        .build()
        .expect("an Okta client for the local mock server")
}

/// A OneLogin client for the mock server (`Authorization: Bearer ol-token`).
pub fn onelogin_client(server: &MockServer) -> onelogin::Client {
    onelogin::Client::builder(server.uri())
        .auth(Auth::bearer(ONELOGIN_TOKEN))
        .allow_http(true)
        .build()
        .expect("a OneLogin client for the local mock server")
}

/// A mock for `method path` that also requires the Okta auth header and `Accept: application/json`,
/// each exactly once.
pub fn okta_mock(http_method: &str, request_path: &str) -> MockBuilder {
    Mock::given(wiremock::matchers::method(http_method))
        .and(wiremock::matchers::path(request_path))
        .and(one_header("authorization", &format!("SSWS {OKTA_TOKEN}")))
        .and(one_header("accept", "application/json"))
}

/// Like [`okta_mock`], with `Authorization: Bearer ol-token`.
pub fn onelogin_mock(http_method: &str, request_path: &str) -> MockBuilder {
    Mock::given(wiremock::matchers::method(http_method))
        .and(wiremock::matchers::path(request_path))
        .and(one_header(
            "authorization",
            &format!("Bearer {ONELOGIN_TOKEN}"),
        ))
        .and(one_header("accept", "application/json"))
}

/// A JSON response (`Content-Type: application/json`).
pub fn json_response(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

/// Matches a request that has exactly one `name` header line, equal to `value` (no splitting on
/// commas, unlike `wiremock::matchers::header`).
pub fn one_header(name: &str, value: &str) -> impl Fn(&Request) -> bool + Send + Sync + 'static {
    let name = name.to_owned();
    let value = value.to_owned();
    move |request: &Request| {
        let values: Vec<_> = request.headers.get_all(name.as_str()).iter().collect();
        values.len() == 1 && values[0].as_bytes() == value.as_bytes()
    }
}

/// Matches a request without a `name` header.
pub fn no_header(name: &str) -> impl Fn(&Request) -> bool + Send + Sync + 'static {
    let name = name.to_owned();
    move |request: &Request| request.headers.get(name.as_str()).is_none()
}

/// Matches a request whose query string holds exactly these pairs: none missing, none extra, no
/// pair repeated (order does not matter).
pub fn exact_query(expected: &[(&str, &str)]) -> impl Fn(&Request) -> bool + Send + Sync + 'static {
    let mut expected: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    expected.sort();
    move |request: &Request| {
        let mut actual: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        actual.sort();
        actual == expected
    }
}

/// Matches a request without any query string (not even a bare `?`).
pub fn no_query() -> impl Fn(&Request) -> bool + Send + Sync + 'static {
    |request: &Request| request.url.query().is_none()
}

/// Matches a request with an empty body and no `Content-Type`.
pub fn no_body() -> impl Fn(&Request) -> bool + Send + Sync + 'static {
    |request: &Request| request.body.is_empty() && request.headers.get("content-type").is_none()
}

/// Matches a JSON body sent as `Content-Type: application/json` (exactly one such header).
pub fn json_content_type() -> impl Fn(&Request) -> bool + Send + Sync + 'static {
    one_header("content-type", "application/json")
}

/// All requests the server received; panics if recording is off.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("the mock server records requests")
}

/// Asserts that exactly one request reached the server and returns it.
pub async fn single_request(server: &MockServer) -> Request {
    let mut requests = received(server).await;
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request, got: {:?}",
        requests
            .iter()
            .map(|r| format!("{} {}", r.method, r.url))
            .collect::<Vec<_>>()
    );
    requests.remove(0)
}

/// The only value of header `name`; panics if the header is missing or repeated.
pub fn header_once<'a>(request: &'a Request, name: &str) -> &'a str {
    let values: Vec<_> = request.headers.get_all(name).iter().collect();
    assert_eq!(
        values.len(),
        1,
        "expected exactly one `{name}` header, got {values:?}"
    );
    values[0].to_str().expect("header value is visible ASCII")
}

/// Checks the headers every call sends: one `Authorization` (`expected_auth`), one
/// `Accept: application/json`, one `User-Agent` (`expected_user_agent`).
pub fn assert_standard_headers(request: &Request, expected_auth: &str, expected_user_agent: &str) {
    assert_eq!(header_once(request, "authorization"), expected_auth);
    assert_eq!(header_once(request, "accept"), "application/json");
    assert_eq!(header_once(request, "user-agent"), expected_user_agent);
}

/// Checks that a request went out without a body: no `Content-Type`, and for methods other than
/// GET an explicit `Content-Length: 0` (Okta answers 411 to a bodiless POST without it).
pub fn assert_no_body(request: &Request) {
    assert!(
        request.body.is_empty(),
        "unexpected body: {:?}",
        request.body
    );
    assert!(
        request.headers.get("content-type").is_none(),
        "a bodiless request must not claim a Content-Type"
    );
    if request.method.as_str() != "GET" {
        assert_eq!(header_once(request, "content-length"), "0");
    }
}

/// Checks that a request carried `expected` as its JSON body with one JSON `Content-Type`.
pub fn assert_json_body(request: &Request, expected: &serde_json::Value) {
    assert_eq!(header_once(request, "content-type"), "application/json");
    let body: serde_json::Value =
        serde_json::from_slice(&request.body).expect("the request body is JSON");
    assert_eq!(&body, expected);
}

/// Records every wait the client asks for and returns at once.
#[derive(Debug, Clone, Default)]
pub struct RecordingSleeper(Arc<Mutex<Vec<Duration>>>);

impl RecordingSleeper {
    pub fn waits(&self) -> Vec<Duration> {
        self.0.lock().map(|w| w.clone()).unwrap_or_default()
    }
}

impl Sleeper for RecordingSleeper {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        if let Ok(mut waits) = self.0.lock() {
            waits.push(duration);
        }
        Box::pin(async {})
    }
}

pub fn okta_with(server: &MockServer, sleeper: &RecordingSleeper) -> okta::Client {
    okta::Client::builder(server.uri())
        .auth(Auth::ssws("secret-token-123"))
        .allow_http(true)
        .sleeper(sleeper.clone())
        .build()
        .expect("client")
}

pub fn now_epoch() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

pub fn http_date(epoch: u64) -> String {
    httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(epoch))
}

pub fn rate_limited(date: u64, reset: u64, request_id: &str) -> ResponseTemplate {
    json_response(
        429,
        json!({
            "errorCode": "E0000047",
            "errorSummary": "API call exceeded rate limit due to too many requests.",
            "errorLink": "E0000047",
            "errorId": "oaeRateLimited",
            "errorCauses": []
        }),
    )
    .insert_header("X-Okta-Request-Id", request_id)
    .insert_header("X-Rate-Limit-Limit", "600")
    .insert_header("X-Rate-Limit-Remaining", "0")
    .insert_header("X-Rate-Limit-Reset", reset.to_string().as_str())
    .insert_header("Date", http_date(date).as_str())
}

pub fn header_lines<'a>(request: &'a Request, name: &str) -> Vec<&'a str> {
    request
        .headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect()
}

/// Captures what the client logs, for tests that check what traces say and never say.
#[derive(Clone, Default)]
pub struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl LogBuffer {
    /// Everything written so far (lossy: a poisoned lock or invalid UTF-8 reads as empty).
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().map(|b| b.clone()).unwrap_or_default()).unwrap_or_default()
    }
}

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

/// Installs, for the current thread until the guard drops, a subscriber that writes every
/// event and span close at TRACE level, without colours, into the returned buffer.
pub fn capture_traces() -> (LogBuffer, tracing::subscriber::DefaultGuard) {
    let logs = LogBuffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    (logs, tracing::subscriber::set_default(subscriber))
}
