use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, USER_AGENT,
};
use tokio::time::Instant;
use tracing::Instrument;

use super::auth::{Auth, AuthAction, MAX_NONCE_RETRIES};
use super::error::{Error, TimeoutError, TimeoutKind};
use super::gate::{Gate, Ticket};
use super::headers::{header_name, header_value, invalid_header_name, refuse_framing_header};
use super::profile::Profile;
use super::rate_limit::{RateLimit, RateLimitNames};
use super::request::RequestParts;
use super::response::{read_body, BodyError, BodyLimits, RawResponse};
use super::retry::{
    decide_retry, AttemptOutcome, RetryDecision, RetryInput, RetryPolicy, RetryReason, Sleeper,
    TokioSleeper,
};
use super::token::AuthContext;
use super::url::{same_origin, validate_base_url};
use super::vendor;

/// Default time limit of one attempt.
const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default limit of a whole call, retry waits included: long enough for one Okta rate-limit
/// window (60 s) to pass.
const DEFAULT_DEADLINE: Duration = Duration::from_secs(120);
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

/// Builds a provider client; `C` is the provider's `Client` type.
pub struct ClientBuilder<C> {
    base_url: String,
    profile: Profile,
    auth: Auth,
    http: Option<reqwest::Client>,
    attempt_timeout: Option<Duration>,
    deadline: Option<Duration>,
    body: BodyLimits,
    retry: RetryPolicy,
    sleeper: Arc<dyn Sleeper>,
    allow_http: bool,
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("auth", &self.auth)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("deadline", &self.deadline)
            .field("body", &self.body)
            .field("retry", &self.retry)
            .field("allow_http", &self.allow_http)
            .finish_non_exhaustive()
    }
}

impl<C: From<ClientCore>> ClientBuilder<C> {
    pub fn new(base_url: impl Into<String>, profile: Profile) -> Self {
        Self {
            base_url: base_url.into(),
            profile,
            auth: Auth::none(),
            http: None,
            attempt_timeout: Some(DEFAULT_ATTEMPT_TIMEOUT),
            deadline: Some(DEFAULT_DEADLINE),
            body: BodyLimits::default(),
            retry: RetryPolicy::default(),
            sleeper: Arc::new(TokioSleeper),
            allow_http: false,
            client: PhantomData,
        }
    }

    /// How requests are authenticated: an [`Auth`], or a configuration that converts into one
    /// (such as the builder `Auth::okta_private_key` returns).
    pub fn auth(mut self, auth: impl Into<Auth>) -> Self {
        self.auth = auth.into();
        self
    }

    /// Uses this `reqwest::Client` (connection pool, proxies, TLS settings) for every request.
    /// Build it from [`http_client_builder`] to keep the crate's TLS and redirect settings.
    ///
    /// The client keeps its own redirect policy. Set `.redirect(reqwest::redirect::Policy::none())`
    /// on it: reqwest's default follows up to 10 redirects to any host, and a 307/308 resends
    /// the body (a pass code) and every header (credentials, DPoP proof) there before this
    /// crate sees the answer. The crate still checks every response's final URL and fails with
    /// [`Error::Protocol`] when it left the API's origin, but by then the request was sent.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Time limit for one attempt, from sending the request to reading the whole body
    /// (default 30 s). `None`: no limit.
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.attempt_timeout = timeout.into();
        self
    }

    /// Time limit for a whole call: every attempt and every wait between them (default 120 s).
    /// A rate-limit wait that would end after the deadline is not started: the call fails at
    /// once with the 429. `None`: no limit.
    pub fn deadline(mut self, deadline: impl Into<Option<Duration>>) -> Self {
        self.deadline = deadline.into();
        self
    }

    /// Largest response body read, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BODY`](super::DEFAULT_MAX_RESPONSE_BODY), 16 MiB).
    /// A longer body fails the call with [`Error::ResponseTooLarge`] as soon as the limit is
    /// passed (or at once when `Content-Length` announces more); it is never buffered whole.
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.body.max_bytes = bytes;
        self
    }

    /// Longest pause while a response body arrives (default
    /// [`DEFAULT_BODY_IDLE_TIMEOUT`](super::DEFAULT_BODY_IDLE_TIMEOUT),
    /// 10 s): a body that stops arriving fails the attempt as a timeout of kind
    /// [`TimeoutKind::BodyIdle`] without waiting for the attempt timeout or the deadline.
    /// `None`: no idle limit.
    pub fn body_idle_timeout(mut self, idle: impl Into<Option<Duration>>) -> Self {
        self.body.idle_timeout = idle.into();
        self
    }

    /// Retry settings (default: [`RetryPolicy::new`]); [`RetryPolicy::disabled`] turns them off.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Replaces the timer used between attempts (tests use one that records waits).
    pub fn sleeper(mut self, sleeper: impl Sleeper + 'static) -> Self {
        self.sleeper = Arc::new(sleeper);
        self
    }

    /// Accepts an `http://` base URL. Only for tests against a local server: credentials
    /// would otherwise cross the network in clear text.
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    pub fn build(self) -> Result<C, Error> {
        let base_url = validate_base_url(&self.base_url, self.allow_http)?;
        let base = reqwest::Url::parse(&base_url)
            .map_err(|e| Error::invalid_input(format!("base URL does not parse: {e}")))?;
        let http = match self.http {
            Some(http) => http,
            None => http_client_builder()?
                .build()
                .map_err(|e| Error::invalid_input(format!("HTTP client cannot be built: {e}")))?,
        };
        let request_id_header = self
            .profile
            .request_id_header
            .map(header_name)
            .transpose()?;
        let rate_limit = self
            .profile
            .rate_limit
            .as_ref()
            .map(|names| RateLimitNames::parse(names).map_err(invalid_header_name))
            .transpose()?;
        let gate = Gate::new(self.retry.rate_limit_gate, rate_limit.clone());
        Ok(C::from(ClientCore {
            inner: Arc::new(Inner {
                http,
                base_url,
                base,
                auth: self.auth,
                profile: self.profile,
                request_id_header,
                rate_limit,
                attempt_timeout: self.attempt_timeout,
                deadline: self.deadline,
                body: self.body,
                retry: self.retry,
                sleeper: self.sleeper,
                gate,
            }),
        }))
    }
}

