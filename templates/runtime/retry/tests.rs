//! The retry rule and the rate-limit waits it reads, tested on fixed clocks.

use super::super::rate_limit::*;
use super::*;
use reqwest::header::HeaderValue;
use std::time::UNIX_EPOCH;

fn names(headers: &RateLimitHeaders) -> RateLimitNames {
    RateLimitNames::parse(headers).expect("valid names")
}

const OKTA: RateLimitHeaders = RateLimitHeaders {
    limit: "x-rate-limit-limit",
    remaining: "x-rate-limit-remaining",
    reset: "x-rate-limit-reset",
    clock: ResetClock::EpochSeconds,
};
const ONELOGIN: RateLimitHeaders = RateLimitHeaders {
    limit: "x-ratelimit-limit",
    remaining: "x-ratelimit-remaining",
    reset: "x-ratelimit-reset",
    clock: ResetClock::DeltaSeconds,
};

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(*name, HeaderValue::from_str(value).expect("test header"));
    }
    map
}

fn at(epoch: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(epoch)
}

fn http_date(epoch: u64) -> String {
    httpdate::fmt_http_date(at(epoch))
}

#[test]
fn okta_reset_is_measured_against_the_response_date() {
    let date = http_date(1_700_000_000);
    let ahead = headers(&[
        ("x-rate-limit-limit", "600"),
        ("x-rate-limit-reset", "1700000075"),
        ("date", &date),
    ]);
    // The local clock is an hour off: the server's Date header wins.
    let wait = rate_limit_wait(Some(&names(&OKTA)), &ahead, at(1_700_003_600));
    assert_eq!(wait, RateLimitWait::For(Duration::from_secs(76)));

    let past = headers(&[("x-rate-limit-reset", "1699999990"), ("date", &date)]);
    let wait = rate_limit_wait(Some(&names(&OKTA)), &past, at(0));
    assert_eq!(wait, RateLimitWait::For(Duration::ZERO));
}

#[test]
fn duplicated_or_joined_resets_take_the_latest() {
    let date = http_date(1_700_000_000);
    let duplicated = headers(&[
        ("x-rate-limit-reset", "1700000010"),
        ("x-rate-limit-reset", "1700000030"),
        ("date", &date),
    ]);
    let joined = headers(&[
        ("x-rate-limit-reset", "1700000030, 1700000010"),
        ("date", &date),
    ]);
    for map in [duplicated, joined] {
        let wait = rate_limit_wait(Some(&names(&OKTA)), &map, at(0));
        assert_eq!(wait, RateLimitWait::For(Duration::from_secs(31)));
    }
}

#[test]
fn concurrency_limit_backs_off_instead_of_waiting_for_the_window() {
    let map = headers(&[
        ("x-rate-limit-limit", "0"),
        ("x-rate-limit-reset", "1700000030"),
    ]);
    assert_eq!(
        rate_limit_wait(Some(&names(&OKTA)), &map, at(1_700_000_000)),
        RateLimitWait::Backoff
    );
}

#[test]
fn onelogin_reset_is_relative() {
    let map = headers(&[("x-ratelimit-reset", "12"), ("x-ratelimit-limit", "5000")]);
    assert_eq!(
        rate_limit_wait(Some(&names(&ONELOGIN)), &map, at(1_700_000_000)),
        RateLimitWait::For(Duration::from_secs(12))
    );
}

#[test]
fn retry_after_wins_in_both_forms() {
    let seconds = headers(&[("retry-after", "7"), ("x-rate-limit-reset", "1")]);
    assert_eq!(
        rate_limit_wait(Some(&names(&OKTA)), &seconds, at(0)),
        RateLimitWait::For(Duration::from_secs(7))
    );
    let later = http_date(1_700_000_020);
    let date = http_date(1_700_000_000);
    let dated = headers(&[("retry-after", &later), ("date", &date)]);
    assert_eq!(
        rate_limit_wait(None, &dated, at(0)),
        RateLimitWait::For(Duration::from_secs(20))
    );
    assert_eq!(
        rate_limit_wait(None, &HeaderMap::new(), at(0)),
        RateLimitWait::Backoff
    );
}

