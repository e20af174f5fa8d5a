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
}
