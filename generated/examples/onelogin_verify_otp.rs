//! OneLogin with API credentials: enroll an SMS device for a user, then verify the code the
//! user received.
//!
//! ```sh
//! ONELOGIN_URL=https://acme.onelogin.com ONELOGIN_CLIENT_ID=... ONELOGIN_CLIENT_SECRET=... \
//!   cargo run -p idp-mfa --example onelogin_verify_otp -- 12345 16282 +15554151337
//! ```

use idp_mfa::onelogin::{self, OtpDevice, VerifyMfaFactorRequest};
use idp_mfa::Auth;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("ONELOGIN_URL")?;
    let client_id = std::env::var("ONELOGIN_CLIENT_ID")?;
    let client_secret = std::env::var("ONELOGIN_CLIENT_SECRET")?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [user_id, factor_id, phone] = args.as_slice() else {
        return Err("usage: onelogin_verify_otp USER_ID FACTOR_ID PHONE".into());
    };
    let user_id: i64 = user_id.parse()?;
    let factor_id: i64 = factor_id.parse()?;

    // The token is fetched on the first call, cached, and refreshed when it expires.
    let auth = Auth::onelogin_client_credentials(client_id, client_secret);
    let client = onelogin::Client::new(url, auth)?;

    let enrolled = client
        .enroll_mfa_factor(user_id)
        .body(
            OtpDevice::new("SMS", phone.as_str())
                .factor_id(factor_id)
                .verified(false),
        )
        .send()
        .await?;
    let device_id = enrolled
        .data
        .and_then(|devices| devices.into_iter().next())
        .and_then(|device| device.id)
        .ok_or("no device in the enrollment response")?;
    println!("device {device_id} enrolled; type the code sent to {phone}:");

    let mut code = String::new();
    std::io::stdin().read_line(&mut code)?;
    let verified = client
        .verify_mfa_factor(user_id, device_id.to_string())
        .body(VerifyMfaFactorRequest::new().otp_token(code.trim()))
        .send()
        .await?;
    println!("verified: {verified:?}");
    Ok(())
}
