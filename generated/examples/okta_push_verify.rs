//! Send an Okta Verify push to a user and wait for the answer, showing the number to pick when
//! Okta asks for number matching.
//!
//! ```sh
//! OKTA_ORG_URL=https://acme.okta.com OKTA_API_TOKEN=... \
//!   cargo run -p idp-mfa --example okta_push_verify -- 00u1abc opf1xyz 203.0.113.7 "Mozilla/5.0 ..."
//! ```

use idp_mfa::okta;
use idp_mfa::okta::push::{self, PollOptions, PushStart};
use idp_mfa::Auth;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let org = std::env::var("OKTA_ORG_URL")?;
    let token = std::env::var("OKTA_API_TOKEN")?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [user_id, factor_id, end_user_ip, end_user_agent] = args.as_slice() else {
        return Err("usage: okta_push_verify USER_ID FACTOR_ID END_USER_IP END_USER_AGENT".into());
    };
    let client = okta::Client::new(org, Auth::ssws(token))?;

    // Okta's risk engine reads the end user's IP and browser: forward both.
    let request = client
        .verify_factor(user_id, factor_id)
        .x_forwarded_for(end_user_ip)
        .user_agent(end_user_agent);
    let outcome = match push::start(request).await? {
        PushStart::Waiting(challenge) => {
            if let Some(number) = challenge.correct_answer() {
                println!("pick {number} in Okta Verify");
            }
            challenge.wait(&client, PollOptions::default()).await?
        }
        PushStart::Done(outcome) => outcome,
    };
    println!("{:?} after {} poll(s)", outcome.result, outcome.polls);
    Ok(())
}
