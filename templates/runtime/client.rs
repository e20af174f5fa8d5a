use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE,
    USER_AGENT,
};

use super::error::ApiError;
use super::{Auth, Error, RawResponse, RequestParts};

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
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    auth: Auth,
    profile: Profile,
    timeout: Option<Duration>,
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
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
    }
}

/// Builds a provider client; `C` is the provider's `Client` type.
pub struct ClientBuilder<C> {
    base_url: String,
    profile: Profile,
    auth: Auth,
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    allow_http: bool,
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("auth", &self.auth)
            .field("timeout", &self.timeout)
            .field("allow_http", &self.allow_http)
            .finish_non_exhaustive()
    }
}

impl<C: From<ClientCore>> ClientBuilder<C> {
    pub fn new(base_url: impl Into<String>, profile: Profile) -> Self {
        Self {
            base_url: base_url.into(),
            profile,
            auth: Auth::None,
            http: None,
            timeout: None,
            allow_http: false,
            client: PhantomData,
        }
    }

    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// Uses this `reqwest::Client` (connection pool, proxies, TLS settings) for every request.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Time limit for one attempt, from sending the request to reading the whole body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
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
            None => reqwest::Client::builder()
                .build()
                .map_err(|e| Error::invalid_input(format!("HTTP client cannot be built: {e}")))?,
        };
        Ok(C::from(ClientCore {
            inner: Arc::new(Inner {
                http,
                base_url,
                auth: self.auth,
                profile: self.profile,
                timeout: self.timeout,
            }),
        }))
    }
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
    Ok(url.as_str().trim_end_matches('/').to_owned())
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

fn header_name(name: &str) -> Result<HeaderName, Error> {
    HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::invalid_input(format!("`{name}` is not a valid header name")))
}

impl ClientCore {
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends one request. Returns the raw response for 2xx statuses, an error otherwise.
    pub async fn execute(&self, parts: RequestParts) -> Result<RawResponse, Error> {
        let inner = &*self.inner;
        // Every header is validated and merged into one map before anything is sent; a
        // per-call header replaces a client default instead of adding a second line.
        let mut headers = HeaderMap::new();
        headers.insert(
            USER_AGENT,
            HeaderValue::from_static(inner.profile.user_agent),
        );
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(value) = inner.auth.header_value() {
            let mut value = header_value("Authorization", &value)?;
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }
        for (name, value) in &parts.headers {
            headers.insert(header_name(name)?, header_value(name, value)?);
        }
        let url = parts.url(&inner.base_url);
        let mut request = inner.http.request(parts.method.clone(), url);
        match parts.body {
            Some(body) => {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                request = request.body(body);
            }
            None if parts.method != reqwest::Method::GET
                && parts.method != reqwest::Method::HEAD =>
            {
                // Okta answers 411 to a bodiless POST without Content-Length.
                headers.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
                request = request.body(Vec::new());
            }
            None => {}
        }
        request = request.headers(headers);
        if let Some(timeout) = inner.timeout {
            request = request.timeout(timeout);
        }
        let response = request.send().await.map_err(Error::transport)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let request_id = inner
            .profile
            .request_id_header
            .and_then(|name| headers.get(name))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.bytes().await.map_err(Error::transport)?.to_vec();
        if !(200..300).contains(&status) {
            return Err(Error::Api(Box::new(ApiError {
                operation_id: parts.operation_id,
                endpoint: format!("{} {}", parts.method, parts.path_template),
                status,
                request_id,
                headers,
                body: String::from_utf8_lossy(&body).into_owned(),
            })));
        }
        Ok(RawResponse {
            operation_id: parts.operation_id,
            endpoint: format!("{} {}", parts.method, parts.path_template),
            status,
            headers,
            request_id,
            body,
        })
    }
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
    }

    #[test]
    fn header_values_reject_line_breaks() {
        assert!(header_value("X-Forwarded-For", "1.2.3.4\r\nX-Evil: 1").is_err());
        assert!(header_value("X-Forwarded-For", "1.2.3.4\n").is_err());
        assert!(header_value("User-Agent", "caf\u{e9}").is_err());
        assert!(header_value("User-Agent", "Mozilla/5.0 (X11)").is_ok());
    }
}
