//! Forward compatibility and lossless decoding of the models: values this crate version does not
//! know (a new factor type, a new status), unknown fields, explicit `null`s and the wire shapes
//! the provider configs patch in decode, and re-encode to the same JSON.

use idp_mfa::okta::{
    OneOrMany, UserFactor, UserFactorCallProfile, UserFactorPushTransaction,
    UserFactorPushTransactionFactorResult, UserFactorSms, UserFactorSmsProfile, UserFactorStatus,
    UserFactorType,
};
use serde_json::{json, Value};

const FACTOR_PATH: &str = "https://acme.okta.com/api/v1/users/00u1abc/factors";

/// Decodes `json` as `T`, re-encodes it and checks nothing changed.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(json: &Value) -> T {
    let value: T = serde_json::from_value(json.clone()).expect("decodes");
    let again = serde_json::to_value(&value).expect("encodes");
    assert_eq!(&again, json, "re-encoded JSON differs");
    value
}

fn factor(factor_type: &str, status: &str) -> Value {
    json!({
        "id": "fct1xyz",
        "factorType": factor_type,
        "provider": "OKTA",
        "vendorName": "OKTA",
        "status": status,
        "created": "2014-08-06T16:56:31.000Z",
        "lastUpdated": "2014-08-06T16:56:31.000Z",
        "profile": { "credentialId": "jane.doe@example.com", "deviceBound": true },
        "_links": {
            "self": { "href": format!("{FACTOR_PATH}/fct1xyz"), "hints": { "allow": ["GET", "DELETE"] } }
        }
    })
}

#[test]
fn signed_nonce_factor_is_kept_whole() {
    // In the spec's factor type enum, but with no subtype in the discriminator mapping
    // (Okta FastPass): the whole object is kept.
    let json = factor("signed_nonce", "ACTIVE");
    let UserFactor::Unknown(kept) = round_trip::<UserFactor>(&json) else {
        panic!("signed_nonce has no subtype: expected the Unknown variant");
    };
    assert_eq!(kept, json);
    assert_eq!(
        UserFactorType::from("signed_nonce"),
        UserFactorType::SignedNonce
    );
}

#[test]
fn invented_factor_type_is_kept_whole() {
    let json = factor("passkey_v9", "ACTIVE");
    let decoded = round_trip::<UserFactor>(&json);
    assert!(matches!(&decoded, UserFactor::Unknown(kept) if *kept == json));
    let list = json!([json, factor("sms", "ACTIVE")]);
    let factors = round_trip::<Vec<UserFactor>>(&list);
    assert!(
        matches!(factors[1], UserFactor::Sms(_)),
        "known types still typed"
    );
    assert_eq!(
        UserFactorType::from("passkey_v9"),
        UserFactorType::Unknown("passkey_v9".to_owned())
    );
}

#[test]
fn unknown_status_is_kept_as_sent() {
    let mut json = factor("sms", "FROZEN");
    json["profile"] = json!({ "phoneNumber": "+1-555-415-1337" });
    let UserFactor::Sms(sms) = round_trip::<UserFactor>(&json) else {
        panic!("sms factor expected");
    };
    assert_eq!(sms.status, Some(UserFactorStatus::Unknown("FROZEN".into())));
    assert_eq!(sms.status.as_ref().map(|s| s.as_str()), Some("FROZEN"));
    // no pattern validation on decode: the spec's E.164 pattern rejects this documented number
    assert_eq!(
        sms.profile.and_then(|p| p.phone_number).as_deref(),
        Some("+1-555-415-1337")
    );
}

#[test]
fn unknown_fields_survive_read_modify_write() {
    let mut json = factor("sms", "ACTIVE");
    json["profile"] = json!({ "phoneNumber": "+15554151337", "carrier": "acme" });
    json["riskScore"] = json!({ "level": "LOW" });
    let UserFactor::Sms(mut sms) = serde_json::from_value(json.clone()).expect("decodes") else {
        panic!("sms factor expected");
    };
    let profile = sms.profile.take().expect("profile");
    sms = sms.profile(profile.phone_number("+15550000000"));
    let written = serde_json::to_value(UserFactor::Sms(sms)).expect("encodes");
    assert_eq!(written["riskScore"], json!({ "level": "LOW" }));
    assert_eq!(written["profile"]["carrier"], "acme");
    assert_eq!(written["profile"]["phoneNumber"], "+15550000000");
}

