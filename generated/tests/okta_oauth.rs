#![cfg(feature = "okta-oauth")]
//! Okta OAuth 2.0 for service apps against a local token endpoint and resource server:
//! `private_key_jwt` client assertions (verified with the registered public key, the way Okta
//! checks them), the shared token cache, DPoP proofs (verified with the key in their own header,
//! the way a resource server checks them) and the nonce dances, each bounded.
//!
//! Keys come from `tests/fixtures/oauth/` (test-only keys, registered nowhere).

#[path = "support/common.rs"]
mod common;

use std::collections::HashSet;
use std::time::Duration;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use idp_mfa::runtime::{OktaPrivateKeyJwt, PrivateKey};
use idp_mfa::{okta, Auth, Error};
use ring::digest;
use ring::signature::{
    RsaPublicKeyComponents, UnparsedPublicKey, ECDSA_P256_SHA256_FIXED, RSA_PKCS1_2048_8192_SHA256,
};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use common::{json_response, now_epoch, rate_limited, received, RecordingSleeper};

const USER_ID: &str = "00u1abcd2EFGHIJ3k4l5";
const CLIENT_ID: &str = "0oa1service2app3";
const TOKEN_PATH: &str = "/oauth2/v1/token";

const RSA_PKCS1: &str = include_str!("fixtures/oauth/rsa_pkcs1.pem");
const RSA_PKCS8: &str = include_str!("fixtures/oauth/rsa_pkcs8.pem");
const RSA_JWK: &str = include_str!("fixtures/oauth/rsa_private.jwk.json");
const RSA_PUBLIC_JWK: &str = include_str!("fixtures/oauth/rsa_public.jwk.json");
const EC_SEC1: &str = include_str!("fixtures/oauth/ec_sec1.pem");
const EC_PKCS8: &str = include_str!("fixtures/oauth/ec_pkcs8.pem");
const EC_JWK: &str = include_str!("fixtures/oauth/ec_private.jwk.json");
const EC_PUBLIC_JWK: &str = include_str!("fixtures/oauth/ec_public.jwk.json");
const EC_P384: &str = include_str!("fixtures/oauth/ec_p384_pkcs8.pem");

// ---- JWT checks, written from the RFCs rather than from the SDK's code ----

struct Jwt {
    header: Value,
    claims: Value,
    signing_input: String,
    signature: Vec<u8>,
}

fn b64_decode(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(text).expect("base64url")
}

/// The DER inside a one-block PEM text.
fn pem_der(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    STANDARD.decode(body).expect("PEM base64")
}

fn parse_jwt(token: &str) -> Jwt {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "a compact JWS has three parts: {token}");
    Jwt {
        header: serde_json::from_slice(&b64_decode(parts[0])).expect("JSON header"),
        claims: serde_json::from_slice(&b64_decode(parts[1])).expect("JSON claims"),
        signing_input: format!("{}.{}", parts[0], parts[1]),
        signature: b64_decode(parts[2]),
    }
}

/// Verifies `jwt` with a public JWK, as the receiver would: RS256 with `n`/`e`, ES256 with `x`/`y`.
fn verify(jwt: &Jwt, public_jwk: &Value) {
    let member = |name: &str| b64_decode(public_jwk[name].as_str().expect("JWK member"));
    let message = jwt.signing_input.as_bytes();
    let verified = match public_jwk["kty"].as_str() {
        Some("RSA") => {
            assert_eq!(jwt.header["alg"], "RS256");
            RsaPublicKeyComponents {
                n: member("n"),
                e: member("e"),
            }
            .verify(&RSA_PKCS1_2048_8192_SHA256, message, &jwt.signature)
        }
        Some("EC") => {
            assert_eq!(jwt.header["alg"], "ES256");
            assert_eq!(public_jwk["crv"], "P-256");
            let mut point = vec![0x04];
            point.extend(member("x"));
            point.extend(member("y"));
            UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, point).verify(message, &jwt.signature)
        }
        other => panic!("unexpected kty {other:?}"),
    };
    assert!(
        verified.is_ok(),
        "signature does not verify: {:?}",
        jwt.header
    );
}

