//! Auth under faults: token fetching bounded by the call's deadline, one fetch for every waiting
//! caller, callers that go away mid-fetch, server values that overflow the clock, token
//! responses that must not leak through error output, and credentials that are not header-safe.

#[path = "support/common.rs"]
mod common;

use std::time::Duration;

use idp_mfa::runtime::{AuthContext, BoxFuture, ClientBuilder, TimeoutKind, Token, TokenSource};
use idp_mfa::{okta, onelogin, Auth, Error};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use common::{json_response, received, RecordingSleeper};

const USER_ID: &str = "00u1abcd2EFGHIJ3k4l5";
const ONELOGIN_TOKEN_PATH: &str = "/auth/oauth2/v2/token";
const OKTA_TOKEN_PATH: &str = "/oauth2/v1/token";

/// The secrets planted in every token response below; none may reach error output.
const SECRETS: [&str; 2] = ["SECRET123", "SECRET456"];

fn token_requests(sent: &[Request], token_path: &str) -> usize {
    sent.iter().filter(|r| r.url.path() == token_path).count()
}

fn onelogin_credentials(server: &MockServer) -> ClientBuilder<onelogin::Client> {
    onelogin::Client::builder(server.uri())
        .auth(Auth::onelogin_client_credentials(
            "client-id",
            "client-secret",
        ))
        .allow_http(true)
}

async fn mount_onelogin_api(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/api/1/users/42/auth_factor"))
        .respond_with(json_response(
            200,
            json!({
                "status": {"error": false, "code": 200, "type": "success", "message": "Success"},
                "data": {"auth_factors": []}
            }),
        ))
        .mount(server)
        .await;
}

// ---- the deadline covers auth ----

/// A token source that takes `delay` (on tokio's clock) before answering.
struct SlowSource {
    delay: Duration,
}

impl TokenSource for SlowSource {
    fn fetch<'a>(&'a self, _context: AuthContext<'a>) -> BoxFuture<'a, Result<Token, Error>> {
        Box::pin(async move {
            tokio::time::sleep(self.delay).await;
            Ok(Token::new("slow-token", Some(Duration::from_secs(3600))))
        })
    }

    fn describe(&self) -> String {
        "slow test source".to_owned()
    }
}

#[tokio::test(start_paused = true)]
async fn a_slow_token_source_fails_the_call_at_its_deadline() {
    // Nothing listens here: with the deadline enforced no request is ever sent.
    let client = okta::Client::builder("http://127.0.0.1:9")
        .auth(Auth::bearer_source(SlowSource {
            delay: Duration::from_secs(20),
        }))
        .deadline(Duration::from_secs(2))
        .allow_http(true)
        .build()
        .expect("client");

    let started = tokio::time::Instant::now();
    let error = client
        .list_factors(USER_ID)
        .send()
        .await
        .expect_err("the deadline passes during auth");
    let elapsed = started.elapsed();

    let Error::Timeout(timeout) = &error else {
        panic!("a deadline timeout: {error:?}");
    };
    assert_eq!(timeout.kind, TimeoutKind::Deadline);
    assert_eq!(timeout.attempts, 0, "no request was sent");
    assert!(
        elapsed >= Duration::from_secs(2) && elapsed < Duration::from_millis(2100),
        "failed after {elapsed:?}, not at the 2 s deadline"
    );
    eprintln!("20 s token source, 2 s deadline: failed after {elapsed:?} (tokio clock)");
}