#[test]
fn nullable_field_tells_null_from_absent() {
    // `phoneExtension` is `nullable: true`: null, absent and a value all re-encode as sent.
    let null = json!({ "phoneNumber": "+15554151337", "phoneExtension": null });
    let absent = json!({ "phoneNumber": "+15554151337" });
    let set = json!({ "phoneNumber": "+15554151337", "phoneExtension": "1234" });
    assert_eq!(
        round_trip::<UserFactorCallProfile>(&null).phone_extension,
        Some(None)
    );
    assert_eq!(
        round_trip::<UserFactorCallProfile>(&absent).phone_extension,
        None
    );
    assert_eq!(
        round_trip::<UserFactorCallProfile>(&set).phone_extension,
        Some(Some("1234".to_owned()))
    );
    // the setter writes a value; a caller writes an explicit null through the field
    let mut built = UserFactorCallProfile::new().phone_extension("99");
    assert_eq!(
        serde_json::to_value(&built).unwrap()["phoneExtension"],
        "99"
    );
    built.phone_extension = Some(None);
    assert_eq!(
        serde_json::to_value(&built).unwrap(),
        json!({ "phoneExtension": null })
    );
}

#[test]
fn null_in_a_non_nullable_optional_field_is_accepted() {
    // the spec does not say nullable, the wire sends null anyway: decoding must not fail
    let mut json = factor("sms", "ACTIVE");
    json["vendorName"] = Value::Null;
    json["profile"] = Value::Null;
    let UserFactor::Sms(sms) = serde_json::from_value(json).expect("null is accepted") else {
        panic!("sms factor expected");
    };
    assert_eq!(sms.vendor_name, None);
    assert_eq!(sms.profile, None);
}

#[test]
fn read_only_fields_are_not_needed_to_build_a_request() {
    // id, status, created, lastUpdated, vendorName, _links are readOnly: `new()` takes none of
    // them and an enroll body carries only what the caller set.
    let body = UserFactorSms::new()
        .provider("OKTA")
        .profile(UserFactorSmsProfile::new().phone_number("+15554151337"));
    assert_eq!(
        serde_json::to_value(UserFactor::Sms(body)).unwrap(),
        json!({ "factorType": "sms", "provider": "OKTA", "profile": { "phoneNumber": "+15554151337" } })
    );
}

#[test]
fn write_only_answer_is_not_needed_to_decode() {
    // `answer` is writeOnly: the API never returns it, and the factor decodes without it
    let mut json = factor("question", "ACTIVE");
    json["profile"] = json!({ "question": "disliked_food", "questionText": "What is the food you least liked as a child?" });
    let UserFactor::Question(question) = round_trip::<UserFactor>(&json) else {
        panic!("question factor expected");
    };
    assert_eq!(question.profile.and_then(|p| p.answer), None);
}

fn waiting(with_challenge: Option<Value>) -> Value {
    let mut json = json!({
        "expiresAt": "2015-04-01T15:57:32.000Z",
        "factorResult": "WAITING",
        "profile": { "credentialId": "jane.doe@example.com" },
        "_links": {
            "poll": { "href": format!("{FACTOR_PATH}/opf1/transactions/mst1"), "hints": { "allow": ["GET"] } },
            "cancel": { "href": format!("{FACTOR_PATH}/opf1/transactions/mst1"), "hints": { "allow": ["DELETE"] } }
        }
    });
    if let Some(challenge) = with_challenge {
        json["_embedded"] = json!({ "challenge": challenge });
    }
    json
}

/// The number-matching answer, the way a push-polling helper reads it.
fn correct_answer(transaction: &UserFactorPushTransaction) -> Option<i64> {
    let UserFactorPushTransaction::Waiting(w) = transaction else {
        return None;
    };
    w.embedded
        .as_ref()?
        .challenge
        .as_ref()?
        .as_ref()?
        .correct_answer
}

