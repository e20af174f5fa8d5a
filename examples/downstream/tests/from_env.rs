//! The client from the environment, as a deployment sets it for Okta's own SDKs. One test in
//! its own binary: it sets process environment variables, which no other test may race.

use downstream_example::okta_factors::client_from_env;

#[test]
fn the_okta_client_comes_from_the_okta_sdk_variables() {
    std::env::remove_var("OKTA_CLIENT_ORGURL");
    let missing = client_from_env().expect_err("no org URL yet");
    assert!(
        missing.to_string().contains("OKTA_CLIENT_ORGURL"),
        "{missing}"
    );

    std::env::set_var("OKTA_CLIENT_ORGURL", "https://acme.okta.com/");
    std::env::set_var("OKTA_CLIENT_TOKEN", "00test-token");
    let client = client_from_env().expect("configured from the environment");
    assert_eq!(client.base_url(), "https://acme.okta.com");
    assert!(!format!("{client:?}").contains("00test-token"));
}
