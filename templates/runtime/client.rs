use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, USER_AGENT,
};
use tokio::time::Instant;
use tracing::Instrument;

use super::auth::{AuthAction, AuthContext, MAX_NONCE_RETRIES};
use super::error::{TimeoutError, TimeoutKind};
use super::gate::{Gate, Ticket};
use super::retry::{
    rate_limit_wait, RateLimit, RateLimitHeaders, RateLimitNames, RateLimitWait, Sleeper,
    TokioSleeper,
};
use super::vendor::{self, ErrorFormat};
use super::{Auth, Error, RawResponse, RequestParts, RetryPolicy};

/// Facts about one vendor that the runtime needs, written by the generator from the provider
/// config.
#[derive(Debug, Clone, Copy)]
pub struct Profile {
    /// Provider module name (`okta`).
    pub provider: &'static str,
    /// Header carrying the vendor's request id.
    pub request_id_header: Option<&'static str>,
    /// `<crate>/<version>`, sent as the default `User-Agent`.
    pub user_agent: &'static str,
    /// Where the SDK's identity goes when a call forwards an end user's `User-Agent`.
    pub user_agent_extended_header: Option<&'static str>,
    /// Header naming the request id of the first attempt, on retries.
    pub retry_for_header: Option<&'static str>,
    /// Header carrying the retry number (1 for the first retry), on retries.
    pub retry_count_header: Option<&'static str>,
    /// The vendor's rate-limit headers.
    pub rate_limit: Option<RateLimitHeaders>,
    /// How error bodies are parsed.
    pub error_format: ErrorFormat,
}

/// Default time limit of one attempt.
const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default limit of a whole call, retry waits included: long enough for one Okta rate-limit
/// window (60 s) to pass.
const DEFAULT_DEADLINE: Duration = Duration::from_secs(120);

struct Inner {
    http: reqwest::Client,
    base_url: String,
    auth: Auth,
    profile: Profile,
    /// The profile's response header names, parsed once: every response is looked up by them.
    request_id_header: Option<HeaderName>,
    rate_limit: Option<RateLimitNames>,
    attempt_timeout: Option<Duration>,
    deadline: Option<Duration>,
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
    /// Build it from [`http_client_builder`] to keep the crate's TLS settings.
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
            .map(RateLimitNames::parse)
            .transpose()?;
        let gate = Gate::new(self.retry.rate_limit_gate, rate_limit.clone());
        Ok(C::from(ClientCore {
            inner: Arc::new(Inner {
                http,
                base_url,
                auth: self.auth,
                profile: self.profile,
                request_id_header,
                rate_limit,
                attempt_timeout: self.attempt_timeout,
                deadline: self.deadline,
                retry: self.retry,
                sleeper: self.sleeper,
                gate,
            }),
        }))
    }
}

/// A `reqwest::ClientBuilder` with the TLS settings of the HTTP client a [`ClientBuilder`]
/// makes when none is injected; start from it to inject one with your own pool, proxy or
/// timeout settings.
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
        Ok(reqwest::Client::builder().tls_backend_preconfigured(tls))
    }
    #[cfg(not(feature = "rustls"))]
    Ok(reqwest::Client::builder())
}

