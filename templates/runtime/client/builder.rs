//! Building a client: its settings, their defaults and the HTTP client it makes when none is
//! injected.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use super::super::auth::Auth;
use super::super::error::Error;
use super::super::gate::Gate;
use super::super::headers::{
    header_name, header_value, invalid_header_name, refuse_framing_header,
};
use super::super::profile::Profile;
use super::super::rate_limit::RateLimitNames;
use super::super::response::BodyLimits;
use super::super::retry::{RetryPolicy, Sleeper, TokioSleeper};
use super::super::url::validate_base_url;
use super::{ClientCore, Inner};

/// Default time limit of one attempt.
const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default limit of a whole call, retry waits included: long enough for one Okta rate-limit
/// window (60 s) to pass.
const DEFAULT_DEADLINE: Duration = Duration::from_secs(120);

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
    app_name: Option<String>,
    default_headers: Vec<(String, String)>,
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
            .field("app_name", &self.app_name)
            // names only: a default header may carry a tenant key
            .field(
                "default_headers",
                &self
                    .default_headers
                    .iter()
                    .map(|(n, _)| n)
                    .collect::<Vec<_>>(),
            )
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
            app_name: None,
            default_headers: Vec::new(),
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
    /// [`DEFAULT_MAX_RESPONSE_BODY`](super::super::DEFAULT_MAX_RESPONSE_BODY), 16 MiB).
    /// A longer body fails the call with [`Error::ResponseTooLarge`] as soon as the limit is
    /// passed (or at once when `Content-Length` announces more); it is never buffered whole.
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.body.max_bytes = bytes;
        self
    }

    /// Longest pause while a response body arrives (default
    /// [`DEFAULT_BODY_IDLE_TIMEOUT`](super::super::DEFAULT_BODY_IDLE_TIMEOUT),
    /// 10 s): a body that stops arriving fails the attempt as a timeout of kind
    /// [`TimeoutKind::BodyIdle`](super::super::TimeoutKind::BodyIdle) without waiting for the attempt timeout or the deadline.
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

    /// Your application's name and version (`acme-portal/2.3`), appended to the SDK's own in
    /// `User-Agent` (`idp-mfa/0.2.0 acme-portal/2.3`), as the AWS SDK's app name and Okta's
    /// user-agent extension do, so the vendor's logs tell your traffic apart. The SDK sets
    /// `User-Agent` on every request, so a `reqwest::Client` built with `.user_agent()` does
    /// not show its own: set it here. Checked by `build()` (printable text, no line breaks).
    pub fn app_name(mut self, name_and_version: impl Into<String>) -> Self {
        self.app_name = Some(name_and_version.into());
        self
    }

    /// A header sent with every request of this client; a call's `.header()` of the same name
    /// replaces it, credentials always win. Checked by `build()`, which refuses invalid names
    /// and values and the headers that frame a message (`Content-Length`, `Host`, ...).
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    pub fn build(self) -> Result<C, Error> {
        let base_url = validate_base_url(&self.base_url, self.allow_http)?;
        let base = reqwest::Url::parse(&base_url)
            .map_err(|e| Error::invalid_input(format!("base URL does not parse: {e}")))?;
        let http = match self.http {
            Some(http) => http,
            None if !HAS_TLS && base.scheme() == "https" => return Err(no_tls_backend(&base_url)),
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
        let user_agent = match &self.app_name {
            Some(app) if app.trim().is_empty() => {
                return Err(Error::invalid_input("app_name is empty".to_owned()))
            }
            Some(app) => header_value(
                "User-Agent",
                &format!("{} {}", self.profile.user_agent, app.trim()),
            )?,
            None => reqwest::header::HeaderValue::from_static(self.profile.user_agent),
        };
        let mut default_headers = reqwest::header::HeaderMap::new();
        for (name, value) in &self.default_headers {
            let name = header_name(name)?;
            refuse_framing_header(&name)?;
            let value = header_value(name.as_str(), value)?;
            default_headers.insert(name, value);
        }
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
                user_agent,
                default_headers,
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
/// TLS, by the crate's features:
/// - `rustls` (default): rustls with the aws-lc-rs crypto provider (post-quantum key exchange
///   X25519MLKEM768 first) and the platform's certificate verifier (the system's trust store),
///   HTTP/1.1. When the application installed a process-wide default rustls provider, that one
///   is used instead.
/// - `rustls-ring` (without `rustls`): the same on the ring provider, which has no post-quantum
///   key exchange.
/// - `native-tls` (without either): the platform's TLS library, through reqwest.
///
/// The rustls features turn on reqwest's `rustls-no-provider`, so a plain
/// `reqwest::Client::new()` panics unless the application installed a default provider or
/// enabled reqwest's own `rustls` feature; this builder does not install one.
pub fn http_client_builder() -> Result<reqwest::ClientBuilder, Error> {
    let builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
    #[cfg(any(feature = "rustls", feature = "rustls-ring"))]
    {
        use rustls_platform_verifier::BuilderVerifierExt;
        let provider = rustls::crypto::CryptoProvider::get_default()
            .cloned()
            .unwrap_or_else(|| Arc::new(tls_provider()));
        let mut tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .and_then(|config| config.with_platform_verifier())
            .map_err(|e| Error::invalid_input(format!("TLS settings cannot be built: {e}")))?
            .with_no_client_auth();
        // What reqwest offers itself without its `http2` feature (off in this crate).
        tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(builder.tls_backend_preconfigured(tls))
    }
    #[cfg(all(
        feature = "native-tls",
        not(any(feature = "rustls", feature = "rustls-ring"))
    ))]
    return Ok(builder.tls_backend_native());
    #[cfg(not(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls")))]
    Ok(builder)
}

