//! Parameter styles on the wire: a crate generated from `fixtures/wire/param_styles.yaml`
//! (OpenAPI 3.0, every style per location) and `fixtures/wire/collection_formats.yaml`
//! (Swagger 2.0 `collectionFormat`) is built and its own test (`fixtures/wire/wire_test.rs`)
//! sends each operation to a loopback TCP server and compares the raw request target and the
//! raw header lines with the OpenAPI 3.0.3 Style Examples table.

#[path = "support/common.rs"]
mod common;

use std::path::Path;

use mfa_codegen::ir::{Api, ParamStyle, WarningKind};
use mfa_codegen::write::{sync, Mode};
use mfa_codegen::ProviderConfig;

fn wire_api(name: &str) -> Api {
    let spec = common::fixtures_dir().join(format!("wire/{name}.yaml"));
    let config = ProviderConfig::everything(&spec);
    mfa_codegen::build_provider(&config, &spec)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .api
}

#[test]
fn styles_are_decided_once_with_the_location_defaults() {
    let api = wire_api("param_styles");
    let param = |op: &str, name: &str| {
        api.operations
            .iter()
            .find(|o| o.operation_id == op)
            .and_then(|o| o.params.iter().find(|p| p.wire_name == name))
            .unwrap_or_else(|| panic!("{op} {name}"))
            .encoding
    };
    let q = param("queryStyles", "fs");
    assert_eq!(
        (q.style, q.explode, q.plain),
        (ParamStyle::Form, true, true)
    );
    let d = param("queryStyles", "d");
    assert_eq!(
        (d.style, d.explode, d.via_serde),
        (ParamStyle::DeepObject, true, true)
    );
    let g = param("queryStyles", "ga");
    assert_eq!(
        (g.style, g.explode, g.plain),
        (ParamStyle::Form, false, false)
    );
    let h = param("headerStyles", "X-A");
    assert_eq!(
        (h.style, h.explode, h.plain),
        (ParamStyle::Simple, false, true)
    );
    let c = param("cookieStyles", "cs");
    assert_eq!(
        (c.style, c.explode, c.plain),
        (ParamStyle::Form, true, false)
    );
    let m = param("pathStyles", "max");
    assert_eq!((m.style, m.explode), (ParamStyle::Matrix, true));
    // a style the location does not allow: warned at its pointer, the location default used
    let bad = param("pathStyles", "bad");
    assert_eq!(
        (bad.style, bad.explode, bad.plain),
        (ParamStyle::Simple, false, true)
    );
    let bad_query = param("queryStyles", "bad");
    assert_eq!(
        (bad_query.style, bad_query.explode),
        (ParamStyle::Form, true)
    );
    let style_warnings: Vec<&str> = api
        .warnings
        .iter()
        .filter(|w| w.kind == WarningKind::ParameterStyle)
        .map(|w| w.pointer.as_str())
        .collect();
    assert_eq!(style_warnings.len(), 2, "{:?}", api.warnings);
    assert!(
        style_warnings.iter().all(|p| p.ends_with("/style")),
        "{style_warnings:?}"
    );
    assert!(
        !api.warnings
            .iter()
            .any(|w| w.kind == WarningKind::ObjectParameter),
        "{:?}",
        api.warnings
    );
    // `OneOrMany` is used by a parameter only: the helper is still emitted
    assert!(api.helpers.one_or_many);
}

#[test]
fn api_md_names_a_style_that_is_not_the_location_default() {
    let api = wire_api("param_styles");
    let lines: Vec<String> = mfa_codegen::surface::surface(&api)
        .iter()
        .map(|l| format!("{} => {}", l.key, l.value))
        .collect();
    let find = |needle: &str| {
        lines
            .iter()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle}: {lines:#?}"))
            .clone()
    };
    assert!(find("param query ga =>").ends_with("-> ga (form, explode=false)"));
    assert!(find("param query d =>").ends_with("-> d (deepObject, explode=true)"));
    assert!(find("param path max =>").ends_with("-> max (matrix, explode=true)"));
    // the location's default is not repeated on every line
    assert!(find("param query fs =>").ends_with("-> fs"));
    assert!(find("param cookie cs =>").ends_with("-> cs"));
}

#[test]
fn swagger_collection_formats_land_in_the_ir() {
    let api = wire_api("collection_formats");
    let styles: Vec<(&str, ParamStyle, bool)> = api.operations[0]
        .params
        .iter()
        .map(|p| (p.wire_name.as_str(), p.encoding.style, p.encoding.explode))
        .collect();
    assert_eq!(
        styles,
        [
            ("csv", ParamStyle::Form, false),
            ("ssv", ParamStyle::SpaceDelimited, false),
            ("pipes", ParamStyle::PipeDelimited, false),
            ("multi", ParamStyle::Form, true),
            ("X-List", ParamStyle::Simple, false),
        ]
    );
}

/// Builds the generated crate with its wire test and runs it.
#[test]
fn every_style_is_sent_as_the_specification_says() {
    let apis = [wire_api("param_styles"), wire_api("collection_formats")];
    let config = ProviderConfig::everything(Path::new("wire.yaml"));
    let files = mfa_codegen::generate_standalone(
        &config,
        &apis,
        "test",
        &mut mfa_codegen::Formatter::plain(),
    )
    .expect("generate");
    let dir = common::compile_dir("param-styles");
    sync(&files, &dir, Mode::Write).expect("write");
    let manifest = dir.join("Cargo.toml");
    let mut toml = std::fs::read_to_string(&manifest).expect("manifest");
    toml.push_str(
        "\n[dev-dependencies]\ntokio = { version = \"1.47\", features = [\"macros\", \"rt\"] }\n",
    );
    std::fs::write(&manifest, toml).expect("manifest");
    std::fs::create_dir_all(dir.join("tests")).expect("tests dir");
    std::fs::copy(
        common::fixtures_dir().join("wire/wire_test.rs"),
        dir.join("tests/wire.rs"),
    )
    .expect("wire test");
    common::cargo_test_crate(&dir);
}
