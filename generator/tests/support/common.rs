//! Shared helpers for the generator's integration tests.
#![allow(dead_code)]

// a file included with `#[path]` is read like a `mod.rs`: this is `support/oracle.rs`
pub mod oracle;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use mfa_codegen::ir::Api;
use mfa_codegen::ProviderConfig;

/// One `cargo check` at a time within a test binary: concurrent builds sharing a target dir
/// were seen to race on fingerprint files (cargo 1.95), failing a clean CI run.
pub static CARGO: Mutex<()> = Mutex::new(());

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every fixture spec, sorted by name.
pub fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("fixtures dir")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    names
}

/// A fixture's provider config: `<name>.toml` when present, otherwise every operation.
pub fn fixture_config(name: &str) -> ProviderConfig {
    let toml = fixtures_dir().join(format!("{name}.toml"));
    if toml.exists() {
        ProviderConfig::load(&toml).expect("fixture config")
    } else {
        ProviderConfig::everything(&fixtures_dir().join(format!("{name}.yaml")))
    }
}

pub fn fixture_api(name: &str) -> Api {
    let config = fixture_config(name);
    mfa_codegen::build_provider(&config, &config.spec_path())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .api
}

pub fn project_api(provider: &str) -> Api {
    let config = ProviderConfig::load(&workspace_root().join(format!("specs/{provider}.toml")))
        .expect("config");
    mfa_codegen::build_provider(&config, &config.spec_path())
        .expect("project spec")
        .api
}

pub fn standalone_files(api: &Api) -> Vec<mfa_codegen::OutputFile> {
    let config = ProviderConfig::everything(Path::new("fixture.yaml"));
    mfa_codegen::generate_standalone(
        &config,
        std::slice::from_ref(api),
        "test",
        &mut mfa_codegen::Formatter::plain(),
    )
    .expect("generate")
}

/// The upstream spec folder beside the project, or `None` (with a notice) when absent.
pub fn upstream(relative: &str) -> Option<PathBuf> {
    let path = workspace_root()
        .join("../shared/upstream-specs")
        .join(relative);
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "notice: {} not found; skipping the upstream part of this test",
            path.display()
        );
        None
    }
}

/// `cargo check` of a generated crate written to `dir`, warnings denied, sharing one target dir
/// (`target/compile-tests/target`) and the workspace lockfile with every compile test.
pub fn check_crate(dir: &Path) {
    check_crate_with(dir, &[]);
}

/// [`check_crate`] with more `cargo check` arguments (`--no-default-features`, `--features`).
pub fn check_crate_with(dir: &Path, args: &[&str]) {
    let _serial = CARGO
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let root = workspace_root();
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy lockfile");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["check", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .args(args)
        .env("CARGO_TARGET_DIR", root.join("target/compile-tests/target"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("run cargo check");
    assert!(
        output.status.success(),
        "cargo check failed for {} {args:?}:\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A fresh folder for one compile test under `target/compile-tests/`.
/// Generates a standalone crate from `apis` into `target/compile-tests/<name>` and checks that it
/// builds with warnings denied.
pub fn compile_standalone(config: &ProviderConfig, apis: &[Api], name: &str) {
    let files = mfa_codegen::generate_standalone(
        config,
        apis,
        "test",
        &mut mfa_codegen::Formatter::plain(),
    )
    .expect("generate");
    let dir = compile_dir(name);
    mfa_codegen::write::sync(&files, &dir, mfa_codegen::write::Mode::Write).expect("write");
    check_crate(&dir);
}

pub fn compile_dir(name: &str) -> PathBuf {
    let dir = workspace_root().join("target/compile-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// `cargo test` of a generated crate written to `dir` (its own tests included, feature `mock`
/// on), sharing the compile tests' target dir and the workspace lockfile.
pub fn cargo_test_crate(dir: &Path) {
    let _serial = CARGO
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let root = workspace_root();
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy lockfile");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["test", "--quiet", "--test", "wire", "--features", "mock"])
        .arg("--manifest-path")
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
