//! Decode cost of the generated models: the generated `Deserialize` impls (one JSON object read
//! into a property list, fields taken from it; see `runtime/fields.rs`) against serde's derive
//! on structs of the same shape, for the body `get_factor` returns in `per_call.rs`. The
//! per-call benchmark decodes into the generated type on both sides, so this is where the
//! difference between the two ways of decoding shows. Run: `cargo bench -p xtask --bench decode`.

use std::collections::BTreeMap;

use idp_mfa::okta::{UserFactor, UserFactorSms};
use serde::Deserialize;
use serde_json::Value;

fn main() {
    divan::main();
}

const BODY: &str = r#"{
    "id": "mbl1nz9JHJGHWJ0xp0g4",
    "factorType": "sms",
    "provider": "OKTA",
    "vendorName": "OKTA",
    "status": "ACTIVE",
    "created": "2014-08-06T16:56:31.000Z",
    "lastUpdated": "2014-08-06T16:56:31.000Z",
    "profile": {"phoneNumber": "+1-555-415-1337"},
    "_links": {
        "self": {"href": "https://acme.okta.com/api/v1/users/u/factors/f", "hints": {"allow": ["GET", "DELETE"]}},
        "verify": {"href": "https://acme.okta.com/api/v1/users/u/factors/f/verify", "hints": {"allow": ["POST"]}},
        "user": {"href": "https://acme.okta.com/api/v1/users/u", "hints": {"allow": ["GET"]}}
    }
}"#;

/// `UserFactorSms` as serde's derive would decode it: the same fields, strings where the
/// generated type has open enums, and a flattened map for the properties the spec does not
/// declare (as the generated structs keep them).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct DerivedSms {
    created: Option<String>,
    factor_type: Option<String>,
    id: Option<String>,
    last_updated: Option<String>,
    profile: Option<DerivedSmsProfile>,
    provider: Option<String>,
    status: Option<String>,
    vendor_name: Option<String>,
    #[serde(rename = "_embedded")]
    embedded: Option<BTreeMap<String, Value>>,
    #[serde(rename = "_links")]
    links: Option<DerivedLinks>,
    #[serde(flatten)]
    additional_properties: BTreeMap<String, Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct DerivedSmsProfile {
    phone_number: Option<String>,
    #[serde(flatten)]
    additional_properties: BTreeMap<String, Value>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct DerivedLinks {
    activate: Option<DerivedHref>,
    cancel: Option<DerivedHref>,
    deactivate: Option<DerivedHref>,
    enroll: Option<DerivedHref>,
    factor: Option<DerivedHref>,
    poll: Option<DerivedHref>,
    qrcode: Option<DerivedHref>,
    question: Option<DerivedHref>,
    resend: Option<Value>,
    send: Option<Value>,
    #[serde(rename = "self")]
    self_: Option<DerivedHref>,
    user: Option<DerivedHref>,
    verify: Option<DerivedHref>,
    #[serde(flatten)]
    additional_properties: BTreeMap<String, Value>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct DerivedHref {
    hints: Option<DerivedHints>,
    href: String,
    name: Option<String>,
    templated: Option<bool>,
    #[serde(rename = "type")]
    type_: Option<String>,
    #[serde(flatten)]
    additional_properties: BTreeMap<String, Value>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct DerivedHints {
    allow: Option<Vec<String>>,
    #[serde(flatten)]
    additional_properties: BTreeMap<String, Value>,
}

#[divan::bench(sample_count = 500, sample_size = 100)]
fn generated_sms() -> UserFactorSms {
    serde_json::from_str(divan::black_box(BODY)).expect("decodes")
}

#[divan::bench(sample_count = 500, sample_size = 100)]
fn derived_sms() -> DerivedSms {
    serde_json::from_str(divan::black_box(BODY)).expect("decodes")
}

/// The polymorphic parent as `get_factor` returns it: the `factorType` picks the variant.
#[divan::bench(sample_count = 500, sample_size = 100)]
fn generated_user_factor() -> UserFactor {
    serde_json::from_str(divan::black_box(BODY)).expect("decodes")
}