#[test]
fn rate_limit_keeps_the_most_restrictive_values() {
    let map = headers(&[
        ("x-rate-limit-limit", "600, 50"),
        ("x-rate-limit-remaining", "10"),
        ("x-rate-limit-remaining", "0"),
        ("x-rate-limit-reset", "junk"),
    ]);
    let limits = RateLimit::from_headers(Some(&names(&OKTA)), &map);
    assert_eq!(limits.limit, Some(50));
    assert_eq!(limits.remaining, Some(0));
    assert_eq!(limits.reset, None);
}

/// `retry_after()` reads the reset in the vendor's own clock: Okta's epoch seconds against the
/// response's `Date`, OneLogin's seconds from now; `Retry-After` wins over both.
#[test]
fn retry_after_knows_each_vendors_reset_clock() {
    let date = "Tue, 14 Nov 2023 22:13:20 GMT"; // 1_700_000_000
    let okta = headers(&[("x-rate-limit-reset", "1700000030"), ("date", date)]);
    let read = RateLimit::read(Some(&names(&OKTA)), &okta, at(0));
    assert_eq!(read.reset, Some(1_700_000_030));
    assert_eq!(read.retry_after(), Some(Duration::from_secs(31)));

    let onelogin = headers(&[("x-ratelimit-reset", "30")]);
    let read = RateLimit::read(Some(&names(&ONELOGIN)), &onelogin, at(1_700_000_000));
    assert_eq!(read.retry_after(), Some(Duration::from_secs(30)));

    let both = headers(&[
        ("x-rate-limit-reset", "1700000030"),
        ("retry-after", "5"),
        ("date", date),
    ]);
    let read = RateLimit::read(Some(&names(&OKTA)), &both, at(0));
    assert_eq!(read.retry_after(), Some(Duration::from_secs(5)));

    // a concurrency limit has no reset to wait for; no headers, no wait
    let concurrency = headers(&[
        ("x-rate-limit-limit", "0"),
        ("x-rate-limit-reset", "1700000030"),
    ]);
    assert_eq!(
        RateLimit::read(Some(&names(&OKTA)), &concurrency, at(0)).retry_after(),
        None
    );
    assert_eq!(
        RateLimit::read(None, &HeaderMap::new(), at(0)).retry_after(),
        None
    );
}

#[test]
fn backoff_doubles_caps_and_jitters_down() {
    let policy = RetryPolicy::new().backoff(Duration::from_millis(100), Duration::from_secs(1));
    assert_eq!(policy.backoff_for(1, 0.0), Duration::from_millis(100));
    assert_eq!(policy.backoff_for(3, 0.0), Duration::from_millis(400));
    assert_eq!(policy.backoff_for(10, 0.0), Duration::from_secs(1));
    assert_eq!(policy.backoff_for(2, 1.0), Duration::from_millis(100));
    assert_eq!(RetryPolicy::disabled().max_attempts, 1);
    assert_eq!(RetryPolicy::new().max_attempts(0).max_attempts, 1);
}

#[test]
fn the_largest_backoff_a_policy_can_hold_does_not_panic() {
    let policy = RetryPolicy::new().backoff(Duration::MAX, Duration::MAX);
    for jitter in [0.0, 0.5, 0.999] {
        for retry in [1, 2, 17, u32::MAX] {
            assert!(policy.backoff_for(retry, jitter) >= Duration::MAX / 2);
        }
    }
}

/// One row of the decision table: what happened, to which method, with which headers,
/// with how much time left, and the expected verdict.
struct Row {
    status: Option<u16>,
    failure: Option<&'static str>,
    method: &'static str,
    replay_safe: bool,
    headers: &'static [(&'static str, &'static str)],
    attempt: u32,
    time_left: Option<u64>,
    expect: RetryDecision,
}

