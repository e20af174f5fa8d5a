//! Polymorphic factors in everyday code: the fields every factor type shares are one call away
//! (`factor.id()`), and a factor type's own struct goes straight into `enroll_factor`.

use idp_mfa::okta::mock::MockServer;
use idp_mfa::okta::*;
use serde_json::json;

const USER_ID: &str = "00ub0oNGTSWTBKOLGLNR";

#[tokio::test]
async fn shared_fields_are_read_without_a_match() {
    let mock = MockServer::start().await;
    let factors: Vec<UserFactor> = serde_json::from_value(json!([
        { "id": "mbl1", "factorType": "sms", "provider": "OKTA", "status": "ACTIVE",
          "profile": { "phoneNumber": "+1-555-415-1337" } },
        { "id": "opf3", "factorType": "push", "provider": "OKTA", "status": "PENDING_ACTIVATION" },
        { "id": "aid9", "factorType": "signed_nonce", "provider": "OKTA", "status": "ACTIVE" }
    ]))
    .expect("factors decode");
    mock.list_factors()
        .user_id(USER_ID)
        .returns(factors)
        .mount()
        .await;

    let listed = mock
        .client()
        .list_factors(USER_ID)
        .send()
        .await
        .expect("listFactors");
    let ids: Vec<Option<&str>> = listed.iter().map(UserFactor::id).collect();
    // a factor type this crate does not know keeps its JSON, and its fields stay undecoded
    assert_eq!(ids, [Some("mbl1"), Some("opf3"), None]);
    assert_eq!(listed[0].status(), Some(&UserFactorStatus::Active));
    assert_eq!(listed[1].factor_type(), Some(&UserFactorType::Push));
    assert_eq!(listed[0].provider(), Some("OKTA"));
    assert!(matches!(listed[2], UserFactor::Unknown(_)));
    assert_eq!(listed[2].status(), None);
}

#[tokio::test]
async fn a_factor_types_struct_is_enrolled_as_it_is() {
    let mock = MockServer::start().await;
    let sms = UserFactorSms::new()
        .provider("OKTA")
        .profile(UserFactorSmsProfile::new().phone_number("+1-555-415-1337"));
    let answer: UserFactor = serde_json::from_value(json!({
        "id": "mbl1", "factorType": "sms", "provider": "OKTA", "status": "PENDING_ACTIVATION"
    }))
    .expect("answer decodes");
    // the expectation takes the struct too, and matches the JSON the client sends
    mock.enroll_factor()
        .user_id(USER_ID)
        .body(sms.clone())
        .returns(answer)
        .mount()
        .await;

    let enrolled = mock
        .client()
        .enroll_factor(USER_ID, sms)
        .send()
        .await
        .expect("enrollFactor");
    assert_eq!(enrolled.id(), Some("mbl1"));
    assert_eq!(
        enrolled.status(),
        Some(&UserFactorStatus::PendingActivation)
    );

    let sent = mock.received().await;
    let body: serde_json::Value = serde_json::from_slice(&sent[0].body).expect("JSON body");
    // the union variant names itself on the wire even though the caller never set it
    assert_eq!(body["factorType"], "sms");
    assert_eq!(body["profile"]["phoneNumber"], "+1-555-415-1337");
}
