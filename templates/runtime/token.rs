//! What a token-based auth works with: the secret, the context of the attempt it authorizes,
//! the token and the source that fetches one. Below the auth hooks, the token cache and the
//! token request, which all build on these types.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::error::{Error, TokenError};
use super::rate_limit::RateLimitNames;
use super::response::BodyLimits;
use super::retry::{RetryPolicy, Sleeper};
use super::BoxFuture;

/// A credential that never shows up in `Debug` or `Display` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret text, for code that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// What an auth hook knows about the attempt it authorizes.
#[derive(Debug, Clone, Copy)]
pub struct AuthContext<'a> {
    /// The request method, for signatures bound to it.
    pub method: &'a reqwest::Method,
    /// The full request URL, for signatures bound to it.
    pub url: &'a reqwest::Url,
    /// The client's validated base URL (token endpoints live beside the API).
    pub base_url: &'a str,
    /// The client's HTTP client, for token requests.
    pub http: &'a reqwest::Client,
    /// The time one token request may take: the client's attempt timeout. The call's deadline
    /// bounds the whole hook from outside (a hook still running at the deadline is dropped and
    /// the call fails with [`TimeoutKind::Deadline`](super::TimeoutKind::Deadline)), and a
    /// token fetch is shared by every call waiting for it, so it is not cut short by the
    /// deadline of the one call that happened to start it.
    pub timeout: Option<Duration>,
    /// The client's settings that token requests follow as API calls do (the crate's own
    /// token sources use them; they are not part of the public API).
    pub(crate) retry: &'a RetryPolicy,
    pub(crate) rate_limit: Option<&'a RateLimitNames>,
    pub(crate) sleeper: &'a Arc<dyn Sleeper>,
    pub(crate) body_limits: BodyLimits,
    /// The client's deadline: the budget of one token fetch, counted from its start.
    pub(crate) deadline: Option<Duration>,
}

/// An access token and how long it stays valid.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Token {
    pub access_token: Secret,
    /// `expires_in` of the token response; `None` means "until the API says 401".
    pub expires_in: Option<Duration>,
    /// `token_type` of the token response (`Bearer`, `DPoP`), when it had one: a DPoP-bound
    /// token must be sent as `Authorization: DPoP <token>` with a proof.
    pub token_type: Option<String>,
}

impl Token {
    pub fn new(access_token: impl Into<Secret>, expires_in: Option<Duration>) -> Self {
        Self {
            access_token: access_token.into(),
            expires_in,
            token_type: None,
        }
    }

    /// Reads an OAuth 2.0 token response (RFC 6749 section 5.1; errors per section 5.2 or
    /// OneLogin's `status` envelope), as the built-in token sources do: for a
    /// [`TokenSource`] of your own. A non-2xx status or a body without a string `access_token`
    /// is an [`Error::Token`] that keeps none of the body but its error code and description.
    pub fn from_response(status: u16, body: &[u8]) -> Result<Self, Error> {
        parse_token_response(status, body)
    }

    /// True when the server issued a DPoP-bound token (`token_type` is `DPoP`, any case).
    pub fn is_dpop(&self) -> bool {
        self.token_type
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("DPoP"))
    }
}

/// Fetches OAuth 2.0 access tokens. Wrapped in a cache by
/// [`Auth::bearer_source`](super::Auth::bearer_source).
pub trait TokenSource: Send + Sync {
    fn fetch<'a>(&'a self, context: AuthContext<'a>) -> BoxFuture<'a, Result<Token, Error>>;

    /// A label for `Debug` output. Must not contain secrets.
    fn describe(&self) -> String;
}

/// Reads an OAuth 2.0 token response; a non-2xx status or a body without `access_token` is a
/// [`TokenError`] with the RFC 6749 `error` code (or the vendor's `status.type`).
pub(crate) fn parse_token_response(status: u16, body: &[u8]) -> Result<Token, Error> {
    let value: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    // No text kept from the response may repeat a token it carries (a server that echoes one
    // into `error_description` would otherwise put it in the logs).
    let secrets: Vec<&str> = ["access_token", "refresh_token", "id_token"]
        .iter()
        .filter_map(|key| value.as_ref()?.get(key)?.as_str())
        .filter(|secret| !secret.is_empty())
        .collect();
    let text = |key: &str| {
        value
            .as_ref()
            .and_then(|v| {
                v.get(key)
                    .or_else(|| v.get("status").and_then(|s| s.get(key)))
            })
            .and_then(serde_json::Value::as_str)
            .map(|text| {
                secrets.iter().fold(text.to_owned(), |text, secret| {
                    text.replace(secret, "<redacted>")
                })
            })
    };
    let access_token = value
        .as_ref()
        .and_then(|v| v.get("access_token"))
        .and_then(serde_json::Value::as_str);
    match access_token {
        Some(token) if (200..300).contains(&status) => Ok(Token {
            access_token: Secret::new(token),
            expires_in: value
                .as_ref()
                .and_then(|v| v.get("expires_in"))
                .and_then(serde_json::Value::as_u64)
                .map(Duration::from_secs),
            token_type: text("token_type"),
        }),
        // The body is not kept: one that does not parse may still carry a token.
        _ if (200..300).contains(&status) => Err(Error::Token(Box::new(TokenError::new(
            status,
            Some("invalid_token_response"),
            Some(if value.is_some() {
                "the token response has no string `access_token`"
            } else {
                "the token response is not JSON"
            }),
        )))),
        _ => Err(Error::Token(Box::new(TokenError::new(
            status,
            text("error").or_else(|| text("type")).as_deref(),
            text("error_description")
                .or_else(|| text("message"))
                .as_deref(),
        )))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_responses() {
        let ok = parse_token_response(200, br#"{"access_token":"abc","expires_in":36000}"#);
        let token = ok.expect("a token");
        assert_eq!(token.access_token.expose(), "abc");
        assert_eq!(token.expires_in, Some(Duration::from_secs(36000)));

        let refused = parse_token_response(
            400,
            br#"{"error":"invalid_client","error_description":"bad secret"}"#,
        );
        let Err(Error::Token(e)) = refused else {
            panic!("a token error");
        };
        assert_eq!(
            (e.status, e.error.as_deref()),
            (400, Some("invalid_client"))
        );

        let onelogin = parse_token_response(
            401,
            br#"{"status":{"error":true,"code":401,"type":"Unauthorized","message":"Authentication Failure"}}"#,
        );
        let Err(Error::Token(e)) = onelogin else {
            panic!("a token error");
        };
        assert_eq!(e.error.as_deref(), Some("Unauthorized"));
        assert_eq!(
            e.error_description.as_deref(),
            Some("Authentication Failure")
        );
    }

    #[test]
    fn unusable_token_responses_keep_no_part_of_the_body() {
        for (status, body) in [
            (
                200,
                &br#"{"access_token":"SECRET123","refresh_token":"SECRET456","#[..],
            ),
            (200, br#"{"access_token":{"value":"SECRET123"}}"#),
            (
                400,
                br#"{"error":"invalid_grant","refresh_token":"SECRET456"}"#,
            ),
            (
                400,
                br#"{"error":"bad SECRET456","error_description":"x SECRET123","access_token":"SECRET123","refresh_token":"SECRET456"}"#,
            ),
        ] {
            let error = parse_token_response(status, body).expect_err("no token");
            let text = format!("{error:?} {error}");
            assert!(!text.contains("SECRET"), "{text}");
            assert_eq!(error.status(), Some(status));
        }
    }
}
