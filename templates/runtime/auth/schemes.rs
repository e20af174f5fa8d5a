//! The vendor-neutral schemes of OpenAPI `securitySchemes`: an API key in a header, a query
//! parameter or a cookie, HTTP Basic, and the OAuth 2.0 client-credentials grant at a token URL
//! the spec names. The generator writes one helper per scheme a spec declares; these are what
//! the helpers return.

use base64::Engine as _;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION, COOKIE};

use super::super::error::Error;
use super::super::token::{parse_token_response, AuthContext, Secret, Token, TokenSource};
use super::super::token_request::send_token_request;
use super::super::BoxFuture;
use super::{invalid_credential, sensitive_value, Auth, Authenticate, Credentials};

/// Where an API key goes (OpenAPI `in` of an `apiKey` scheme).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiKeyLocation {
    Header,
    Query,
    /// One `name=key` pair of the `Cookie` header.
    Cookie,
}

/// An API key sent with every request.
pub(super) struct ApiKey {
    pub(super) location: ApiKeyLocation,
    pub(super) name: String,
    pub(super) key: Secret,
}

impl ApiKey {
    fn credentials(&self) -> Result<Credentials, Error> {
        match self.location {
            ApiKeyLocation::Header => {
                let name = HeaderName::from_bytes(self.name.as_bytes()).map_err(|_| {
                    Error::invalid_input(format!("`{}` is not a header name", self.name))
                })?;
                Credentials::new().header(name, self.key.expose())
            }
            ApiKeyLocation::Query => Ok(Credentials::new().query(&self.name, self.key.clone())),
            ApiKeyLocation::Cookie => {
                // a `;` or `,` would end the pair and start another cookie; a cookie name is a
                // token
                let bad_name = self.name.is_empty()
                    || !self
                        .name
                        .bytes()
                        .all(|b| b.is_ascii_graphic() && !b"=;,".contains(&b));
                if bad_name || self.key.expose().contains([';', ',']) {
                    return Err(invalid_credential(&COOKIE));
                }
                Credentials::new().header(COOKIE, &format!("{}={}", self.name, self.key.expose()))
            }
        }
    }
}

impl Authenticate for ApiKey {
    fn authorize<'a>(
        &'a self,
        _context: AuthContext<'a>,
    ) -> BoxFuture<'a, Result<Credentials, Error>> {
        Box::pin(std::future::ready(self.credentials()))
    }

    fn describe(&self) -> String {
        format!("API key in {:?} `{}` <redacted>", self.location, self.name)
    }
}

/// `Authorization: Basic base64(user:password)`, encoded once.
pub(super) struct Basic {
    pub(super) user: String,
    pub(super) value: Option<HeaderValue>,
}

impl Basic {
    pub(super) fn new(user: String, password: &Secret) -> Self {
        let encoded = base64::engine::general_purpose::STANDARD
            .encode(format!("{user}:{}", password.expose()));
        let value = sensitive_value(&format!("Basic {encoded}"));
        Self { user, value }
    }
}

impl Authenticate for Basic {
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
        format!("Basic {} <redacted>", self.user)
    }
}

/// The OAuth 2.0 client-credentials grant (RFC 6749 section 4.4) at the token URL of a spec's
/// `oauth2` scheme: `POST` of a form with `grant_type=client_credentials` and the scopes, the
/// client authenticated with HTTP Basic (`client_secret_basic`), then `Bearer` tokens cached and
/// shared like every token source. Converts into an [`Auth`].
#[derive(Clone)]
pub struct ClientCredentials {
    token_url: String,
    client_id: String,
    client_secret: Secret,
    scopes: Vec<String>,
}

impl std::fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl ClientCredentials {
    /// A grant at `token_url`: absolute, or relative to the client's base URL.
    pub fn new(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        Self {
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            scopes: Vec::new(),
        }
    }

    /// Replaces the token URL (a test server, a regional endpoint).
    pub fn token_url(mut self, token_url: impl Into<String>) -> Self {
        self.token_url = token_url.into();
        self
    }