const fn row(
    status: u16,
    method: &'static str,
    headers: &'static [(&'static str, &'static str)],
    time_left: Option<u64>,
    expect: RetryDecision,
) -> Row {
    Row {
        status: Some(status),
        failure: None,
        method,
        replay_safe: false,
        headers,
        attempt: 1,
        time_left,
        expect,
    }
}

const fn failure(
    kind: &'static str,
    method: &'static str,
    time_left: Option<u64>,
    expect: RetryDecision,
) -> Row {
    Row {
        status: None,
        failure: Some(kind),
        method,
        replay_safe: false,
        headers: &[],
        attempt: 1,
        time_left,
        expect,
    }
}

const fn retry(secs_ms: u64, reason: RetryReason) -> RetryDecision {
    RetryDecision::RetryAfter(Duration::from_millis(secs_ms), reason)
}

const fn give_up(reason: GiveUpReason) -> RetryDecision {
    RetryDecision::GiveUp(reason)
}

// Backoff in these rows: base 100 ms, no jitter, so retry 1 waits 100 ms.
const RA_7: &[(&str, &str)] = &[("retry-after", "7")];
const RA_HUGE: &[(&str, &str)] = &[("retry-after", "10000000000000000000")];
const RA_MAX: &[(&str, &str)] = &[("retry-after", "18446744073709551615")];
const RA_JUNK: &[(&str, &str)] = &[("retry-after", "soon")];
const RA_NEG: &[(&str, &str)] = &[("retry-after", "-5")];
const RA_DATE_PAST: &[(&str, &str)] = &[
    ("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT"),
    ("date", "Sun, 06 Nov 1994 08:50:37 GMT"),
];
const RA_DATE_AHEAD: &[(&str, &str)] = &[
    ("retry-after", "Sun, 06 Nov 1994 08:50:07 GMT"),
    ("date", "Sun, 06 Nov 1994 08:49:37 GMT"),
];
const OKTA_RESET_HUGE: &[(&str, &str)] = &[
    ("x-rate-limit-limit", "600"),
    ("x-rate-limit-reset", "10000000000000000000"),
];
const OKTA_RESET_MAX: &[(&str, &str)] = &[("x-rate-limit-reset", "18446744073709551615")];
const OKTA_CONCURRENCY: &[(&str, &str)] = &[
    ("x-rate-limit-limit", "0"),
    ("x-rate-limit-reset", "10000000000000000000"),
];
const ONELOGIN_RESET: &[(&str, &str)] = &[("x-ratelimit-reset", "12")];
const ONELOGIN_RESET_HUGE: &[(&str, &str)] = &[("x-ratelimit-reset", "18446744073709551615")];
const NONE: &[(&str, &str)] = &[];

use GiveUpReason::{AttemptsExhausted, NotReplaySafe, NotRetryable, PastDeadline, WaitTooLong};
use RetryReason::{Connect, RateLimited, ServerError, Timeout, Unavailable};

