//! The client under load against a loopback server that rate-limits like Okta: a bucket of
//! 100 requests per one-second window per endpoint, `X-Rate-Limit-Limit/Remaining/Reset` and
//! `Date` on every answer, 429 when the bucket is empty.
//!
//! 1,000 concurrent calls (500 `get_factor`, 500 `list_factors`, two buckets) run through the
//! real `okta::Client` twice at the same time, once with the rate-limit gate and once without.
//! Every call must succeed. With the gate, the 429s after the first limit answer stay within
//! 2 per bucket reset, plus the calls already in flight when the client saw that answer.
//!
//! Settings (both clients): up to 12 attempts, deadline 60 s. Without the gate every refused
//! call retries once per window, so the last ones need 5 or 6 attempts; the default 4 would
//! fail them. The gated client's held waits spend no attempt.

#[path = "support/common.rs"]
mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use idp_mfa::runtime::RetryPolicy;
use idp_mfa::{okta, Auth};
use serde_json::json;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use common::LogBuffer;

const BUCKET: u64 = 100;
const CALLS_PER_ENDPOINT: usize = 500;
const USER_ID: &str = "00u1abcd2EFGHIJ3k4l5";

/// One endpoint's bucket and what the server saw of it.
#[derive(Debug, Default, Clone)]
struct Bucket {
    /// The window (epoch second) the bucket counts, and the requests it took in it.
    window: Option<u64>,
    used: u64,
    /// Windows after the first one in which the endpoint was called: the bucket resets the
    /// client made use of.
    resets: u64,
    answers: u64,
    refused: u64,
    /// 429s to repeated attempts (`X-Okta-Retry-Count`): what a herd of retries meets.
    refused_retries: u64,
    /// Answers sent up to and including the first limit answer (a 429 or `Remaining: 0`).
    answers_to_first_limit: Option<u64>,
}

/// The Okta-like limiter, per endpoint (method and path template).
#[derive(Debug, Default, Clone)]
struct Limiter(Arc<Mutex<HashMap<&'static str, Bucket>>>);

impl Respond for Limiter {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let now = SystemTime::now();
        let second = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let endpoint = if request.url.path().ends_with("/factors") {
            "GET /api/v1/users/{userId}/factors"
        } else {
            "GET /api/v1/users/{userId}/factors/{factorId}"
        };
        let mut buckets = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let bucket = buckets.entry(endpoint).or_default();
        if bucket.window != Some(second) {
            if bucket.window.is_some() {
                bucket.resets += 1;
            }
            bucket.window = Some(second);
            bucket.used = 0;
        }
        bucket.answers += 1;
        let allowed = bucket.used < BUCKET;
        if allowed {
            bucket.used += 1;
        } else {
            bucket.refused += 1;
            if request.headers.contains_key("x-okta-retry-count") {
                bucket.refused_retries += 1;
            }
        }
        let remaining = BUCKET - bucket.used;
        if (!allowed || remaining == 0) && bucket.answers_to_first_limit.is_none() {
            bucket.answers_to_first_limit = Some(bucket.answers);
        }
        let response = if !allowed {
            ResponseTemplate::new(429).set_body_json(json!({
                "errorCode": "E0000047",
                "errorSummary": "API call exceeded rate limit due to too many requests.",
                "errorCauses": []
            }))
        } else if endpoint.ends_with("/factors") {
            ResponseTemplate::new(200).set_body_json(json!([]))
        } else {
            ResponseTemplate::new(200).set_body_json(json!({
                "id": "sms1xyz", "factorType": "sms", "provider": "OKTA", "status": "ACTIVE",
                "profile": {"phoneNumber": "+1-555-415-1337"}
            }))
        };
        response
            .insert_header("X-Rate-Limit-Limit", BUCKET.to_string())
            .insert_header("X-Rate-Limit-Remaining", remaining.to_string())
            .insert_header("X-Rate-Limit-Reset", (second + 1).to_string())
            .insert_header("Date", httpdate::fmt_http_date(now))
    }
}

/// What one run of 1,000 calls saw.
#[derive(Debug)]
struct Run {
    elapsed: Duration,
    failed: Vec<String>,
    buckets: Vec<Bucket>,
}

