//! When to retry and how long to wait. The wait computations are pure functions of the response
//! headers and a clock reading, so they are tested without sleeping.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderName};

use super::BoxFuture;

/// Retry settings of a client.
///
/// Rate-limited responses (429) are retried for every method: the server did not act on them.
/// Server errors (500, 502, 503, 504) and timeouts are retried only for idempotent methods, so a
/// factor `POST` is never replayed (it could send the user a second SMS). A connection that could
/// not be opened is retried for every method: nothing was sent.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    pub(crate) max_attempts: u32,
    pub(crate) base_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) rate_limit_gate: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            rate_limit_gate: true,
        }
    }
}

impl RetryPolicy {
    /// Up to 4 attempts, backoff from 200 ms doubling to 5 s, with jitter.
    pub fn new() -> Self {
        Self::default()
    }

    /// One attempt, no retries.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Attempts per call, the first one included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Backoff for server errors, timeouts and concurrency-limit 429s: `base` doubled per retry,
    /// capped at `max`, then jittered down by up to half.
    pub fn backoff(mut self, base: Duration, max: Duration) -> Self {
        self.base_backoff = base;
        self.max_backoff = max.max(base);
        self
    }

    /// Whether calls to an endpoint whose rate-limit bucket is empty (a 429, or a response with
    /// no requests remaining) wait for the window to reset before they are sent (default: on).
    /// The gate is shared by the clones of a client; turned off, every call is sent at once
    /// and each one that is refused waits on its own.
    pub fn rate_limit_gate(mut self, on: bool) -> Self {
        self.rate_limit_gate = on;
        self
    }

    /// The jittered exponential backoff before retry number `retry` (1-based). `jitter` is a
    /// random number in `[0, 1)`.
    pub(crate) fn backoff_for(&self, retry: u32, jitter: f64) -> Duration {
        let exponent = retry.saturating_sub(1).min(16);
        let full = self
            .base_backoff
            .saturating_mul(1u32 << exponent)
            .min(self.max_backoff);
        full.mul_f64(1.0 - 0.5 * jitter.clamp(0.0, 1.0))
    }
}

/// How a vendor's rate-limit reset header counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResetClock {
    /// Unix time, in seconds, at which the window resets (Okta `X-Rate-Limit-Reset`).
    EpochSeconds,
    /// Seconds from now until the window resets (OneLogin `X-RateLimit-Reset`).
    DeltaSeconds,
}

/// The names of a vendor's rate-limit headers (from the provider config).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitHeaders {
    pub limit: &'static str,
    pub remaining: &'static str,
    pub reset: &'static str,
    pub clock: ResetClock,
}

/// [`RateLimitHeaders`] parsed into header names once per client: a lookup by a `&str` name
/// parses the name again on every response.
#[derive(Debug, Clone)]
pub(crate) struct RateLimitNames {
    limit: HeaderName,
    remaining: HeaderName,
    reset: HeaderName,
    clock: ResetClock,
}

impl RateLimitNames {
    pub(crate) fn parse(headers: &RateLimitHeaders) -> Result<Self, super::Error> {
        let name = super::client::header_name;
        Ok(Self {
            limit: name(headers.limit)?,
            remaining: name(headers.remaining)?,
            reset: name(headers.reset)?,
            clock: headers.clock,
        })
    }
}

/// The rate-limit headers of one response, as numbers. Where a header is repeated or
/// comma-joined (Okta does this when several limits apply) the most restrictive value is kept:
/// the lowest limit and remaining count, the latest reset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct RateLimit {
    pub limit: Option<u64>,
    pub remaining: Option<u64>,
    /// As sent: epoch seconds or seconds from now, per the vendor's [`ResetClock`].
    pub reset: Option<u64>,
}

impl RateLimit {
    pub(crate) fn from_headers(names: Option<&RateLimitNames>, headers: &HeaderMap) -> Self {
        let Some(names) = names else {
            return Self::default();
        };
        Self {
            limit: numbers(headers, &names.limit).min(),
            remaining: numbers(headers, &names.remaining).min(),
            reset: numbers(headers, &names.reset).max(),
        }
    }
}