#[tokio::test]
async fn twenty_callers_behind_a_stalled_token_endpoint_share_one_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(ONELOGIN_TOKEN_PATH))
        .respond_with(
            json_response(200, json!({"access_token": "late", "expires_in": 3600}))
                .set_delay(Duration::from_secs(30)),
        )
        .mount(&server)
        .await;
    // one attempt per fetch, so the count shows fetches (a fetch retries a timeout like any
    // replay-safe request)
    let client = onelogin_credentials(&server)
        .timeout(Duration::from_millis(300))
        .deadline(Duration::from_secs(10))
        .retry(idp_mfa::runtime::RetryPolicy::disabled())
        .build()
        .expect("client");

    let started = std::time::Instant::now();
    let calls = (0..20).map(|_| client.get_mfa_factors(42).send());
    let results = futures_util::future::join_all(calls).await;
    let elapsed = started.elapsed();

    for result in &results {
        let error = result.as_ref().expect_err("the token request timed out");
        assert!(
            matches!(error, Error::Token(e) if e.error.as_deref() == Some("timeout")),
            "{error:?}"
        );
    }
    assert_eq!(
        token_requests(&received(&server).await, ONELOGIN_TOKEN_PATH),
        1,
        "one token request for twenty waiting callers"
    );
    assert!(
        elapsed < Duration::from_secs(3),
        "all callers share the one 300 ms token timeout, took {elapsed:?}"
    );
    eprintln!("20 callers, stalled token endpoint: 1 token request, all failed in {elapsed:?}");
}

// ---- cancellation ----

async fn slow_token_server(delay: Duration) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(ONELOGIN_TOKEN_PATH))
        .respond_with(
            json_response(200, json!({"access_token": "tok-1", "expires_in": 3600}))
                .set_delay(delay),
        )
        .mount(&server)
        .await;
    mount_onelogin_api(&server).await;
    server
}

#[tokio::test]
async fn dropping_the_caller_that_started_the_fetch_leaves_the_others_their_token() {
    let server = slow_token_server(Duration::from_millis(600)).await;
    let client = onelogin_credentials(&server).build().expect("client");

    let first = tokio::spawn({
        let client = client.clone();
        async move { client.get_mfa_factors(42).send().await.map(|_| ()) }
    });
    // the first caller's token request is on its way
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(
        token_requests(&received(&server).await, ONELOGIN_TOKEN_PATH),
        1
    );
    let waiters: Vec<_> = (0..5)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_mfa_factors(42).send().await.map(|_| ()) })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(100)).await;
    first.abort();

    for waiter in waiters {
        let outcome = tokio::time::timeout(Duration::from_secs(5), waiter)
            .await
            .expect("no waiter hangs")
            .expect("no waiter panics");
        assert!(outcome.is_ok(), "{outcome:?}");
    }
    assert_eq!(
        token_requests(&received(&server).await, ONELOGIN_TOKEN_PATH),
        1,
        "the waiters finished the fetch the first caller started"
    );
}

#[tokio::test]
async fn the_deadline_of_the_caller_that_started_the_fetch_does_not_cut_it_short() {
    let server = slow_token_server(Duration::from_millis(600)).await;
    // one Auth, so one token cache, shared by two clients with different deadlines
    let auth = Auth::onelogin_client_credentials("client-id", "client-secret");
    let client = |deadline: Duration| {
        onelogin::Client::builder(server.uri())
            .auth(auth.clone())
            .deadline(deadline)
            .allow_http(true)
            .build()
            .expect("client")
    };
    let hurried = client(Duration::from_millis(250));
    let patient = client(Duration::from_secs(5));

    let first = tokio::spawn(async move { hurried.get_mfa_factors(42).send().await.map(|_| ()) });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let second = tokio::spawn(async move { patient.get_mfa_factors(42).send().await.map(|_| ()) });

    let first = first.await.expect("no panic");
    assert!(
        matches!(&first, Err(Error::Timeout(t)) if t.kind == TimeoutKind::Deadline),
        "the hurried caller fails at its own deadline: {first:?}"
    );
    let second = second.await.expect("no panic");
    assert!(second.is_ok(), "{second:?}");
    assert_eq!(
        token_requests(&received(&server).await, ONELOGIN_TOKEN_PATH),
        1,
        "the patient caller finished the fetch the hurried one started"
    );
}

#[tokio::test]
async fn when_every_waiter_goes_away_the_next_caller_fetches_anew() {
    let server = slow_token_server(Duration::from_millis(400)).await;
    let client = onelogin_credentials(&server).build().expect("client");

    let callers: Vec<_> = (0..3)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_mfa_factors(42).send().await.map(|_| ()) })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(100)).await;
    for caller in &callers {
        caller.abort();
    }
    for caller in callers {
        assert!(caller.await.is_err_and(|e| e.is_cancelled()));
    }

    let late = tokio::time::timeout(Duration::from_secs(5), client.get_mfa_factors(42).send())
        .await
        .expect("the next caller does not hang on the abandoned fetch");
    assert!(late.is_ok(), "{late:?}");
    assert_eq!(
        token_requests(&received(&server).await, ONELOGIN_TOKEN_PATH),
        2,
        "the abandoned fetch and a fresh one"
    );
}

