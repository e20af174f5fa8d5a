//! The client core every provider client wraps, and the attempt loop of a call: validate the
//! call's headers once, then per attempt wait at the rate-limit gate, authorize, send
//! (`attempt`), let the auth hook see the response (its own retry budget), and apply the one
//! retry rule (`decide_retry`) until a response is final.

mod attempt;
mod builder;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, USER_AGENT,
};
use tokio::time::Instant;
use tracing::Instrument;

use super::auth::{Auth, Credentials};
use super::error::Error;
use super::gate::{Gate, Ticket};
use super::headers::{header_name, header_value, refuse_framing_header};
use super::profile::Profile;
use super::rate_limit::{RateLimit, RateLimitNames};
use super::request::RequestParts;
use super::response::{BodyLimits, RawResponse};
use super::retry::{
    decide_retry, AttemptOutcome, RetryDecision, RetryInput, RetryPolicy, RetryReason, Sleeper,
};
use super::token::AuthContext;
use super::vendor;
use attempt::{deadline_error, time_left, AttemptError, AuthRetryBudget};
pub use builder::{http_client_builder, ClientBuilder};

/// What every clone of a client shares: the settings it was built with, parsed once.
struct Inner {
    http: reqwest::Client,
    base_url: String,
    /// `base_url` parsed once: every response's URL is compared with its origin.
    base: reqwest::Url,
    auth: Auth,
    profile: Profile,
    /// The profile's response header names, parsed once: every response is looked up by them.
    request_id_header: Option<HeaderName>,
    rate_limit: Option<RateLimitNames>,
    attempt_timeout: Option<Duration>,
    deadline: Option<Duration>,
    body: BodyLimits,
    retry: RetryPolicy,
    sleeper: Arc<dyn Sleeper>,
    gate: Gate,
}

/// The shared, cheaply cloneable core of a provider client.
#[derive(Clone)]
pub struct ClientCore {
    inner: Arc<Inner>,
}

