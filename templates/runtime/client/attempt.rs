//! One attempt of a call: sending it and reading its response within the limits, what went
//! wrong when no response came, and the budget of retries the auth hook may ask for.

use std::time::Duration;

use reqwest::header::HeaderMap;
use tokio::time::Instant;

use super::super::auth::{AuthAction, MAX_NONCE_RETRIES};
use super::super::error::{Error, TimeoutError, TimeoutKind};
use super::super::request::RequestParts;
use super::super::response::{read_body, BodyError};
use super::super::retry::AttemptOutcome;
use super::super::url::same_origin;
use super::ClientCore;

impl ClientCore {
    /// Sends one attempt and reads its whole response, within the body limits. A response
    /// that comes from another origin (an injected client followed a redirect) or redirects
    /// there is refused.
    pub(super) async fn send_attempt(
        &self,
        parts: &RequestParts,
        url: &reqwest::Url,
        headers: HeaderMap,
        timeout: Option<Duration>,
    ) -> Result<(u16, HeaderMap, Vec<u8>), AttemptError> {
        // a `Request` filled in place: `RequestBuilder::headers` would copy the map into
        // one of its own
        let mut request = reqwest::Request::new(parts.method.clone(), url.clone());
        *request.headers_mut() = headers;
        if let Some(body) = &parts.body {
            *request.body_mut() = Some(body.clone().into());
        } else if parts.method != reqwest::Method::GET && parts.method != reqwest::Method::HEAD {
            *request.body_mut() = Some(Vec::new().into());
        }
        *request.timeout_mut() = timeout;
        let mut response = self
            .inner
            .http
            .execute(request)
            .await
            .map_err(AttemptError::Transport)?;
        if !same_origin(response.url(), &self.inner.base) {
            return Err(AttemptError::Refused(Error::Protocol(format!(
                "the response came from another origin ({}): the injected HTTP client followed \
                 a redirect; build it with redirect::Policy::none()",
                response.url().origin().ascii_serialization()
            ))));
        }
        let status = response.status().as_u16();
        if response.status().is_redirection() {
            check_redirect_target(response.url(), response.headers(), &self.inner.base)
                .map_err(AttemptError::Refused)?;
        }
        // taken, not cloned: the body is read without them
        let headers = std::mem::take(response.headers_mut());
        let body =
            read_body(&mut response, self.inner.body)
                .await
                .map_err(|error| match error {
                    BodyError::TooLarge => AttemptError::Refused(Error::ResponseTooLarge {
                        operation_id: parts.operation_id,
                        status,
                        limit: self.inner.body.max_bytes,
                    }),
                    BodyError::Stalled => AttemptError::BodyStalled,
                    BodyError::Transport(error) => AttemptError::Transport(error),
                })?;
        Ok((status, headers, body))
    }
}

/// Why one attempt produced no response to look at.
pub(super) enum AttemptError {
    /// Sending or reading failed.
    Transport(reqwest::Error),
    /// The body stopped arriving for longer than the idle timeout.
    BodyStalled,
    /// The response is refused as it is (another origin, a body over the limit): final.
    Refused(Error),
}

impl AttemptError {
    pub(super) fn is_timeout(&self) -> bool {
        match self {
            Self::Transport(e) => e.is_timeout(),
            Self::BodyStalled => true,
            Self::Refused(_) => false,
        }
    }

    /// What the retry rule sees of an attempt that got no response.
    pub(super) fn outcome(&self) -> AttemptOutcome<'static> {
        match self {
            Self::Transport(e) if e.is_connect() => AttemptOutcome::ConnectFailed,
            _ if self.is_timeout() => AttemptOutcome::TimedOut,
            _ => AttemptOutcome::Failed,
        }
    }

    pub(super) fn into_error(self, parts: &RequestParts, attempts: u32, started: Instant) -> Error {
        match self {
            Self::Transport(e) => {
                Error::transport(parts.operation_id, e, attempts, started.elapsed())
            }
            Self::BodyStalled => Error::Timeout(Box::new(TimeoutError {
                operation_id: parts.operation_id,
                kind: TimeoutKind::BodyIdle,
                attempts,
                elapsed: started.elapsed(),
                source: None,
            })),
            Self::Refused(error) => error,
        }
    }
}

/// A 3xx whose `Location` leaves the API's origin is an error of its own: the redirect is not
/// followed (see [`http_client_builder`]), and saying where it pointed (the origin only) tells
/// the caller why the call failed better than a bare 3xx.
fn check_redirect_target(
    current: &reqwest::Url,
    headers: &HeaderMap,
    base: &reqwest::Url,
) -> Result<(), Error> {
    let Some(location) = headers
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
    else {
        return Ok(());
    };
    match current.join(location.trim()) {
        Ok(target) if same_origin(&target, base) => Ok(()),
        Ok(target) => Err(Error::Protocol(format!(
            "the server redirected to another origin ({}); not following it",
            target.origin().ascii_serialization()
        ))),
        Err(_) => Err(Error::Protocol(
            "the server redirected to a Location that is not a URL".to_owned(),
        )),
    }
}

/// Time until the deadline (zero once passed), `None` without one.
pub(super) fn time_left(deadline: Option<Instant>) -> Option<Duration> {
    deadline.map(|d| d.saturating_duration_since(Instant::now()))
}

pub(super) fn deadline_error(parts: &RequestParts, attempts: u32, started: Instant) -> Error {
    Error::Timeout(Box::new(TimeoutError {
        operation_id: parts.operation_id,
        kind: TimeoutKind::Deadline,
        attempts,
        elapsed: started.elapsed(),
        source: None,
    }))
}

/// Retries the auth hook may ask for, apart from the retry policy: one credential refresh (a
/// 401 never starts a storm) and a couple of DPoP nonce challenges.
#[derive(Debug, Default)]
pub(super) struct AuthRetryBudget {
    refreshed: bool,
    nonce_retries: u32,
}

impl AuthRetryBudget {
    /// Whether the hook's answer sends the call once more; spends the budget it uses.
    pub(super) fn spend(&mut self, action: AuthAction, status: u16) -> bool {
        match action {
            AuthAction::Retry if !self.refreshed => {
                self.refreshed = true;
                tracing::info!(status, "credentials refreshed; sending once more");
                true
            }
            AuthAction::RetryWithNonce if self.nonce_retries < MAX_NONCE_RETRIES => {
                self.nonce_retries += 1;
                tracing::info!(
                    status,
                    nonce_retries = self.nonce_retries,
                    "server demanded a DPoP nonce; sending again"
                );
                true
            }
            AuthAction::Proceed | AuthAction::Retry | AuthAction::RetryWithNonce => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_auth_hook_gets_one_refresh_and_a_few_nonce_retries() {
        let mut budget = AuthRetryBudget::default();
        assert!(!budget.spend(AuthAction::Proceed, 200));
        assert!(budget.spend(AuthAction::Retry, 401));
        assert!(!budget.spend(AuthAction::Retry, 401));
        for _ in 0..MAX_NONCE_RETRIES {
            assert!(budget.spend(AuthAction::RetryWithNonce, 400));
        }
        assert!(!budget.spend(AuthAction::RetryWithNonce, 400));
    }
}
