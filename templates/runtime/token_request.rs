//! Token endpoint requests under the rules API calls follow: the crate's one retry decision
//! (429 and 503 after their `Retry-After`, connection failures, timeouts), the client's timer,
//! and its body limits.

use std::time::SystemTime;

use reqwest::header::HeaderMap;
use tokio::time::Instant;

use super::error::{Error, TokenError};
use super::response::{read_body, BodyError};
use super::retry::{decide_retry, AttemptOutcome, RetryDecision, RetryInput};
use super::token::AuthContext;

/// A token endpoint's answer, read whole (within the body limit).
pub(crate) struct TokenResponse {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

/// How one attempt ended, before the retry decision.
enum Attempt {
    Answered(TokenResponse),
    Failed {
        outcome: AttemptOutcome<'static>,
        error: Error,
    },
}

/// Sends the token request `build` makes until a response is final by the crate's retry rule,
/// and returns that response (whatever its status) or the last transport error. `build` runs
/// once per attempt, because a client assertion or DPoP proof must not be sent twice, and gets
/// the headers of the response being retried (a DPoP server may send a new nonce with a 429).
///
/// A client-credentials `POST` only ever issues another token, so it is retried like an
/// idempotent request. Waits are bounded by the fetch's own budget (the client's deadline,
/// counted from the fetch's start); each waiting call is bounded by its own deadline outside.
pub(crate) async fn send_token_request<F>(
    context: &AuthContext<'_>,
    mut build: F,
) -> Result<TokenResponse, Error>
where
    F: FnMut(Option<&HeaderMap>) -> Result<reqwest::RequestBuilder, Error>,
{
    let deadline = context
        .deadline
        .and_then(|budget| Instant::now().checked_add(budget));
    let mut attempt: u32 = 0;
    let mut retries: u32 = 0;
    let mut previous: Option<HeaderMap> = None;
    loop {
        attempt = attempt.saturating_add(1);
        let mut request = build(previous.as_ref())?;
        if let Some(timeout) = context.timeout {
            request = request.timeout(timeout);
        }
        let attempted = send(request, context).await;
        if matches!(&attempted, Attempt::Answered(r) if (200..300).contains(&r.status)) {
            return take_response(attempted);
        }
        let outcome = match &attempted {
            Attempt::Answered(response) => AttemptOutcome::Response {
                status: response.status,
                headers: &response.headers,
            },
            Attempt::Failed { outcome, .. } => *outcome,
        };
        let decision = decide_retry(
            context.retry,
            context.rate_limit,
            &RetryInput {
                outcome,
                method: &reqwest::Method::POST,
                replay_safe: true,
                attempt,
                retries,
                time_left: deadline.map(|d| d.saturating_duration_since(Instant::now())),
                now: SystemTime::now(),
                jitter: fastrand::f64(),
            },
        );
        match decision {
            RetryDecision::RetryAfter(wait, reason) => {
                retries = retries.saturating_add(1);
                tracing::info!(
                    attempt,
                    ?reason,
                    backoff_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                    "retrying the token request"
                );
                context.sleeper.sleep(wait).await;
                previous = match attempted {
                    Attempt::Answered(response) => Some(response.headers),
                    Attempt::Failed { .. } => None,
                };
            }
            RetryDecision::GiveUp(reason) => {
                tracing::debug!(?reason, attempt, "not retrying the token request");
                return take_response(attempted);
            }
        }
    }
}

fn take_response(attempted: Attempt) -> Result<TokenResponse, Error> {
    match attempted {
        Attempt::Answered(response) => Ok(response),
        Attempt::Failed { error, .. } => Err(error),
    }
}

async fn send(request: reqwest::RequestBuilder, context: &AuthContext<'_>) -> Attempt {
    let mut response = match request.send().await {
        Ok(response) => response,
        Err(error) => return failed(error),
    };
    let status = response.status().as_u16();
    let headers = std::mem::take(response.headers_mut());
    match read_body(&mut response, context.body_limits).await {
        Ok(body) => Attempt::Answered(TokenResponse {
            status,
            headers,
            body,
        }),
        Err(BodyError::Transport(error)) => failed(error),
        Err(BodyError::Stalled) => Attempt::Failed {
            outcome: AttemptOutcome::TimedOut,
            error: token_failure(status, "timeout", "the token response stopped arriving"),
        },
        Err(BodyError::TooLarge) => Attempt::Failed {
            outcome: AttemptOutcome::Failed,
            error: token_failure(
                status,
                "response_too_large",
                &format!(
                    "the token response is longer than {} bytes",
                    context.body_limits.max_bytes
                ),
            ),
        },
    }
}

fn failed(error: reqwest::Error) -> Attempt {
    let outcome = if error.is_connect() {
        AttemptOutcome::ConnectFailed
    } else if error.is_timeout() {
        AttemptOutcome::TimedOut
    } else {
        AttemptOutcome::Failed
    };
    Attempt::Failed {
        outcome,
        error: token_transport(error),
    }
}

fn token_failure(status: u16, code: &str, description: &str) -> Error {
    Error::Token(Box::new(TokenError::new(
        status,
        Some(code),
        Some(description),
    )))
}

/// A token request that failed before a response arrived, as a [`TokenError`] with status 0.
pub(crate) fn token_transport(error: reqwest::Error) -> Error {
    let code = if error.is_timeout() {
        "timeout"
    } else {
        "transport"
    };
    token_failure(0, code, &error.without_url().to_string())
}
