//! Behaviour of the hand-written runtime through real generated calls against a local mock
//! server: retries and rate limits, auth and token caching, header rules, pagination, input
//! safety, vendor errors, tracing hygiene and the push-verify helper.

#[path = "support/common.rs"]
mod common;

use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};
use idp_mfa::runtime::{
    AuthContext, BoxFuture, RetryPolicy, Secret, Token, TokenSource, VendorError,
};
use idp_mfa::{okta, onelogin, Auth, Error};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use common::{
    header_lines, json_response, now_epoch, okta_with, one_header, rate_limited, received,
    RecordingSleeper, DEFAULT_USER_AGENT,
};

const USER_ID: &str = "00u1abcd2EFGHIJ3k4l5";
const SMS_FACTOR: &str = "mbl1nz9JHJGHWJ0xp0g4";

fn sms_factor_json() -> serde_json::Value {
    json!({
        "id": SMS_FACTOR,
        "factorType": "sms",
        "provider": "OKTA",
        "status": "PENDING_ACTIVATION",
        "created": "2014-08-06T16:56:31.000Z",
        "lastUpdated": "2014-08-06T16:56:31.000Z",
        "profile": { "phoneNumber": "+1-555-415-1337" }
    })
}

#[tokio::test]
async fn rate_limited_post_waits_for_the_reset_then_replays_the_same_request() {
    let server = MockServer::start().await;
    let date = now_epoch();
    Mock::given(method("POST"))
        .and(path(format!("/api/v1/users/{USER_ID}/factors")))
        .respond_with(rate_limited(date, date + 2, "req-first"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/api/v1/users/{USER_ID}/factors")))
        .respond_with(json_response(200, sms_factor_json()))
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let body = okta::UserFactorSms::new()
        .profile(okta::UserFactorSmsProfile::new().phone_number("+1-555-415-1337"));

    let response = okta_with(&server, &sleeper)
        .enroll_factor(USER_ID, body)
        .send_with_response()
        .await
        .expect("succeeds after one rate-limited attempt");

    assert_eq!(response.status(), 200);
    // reset - Date + 1 s, measured against the server's clock
    assert_eq!(sleeper.waits(), [Duration::from_secs(3)]);
    let sent = received(&server).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].body, sent[1].body, "the body is replayed unchanged");
    assert!(header_lines(&sent[0], "X-Okta-Retry-For").is_empty());
    assert_eq!(header_lines(&sent[1], "X-Okta-Retry-For"), ["req-first"]);
    assert_eq!(header_lines(&sent[1], "X-Okta-Retry-Count"), ["1"]);
    assert_eq!(
        header_lines(&sent[1], "Authorization"),
        ["SSWS secret-token-123"]
    );
}

#[tokio::test]
async fn endless_rate_limiting_gives_up_after_the_attempt_bound_with_the_last_error() {
    let server = MockServer::start().await;
    let date = now_epoch();
    Mock::given(method("GET"))
        .respond_with(rate_limited(date, date, "req-limited"))
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();

    let error = okta_with(&server, &sleeper)
        .list_factors(USER_ID)
        .send()
        .await
        .expect_err("never succeeds");

    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!((api.status, api.attempts), (429, 4));
    assert_eq!(api.rate_limit.remaining, Some(0));
    assert_eq!(api.rate_limit.reset, Some(date));
    assert_eq!(
        error.vendor().and_then(VendorError::code).as_deref(),
        Some("E0000047")
    );
    assert_eq!(sleeper.waits(), vec![Duration::from_secs(1); 3]);
    let sent = received(&server).await;
    assert_eq!(sent.len(), 4);
    let counts: Vec<_> = sent
        .iter()
        .map(|r| header_lines(r, "X-Okta-Retry-Count").join(","))
        .collect();
    assert_eq!(counts, ["", "1", "2", "3"], "replaced, never appended");
}

