//! The committed `generated/` crate is exactly what the specs, templates and generator produce.

#[path = "support/common.rs"]
mod common;

use mfa_codegen::write::{sync, Mode};

#[test]
fn committed_crate_matches_a_fresh_generation() {
    let root = common::workspace_root();
    let (files, _) = mfa_codegen::generate_workspace_crate(
        &root.join("specs/crate.toml"),
        false,
        &mut mfa_codegen::Formatter::plain(),
    )
    .expect("generate");
    let report = sync(&files, &root.join("generated"), Mode::Check).expect("compare");
    let diffs: String = report.diffs.iter().map(|(_, d)| d.as_str()).collect();
    assert!(
        report.is_clean(),
        "generated/ is stale; run `cargo xtask regen`:\n{diffs}"
    );
}

#[test]
fn generation_is_byte_identical_across_runs() {
    let root = common::workspace_root();
    let crate_toml = root.join("specs/crate.toml");
    let (first, _) = mfa_codegen::generate_workspace_crate(
        &crate_toml,
        false,
        &mut mfa_codegen::Formatter::plain(),
    )
    .expect("first run");
    let (second, _) = mfa_codegen::generate_workspace_crate(
        &crate_toml,
        false,
        &mut mfa_codegen::Formatter::plain(),
    )
    .expect("second run");
    assert_eq!(first, second);
}
