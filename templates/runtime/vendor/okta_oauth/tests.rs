//! Keys, assertions and DPoP proofs checked against `ring`, and the nonce rules.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use super::key::{der, p256_sec1_to_pkcs8};
use super::*;

#[test]
fn proof_targets_drop_query_and_fragment() {
    let url = reqwest::Url::parse("https://acme.okta.com/api/v1/users/u1/factors?activate=true#x")
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
    let pem =
        "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END PRIVATE KEY-----\n";
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