fn assert_recent(claims: &Value, name: &str) -> u64 {
    let value = claims[name]
        .as_u64()
        .unwrap_or_else(|| panic!("`{name}` is a number"));
    let now = now_epoch();
    assert!(
        value + 60 >= now && value <= now + 5,
        "`{name}` {value} is not about now ({now})"
    );
    value
}

/// The form fields of a token request.
fn form(request: &Request) -> Vec<(String, String)> {
    assert_eq!(
        common::header_once(request, "content-type"),
        "application/x-www-form-urlencoded"
    );
    let body = String::from_utf8(request.body.clone()).expect("UTF-8 form");
    let url = reqwest::Url::parse(&format!("http://form.invalid/?{body}")).expect("form");
    url.query_pairs().into_owned().collect()
}

fn form_field(request: &Request, name: &str) -> String {
    let fields = form(request);
    let values: Vec<&String> = fields
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v)
        .collect();
    assert_eq!(values.len(), 1, "one `{name}` field in {fields:?}");
    values[0].clone()
}

fn token_requests(sent: &[Request]) -> Vec<&Request> {
    sent.iter().filter(|r| r.url.path() == TOKEN_PATH).collect()
}

fn api_requests(sent: &[Request]) -> Vec<&Request> {
    sent.iter().filter(|r| r.url.path() != TOKEN_PATH).collect()
}

fn proof_of(request: &Request) -> Jwt {
    parse_jwt(common::header_once(request, "dpop"))
}

/// Checks a DPoP proof as a server would (RFC 9449 section 4.3) and returns it: `typ`, a public
/// `jwk` that verifies the signature, `htm`, `htu` (no query, no fragment), recent `iat`, `jti`.
fn check_proof(request: &Request) -> Jwt {
    let proof = proof_of(request);
    assert_eq!(proof.header["typ"], "dpop+jwt");
    let jwk = &proof.header["jwk"];
    assert!(
        jwk.get("d").is_none(),
        "the proof must carry only the public key"
    );
    verify(&proof, jwk);
    assert_eq!(proof.claims["htm"], request.method.as_str());
    // wiremock rebuilds the URL on a placeholder host; the server sees the real one in `Host`
    let target = format!(
        "http://{}{}",
        common::header_once(request, "host"),
        request.url.path()
    );
    assert_eq!(
        proof.claims["htu"],
        target.as_str(),
        "no query, no fragment"
    );
    assert_recent(&proof.claims, "iat");
    assert!(proof.claims["jti"].as_str().is_some_and(|j| j.len() >= 16));
    proof
}

fn ath(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, token.as_bytes()))
}

// ---- mock servers ----

fn token_body(token: &str, token_type: &str, expires_in: u64) -> Value {
    json!({
        "token_type": token_type,
        "expires_in": expires_in,
        "access_token": token,
        "scope": "okta.users.read okta.users.manage"
    })
}

async fn mount_token(server: &MockServer, response: ResponseTemplate, times: Option<u64>) {
    let mock = Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(response);
    match times {
        Some(n) => mock.up_to_n_times(n).mount(server).await,
        None => mock.mount(server).await,
    }
}

async fn mount_factors(server: &MockServer, response: ResponseTemplate, times: Option<u64>) {
    let mock = Mock::given(method("GET"))
        .and(path(format!("/api/v1/users/{USER_ID}/factors")))
        .respond_with(response);
    match times {
        Some(n) => mock.up_to_n_times(n).mount(server).await,
        None => mock.mount(server).await,
    }
}

fn factors_ok() -> ResponseTemplate {
    json_response(200, json!([]))
}

fn use_dpop_nonce(nonce: &str) -> ResponseTemplate {
    json_response(
        400,
        json!({"error": "use_dpop_nonce", "error_description": "Authorization server requires nonce in DPoP proof."}),
    )
    .insert_header("DPoP-Nonce", nonce)
}

fn resource_nonce_challenge(nonce: &str) -> ResponseTemplate {
    ResponseTemplate::new(401)
        .insert_header(
            "WWW-Authenticate",
            r#"DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof""#,
        )
        .insert_header("DPoP-Nonce", nonce)
}