fn table() -> Vec<Row> {
    vec![
        // 429: every method, the server's wait when it gave one
        row(429, "POST", RA_7, Some(60), retry(7_000, RateLimited)),
        row(429, "GET", RA_7, Some(60), retry(7_000, RateLimited)),
        row(429, "DELETE", RA_7, None, retry(7_000, RateLimited)),
        row(429, "POST", NONE, Some(60), retry(100, RateLimited)),
        row(429, "GET", RA_JUNK, Some(60), retry(100, RateLimited)),
        row(429, "GET", RA_NEG, Some(60), retry(100, RateLimited)),
        row(429, "GET", RA_DATE_PAST, Some(60), retry(0, RateLimited)),
        row(
            429,
            "GET",
            RA_DATE_AHEAD,
            Some(60),
            retry(30_000, RateLimited),
        ),
        row(
            429,
            "POST",
            ONELOGIN_RESET,
            Some(60),
            retry(12_000, RateLimited),
        ),
        row(
            429,
            "POST",
            OKTA_CONCURRENCY,
            Some(60),
            retry(100, RateLimited),
        ),
        // 429: the wait does not fit in the time left
        row(429, "POST", RA_7, Some(7), give_up(PastDeadline)),
        row(429, "POST", RA_7, Some(3), give_up(PastDeadline)),
        row(429, "POST", NONE, Some(0), give_up(PastDeadline)),
        // 429: overflowing server waits saturate, never panic
        row(429, "GET", RA_HUGE, Some(120), give_up(PastDeadline)),
        row(429, "GET", RA_MAX, Some(120), give_up(PastDeadline)),
        row(
            429,
            "GET",
            OKTA_RESET_HUGE,
            Some(120),
            give_up(PastDeadline),
        ),
        row(429, "GET", OKTA_RESET_MAX, Some(120), give_up(PastDeadline)),
        row(
            429,
            "POST",
            ONELOGIN_RESET_HUGE,
            Some(120),
            give_up(PastDeadline),
        ),
        row(429, "GET", RA_HUGE, None, give_up(WaitTooLong)),
        row(429, "GET", ONELOGIN_RESET_HUGE, None, give_up(WaitTooLong)),
        // 503: Retry-After honoured, idempotent only
        row(503, "GET", RA_7, Some(60), retry(7_000, Unavailable)),
        row(503, "GET", NONE, Some(60), retry(100, Unavailable)),
        row(503, "POST", RA_7, Some(60), give_up(NotReplaySafe)),
        row(503, "PUT", RA_HUGE, Some(60), give_up(PastDeadline)),
        row(503, "GET", RA_HUGE, None, give_up(WaitTooLong)),
        // other server errors: backoff, idempotent only, Retry-After not a reason to wait
        row(500, "GET", RA_7, Some(60), retry(100, ServerError)),
        row(502, "DELETE", NONE, Some(60), retry(100, ServerError)),
        row(504, "PUT", NONE, None, retry(100, ServerError)),
        row(500, "POST", NONE, Some(60), give_up(NotReplaySafe)),
        row(504, "POST", NONE, Some(60), give_up(NotReplaySafe)),
        row(500, "GET", NONE, Some(0), give_up(PastDeadline)),
        // final statuses
        row(200, "GET", RA_7, Some(60), give_up(NotRetryable)),
        row(204, "POST", NONE, Some(60), give_up(NotRetryable)),
        row(400, "POST", RA_7, Some(60), give_up(NotRetryable)),
        row(401, "GET", NONE, Some(60), give_up(NotRetryable)),
        row(404, "GET", NONE, Some(60), give_up(NotRetryable)),
        row(501, "GET", NONE, Some(60), give_up(NotRetryable)),
        // transport failures
        failure("connect", "POST", Some(60), retry(100, Connect)),
        failure("connect", "GET", Some(0), give_up(PastDeadline)),
        failure("timeout", "GET", Some(60), retry(100, Timeout)),
        failure("timeout", "POST", Some(60), give_up(NotReplaySafe)),
        failure("failed", "GET", Some(60), give_up(NotRetryable)),
        // the token POST (client credentials) is replay safe
        Row {
            replay_safe: true,
            ..row(503, "POST", RA_7, Some(60), retry(7_000, Unavailable))
        },
        Row {
            replay_safe: true,
            ..row(500, "POST", NONE, Some(60), retry(100, ServerError))
        },
        Row {
            replay_safe: true,
            ..failure("timeout", "POST", Some(60), retry(100, Timeout))
        },
        // attempts spent
        Row {
            attempt: 4,
            ..row(429, "GET", RA_7, Some(60), give_up(AttemptsExhausted))
        },
        Row {
            attempt: 4,
            ..failure("connect", "GET", None, give_up(AttemptsExhausted))
        },
        Row {
            attempt: 3,
            ..row(503, "GET", NONE, Some(60), retry(100, Unavailable))
        },
    ]
}

