//! Enroll Okta Verify TOTP (`token:software:totp`) for a user, then activate it with the first
//! code from the user's authenticator app.
//!
//! ```sh
//! OKTA_ORG_URL=https://acme.okta.com OKTA_API_TOKEN=... \
//!   cargo run -p idp-mfa --example okta_enroll_totp -- 00u1abc
//! ```

use idp_mfa::okta::{self, UserFactor, UserFactorActivateRequest, UserFactorTokenSoftwareTotp};
use idp_mfa::Auth;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let org = std::env::var("OKTA_ORG_URL")?;
    let token = std::env::var("OKTA_API_TOKEN")?;
    let Some(user_id) = std::env::args().nth(1) else {
        return Err("usage: okta_enroll_totp USER_ID".into());
    };
    let client = okta::Client::new(org, Auth::ssws(token))?;

    let enrolled = client
        .enroll_factor(
            &user_id,
            UserFactorTokenSoftwareTotp::new().provider("OKTA"),
        )
        .send_with_response()
        .await?;
    println!("request id: {:?}", enrolled.request_id());
    let UserFactor::TokenSoftwareTotp(factor) = enrolled.into_inner() else {
        return Err("Okta answered with another factor type".into());
    };
    let factor_id = factor.id.clone().ok_or("the enrolled factor has no id")?;
    // `_embedded.activation` holds the QR code link and the shared secret: show the QR code,
    // never log the secret.
    let qr = factor
        .embedded
        .as_ref()
        .and_then(|e| e.get("activation"))
        .and_then(|a| a.pointer("/_links/qrcode/href"))
        .and_then(|h| h.as_str());
    println!("enrolled {factor_id}; scan {qr:?} and type the first code:");

    let mut code = String::new();
    std::io::stdin().read_line(&mut code)?;
    let activated = client
        .activate_factor(&user_id, &factor_id)
        .body(UserFactorActivateRequest::new().pass_code(code.trim()))
        .send()
        .await?;
    println!("activated: {activated:?}");
    Ok(())
}