/// A token source whose first fetch panics (a bug in a caller's own source).
#[derive(Default)]
struct PanicsOnce(std::sync::atomic::AtomicBool);

impl TokenSource for PanicsOnce {
    fn fetch<'a>(&'a self, _context: AuthContext<'a>) -> BoxFuture<'a, Result<Token, Error>> {
        let first = !self.0.swap(true, std::sync::atomic::Ordering::SeqCst);
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(100)).await;
            assert!(!first, "a bug in the token source");
            Ok(Token::new("tok-2", Some(Duration::from_secs(3600))))
        })
    }

    fn describe(&self) -> String {
        "panicking test source".to_owned()
    }
}

#[tokio::test]
async fn a_panicking_token_source_fails_its_waiters_without_panicking_them() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_response(200, json!([])))
        .mount(&server)
        .await;
    let client = okta::Client::builder(server.uri())
        .auth(Auth::bearer_source(PanicsOnce::default()))
        .allow_http(true)
        .build()
        .expect("client");

    let waiters: Vec<_> = (0..3)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.list_factors(USER_ID).send().await.map(|_| ()) })
        })
        .collect();
    for waiter in waiters {
        let outcome = waiter.await.expect("the panic stays in the fetch");
        assert!(
            matches!(&outcome, Err(Error::Token(e)) if e.error.as_deref() == Some("token_source_panicked")),
            "{outcome:?}"
        );
    }
    client
        .list_factors(USER_ID)
        .send()
        .await
        .expect("the next fetch works");
}

// ---- server values that overflow ----

#[tokio::test]
async fn an_expires_in_near_the_u64_limit_does_not_panic() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(ONELOGIN_TOKEN_PATH))
        .respond_with(json_response(
            200,
            json!({"access_token": "tok-1", "expires_in": 10_000_000_000_000_000_000_u64}),
        ))
        .mount(&server)
        .await;
    mount_onelogin_api(&server).await;
    let client = onelogin_credentials(&server).build().expect("client");

    // spawned, so a panic is reported as a failed join instead of aborting the test
    let first = tokio::spawn({
        let client = client.clone();
        async move { client.get_mfa_factors(42).send().await.map(|_| ()) }
    })
    .await;
    assert!(matches!(first, Ok(Ok(()))), "{first:?}");
    client.get_mfa_factors(42).send().await.expect("second");
    assert_eq!(
        token_requests(&received(&server).await, ONELOGIN_TOKEN_PATH),
        1,
        "a token that outlives the clock is kept until a 401"
    );
}

// ---- no secret in error output ----

/// Token responses carrying the secrets that are not a usable token: bad shape, wrong types,
/// truncated JSON, and refusals.
fn leaky_token_responses() -> Vec<(u16, &'static str)> {
    vec![
        (
            200,
            r#"{"access_token":"SECRET123","refresh_token":"SECRET456","expires_in":36"#,
        ),
        (
            200,
            r#"{"access_token":["SECRET123"],"refresh_token":"SECRET456"}"#,
        ),
        (
            200,
            r#"[{"access_token":"SECRET123","refresh_token":"SECRET456"}]"#,
        ),
        (
            200,
            r#"{"token":{"access_token":"SECRET123","refresh_token":"SECRET456"}}"#,
        ),
        (200, r#"access_token=SECRET123&refresh_token=SECRET456"#),
        (
            400,
            r#"{"error":"invalid_grant","access_token":"SECRET123","refresh_token":"SECRET456"}"#,
        ),
        (
            401,
            r#"{"status":{"error":true,"code":401,"type":"Unauthorized","message":"Authentication Failure"},"access_token":"SECRET123","refresh_token":"SECRET456"}"#,
        ),
        (
            503,
            r#"<html>upstream said access_token=SECRET123 refresh_token=SECRET456"#,
        ),
    ]
}

/// Every text a log line could get from `error`: `Debug`, alternate `Debug`, `Display`, and
/// the same for each error in its `source` chain.
fn printed(error: &Error) -> String {
    let mut text = format!("{error:?}\n{error:#?}\n{error}");
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        text.push_str(&format!("\n{inner:?}\n{inner}"));
        source = inner.source();
    }
    text
}