fn ec_key() -> PrivateKey {
    PrivateKey::from_pem(EC_PKCS8).expect("EC test key")
}

fn dpop_auth() -> OktaPrivateKeyJwt {
    Auth::okta_private_key(CLIENT_ID, ["okta.users.read"], ec_key())
        .key_id("ec-test-1")
        .dpop(true)
}

fn client(server: &MockServer, auth: impl Into<Auth>) -> okta::Client {
    okta::Client::builder(server.uri())
        .auth(auth)
        .allow_http(true)
        .build()
        .expect("client")
}

// ---- private_key_jwt ----

#[tokio::test]
async fn assertions_from_every_key_format_verify_with_the_registered_public_key() {
    let rsa_public: Value = serde_json::from_str(RSA_PUBLIC_JWK).expect("JWK");
    let ec_public: Value = serde_json::from_str(EC_PUBLIC_JWK).expect("JWK");
    let cases = [
        (
            "RSA PKCS#1 PEM",
            PrivateKey::from_pem(RSA_PKCS1),
            Some("pem-kid"),
            "pem-kid",
            &rsa_public,
        ),
        (
            "RSA PKCS#8 PEM",
            PrivateKey::from_pem(RSA_PKCS8),
            Some("pem-kid"),
            "pem-kid",
            &rsa_public,
        ),
        (
            "RSA JWK",
            PrivateKey::from_jwk(RSA_JWK),
            None,
            "rsa-test-1",
            &rsa_public,
        ),
        (
            "EC SEC1 PEM",
            PrivateKey::from_pem(EC_SEC1),
            Some("pem-kid"),
            "pem-kid",
            &ec_public,
        ),
        (
            "EC PKCS#8 PEM",
            PrivateKey::from_pem(EC_PKCS8),
            Some("pem-kid"),
            "pem-kid",
            &ec_public,
        ),
        (
            "EC JWK",
            PrivateKey::from_jwk(EC_JWK),
            None,
            "ec-test-1",
            &ec_public,
        ),
    ];
    for (name, key, key_id, expected_kid, public_jwk) in cases {
        let key = key.unwrap_or_else(|e| panic!("{name}: {e}"));
        let server = MockServer::start().await;
        mount_token(
            &server,
            json_response(200, token_body("tok-1", "Bearer", 3600)),
            None,
        )
        .await;
        mount_factors(&server, factors_ok(), None).await;
        let mut auth =
            Auth::okta_private_key(CLIENT_ID, ["okta.users.read", "okta.users.manage"], key);
        if let Some(kid) = key_id {
            auth = auth.key_id(kid);
        }

        client(&server, auth)
            .list_factors(USER_ID)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));

        let sent = received(&server).await;
        let tokens = token_requests(&sent);
        assert_eq!(tokens.len(), 1, "{name}");
        let request = tokens[0];
        assert_eq!(form_field(request, "grant_type"), "client_credentials");
        assert_eq!(
            form_field(request, "scope"),
            "okta.users.read okta.users.manage"
        );
        assert_eq!(
            form_field(request, "client_assertion_type"),
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        );
        assert!(request.headers.get("dpop").is_none(), "{name}: DPoP is off");
        let assertion = parse_jwt(&form_field(request, "client_assertion"));
        verify(&assertion, public_jwk);
        assert_eq!(assertion.header["kid"], expected_kid, "{name}");
        let claims = &assertion.claims;
        assert_eq!(claims["iss"], CLIENT_ID, "{name}");
        assert_eq!(claims["sub"], CLIENT_ID, "{name}");
        assert_eq!(
            claims["aud"],
            format!("{}{TOKEN_PATH}", server.uri()),
            "{name}"
        );
        let iat = assert_recent(claims, "iat");
        let exp = claims["exp"].as_u64().expect("exp");
        assert!(
            exp > iat && exp - iat <= 3600,
            "{name}: exp {exp}, iat {iat}"
        );
        assert!(
            claims["jti"].as_str().is_some_and(|j| j.len() >= 16),
            "{name}"
        );
        let api = api_requests(&sent);
        assert_eq!(common::header_once(api[0], "authorization"), "Bearer tok-1");
        assert!(api[0].headers.get("dpop").is_none());
    }
}

