//! Authentication as a per-attempt hook. Every attempt of every request asks the hook for its
//! credentials (so a hook can sign each request, bound to its method and URL), and the hook sees
//! every response (so a 401 can invalidate a cached token and ask for one more attempt).

use std::fmt;
use std::sync::Arc;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, COOKIE};

use super::error::Error;
use super::token::{AuthContext, Secret, TokenSource};
use super::token_cache::TokenCache;
use super::vendor::onelogin_auth::OneLoginClientCredentials;
use super::BoxFuture;

// the schemes of OpenAPI `securitySchemes`: API keys, HTTP Basic, OAuth 2.0 client credentials
mod schemes;

pub use schemes::{ApiKeyLocation, ClientCredentials};

/// Headers an auth hook adds to one attempt, plus a tag it gets back with the response.
#[derive(Debug, Default)]
pub struct Credentials {
    pub(crate) headers: HeaderMap,
    /// Query parameters added to the attempt's URL after the hook ran (API keys `in: query`).
    pub(crate) query: Vec<(String, Secret)>,
    pub(crate) tag: u64,
}

impl Credentials {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a header; its value is marked sensitive (never printed by `Debug` of the map) and
    /// must be visible ASCII, space or tab, with an error that does not contain the value.
    pub fn header(mut self, name: HeaderName, value: &str) -> Result<Self, Error> {
        let value = sensitive_value(value).ok_or_else(|| invalid_credential(&name))?;
        self.headers.insert(name, value);
        Ok(self)
    }

    /// Adds a query parameter to the attempt's URL (percent-encoded there). The hook saw the URL
    /// without it.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<Secret>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Adds a header whose value is already marked sensitive.
    pub(crate) fn sensitive_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        debug_assert!(value.is_sensitive());
        self.headers.insert(name, value);
        self
    }

    /// An opaque number returned to [`Authenticate::on_response`], e.g. which token was used.
    pub fn tag(mut self, tag: u64) -> Self {
        self.tag = tag;
        self
    }
}

/// The attempt's URL with the credentials' query parameters, or `None` when they add none.
pub(crate) fn with_query_credentials(
    url: &reqwest::Url,
    query: &[(String, Secret)],
) -> Option<reqwest::Url> {
    if query.is_empty() {
        return None;
    }
    let mut keyed = url.clone();
    {
        let mut pairs = keyed.query_pairs_mut();
        for (name, value) in query {
            pairs.append_pair(name, value.expose());
        }
    }
    Some(keyed)
}

/// Adds the credential headers to an attempt's: each replaces any header of its name, except a
/// `Cookie`, which joins the cookies the call already sends (one `Cookie` line, RFC 6265).
pub(crate) fn add_credential_headers(headers: &mut HeaderMap, credentials: HeaderMap) {
    let mut last: Option<HeaderName> = None;
    for (name, value) in credentials {
        // a header's further values come without a name: they follow its first
        let Some(name) = name else {
            if let Some(name) = &last {
                headers.append(name, value);
            }
            continue;
        };
        last = Some(name.clone());
        let joined = match headers.get(&name) {
            Some(sent) if name == COOKIE => {
                let mut joined = sent.as_bytes().to_vec();
                joined.extend_from_slice(b"; ");
                joined.extend_from_slice(value.as_bytes());
                HeaderValue::from_bytes(&joined).ok().map(|mut v| {
                    v.set_sensitive(true);
                    v
                })
            }
            _ => None,
        };
        headers.insert(name, joined.unwrap_or(value));
    }
}

/// A credential as a header value marked sensitive, or `None` unless it is visible ASCII,
/// space or tab: the rule every header value follows. `HeaderValue::from_str` alone would pass
/// bytes above 0x7f (obs-text), sending a non-ASCII token raw.
fn sensitive_value(value: &str) -> Option<HeaderValue> {
    let clean = value
        .bytes()
        .all(|b| b == b'\t' || (0x20..0x7f).contains(&b));
    let mut value = HeaderValue::from_str(value).ok().filter(|_| clean)?;
    value.set_sensitive(true);
    Some(value)
}

fn invalid_credential(name: &HeaderName) -> Error {
    Error::invalid_input(format!(
        "credential for `{name}` is not a valid header value (control or non-ASCII character)"
    ))
}

/// What the hook wants after seeing a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthAction {
    /// Hand the response to the caller (or to the retry policy).
    Proceed,
    /// Send the request once more with fresh credentials (a call gets at most one such retry,
    /// so a server that keeps answering 401 costs one refresh, not a storm).
    Retry,
    /// Send the request once more because the server demanded a new DPoP nonce (RFC 9449
    /// section 9) that the hook has stored for the next proof. A call gets at most
    /// [`MAX_NONCE_RETRIES`] of these, counted apart from [`AuthAction::Retry`], so a nonce
    /// challenge followed by an expired token still gets its one refresh.
    RetryWithNonce,
}

