//! Okta push verification: send the push challenge, then poll its transaction until the user
//! answers.
//!
//! Hand-written on top of the generated [`verify_factor`](super::Client::verify_factor) call
//! and copied into the generated crate (see `extensions` in `specs/okta.toml`).
//!
//! ```no_run
//! # async fn demo(okta: idp_mfa::okta::Client) -> Result<(), idp_mfa::Error> {
//! use idp_mfa::okta::push::{self, PollOptions, PushResult, PushStart};
//!
//! let request = okta
//!     .verify_factor("00u1abc", "opf1xyz")
//!     .x_forwarded_for("203.0.113.7")
//!     .user_agent("Mozilla/5.0 (end user's browser)");
//! match push::start(request).await? {
//!     PushStart::Waiting(challenge) => {
//!         if let Some(number) = challenge.correct_answer() {
//!             println!("tap {number} in Okta Verify");
//!         }
//!         let outcome = challenge.wait(&okta, PollOptions::default()).await?;
//!         assert_eq!(outcome.result, PushResult::Success);
//!     }
//!     PushStart::Done(outcome) => println!("finished at once: {:?}", outcome.result),
//! }
//! # Ok(())
//! # }
//! ```

use std::time::Duration;

use tokio::time::Instant;

use super::builders::VerifyFactor;
use super::models::{UserFactorPushTransaction, VerifyFactorResponse};
use crate::runtime::{Error, RequestParts, TimeoutError, TimeoutKind};

const POLL_OPERATION: &str = "getFactorTransactionStatus";
const POLL_TEMPLATE: &str =
    "/api/v1/users/{userId}/factors/{factorId}/transactions/{transactionId}";

/// How the user answered.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PushResult {
    Success,
    Rejected,
    /// The user did not answer before Okta gave up on the challenge.
    Timeout,
    /// A `factorResult` this crate does not know, as sent.
    Other(String),
}

/// The end of a push verification.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PushOutcome {
    pub result: PushResult,
    /// The last response body, unchanged.
    pub raw: serde_json::Value,
    /// How many times the transaction was polled.
    pub polls: u32,
}

impl PushOutcome {
    /// The last response as the generated transaction type.
    pub fn transaction(&self) -> Result<UserFactorPushTransaction, serde_json::Error> {
        serde_json::from_value(self.raw.clone())
    }
}

/// What the verify call answered.
#[derive(Debug, Clone)]
pub enum PushStart {
    /// The challenge is on the user's device; poll it with [`PushChallenge::wait`].
    Waiting(PushChallenge),
    /// Okta decided at once (HTTP 200).
    Done(PushOutcome),
}

/// A push challenge waiting for the user.
#[derive(Debug, Clone)]
pub struct PushChallenge {
    poll_url: String,
    correct_answer: Option<i64>,
    expires_at: Option<String>,
    raw: serde_json::Value,
}

impl PushChallenge {
    /// The number the user must pick in Okta Verify (number matching), when Okta asked for one.
    pub fn correct_answer(&self) -> Option<i64> {
        self.correct_answer
    }

    /// The transaction's `_links.poll.href`, exactly as Okta sent it.
    pub fn poll_url(&self) -> &str {
        &self.poll_url
    }

    /// When the challenge expires (`expiresAt`, as sent).
    pub fn expires_at(&self) -> Option<&str> {
        self.expires_at.as_deref()
    }

    /// The verify response body, unchanged.
    pub fn raw(&self) -> &serde_json::Value {
        &self.raw
    }
}

/// Polling pace and patience.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollOptions {
    /// Wait between polls (default 4 s).
    pub interval: Duration,
    /// Give up after this long (default 5 minutes, Okta's push lifetime).
    pub deadline: Duration,
}

impl Default for PollOptions {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(4),
            deadline: Duration::from_secs(300),
        }
    }
}

