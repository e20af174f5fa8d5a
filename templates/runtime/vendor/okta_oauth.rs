//! Okta OAuth 2.0 for service apps: the client-credentials grant with `private_key_jwt` client
//! authentication (RFC 7523) at the org authorization server, optionally with DPoP-bound access
//! tokens (RFC 9449).
//!
//! Every cryptographic operation (RSA PKCS#1 v1.5 and ECDSA P-256 signatures, SHA-256, key
//! parsing and validation, key generation, randomness) is done by the crypto library the TLS
//! backend already compiles: aws-lc-rs with the default `rustls`, ring with `rustls-ring`.
//! This module only writes JWS compact serializations (base64url of JSON, joined by dots) and
//! wraps a SEC1 key in its PKCS#8 envelope (DER framing), which is encoding, not cryptography.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE,
};
use serde_json::{json, Value};

use super::super::auth::{Auth, AuthAction, Authenticate, Credentials};
use super::super::error::{Error, TokenError};
use super::super::token::{parse_token_response, AuthContext, Token, TokenSource};
use super::super::token_cache::TokenCache;
use super::super::token_request::send_token_request;
use super::super::BoxFuture;

// the crypto library that signs: aws-lc-rs or ring, the one the TLS backend compiles
mod crypto;
// signing keys: parsing, validation, JWK export and JWS signatures
mod key;

use crypto::lib::digest;
use crypto::lib::rand::{SecureRandom, SystemRandom};

pub use key::PrivateKey;
use key::{b64, key_error};

/// Okta's org authorization server token endpoint: the only one whose tokens the management
/// API (`/api/v1/...`) accepts.
const OKTA_TOKEN_PATH: &str = "/oauth2/v1/token";
const JWT_BEARER_ASSERTION: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// Lifetime of a client assertion. Okta accepts up to one hour; five minutes keeps a leaked
/// assertion short-lived while leaving room for a few minutes of clock skew.
const ASSERTION_LIFETIME_SECS: u64 = 300;
/// How often one token request may be repeated because the token endpoint asked for a DPoP
/// nonce (`400 {"error":"use_dpop_nonce"}`): once is the normal dance, twice covers a nonce
/// that rotated in between; a server that asks a third time is broken.
const MAX_TOKEN_NONCE_RETRIES: u32 = 2;
const DPOP: HeaderName = HeaderName::from_static("dpop");
const DPOP_NONCE: &str = "dpop-nonce";

/// Bytes left as they are in an `application/x-www-form-urlencoded` value (the WHATWG URL
/// standard's set); everything else is percent-encoded, spaces as `%20`.
const FORM_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'*')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_');

/// A form body, written here rather than with reqwest's `form` feature: that feature changes
/// reqwest's build and adds two crates for four fixed fields.
fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(name, value)| {
            format!(
                "{}={}",
                utf8_percent_encode(name, FORM_VALUE),
                utf8_percent_encode(value, FORM_VALUE)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// 16 random bytes, base64url: a `jti` that is never reused (Okta rejects a replayed one).
fn random_jti() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| Error::invalid_input("the system random generator failed".to_owned()))?;
    Ok(b64(bytes))
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `htu` of a DPoP proof: the request URL without query and fragment (RFC 9449 section 4.2).
pub(crate) fn proof_target(url: &reqwest::Url) -> String {
    let mut target = url.clone();
    target.set_query(None);
    target.set_fragment(None);
    target.into()
}

/// Okta service-app credentials: `private_key_jwt` client credentials, optionally with DPoP.
/// Made by [`Auth::okta_private_key`]; pass it to a client builder's `auth` (it converts into
/// [`Auth`]).
///
/// Available with the `okta-oauth` feature.
pub struct OktaPrivateKeyJwt {
    client_id: String,
    scopes: Vec<String>,
    key: PrivateKey,
    dpop: bool,
    dpop_key: Option<PrivateKey>,
}

impl fmt::Debug for OktaPrivateKeyJwt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OktaPrivateKeyJwt")
            .field("client_id", &self.client_id)
            .field("scopes", &self.scopes)
            .field("key", &self.key)
            .field("dpop", &self.dpop)
            .finish_non_exhaustive()
    }
}

