//! Hostile and broken servers against the runtime: overflowing rate-limit headers, redirects to
//! another origin, oversized, endless and stalled bodies, a pagination link back to the first
//! page, and framing headers set through the escape hatch. Nothing may panic, every failure is
//! an error within a bounded time, and nothing reaches another origin.

#[path = "support/common.rs"]
mod common;

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use idp_mfa::runtime::{http_client_builder, RetryPolicy, TimeoutKind};
use idp_mfa::{okta, onelogin, Auth, Error};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use common::{header_lines, http_date, json_response, now_epoch, received};

const USER_ID: &str = "00u1abcd2EFGHIJ3k4l5";
const SMS_FACTOR: &str = "mbl1nz9JHJGHWJ0xp0g4";
const YUBIKEYS: &str = "/api/v1/org/factors/yubikey_token/tokens";

/// An Okta client with the real timer (waits are really slept) and a short deadline.
fn okta_real_timer(base: &str, deadline: Option<Duration>) -> okta::Client {
    okta::Client::builder(base)
        .auth(Auth::ssws("secret-token-123"))
        .allow_http(true)
        .deadline(deadline)
        .build()
        .expect("client")
}

/// Runs `call` and fails the test if it takes longer than `limit` (instead of hanging).
async fn within<T>(limit: Duration, call: impl std::future::Future<Output = T>) -> (T, Duration) {
    let started = Instant::now();
    let out = tokio::time::timeout(limit, call)
        .await
        .unwrap_or_else(|_| panic!("the call did not finish within {limit:?}"));
    let took = started.elapsed();
    // the figures docs/reliability.md quotes (`--nocapture`)
    eprintln!("{}: {took:?}", std::thread::current().name().unwrap_or("?"));
    (out, took)
}

// ---------------------------------------------------------------------------------------------
// Overflowing server waits
// ---------------------------------------------------------------------------------------------

const HUGE: &str = "10000000000000000000";
const U64_MAX: &str = "18446744073709551615";

#[tokio::test]
async fn overflowing_okta_rate_limit_headers_fail_fast_without_panicking() {
    let date = http_date(now_epoch());
    let cases: Vec<(&str, ResponseTemplate)> = vec![
        (
            "Retry-After 1e19",
            ResponseTemplate::new(429).insert_header("Retry-After", HUGE),
        ),
        (
            "Retry-After u64::MAX",
            ResponseTemplate::new(429).insert_header("Retry-After", U64_MAX),
        ),
        (
            "X-Rate-Limit-Reset 1e19",
            ResponseTemplate::new(429)
                .insert_header("X-Rate-Limit-Limit", "600")
                .insert_header("X-Rate-Limit-Reset", HUGE)
                .insert_header("Date", date.as_str()),
        ),
        (
            "X-Rate-Limit-Reset u64::MAX, no Date",
            ResponseTemplate::new(429).insert_header("X-Rate-Limit-Reset", U64_MAX),
        ),
        (
            "503 Retry-After 1e19",
            ResponseTemplate::new(503).insert_header("Retry-After", HUGE),
        ),
    ];
    for (name, template) in cases {
        // Duration::MAX: a deadline too far to represent counts as none
        for deadline in [Some(Duration::from_secs(2)), None, Some(Duration::MAX)] {
            let server = MockServer::start().await;
            Mock::given(method("GET"))
                .respond_with(template.clone())
                .mount(&server)
                .await;
            let client = okta_real_timer(&server.uri(), deadline);
            let (result, took) =
                within(Duration::from_secs(5), client.list_factors(USER_ID).send()).await;
            let error = result.expect_err(name);
            assert!(
                error.status().is_some(),
                "{name}, deadline {deadline:?}: the server's answer is returned: {error:?}"
            );
            assert!(
                took < Duration::from_secs(1),
                "{name}, deadline {deadline:?}: gave up at once, took {took:?}"
            );
            assert_eq!(received(&server).await.len(), 1, "{name}: not retried");
        }
    }
}

#[tokio::test]
async fn overflowing_onelogin_reset_fails_fast_without_panicking() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("X-RateLimit-Limit", "5000")
                .insert_header("X-RateLimit-Reset", U64_MAX),
        )
        .mount(&server)
        .await;
    let client = onelogin::Client::builder(server.uri())
        .auth(Auth::bearer("t"))
        .allow_http(true)
        .deadline(Duration::from_secs(2))
        .build()
        .expect("client");

    let (result, took) = within(Duration::from_secs(5), client.get_mfa_factors(42).send()).await;

    assert_eq!(result.expect_err("429").status(), Some(429));
    assert!(took < Duration::from_secs(1), "took {took:?}");
}

// ---------------------------------------------------------------------------------------------
// Redirects
// ---------------------------------------------------------------------------------------------

/// A server that accepts anything and records it: the "other origin".
async fn foreign_origin() -> MockServer {
    let foreign = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(json_response(200, json!({"factorResult": "SUCCESS"})))
        .mount(&foreign)
        .await;
    foreign
}

async fn redirecting_to(status: u16, location: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(status).insert_header("Location", location))
        .mount(&server)
        .await;
    server
}

