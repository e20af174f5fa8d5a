//! IR decisions on the project specs: names, parameters, unions, responses.

#[path = "support/common.rs"]
mod common;

use mfa_codegen::ir::{ModelKind, Operation, ParamLocation, ResponseBody, SuccessShape, TypeRef};

fn struct_model<'a>(
    api: &'a mfa_codegen::ir::Api,
    rust_name: &str,
) -> &'a mfa_codegen::ir::StructModel {
    let model = api
        .models
        .iter()
        .find(|m| m.rust_name == rust_name)
        .unwrap_or_else(|| panic!("no {rust_name}"));
    match &model.kind {
        ModelKind::Struct(s) => s,
        _ => panic!("{rust_name} should be a struct"),
    }
}

fn op<'a>(api: &'a mfa_codegen::ir::Api, id: &str) -> &'a Operation {
    api.operations
        .iter()
        .find(|o| o.operation_id == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

#[test]
fn every_selected_operation_is_present_with_its_name() {
    let okta = common::project_api("okta");
    let names: Vec<(&str, &str)> = okta
        .operations
        .iter()
        .map(|o| (o.operation_id.as_str(), o.method_name.as_str()))
        .collect();
    let expected = [
        ("listYubikeyOtpTokens", "list_yubikey_otp_tokens"),
        ("uploadYubikeyOtpTokenSeed", "upload_yubikey_otp_token_seed"),
        ("getYubikeyOtpTokenById", "get_yubikey_otp_token_by_id"),
        ("listFactors", "list_factors"),
        ("enrollFactor", "enroll_factor"),
        ("listSupportedFactors", "list_supported_factors"),
        (
            "listSupportedSecurityQuestions",
            "list_supported_security_questions",
        ),
        ("getFactor", "get_factor"),
        ("unenrollFactor", "unenroll_factor"),
        ("activateFactor", "activate_factor"),
        ("resendEnrollFactor", "resend_enroll_factor"),
        (
            "getFactorTransactionStatus",
            "get_factor_transaction_status",
        ),
        ("verifyFactor", "verify_factor"),
    ];
    let mut sorted = names.clone();
    sorted.sort();
    let mut want = expected.to_vec();
    want.sort();
    assert_eq!(sorted, want);

    let onelogin = common::project_api("onelogin");
    let mut names: Vec<&str> = onelogin
        .operations
        .iter()
        .map(|o| o.method_name.as_str())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "activate_mfa_factors",
            "enroll_mfa_factor",
            "generate_mfa_token",
            "get_enrolled_factors",
            "get_mfa_factors",
            "remove_mfa_factors",
            "verify_mfa_factor",
        ]
    );
    assert_eq!(
        op(&onelogin, "generateMFAtoken").builder_name,
        "GenerateMfaToken"
    );
}

#[test]
fn header_params_are_typed_optional_inputs() {
    let okta = common::project_api("okta");
    let verify = op(&okta, "verifyFactor");
    let headers: Vec<(&str, &str, bool)> = verify
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Header)
        .map(|p| (p.wire_name.as_str(), p.rust_name.as_str(), p.required))
        .collect();
    assert_eq!(
        headers,
        [
            ("X-Forwarded-For", "x_forwarded_for", false),
            ("User-Agent", "user_agent", false),
            ("Accept-Language", "accept_language", false),
        ]
    );
}

#[test]
fn path_level_and_operation_params_merge_without_duplicates() {
    let okta = common::project_api("okta");
    let get = op(&okta, "getYubikeyOtpTokenById");
    let token_ids = get
        .params
        .iter()
        .filter(|p| p.wire_name == "tokenId")
        .count();
    assert_eq!(token_ids, 1);
    // path params are positional, in template order
    let list = op(&okta, "verifyFactor");
    let positional: Vec<&str> = list
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| p.rust_name.as_str())
        .collect();
    assert_eq!(positional, ["user_id", "factor_id"]);
}