/// A `reqwest::ClientBuilder` with the TLS and redirect settings of the HTTP client a
/// [`ClientBuilder`] makes when none is injected; start from it to inject one with your own
/// pool, proxy or timeout settings.
///
/// Redirects are not followed (`Policy::none()`): the Okta and OneLogin APIs never redirect an
/// API call, and following one would resend the body and the credentials. A redirect response
/// ends the call: [`Error::Protocol`] when its `Location` leaves the API's origin, otherwise
/// [`Error::Api`] with the 3xx status.
///
/// With the `rustls` feature: rustls with the `ring` crypto provider (or the process-wide
/// default provider, when the application installed one) and the platform's certificate
/// verifier (the system's trust store), HTTP/1.1. That feature turns on reqwest's
/// `rustls-no-provider`, so a plain `reqwest::Client::new()` panics unless the application
/// installed a default provider or enabled reqwest's own `rustls` feature; this builder does
/// not install one. Without the feature: `reqwest::Client::builder()`.
pub fn http_client_builder() -> Result<reqwest::ClientBuilder, Error> {
    #[cfg(feature = "rustls")]
    {
        use rustls_platform_verifier::BuilderVerifierExt;
        let provider = rustls::crypto::CryptoProvider::get_default()
            .cloned()
            .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
        let mut tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .and_then(|config| config.with_platform_verifier())
            .map_err(|e| Error::invalid_input(format!("TLS settings cannot be built: {e}")))?
            .with_no_client_auth();
        // What reqwest offers itself without its `http2` feature (off in this crate).
        tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .redirect(reqwest::redirect::Policy::none()))
    }
    #[cfg(not(feature = "rustls"))]
    Ok(reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()))
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

    async fn execute_attempts(&self, parts: RequestParts) -> Result<RawResponse, Error> {
        let inner = &*self.inner;
        let profile = &inner.profile;
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
        // Auth-requested retries have their own small budgets, apart from the retry policy:
        // one refresh (a 401 never starts a storm) and a couple of DPoP nonce challenges.
        let mut auth_retried = false;
        let mut nonce_retries: u32 = 0;
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
                if let (Some(name), Some(id)) = (profile.retry_for_header, &first_request_id) {
                    attempt_headers.insert(header_name(name)?, header_value(name, id)?);
                }
                if let Some(name) = profile.retry_count_header {
                    attempt_headers.insert(header_name(name)?, HeaderValue::from(retries));
                }
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
            // AUTH HOOK: the per-attempt credentials (the auth helper bounds this by the deadline)
            let context = AuthContext {
                method: &parts.method,
                url: &url,
                base_url: &inner.base_url,
                http: &inner.http,
                timeout: inner.attempt_timeout,
                retry: &inner.retry,
                rate_limit: inner.rate_limit.as_ref(),
                sleeper: &inner.sleeper,
                body_limits: inner.body,
                deadline: inner.deadline,
            };
            // The deadline covers auth too: a stalled token fetch fails the call in time.
            let credentials = match deadline {
                Some(at) => tokio::time::timeout_at(at, inner.auth.authorize(context))
                    .await
                    .map_err(|_| deadline_error(&parts, attempt - 1, started))??,
                None => inner.auth.authorize(context).await?,
            };
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
                    let outcome = match &error {
                        AttemptError::Transport(e) if e.is_connect() => {
                            AttemptOutcome::ConnectFailed
                        }
                        _ if error.is_timeout() => AttemptOutcome::TimedOut,
                        _ => AttemptOutcome::Failed,
                    };
                    if let RetryDecision::RetryAfter(wait, reason) =
                        self.decide(&parts, outcome, attempt, retries, deadline)
                    {
                        retries += 1;
                        self.wait_before_retry(&parts, attempt, reason, None, wait)
                            .await;
                        continue;
                    }
                    return Err(error.into_error(&parts, attempt, started));
                }
            };
            let request_id = inner
                .request_id_header
                .as_ref()
                .and_then(|name| response_headers.get(name))
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            span.record("status", status);
            if let Some(id) = &request_id {
                span.record("request_id", id.as_str());
            }
            if first_request_id.is_none() {
                first_request_id.clone_from(&request_id);
            }
            // The hook sees every response (a DPoP server may rotate its nonce on any of them),
            // even when the budget for the retry it might ask for is spent.
            match inner
                .auth
                .on_response(status, &response_headers, credentials_tag)
                .await
            {
                AuthAction::Retry if !auth_retried => {
                    auth_retried = true;
                    tracing::info!(status, "credentials refreshed; sending once more");
                    continue;
                }
                AuthAction::RetryWithNonce if nonce_retries < MAX_NONCE_RETRIES => {
                    nonce_retries += 1;
                    tracing::info!(
                        status,
                        nonce_retries,
                        "server demanded a DPoP nonce; sending again"
                    );
                    continue;
                }
                AuthAction::Proceed | AuthAction::Retry | AuthAction::RetryWithNonce => {}
            }
            let response = RawResponse {
                operation_id: parts.operation_id,
                method: parts.method.clone(),
                path_template: parts.path_template,
                status,
                rate_limit: RateLimit::from_headers(inner.rate_limit.as_ref(), &response_headers),
                headers: response_headers,
                request_id,
                body,
                attempts: attempt,
            };
            if (200..300).contains(&status) {
                return match vendor::error_in_success(profile.error_format, &response.body) {
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
            let vendor = vendor::parse_error(profile.error_format, &response.body);
            return Err(response.into_api_error(vendor));
        }
    }

    /// Sends one attempt and reads its whole response, within the body limits. A response
    /// that comes from another origin (an injected client followed a redirect) or redirects
    /// there is refused.
    async fn send_attempt(
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

/// Why one attempt produced no response to look at.
enum AttemptError {
    /// Sending or reading failed.
    Transport(reqwest::Error),
    /// The body stopped arriving for longer than the idle timeout.
    BodyStalled,
    /// The response is refused as it is (another origin, a body over the limit): final.
    Refused(Error),
}

impl AttemptError {
    fn is_timeout(&self) -> bool {
        match self {
            Self::Transport(e) => e.is_timeout(),
            Self::BodyStalled => true,
            Self::Refused(_) => false,
        }
    }

    fn into_error(self, parts: &RequestParts, attempts: u32, started: Instant) -> Error {
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
fn time_left(deadline: Option<Instant>) -> Option<Duration> {
    deadline.map(|d| d.saturating_duration_since(Instant::now()))
}

fn deadline_error(parts: &RequestParts, attempts: u32, started: Instant) -> Error {
    Error::Timeout(Box::new(TimeoutError {
        operation_id: parts.operation_id,
        kind: TimeoutKind::Deadline,
        attempts,
        elapsed: started.elapsed(),
        source: None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_http_client_builds() {
        // reqwest takes a preconfigured rustls `ClientConfig` only from the rustls version it
        // links itself; any other is an "unknown TLS backend" error when the client is built.
        let http = http_client_builder().expect("TLS settings").build();
        assert!(http.is_ok(), "{http:?}");
    }
}