#[test]
fn retry_decision_table() {
    let policy = RetryPolicy::new().backoff(Duration::from_millis(100), Duration::from_secs(1));
    let okta = names(&OKTA);
    let onelogin = names(&ONELOGIN);
    let rows = table();
    assert!(rows.len() >= 30);
    for (i, row) in rows.iter().enumerate() {
        let map = headers(row.headers);
        let outcome = match (row.status, row.failure) {
            (Some(status), _) => AttemptOutcome::Response {
                status,
                headers: &map,
            },
            (None, Some("connect")) => AttemptOutcome::ConnectFailed,
            (None, Some("timeout")) => AttemptOutcome::TimedOut,
            _ => AttemptOutcome::Failed,
        };
        let method = reqwest::Method::from_bytes(row.method.as_bytes()).expect("method");
        let vendor = if row
            .headers
            .iter()
            .any(|(n, _)| n.starts_with("x-ratelimit"))
        {
            &onelogin
        } else {
            &okta
        };
        let input = RetryInput {
            outcome,
            method: &method,
            replay_safe: row.replay_safe,
            attempt: row.attempt,
            retries: 0,
            time_left: row.time_left.map(Duration::from_secs),
            now: at(1_700_000_000),
            jitter: 0.0,
        };
        assert_eq!(
            decide_retry(&policy, Some(vendor), &input),
            row.expect,
            "row {i}: {:?} {:?} {} {:?} left {:?}",
            row.status,
            row.failure,
            row.method,
            row.headers,
            row.time_left
        );
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    /// No header value, however long, negative, dated or malformed, makes the wait
    /// computation or the decision panic, and no wait reaches past the time left.
    #[test]
    fn server_waits_never_panic_nor_pass_the_deadline(
        retry_after in proptest::option::of(any_header_text()),
        reset in proptest::option::of(any_header_text()),
        limit in proptest::option::of(any_header_text()),
        date in proptest::option::of(any_header_text()),
        now in 0u64..=u64::MAX / 2,
        left in proptest::option::of(0u64..=u64::MAX),
        status in proptest::sample::select(vec![429u16, 503, 500, 200]),
        onelogin in proptest::bool::ANY,
    ) {
        let mut map = HeaderMap::new();
        let (limit_name, reset_name, vendor) = if onelogin {
            ("x-ratelimit-limit", "x-ratelimit-reset", names(&ONELOGIN))
        } else {
            ("x-rate-limit-limit", "x-rate-limit-reset", names(&OKTA))
        };
        for (name, value) in [
            ("retry-after", &retry_after),
            (reset_name, &reset),
            (limit_name, &limit),
            ("date", &date),
        ] {
            if let Some(value) = value.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
                map.append(name, value);
            }
        }
        let now = UNIX_EPOCH.checked_add(Duration::from_secs(now)).unwrap_or(UNIX_EPOCH);
        let _ = rate_limit_wait(Some(&vendor), &map, now);
        let time_left = left.map(Duration::from_millis);
        let input = RetryInput {
            outcome: AttemptOutcome::Response { status, headers: &map },
            method: &reqwest::Method::GET,
            replay_safe: false,
            attempt: 1,
            retries: 0,
            time_left,
            now,
            jitter: 0.5,
        };
        if let RetryDecision::RetryAfter(wait, _) = decide_retry(&RetryPolicy::new(), Some(&vendor), &input) {
            match time_left {
                Some(left) => proptest::prop_assert!(wait < left),
                None => proptest::prop_assert!(wait <= MAX_SERVER_WAIT_WITHOUT_DEADLINE.max(RetryPolicy::new().max_backoff)),
            }
        }
    }
}

/// Header text as servers might send it: numbers of every size (also signed, fractional,
/// padded, comma-joined), HTTP dates of any year, and arbitrary printable text.
fn any_header_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop_oneof![
        any::<u64>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        "[0-9]{15,40}",
        "[ ]{0,3}[0-9]{1,25}(\\.[0-9]{1,5})?[ ]{0,3}",
        "[0-9]{1,22}, ?[0-9]{1,22}",
        "(Mon|Sun|Fri), [0-9]{2} (Jan|Nov|Dec) [0-9]{4,5} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT",
        "[ -~]{0,40}",
    ]
}
