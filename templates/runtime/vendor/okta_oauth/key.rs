//! Private signing keys for `private_key_jwt` and DPoP: read from PEM, DER or JWK, checked
//! up front, exported as a public JWK, and used to sign a JWS.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::PrivateKeyDer;
use serde_json::{json, Value};
use zeroize::Zeroizing;

use super::super::super::error::Error;
use super::crypto::lib::rand::SystemRandom;
use super::crypto::lib::rsa::{KeyPairComponents, PublicKeyComponents};
use super::crypto::lib::signature::{
    EcdsaKeyPair, KeyPair, RsaKeyPair, ECDSA_P256_SHA256_FIXED_SIGNING, RSA_PKCS1_SHA256,
};
use super::crypto::{p256_from_pkcs8, p256_from_scalar_and_point};

/// A private signing key: RSA (2048 to 4096 bits, signs RS256) or EC P-256 (signs ES256).
///
/// `Debug` shows the algorithm and key id only, never key material.
///
/// Available with the `okta-oauth` feature.
pub struct PrivateKey {
    material: KeyMaterial,
    key_id: Option<String>,
}

pub(super) enum KeyMaterial {
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
pub(super) fn key_error(message: &str) -> Error {
    Error::invalid_input(format!("private key: {message}"))
}

pub(super) fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A decoded private JWK member, wiped from memory when dropped.
pub(super) fn jwk_secret(jwk: &Value, member: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
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
    /// bits) or P-256. With ring (the `rustls-ring` feature) an EC key must include its public
    /// key, as OpenSSL writes it; aws-lc-rs derives a missing one.
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
            PrivateKeyDer::Sec1(key) => p256_from_pkcs8(&p256_sec1_to_pkcs8(key.secret_sec1_der()))
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
                    Err(_) => p256_from_pkcs8(der).map(KeyMaterial::Ec).map_err(|_| {
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
                p256_from_scalar_and_point(&d, &point)
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
                p256_from_pkcs8(pkcs8.as_ref()).map_err(|_| super::crypto::lib::error::Unspecified)
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
    pub(super) fn public_ec_jwk(&self) -> Option<Value> {
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
                let mut signature = vec![0; key.public_modulus_len()];
                key.sign(&RSA_PKCS1_SHA256, &rng, message, &mut signature)
                    .map(|()| signature)
            }
            // FIXED signing yields r || s, the JWS ES256 encoding (RFC 7518 section 3.4).
            KeyMaterial::Ec(key) => key.sign(&rng, message).map(|s| s.as_ref().to_vec()),
        };
        signed.map_err(|_| Error::invalid_input("signing a JWT failed".to_owned()))
    }

    /// A signed JWT in compact serialization.
    pub(super) fn jwt(&self, mut header: Value, claims: &Value) -> Result<String, Error> {
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

/// The crypto library checks an RSA key's modulus, exponent, primes, `d` and `qInv` when it reads the key,
/// but not the CRT exponents `dP` and `dQ`; it verifies every signature it makes, so a wrong
/// one would only fail the first request. One trial signature refuses such a key up front.
pub(super) fn checked_rsa(key: RsaKeyPair) -> Option<KeyMaterial> {
    let mut signature = vec![0; key.public_modulus_len()];
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
pub(super) fn der(tag: u8, contents: &[u8]) -> Vec<u8> {
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
pub(super) fn p256_sec1_to_pkcs8(sec1: &[u8]) -> Zeroizing<Vec<u8>> {
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