/// How many [`AuthAction::RetryWithNonce`] retries one call may make. A server that demands a
/// fresh nonce on every attempt is broken; two retries cover a nonce that rotated between the
/// challenge and the retry.
pub const MAX_NONCE_RETRIES: u32 = 2;

/// An authentication scheme. Implement it for schemes this crate does not ship.
pub trait Authenticate: Send + Sync {
    /// Credentials for one attempt.
    fn authorize<'a>(
        &'a self,
        context: AuthContext<'a>,
    ) -> BoxFuture<'a, Result<Credentials, Error>>;

    /// Sees each response; `tag` is the one the attempt's [`Credentials`] carried.
    fn on_response<'a>(
        &'a self,
        _status: u16,
        _headers: &'a HeaderMap,
        _tag: u64,
    ) -> BoxFuture<'a, AuthAction> {
        Box::pin(async { AuthAction::Proceed })
    }

    /// A label for `Debug` output. Must not contain secrets.
    fn describe(&self) -> String;
}

/// How requests are authenticated. Cheap to clone; `Debug` never shows a secret.
#[derive(Clone, Default)]
pub struct Auth {
    hook: Option<Arc<dyn Authenticate>>,
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.hook {
            None => f.write_str("Auth::None"),
            Some(hook) => write!(f, "Auth({})", hook.describe()),
        }
    }
}

impl Auth {
    /// No `Authorization` header (tests, or a proxy that adds it).
    pub fn none() -> Self {
        Self { hook: None }
    }

    /// Okta API token: `Authorization: SSWS <token>`.
    pub fn ssws(token: impl Into<Secret>) -> Self {
        Self::custom(StaticToken::new("SSWS", token.into()))
    }

    /// A static OAuth 2.0 access token: `Authorization: Bearer <token>`.
    pub fn bearer(token: impl Into<Secret>) -> Self {
        Self::custom(StaticToken::new("Bearer", token.into()))
    }

    /// OAuth 2.0 bearer tokens from `source`, cached until shortly before they expire, fetched
    /// once for all concurrent callers, and fetched anew once when the API answers 401.
    pub fn bearer_source(source: impl TokenSource + 'static) -> Self {
        Self::custom(CachedBearer {
            cache: TokenCache::new(source),
        })
    }

    /// OneLogin API credentials: the OAuth 2.0 client-credentials grant at
    /// `POST {base_url}/auth/oauth2/v2/token` with HTTP Basic auth, then `Bearer` tokens.
    pub fn onelogin_client_credentials(
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        Self::bearer_source(OneLoginClientCredentials {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        })
    }

    /// An API key sent with every request: in the header `name`, in the query parameter `name`,
    /// or as the cookie `name` (one pair of the `Cookie` header, joined to any cookies the call
    /// sends).
    pub fn api_key(
        location: ApiKeyLocation,
        name: impl Into<String>,
        key: impl Into<Secret>,
    ) -> Self {
        Self::custom(schemes::ApiKey {
            location,
            name: name.into(),
            key: key.into(),
        })
    }

    /// HTTP Basic: `Authorization: Basic base64(user:password)`.
    pub fn basic(user: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self::custom(schemes::Basic::new(user.into(), &password.into()))
    }

    /// A scheme of your own.
    pub fn custom(hook: impl Authenticate + 'static) -> Self {
        Self {
            hook: Some(Arc::new(hook)),
        }
    }

    pub(crate) async fn authorize(&self, context: AuthContext<'_>) -> Result<Credentials, Error> {
        match &self.hook {
            None => Ok(Credentials::new()),
            Some(hook) => hook.authorize(context).await,
        }
    }

    pub(crate) async fn on_response(
        &self,
        status: u16,
        headers: &HeaderMap,
        tag: u64,
    ) -> AuthAction {
        match &self.hook {
            None => AuthAction::Proceed,
            Some(hook) => hook.on_response(status, headers, tag).await,
        }
    }
}

/// `Authorization: <scheme> <token>` on every request.
struct StaticToken {
    scheme: &'static str,
    /// The header value, made once and marked sensitive (it was a string and a header value
    /// made on every call); `None` when the token cannot be a header value, an error every
    /// call reports before anything is sent.
    value: Option<HeaderValue>,
}

impl StaticToken {
    fn new(scheme: &'static str, token: Secret) -> Self {
        let value = sensitive_value(&format!("{scheme} {}", token.expose()));
        Self { scheme, value }
    }
}

