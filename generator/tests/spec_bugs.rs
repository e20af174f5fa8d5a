//! Every upstream spec bug of REPORT-draft.md section 6 is handled deliberately: each gets a
//! warning of a known kind naming the JSON pointer of the offending node (fixture
//! `spec_bugs.yaml`), and the real upstream files produce the same warnings where the bug sits.

#[path = "support/common.rs"]
mod common;

use mfa_codegen::ir::{ModelKind, TypeRef, Warning, WarningKind};

fn has(warnings: &[Warning], kind: WarningKind, pointer: &str) -> bool {
    warnings
        .iter()
        .any(|w| w.kind == kind && w.pointer == pointer)
}

#[track_caller]
fn assert_warns(warnings: &[Warning], kind: WarningKind, pointer: &str, text: &str) {
    let found = warnings
        .iter()
        .find(|w| w.kind == kind && w.pointer == pointer)
        .unwrap_or_else(|| panic!("no {kind:?} warning at {pointer}; got {warnings:#?}"));
    assert!(found.message.contains(text), "{found:?}");
}

#[test]
fn each_spec_bug_is_a_warning_naming_its_pointer() {
    let api = common::fixture_api("spec_bugs");
    let w = &api.warnings;
    use WarningKind::*;
    assert_warns(
        w,
        DuplicateEnumValue,
        "/components/schemas/Key/properties/algorithm/enum",
        "duplicate enum value `AES256_CBC` dropped",
    );
    assert_warns(
        w,
        ProseFormat,
        "/components/schemas/Key/properties/created/format",
        "\"ISO 8601 compliant timestamp\"",
    );
    assert_warns(
        w,
        StringWithForeignKeywords,
        "/components/schemas/Key/properties/scopes",
        "`type: string` with `items`",
    );
    assert_warns(
        w,
        RequiredNotInProperties,
        "/components/schemas/Key",
        "`pushStatus`",
    );
    assert_warns(
        w,
        ArrayWithoutItems,
        "/components/schemas/Key/properties/representation",
        "serde_json::Value",
    );
    assert_warns(
        w,
        PathParameterNotRequired,
        "/paths/~1keys~1{id}/get/parameters/0",
        "`id` not marked required; treated as required",
    );
    assert_warns(
        w,
        IgnoredHeaderParameter,
        "/paths/~1keys~1{id}/get/parameters/1",
        "`Content-Type`",
    );
    assert_warns(
        w,
        IgnoredHeaderParameter,
        "/paths/~1keys~1{id}/get/parameters/2",
        "`Cookie`",
    );
    // a real `in: cookie` parameter is an input (sent in the `Cookie` header), not a bug
    assert!(!w
        .iter()
        .any(|w| w.pointer == "/paths/~1keys~1{id}/get/parameters/3"));
    assert!(api
        .operations
        .iter()
        .flat_map(|o| &o.params)
        .any(|p| p.wire_name == "session" && p.location.as_str() == "cookie"));
    assert_warns(
        w,
        BooleanEnum,
        "/components/schemas/Key/properties/enabled/enum",
        "[true]",
    );
    assert_warns(
        w,
        MediaTypeTypo,
        "/paths/~1auth/post/requestBody/content",
        "`applcation/json`",
    );
    // anchors, `$ref` strings in examples and the integer discriminator are not bugs of the
    // generated code: no warning about them
    assert!(
        !w.iter()
            .any(|w| w.pointer.contains("status") || w.pointer.contains("example")),
        "{w:#?}"
    );
    assert_eq!(w.len(), 10, "one warning per planted bug: {w:#?}");
}