fn assert_no_secret(error: &Error, case: &str) {
    let text = printed(error);
    for secret in SECRETS {
        assert!(
            !text.contains(secret),
            "{case}: `{secret}` leaked into error output:\n{text}"
        );
    }
}

async fn token_server(token_path: &str, status: u16, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(token_path))
        .respond_with(
            ResponseTemplate::new(status)
                .set_body_raw(body.as_bytes().to_vec(), "application/json"),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn onelogin_client_credentials_errors_never_print_token_responses() {
    for (status, body) in leaky_token_responses() {
        let server = token_server(ONELOGIN_TOKEN_PATH, status, body).await;
        let client = onelogin_credentials(&server)
            .retry(idp_mfa::runtime::RetryPolicy::disabled())
            .build()
            .expect("client");
        let error = client
            .get_mfa_factors(42)
            .send()
            .await
            .expect_err("no usable token");
        assert!(
            matches!(error, Error::Token(_)),
            "{status} {body}: {error:?}"
        );
        assert_no_secret(&error, &format!("OneLogin {status} {body}"));
    }
}

#[cfg(feature = "okta-oauth")]
mod okta_oauth {
    use super::*;
    use idp_mfa::runtime::PrivateKey;

    async fn okta_token_errors(dpop: bool) {
        for (status, body) in leaky_token_responses() {
            let server = token_server(OKTA_TOKEN_PATH, status, body).await;
            let key = PrivateKey::generate_es256().expect("key");
            let auth =
                Auth::okta_private_key("0oa1service2app3", ["okta.users.read"], key).dpop(dpop);
            let client = okta::Client::builder(server.uri())
                .auth(auth)
                .retry(idp_mfa::runtime::RetryPolicy::disabled())
                .allow_http(true)
                .build()
                .expect("client");
            let error = client
                .list_factors(USER_ID)
                .send()
                .await
                .expect_err("no usable token");
            assert!(
                matches!(error, Error::Token(_)),
                "{status} {body}: {error:?}"
            );
            assert_no_secret(&error, &format!("Okta dpop={dpop} {status} {body}"));
        }
    }

    #[tokio::test]
    async fn okta_private_key_jwt_errors_never_print_token_responses() {
        okta_token_errors(false).await;
    }

    #[tokio::test]
    async fn okta_dpop_errors_never_print_token_responses() {
        okta_token_errors(true).await;
    }
}

/// A caller's own token source for a standard OAuth 2.0 endpoint, parsing with the runtime's
/// reader.
struct HttpSource;

impl TokenSource for HttpSource {
    fn fetch<'a>(&'a self, context: AuthContext<'a>) -> BoxFuture<'a, Result<Token, Error>> {
        Box::pin(async move {
            let response = context
                .http
                .post(format!("{}/token", context.base_url))
                .send()
                .await
                .map_err(|e| Error::Protocol(e.without_url().to_string()))?;
            let status = response.status().as_u16();
            let body = response
                .bytes()
                .await
                .map_err(|e| Error::Protocol(e.without_url().to_string()))?;
            Token::from_response(status, &body)
        })
    }

    fn describe(&self) -> String {
        "test HTTP source".to_owned()
    }
}

#[tokio::test]
async fn bearer_source_errors_never_print_token_responses() {
    for (status, body) in leaky_token_responses() {
        let server = token_server("/token", status, body).await;
        let client = okta::Client::builder(server.uri())
            .auth(Auth::bearer_source(HttpSource))
            .allow_http(true)
            .build()
            .expect("client");
        let error = client
            .list_factors(USER_ID)
            .send()
            .await
            .expect_err("no usable token");
        assert!(
            matches!(error, Error::Token(_)),
            "{status} {body}: {error:?}"
        );
        assert_no_secret(&error, &format!("bearer_source {status} {body}"));
    }
}

#[tokio::test]
async fn token_error_texts_are_kept_printable_and_short() {
    let description = format!("line one\r\nX-Forged: yes {}", "x".repeat(5000));
    let body = json!({"error": "invalid_client", "error_description": description}).to_string();
    let server = token_server(ONELOGIN_TOKEN_PATH, 401, &body).await;
    let client = onelogin_credentials(&server).build().expect("client");

    let error = client
        .get_mfa_factors(42)
        .send()
        .await
        .expect_err("refused");
    let text = error.to_string();
    assert!(!text.contains('\n') && !text.contains('\r'), "{text:?}");
    assert!(text.len() < 600, "{} bytes", text.len());
    assert!(text.contains("invalid_client"), "{text}");
}

// ---- credentials must be header-safe ASCII ----

/// A token source handing out one fixed token.
struct FixedSource(&'static str);

impl TokenSource for FixedSource {
    fn fetch<'a>(&'a self, _context: AuthContext<'a>) -> BoxFuture<'a, Result<Token, Error>> {
        Box::pin(std::future::ready(Ok(Token::new(self.0, None))))
    }

    fn describe(&self) -> String {
        "fixed test source".to_owned()
    }
}

#[tokio::test]
async fn non_ascii_tokens_are_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_response(200, json!([])))
        .mount(&server)
        .await;
    let cases = [
        ("ssws", Auth::ssws("SECRET123\u{e9}")),
        ("bearer", Auth::bearer("SECRET123\u{2603}")),
        (
            "bearer_source",
            Auth::bearer_source(FixedSource("SECRET123\u{fc}")),
        ),
        ("ssws latin-1 byte", Auth::ssws("SECRET123\u{ff}")),
    ];
    for (case, auth) in cases {
        let client = okta::Client::builder(server.uri())
            .auth(auth)
            .allow_http(true)
            .build()
            .expect("client");
        let error = client
            .list_factors(USER_ID)
            .send()
            .await
            .expect_err("a non-ASCII credential is not sent");
        assert!(matches!(error, Error::InvalidInput(_)), "{case}: {error:?}");
        assert_no_secret(&error, case);
    }
    assert!(
        received(&server).await.is_empty(),
        "nothing was sent with a non-ASCII credential"
    );
}