#[test]
fn keys_okta_cannot_use_are_refused_up_front() {
    let p384 = PrivateKey::from_pem(EC_P384).expect_err("P-384 is not ES256");
    assert!(p384.to_string().contains("P-256"), "{p384}");
    // a SEC1 key without its optional public key (RFC 5915 allows it; OpenSSL always writes
    // it): `ring` needs the point, so with `rustls-ring` the key is refused, with a message
    // that says why
    let sec1 = PrivateKey::from_pem(EC_SEC1).map(drop);
    assert!(sec1.is_ok(), "{sec1:?}");
    let der = pem_der(EC_SEC1);
    let mut bare = vec![0x30, 0x31, 0x02, 0x01, 0x01];
    bare.extend_from_slice(&der[5..39]); // the 32-byte private key as an OCTET STRING
    bare.extend_from_slice(&[
        0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
    ]);
    let bare_pem = format!(
        "-----BEGIN EC PRIVATE KEY-----\n{}\n-----END EC PRIVATE KEY-----\n",
        STANDARD.encode(&bare)
    );
    if cfg!(feature = "aws-lc-rs") {
        // aws-lc-rs (the default `rustls` feature's crypto) derives the point: the key is the
        // same P-256 key
        let key = PrivateKey::from_pem(&bare_pem).expect("aws-lc-rs derives the public key");
        assert_eq!(key.algorithm(), "ES256");
    } else {
        let error = PrivateKey::from_pem(&bare_pem).expect_err("no public key");
        assert!(error.to_string().contains("public key"), "{error}");
        assert!(!error.to_string().contains(&STANDARD.encode(&bare)[..16]));
    }
    let encrypted =
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n";
    let error = PrivateKey::from_pem(encrypted).expect_err("encrypted");
    assert!(
        error
            .to_string()
            .contains("encrypted keys are not supported"),
        "{error}"
    );
    // an RSA JWK with one CRT member off by a byte: the components must agree
    let mut jwk: Value = serde_json::from_str(RSA_JWK).expect("JWK");
    let mut dq = b64_decode(jwk["dq"].as_str().expect("dq"));
    dq[10] ^= 1;
    jwk["dq"] = Value::from(URL_SAFE_NO_PAD.encode(&dq));
    let error = PrivateKey::from_jwk(&jwk.to_string()).expect_err("inconsistent");
    assert!(
        error.to_string().contains("do not form a valid key"),
        "{error}"
    );
    assert!(!error.to_string().contains(jwk["d"].as_str().expect("d")));
}

#[tokio::test]
async fn invalid_client_surfaces_with_its_code() {
    let server = MockServer::start().await;
    mount_token(
        &server,
        json_response(
            401,
            json!({"error": "invalid_client", "error_description": "The client_assertion signature is invalid."}),
        ),
        None,
    )
    .await;
    mount_factors(&server, factors_ok(), None).await;

    let error = client(&server, dpop_auth())
        .list_factors(USER_ID)
        .send()
        .await
        .expect_err("no token");

    let Error::Token(token) = &error else {
        panic!("a token error: {error:?}");
    };
    assert_eq!(
        (token.status, token.error.as_deref()),
        (401, Some("invalid_client"))
    );
    assert_eq!(error.status(), Some(401));
    assert!(error.to_string().contains("invalid_client"), "{error}");
    let sent = received(&server).await;
    assert_eq!(
        token_requests(&sent).len(),
        1,
        "invalid_client is not retried"
    );
    assert!(
        api_requests(&sent).is_empty(),
        "no API call without a token"
    );
    let assertion = form_field(token_requests(&sent)[0], "client_assertion");
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains(&assertion), "{text}");
    }
}

// ---- token cache ----

