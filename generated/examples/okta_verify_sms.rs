//! Verify an SMS passcode for an Okta user, forwarding the end user's IP address.
//!
//! ```sh
//! OKTA_ORG_URL=https://acme.okta.com OKTA_API_TOKEN=... \
//!   cargo run -p idp-mfa --example okta_verify_sms -- 00u1abc sms1xyz 123456 203.0.113.7
//! ```

use idp_mfa::okta::{self, UserFactorVerifyRequest, VerifyFactorResponse};
use idp_mfa::Auth;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let org = std::env::var("OKTA_ORG_URL")?;
    let token = std::env::var("OKTA_API_TOKEN")?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [user_id, factor_id, pass_code, end_user_ip] = args.as_slice() else {
        return Err("usage: okta_verify_sms USER_ID FACTOR_ID PASSCODE END_USER_IP".into());
    };

    let client = okta::Client::new(org, Auth::ssws(token))?;
    let result = client
        .verify_factor(user_id, factor_id)
        .x_forwarded_for(end_user_ip)
        .body(UserFactorVerifyRequest::new().pass_code(pass_code))
        .send()
        .await?;
    match result {
        VerifyFactorResponse::Ok(done) => {
            println!("result: {:?}", done.factor_result)
        }
        VerifyFactorResponse::Created(waiting) => {
            println!("waiting for the user: {:?}", waiting.factor_result)
        }
        other => println!("unexpected: {other:?}"),
    }
    Ok(())
}