#[tokio::test]
async fn a_non_ascii_token_from_the_token_endpoint_is_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(ONELOGIN_TOKEN_PATH))
        .respond_with(json_response(
            200,
            json!({"access_token": "SECRET123\u{e9}", "expires_in": 3600}),
        ))
        .mount(&server)
        .await;
    mount_onelogin_api(&server).await;
    let client = onelogin_credentials(&server).build().expect("client");

    let error = client
        .get_mfa_factors(42)
        .send()
        .await
        .expect_err("refused");
    assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");
    assert_no_secret(&error, "OneLogin non-ASCII token");
    assert_eq!(
        received(&server).await.len(),
        1,
        "the token request only, no API call"
    );
}

// ---- token endpoints follow the crate's retry rule ----

/// A token endpoint that answers `first` once, then a token of `token_type`.
async fn flaky_token_server(
    token_path: &str,
    first: ResponseTemplate,
    token_type: &str,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(token_path))
        .respond_with(first)
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(token_path))
        .respond_with(json_response(
            200,
            json!({"access_token": "tok-after-retry", "token_type": token_type, "expires_in": 3600}),
        ))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_token_endpoint_429_is_retried_after_its_retry_after() {
    let server = flaky_token_server(
        ONELOGIN_TOKEN_PATH,
        json_response(429, json!({"status": {"error": true, "code": 429}}))
            .insert_header("retry-after", "3"),
        "Bearer",
    )
    .await;
    mount_onelogin_api(&server).await;
    let sleeper = RecordingSleeper::default();
    let client = onelogin_credentials(&server)
        .sleeper(sleeper.clone())
        .build()
        .expect("client");

    client
        .get_mfa_factors(42)
        .send()
        .await
        .expect("a token after one retry");

    let sent = received(&server).await;
    assert_eq!(token_requests(&sent, ONELOGIN_TOKEN_PATH), 2);
    assert_eq!(
        sleeper.waits(),
        [Duration::from_secs(3)],
        "Retry-After honoured"
    );
    let api = sent
        .iter()
        .find(|r| r.url.path() != ONELOGIN_TOKEN_PATH)
        .expect("the API call");
    assert_eq!(
        common::header_once(api, "authorization"),
        "Bearer tok-after-retry"
    );
}