#[tokio::test(start_paused = true)]
async fn a_reset_75_seconds_ahead_waits_76_seconds_on_the_clock() {
    let server = MockServer::start().await;
    let date = now_epoch();
    Mock::given(method("GET"))
        .respond_with(rate_limited(date, date + 75, "req-1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(json_response(200, json!([])))
        .mount(&server)
        .await;
    // The real tokio timer, paused: the wait advances the clock instead of taking 76 s. The
    // paused clock also jumps to any other pending timer while the socket is idle, so the
    // injected HTTP client has no idle-pool timer (90 s by default).
    let http = idp_mfa::runtime::http_client_builder()
        .expect("TLS settings")
        .pool_idle_timeout(None)
        .build()
        .expect("http client");
    let client = okta::Client::builder(server.uri())
        .auth(Auth::ssws("t"))
        .http_client(http)
        .allow_http(true)
        .timeout(None)
        .deadline(None)
        .build()
        .expect("client");
    let started = tokio::time::Instant::now();

    client
        .list_factors(USER_ID)
        .send()
        .await
        .expect("second attempt succeeds");

    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(76) && waited < Duration::from_secs(77),
        "{waited:?}"
    );
}

#[tokio::test]
async fn a_wait_past_the_deadline_is_not_started() {
    let server = MockServer::start().await;
    let date = now_epoch();
    Mock::given(method("GET"))
        .respond_with(rate_limited(date, date + 75, "req-1"))
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = okta::Client::builder(server.uri())
        .allow_http(true)
        .deadline(Duration::from_secs(30))
        .sleeper(sleeper.clone())
        .build()
        .expect("client");

    let error = client.list_factors(USER_ID).send().await.expect_err("429");

    assert_eq!(error.status(), Some(429));
    assert!(sleeper.waits().is_empty());
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn concurrency_limit_429s_back_off_briefly() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("X-Rate-Limit-Limit", "0")
                .insert_header(
                    "X-Rate-Limit-Reset",
                    (now_epoch() + 50).to_string().as_str(),
                ),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(json_response(200, json!([])))
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();

    okta_with(&server, &sleeper)
        .list_factors(USER_ID)
        .send()
        .await
        .expect("retried");

    let waits = sleeper.waits();
    assert_eq!(waits.len(), 1);
    assert!(waits[0] >= Duration::from_millis(100) && waits[0] <= Duration::from_millis(200));
}

#[tokio::test]
async fn server_errors_are_retried_for_get_but_never_for_post() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(json_response(200, json!([])))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(json_response(503, json!({"errorCode": "E0000009"})))
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = okta_with(&server, &sleeper);

    client
        .list_factors(USER_ID)
        .send()
        .await
        .expect("GET retried");
    let error = client
        .verify_factor(USER_ID, SMS_FACTOR)
        .body(okta::UserFactorVerifyRequest::default().pass_code("123456"))
        .send()
        .await
        .expect_err("POST not retried");

    assert_eq!(error.status(), Some(503));
    let posts = received(&server)
        .await
        .into_iter()
        .filter(|r| r.method.as_str() == "POST")
        .count();
    assert_eq!(posts, 1, "a factor POST is never replayed after a 5xx");
    assert_eq!(sleeper.waits().len(), 1);
}

#[tokio::test]
async fn retries_can_be_disabled() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = okta::Client::builder(server.uri())
        .allow_http(true)
        .retry(RetryPolicy::disabled())
        .build()
        .expect("client");

    let error = client.list_factors(USER_ID).send().await.expect_err("503");

    assert_eq!(error.status(), Some(503));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_forwarded_user_agent_replaces_the_default_and_moves_the_sdk_identity() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(one_header("user-agent", "Mozilla/5.0 (end user)"))
        .and(one_header("x-okta-user-agent-extended", DEFAULT_USER_AGENT))
        .and(one_header("x-forwarded-for", "203.0.113.7"))
        .respond_with(json_response(
            201,
            json!({"factorResult": "WAITING", "_links": {"poll": {"href": "https://x/"}}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();

    okta_with(&server, &sleeper)
        .verify_factor(USER_ID, SMS_FACTOR)
        .user_agent("Mozilla/5.0 (end user)")
        .x_forwarded_for("203.0.113.7")
        .send()
        .await
        .expect("one User-Agent line on the wire");

    let sent = received(&server).await;
    assert_eq!(
        header_lines(&sent[0], "user-agent"),
        ["Mozilla/5.0 (end user)"]
    );
    assert_eq!(header_lines(&sent[0], "content-length"), ["0"]);
}

#[tokio::test]
async fn line_breaks_in_header_params_fail_before_anything_is_sent() {
    let server = MockServer::start().await;
    let sleeper = RecordingSleeper::default();
    let client = okta_with(&server, &sleeper);

    let error = client
        .verify_factor(USER_ID, SMS_FACTOR)
        .x_forwarded_for("203.0.113.7\r\nX-Injected: 1")
        .send()
        .await
        .expect_err("rejected");
    let extra = client
        .list_factors(USER_ID)
        .header("X-Custom", "a\nb")
        .send()
        .await
        .expect_err("rejected");

    assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");
    assert!(matches!(extra, Error::InvalidInput(_)), "{extra:?}");
    assert!(
        received(&server).await.is_empty(),
        "no request reached the server"
    );
}

#[tokio::test]
async fn ids_are_encoded_as_one_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_response(200, sms_factor_json()))
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = okta_with(&server, &sleeper);

    client
        .get_factor("../admin", "x y")
        .send()
        .await
        .expect("sent");
    let dots = client.get_factor(USER_ID, "..").send().await;

    let sent = received(&server).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].url.path(), "/api/v1/users/..%2Fadmin/factors/x%20y");
    assert!(matches!(dots, Err(Error::InvalidInput(_))));
}