    /// Asks for one more scope.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scopes.push(scope.into());
        self
    }

    /// The token endpoint for a client at `base_url`. An `http://` token URL is refused unless
    /// the base URL itself is `http://` (a client built with `allow_http` for a local server).
    fn resolve(&self, base_url: &str) -> Result<reqwest::Url, Error> {
        let base = reqwest::Url::parse(&format!("{base_url}/"))
            .map_err(|e| Error::invalid_input(format!("base URL does not parse: {e}")))?;
        let url = base
            .join(&self.token_url)
            .map_err(|e| Error::invalid_input(format!("token URL does not parse: {e}")))?;
        let allowed =
            url.scheme() == "https" || (url.scheme() == "http" && base.scheme() == "http");
        if !allowed {
            return Err(Error::invalid_input(format!(
                "token URL `{url}` is not https: credentials would cross the network in clear text"
            )));
        }
        Ok(url)
    }

    fn form(&self) -> String {
        let mut form = String::from("grant_type=client_credentials");
        if !self.scopes.is_empty() {
            form.push_str("&scope=");
            form.extend(utf8_percent_encode(
                &self.scopes.join(" "),
                NON_ALPHANUMERIC,
            ));
        }
        form
    }
}

impl TokenSource for ClientCredentials {
    fn fetch<'a>(&'a self, context: AuthContext<'a>) -> BoxFuture<'a, Result<Token, Error>> {
        Box::pin(async move {
            let url = self.resolve(context.base_url)?;
            let response = send_token_request(&context, |_| {
                Ok(context
                    .http
                    .post(url.clone())
                    .basic_auth(&self.client_id, Some(self.client_secret.expose()))
                    .header(
                        reqwest::header::CONTENT_TYPE,
                        "application/x-www-form-urlencoded",
                    )
                    .body(self.form()))
            })
            .await?;
            parse_token_response(response.status, &response.body)
        })
    }

    fn describe(&self) -> String {
        format!(
            "OAuth 2.0 client credentials at {} (client id {})",
            self.token_url, self.client_id
        )
    }
}

impl From<ClientCredentials> for Auth {
    fn from(grant: ClientCredentials) -> Self {
        Auth::bearer_source(grant)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_keys_cannot_add_cookies() {
        let key = |name: &str, key: &str| ApiKey {
            location: ApiKeyLocation::Cookie,
            name: name.into(),
            key: Secret::new(key),
        };
        let sent = key("session", "abc").credentials().map(|c| c.headers);
        assert_eq!(
            sent.ok().and_then(|h| h.get(COOKIE).cloned()),
            Some(HeaderValue::from_static("session=abc"))
        );
        assert!(key("session", "abc; admin=1").credentials().is_err());
        assert!(key("a;b", "abc").credentials().is_err());
    }

    #[test]
    fn basic_is_base64_of_user_and_password() {
        let basic = Basic::new("Aladdin".into(), &Secret::new("open sesame"));
        assert_eq!(
            basic.value.as_ref().and_then(|v| v.to_str().ok()),
            Some("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
        );
    }

    #[test]
    fn token_urls_resolve_against_the_base_and_stay_on_https() {
        let grant = ClientCredentials::new("/oauth/token", "id", "secret")
            .scope("a:b")
            .scope("c");
        let url = grant
            .resolve("https://api.example.com/v1")
            .map(|u| u.to_string());
        assert_eq!(
            url.ok().as_deref(),
            Some("https://api.example.com/oauth/token")
        );
        let relative = grant.clone().token_url("token");
        let url = relative
            .resolve("https://api.example.com/v1")
            .map(|u| u.to_string());
        assert_eq!(
            url.ok().as_deref(),
            Some("https://api.example.com/v1/token")
        );
        let clear = grant.clone().token_url("http://evil.example/token");
        assert!(clear.resolve("https://api.example.com").is_err());
        assert!(clear.resolve("http://127.0.0.1:1").is_ok());
        assert_eq!(
            grant.form(),
            "grant_type=client_credentials&scope=a%3Ab%20c"
        );
        assert!(!format!("{grant:?}").contains("secret"));
    }
}