#[tokio::test]
async fn a_token_endpoint_503_is_retried() {
    let server = flaky_token_server(
        ONELOGIN_TOKEN_PATH,
        ResponseTemplate::new(503).set_body_string("maintenance"),
        "Bearer",
    )
    .await;
    mount_onelogin_api(&server).await;
    let sleeper = RecordingSleeper::default();
    let client = onelogin_credentials(&server)
        .sleeper(sleeper.clone())
        .build()
        .expect("client");

    client
        .get_mfa_factors(42)
        .send()
        .await
        .expect("a token after one retry");

    assert_eq!(
        token_requests(&received(&server).await, ONELOGIN_TOKEN_PATH),
        2
    );
    assert_eq!(sleeper.waits().len(), 1, "one backoff");
}

#[tokio::test]
async fn a_token_429_whose_wait_passes_the_deadline_fails_at_once() {
    let server = flaky_token_server(
        ONELOGIN_TOKEN_PATH,
        json_response(429, json!({"status": {"error": true, "code": 429}}))
            .insert_header("retry-after", "10000000000000000000"),
        "Bearer",
    )
    .await;
    let sleeper = RecordingSleeper::default();
    let client = onelogin_credentials(&server)
        .sleeper(sleeper.clone())
        .deadline(Duration::from_secs(30))
        .build()
        .expect("client");

    let error = client
        .get_mfa_factors(42)
        .send()
        .await
        .expect_err("the wait does not fit");

    assert!(
        matches!(&error, Error::Token(e) if e.status == 429),
        "{error:?}"
    );
    assert!(sleeper.waits().is_empty(), "{:?}", sleeper.waits());
    assert_eq!(
        token_requests(&received(&server).await, ONELOGIN_TOKEN_PATH),
        1
    );
}

#[cfg(feature = "okta-oauth")]
mod okta_retries {
    use super::*;
    use idp_mfa::runtime::PrivateKey;

    fn client_assertion(request: &Request) -> String {
        let body = String::from_utf8(request.body.clone()).expect("UTF-8 form");
        let url = reqwest::Url::parse(&format!("http://form.invalid/?{body}")).expect("form");
        url.query_pairs()
            .find(|(k, _)| k == "client_assertion")
            .map(|(_, v)| v.into_owned())
            .expect("a client assertion")
    }

    async fn okta_token_retry(dpop: bool, first: ResponseTemplate) {
        let token_type = if dpop { "DPoP" } else { "Bearer" };
        let server = flaky_token_server(OKTA_TOKEN_PATH, first, token_type).await;
        Mock::given(method("GET"))
            .respond_with(json_response(200, json!([])))
            .mount(&server)
            .await;
        let sleeper = RecordingSleeper::default();
        let key = PrivateKey::generate_es256().expect("key");
        let client = okta::Client::builder(server.uri())
            .auth(Auth::okta_private_key("0oa1service2app3", ["okta.users.read"], key).dpop(dpop))
            .sleeper(sleeper.clone())
            .allow_http(true)
            .build()
            .expect("client");

        client
            .list_factors(USER_ID)
            .send()
            .await
            .expect("a token after one retry");

        let sent = received(&server).await;
        let token_requests: Vec<&Request> = sent
            .iter()
            .filter(|r| r.url.path() == OKTA_TOKEN_PATH)
            .collect();
        assert_eq!(token_requests.len(), 2);
        assert_ne!(
            client_assertion(token_requests[0]),
            client_assertion(token_requests[1]),
            "a fresh assertion (new jti) for the retry"
        );
        if dpop {
            assert_ne!(
                common::header_once(token_requests[0], "dpop"),
                common::header_once(token_requests[1], "dpop"),
                "a fresh proof for the retry"
            );
            // the nonce the 429 carried is in the retry's proof
            let claims = |request: &Request| -> serde_json::Value {
                use base64::Engine;
                let proof = common::header_once(request, "dpop");
                let payload = proof.split('.').nth(1).expect("a JWS");
                let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(payload)
                    .expect("base64url");
                serde_json::from_slice(&bytes).expect("JSON claims")
            };
            assert_eq!(claims(token_requests[0]).get("nonce"), None);
            assert_eq!(claims(token_requests[1])["nonce"], "nonce-from-429");
        }
        assert_eq!(sleeper.waits().len(), 1);
    }

