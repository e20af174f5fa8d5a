//! Okta OAuth 2.0 for service apps: the client-credentials grant with `private_key_jwt` client
//! authentication (RFC 7523) at the org authorization server, optionally with DPoP-bound access
//! tokens (RFC 9449).
//!
//! Every cryptographic operation (RSA PKCS#1 v1.5 and ECDSA P-256 signatures, SHA-256, key
//! parsing and validation, key generation, randomness) is done by `ring`, the crypto provider
//! the crate's default `rustls` TLS already compiles. This module only writes JWS compact
//! serializations (base64url of JSON, joined by dots) and wraps a SEC1 key in its PKCS#8
//! envelope (DER framing), which is encoding, not cryptography.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE,
};
use ring::digest;
use ring::rand::{SecureRandom, SystemRandom};
use ring::rsa::{KeyPairComponents, PublicKeyComponents};
use ring::signature::{
    EcdsaKeyPair, KeyPair, RsaKeyPair, ECDSA_P256_SHA256_FIXED_SIGNING, RSA_PKCS1_SHA256,
};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::PrivateKeyDer;
use serde_json::{json, Value};
use zeroize::Zeroizing;

use super::auth::{Auth, AuthAction, Authenticate, Credentials};
use super::error::{Error, TokenError};
use super::token::{parse_token_response, AuthContext, Token, TokenSource};
use super::token_cache::TokenCache;
use super::token_request::send_token_request;
use super::BoxFuture;

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

/// A private signing key: RSA (2048 to 4096 bits, signs RS256) or EC P-256 (signs ES256).
///
/// `Debug` shows the algorithm and key id only, never key material.
pub struct PrivateKey {
    material: KeyMaterial,
    key_id: Option<String>,
}

enum KeyMaterial {
    Rsa(RsaKeyPair),
    Ec(EcdsaKeyPair),
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("algorithm", &self.algorithm())
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

/// Key errors name the format problem, never the input: it is a private key.
fn key_error(message: &str) -> Error {
    Error::invalid_input(format!("private key: {message}"))
}

fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A decoded private JWK member, wiped from memory when dropped.
fn jwk_secret(jwk: &Value, member: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
    let text = jwk
        .get(member)
        .and_then(Value::as_str)
        .ok_or_else(|| key_error(&format!("JWK member `{member}` is missing")))?;
    URL_SAFE_NO_PAD
        .decode(text)
        .map(Zeroizing::new)
        .map_err(|_| key_error(&format!("JWK member `{member}` is not base64url")))
}

impl PrivateKey {
    /// Reads the first private key of a PEM text: PKCS#1 (`BEGIN RSA PRIVATE KEY`), SEC1
    /// (`BEGIN EC PRIVATE KEY`) or unencrypted PKCS#8 (`BEGIN PRIVATE KEY`), RSA (2048 to 4096
    /// bits) or P-256. An EC key must include its public key, as OpenSSL writes it.
    pub fn from_pem(pem: impl AsRef<[u8]>) -> Result<Self, Error> {
        let der = PrivateKeyDer::from_pem_slice(pem.as_ref()).map_err(|_| {
            key_error(
                "no PKCS#1, SEC1 or unencrypted PKCS#8 private key found in the PEM text \
                 (encrypted keys are not supported)",
            )
        })?;
        let material = match &der {
            PrivateKeyDer::Pkcs1(key) => RsaKeyPair::from_der(key.secret_pkcs1_der())
                .ok()
                .and_then(checked_rsa)
                .ok_or_else(|| {
                    key_error("the PKCS#1 key is not a usable RSA key (2048 to 4096 bits)")
                })?,
            PrivateKeyDer::Sec1(key) => EcdsaKeyPair::from_pkcs8(
                &ECDSA_P256_SHA256_FIXED_SIGNING,
                &p256_sec1_to_pkcs8(key.secret_sec1_der()),
                &SystemRandom::new(),
            )
            .map(KeyMaterial::Ec)
            .map_err(|_| {
                key_error(
                    "the SEC1 key is not a P-256 key with its public key \
                         (as OpenSSL writes it)",
                )
            })?,
            PrivateKeyDer::Pkcs8(key) => {
                let der = key.secret_pkcs8_der();
                match RsaKeyPair::from_pkcs8(der) {
                    Ok(rsa) => checked_rsa(rsa).ok_or_else(|| {
                        key_error("the PKCS#8 RSA key's members do not form a valid key")
                    })?,
                    Err(_) => EcdsaKeyPair::from_pkcs8(
                        &ECDSA_P256_SHA256_FIXED_SIGNING,
                        der,
                        &SystemRandom::new(),
                    )
                    .map(KeyMaterial::Ec)
                    .map_err(|_| {
                        key_error(
                            "the PKCS#8 key is neither RSA (2048 to 4096 bits) nor EC P-256 \
                             with its public key (as OpenSSL writes it)",
                        )
                    })?,
                }
            }
            _ => return Err(key_error("unsupported private key type")),
        };
        Ok(Self {
            material,
            key_id: None,
        })
    }

