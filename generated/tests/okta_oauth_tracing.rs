#![cfg(feature = "okta-oauth")]
//! Okta OAuth secrets stay out of traces, in its own test binary: tracing caches per-callsite
//! interest process-wide, so a scoped subscriber is only reliable when no other test runs beside
//! it.

#[path = "support/common.rs"]
mod common;

use idp_mfa::runtime::PrivateKey;
use idp_mfa::{okta, Auth};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use common::{capture_traces, json_response, received};

const USER_ID: &str = "00u1abcd2EFGHIJ3k4l5";
const EC_JWK: &str = include_str!("fixtures/oauth/ec_private.jwk.json");

#[tokio::test]
async fn keys_assertions_tokens_and_proofs_never_reach_the_traces() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/token"))
        .respond_with(
            json_response(400, json!({"error": "use_dpop_nonce"}))
                .insert_header("DPoP-Nonce", "as-nonce"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/token"))
        .respond_with(json_response(
            200,
            json!({"token_type": "DPoP", "expires_in": 3600, "access_token": "tok-traced-secret"}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header("WWW-Authenticate", r#"DPoP error="use_dpop_nonce""#)
                .insert_header("DPoP-Nonce", "rs-nonce"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(json_response(200, json!([])))
        .mount(&server)
        .await;
    let (logs, _guard) = capture_traces();
    let key = PrivateKey::from_jwk(EC_JWK).expect("test key");
    let client = okta::Client::builder(server.uri())
        .auth(Auth::okta_private_key("0oa-traced", ["okta.users.read"], key).dpop(true))
        .allow_http(true)
        .build()
        .expect("client");

    client
        .list_factors(USER_ID)
        .send()
        .await
        .expect("after both nonce dances");

    let text = logs.text();
    // the capture works, and shows the retries happened
    for expected in ["listFactors", "DPoP nonce", "status=200"] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let sent = received(&server).await;
    let body = String::from_utf8_lossy(&sent[0].body).into_owned();
    let assertion = body
        .split('&')
        .find_map(|pair| pair.strip_prefix("client_assertion="))
        .expect("assertion")
        .to_owned();
    let proof = common::header_once(&sent[2], "dpop").to_owned();
    let jwk: serde_json::Value = serde_json::from_str(EC_JWK).expect("JWK");
    let private_d = jwk["d"].as_str().expect("d").to_owned();
    for secret in [
        "tok-traced-secret",
        assertion.as_str(),
        proof.as_str(),
        private_d.as_str(),
    ] {
        assert!(!text.contains(secret), "{secret:?} leaked into:\n{text}");
    }
}