impl OktaPrivateKeyJwt {
    /// The key id (`kid`) of the app's public key registered in Okta, sent in the assertion
    /// header so Okta picks the right key (needed when the app has more than one).
    pub fn key_id(mut self, key_id: impl Into<String>) -> Self {
        self.key = self.key.with_key_id(key_id);
        self
    }

    /// Demonstrates proof of possession (RFC 9449): tokens are bound to a P-256 key pair made
    /// for this client, and every request carries a fresh proof signed with it. Okta "API
    /// Services" apps require this by default. Off unless asked for.
    pub fn dpop(mut self, enabled: bool) -> Self {
        self.dpop = enabled;
        self
    }

    /// Uses this P-256 key for DPoP proofs instead of a generated one (implies `dpop(true)`).
    /// An RSA key is refused at the first request.
    pub fn dpop_key(mut self, key: PrivateKey) -> Self {
        self.dpop = true;
        self.dpop_key = Some(key);
        self
    }
}

impl Auth {
    /// Okta OAuth 2.0 for service apps: the client-credentials grant at the org authorization
    /// server (`POST {base_url}/oauth2/v1/token`) with a client assertion signed by `key`
    /// (`private_key_jwt`), asking for `scopes` (e.g. `okta.users.read`; each operation's docs
    /// name the scope it needs). Tokens are cached and shared as with [`Auth::bearer_source`]:
    /// one fetch for concurrent callers, refreshed shortly before expiry and once after a 401,
    /// never because of a 429.
    ///
    /// Chain [`.dpop(true)`](OktaPrivateKeyJwt::dpop) for DPoP-bound tokens and
    /// [`.key_id(..)`](OktaPrivateKeyJwt::key_id) to name the registered key.
    ///
    /// Available with the `okta-oauth` feature.
    #[cfg_attr(docsrs, doc(cfg(feature = "okta-oauth")))]
    pub fn okta_private_key(
        client_id: impl Into<String>,
        scopes: impl IntoIterator<Item = impl Into<String>>,
        key: PrivateKey,
    ) -> OktaPrivateKeyJwt {
        OktaPrivateKeyJwt {
            client_id: client_id.into(),
            scopes: scopes.into_iter().map(Into::into).collect(),
            key,
            dpop: false,
            dpop_key: None,
        }
    }
}

impl From<OktaPrivateKeyJwt> for Auth {
    fn from(config: OktaPrivateKeyJwt) -> Self {
        let dpop = config.dpop.then(|| {
            // Key problems cannot be reported from a `From`; they surface, without key
            // material, from the first request.
            let key = match config.dpop_key {
                Some(key) if key.public_ec_jwk().is_some() => Ok(key),
                Some(_) => Err("the DPoP key must be an EC P-256 (ES256) key"),
                None => PrivateKey::generate_es256()
                    .map_err(|_| "the system could not generate a DPoP key"),
            };
            Arc::new(DpopState {
                key,
                token_nonce: Mutex::new(None),
                resource_nonce: Mutex::new(None),
            })
        });
        Auth::custom(OktaOAuth {
            cache: TokenCache::new(OktaTokenSource {
                client_id: config.client_id,
                scope: config.scopes.join(" "),
                key: config.key,
                dpop: dpop.clone(),
            }),
            dpop,
        })
    }
}

/// The DPoP key and the latest nonces. The token endpoint and the resource server each issue
/// their own nonces (RFC 9449 section 8), so each is kept apart and sent back only to its issuer.
struct DpopState {
    key: Result<PrivateKey, &'static str>,
    token_nonce: Mutex<Option<String>>,
    resource_nonce: Mutex<Option<String>>,
}

fn read_nonce(slot: &Mutex<Option<String>>) -> Option<String> {
    // A poisoned lock only means another thread panicked mid-assignment of an Option<String>;
    // the value is still a valid (possibly stale) nonce, and a stale one only costs a retry.
    slot.lock().unwrap_or_else(PoisonError::into_inner).clone()
}

