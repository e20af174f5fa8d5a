//! When to retry and how long to wait. The wait computations are pure functions of the response
//! headers and a clock reading, so they are tested without sleeping.

use std::fmt;
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

use super::rate_limit::{rate_limit_wait, retry_after, RateLimitNames, RateLimitWait};
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
        // `mul_f64` panics when the product does not fit (a policy of `Duration::MAX` rounds up
        // past it as f64); keep the unjittered wait then
        Duration::try_from_secs_f64(full.as_secs_f64() * (1.0 - 0.5 * jitter.clamp(0.0, 1.0)))
            .unwrap_or(full)
    }
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
mod tests;