    #[tokio::test]
    async fn an_okta_token_endpoint_429_is_retried_after_its_retry_after() {
        okta_token_retry(
            false,
            json_response(429, json!({"errorCode": "E0000047"})).insert_header("retry-after", "2"),
        )
        .await;
    }

    #[tokio::test]
    async fn an_okta_token_endpoint_503_is_retried() {
        okta_token_retry(false, ResponseTemplate::new(503)).await;
    }

    #[tokio::test]
    async fn an_okta_dpop_token_endpoint_429_is_retried() {
        okta_token_retry(
            true,
            json_response(429, json!({"errorCode": "E0000047"}))
                .insert_header("retry-after", "2")
                .insert_header("dpop-nonce", "nonce-from-429"),
        )
        .await;
    }
}

// ---- the token response reader on arbitrary input ----

/// Token-response shapes that carry the secrets, valid or not; the property test cuts them
/// anywhere and splices noise in.
const SHAPES: [&str; 7] = [
    r#"{"access_token":"SECRET123","refresh_token":"SECRET456","token_type":"Bearer","expires_in":3600}"#,
    r#"{"access_token":["SECRET123"],"refresh_token":"SECRET456","expires_in":"soon"}"#,
    r#"{"error":"invalid_grant","access_token":"SECRET123","refresh_token":"SECRET456"}"#,
    r#"{"status":{"error":true,"code":401,"type":"Unauthorized","message":{"refresh_token":"SECRET456"}},"access_token":"SECRET123"}"#,
    r#"[{"access_token":"SECRET123"},{"refresh_token":"SECRET456"}]"#,
    r#"{"access_token":"SECRET123","expires_in":18446744073709551615,"refresh_token":"SECRET456"}"#,
    r#"{"error":"SECRET123","error_description":"SECRET456?","access_token":"SECRET123","refresh_token":"SECRET456"}"#,
];

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config::with_cases(3000))]

    /// Whatever the status and however the body is cut or mangled, the reader neither panics
    /// nor lets a secret into an error; a token it returns prints redacted.
    #[test]
    fn token_responses_never_leak_a_secret(
        status in 100u16..600,
        shape in 0..SHAPES.len(),
        cut in 0usize..160,
        at in 0usize..160,
        noise in "[ !#-\\[\\]-~]{0,12}",
    ) {
        let mut body = SHAPES[shape].to_owned();
        let at = at.min(body.len());
        // Noise has no quote or backslash, so it can garble the JSON or rename a key but never
        // move a token into another field; it stays out of the secrets themselves, and out of
        // the echo shape, whose error fields hold the very strings the token fields do.
        let inside_secret = SECRETS.iter().any(|secret| {
            body.match_indices(secret)
                .any(|(start, _)| (start..start + secret.len()).contains(&at))
        });
        if !inside_secret && shape + 1 != SHAPES.len() && !SECRETS.iter().any(|s| noise.contains(s)) {
            body.insert_str(at, &noise);
        }
        let keep = body.len().saturating_sub(cut % (body.len() + 1));
        let body = &body.as_bytes()[..keep];
        match Token::from_response(status, body) {
            Ok(token) => {
                proptest::prop_assert!((200..300).contains(&status));
                let text = format!("{token:?}");
                for secret in SECRETS {
                    proptest::prop_assert!(!text.contains(secret), "{}", text);
                }
            }
            Err(error) => {
                let text = printed(&error);
                for secret in SECRETS {
                    proptest::prop_assert!(!text.contains(secret), "{}", text);
                }
            }
        }
    }
}