#[tokio::test]
async fn okta_errors_carry_code_summary_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            json_response(
                404,
                json!({
                    "errorCode": "E0000007",
                    "errorSummary": "Not found: Resource not found: mbl1nz9 (UserFactor)",
                    "errorLink": "E0000007",
                    "errorId": "oaeXYZ",
                    "errorCauses": []
                }),
            )
            .insert_header("X-Okta-Request-Id", "reqNotFound1"),
        )
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();

    let error = okta_with(&server, &sleeper)
        .get_factor(USER_ID, SMS_FACTOR)
        .send()
        .await
        .expect_err("404");

    assert_eq!(error.status(), Some(404));
    assert_eq!(error.request_id(), Some("reqNotFound1"));
    let Some(VendorError::Okta(body)) = error.vendor() else {
        panic!("an Okta error body: {error:?}");
    };
    assert_eq!(body.error_code.as_deref(), Some("E0000007"));
    assert_eq!(body.error_id.as_deref(), Some("oaeXYZ"));
    let text = error.to_string();
    assert!(
        text.contains("E0000007") && text.contains("reqNotFound1"),
        "{text}"
    );
    assert!(!text.contains(USER_ID), "ids stay out of messages: {text}");
    assert!(sleeper.waits().is_empty(), "a 404 is final");
}

#[tokio::test]
async fn static_tokens_get_no_retry_on_401() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_response(401, json!({"errorCode": "E0000011"})))
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();

    let error = okta_with(&server, &sleeper)
        .list_factors(USER_ID)
        .send()
        .await
        .expect_err("401");

    assert_eq!(error.status(), Some(401));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn secrets_stay_out_of_debug_output() {
    let server = MockServer::start().await;
    let sleeper = RecordingSleeper::default();
    let okta = okta_with(&server, &sleeper);
    let onelogin = onelogin::Client::builder(server.uri())
        .auth(Auth::onelogin_client_credentials(
            "client-id",
            "client-secret-456",
        ))
        .allow_http(true)
        .build()
        .expect("client");

    let text = format!("{okta:?} {onelogin:?}");

    assert!(!text.contains("secret-token-123"), "{text}");
    assert!(!text.contains("client-secret-456"), "{text}");
    assert!(text.contains("SSWS <redacted>"), "{text}");
}

fn onelogin_factors_body() -> serde_json::Value {
    json!({
        "status": {"error": false, "code": 200, "type": "success", "message": "Success"},
        "data": {"auth_factors": [{"name": "OneLogin SMS", "factor_id": 16282}]}
    })
}

async fn mount_token_endpoint(server: &MockServer, token: &str, times: u64) {
    Mock::given(method("POST"))
        .and(path("/auth/oauth2/v2/token"))
        // base64("client-id:client-secret")
        .and(header(
            "authorization",
            "Basic Y2xpZW50LWlkOmNsaWVudC1zZWNyZXQ=",
        ))
        .and(body_json(json!({"grant_type": "client_credentials"})))
        .respond_with(
            json_response(
                200,
                json!({
                    "access_token": token,
                    "created_at": "2026-11-26T14:00:00.000Z",
                    "expires_in": 36000,
                    "refresh_token": "r",
                    "token_type": "bearer",
                    "account_id": 555
                }),
            )
            .set_delay(Duration::from_millis(100)),
        )
        .up_to_n_times(times)
        .mount(server)
        .await;
}

fn onelogin_credentials_client(server: &MockServer) -> onelogin::Client {
    onelogin::Client::builder(server.uri())
        .auth(Auth::onelogin_client_credentials(
            "client-id",
            "client-secret",
        ))
        .allow_http(true)
        .build()
        .expect("client")
}