/// Sends the push challenge. Build `request` with [`Client::verify_factor`](super::Client::verify_factor)
/// and no body; forward the end user's `X-Forwarded-For`, `User-Agent` and `Accept-Language` on
/// it, as Okta's risk checks expect.
pub async fn start(request: VerifyFactor) -> Result<PushStart, Error> {
    match request.send().await? {
        VerifyFactorResponse::Created(waiting) => {
            let raw = serde_json::to_value(&waiting).map_err(|e| {
                Error::Protocol(format!("verify response cannot be re-encoded: {e}"))
            })?;
            let poll_url = poll_href(&raw).ok_or_else(|| {
                Error::Protocol("push challenge without a `_links.poll.href`".to_owned())
            })?;
            Ok(PushStart::Waiting(PushChallenge {
                poll_url,
                correct_answer: correct_answer(&raw),
                expires_at: raw
                    .get("expiresAt")
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned),
                raw,
            }))
        }
        VerifyFactorResponse::Ok(result) => {
            let raw = serde_json::to_value(&result).map_err(|e| {
                Error::Protocol(format!("verify response cannot be re-encoded: {e}"))
            })?;
            Ok(PushStart::Done(PushOutcome {
                result: push_result(&raw).unwrap_or_else(|| PushResult::Other(String::new())),
                raw,
                polls: 0,
            }))
        }
    }
}

impl PushChallenge {
    /// Polls the transaction until the user answers, Okta times the challenge out, or
    /// `options.deadline` passes (a [`TimeoutKind::Deadline`] error). Rate-limited polls are
    /// retried by the client's retry policy. The number-matching answer is updated from each
    /// waiting response.
    pub async fn wait(
        mut self,
        client: &super::Client,
        options: PollOptions,
    ) -> Result<PushOutcome, Error> {
        let started = Instant::now();
        let core = client.core();
        let mut polls = 0;
        loop {
            if started.elapsed() >= options.deadline {
                return Err(Error::Timeout(Box::new(TimeoutError {
                    operation_id: POLL_OPERATION,
                    kind: TimeoutKind::Deadline,
                    attempts: polls,
                    elapsed: started.elapsed(),
                    source: None,
                })));
            }
            // The href is followed exactly: transaction ids contain dots and other characters
            // that a rebuilt URL could encode differently.
            let request = RequestParts::absolute(
                reqwest::Method::GET,
                POLL_OPERATION,
                POLL_TEMPLATE,
                &self.poll_url,
            )?;
            let raw: serde_json::Value = core.execute(request).await?.decode()?.into_inner();
            polls += 1;
            match push_result(&raw) {
                None => {
                    if let Some(answer) = correct_answer(&raw) {
                        self.correct_answer = Some(answer);
                    }
                    if let Some(next) = poll_href(&raw) {
                        self.poll_url = next;
                    }
                    core.sleep(options.interval).await;
                }
                Some(result) => return Ok(PushOutcome { result, raw, polls }),
            }
        }
    }
}

/// `None` while the transaction is still waiting.
fn push_result(raw: &serde_json::Value) -> Option<PushResult> {
    let text = raw
        .get("factorResult")
        .and_then(serde_json::Value::as_str)?;
    Some(match text {
        "SUCCESS" => PushResult::Success,
        "REJECTED" => PushResult::Rejected,
        "TIMEOUT" => PushResult::Timeout,
        waiting if waiting.starts_with("WAITING") => return None,
        other => PushResult::Other(other.to_owned()),
    })
}

/// `_links.poll.href`; the server sometimes sends a link as a one-element array.
fn poll_href(raw: &serde_json::Value) -> Option<String> {
    let poll = raw.get("_links")?.get("poll")?;
    let poll = match poll {
        serde_json::Value::Array(items) => items.first()?,
        single => single,
    };
    poll.get("href")?.as_str().map(str::to_owned)
}

fn correct_answer(raw: &serde_json::Value) -> Option<i64> {
    raw.get("_embedded")?
        .get("challenge")?
        .get("correctAnswer")?
        .as_i64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_results_links_and_answers() {
        let waiting = serde_json::json!({
            "factorResult": "WAITING",
            "_links": {"poll": [{"href": "https://acme.okta.com/api/v1/users/u/factors/f/transactions/v2mst.GldK"}]},
            "_embedded": {"challenge": {"correctAnswer": 42}}
        });
        assert_eq!(push_result(&waiting), None);
        assert_eq!(
            poll_href(&waiting).as_deref(),
            Some("https://acme.okta.com/api/v1/users/u/factors/f/transactions/v2mst.GldK")
        );
        assert_eq!(correct_answer(&waiting), Some(42));
        let done = serde_json::json!({"factorResult": "REJECTED"});
        assert_eq!(push_result(&done), Some(PushResult::Rejected));
        let odd = serde_json::json!({"factorResult": "CANCELLED"});
        assert_eq!(
            push_result(&odd),
            Some(PushResult::Other("CANCELLED".into()))
        );
    }
}
