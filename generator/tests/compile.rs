//! Generated crates compile: every fixture (as one crate with a module per fixture) and the
//! upstream Okta spec through the project's provider config. These run `cargo check` on
//! crates written to `target/compile-tests/`, sharing one target dir and the workspace lockfile.

mod common;

use std::path::Path;
use std::process::Command;

use mfa_codegen::write::{sync, Mode};
use mfa_codegen::{CrateConfig, ProviderConfig};

fn check_crate(dir: &Path) {
    let _serial = common::CARGO
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let root = common::workspace_root();
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy lockfile");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["check", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target/compile-tests/target"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("run cargo check");
    assert!(
        output.status.success(),
        "cargo check failed for {}:\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn out_dir(name: &str) -> std::path::PathBuf {
    let dir = common::workspace_root()
        .join("target/compile-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn every_fixture_compiles_without_warnings() {
    let apis: Vec<_> = common::fixture_names()
        .iter()
        .map(|n| common::fixture_api(n))
        .collect();
    let config = CrateConfig::standalone(&ProviderConfig::everything(Path::new("fixtures.yaml")));
    let files = mfa_codegen::generate_crate(&config, &apis, true, "test").expect("generate");
    let dir = out_dir("fixtures");
    sync(&files, &dir, Mode::Write).expect("write");
    check_crate(&dir);
}

#[test]
fn upstream_okta_userfactor_compiles() {
    let Some(spec) = common::upstream("okta/2026.06.3/management-minimal.yaml") else {
        return;
    };
    let provider =
        ProviderConfig::load(&common::workspace_root().join("specs/okta.toml")).expect("config");
    let run = mfa_codegen::build_provider_from(&provider, &spec).expect("generate from upstream");
    assert_eq!(run.api.operations.len(), 13);
    let files = mfa_codegen::generate_crate(
        &CrateConfig::standalone(&provider),
        &[run.api],
        true,
        "test",
    )
    .expect("render");
    let dir = out_dir("upstream-okta");
    sync(&files, &dir, Mode::Write).expect("write");
    check_crate(&dir);
}