fn store_nonce(slot: &Mutex<Option<String>>, headers: &HeaderMap) -> bool {
    let Some(nonce) = headers.get(DPOP_NONCE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(nonce.to_owned());
    true
}

impl DpopState {
    fn key(&self) -> Result<&PrivateKey, Error> {
        self.key.as_ref().map_err(|message| key_error(message))
    }

    /// A proof for one request: `htm`, `htu`, `iat`, a fresh `jti`, and when given the access
    /// token hash (`ath`, resource requests) and the issuer's latest nonce.
    fn proof(
        &self,
        method: &reqwest::Method,
        url: &reqwest::Url,
        access_token: Option<&str>,
        nonce: Option<String>,
    ) -> Result<String, Error> {
        let key = self.key()?;
        let jwk = key
            .public_ec_jwk()
            .ok_or_else(|| key_error("the DPoP key must be an EC P-256 (ES256) key"))?;
        let mut claims = json!({
            "htm": method.as_str(),
            "htu": proof_target(url),
            "iat": unix_now(),
            "jti": random_jti()?,
        });
        if let Some(token) = access_token {
            claims["ath"] = Value::from(b64(digest::digest(&digest::SHA256, token.as_bytes())));
        }
        if let Some(nonce) = nonce {
            claims["nonce"] = Value::from(nonce);
        }
        key.jwt(json!({"typ": "dpop+jwt", "jwk": jwk}), &claims)
    }
}

/// Fetches tokens from Okta's token endpoint.
struct OktaTokenSource {
    client_id: String,
    scope: String,
    key: PrivateKey,
    dpop: Option<Arc<DpopState>>,
}

impl OktaTokenSource {
    /// A fresh client assertion (RFC 7523 section 3): a new `jti` every time, because Okta
    /// refuses an assertion it has seen before.
    fn client_assertion(&self, token_url: &str) -> Result<String, Error> {
        let now = unix_now();
        let mut header = json!({"typ": "JWT"});
        if let Some(kid) = self.key.key_id() {
            header["kid"] = Value::from(kid);
        }
        let claims = json!({
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": token_url,
            "iat": now,
            "exp": now.saturating_add(ASSERTION_LIFETIME_SECS),
            "jti": random_jti()?,
        });
        self.key.jwt(header, &claims)
    }
}

impl OktaTokenSource {
    /// One token request, made anew for every attempt: the assertion's `jti` and the DPoP
    /// proof are single-use.
    fn token_request(
        &self,
        http: &reqwest::Client,
        token_url: &str,
        parsed_url: &reqwest::Url,
    ) -> Result<reqwest::RequestBuilder, Error> {
        let assertion = self.client_assertion(token_url)?;
        let form = [
            ("grant_type", "client_credentials"),
            ("scope", self.scope.as_str()),
            ("client_assertion_type", JWT_BEARER_ASSERTION),
            ("client_assertion", assertion.as_str()),
        ];
        let mut request = http
            .post(parsed_url.clone())
            .header(ACCEPT, "application/json")
            .header(
                CONTENT_TYPE,
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            )
            .body(form_body(&form));
        if let Some(dpop) = &self.dpop {
            let nonce = read_nonce(&dpop.token_nonce);
            let proof = dpop.proof(&reqwest::Method::POST, parsed_url, None, nonce)?;
            let value = Credentials::new().header(DPOP, &proof)?;
            request = request.headers(value.headers);
        }
        Ok(request)
    }
}

impl TokenSource for OktaTokenSource {
    fn fetch<'a>(&'a self, context: AuthContext<'a>) -> BoxFuture<'a, Result<Token, Error>> {
        Box::pin(async move {
            let token_url = format!("{}{OKTA_TOKEN_PATH}", context.base_url);
            let parsed_url = reqwest::Url::parse(&token_url)
                .map_err(|_| Error::invalid_input("the token URL does not parse".to_owned()))?;
            let mut nonce_retries = 0;
            loop {
                let response = send_token_request(&context, |previous| {
                    if let (Some(dpop), Some(headers)) = (&self.dpop, previous) {
                        store_nonce(&dpop.token_nonce, headers);
                    }
                    self.token_request(context.http, &token_url, &parsed_url)
                })
                .await?;
                let status = response.status;
                let result = parse_token_response(status, &response.body);
                let Some(dpop) = &self.dpop else {
                    return result;
                };
                let got_nonce = store_nonce(&dpop.token_nonce, &response.headers);
                match result {
                    Err(Error::Token(error))
                        if error.error.as_deref() == Some("use_dpop_nonce")
                            && got_nonce
                            && nonce_retries < MAX_TOKEN_NONCE_RETRIES =>
                    {
                        nonce_retries += 1;
                        tracing::debug!(nonce_retries, "token endpoint demanded a DPoP nonce");
                    }
                    Ok(token) if !token.is_dpop() => {
                        // Asked for a DPoP-bound token and got another kind: sending it as a
                        // bearer token would silently drop the protection that was configured.
                        return Err(Error::Token(Box::new(TokenError::new(
                            status,
                            Some("unexpected_token_type"),
                            Some(&format!(
                                "DPoP was requested but the token type is `{}`",
                                token.token_type.as_deref().unwrap_or("(none)")
                            )),
                        ))));
                    }
                    other => return other,
                }
            }
        })
    }

    fn describe(&self) -> String {
        format!(
            "Okta private_key_jwt (client id {}, {}{})",
            self.client_id,
            self.key.algorithm(),
            if self.dpop.is_some() { ", DPoP" } else { "" }
        )
    }
}

/// The per-attempt hook: cached token, plus a DPoP proof bound to the attempt when enabled.
struct OktaOAuth {
    cache: TokenCache<OktaTokenSource>,
    dpop: Option<Arc<DpopState>>,
}

/// True for a resource server's nonce challenge (RFC 9449 section 9): `WWW-Authenticate: DPoP
/// error="use_dpop_nonce"`. A bare `DPoP-Nonce` header is only a rotation notice: retrying every
/// 400 that carries one would replay requests the server refused for other reasons.
fn is_nonce_challenge(headers: &HeaderMap) -> bool {
    headers
        .get_all(WWW_AUTHENTICATE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("use_dpop_nonce"))
}

impl Authenticate for OktaOAuth {
    fn authorize<'a>(
        &'a self,
        context: AuthContext<'a>,
    ) -> BoxFuture<'a, Result<Credentials, Error>> {
        Box::pin(async move {
            let (token, generation) = self.cache.get(context).await?;
            let secret = token.access_token.expose();
            let credentials = match &self.dpop {
                Some(dpop) => {
                    let nonce = read_nonce(&dpop.resource_nonce);
                    let proof = dpop.proof(context.method, context.url, Some(secret), nonce)?;
                    Credentials::new()
                        .header(AUTHORIZATION, &format!("DPoP {secret}"))?
                        .header(DPOP, &proof)?
                }
                None => Credentials::new().header(AUTHORIZATION, &format!("Bearer {secret}"))?,
            };
            Ok(credentials.tag(generation))
        })
    }

    fn on_response<'a>(
        &'a self,
        status: u16,
        headers: &'a HeaderMap,
        tag: u64,
    ) -> BoxFuture<'a, AuthAction> {
        Box::pin(async move {
            let got_nonce = self
                .dpop
                .as_ref()
                .is_some_and(|dpop| store_nonce(&dpop.resource_nonce, headers));
            match status {
                400 | 401 if got_nonce && is_nonce_challenge(headers) => AuthAction::RetryWithNonce,
                401 => {
                    self.cache.invalidate(tag);
                    AuthAction::Retry
                }
                // Notably 429: the token is fine, the caller is throttled.
                _ => AuthAction::Proceed,
            }
        })
    }

    fn describe(&self) -> String {
        self.cache.source().describe()
    }
}

#[cfg(test)]
mod tests;
