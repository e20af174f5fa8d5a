//! Okta as a service app: list a user's factors with an OAuth 2.0 access token obtained by
//! `private_key_jwt` client credentials and bound to the client with DPoP, instead of an SSWS API
//! token. Set up an "API Services" app in Okta with public key / private key client
//! authentication, "Require DPoP" on (the default), the `okta.users.read` scope granted, and an
//! admin role that can read users; register the public half of `OKTA_PRIVATE_KEY`.
//!
//! ```sh
//! OKTA_ORG_URL=https://acme.okta.com OKTA_CLIENT_ID=0oa... OKTA_KEY_ID=... \
//!   OKTA_PRIVATE_KEY=./service-app.pem \
//!   cargo run -p idp-mfa --example okta_service_app -- 00u1abcd2EFGHIJ3k4l5
//! ```
//!
//! The key file may be a PKCS#1 or PKCS#8 PEM (RSA or EC P-256) or a private JWK as Okta's
//! admin console generates it (its `kid` is then read from the JWK).

use idp_mfa::okta::{self, UserFactor};
use idp_mfa::runtime::PrivateKey;
use idp_mfa::Auth;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let org_url = std::env::var("OKTA_ORG_URL")?;
    let client_id = std::env::var("OKTA_CLIENT_ID")?;
    let key_text = std::fs::read_to_string(std::env::var("OKTA_PRIVATE_KEY")?)?;
    let Some(user_id) = std::env::args().nth(1) else {
        return Err("usage: okta_service_app USER_ID".into());
    };

    let mut key = if key_text.trim_start().starts_with('{') {
        PrivateKey::from_jwk(&key_text)?
    } else {
        PrivateKey::from_pem(&key_text)?
    };
    if let Ok(key_id) = std::env::var("OKTA_KEY_ID") {
        // The kid of the public key registered with the app: Okta picks the key by it.
        key = key.with_key_id(key_id);
    }
    // Ask only for the scope the calls need: `list_factors` documents `okta.users.read`.
    let auth = Auth::okta_private_key(client_id, ["okta.users.read"], key).dpop(true);
    let client = okta::Client::new(org_url, auth)?;

    // The first call fetches a DPoP-bound token (answering Okta's nonce challenge); every call
    // then carries `Authorization: DPoP <token>` and a fresh proof for its method and URL.
    let factors = client.list_factors(user_id).send().await?;
    for factor in factors {
        let (kind, id, status) = match &factor {
            UserFactor::Sms(f) => ("sms", f.id.clone(), f.status.clone()),
            UserFactor::Email(f) => ("email", f.id.clone(), f.status.clone()),
            UserFactor::Push(f) => ("push", f.id.clone(), f.status.clone()),
            UserFactor::TokenSoftwareTotp(f) => ("totp", f.id.clone(), f.status.clone()),
            UserFactor::Webauthn(f) => ("webauthn", f.id.clone(), f.status.clone()),
            other => {
                println!("other factor: {other:?}");
                continue;
            }
        };
        println!("{kind:<9} {} {:?}", id.as_deref().unwrap_or("-"), status);
    }
    Ok(())
}
