//! Generated crates compile: every fixture (as one crate with a module per fixture) and the
//! upstream Okta spec through the project's provider config. These run `cargo check` on
//! crates written to `target/compile-tests/`, sharing one target dir and the workspace lockfile.

#[path = "support/common.rs"]
mod common;

use std::path::Path;

use mfa_codegen::write::{sync, Mode};
use mfa_codegen::ProviderConfig;

#[test]
fn every_fixture_compiles_without_warnings() {
    let apis: Vec<_> = common::fixture_names()
        .iter()
        .map(|n| common::fixture_api(n))
        .collect();
    let config = ProviderConfig::everything(Path::new("fixtures.yaml"));
    common::compile_standalone(&config, &apis, "fixtures");
}

#[test]
fn upstream_okta_userfactor_compiles() {
    let Some(spec) = common::upstream("okta/2026.06.3/management-minimal.yaml") else {
        return;
    };
    let provider =
        ProviderConfig::load(&common::workspace_root().join("specs/okta.toml")).expect("config");
    let run = mfa_codegen::build_provider(&provider, &spec).expect("generate from upstream");
    assert_eq!(run.api.operations.len(), 13);
    let files = mfa_codegen::generate_standalone(
        &provider,
        &[run.api],
        "test",
        &mut mfa_codegen::Formatter::plain(),
    )
    .expect("render");
    let dir = common::compile_dir("upstream-okta");
    sync(&files, &dir, Mode::Write).expect("write");
    common::check_crate(&dir);
}

/// A spec with schemas and no operations (a webhook-only or models-only file) still gives a
/// crate that compiles with warnings denied: the client has no builder to call its core.
#[test]
fn spec_without_operations_compiles() {
    let dir = common::compile_dir("no-operations-spec");
    std::fs::create_dir_all(&dir).expect("spec dir");
    let spec = dir.join("models_only.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\n\
         info: {title: Models only, version: '1'}\n\
         paths: {}\n\
         components:\n  schemas:\n    Event:\n      type: object\n      properties:\n        id: {type: string}\n",
    )
    .expect("write spec");
    let config = ProviderConfig::everything(&spec);
    let run = mfa_codegen::build_provider(&config, &spec).expect("generate");
    assert!(run.api.operations.is_empty());
    common::compile_standalone(&config, &[run.api], "no-operations");
}