/// Every number in every line of header `name` (lines may be comma-joined).
fn numbers<'a>(headers: &'a HeaderMap, name: &HeaderName) -> impl Iterator<Item = u64> + 'a {
    headers
        .get_all(name)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|line| line.split(','))
        .filter_map(|item| item.trim().parse::<u64>().ok())
}

/// What to do about a 429.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RateLimitWait {
    /// Wait this long: the server said when the window resets.
    For(Duration),
    /// A concurrency limit (`limit: 0`) or no usable reset: back off briefly, with jitter.
    Backoff,
}

/// The wait before retrying a 429, from its headers. `now` is the local clock, used only when the
/// response has no `Date` header (the server's clock is the one its reset time refers to).
pub(crate) fn rate_limit_wait(
    names: Option<&RateLimitNames>,
    headers: &HeaderMap,
    now: SystemTime,
) -> RateLimitWait {
    if let Some(wait) = retry_after(headers, now) {
        return RateLimitWait::For(wait);
    }
    let Some(names) = names else {
        return RateLimitWait::Backoff;
    };
    let limits = RateLimit::from_headers(Some(names), headers);
    if limits.limit == Some(0) {
        return RateLimitWait::Backoff;
    }
    let Some(reset) = limits.reset else {
        return RateLimitWait::Backoff;
    };
    match names.clock {
        ResetClock::DeltaSeconds => RateLimitWait::For(Duration::from_secs(reset)),
        ResetClock::EpochSeconds => {
            let server_now = date(headers).unwrap_or(now);
            let server_secs = server_now
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            // One second more than the difference: both clocks have whole-second precision.
            let wait = match reset.checked_sub(server_secs) {
                Some(ahead) => ahead.saturating_add(1),
                None => 0,
            };
            RateLimitWait::For(Duration::from_secs(wait))
        }
    }
}

/// `Retry-After`, in delta seconds or as an HTTP date.
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(text).ok()?;
    let server_now = date(headers).unwrap_or(now);
    Some(at.duration_since(server_now).unwrap_or(Duration::ZERO))
}

fn date(headers: &HeaderMap) -> Option<SystemTime> {
    let text = headers.get(reqwest::header::DATE)?.to_str().ok()?;
    httpdate::parse_http_date(text).ok()
}

/// The longest wait a server may ask for when the call has no deadline. Past it the call gives
/// up with the response: a `Retry-After` of hours (or 1e19 seconds) is better reported than
/// slept through.
pub(crate) const MAX_SERVER_WAIT_WITHOUT_DEADLINE: Duration = Duration::from_secs(15 * 60);

/// What happened to one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy)]
pub(crate) enum AttemptOutcome<'a> {
    /// A response arrived (its body read or not).
    Response { status: u16, headers: &'a HeaderMap },
    /// The connection could not be opened: nothing was sent.
    ConnectFailed,
    /// The attempt timed out (sending, waiting, or a body that stopped arriving): the server
    /// may have acted on the request.
    TimedOut,
    /// Any other failure after the request may have left (reset, malformed response, a body
    /// over the size limit): not retried.
    Failed,
}

/// Everything [`decide_retry`] looks at, so the decision is a pure function.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RetryInput<'a> {
    pub(crate) outcome: AttemptOutcome<'a>,
    pub(crate) method: &'a reqwest::Method,
    /// True when replaying the request cannot repeat a side effect although its method is not
    /// idempotent: a client-credentials token `POST` only issues another token.
    pub(crate) replay_safe: bool,
    /// The attempt that just ended, 1-based (attempts the auth hook asked for included).
    pub(crate) attempt: u32,
    /// Policy retries made so far (the backoff grows with them).
    pub(crate) retries: u32,
    /// Time until the call's deadline; `None` when the call has none.
    pub(crate) time_left: Option<Duration>,
    /// The local clock, for reset times given as dates when the response has no `Date`.
    pub(crate) now: SystemTime,
    /// A random number in `[0, 1)` for the backoff jitter.
    pub(crate) jitter: f64,
}

/// Why an attempt is repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryReason {
    /// 429: the server did not act on the request.
    RateLimited,
    /// 503: the service is unavailable (its `Retry-After` is honoured).
    Unavailable,
    /// 500, 502, 504.
    ServerError,
    Timeout,
    Connect,
}