impl Run {
    fn refused(&self) -> u64 {
        self.buckets.iter().map(|b| b.refused).sum()
    }

    fn refused_retries(&self) -> u64 {
        self.buckets.iter().map(|b| b.refused_retries).sum()
    }

    fn resets(&self) -> u64 {
        self.buckets.iter().map(|b| b.resets).sum()
    }

    /// The calls not answered when the server sent each bucket's first limit answer, that one
    /// included: every call starts at once, so this is at least what was in flight when the
    /// client read it.
    fn unanswered_at_first_limit(&self) -> u64 {
        self.buckets
            .iter()
            .map(|b| {
                let before = b.answers_to_first_limit.map_or(0, |n| n.saturating_sub(1));
                CALLS_PER_ENDPOINT as u64 - before
            })
            .sum()
    }
}

/// Runs the calls; the server is handed back to be dropped once both runs are over (wiremock
/// checks its expectations on drop, which can stall while the other run's server is busy).
async fn run(gate: bool) -> (Run, MockServer) {
    let limiter = Limiter::default();
    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    Mock::given(wiremock::matchers::method("GET"))
        .respond_with(limiter.clone())
        .mount(&server)
        .await;
    let client = okta::Client::builder(server.uri())
        .auth(Auth::ssws("test-token"))
        .allow_http(true)
        .retry(RetryPolicy::new().max_attempts(12).rate_limit_gate(gate))
        .deadline(Duration::from_secs(60))
        .build()
        .expect("a client for the loopback server");
    let started = Instant::now();
    let mut calls = Vec::with_capacity(2 * CALLS_PER_ENDPOINT);
    for index in 0..CALLS_PER_ENDPOINT {
        // clones share the gate, as the clones of an application's client do
        let (one, all) = (client.clone(), client.clone());
        calls.push(tokio::spawn(async move {
            one.get_factor(USER_ID, format!("sms{index}"))
                .send()
                .await
                .map(drop)
        }));
        calls.push(tokio::spawn(async move {
            all.list_factors(USER_ID).send().await.map(drop)
        }));
    }
    let mut failed = Vec::new();
    for call in calls {
        match call.await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => failed.push(error.to_string()),
            Err(join) => failed.push(join.to_string()),
        }
    }
    let elapsed = started.elapsed();
    let buckets = limiter
        .0
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .values()
        .cloned()
        .collect();
    let run = Run {
        elapsed,
        failed,
        buckets,
    };
    (run, server)
}

/// The gate's own log line for each bucket's first limit answer names the calls in flight.
fn logs() -> &'static LogBuffer {
    static LOGS: OnceLock<LogBuffer> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = LogBuffer::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::INFO)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        // the only test of this binary: nothing else installs one
        let _ = tracing::subscriber::set_global_default(subscriber);
        logs
    })
}

