//! Live checks of the wire patches against a real tenant. Ignored by default; CI never runs them.
//!
//! To confirm (or refute) a patch in `specs/*.toml`, run against a tenant with enrolled factors:
//!
//! ```sh
//! OKTA_CLIENT_ORGURL=https://acme.okta.com OKTA_CLIENT_TOKEN=00abc... OKTA_USER_ID=00u1abc \
//!   cargo test -p idp-mfa --test live_wire -- --ignored --nocapture
//! ONELOGIN_CLIENT_ID=... ONELOGIN_CLIENT_SECRET=... ONELOGIN_SUBDOMAIN=acme ONELOGIN_USER_ID=123 \
//!   cargo test -p idp-mfa --test live_wire -- --ignored --nocapture
//! ```
//!
//! The credentials are the variables `from_env()` reads (`ONELOGIN_API_URL` may replace
//! `ONELOGIN_SUBDOMAIN`), so one shell setup serves the SDK and these checks.
//!
//! Each test fetches the raw JSON itself (so nothing the crate does can hide a difference),
//! round-trips it through the generated type and prints the wire shapes the patches are about.

use serde_json::Value;

/// `idp_mfa::<provider>::round_trip_body`.
type RoundTrip =
    fn(&str, Option<&str>, Value) -> Option<(&'static str, Result<Value, serde_json::Error>)>;

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

async fn get_json(url: &str, authorization: &str) -> Value {
    let response = idp_mfa::runtime::http_client_builder()
        .expect("TLS settings")
        .build()
        .expect("HTTP client")
        .get(url)
        .header("Authorization", authorization)
        .header("Accept", "application/json")
        .send()
        .await
        .expect("request");
    assert!(
        response.status().is_success(),
        "{url}: {}",
        response.status()
    );
    let bytes = response.bytes().await.expect("body");
    serde_json::from_slice(&bytes).expect("JSON body")
}

fn assert_round_trips(round_trip: RoundTrip, operation_id: &str, raw: &Value) {
    let (ty, again) = round_trip(operation_id, Some("200"), raw.clone()).expect("typed body");
    let again = again.unwrap_or_else(|e| panic!("{operation_id}: does not decode as {ty}: {e}"));
    assert_eq!(&again, raw, "{operation_id}: {ty} re-encodes differently");
}

#[tokio::test]
#[ignore = "live: needs OKTA_CLIENT_ORGURL, OKTA_CLIENT_TOKEN and OKTA_USER_ID"]
async fn okta_factors_round_trip_from_a_real_tenant() {
    let (Some(org), Some(token), Some(user)) = (
        env("OKTA_CLIENT_ORGURL"),
        env("OKTA_CLIENT_TOKEN"),
        env("OKTA_USER_ID"),
    ) else {
        println!("skipped: set OKTA_CLIENT_ORGURL, OKTA_CLIENT_TOKEN and OKTA_USER_ID");
        return;
    };
    let url = format!("{}/api/v1/users/{user}/factors", org.trim_end_matches('/'));
    let raw = get_json(&url, &format!("SSWS {token}")).await;
    for factor in raw.as_array().into_iter().flatten() {
        let links = &factor["_links"];
        for name in ["resend", "send"] {
            if let Some(link) = links.get(name) {
                // patches links-resend-one-or-many / links-send-one-or-many
                let shape = if link.is_array() {
                    "an array"
                } else {
                    "one object"
                };
                println!(
                    "{} {}: _links.{name} is {shape}",
                    factor["factorType"], factor["id"]
                );
            }
        }
    }
    assert_round_trips(idp_mfa::okta::round_trip_body, "listFactors", &raw);
}

#[tokio::test]
#[ignore = "live: needs ONELOGIN_CLIENT_ID, ONELOGIN_CLIENT_SECRET, ONELOGIN_SUBDOMAIN and ONELOGIN_USER_ID"]
async fn onelogin_devices_round_trip_from_a_real_tenant() {
    let api = env("ONELOGIN_API_URL").or_else(|| {
        env("ONELOGIN_SUBDOMAIN").map(|subdomain| format!("https://{subdomain}.onelogin.com"))
    });
    let (Some(api), Some(id), Some(secret), Some(user)) = (
        api,
        env("ONELOGIN_CLIENT_ID"),
        env("ONELOGIN_CLIENT_SECRET"),
        env("ONELOGIN_USER_ID"),
    ) else {
        println!(
            "skipped: set ONELOGIN_CLIENT_ID, ONELOGIN_CLIENT_SECRET, ONELOGIN_SUBDOMAIN (or \
             ONELOGIN_API_URL) and ONELOGIN_USER_ID"
        );
        return;
    };
    let api = api.trim_end_matches('/');
    // the client-credentials grant the SDK's own OneLogin auth uses, done by hand so the
    // request below is independent of the crate
    let response = idp_mfa::runtime::http_client_builder()
        .expect("TLS settings")
        .build()
        .expect("HTTP client")
        .post(format!("{api}/auth/oauth2/v2/token"))
        .basic_auth(id, Some(secret))
        .header("Content-Type", "application/json")
        .body(r#"{"grant_type":"client_credentials"}"#)
        .send()
        .await
        .expect("token request");
    let status = response.status().as_u16();
    let body = response.bytes().await.expect("token body");
    let token = idp_mfa::runtime::Token::from_response(status, &body).expect("token");
    let url = format!("{api}/api/1/users/{user}/otp_devices");
    let raw = get_json(&url, &format!("Bearer {}", token.access_token.expose())).await;
    assert_round_trips(
        idp_mfa::onelogin::round_trip_body,
        "getEnrolledFactors",
        &raw,
    );
}