#[tokio::test]
async fn concurrent_calls_share_one_token_fetch() {
    let server = MockServer::start().await;
    mount_token(
        &server,
        json_response(200, token_body("tok-1", "DPoP", 3600)).set_delay(Duration::from_millis(150)),
        None,
    )
    .await;
    mount_factors(&server, factors_ok(), None).await;
    let client = client(&server, dpop_auth());

    let calls = (0..8).map(|_| client.list_factors(USER_ID).send());
    let results = futures_util::future::join_all(calls).await;

    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let sent = received(&server).await;
    assert_eq!(token_requests(&sent).len(), 1, "one fetch for 8 callers");
    let api = api_requests(&sent);
    assert_eq!(api.len(), 8);
    let jtis: HashSet<String> = api
        .iter()
        .map(|r| check_proof(r).claims["jti"].to_string())
        .collect();
    assert_eq!(jtis.len(), 8, "every request gets its own proof");
}

#[tokio::test(start_paused = true)]
async fn an_expiring_token_is_refreshed_once() {
    let server = MockServer::start().await;
    mount_token(
        &server,
        json_response(200, token_body("tok-1", "DPoP", 600)),
        Some(1),
    )
    .await;
    mount_token(
        &server,
        json_response(200, token_body("tok-2", "DPoP", 600)),
        Some(1),
    )
    .await;
    mount_factors(&server, factors_ok(), None).await;
    // The paused clock jumps to the next pending timer whenever the runtime idles on a socket:
    // no timeouts and no idle-pool timer, so the only time that passes is what the test advances.
    let http = idp_mfa::runtime::http_client_builder()
        .expect("TLS settings")
        .pool_idle_timeout(None)
        .build()
        .expect("http client");
    let client = okta::Client::builder(server.uri())
        .auth(dpop_auth())
        .http_client(http)
        .allow_http(true)
        .timeout(None)
        .deadline(None)
        .build()
        .expect("client");
    let tokens_used = |sent: &[Request]| -> Vec<String> {
        api_requests(sent)
            .iter()
            .map(|r| common::header_once(r, "authorization").to_owned())
            .collect()
    };

    client
        .list_factors(USER_ID)
        .send()
        .await
        .expect("first call");
    // 600 s lifetime, refreshed 60 s early: still fresh at 539 s
    tokio::time::advance(Duration::from_secs(539)).await;
    client
        .list_factors(USER_ID)
        .send()
        .await
        .expect("second call");
    assert_eq!(token_requests(&received(&server).await).len(), 1);

    tokio::time::advance(Duration::from_secs(2)).await;
    let calls = (0..4).map(|_| client.list_factors(USER_ID).send());
    let results = futures_util::future::join_all(calls).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");

    let sent = received(&server).await;
    assert_eq!(token_requests(&sent).len(), 2, "one refresh for 4 callers");
    assert_eq!(
        tokens_used(&sent),
        [
            "DPoP tok-1",
            "DPoP tok-1",
            "DPoP tok-2",
            "DPoP tok-2",
            "DPoP tok-2",
            "DPoP tok-2"
        ]
    );
}

#[tokio::test]
async fn a_401_triggers_exactly_one_refresh_and_retry() {
    let server = MockServer::start().await;
    mount_token(
        &server,
        json_response(200, token_body("tok-1", "DPoP", 3600)),
        Some(1),
    )
    .await;
    mount_token(
        &server,
        json_response(200, token_body("tok-2", "DPoP", 3600)),
        Some(1),
    )
    .await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::header("authorization", "DPoP tok-1"))
        .respond_with(json_response(
            401,
            json!({"errorCode": "E0000011", "errorSummary": "Invalid token provided"}),
        ))
        .mount(&server)
        .await;
    mount_factors(&server, factors_ok(), None).await;

    client(&server, dpop_auth())
        .list_factors(USER_ID)
        .send()
        .await
        .expect("succeeds with the refreshed token");

    let sent = received(&server).await;
    assert_eq!(token_requests(&sent).len(), 2);
    let api = api_requests(&sent);
    assert_eq!(api.len(), 2);
    assert_eq!(check_proof(api[1]).claims["ath"], ath("tok-2"));
}