impl Authenticate for StaticToken {
    fn authorize<'a>(
        &'a self,
        _context: AuthContext<'a>,
    ) -> BoxFuture<'a, Result<Credentials, Error>> {
        let credentials = match &self.value {
            Some(value) => Ok(Credentials::new().sensitive_header(AUTHORIZATION, value.clone())),
            None => Err(invalid_credential(&AUTHORIZATION)),
        };
        Box::pin(std::future::ready(credentials))
    }

    fn describe(&self) -> String {
        format!("{} <redacted>", self.scheme)
    }
}

struct CachedBearer<S> {
    cache: TokenCache<S>,
}

impl<S: TokenSource + 'static> Authenticate for CachedBearer<S> {
    fn authorize<'a>(
        &'a self,
        context: AuthContext<'a>,
    ) -> BoxFuture<'a, Result<Credentials, Error>> {
        Box::pin(async move {
            let (token, generation) = self.cache.get(context).await?;
            let value = format!("Bearer {}", token.access_token.expose());
            Ok(Credentials::new()
                .header(AUTHORIZATION, &value)?
                .tag(generation))
        })
    }

    fn on_response<'a>(
        &'a self,
        status: u16,
        _headers: &'a HeaderMap,
        tag: u64,
    ) -> BoxFuture<'a, AuthAction> {
        Box::pin(async move {
            if status == 401 {
                self.cache.invalidate(tag);
                AuthAction::Retry
            } else {
                AuthAction::Proceed
            }
        })
    }

    fn describe(&self) -> String {
        format!("Bearer from {}", self.cache.source().describe())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_stay_out_of_debug() {
        for auth in [
            Auth::ssws("tok-123"),
            Auth::bearer("tok-123"),
            Auth::onelogin_client_credentials("id", "tok-123"),
            Auth::api_key(ApiKeyLocation::Query, "key", "tok-123"),
            Auth::basic("user", "tok-123"),
            ClientCredentials::new("/token", "id", "tok-123").into(),
        ] {
            let text = format!("{auth:?}");
            assert!(!text.contains("tok-123"), "{text}");
        }
        assert_eq!(format!("{:?}", Secret::new("x")), "Secret(<redacted>)");
    }

    #[test]
    fn credential_headers_replace_except_cookies_which_join() {
        let mut sent = HeaderMap::new();
        sent.insert(AUTHORIZATION, HeaderValue::from_static("Bearer old"));
        sent.insert(COOKIE, HeaderValue::from_static("theme=dark"));
        let mut credentials = HeaderMap::new();
        credentials.insert(AUTHORIZATION, HeaderValue::from_static("Bearer new"));
        credentials.insert(COOKIE, HeaderValue::from_static("sid=1"));
        credentials.append(COOKIE, HeaderValue::from_static("csrf=2"));
        add_credential_headers(&mut sent, credentials);
        assert_eq!(sent.get_all(AUTHORIZATION).iter().count(), 1);
        assert_eq!(sent[AUTHORIZATION], "Bearer new");
        let cookies: Vec<_> = sent.get_all(COOKIE).iter().collect();
        assert_eq!(cookies, ["theme=dark; sid=1", "csrf=2"]);
        assert!(sent[COOKIE].is_sensitive());
    }

    #[test]
    fn query_credentials_are_percent_encoded() {
        let url = reqwest::Url::parse("https://api.example.com/v1/x?a=1").expect("url");
        assert!(with_query_credentials(&url, &[]).is_none());
        let keyed = with_query_credentials(&url, &[("key".into(), Secret::new("a&b=c d"))]);
        assert_eq!(
            keyed.map(|u| u.to_string()).as_deref(),
            Some("https://api.example.com/v1/x?a=1&key=a%26b%3Dc+d")
        );
    }

    #[test]
    fn credentials_must_be_visible_ascii() {
        assert!(sensitive_value("Bearer abc.DEF-123_~+/=").is_some());
        assert!(sensitive_value("SSWS caf\u{e9}").is_none());
        assert!(sensitive_value("SSWS \u{7f}").is_none());
        let error = Credentials::new()
            .header(AUTHORIZATION, "Bearer t\u{f6}ken")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("non-ASCII"), "{error}");
        assert!(!error.contains("t\u{f6}ken"), "{error}");
    }

    #[test]
    fn credentials_reject_line_breaks_without_echoing_them() {
        let error = Credentials::new()
            .header(AUTHORIZATION, "SSWS abc\r\nX-Evil: 1")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("not a valid header value"), "{error}");
        assert!(!error.contains("abc"), "{error}");
    }
}