    /// Reads a private JWK (RFC 7517): `kty` `RSA` with `n`, `e`, `d`, `p`, `q`, `dp`, `dq`,
    /// `qi`, or `kty` `EC` with `crv` `P-256`, `x`, `y`, `d`. Its `kid`, when present, becomes
    /// the key id sent in assertion headers.
    pub fn from_jwk(jwk: &str) -> Result<Self, Error> {
        let jwk: Value =
            serde_json::from_str(jwk).map_err(|_| key_error("the JWK is not a JSON object"))?;
        let member = |name: &str| jwk.get(name).and_then(Value::as_str);
        let material = match member("kty") {
            Some("RSA") => {
                if member("alg").is_some_and(|alg| alg != "RS256") {
                    return Err(key_error("an RSA JWK must be for `alg` RS256"));
                }
                let components = KeyPairComponents {
                    public_key: PublicKeyComponents {
                        n: jwk_secret(&jwk, "n")?,
                        e: jwk_secret(&jwk, "e")?,
                    },
                    d: jwk_secret(&jwk, "d")?,
                    p: jwk_secret(&jwk, "p")?,
                    q: jwk_secret(&jwk, "q")?,
                    dP: jwk_secret(&jwk, "dp")?,
                    dQ: jwk_secret(&jwk, "dq")?,
                    qInv: jwk_secret(&jwk, "qi")?,
                };
                RsaKeyPair::from_components(&components)
                    .ok()
                    .and_then(checked_rsa)
                    .ok_or_else(|| key_error("the RSA JWK members do not form a valid key"))?
            }
            Some("EC") => {
                if member("crv") != Some("P-256") {
                    return Err(key_error(
                        "only EC keys on curve P-256 (ES256) are supported",
                    ));
                }
                let d = jwk_secret(&jwk, "d")?;
                let mut point = vec![0x04];
                point.extend_from_slice(&jwk_secret(&jwk, "x")?);
                point.extend_from_slice(&jwk_secret(&jwk, "y")?);
                EcdsaKeyPair::from_private_key_and_public_key(
                    &ECDSA_P256_SHA256_FIXED_SIGNING,
                    &d,
                    &point,
                    &SystemRandom::new(),
                )
                .map(KeyMaterial::Ec)
                .map_err(|_| key_error("the EC JWK members do not form a valid P-256 key"))?
            }
            _ => return Err(key_error("the JWK `kty` must be `RSA` or `EC`")),
        };
        Ok(Self {
            material,
            key_id: member("kid").map(str::to_owned),
        })
    }

    /// A fresh P-256 key pair, e.g. for DPoP proofs.
    pub fn generate_es256() -> Result<Self, Error> {
        let rng = SystemRandom::new();
        EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .and_then(|pkcs8| {
                EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
                    .map_err(|_| ring::error::Unspecified)
            })
            .map(|key| Self {
                material: KeyMaterial::Ec(key),
                key_id: None,
            })
            .map_err(|_| key_error("the system could not generate a P-256 key"))
    }

    /// Sets the key id (`kid`) sent in the JWT header (replaces one read from a JWK).
    pub fn with_key_id(mut self, key_id: impl Into<String>) -> Self {
        self.key_id = Some(key_id.into());
        self
    }

