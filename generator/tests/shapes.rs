//! Shapes real specs use (issue 18): `oneOf`/`anyOf` whose members are not all objects, and an
//! enum whose only value is `null`. Each shape is generated from `fixtures/shapes/unions.yaml`
//! into a crate, and a test inside that crate decodes valid JSON with it and encodes it back.

#[path = "support/common.rs"]
mod common;

use std::path::{Path, PathBuf};

use mfa_codegen::ir::{Api, ModelKind, TypeRef};
use mfa_codegen::write::{sync, Mode};
use mfa_codegen::ProviderConfig;

fn unions_spec() -> PathBuf {
    common::fixtures_dir().join("shapes/unions.yaml")
}

fn unions_api() -> Api {
    let spec = unions_spec();
    let config = ProviderConfig::everything(&spec);
    mfa_codegen::build_provider(&config, &spec)
        .expect("unions fixture")
        .api
}

fn field_type(api: &Api, model: &str, wire: &str) -> String {
    let model = api
        .models
        .iter()
        .find(|m| m.rust_name == model)
        .unwrap_or_else(|| panic!("no model {model}"));
    let ModelKind::Struct(s) = &model.kind else {
        panic!("{} is not a struct", model.rust_name)
    };
    s.fields
        .iter()
        .find(|f| f.wire_name == wire)
        .unwrap_or_else(|| panic!("no field {wire}"))
        .rust_type
        .clone()
}

#[test]
fn unions_of_primitives_are_typed_not_empty_structs_or_json() {
    let api = unions_api();
    let ty = |wire| field_type(&api, "Shapes", wire);
    // every member a string: the exact type is a string
    assert_eq!(ty("wrappedString"), "Option<String>");
    assert_eq!(ty("stringOrEnum"), "Option<String>");
    // members of different kinds: an untagged union
    for (wire, model) in [
        ("stringOrObject", "StringOrObject"),
        ("stringOrInteger", "StringOrInteger"),
        ("stringOrList", "StringOrList"),
        ("integerOrNumber", "IntegerOrNumber"),
    ] {
        assert_eq!(ty(wire), format!("Option<{model}>"));
        let found = api.models.iter().find(|m| m.rust_name == model);
        assert!(
            matches!(found.map(|m| &m.kind), Some(ModelKind::Untagged(_))),
            "{model} is not an untagged union: {found:?}"
        );
    }
    // `enum: [null]`: unit, absent `None`, `null` `Some(())`
    assert_eq!(ty("nothing"), "Option<()>");
    assert_eq!(ty("alsoNothing"), "Option<()>");
    let no_empty_struct = api.models.iter().all(|m| match &m.kind {
        ModelKind::Struct(s) => !s.fields.is_empty() || m.rust_name == "Shapes",
        _ => true,
    });
    assert!(no_empty_struct, "a union became an empty struct");
    let untyped_members: Vec<_> = api
        .models
        .iter()
        .filter_map(|m| match &m.kind {
            ModelKind::Untagged(u) => Some(u),
            _ => None,
        })
        .flat_map(|u| &u.variants)
        .filter(|v| v.ty == TypeRef::Json)
        .collect();
    assert!(untyped_members.is_empty(), "{untyped_members:?}");
}