async fn verify_with_pass_code(client: &okta::Client) -> Result<(), Error> {
    client
        .verify_factor(USER_ID, SMS_FACTOR)
        .x_forwarded_for("203.0.113.7")
        .body(okta::UserFactorVerifyRequest::default().pass_code("123456"))
        .send()
        .await
        .map(|_| ())
}

#[tokio::test]
async fn redirects_to_another_origin_are_errors_and_nothing_reaches_it() {
    for status in [301, 302, 303, 307, 308] {
        let foreign = foreign_origin().await;
        let server = redirecting_to(status, &format!("{}/steal?x=1", foreign.uri())).await;
        let client = okta_real_timer(&server.uri(), Some(Duration::from_secs(5)));

        let error = verify_with_pass_code(&client)
            .await
            .expect_err("a redirect is not a success");
        let list = client.list_factors(USER_ID).send().await;

        assert!(
            matches!(error, Error::Protocol(ref m) if m.contains("redirected to another origin")),
            "{status}: {error:?}"
        );
        assert!(
            matches!(list, Err(Error::Protocol(_))),
            "{status}: {list:?}"
        );
        assert!(
            received(&foreign).await.is_empty(),
            "{status}: the other origin got a request"
        );
        assert_eq!(received(&server).await.len(), 2, "{status}: not retried");
    }
}

#[tokio::test]
async fn same_origin_redirects_are_not_followed_either() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("Location", format!("{}/elsewhere", server.uri()).as_str()),
        )
        .mount(&server)
        .await;
    let client = okta_real_timer(&server.uri(), Some(Duration::from_secs(5)));

    let error = verify_with_pass_code(&client).await.expect_err("307");

    assert_eq!(error.status(), Some(307), "{error:?}");
    let sent = received(&server).await;
    assert_eq!(sent.len(), 1, "the pass code is sent once, to the API path");
}

#[tokio::test]
async fn an_injected_client_that_follows_redirects_cannot_return_a_foreign_answer() {
    let foreign = foreign_origin().await;
    let server = redirecting_to(302, &format!("{}/steal", foreign.uri())).await;
    // what a user's own client does by default: follow redirects anywhere
    let http = http_client_builder()
        .expect("builder")
        .redirect(reqwest::redirect::Policy::limited(10))
        .build()
        .expect("http client");
    let client = okta::Client::builder(server.uri())
        .auth(Auth::ssws("secret-token-123"))
        .allow_http(true)
        .http_client(http)
        .build()
        .expect("client");

    let error = verify_with_pass_code(&client)
        .await
        .expect_err("the foreign 200 is not the API's answer");

    assert!(
        matches!(error, Error::Protocol(ref m) if m.contains("another origin")),
        "{error:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Bodies: too large, endless, stalled
// ---------------------------------------------------------------------------------------------

/// How the raw server sends its 200 body.
#[derive(Clone, Copy)]
enum Body {
    /// `Content-Length` announced and sent in full.
    Sized(usize),
    /// Chunked, never ending (until the client hangs up).
    Endless,
    /// `Content-Length: 100`, 10 bytes sent, then silence.
    Stalled,
}

/// A raw HTTP/1.1 server on loopback (wiremock buffers whole bodies and cannot stall or stream
/// without end). Returns its base URL; it serves every connection the same way.
async fn raw_server(body: Body) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(serve(socket, body));
        }
    });
    format!("http://{address}")
}

async fn serve(mut socket: TcpStream, body: Body) {
    let mut request = Vec::new();
    let mut buffer = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buffer[..n]),
        }
    }
    let piece = vec![b' '; 64 * 1024];
    match body {
        Body::Sized(len) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {len}\r\n\r\n"
            );
            if socket.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            // a JSON list padded with whitespace: valid whatever its length
            if socket.write_all(b"[").await.is_err() {
                return;
            }
            let mut left = len.saturating_sub(2);
            while left > 0 {
                let n = left.min(piece.len());
                if socket.write_all(&piece[..n]).await.is_err() {
                    return;
                }
                left -= n;
            }
            let _ = socket.write_all(b"]").await;
        }
        Body::Endless => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
            if socket.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let chunk_head = format!("{:x}\r\n", piece.len());
            loop {
                let sent = async {
                    socket.write_all(chunk_head.as_bytes()).await?;
                    socket.write_all(&piece).await?;
                    socket.write_all(b"\r\n").await
                };
                if sent.await.is_err() {
                    return;
                }
            }
        }
        Body::Stalled => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n[         ";
            if socket.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
    }
}

fn limited_client(base: &str, limit: usize) -> okta::Client {
    okta::Client::builder(base)
        .auth(Auth::ssws("t"))
        .allow_http(true)
        .max_response_body(limit)
        .build()
        .expect("client")
}

const MIB: usize = 1024 * 1024;