/// `calls_in_flight` of each bucket's first closure, summed.
fn in_flight_at_first_limit(logs: &LogBuffer) -> Option<u64> {
    let text = logs.text();
    let firsts: Vec<u64> = text
        .lines()
        .filter(|line| line.contains("rate limit reached") && line.contains("first=true"))
        // this load's two endpoints, not the other test's
        .filter(|line| !line.contains("/transactions/"))
        .filter_map(|line| {
            let (_, rest) = line.split_once("calls_in_flight=")?;
            rest.split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse()
                .ok()
        })
        .collect();
    (firsts.len() == 2).then(|| firsts.iter().sum())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_against_an_okta_like_limit_all_succeed() {
    let logs = logs();
    let ((gated, gated_server), (ungated, ungated_server)) = tokio::join!(run(true), run(false));
    drop((gated_server, ungated_server));

    let in_flight = in_flight_at_first_limit(logs).expect("the gate logs each first limit answer");
    let gated_bound = 2 * gated.resets() + in_flight;
    let ungated_bound = 2 * ungated.resets() + ungated.unanswered_at_first_limit();
    eprintln!(
        "rate-limit load: {} calls per run over 2 endpoints, bucket {BUCKET}/s each",
        2 * CALLS_PER_ENDPOINT
    );
    eprintln!(
        "  gate on : {:>5.1} s, failed {}, 429s {} ({} to retries), bucket resets {}, in flight at first limit answer {} (client) / {} (server, unanswered), bound 2x{}+{} = {}",
        gated.elapsed.as_secs_f64(),
        gated.failed.len(),
        gated.refused(),
        gated.refused_retries(),
        gated.resets(),
        in_flight,
        gated.unanswered_at_first_limit(),
        gated.resets(),
        in_flight,
        gated_bound,
    );
    eprintln!(
        "  gate off: {:>5.1} s, failed {}, 429s {} ({} to retries), bucket resets {}, unanswered at first limit answer {}, bound 2x{}+{} = {}",
        ungated.elapsed.as_secs_f64(),
        ungated.failed.len(),
        ungated.refused(),
        ungated.refused_retries(),
        ungated.resets(),
        ungated.unanswered_at_first_limit(),
        ungated.resets(),
        ungated.unanswered_at_first_limit(),
        ungated_bound,
    );

    for (name, run) in [("gated", &gated), ("ungated", &ungated)] {
        assert!(
            run.failed.is_empty(),
            "{name}: {} calls failed, first: {:?}",
            run.failed.len(),
            run.failed.first()
        );
        let answered: u64 = run.buckets.iter().map(|b| b.answers - b.refused).sum();
        assert_eq!(
            answered,
            2 * CALLS_PER_ENDPOINT as u64,
            "{name}: no call lost"
        );
    }
    assert!(
        gated.refused() <= gated_bound,
        "with the gate: {} 429s, bound {gated_bound}",
        gated.refused()
    );
    // the calls refused in the first burst come back metered, not as a herd
    assert!(
        gated.refused_retries() <= 2 * gated.resets(),
        "with the gate: {} 429s to retries over {} resets",
        gated.refused_retries(),
        gated.resets()
    );
    // Without the gate the figures are reported, not asserted: how many calls meet each reset
    // depends on how the burst spreads over the windows on a loaded machine.
}

/// A sibling call to an endpoint whose bucket is empty until after the call's deadline fails at
/// once with the deadline error, without a request; with the gate off it is sent and refused.
#[tokio::test]
async fn a_held_call_whose_deadline_comes_first_fails_at_once_without_a_request() {
    let path = "/api/v1/users/00u1/factors/sms1/transactions/tx1";
    for gate in [true, false] {
        let server = MockServer::start().await;
        let now = common::now_epoch();
        Mock::given(wiremock::matchers::path(path))
            .respond_with(common::rate_limited(now, now + 30, "req-limited"))
            .mount(&server)
            .await;
        let client = okta::Client::builder(server.uri())
            .auth(Auth::ssws("test-token"))
            .allow_http(true)
            .retry(RetryPolicy::new().rate_limit_gate(gate))
            .deadline(Duration::from_secs(5))
            .build()
            .expect("client");
        let call = || {
            client
                .get_factor_transaction_status("00u1", "sms1", "tx1")
                .send()
        };
        // the first call learns the bucket is empty for 31 s: past its deadline, no retry
        let first = call().await.expect_err("rate limited");
        assert!(
            matches!(&first, idp_mfa::Error::Api(api) if api.status == 429),
            "{first:?}"
        );

        let started = Instant::now();
        let second = call().await.expect_err("still limited");
        let requests = server.received_requests().await.map_or(0, |r| r.len());
        if gate {
            match &second {
                idp_mfa::Error::Timeout(timeout) => {
                    assert_eq!(timeout.kind, idp_mfa::runtime::TimeoutKind::Deadline);
                    assert_eq!(timeout.attempts, 0, "the held wait is no attempt");
                }
                other => panic!("expected the deadline error, got {other:?}"),
            }
            assert!(started.elapsed() < Duration::from_secs(1), "failed at once");
            assert_eq!(requests, 1, "the held call sent nothing");
        } else {
            assert!(matches!(&second, idp_mfa::Error::Api(api) if api.status == 429));
            assert_eq!(requests, 2, "without the gate the call is sent");
        }
    }
}