#[test]
fn what_the_generated_code_does_with_each_bug() {
    let api = common::fixture_api("spec_bugs");
    let model = |name: &str| {
        api.models
            .iter()
            .find(|m| m.rust_name == name)
            .unwrap_or_else(|| panic!("model {name}"))
    };
    let ModelKind::Struct(key) = &model("Key").kind else {
        panic!("Key is a struct")
    };
    let field = |wire: &str| {
        key.fields
            .iter()
            .find(|f| f.wire_name == wire)
            .unwrap_or_else(|| panic!("field {wire}"))
    };
    // the required name that does not exist is not invented; the one that does stays required
    assert!(field("id").required);
    assert!(key.fields.iter().all(|f| f.wire_name != "pushStatus"));
    assert_eq!(field("created").ty, TypeRef::String { format: None });
    assert_eq!(field("scopes").ty, TypeRef::String { format: None });
    assert_eq!(
        field("representation").rust_type,
        "Option<Vec<serde_json::Value>>"
    );
    assert_eq!(field("enabled").rust_type, "Option<bool>");
    // the alias is expanded by the YAML parser: each use site reads as if the anchored node
    // were written out there (an inline enum per property, with the same values)
    let values_of = |wire: &str| match &model(&field(wire).inner_rust_type).kind {
        ModelKind::Enum(e) => e
            .variants
            .iter()
            .map(|v| v.value.clone())
            .collect::<Vec<_>>(),
        _ => panic!("{wire} is an enum"),
    };
    assert_eq!(values_of("status"), ["ACTIVE", "INACTIVE"]);
    assert_eq!(values_of("status"), values_of("previousStatus"));
    let ModelKind::Enum(algorithm) = &model(&field("algorithm").inner_rust_type).kind else {
        panic!("algorithm is an enum")
    };
    let values: Vec<&str> = algorithm
        .variants
        .iter()
        .map(|v| v.value.as_str())
        .collect();
    assert_eq!(values, ["AES128_CBC", "AES256_CBC"]);

    let op = &api.operations[0];
    let params: Vec<(&str, bool)> = op
        .params
        .iter()
        .map(|p| (p.wire_name.as_str(), p.required))
        .collect();
    assert_eq!(
        params,
        [("id", true), ("session", false)],
        "headers skipped, id required, the cookie an optional input"
    );
    // the typo'd media type still gives a typed JSON body
    let create = &api.operations[1];
    assert_eq!(
        create.body.as_ref().map(|b| b.rust_type.as_str()),
        Some("AuthMethodConfig")
    );
    // an integer discriminator: variant structs start with the integer tag set
    let ModelKind::Struct(saml) = &model("AuthMethodSaml").kind else {
        panic!("struct")
    };
    let (field, expr) = saml.discriminator_default.as_ref().expect("default tag");
    assert_eq!(field, "auth_method");
    assert!(expr.contains("::from(8_i64)"), "{expr}");
}

/// The same bugs in the real files: each warning names the node where the report found it.
#[test]
fn upstream_spec_bugs_are_reported_where_they_sit() {
    let Some(spec) = common::upstream("okta/2026.06.3/management-minimal.yaml") else {
        return;
    };
    let mut config =
        mfa_codegen::ProviderConfig::load(&common::workspace_root().join("specs/okta.toml"))
            .expect("config");
    config.select = Default::default();
    let api = mfa_codegen::build_provider(&config, &spec)
        .expect("whole Okta spec")
        .api;
    let w = &api.warnings;
    use WarningKind::*;
    for (kind, pointer) in [
        (
            DuplicateEnumValue,
            "/components/schemas/SamlAssertionEncryption/properties/encryptionAlgorithm/enum",
        ),
        (
            DuplicateEnumValue,
            "/components/schemas/EnrollmentPolicyAuthenticatorGracePeriod/properties/type/enum",
        ),
        (
            RequiredNotInProperties,
            "/components/schemas/ProfileMappingRequest",
        ),
        (
            PathParameterNotRequired,
            "/paths/~1api~1v1~1hook-keys~1{id}/get/parameters/0",
        ),
    ] {
        assert!(has(w, kind, pointer), "{kind:?} at {pointer}");
    }
    for kind in [
        ProseFormat,
        StringWithForeignKeywords,
        ArrayWithoutItems,
        BooleanEnum,
    ] {
        assert!(
            w.iter().any(|x| x.kind == kind),
            "no {kind:?} in the whole Okta spec"
        );
    }
    // 2025.01.1 declares Cookie as a header parameter on the /sessions/me operations
    let Some(older) = common::upstream("okta/2025.01.1/management-minimal.yaml") else {
        return;
    };
    let api = mfa_codegen::build_provider(&config, &older)
        .expect("whole Okta 2025.01.1 spec")
        .api;
    assert!(api
        .warnings
        .iter()
        .any(|x| x.kind == IgnoredHeaderParameter && x.message.contains("`Cookie`")));
}