/// The decode test that runs inside the generated crate.
fn decode_test(module: &str) -> String {
    r##"
use fixture_client::MODULE::models::*;

fn round_trip(text: &str) -> Shapes {
    let shapes: Shapes = serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    let back = serde_json::to_value(&shapes).expect("encode");
    let sent: serde_json::Value = serde_json::from_str(text).expect("json");
    assert_eq!(back, sent, "re-encoding changed the JSON");
    shapes
}

#[test]
fn string_or_object() {
    let s = round_trip(r#"{"stringOrObject": "abc"}"#);
    assert_eq!(s.string_or_object, Some(StringOrObject::String("abc".into())));
    let s = round_trip(r#"{"stringOrObject": {"id": "x1"}}"#);
    assert!(matches!(s.string_or_object, Some(StringOrObject::StringOrObjectVariant1(_))));
    assert!(serde_json::from_str::<Shapes>(r#"{"stringOrObject": 5}"#).is_err());
}

#[test]
fn string_or_integer() {
    let s = round_trip(r#"{"stringOrInteger": "7"}"#);
    assert_eq!(s.string_or_integer, Some(StringOrInteger::String("7".into())));
    let s = round_trip(r#"{"stringOrInteger": 7}"#);
    assert_eq!(s.string_or_integer, Some(StringOrInteger::Integer(7)));
}

#[test]
fn strings_in_wrappers_and_enums() {
    let s = round_trip(r#"{"wrappedString": "free text", "stringOrEnum": "ACTIVE"}"#);
    assert_eq!(s.wrapped_string.as_deref(), Some("free text"));
    assert_eq!(s.string_or_enum.as_deref(), Some("ACTIVE"));
}

#[test]
fn string_or_array_without_items() {
    let s = round_trip(r#"{"stringOrList": ["a", 1, null]}"#);
    assert!(matches!(s.string_or_list, Some(StringOrList::Array(ref v)) if v.len() == 3));
    round_trip(r#"{"stringOrList": "a"}"#);
}

#[test]
fn integer_or_number() {
    let s = round_trip(r#"{"integerOrNumber": 3}"#);
    assert_eq!(s.integer_or_number, Some(IntegerOrNumber::Integer(3)));
    let s = round_trip(r#"{"integerOrNumber": 2.5}"#);
    assert_eq!(s.integer_or_number, Some(IntegerOrNumber::Number(2.5)));
}

#[test]
fn null_enum_decodes_null() {
    let s = round_trip(r#"{"nothing": null, "alsoNothing": null}"#);
    assert_eq!(s.nothing, Some(()));
    assert_eq!(s.also_nothing, Some(()));
    let s = round_trip(r#"{}"#);
    assert_eq!(s.nothing, None);
    assert!(serde_json::from_str::<Shapes>(r#"{"nothing": true}"#).is_err());
}
"##
    .replace("MODULE", module)
}

/// `cargo test` of a generated crate, sharing the compile tests' target dir.
fn test_crate(dir: &Path) {
    let root = common::workspace_root();
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy lockfile");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["test", "--quiet", "--test", "decode", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target/compile-tests/target"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("run cargo test");
    assert!(
        output.status.success(),
        "cargo test failed for {}:\n{}\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn generated_unions_decode_and_re_encode_valid_json() {
    let api = unions_api();
    let module = api.module.clone();
    let files = common::standalone_files(&api);
    let dir = common::compile_dir("shapes");
    sync(&files, &dir, Mode::Write).expect("write");
    std::fs::create_dir_all(dir.join("tests")).expect("tests dir");
    std::fs::write(dir.join("tests/decode.rs"), decode_test(&module)).expect("write test");
    test_crate(&dir);
}

fn untyped_warnings(api: &Api) -> usize {
    use mfa_codegen::ir::WarningEffect;
    api.warnings
        .iter()
        .filter(|w| w.kind.effect() == WarningEffect::JsonFallback)
        .count()
}

#[test]
fn every_untyped_position_has_its_warning_on_the_whole_upstream_okta_spec() {
    let Some(spec) = common::upstream("okta/2026.06.3/management-minimal.yaml") else {
        return;
    };
    let config = ProviderConfig::everything(&spec);
    let api = mfa_codegen::build_provider(&config, &spec)
        .expect("upstream okta")
        .api;
    let positions = api.untyped_positions();
    let warnings = untyped_warnings(&api);
    println!(
        "upstream okta: {} operations, {positions} untyped positions, {warnings} untyped warnings",
        api.operations.len()
    );
    assert_eq!(
        positions, warnings,
        "an untyped position without its warning"
    );
}

#[test]
fn every_untyped_position_has_its_warning_on_the_fixtures() {
    let mut apis: Vec<Api> = common::fixture_names()
        .iter()
        .map(|n| common::fixture_api(n))
        .collect();
    apis.push(unions_api());
    for api in &apis {
        assert_eq!(
            api.untyped_positions(),
            untyped_warnings(api),
            "{}: an untyped position without its warning",
            api.module
        );
    }
}

/// Spec names that are the templates' own (`send`, `extras`, `into_request`, `clone`,
/// `serialize`, ...) are renamed, so the crate compiles.
#[test]
fn spec_names_that_the_templates_use_compile() {
    let spec = common::fixtures_dir().join("shapes/reserved.yaml");
    let config = ProviderConfig::everything(&spec);
    let api = mfa_codegen::build_provider(&config, &spec)
        .expect("reserved fixture")
        .api;
    let files = common::standalone_files(&api);
    let dir = common::compile_dir("shapes-reserved");
    sync(&files, &dir, Mode::Write).expect("write");
    common::check_crate(&dir);
}

/// Names of the fields and inherent methods of each struct in a generated file.
fn own_names(path: &Path) -> std::collections::BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(path).expect("generated file");
    let file = syn::parse_file(&text).expect("generated file parses");
    let mut out: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for item in &file.items {
        match item {
            syn::Item::Struct(s) => {
                let names = out.entry(s.ident.to_string()).or_default();
                names.extend(
                    s.fields
                        .iter()
                        .filter_map(|f| f.ident.as_ref())
                        .map(|i| i.to_string()),
                );
            }
            syn::Item::Impl(i) if i.trait_.is_none() => {
                let syn::Type::Path(ty) = &*i.self_ty else {
                    continue;
                };
                let Some(name) = ty.path.segments.last() else {
                    continue;
                };
                let names = out.entry(name.ident.to_string()).or_default();
                for member in &i.items {
                    if let syn::ImplItem::Fn(f) = member {
                        names.push(f.sig.ident.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn unreserved(
    names: impl IntoIterator<Item = String>,
    from_spec: &std::collections::BTreeSet<String>,
    place: mfa_codegen::naming::ReservedIn,
) -> std::collections::BTreeSet<String> {
    let table = mfa_codegen::naming::reserved(place);
    names
        .into_iter()
        .map(|n| n.trim_start_matches("r#").to_owned())
        .filter(|n| !from_spec.contains(n) && !table.contains(&n.as_str()))
        .collect()
}

/// The names the templates emit, read back from the committed crate: every field and method
/// of a builder, a model struct or a `Client` that no spec name produced must be in the
/// reserved-name table.
#[test]
fn the_reserved_name_table_covers_what_the_templates_emit() {
    use mfa_codegen::naming::ReservedIn;
    let root = common::workspace_root();
    for provider in ["okta", "onelogin"] {
        let api = common::project_api(provider);
        let src = root.join("generated/src").join(provider);
        let strip = |n: &str| n.trim_start_matches("r#").to_owned();

        let params: std::collections::BTreeSet<String> = api
            .operations
            .iter()
            .flat_map(|op| op.params.iter().map(|p| strip(&p.rust_name)))
            .collect();
        let builders = own_names(&src.join("builders.rs"));
        assert!(
            builders.len() >= api.operations.len(),
            "{provider}: builders not found"
        );
        let left = unreserved(
            builders.into_values().flatten(),
            &params,
            ReservedIn::Builder,
        );
        assert!(
            left.is_empty(),
            "{provider} builders: not reserved: {left:?}"
        );

        let mut fields = std::collections::BTreeSet::new();
        let mut structs = std::collections::BTreeSet::new();
        for model in &api.models {
            if let ModelKind::Struct(s) = &model.kind {
                structs.insert(model.rust_name.clone());
                fields.extend(s.fields.iter().map(|f| strip(&f.rust_name)));
            }
        }
        let models = own_names(&src.join("models.rs"));
        let model_names = models
            .into_iter()
            .filter(|(name, _)| structs.contains(name))
            .flat_map(|(_, names)| names);
        let left = unreserved(model_names, &fields, ReservedIn::Model);
        assert!(left.is_empty(), "{provider} models: not reserved: {left:?}");

        let methods: std::collections::BTreeSet<String> = api
            .operations
            .iter()
            .map(|op| strip(&op.method_name))
            .collect();
        let client = own_names(&src.join("mod.rs"))
            .remove("Client")
            .expect("a Client struct");
        let left = unreserved(client, &methods, ReservedIn::Client);
        assert!(left.is_empty(), "{provider} client: not reserved: {left:?}");
    }
}
