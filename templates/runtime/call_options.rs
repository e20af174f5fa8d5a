//! Settings of one call that override the client's, set with the builder's `.options()`: one
//! method, so no spec parameter named `timeout` or `retry` can ever clash with them.

use std::time::Duration;

use super::retry::RetryPolicy;

/// Per-call overrides of the client's attempt timeout, deadline and retry policy; anything
/// not set keeps the client's value.
///
/// `client.list_factors(user).options(CallOptions::new().timeout(Duration::from_secs(2)).retry(RetryPolicy::disabled()))`
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct CallOptions {
    /// `Some(None)`: no per-attempt timeout for this call.
    pub(crate) timeout: Option<Option<Duration>>,
    pub(crate) deadline: Option<Option<Duration>>,
    pub(crate) retry: Option<RetryPolicy>,
}

impl CallOptions {
    pub fn new() -> Self {
        Self::default()
    }

    /// The time one attempt may take (`None`: no limit), instead of the client's.
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = Some(timeout.into());
        self
    }

    /// The time the whole call may take, retries and waits included (`None`: no deadline),
    /// instead of the client's.
    pub fn deadline(mut self, deadline: impl Into<Option<Duration>>) -> Self {
        self.deadline = Some(deadline.into());
        self
    }

    /// The retry policy of this call, instead of the client's.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }
}