#[test]
fn plain_waiting_decodes_with_and_without_a_number_challenge() {
    let with =
        round_trip::<UserFactorPushTransaction>(&waiting(Some(json!({ "correctAnswer": 72 }))));
    assert_eq!(correct_answer(&with), Some(72));
    let UserFactorPushTransaction::Waiting(w) = &with else {
        panic!("WAITING must decode into Waiting");
    };
    assert_eq!(
        w.factor_result,
        Some(UserFactorPushTransactionFactorResult::Waiting)
    );
    assert!(w.links.as_ref().and_then(|l| l.poll.as_ref()).is_some());

    let without = round_trip::<UserFactorPushTransaction>(&waiting(None));
    assert!(matches!(without, UserFactorPushTransaction::Waiting(_)));
    assert_eq!(correct_answer(&without), None);

    let null_challenge = round_trip::<UserFactorPushTransaction>(&waiting(Some(Value::Null)));
    assert_eq!(correct_answer(&null_challenge), None);

    // the other results keep their variants; an unknown result is kept whole
    let success = json!({ "factorResult": "SUCCESS" });
    assert!(matches!(
        round_trip::<UserFactorPushTransaction>(&success),
        UserFactorPushTransaction::Success(_)
    ));
    let later = json!({ "factorResult": "WAITING_FOR_BIOMETRICS", "x": 1 });
    assert!(matches!(
        round_trip::<UserFactorPushTransaction>(&later),
        UserFactorPushTransaction::Unknown(_)
    ));
}

#[test]
fn resend_links_decode_as_one_object_or_an_array() {
    let link = |name: &str| json!({ "name": name, "href": format!("{FACTOR_PATH}/sms1/resend"), "hints": { "allow": ["POST"] } });
    let mut one = factor("sms", "PENDING_ACTIVATION");
    one["_links"]["resend"] = link("sms");
    let mut many = factor("sms", "PENDING_ACTIVATION");
    many["_links"]["resend"] = json!([link("sms"), link("voice")]);

    let UserFactor::Sms(sms) = round_trip::<UserFactor>(&one) else {
        panic!("sms factor expected");
    };
    let resend = sms.links.and_then(|l| l.resend).expect("resend");
    assert!(matches!(resend, OneOrMany::One(_)));
    assert_eq!(resend.iter().count(), 1);

    let UserFactor::Sms(sms) = round_trip::<UserFactor>(&many) else {
        panic!("sms factor expected");
    };
    let resend = sms.links.and_then(|l| l.resend).expect("resend");
    let names: Vec<Option<&str>> = resend.iter().map(|l| l.name.as_deref()).collect();
    assert_eq!(names, [Some("sms"), Some("voice")]);
    assert_eq!(resend.first().and_then(|l| l.name.as_deref()), Some("sms"));
}

#[test]
fn date_times_keep_their_wire_text() {
    let json = factor("sms", "ACTIVE");
    let UserFactor::Sms(sms) = round_trip::<UserFactor>(&json) else {
        panic!("sms factor expected");
    };
    assert_eq!(sms.created.as_deref(), Some("2014-08-06T16:56:31.000Z"));
}

#[test]
fn encoded_text_has_the_declared_fields_in_order_then_the_unknown_ones() {
    // the byte order a vendor (and a signature over the body) sees: declared fields in spec
    // order, absent ones left out, then the unknown ones by name
    let mut sms = UserFactorSms::new()
        .id("sms1xyz")
        .profile(UserFactorSmsProfile::new().phone_number("+1-555-415-1337"));
    sms.additional_properties
        .insert("zNew".into(), json!([true, null, {"k": 1}]));
    sms.additional_properties.insert("aNew".into(), Value::Null);
    assert_eq!(
        serde_json::to_string(&sms).expect("encodes"),
        r#"{"factorType":"sms","id":"sms1xyz","profile":{"phoneNumber":"+1-555-415-1337"},"aNew":null,"zNew":[true,null,{"k":1}]}"#
    );
    let union = serde_json::to_string(&UserFactor::from(sms.clone())).expect("encodes");
    assert_eq!(union, serde_json::to_string(&sms).expect("encodes"));
}

#[path = "support/common.rs"]
mod common;