    /// The key id, if any.
    pub fn key_id(&self) -> Option<&str> {
        self.key_id.as_deref()
    }

    /// The JWS algorithm this key signs with: `RS256` or `ES256`.
    pub fn algorithm(&self) -> &'static str {
        match self.material {
            KeyMaterial::Rsa(_) => "RS256",
            KeyMaterial::Ec(_) => "ES256",
        }
    }

    /// The public half as a JWK, for EC keys (a DPoP proof carries it in its header).
    fn public_ec_jwk(&self) -> Option<Value> {
        let KeyMaterial::Ec(key) = &self.material else {
            return None;
        };
        // An uncompressed SEC1 point: 0x04 || x (32 bytes) || y (32 bytes).
        let point = key.public_key().as_ref();
        let (x, y) = point.get(1..33).zip(point.get(33..65))?;
        Some(json!({"kty": "EC", "crv": "P-256", "x": b64(x), "y": b64(y)}))
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        let rng = SystemRandom::new();
        let signed = match &self.material {
            KeyMaterial::Rsa(key) => {
                let mut signature = vec![0; key.public().modulus_len()];
                key.sign(&RSA_PKCS1_SHA256, &rng, message, &mut signature)
                    .map(|()| signature)
            }
            // FIXED signing yields r || s, the JWS ES256 encoding (RFC 7518 section 3.4).
            KeyMaterial::Ec(key) => key.sign(&rng, message).map(|s| s.as_ref().to_vec()),
        };
        signed.map_err(|_| Error::invalid_input("signing a JWT failed".to_owned()))
    }

    /// A signed JWT in compact serialization.
    fn jwt(&self, mut header: Value, claims: &Value) -> Result<String, Error> {
        header["alg"] = Value::from(self.algorithm());
        let part = |value: &Value| {
            serde_json::to_vec(value)
                .map(b64)
                .map_err(|_| Error::invalid_input("a JWT part does not serialize".to_owned()))
        };
        let signing_input = format!("{}.{}", part(&header)?, part(claims)?);
        let signature = self.sign(signing_input.as_bytes())?;
        Ok(format!("{signing_input}.{}", b64(signature)))
    }
}

/// `ring` checks an RSA key's modulus, exponent, primes, `d` and `qInv` when it reads the key,
/// but not the CRT exponents `dP` and `dQ`; it verifies every signature it makes, so a wrong
/// one would only fail the first request. One trial signature refuses such a key up front.
fn checked_rsa(key: RsaKeyPair) -> Option<KeyMaterial> {
    let mut signature = vec![0; key.public().modulus_len()];
    key.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        b"key check",
        &mut signature,
    )
    .ok()
    .map(|()| KeyMaterial::Rsa(key))
}

/// DER framing (tag, definite length, contents) of one element.
fn der(tag: u8, contents: &[u8]) -> Vec<u8> {
    let len = contents.len();
    let mut out = Vec::with_capacity(contents.len() + 4);
    out.push(tag);
    match (u8::try_from(len), u16::try_from(len)) {
        (Ok(short), _) if short < 0x80 => out.push(short),
        (Ok(byte), _) => out.extend([0x81, byte]),
        (_, Ok(two)) => {
            out.push(0x82);
            out.extend(two.to_be_bytes());
        }
        // Longer than any key: the DER stays malformed and the key is refused.
        _ => {}
    }
    out.extend_from_slice(contents);
    out
}

