//! Client-wide settings a downstream team reaches for in its first hour, through the typed mock.

use std::time::Duration;

use idp_mfa::okta::mock::MockServer as OktaMock;
use idp_mfa::onelogin::mock::MockServer as OneLoginMock;
use idp_mfa::runtime::RetryPolicy;

const USER_ID: &str = "00ub0oNGTSWTBKOLGLNR";

/// A 429 the client gave up on says when to come back, whichever reset clock the vendor uses
/// (Okta: epoch seconds; OneLogin: seconds from now).
#[tokio::test]
async fn a_rate_limited_error_says_when_to_retry() {
    let okta = OktaMock::start().await;
    okta.list_factors()
        .user_id(USER_ID)
        .rate_limited(Duration::from_secs(30))
        .mount()
        .await;
    let client = okta
        .client_builder()
        .retry(RetryPolicy::disabled())
        .build()
        .expect("client");
    let error = client.list_factors(USER_ID).send().await.expect_err("429");
    let wait = error.retry_after().expect("a wait");
    // 30 s from the mock's clock, plus the whole second both clocks round to
    assert!(
        (Duration::from_secs(29)..=Duration::from_secs(32)).contains(&wait),
        "{wait:?}"
    );
    let limits = error.rate_limit().expect("rate-limit headers");
    assert_eq!(limits.retry_after(), Some(wait));

    let onelogin = OneLoginMock::start().await;
    onelogin
        .get_enrolled_factors()
        .user_id(42)
        .rate_limited(Duration::from_secs(12))
        .mount()
        .await;
    let client = onelogin
        .client_builder()
        .retry(RetryPolicy::disabled())
        .build()
        .expect("client");
    let error = client
        .get_enrolled_factors(42)
        .send()
        .await
        .expect_err("429");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(12)));
}
