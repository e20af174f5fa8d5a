//! The team's Okta functions against the generated Okta mock: factor accessors, a per-call
//! timeout, the forwarded end-user address asserted by the mock, and a throttled enrollment
//! that says when to come back.

use std::time::Duration;

use downstream_example::okta_factors::{active_factor_ids, enroll_sms, NotEnrolled};
use idp_mfa::okta::mock::MockServer;
use idp_mfa::okta::UserFactor;
use idp_mfa::runtime::RetryPolicy;
use idp_mfa::serde_json::{self, json};

const USER: &str = "00ub0oNGTSWTBKOLGLNR";

fn factors() -> Vec<UserFactor> {
    serde_json::from_value(json!([
        { "id": "mbl1", "factorType": "sms", "status": "ACTIVE" },
        { "id": "opf3", "factorType": "push", "status": "PENDING_ACTIVATION" },
        { "id": "ost9", "factorType": "token:software:totp", "status": "ACTIVE" },
        { "id": "new1", "factorType": "a_type_from_next_year", "status": "ACTIVE" }
    ]))
    .expect("factors")
}

#[tokio::test]
async fn lists_active_factor_ids() {
    let mock = MockServer::start().await;
    mock.list_factors()
        .user_id(USER)
        .returns(factors())
        .mount()
        .await;
    let ids = active_factor_ids(&mock.client(), USER)
        .await
        .expect("listed");
    // the unknown factor type keeps its JSON; its fields are not read
    assert_eq!(ids, ["mbl1", "ost9"]);
}

#[tokio::test]
async fn a_slow_answer_fails_within_the_per_call_timeout() {
    let mock = MockServer::start().await;
    mock.list_factors()
        .user_id(USER)
        .returns(Vec::new())
        .delay(Duration::from_secs(8))
        .mount()
        .await;
    let client = mock
        .client_builder()
        .retry(RetryPolicy::disabled())
        .build()
        .expect("client");
    let error = active_factor_ids(&client, USER)
        .await
        .expect_err("timed out");
    assert!(error.is_timeout(), "{error:?}");
}

#[tokio::test]
async fn enrolls_forwarding_the_end_users_address() {
    let mock = MockServer::start().await;
    let answer: UserFactor = serde_json::from_value(json!({
        "id": "mbl9", "factorType": "sms", "status": "PENDING_ACTIVATION"
    }))
    .expect("answer");
    mock.enroll_factor()
        .user_id(USER)
        .header("X-Forwarded-For", "203.0.113.7")
        .body(
            idp_mfa::okta::UserFactorSms::new()
                .profile(idp_mfa::okta::UserFactorSmsProfile::new().phone_number("+15554151337")),
        )
        .returns(answer)
        .times(1)
        .mount()
        .await;
    let id = enroll_sms(&mock.client(), USER, "+15554151337", "203.0.113.7")
        .await
        .expect("enrolled");
    assert_eq!(id.as_deref(), Some("mbl9"));
}

#[tokio::test]
async fn a_throttled_enrollment_says_when_to_retry() {
    let mock = MockServer::start().await;
    mock.enroll_factor()
        .user_id(USER)
        .rate_limited(Duration::from_secs(40))
        .mount()
        .await;
    let client = mock
        .client_builder()
        .retry(RetryPolicy::disabled())
        .build()
        .expect("client");
    match enroll_sms(&client, USER, "+15554151337", "203.0.113.7").await {
        Err(NotEnrolled::Later(wait)) => {
            assert!(
                (Duration::from_secs(39)..=Duration::from_secs(42)).contains(&wait),
                "{wait:?}"
            )
        }
        other => panic!("expected a wait, got {other:?}"),
    }
}