/// A SEC1 `ECPrivateKey` (RFC 5915) in the PKCS#8 v1 envelope (RFC 5208) of a P-256 key, the
/// one form `ring` reads: `SEQUENCE { 0, SEQUENCE { id-ecPublicKey, prime256v1 }, OCTET STRING
/// { sec1 } }`. `ring` then checks the curve, the private scalar and the public point.
fn p256_sec1_to_pkcs8(sec1: &[u8]) -> Zeroizing<Vec<u8>> {
    const VERSION_0: [u8; 3] = [0x02, 0x01, 0x00];
    const EC_P256_ALGORITHM: [u8; 21] = [
        0x30, 0x13, // SEQUENCE
        0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, // 1.2.840.10045.2.1
        0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, // 1.2.840.10045.3.1.7
    ];
    let key = Zeroizing::new(der(0x04, sec1));
    let mut body = Zeroizing::new(Vec::with_capacity(key.len() + 24));
    body.extend_from_slice(&VERSION_0);
    body.extend_from_slice(&EC_P256_ALGORITHM);
    body.extend_from_slice(&key);
    Zeroizing::new(der(0x30, &body))
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
mod tests {
    use super::*;

    #[test]
    fn proof_targets_drop_query_and_fragment() {
        let url =
            reqwest::Url::parse("https://acme.okta.com/api/v1/users/u1/factors?activate=true#x")
                .expect("url");
        assert_eq!(
            proof_target(&url),
            "https://acme.okta.com/api/v1/users/u1/factors"
        );
    }

    #[test]
    fn form_values_are_percent_encoded() {
        assert_eq!(
            form_body(&[
                ("scope", "okta.users.read okta.users.manage"),
                ("a", "x:y+z/=&")
            ]),
            "scope=okta.users.read%20okta.users.manage&a=x%3Ay%2Bz%2F%3D%26"
        );
    }

    #[test]
    fn key_errors_never_echo_the_input() {
        let pem = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END PRIVATE KEY-----\n";
        let error = PrivateKey::from_pem(pem)
            .expect_err("not a key")
            .to_string();
        assert!(error.contains("PKCS#8"), "{error}");
        assert!(!error.contains("c2VjcmV0"), "{error}");

        let jwk = r#"{"kty":"EC","crv":"P-256","x":"AAAA","y":"AAAA","d":"c2VjcmV0"}"#;
        let error = PrivateKey::from_jwk(jwk)
            .expect_err("not a key")
            .to_string();
        assert!(error.contains("P-256"), "{error}");
        assert!(!error.contains("c2VjcmV0"), "{error}");

        let error = PrivateKey::from_jwk(r#"{"kty":"oct","k":"c2VjcmV0"}"#)
            .expect_err("symmetric")
            .to_string();
        assert!(error.contains("`kty`"), "{error}");
        assert!(!error.contains("c2VjcmV0"), "{error}");
    }

    #[test]
    fn generated_keys_sign_es256_with_a_public_jwk() {
        let key = PrivateKey::generate_es256().expect("key");
        assert_eq!(key.algorithm(), "ES256");
        let jwk = key.public_ec_jwk().expect("EC key");
        assert_eq!(jwk["crv"], "P-256");
        assert!(jwk.get("d").is_none(), "a public JWK has no private member");
        let jwt = key
            .jwt(json!({"typ": "JWT"}), &json!({"a": 1}))
            .expect("jwt");
        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        let signature = URL_SAFE_NO_PAD.decode(parts[2]).expect("base64url");
        assert_eq!(signature.len(), 64, "ES256 signatures are r || s");
        assert!(!format!("{key:?}").contains(parts[2]));
    }

    #[test]
    fn der_lengths_take_the_shortest_form() {
        assert_eq!(der(0x04, &[1, 2]), [0x04, 0x02, 1, 2]);
        assert_eq!(der(0x04, &[0; 0x7f])[..2], [0x04, 0x7f]);
        assert_eq!(der(0x04, &[0; 0x80])[..3], [0x04, 0x81, 0x80]);
        assert_eq!(der(0x30, &[0; 0x100])[..4], [0x30, 0x82, 0x01, 0x00]);
        let pkcs8 = p256_sec1_to_pkcs8(&[0x30, 0x00]);
        assert_eq!(pkcs8[..2], [0x30, 0x1c]);
        assert_eq!(pkcs8[pkcs8.len() - 4..], [0x04, 0x02, 0x30, 0x00]);
    }

    #[test]
    fn nonce_challenges_need_the_www_authenticate_error() {
        let mut headers = HeaderMap::new();
        assert!(!is_nonce_challenge(&headers));
        headers.insert(
            WWW_AUTHENTICATE,
            reqwest::header::HeaderValue::from_static(
                r#"DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof""#,
            ),
        );
        assert!(is_nonce_challenge(&headers));
    }
}