fn validate_base_url(raw: &str, allow_http: bool) -> Result<String, Error> {
    if raw.contains(['{', '}']) {
        return Err(Error::invalid_input(format!(
            "base URL `{raw}` still contains a placeholder such as {{yourOktaDomain}}"
        )));
    }
    let url = reqwest::Url::parse(raw)
        .map_err(|e| Error::invalid_input(format!("base URL `{raw}` is not a valid URL: {e}")))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_http => {}
        "http" => {
            return Err(Error::invalid_input(format!(
                "base URL `{raw}` is not https; use allow_http(true) only for local test servers"
            )))
        }
        other => {
            return Err(Error::invalid_input(format!(
                "base URL scheme `{other}` is not supported"
            )))
        }
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid_input(format!(
            "base URL `{raw}` must not have a query or fragment"
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::invalid_input(format!(
            "base URL `{raw}` has no host"
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid_input(
            "base URL must not contain credentials; use the client's auth".to_owned(),
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// A URL handed out by the server (next page, poll link) must point at the API's own origin:
/// following it sends the credentials along.
pub(crate) fn check_same_origin(url: &reqwest::Url, base_url: &str) -> Result<(), Error> {
    let base = reqwest::Url::parse(base_url)
        .map_err(|e| Error::invalid_input(format!("base URL does not parse: {e}")))?;
    if url.origin() == base.origin() {
        Ok(())
    } else {
        Err(Error::Protocol(format!(
            "the server linked to another origin ({}); not following it with this client's credentials",
            url.origin().ascii_serialization()
        )))
    }
}

/// Header values must be visible ASCII, space or tab: a CR or LF could smuggle a second header.
fn header_value(name: &str, value: &str) -> Result<HeaderValue, Error> {
    let clean = value
        .bytes()
        .all(|b| b == b'\t' || (0x20..0x7f).contains(&b));
    if !clean {
        return Err(Error::invalid_input(format!(
            "header `{name}` contains a control or non-ASCII character"
        )));
    }
    HeaderValue::from_str(value)
        .map_err(|_| Error::invalid_input(format!("header `{name}` has an invalid value")))
}

pub(crate) fn header_name(name: &str) -> Result<HeaderName, Error> {
    HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::invalid_input(format!("`{name}` is not a valid header name")))
}

fn is_idempotent(method: &reqwest::Method) -> bool {
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

/// Why an attempt will be repeated, for the trace.
#[derive(Debug, Clone, Copy)]
enum RetryReason {
    RateLimited,
    ServerError,
    Timeout,
    Connect,
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
        let deadline = inner.deadline.map(|d| started + d);
        let idempotent = is_idempotent(&parts.method);
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
            let remaining = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            if remaining == Some(Duration::ZERO) {
                return Err(deadline_error(&parts, attempt - 1, started));
            }
            let timeout = match (inner.attempt_timeout, remaining) {
                (Some(a), Some(r)) => Some(a.min(r)),
                (a, r) => a.or(r),
            };
            let context = AuthContext {
                method: &parts.method,
                url: &url,
                base_url: &inner.base_url,
                http: &inner.http,
                timeout,
            };
            let credentials = inner.auth.authorize(context).await?;
            let credentials_tag = credentials.tag;
            // moved, not cloned; each credential header replaces any header of its name
            attempt_headers.extend(credentials.headers);
            // a `Request` filled in place: `RequestBuilder::headers` would copy the map into
            // one of its own
            let mut request = reqwest::Request::new(parts.method.clone(), url.clone());
            *request.headers_mut() = attempt_headers;
            if let Some(body) = &parts.body {
                *request.body_mut() = Some(body.clone().into());
            } else if parts.method != reqwest::Method::GET && parts.method != reqwest::Method::HEAD
            {
                *request.body_mut() = Some(Vec::new().into());
            }
            *request.timeout_mut() = timeout;
            let outcome = match inner.http.execute(request).await {
                Ok(mut response) => {
                    let status = response.status().as_u16();
                    // taken, not cloned: the body is read without them
                    let headers = std::mem::take(response.headers_mut());
                    response.bytes().await.map(|body| (status, headers, body))
                }
                Err(error) => Err(error),
            };
            let answer = outcome
                .as_ref()
                .ok()
                .map(|(status, headers, _)| (*status, headers));
            gate_pass.finish(answer, &mut gate_ticket);
            let (status, response_headers, body) = match outcome {
                Ok(parts) => parts,
                Err(error) => {
                    let reason = if error.is_connect() {
                        Some(RetryReason::Connect)
                    } else if error.is_timeout() && idempotent {
                        Some(RetryReason::Timeout)
                    } else {
                        None
                    };
                    let hit_deadline = error.is_timeout()
                        && deadline.is_some_and(|d| Instant::now() + Duration::from_millis(1) >= d);
                    if !hit_deadline {
                        if let Some(reason) = reason {
                            let wait = inner.retry.backoff_for(retries + 1, fastrand::f64());
                            if self.may_retry(attempt, wait, deadline) {
                                retries += 1;
                                self.wait_before_retry(&parts, attempt, reason, None, wait)
                                    .await;
                                continue;
                            }
                        }
                    }
                    if hit_deadline {
                        return Err(deadline_error(&parts, attempt, started));
                    }
                    return Err(Error::transport(
                        parts.operation_id,
                        error,
                        attempt,
                        started.elapsed(),
                    ));
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
                // without a copy when the response arrived in one piece
                body: Vec::from(body),
                attempts: attempt,
            };
            if (200..300).contains(&status) {
                return match vendor::error_in_success(profile.error_format, &response.body) {
                    Some(vendor) => Err(response.into_api_error(Some(vendor))),
                    None => Ok(response),
                };
            }
            let retry = match status {
                429 => Some((
                    RetryReason::RateLimited,
                    match rate_limit_wait(
                        inner.rate_limit.as_ref(),
                        &response.headers,
                        SystemTime::now(),
                    ) {
                        RateLimitWait::For(wait) => wait,
                        RateLimitWait::Backoff => {
                            inner.retry.backoff_for(retries + 1, fastrand::f64())
                        }
                    },
                )),
                500 | 502 | 503 | 504 if idempotent => Some((
                    RetryReason::ServerError,
                    inner.retry.backoff_for(retries + 1, fastrand::f64()),
                )),
                _ => None,
            };
            if let Some((reason, wait)) = retry {
                if self.may_retry(attempt, wait, deadline) {
                    retries += 1;
                    self.wait_before_retry(&parts, attempt, reason, Some(status), wait)
                        .await;
                    continue;
                }
            }
            let vendor = vendor::parse_error(profile.error_format, &response.body);
            return Err(response.into_api_error(vendor));
        }
    }

    /// Another attempt is allowed when the policy has attempts left and the wait ends before
    /// the deadline (a wait past it would only end in a timeout).
    fn may_retry(&self, attempt: u32, wait: Duration, deadline: Option<Instant>) -> bool {
        attempt < self.inner.retry.max_attempts
            && deadline.is_none_or(|d| Instant::now() + wait < d)
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
    fn base_url_rules() {
        assert_eq!(
            validate_base_url("https://acme.okta.com/", false)
                .ok()
                .as_deref(),
            Some("https://acme.okta.com")
        );
        assert!(validate_base_url("https://{yourOktaDomain}", false).is_err());
        assert!(validate_base_url("http://127.0.0.1:8080", false).is_err());
        assert_eq!(
            validate_base_url("http://127.0.0.1:8080", true)
                .ok()
                .as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert!(validate_base_url("ftp://x", true).is_err());
        assert!(validate_base_url("https://x/?a=b", false).is_err());
        assert!(validate_base_url("https://user:pw@x", false).is_err());
    }

    #[test]
    fn the_default_http_client_builds() {
        // reqwest takes a preconfigured rustls `ClientConfig` only from the rustls version it
        // links itself; any other is an "unknown TLS backend" error when the client is built.
        let http = http_client_builder().expect("TLS settings").build();
        assert!(http.is_ok(), "{http:?}");
    }

    #[test]
    fn header_values_reject_line_breaks() {
        assert!(header_value("X-Forwarded-For", "1.2.3.4\r\nX-Evil: 1").is_err());
        assert!(header_value("X-Forwarded-For", "1.2.3.4\n").is_err());
        assert!(header_value("User-Agent", "caf\u{e9}").is_err());
        assert!(header_value("User-Agent", "Mozilla/5.0 (X11)").is_ok());
    }

    #[test]
    fn only_idempotent_methods_replay_after_server_errors() {
        assert!(is_idempotent(&reqwest::Method::GET));
        assert!(is_idempotent(&reqwest::Method::DELETE));
        assert!(!is_idempotent(&reqwest::Method::POST));
    }

    #[test]
    fn links_must_stay_on_the_api_origin() {
        let same = reqwest::Url::parse("https://acme.okta.com/api/v1/x?after=1").expect("url");
        let other = reqwest::Url::parse("https://acme.okta.com.evil.io/api").expect("url");
        let port = reqwest::Url::parse("https://acme.okta.com:8443/api").expect("url");
        assert!(check_same_origin(&same, "https://acme.okta.com").is_ok());
        assert!(check_same_origin(&other, "https://acme.okta.com").is_err());
        assert!(check_same_origin(&port, "https://acme.okta.com").is_err());
    }
}