/// A union answer (`getFactor` returns `UserFactor`) that is not an object cannot be a factor
/// kind this crate does not know yet: it is a broken answer, and an `Unknown` would let the
/// caller take it for one.
#[tokio::test]
async fn a_union_answer_that_is_not_an_object_is_a_decode_error() {
    let server = wiremock::MockServer::start().await;
    let client = common::okta_client(&server);
    for body in ["", "  ", "null", "[]", "\"x\"", "42", "true"] {
        server.reset().await;
        wiremock::Mock::given(wiremock::matchers::method("GET"))
            .respond_with(
                wiremock::ResponseTemplate::new(200).set_body_raw(body, "application/json"),
            )
            .mount(&server)
            .await;
        let answer = client.get_factor("00u1abc", "fct1xyz").send().await;
        match answer {
            Err(idp_mfa::Error::Decode(error)) => {
                assert_eq!(error.body, body, "the body is kept for the report");
            }
            other => panic!("body {body:?}: expected a decode error, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn an_object_of_an_unknown_factor_kind_is_kept_whole() {
    let server = wiremock::MockServer::start().await;
    let json = json!({"factorType": "new_kind", "id": "fct9", "extra": {"a": [1, null]}});
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .respond_with(common::json_response(200, json.clone()))
        .mount(&server)
        .await;
    let factor = common::okta_client(&server)
        .get_factor("00u1abc", "fct9")
        .send()
        .await
        .expect("an object decodes");
    assert!(
        matches!(&factor, UserFactor::Unknown(kept) if *kept == json),
        "{factor:?}"
    );

    // the same rule for a union decoded on its own and inside a list
    for text in ["null", "[]", "\"x\"", "42"] {
        assert!(serde_json::from_str::<UserFactor>(text).is_err(), "{text}");
    }
    let list = serde_json::from_value::<Vec<UserFactor>>(json!([json, 7]));
    assert!(list.is_err(), "a number among the factors is refused");
}

/// Numbers no `u64`, `i64` or `f64` holds exactly, as a server may send them in fields and
/// members this crate does not know.
#[cfg(feature = "exact-numbers")]
const WIRE_NUMBERS: [&str; 4] = [
    "123456789012345678901234567890",
    "-123456789012345678901234567890",
    "18446744073709551616",
    "0.1000000000000000055511151231257827",
];

/// With feature `exact-numbers`, unknown fields (a model's additional properties) and an
/// unknown union member re-encode each number as the server wrote it, not as the nearest
/// `f64` (`1.2345678901234568e29`, `0.1`).
#[cfg(feature = "exact-numbers")]
#[tokio::test]
async fn numbers_in_unknown_fields_and_members_keep_their_text() {
    let [big, negative, past_u64, long] = WIRE_NUMBERS;
    let known = format!(
        r#"{{"id":"sms1","factorType":"sms","status":"ACTIVE","profile":{{"phoneNumber":"+1","carrier":{big}}},"riskScore":{long},"weights":[{negative},{past_u64},1,2.5]}}"#
    );
    let unknown = known.replace(r#""factorType":"sms""#, r#""factorType":"new_kind""#);
    let server = wiremock::MockServer::start().await;
    let client = common::okta_client(&server);
    for (body, is_unknown) in [(known, false), (unknown, true)] {
        server.reset().await;
        wiremock::Mock::given(wiremock::matchers::method("GET"))
            .respond_with(
                wiremock::ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"),
            )
            .mount(&server)
            .await;
        let factor = client
            .get_factor("00u1abc", "sms1")
            .send()
            .await
            .expect("decodes");
        assert_eq!(
            matches!(factor, UserFactor::Unknown(_)),
            is_unknown,
            "{factor:?}"
        );
        let json = serde_json::to_value(&factor).expect("a value");
        assert!(
            json["riskScore"].is_number(),
            "a number, not its wrapper: {json}"
        );
        assert_eq!(json["riskScore"].to_string(), long);
        assert_eq!(json["profile"]["carrier"].to_string(), big);
        let text = serde_json::to_string(&factor).expect("encodes");
        for number in WIRE_NUMBERS {
            assert!(text.contains(number), "{number} lost in {text}");
        }
        // read again from its own text: nothing drifts
        let again: UserFactor = serde_json::from_str(&text).expect("decodes again");
        assert_eq!(again, factor);
    }
}

/// Typed number fields of a model read from text still decode as numbers with the feature
/// on, beside an unknown field that keeps its text.
#[cfg(feature = "exact-numbers")]
#[test]
fn typed_numbers_still_decode_with_exact_numbers() {
    let text = format!(r#"{{"correctAnswer": 72, "extra": {}}}"#, WIRE_NUMBERS[0]);
    let challenge: idp_mfa::okta::NumberFactorChallengeEmbeddedLinksChallenge =
        serde_json::from_str(&text).expect("decodes");
    assert_eq!(challenge.correct_answer, Some(72));
    let extra = &challenge.additional_properties["extra"];
    assert!(extra.is_number());
    assert_eq!(extra.to_string(), WIRE_NUMBERS[0]);
}