#[tokio::test]
async fn a_64_mib_body_over_a_1_mib_limit_is_refused_at_once() {
    let base = raw_server(Body::Sized(64 * MIB)).await;
    let client = limited_client(&base, MIB);

    let (result, took) = within(Duration::from_secs(5), client.list_factors(USER_ID).send()).await;

    let error = result.expect_err("too large");
    assert!(
        matches!(error, Error::ResponseTooLarge { limit, status: 200, .. } if limit == MIB),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("limit of 1048576 bytes"),
        "{error}"
    );
    assert!(took < Duration::from_secs(2), "took {took:?}");

    // the control: 3 MiB (`[`, whitespace, `]`) under a 4 MiB limit arrives in 64 KiB pieces
    let base = raw_server(Body::Sized(3 * MIB)).await;
    let factors = limited_client(&base, 4 * MIB)
        .list_factors(USER_ID)
        .send()
        .await
        .expect("under the limit");
    assert!(factors.is_empty());
}

#[tokio::test]
async fn an_endless_body_stops_at_the_limit() {
    let base = raw_server(Body::Endless).await;
    let client = limited_client(&base, MIB);

    let (result, took) = within(Duration::from_secs(5), client.list_factors(USER_ID).send()).await;

    assert!(
        matches!(result, Err(Error::ResponseTooLarge { .. })),
        "{result:?}"
    );
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

#[tokio::test]
async fn a_stalled_body_fails_after_the_idle_grace_period() {
    let base = raw_server(Body::Stalled).await;
    let client = okta::Client::builder(base)
        .auth(Auth::ssws("t"))
        .allow_http(true)
        .timeout(Duration::from_secs(30))
        .deadline(Duration::from_secs(60))
        .body_idle_timeout(Duration::from_millis(300))
        .retry(RetryPolicy::disabled())
        .build()
        .expect("client");

    let (result, took) = within(Duration::from_secs(5), client.list_factors(USER_ID).send()).await;

    let Err(Error::Timeout(timeout)) = result else {
        panic!("an idle timeout: {result:?}");
    };
    assert_eq!(timeout.kind, TimeoutKind::BodyIdle);
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_secs(2),
        "took {took:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------------------------

fn yubikey_page(ids: &[&str]) -> serde_json::Value {
    json!(ids
        .iter()
        .map(|id| json!({"id": id, "status": "ACTIVE", "profile": {"serial": "7886622"}}))
        .collect::<Vec<_>>())
}

#[tokio::test]
async fn a_link_back_to_the_first_page_ends_the_listing() {
    let server = MockServer::start().await;
    let base = server.uri();
    Mock::given(method("GET"))
        .and(path(YUBIKEYS))
        .and(query_param("after", "ykk1"))
        .respond_with(
            json_response(200, yubikey_page(&["ykk2"]))
                .insert_header("Link", format!("<{base}{YUBIKEYS}>; rel=\"next\"").as_str()),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(YUBIKEYS))
        .respond_with(json_response(200, yubikey_page(&["ykk1"])).insert_header(
            "Link",
            format!("<{base}{YUBIKEYS}?after=ykk1>; rel=\"next\"").as_str(),
        ))
        .with_priority(10)
        .mount(&server)
        .await;
    let client = okta_real_timer(&base, Some(Duration::from_secs(5)));

    let pages: Vec<_> = client.list_yubikey_otp_tokens().pages().collect().await;

    assert_eq!(pages.len(), 2, "{pages:?}");
    assert!(pages.iter().all(Result::is_ok), "{pages:?}");
    assert_eq!(
        received(&server).await.len(),
        2,
        "the first page is read once"
    );
}

// ---------------------------------------------------------------------------------------------
// Framing headers through the escape hatch
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn framing_and_hop_by_hop_headers_are_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(json_response(200, json!([])))
        .mount(&server)
        .await;
    let client = okta_real_timer(&server.uri(), Some(Duration::from_secs(5)));

    for name in [
        "Content-Length",
        "content-LENGTH",
        "Transfer-Encoding",
        "Host",
        "Connection",
        "Keep-Alive",
        "Proxy-Connection",
        "TE",
        "Trailer",
        "Upgrade",
    ] {
        let error = client
            .verify_factor(USER_ID, SMS_FACTOR)
            .header(name, "1")
            .body(okta::UserFactorVerifyRequest::default().pass_code("123456"))
            .send()
            .await
            .expect_err(name);
        assert!(matches!(error, Error::InvalidInput(_)), "{name}: {error:?}");
    }
    assert!(received(&server).await.is_empty(), "nothing was sent");

    // `Authorization` stays an escape hatch: configured auth replaces it, without auth it is sent
    let without_auth = okta::Client::builder(server.uri())
        .allow_http(true)
        .build()
        .expect("client");
    client
        .list_factors(USER_ID)
        .header("Authorization", "Custom abc")
        .send()
        .await
        .expect("sent");
    without_auth
        .list_factors(USER_ID)
        .header("Authorization", "Custom abc")
        .send()
        .await
        .expect("sent");
    let sent = received(&server).await;
    assert_eq!(
        header_lines(&sent[0], "authorization"),
        ["SSWS secret-token-123"]
    );
    assert_eq!(header_lines(&sent[1], "authorization"), ["Custom abc"]);
}