#[test]
fn user_factor_is_a_union_with_twelve_variants() {
    let okta = common::project_api("okta");
    let model = okta
        .models
        .iter()
        .find(|m| m.rust_name == "UserFactor")
        .expect("UserFactor");
    let ModelKind::Union(union) = &model.kind else {
        panic!("UserFactor should be a union");
    };
    assert_eq!(union.property, "factorType");
    assert_eq!(union.variants.len(), 12);
    assert_eq!(union.unknown_variant, "Unknown");
    let totp = union
        .variants
        .iter()
        .find(|v| v.values == ["token:software:totp"])
        .expect("totp");
    assert_eq!(
        (totp.rust_name.as_str(), totp.rust_type.as_str()),
        ("TokenSoftwareTotp", "UserFactorTokenSoftwareTotp")
    );
}

#[test]
fn typed_parent_property_wins_over_untyped_override() {
    let okta = common::project_api("okta");
    let s = struct_model(&okta, "UserFactorCall");
    let field = |name: &str| {
        s.fields
            .iter()
            .find(|f| f.wire_name == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert_eq!(
        field("factorType").ty,
        TypeRef::Model("UserFactorType".into())
    );
    assert_eq!(field("provider").ty, TypeRef::String { format: None });
    assert_eq!(
        field("profile").ty,
        TypeRef::Model("UserFactorCallProfile".into())
    );
    // parent fields are merged in, parent order first
    assert_eq!(
        s.fields.first().map(|f| f.wire_name.as_str()),
        Some("created")
    );
    assert_eq!(
        s.discriminator_default.as_ref().map(|(f, _)| f.as_str()),
        Some("factor_type")
    );
}

#[test]
fn one_of_request_bodies_become_optional_field_structs() {
    let okta = common::project_api("okta");
    let s = struct_model(&okta, "UserFactorVerifyRequest");
    assert!(s.from_one_of && s.all_optional);
    let names: Vec<&str> = s.fields.iter().map(|f| f.wire_name.as_str()).collect();
    for expected in [
        "passCode",
        "answer",
        "useNumberMatchingChallenge",
        "clientData",
        "signatureData",
        "authenticatorData",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    let sig = s
        .fields
        .iter()
        .find(|f| f.wire_name == "signatureData")
        .expect("signatureData");
    assert_eq!(
        sig.ty,
        TypeRef::String { format: None },
        "untyped member must not degrade the typed one"
    );
}

#[test]
fn verify_factor_returns_an_enum_by_status() {
    let okta = common::project_api("okta");
    let verify = op(&okta, "verifyFactor");
    assert_eq!(verify.success.rust_type, "VerifyFactorResponse");
    let SuccessShape::ByStatus(variants) = &verify.success.shape else {
        panic!("two 2xx shapes expected");
    };
    let got: Vec<(u16, &str)> = variants
        .iter()
        .map(|v| (v.status, v.rust_type.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (200, "UserFactorVerifyResponse"),
            (201, "UserFactorVerifyResponseWaiting")
        ]
    );
    let unenroll = op(&okta, "unenrollFactor");
    assert_eq!(unenroll.success.shape, SuccessShape::Empty);
}

#[test]
fn onelogin_quirks_are_handled() {
    let onelogin = common::project_api("onelogin");
    let remove = op(&onelogin, "removeMfaFactors");
    let ok = remove
        .responses
        .iter()
        .find(|r| r.status == "200")
        .expect("200");
    assert_eq!(
        ok.body,
        ResponseBody::Untyped,
        "content without schema is kept as raw JSON"
    );
    let enroll = op(&onelogin, "enrollMfaFactor");
    let user_id = enroll
        .params
        .iter()
        .find(|p| p.wire_name == "user_id")
        .expect("user_id");
    assert_eq!(
        user_id.rust_type, "i64",
        "user_id is a $ref to an integer schema"
    );
    let s = struct_model(&onelogin, "OtpDevice");
    let factor_id = s
        .fields
        .iter()
        .find(|f| f.wire_name == "factor_id")
        .expect("factor_id");
    assert!(
        factor_id.read_only && !factor_id.required,
        "readOnly is never required to build a request"
    );
}

#[test]
fn no_hash_order_in_output() {
    // Names, models and warnings are produced in spec or sorted order; a second normalization
    // in the same process (different HashMap seeds per map) must agree exactly.
    assert_eq!(common::project_api("okta"), common::project_api("okta"));
}