/// Why the last attempt's outcome is final.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GiveUpReason {
    /// A success, or a status / failure that another attempt would not change.
    NotRetryable,
    /// Retryable for idempotent requests only, and this one is not.
    NotReplaySafe,
    /// The policy's attempts are spent.
    AttemptsExhausted,
    /// The wait would end at or after the deadline.
    PastDeadline,
    /// No deadline, and the server asked for more than [`MAX_SERVER_WAIT_WITHOUT_DEADLINE`].
    WaitTooLong,
}

/// The verdict on one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryDecision {
    RetryAfter(Duration, RetryReason),
    GiveUp(GiveUpReason),
}

/// The one retry rule of the crate, for API calls and token requests alike.
///
/// 429 is retried for every method (the server did not act), after the server's `Retry-After`
/// or rate-limit reset, else a jittered backoff; 503 after its `Retry-After`, else a backoff;
/// 500/502/503/504 and timeouts only when replaying is safe; a connection that could not be
/// opened for every method. Server-given waits saturate (a reset of 1e19 s is a very long
/// wait, never an overflow) and a wait that would not end before the deadline is not started.
pub(crate) fn decide_retry(
    policy: &RetryPolicy,
    rate_limit: Option<&RateLimitNames>,
    input: &RetryInput<'_>,
) -> RetryDecision {
    let replay_safe = input.replay_safe || is_idempotent(input.method);
    let backoff = || policy.backoff_for(input.retries.saturating_add(1), input.jitter);
    let (wait, reason, from_server) = match input.outcome {
        AttemptOutcome::Response {
            status: 429,
            headers,
        } => match rate_limit_wait(rate_limit, headers, input.now) {
            RateLimitWait::For(wait) => (wait, RetryReason::RateLimited, true),
            RateLimitWait::Backoff => (backoff(), RetryReason::RateLimited, false),
        },
        AttemptOutcome::Response { status, headers } => {
            if !matches!(status, 500 | 502 | 503 | 504) {
                return RetryDecision::GiveUp(GiveUpReason::NotRetryable);
            }
            if !replay_safe {
                return RetryDecision::GiveUp(GiveUpReason::NotReplaySafe);
            }
            match retry_after(headers, input.now) {
                Some(wait) if status == 503 => (wait, RetryReason::Unavailable, true),
                _ if status == 503 => (backoff(), RetryReason::Unavailable, false),
                _ => (backoff(), RetryReason::ServerError, false),
            }
        }
        AttemptOutcome::ConnectFailed => (backoff(), RetryReason::Connect, false),
        AttemptOutcome::TimedOut if replay_safe => (backoff(), RetryReason::Timeout, false),
        AttemptOutcome::TimedOut => return RetryDecision::GiveUp(GiveUpReason::NotReplaySafe),
        AttemptOutcome::Failed => return RetryDecision::GiveUp(GiveUpReason::NotRetryable),
    };
    if input.attempt >= policy.max_attempts {
        return RetryDecision::GiveUp(GiveUpReason::AttemptsExhausted);
    }
    match input.time_left {
        // a wait that ends exactly at the deadline leaves no time for the attempt
        Some(left) if wait >= left => RetryDecision::GiveUp(GiveUpReason::PastDeadline),
        None if from_server && wait > MAX_SERVER_WAIT_WITHOUT_DEADLINE => {
            RetryDecision::GiveUp(GiveUpReason::WaitTooLong)
        }
        _ => RetryDecision::RetryAfter(wait, reason),
    }
}

/// Methods whose replay has the same effect as one request (RFC 9110 section 9.2.2).
pub(crate) fn is_idempotent(method: &reqwest::Method) -> bool {
    use reqwest::Method;
    [
        Method::GET,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
    ]
    .contains(method)
}

/// Waits between attempts. The default sleeps on the tokio timer; tests inject one that records
/// the waits and returns at once.
pub trait Sleeper: Send + Sync + fmt::Debug {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

/// Sleeps with `tokio::time::sleep`.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleeper;

impl Sleeper for TokioSleeper {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

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
}