fn token_requests(sent: &[Request]) -> usize {
    sent.iter()
        .filter(|r| r.url.path() == "/auth/oauth2/v2/token")
        .count()
}

#[tokio::test]
async fn onelogin_token_is_fetched_once_for_concurrent_calls_and_refreshed_once_after_401() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, "tok-1", 1).await;
    mount_token_endpoint(&server, "tok-2", 1).await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(json_response(200, onelogin_factors_body()))
        .up_to_n_times(8)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(json_response(
            401,
            json!({"status": {"error": true, "code": 401, "type": "Unauthorized", "message": "Authentication Failure"}}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer tok-2"))
        .respond_with(json_response(200, onelogin_factors_body()))
        .mount(&server)
        .await;
    let client = onelogin_credentials_client(&server);

    let calls = (0..8).map(|_| client.get_mfa_factors(42).send());
    let results = futures_util::future::join_all(calls).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(
        token_requests(&received(&server).await),
        1,
        "one fetch for 8 callers"
    );

    // tok-1 is now revoked: 4 concurrent calls see 401, and share one refresh
    let calls = (0..4).map(|_| client.get_mfa_factors(42).send());
    let results = futures_util::future::join_all(calls).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let sent = received(&server).await;
    assert_eq!(token_requests(&sent), 2, "exactly one refresh");
    assert_eq!(sent.len(), 2 + 8 + 4 * 2);
}

#[tokio::test]
async fn a_429_never_mints_a_new_token() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, "tok-1", 5).await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("X-RateLimit-Limit", "5000")
                .insert_header("X-RateLimit-Remaining", "0")
                .insert_header("X-RateLimit-Reset", "12"),
        )
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(json_response(200, onelogin_factors_body()))
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = onelogin::Client::builder(server.uri())
        .auth(Auth::onelogin_client_credentials(
            "client-id",
            "client-secret",
        ))
        .allow_http(true)
        .sleeper(sleeper.clone())
        .build()
        .expect("client");

    client
        .get_mfa_factors(42)
        .send()
        .await
        .expect("third attempt");

    assert_eq!(token_requests(&received(&server).await), 1);
    // OneLogin's reset is relative seconds
    assert_eq!(sleeper.waits(), vec![Duration::from_secs(12); 2]);
}

#[tokio::test]
async fn onelogin_token_errors_surface_with_their_code() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/oauth2/v2/token"))
        .respond_with(json_response(
            401,
            json!({"status": {"error": true, "code": 401, "type": "Unauthorized", "message": "Authentication Failure"}}),
        ))
        .mount(&server)
        .await;
    let client = onelogin_credentials_client(&server);

    let error = client
        .get_mfa_factors(42)
        .send()
        .await
        .expect_err("no token");

    let Error::Token(token) = &error else {
        panic!("a token error: {error:?}");
    };
    assert_eq!(
        (token.status, token.error.as_deref()),
        (401, Some("Unauthorized"))
    );
    assert!(!error.to_string().contains("client-secret"));
    assert_eq!(
        received(&server).await.len(),
        1,
        "no API call without a token"
    );
}

#[tokio::test]
async fn onelogin_success_status_with_error_flag_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json_response(
            200,
            json!({"status": {"error": true, "code": 400, "type": "bad request", "message": {"otp_token": "is invalid"}}}),
        ))
        .mount(&server)
        .await;
    let client = onelogin::Client::builder(server.uri())
        .auth(Auth::bearer("t"))
        .allow_http(true)
        .build()
        .expect("client");

    let error = client
        .verify_mfa_factor(42, "1111")
        .body(onelogin::VerifyMfaFactorRequest::new().otp_token("000000"))
        .send()
        .await
        .expect_err("status.error is true");

    let Some(VendorError::OneLogin(status)) = error.vendor() else {
        panic!("a OneLogin error: {error:?}");
    };
    assert_eq!(status.code, Some(400));
    assert_eq!(status.kind.as_deref(), Some("bad request"));
    assert_eq!(
        status.message_text().as_deref(),
        Some(r#"{"otp_token":"is invalid"}"#)
    );
}

fn yubikey_page(ids: &[&str]) -> serde_json::Value {
    json!(ids
        .iter()
        .map(|id| json!({"id": id, "status": "ACTIVE", "profile": {"serial": "7886622"}}))
        .collect::<Vec<_>>())
}