/// The rustls crypto provider of the `rustls` feature: aws-lc-rs, the one rustls recommends.
#[cfg(feature = "rustls")]
fn tls_provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::aws_lc_rs::default_provider()
}

/// The rustls crypto provider of the `rustls-ring` feature, an explicit opt-in: rustls 0.23.48
/// deprecates it because ring has no post-quantum key exchange. The feature's documentation
/// says so; the default `rustls` feature never reaches this.
#[cfg(all(feature = "rustls-ring", not(feature = "rustls")))]
#[allow(deprecated)]
fn tls_provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::ring::default_provider()
}

/// Whether this build has a TLS backend of its own (a feature of this crate).
const HAS_TLS: bool = cfg!(any(
    feature = "rustls",
    feature = "rustls-ring",
    feature = "native-tls"
));

/// The error `build()` gives for an `https` base URL when the crate was built without a TLS
/// feature and no HTTP client was injected: without it, every call would fail later with
/// reqwest's "invalid URL, scheme is not http".
fn no_tls_backend(base_url: &str) -> Error {
    Error::invalid_input(format!(
        "base URL `{base_url}` is https, but this build has no TLS backend: enable the \
         `rustls` feature (the default), `rustls-ring` or `native-tls`, or inject a \
         `reqwest::Client` with TLS through `http_client`"
    ))
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

    fn profile() -> Profile {
        Profile {
            provider: "test",
            request_id_header: None,
            user_agent: "idp-runtime/test",
            user_agent_extended_header: None,
            retry_for_header: None,
            retry_count_header: None,
            rate_limit: None,
            error_format: super::super::super::vendor::ErrorFormat::Unparsed,
        }
    }

    /// The default TLS has post-quantum key exchange: aws-lc-rs offers X25519MLKEM768 first
    /// (ring, the provider before, has none and is deprecated by rustls for that).
    #[cfg(feature = "rustls")]
    #[test]
    fn the_default_tls_provider_offers_post_quantum_key_exchange_first() {
        let groups: Vec<_> = tls_provider().kx_groups.iter().map(|g| g.name()).collect();
        assert_eq!(
            groups.first(),
            Some(&rustls::NamedGroup::X25519MLKEM768),
            "{groups:?}"
        );
    }

    /// Built without any TLS feature (`cargo test -p idp-runtime --no-default-features --lib`):
    /// an https base URL fails in `build()` and the error names the features to enable.
    #[cfg(not(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls")))]
    #[test]
    fn without_a_tls_feature_an_https_base_url_fails_in_build_naming_the_features() {
        let built = ClientBuilder::<ClientCore>::new("https://acme.okta.com", profile()).build();
        let message = built.map(|_| ()).unwrap_err().to_string();
        for feature in ["`rustls`", "`rustls-ring`", "`native-tls`"] {
            assert!(
                message.contains(feature),
                "{feature} missing from: {message}"
            );
        }
        // A test server over http needs no TLS, and an injected client brings its own.
        let plain = ClientBuilder::<ClientCore>::new("http://127.0.0.1:1", profile())
            .allow_http(true)
            .build();
        assert!(plain.is_ok());
        let injected = ClientBuilder::<ClientCore>::new("https://acme.okta.com", profile())
            .http_client(reqwest::Client::new())
            .build();
        assert!(injected.is_ok());
    }

    #[cfg(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls"))]
    #[test]
    fn with_a_tls_feature_an_https_base_url_builds() {
        let built = ClientBuilder::<ClientCore>::new("https://acme.okta.com", profile()).build();
        assert!(built.is_ok());
    }
}
