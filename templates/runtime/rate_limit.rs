//! Rate-limit headers: the names a vendor uses, the numbers one response carries and how long
//! a 429 asks to wait. Pure functions of the headers and a clock reading; a leaf module (the
//! error type carries a [`RateLimit`], so nothing here may depend on it).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderName};

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
    /// Fails with the first name that is not a valid header name (the caller reports it: this
    /// module sits below the error type, which carries a [`RateLimit`]).
    pub(crate) fn parse(headers: &RateLimitHeaders) -> Result<Self, &'static str> {
        let name = |text: &'static str| HeaderName::from_bytes(text.as_bytes()).map_err(|_| text);
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
    /// As sent: epoch seconds or seconds from now, per the vendor's [`ResetClock`]. Read it
    /// through [`RateLimit::retry_after`], which knows the vendor's clock.
    pub reset: Option<u64>,
    /// The wait the response asked for, decided when it was read (see `retry_after`).
    wait: Option<Duration>,
}

impl RateLimit {
    /// How long the server asks a caller to wait, measured from when the response was read:
    /// `Retry-After` when sent, else the time until the rate-limit window resets, whichever
    /// clock the vendor counts in (Okta sends epoch seconds, OneLogin seconds from now; an
    /// epoch reset is compared with the response's `Date`, the server's clock). `None` when
    /// the response says neither, or is a concurrency limit (`limit: 0`), which has no reset.
    pub fn retry_after(&self) -> Option<Duration> {
        self.wait
    }

    /// The headers of a response read at `now` (the local clock, used only when the response
    /// has no `Date`).
    pub(crate) fn read(
        names: Option<&RateLimitNames>,
        headers: &HeaderMap,
        now: SystemTime,
    ) -> Self {
        let mut limits = Self::from_headers(names, headers);
        limits.wait = match rate_limit_wait(names, headers, now) {
            RateLimitWait::For(wait) => Some(wait),
            RateLimitWait::Backoff => None,
        };
        limits
    }

    pub(crate) fn from_headers(names: Option<&RateLimitNames>, headers: &HeaderMap) -> Self {
        let Some(names) = names else {
            return Self::default();
        };
        Self {
            limit: numbers(headers, &names.limit).min(),
            remaining: numbers(headers, &names.remaining).min(),
            reset: numbers(headers, &names.reset).max(),
            wait: None,
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
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
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