#[tokio::test]
async fn link_pagination_follows_next_until_the_last_page() {
    let server = MockServer::start().await;
    let base = server.uri();
    let list = "/api/v1/org/factors/yubikey_token/tokens";
    let next = |after: &str| format!("<{base}{list}?after={after}&limit=2>; rel=\"next\"");
    Mock::given(method("GET"))
        .and(path(list))
        .and(query_param("after", "ykk2"))
        .respond_with(
            json_response(200, yubikey_page(&["ykk3", "ykk4"])).insert_header(
                "Link",
                format!("<{base}{list}?limit=2>; rel=\"self\", {}", next("ykk4")),
            ),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(list))
        .and(query_param("after", "ykk4"))
        .respond_with(json_response(200, yubikey_page(&["ykk5"])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(list))
        .and(query_param("limit", "2"))
        .respond_with(
            json_response(200, yubikey_page(&["ykk1", "ykk2"])).insert_header("Link", next("ykk2")),
        )
        .with_priority(10)
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = okta_with(&server, &sleeper);

    let ids: Vec<String> = client
        .list_yubikey_otp_tokens()
        .limit(2)
        .items()
        .map_ok(|token| token.id.unwrap_or_default())
        .try_collect()
        .await
        .expect("three pages");
    let pages: Vec<_> = client
        .list_yubikey_otp_tokens()
        .limit(2)
        .pages()
        .collect()
        .await;

    assert_eq!(ids, ["ykk1", "ykk2", "ykk3", "ykk4", "ykk5"]);
    assert_eq!(pages.len(), 3);
    assert_eq!(received(&server).await.len(), 6);
}

#[tokio::test]
async fn pagination_stops_on_a_repeated_cursor_and_refuses_foreign_hosts() {
    let server = MockServer::start().await;
    let list = "/api/v1/org/factors/yubikey_token/tokens";
    let again = format!("<{}{list}?after=same>; rel=\"next\"", server.uri());
    Mock::given(method("GET"))
        .and(path(list))
        .and(query_param("after", "same"))
        .respond_with(
            json_response(200, yubikey_page(&["ykk2"])).insert_header("Link", again.as_str()),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(list))
        .respond_with(
            json_response(200, yubikey_page(&["ykk1"])).insert_header("Link", again.as_str()),
        )
        .with_priority(10)
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = okta_with(&server, &sleeper);

    let pages: Vec<_> = client.list_yubikey_otp_tokens().pages().collect().await;
    assert_eq!(
        pages.len(),
        2,
        "the repeated link is not followed a second time: {pages:?}"
    );

    let foreign = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            json_response(200, yubikey_page(&["ykk1"]))
                .insert_header("Link", "<https://evil.example/steal>; rel=\"next\""),
        )
        .mount(&foreign)
        .await;
    let results: Vec<_> = okta_with(&foreign, &sleeper)
        .list_yubikey_otp_tokens()
        .pages()
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert!(
        matches!(results[1], Err(Error::Protocol(_))),
        "{:?}",
        results[1]
    );
}

#[tokio::test]
async fn push_verify_polls_the_link_exactly_until_success() {
    use idp_mfa::okta::push::{self, PollOptions, PushResult, PushStart};

    let server = MockServer::start().await;
    let push_factor = "opf3hkfocI4JTLAju0g4";
    let transaction = "v2mst.GldKV5VxTrifyeZmWSQguA";
    let poll = format!(
        "{}/api/v1/users/{USER_ID}/factors/{push_factor}/transactions/{transaction}",
        server.uri()
    );
    Mock::given(method("POST"))
        .and(path(format!(
            "/api/v1/users/{USER_ID}/factors/{push_factor}/verify"
        )))
        .respond_with(json_response(
            201,
            json!({
                "factorResult": "WAITING",
                "expiresAt": "2026-11-26T14:05:00.000Z",
                "_links": {"poll": {"href": poll, "hints": {"allow": ["GET"]}}}
            }),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/api/v1/users/{USER_ID}/factors/{push_factor}/transactions/{transaction}"
        )))
        .respond_with(json_response(
            200,
            json!({
                "factorResult": "WAITING",
                "_embedded": {"challenge": {"correctAnswer": 42}},
                "_links": {"poll": {"href": poll}}
            }),
        ))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/api/v1/users/{USER_ID}/factors/{push_factor}/transactions/{transaction}"
        )))
        .respond_with(json_response(200, json!({"factorResult": "SUCCESS"})))
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = okta_with(&server, &sleeper);

    let start = push::start(
        client
            .verify_factor(USER_ID, push_factor)
            .x_forwarded_for("203.0.113.7"),
    )
    .await
    .expect("challenge sent");
    let PushStart::Waiting(challenge) = start else {
        panic!("a waiting challenge");
    };
    assert_eq!(challenge.poll_url(), poll);
    let outcome = challenge
        .wait(&client, PollOptions::default())
        .await
        .expect("answered");

    assert_eq!(outcome.result, PushResult::Success);
    assert_eq!(outcome.polls, 3);
    assert_eq!(sleeper.waits(), vec![Duration::from_secs(4); 2]);
    let sent = received(&server).await;
    assert!(sent[0].body.is_empty(), "verify is sent without a body");
    assert_eq!(header_lines(&sent[0], "content-length"), ["0"]);
}