impl fmt::Debug for ClientCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("provider", &self.inner.profile.provider)
            .field("base_url", &self.inner.base_url)
            .field("auth", &self.inner.auth)
            .field("attempt_timeout", &self.inner.attempt_timeout)
            .field("deadline", &self.inner.deadline)
            .field("body", &self.inner.body)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl ClientCore {
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Waits on the client's timer (tests inject one that returns at once).
    pub async fn sleep(&self, duration: Duration) {
        self.inner.sleeper.sleep(duration).await;
    }

    /// Sends one call: validates its headers, then runs attempts (each one authorized anew)
    /// until a response is final, retrying per the policy within the deadline. Returns the raw
    /// response for 2xx statuses, an error otherwise.
    pub async fn execute(&self, parts: RequestParts) -> Result<RawResponse, Error> {
        let span = tracing::debug_span!(
            "idp_mfa.request",
            provider = self.inner.profile.provider,
            operation = parts.operation_id,
            method = %parts.method,
            path = parts.path_template,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            attempts = tracing::field::Empty,
        );
        self.execute_attempts(parts).instrument(span).await
    }

    /// The headers every attempt of this call sends, validated once, before anything is sent.
    /// A per-call header replaces the client default of the same name (one `User-Agent` line,
    /// never two); a forwarded end-user `User-Agent` moves the SDK's identity to the vendor's
    /// extended header.
    fn call_headers(&self, parts: &RequestParts) -> Result<HeaderMap, Error> {
        let profile = &self.inner.profile;
        // the SDK's own headers, the call's, and room for credentials: no regrowth
        let mut headers = HeaderMap::with_capacity(parts.headers.len() + 6);
        headers.insert(USER_AGENT, HeaderValue::from_static(profile.user_agent));
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let mut forwarded_user_agent = false;
        for (name, value) in &parts.headers {
            let name = header_name(name)?;
            refuse_framing_header(&name)?;
            forwarded_user_agent |= name == USER_AGENT;
            let value = header_value(name.as_str(), value)?;
            headers.insert(name, value);
        }
        if forwarded_user_agent {
            if let Some(extended) = profile.user_agent_extended_header {
                let name = header_name(extended)?;
                if !headers.contains_key(&name) {
                    headers.insert(name, HeaderValue::from_static(profile.user_agent));
                }
            }
        }
        match parts.body {
            Some(_) => {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            }
            None if parts.method != reqwest::Method::GET
                && parts.method != reqwest::Method::HEAD =>
            {
                // Okta answers 411 to a bodiless POST without Content-Length.
                headers.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
            }
            None => {}
        }
        Ok(headers)
    }

    /// The attempt loop: each step below is a helper, so the loop shows only the order.
    async fn execute_attempts(&self, parts: RequestParts) -> Result<RawResponse, Error> {
        let inner = &*self.inner;
        // validated once, before anything is sent; retries rebuild them (cheaper than keeping
        // a copy on the path every call takes)
        let mut first_headers = Some(self.call_headers(&parts)?);
        let url = parts.resolved_url(&inner.base_url)?;
        let started = Instant::now();
        // a deadline too far to represent (`Duration::MAX`) is no deadline, not an overflow
        let deadline = inner.deadline.and_then(|d| started.checked_add(d));
        let span = tracing::Span::current();
        let mut attempt: u32 = 0;
        let mut retries: u32 = 0;
        let mut auth_budget = AuthRetryBudget::default();
        let mut first_request_id: Option<String> = None;
        let mut gate_ticket = Ticket::default();
        loop {
            attempt += 1;
            span.record("attempts", attempt);
            let mut attempt_headers = match first_headers.take() {
                Some(headers) => headers,
                None => self.call_headers(&parts)?,
            };
            if retries > 0 {
                self.stamp_retry(&mut attempt_headers, retries, first_request_id.as_deref())?;
            }
            // held while the endpoint's rate-limit bucket is empty; the wait is no attempt
            let Ok(gate_pass) = (inner.gate)
                .admit(
                    &parts.method,
                    parts.path_template,
                    deadline,
                    &*inner.sleeper,
                    &mut gate_ticket,
                )
                .await
            else {
                return Err(deadline_error(&parts, attempt - 1, started));
            };
            let remaining = time_left(deadline);
            if remaining == Some(Duration::ZERO) {
                return Err(deadline_error(&parts, attempt - 1, started));
            }
            let timeout = match (inner.attempt_timeout, remaining) {
                (Some(a), Some(r)) => Some(a.min(r)),
                (a, r) => a.or(r),
            };
            let credentials = self
                .authorize(&parts, &url, deadline, attempt, started)
                .await?;
            let credentials_tag = credentials.tag;
            // moved, not cloned; each credential header replaces any header of its name
            attempt_headers.extend(credentials.headers);

            let sent = self
                .send_attempt(&parts, &url, attempt_headers, timeout)
                .await;
            let answer = sent
                .as_ref()
                .ok()
                .map(|(status, headers, _)| (*status, headers));
            gate_pass.finish(answer, &mut gate_ticket);
            let (status, response_headers, body) = match sent {
                Ok(received) => received,
                Err(AttemptError::Refused(error)) => return Err(error),
                Err(error) => {
                    let hit_deadline = error.is_timeout()
                        && deadline.is_some_and(|d| {
                            d.saturating_duration_since(Instant::now()) <= Duration::from_millis(1)
                        });
                    if hit_deadline {
                        return Err(deadline_error(&parts, attempt, started));
                    }
                    if let RetryDecision::RetryAfter(wait, reason) =
                        self.decide(&parts, error.outcome(), attempt, retries, deadline)
                    {
                        retries += 1;
                        self.wait_before_retry(&parts, attempt, reason, None, wait)
                            .await;
                        continue;
                    }
                    return Err(error.into_error(&parts, attempt, started));
                }
            };
            let request_id = self.request_id(&response_headers);
            span.record("status", status);
            if let Some(id) = &request_id {
                span.record("request_id", id.as_str());
            }
            if first_request_id.is_none() {
                first_request_id.clone_from(&request_id);
            }
            // The hook sees every response (a DPoP server may rotate its nonce on any of them),
            // even when the budget for the retry it might ask for is spent.
            let action = inner
                .auth
                .on_response(status, &response_headers, credentials_tag)
                .await;
            if auth_budget.spend(action, status) {
                continue;
            }
            let response = RawResponse {
                operation_id: parts.operation_id,
                method: parts.method.clone(),
                path_template: parts.path_template,
                status,
                rate_limit: RateLimit::read(
                    inner.rate_limit.as_ref(),
                    &response_headers,
                    std::time::SystemTime::now(),
                ),
                headers: response_headers,
                request_id,
                body,
                attempts: attempt,
            };
            if (200..300).contains(&status) {
                return match vendor::error_in_success(inner.profile.error_format, &response.body) {
                    Some(vendor) => Err(response.into_api_error(Some(vendor))),
                    None => Ok(response),
                };
            }
            let outcome = AttemptOutcome::Response {
                status,
                headers: &response.headers,
            };
            if let RetryDecision::RetryAfter(wait, reason) =
                self.decide(&parts, outcome, attempt, retries, deadline)
            {
                retries += 1;
                self.wait_before_retry(&parts, attempt, reason, Some(status), wait)
                    .await;
                continue;
            }
            let vendor = vendor::parse_error(inner.profile.error_format, &response.body);
            return Err(response.into_api_error(vendor));
        }
    }

    /// Marks a retry with the vendor's headers: the first attempt's request id and the retry
    /// number (1 for the first retry).
    fn stamp_retry(
        &self,
        headers: &mut HeaderMap,
        retries: u32,
        first_request_id: Option<&str>,
    ) -> Result<(), Error> {
        let profile = &self.inner.profile;
        if let (Some(name), Some(id)) = (profile.retry_for_header, first_request_id) {
            headers.insert(header_name(name)?, header_value(name, id)?);
        }
        if let Some(name) = profile.retry_count_header {
            headers.insert(header_name(name)?, HeaderValue::from(retries));
        }
        Ok(())
    }

    /// AUTH HOOK: the credentials of one attempt. The deadline covers auth too: a stalled
    /// token fetch fails the call in time.
    async fn authorize(
        &self,
        parts: &RequestParts,
        url: &reqwest::Url,
        deadline: Option<Instant>,
        attempt: u32,
        started: Instant,
    ) -> Result<Credentials, Error> {
        let inner = &*self.inner;
        let context = AuthContext {
            method: &parts.method,
            url,
            base_url: &inner.base_url,
            http: &inner.http,
            timeout: inner.attempt_timeout,
            retry: &inner.retry,
            rate_limit: inner.rate_limit.as_ref(),
            sleeper: &inner.sleeper,
            body_limits: inner.body,
            deadline: inner.deadline,
        };
        match deadline {
            Some(at) => tokio::time::timeout_at(at, inner.auth.authorize(context))
                .await
                .map_err(|_| deadline_error(parts, attempt - 1, started))?,
            None => inner.auth.authorize(context).await,
        }
    }

    /// The vendor's request id of a response, when the profile names its header.
    fn request_id(&self, headers: &HeaderMap) -> Option<String> {
        self.inner
            .request_id_header
            .as_ref()
            .and_then(|name| headers.get(name))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    /// The retry rule ([`decide_retry`]) applied to this call's attempt.
    fn decide(
        &self,
        parts: &RequestParts,
        outcome: AttemptOutcome<'_>,
        attempt: u32,
        retries: u32,
        deadline: Option<Instant>,
    ) -> RetryDecision {
        let decision = decide_retry(
            &self.inner.retry,
            self.inner.rate_limit.as_ref(),
            &RetryInput {
                outcome,
                method: &parts.method,
                replay_safe: false,
                attempt,
                retries,
                time_left: time_left(deadline),
                now: SystemTime::now(),
                jitter: fastrand::f64(),
            },
        );
        if let RetryDecision::GiveUp(reason) = decision {
            tracing::debug!(?reason, attempt, "not retrying");
        }
        decision
    }

    async fn wait_before_retry(
        &self,
        parts: &RequestParts,
        attempt: u32,
        reason: RetryReason,
        status: Option<u16>,
        wait: Duration,
    ) {
        tracing::info!(
            operation = parts.operation_id,
            attempt,
            ?reason,
            status,
            backoff_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            "retrying"
        );
        self.inner.sleeper.sleep(wait).await;
    }
}