#[tokio::test]
async fn a_401_forever_costs_one_refresh_not_a_storm() {
    let server = MockServer::start().await;
    mount_token(
        &server,
        json_response(200, token_body("tok-1", "DPoP", 3600)),
        None,
    )
    .await;
    mount_factors(
        &server,
        json_response(
            401,
            json!({"errorCode": "E0000011", "errorSummary": "Invalid token provided"}),
        ),
        None,
    )
    .await;

    let error = client(&server, dpop_auth())
        .list_factors(USER_ID)
        .send()
        .await
        .expect_err("401");

    assert_eq!(error.status(), Some(401));
    let sent = received(&server).await;
    assert_eq!(token_requests(&sent).len(), 2, "one refresh");
    assert_eq!(api_requests(&sent).len(), 2, "one retry");
}

#[tokio::test]
async fn a_429_does_not_mint_a_new_token() {
    let server = MockServer::start().await;
    mount_token(
        &server,
        json_response(200, token_body("tok-1", "DPoP", 3600)),
        None,
    )
    .await;
    let date = now_epoch();
    mount_factors(&server, rate_limited(date, date + 2, "req-429"), Some(2)).await;
    mount_factors(&server, factors_ok(), None).await;
    let sleeper = RecordingSleeper::default();
    let client = okta::Client::builder(server.uri())
        .auth(dpop_auth())
        .allow_http(true)
        .sleeper(sleeper.clone())
        .build()
        .expect("client");

    client
        .list_factors(USER_ID)
        .send()
        .await
        .expect("third attempt");

    let sent = received(&server).await;
    assert_eq!(
        token_requests(&sent).len(),
        1,
        "throttling is not a token problem"
    );
    let api = api_requests(&sent);
    assert_eq!(api.len(), 3);
    assert_eq!(sleeper.waits(), vec![Duration::from_secs(3); 2]);
    let mut jtis = HashSet::new();
    for request in api {
        let proof = check_proof(request);
        assert_eq!(proof.claims["ath"], ath("tok-1"));
        jtis.insert(proof.claims["jti"].to_string());
    }
    assert_eq!(jtis.len(), 3, "each retry is signed anew");
}

// ---- DPoP ----