#[tokio::test]
async fn push_verify_refuses_a_poll_link_to_another_host() {
    use idp_mfa::okta::push::{self, PollOptions, PushStart};

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json_response(
            201,
            json!({"factorResult": "WAITING", "_links": {"poll": {"href": "https://evil.example/x"}}}),
        ))
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = okta_with(&server, &sleeper);

    let PushStart::Waiting(challenge) = push::start(client.verify_factor(USER_ID, "opf1"))
        .await
        .expect("challenge")
    else {
        panic!("waiting");
    };
    let error = challenge
        .wait(&client, PollOptions::default())
        .await
        .expect_err("foreign link");

    assert!(matches!(error, Error::Protocol(_)), "{error:?}");
}

#[test]
fn clients_are_cheap_to_share_across_tasks() {
    fn shareable<T: Clone + Send + Sync + 'static>() {}
    shareable::<okta::Client>();
    shareable::<onelogin::Client>();
    shareable::<Auth>();
}

#[tokio::test]
async fn success_responses_carry_request_id_and_rate_limits() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            json_response(200, json!([]))
                .insert_header("X-Okta-Request-Id", "reqOk1")
                .insert_header("X-Rate-Limit-Limit", "600")
                .insert_header("X-Rate-Limit-Remaining", "599")
                .insert_header("X-Rate-Limit-Reset", "1700000060"),
        )
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();

    let response = okta_with(&server, &sleeper)
        .list_factors(USER_ID)
        .send_with_response()
        .await
        .expect("200");

    assert_eq!(response.request_id(), Some("reqOk1"));
    let limits = response.rate_limit();
    assert_eq!(
        (limits.limit, limits.remaining, limits.reset),
        (Some(600), Some(599), Some(1_700_000_060))
    );
}

/// A token source of the caller's own, counting its fetches.
#[derive(Default)]
struct CountingSource(std::sync::atomic::AtomicUsize);

impl TokenSource for CountingSource {
    fn fetch<'a>(&'a self, _context: AuthContext<'a>) -> BoxFuture<'a, Result<Token, Error>> {
        let n = self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        Box::pin(async move {
            Ok(Token::new(
                Secret::new(format!("tok-{n}")),
                Some(Duration::from_secs(600)),
            ))
        })
    }

    fn describe(&self) -> String {
        "counting test source".to_owned()
    }
}

#[tokio::test(start_paused = true)]
async fn cached_tokens_are_reused_until_shortly_before_expiry() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_response(200, json!([])))
        .mount(&server)
        .await;
    let source = std::sync::Arc::new(CountingSource::default());
    let http = idp_mfa::runtime::http_client_builder()
        .expect("TLS settings")
        .pool_idle_timeout(None)
        .build()
        .expect("http client");
    let client = okta::Client::builder(server.uri())
        .auth(Auth::bearer_source(SharedSource(source.clone())))
        .http_client(http)
        .timeout(None)
        .deadline(None)
        .allow_http(true)
        .build()
        .expect("client");

    client.list_factors(USER_ID).send().await.expect("first");
    // 600 s lifetime, refreshed 60 s early: still fresh at 539 s, due at 541 s
    tokio::time::advance(Duration::from_secs(539)).await;
    client.list_factors(USER_ID).send().await.expect("second");
    tokio::time::advance(Duration::from_secs(2)).await;
    client.list_factors(USER_ID).send().await.expect("third");

    let sent: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| header_lines(r, "authorization").join(","))
        .collect();
    assert_eq!(sent, ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]);
}

struct SharedSource(std::sync::Arc<CountingSource>);

impl TokenSource for SharedSource {
    fn fetch<'a>(&'a self, context: AuthContext<'a>) -> BoxFuture<'a, Result<Token, Error>> {
        self.0.fetch(context)
    }

    fn describe(&self) -> String {
        self.0.describe()
    }
}