#[tokio::test]
async fn every_resource_request_carries_a_proof_bound_to_method_url_and_token() {
    let server = MockServer::start().await;
    mount_token(
        &server,
        json_response(200, token_body("tok-dpop", "DPoP", 3600)),
        None,
    )
    .await;
    mount_factors(&server, factors_ok(), None).await;
    Mock::given(method("POST"))
        .and(path(format!("/api/v1/users/{USER_ID}/factors")))
        .respond_with(json_response(
            200,
            json!({"id": "sms1", "factorType": "sms", "provider": "OKTA", "status": "ACTIVE"}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server, dpop_auth());

    client.list_factors(USER_ID).send().await.expect("list");
    let body = okta::UserFactorSms::new()
        .profile(okta::UserFactorSmsProfile::new().phone_number("+1-555-415-1337"));
    client
        .enroll_factor(USER_ID, body)
        .activate(true)
        .update_phone(true)
        .send()
        .await
        .expect("enroll");
    client
        .unenroll_factor(USER_ID, "sms1")
        .remove_recovery_enrollment(true)
        .send()
        .await
        .expect("unenroll");

    let sent = received(&server).await;
    let token = token_requests(&sent);
    assert_eq!(token.len(), 1);
    let token_proof = check_proof(token[0]);
    assert!(
        token_proof.claims.get("ath").is_none(),
        "no token yet to hash"
    );
    let api = api_requests(&sent);
    assert_eq!(
        api.iter().map(|r| r.method.as_str()).collect::<Vec<_>>(),
        ["GET", "POST", "DELETE"]
    );
    assert!(api[1].url.query().is_some() && api[2].url.query().is_some());
    let mut keys = HashSet::from([token_proof.header["jwk"].to_string()]);
    let mut jtis = HashSet::from([token_proof.claims["jti"].to_string()]);
    for request in &api {
        assert_eq!(
            common::header_once(request, "authorization"),
            "DPoP tok-dpop"
        );
        let proof = check_proof(request);
        assert_eq!(proof.claims["ath"], ath("tok-dpop"));
        assert!(proof.claims.get("nonce").is_none(), "no nonce was issued");
        keys.insert(proof.header["jwk"].to_string());
        jtis.insert(proof.claims["jti"].to_string());
    }
    assert_eq!(
        keys.len(),
        1,
        "one DPoP key per client, the one the token is bound to"
    );
    assert_eq!(jtis.len(), 4, "a proof is never reused");
}

#[tokio::test]
async fn the_token_endpoint_nonce_dance_succeeds() {
    let server = MockServer::start().await;
    mount_token(&server, use_dpop_nonce("as-nonce-1"), Some(1)).await;
    mount_token(
        &server,
        json_response(200, token_body("tok-1", "DPoP", 3600)),
        None,
    )
    .await;
    mount_factors(&server, factors_ok(), None).await;

    client(&server, dpop_auth())
        .list_factors(USER_ID)
        .send()
        .await
        .expect("token after the nonce dance");

    let sent = received(&server).await;
    let tokens = token_requests(&sent);
    assert_eq!(tokens.len(), 2);
    let first = check_proof(tokens[0]);
    let second = check_proof(tokens[1]);
    assert!(first.claims.get("nonce").is_none());
    assert_eq!(second.claims["nonce"], "as-nonce-1");
    assert_ne!(
        form_field(tokens[0], "client_assertion"),
        form_field(tokens[1], "client_assertion"),
        "a fresh assertion (new jti) for the repeated request"
    );
    let api = api_requests(&sent);
    let resource_proof = check_proof(api[0]);
    assert!(
        resource_proof.claims.get("nonce").is_none(),
        "the token endpoint's nonce is not sent to the resource server"
    );
}

#[tokio::test]
async fn a_nonce_demanded_forever_by_the_token_endpoint_fails_after_two_retries() {
    let server = MockServer::start().await;
    mount_token(&server, use_dpop_nonce("as-nonce-again"), None).await;
    mount_factors(&server, factors_ok(), None).await;

    let error = client(&server, dpop_auth())
        .list_factors(USER_ID)
        .send()
        .await
        .expect_err("the nonce dance never ends");

    let Error::Token(token) = &error else {
        panic!("a token error: {error:?}");
    };
    assert_eq!(
        (token.status, token.error.as_deref()),
        (400, Some("use_dpop_nonce"))
    );
    let sent = received(&server).await;
    assert_eq!(
        token_requests(&sent).len(),
        3,
        "the first request and two retries"
    );
    assert!(api_requests(&sent).is_empty());
}

#[tokio::test]
async fn a_resource_nonce_challenge_is_answered_without_a_new_token() {
    let server = MockServer::start().await;
    mount_token(
        &server,
        json_response(200, token_body("tok-1", "DPoP", 3600)),
        None,
    )
    .await;
    mount_factors(&server, resource_nonce_challenge("rs-nonce-1"), Some(1)).await;
    mount_factors(
        &server,
        factors_ok().insert_header("DPoP-Nonce", "rs-nonce-2"),
        None,
    )
    .await;
    let client = client(&server, dpop_auth());

    client
        .list_factors(USER_ID)
        .send()
        .await
        .expect("answered the challenge");
    client
        .list_factors(USER_ID)
        .send()
        .await
        .expect("next call");

    let sent = received(&server).await;
    assert_eq!(
        token_requests(&sent).len(),
        1,
        "a nonce challenge is not a token problem"
    );
    let nonces: Vec<Value> = api_requests(&sent)
        .iter()
        .map(|r| {
            check_proof(r)
                .claims
                .get("nonce")
                .cloned()
                .unwrap_or(Value::Null)
        })
        .collect();
    // the retry carries the challenged nonce; the next call the one the last response rotated to
    assert_eq!(
        nonces,
        [Value::Null, json!("rs-nonce-1"), json!("rs-nonce-2")]
    );
}

#[tokio::test]
async fn a_nonce_demanded_forever_by_the_resource_fails_after_two_retries() {
    let server = MockServer::start().await;
    mount_token(
        &server,
        json_response(200, token_body("tok-1", "DPoP", 3600)),
        None,
    )
    .await;
    mount_factors(&server, resource_nonce_challenge("rs-nonce-again"), None).await;

    let error = client(&server, dpop_auth())
        .list_factors(USER_ID)
        .send()
        .await
        .expect_err("the challenge never ends");

    assert_eq!(error.status(), Some(401));
    let sent = received(&server).await;
    assert_eq!(
        api_requests(&sent).len(),
        3,
        "the first request and two retries"
    );
    assert_eq!(token_requests(&sent).len(), 1, "and no token refresh");
}

#[tokio::test]
async fn a_supplied_dpop_key_signs_the_proofs_and_an_rsa_one_is_refused() {
    let server = MockServer::start().await;
    mount_token(
        &server,
        json_response(200, token_body("tok-1", "DPoP", 3600)),
        None,
    )
    .await;
    mount_factors(&server, factors_ok(), None).await;
    let dpop_key = PrivateKey::from_pem(EC_SEC1).expect("EC key");
    let auth = Auth::okta_private_key(CLIENT_ID, ["okta.users.read"], ec_key()).dpop_key(dpop_key);

    client(&server, auth)
        .list_factors(USER_ID)
        .send()
        .await
        .expect("call");

    let ec_public: Value = serde_json::from_str(EC_PUBLIC_JWK).expect("JWK");
    for request in received(&server).await {
        let jwk = &check_proof(&request).header["jwk"];
        assert_eq!((&jwk["x"], &jwk["y"]), (&ec_public["x"], &ec_public["y"]));
    }

    let server = MockServer::start().await;
    let rsa = PrivateKey::from_pem(RSA_PKCS8).expect("RSA key");
    let auth = Auth::okta_private_key(CLIENT_ID, ["okta.users.read"], ec_key()).dpop_key(rsa);
    let error = client(&server, auth)
        .list_factors(USER_ID)
        .send()
        .await
        .expect_err("RSA DPoP keys are not supported");
    assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");
    assert!(error.to_string().contains("P-256"), "{error}");
    assert!(received(&server).await.is_empty(), "refused before sending");
}

#[tokio::test]
async fn a_bearer_token_is_refused_when_dpop_was_configured() {
    let server = MockServer::start().await;
    mount_token(
        &server,
        json_response(200, token_body("tok-1", "Bearer", 3600)),
        None,
    )
    .await;
    mount_factors(&server, factors_ok(), None).await;

    let error = client(&server, dpop_auth())
        .list_factors(USER_ID)
        .send()
        .await
        .expect_err("no silent downgrade");

    let Error::Token(token) = &error else {
        panic!("a token error: {error:?}");
    };
    assert_eq!(token.error.as_deref(), Some("unexpected_token_type"));
    assert!(!error.to_string().contains("tok-1"), "{error}");
    assert!(api_requests(&received(&server).await).is_empty());
}

#[tokio::test]
async fn secrets_stay_out_of_debug_output() {
    let server = MockServer::start().await;
    mount_token(
        &server,
        json_response(200, token_body("tok-secret-123", "DPoP", 3600)),
        None,
    )
    .await;
    mount_factors(&server, factors_ok(), None).await;
    let jwk: Value = serde_json::from_str(EC_JWK).expect("JWK");
    let private_d = jwk["d"].as_str().expect("d").to_owned();
    let pem_line = EC_PKCS8.lines().nth(1).expect("PEM body").to_owned();
    let key = PrivateKey::from_jwk(EC_JWK).expect("key");
    let config = Auth::okta_private_key(CLIENT_ID, ["okta.users.read"], key).dpop(true);
    let config_text = format!("{config:?}");
    let client = client(&server, config);
    client.list_factors(USER_ID).send().await.expect("call");
    let sent = received(&server).await;
    let assertion = form_field(token_requests(&sent)[0], "client_assertion");
    let proof = common::header_once(api_requests(&sent)[0], "dpop").to_owned();

    for text in [
        config_text,
        format!("{client:?}"),
        format!("{:?}", ec_key()),
    ] {
        for secret in [
            &private_d,
            &pem_line,
            &assertion,
            &proof,
            &"tok-secret-123".to_owned(),
        ] {
            assert!(!text.contains(secret.as_str()), "{text}");
        }
        assert!(
            text.contains("ES256") || text.contains("PrivateKey"),
            "{text}"
        );
    }
}
