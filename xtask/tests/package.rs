//! The generated crate is publishable: the registry metadata is set and the package holds the
//! library, its docs and examples, never the hand-written tests or their fixtures (test keys).

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

#[test]
fn the_package_holds_the_library_and_no_tests_or_fixtures() {
    let output = cargo()
        .args([
            "package",
            "--list",
            "--allow-dirty",
            "--offline",
            "-p",
            "idp-mfa",
        ])
        .current_dir(root())
        .output()
        .expect("run cargo package --list");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let list = String::from_utf8_lossy(&output.stdout);
    let files: Vec<&str> = list.lines().collect();
    for needed in [
        "Cargo.toml",
        "README.md",
        "API.md",
        "src/lib.rs",
        "src/runtime/mod.rs",
    ] {
        assert!(files.contains(&needed), "{needed} missing from {files:#?}");
    }
    for file in &files {
        let allowed = file.starts_with("src/")
            || file.starts_with("examples/")
            || [
                "Cargo.toml",
                "Cargo.toml.orig",
                "Cargo.lock",
                ".cargo_vcs_info.json",
                "README.md",
                "API.md",
                "CHANGELOG.md",
            ]
            .contains(file);
        assert!(allowed, "{file} should not be in the package");
        for fixture in [".pem", ".jwk", ".der", ".key", "fixtures"] {
            assert!(!file.contains(fixture), "{file} looks like a test fixture");
        }
    }
}

#[test]
fn the_manifest_has_the_metadata_a_registry_page_and_docs_rs_need() {
    let manifest = std::fs::read_to_string(root().join("generated/Cargo.toml")).expect("manifest");
    let manifest: toml::Table = manifest.parse().expect("TOML");
    let package = manifest["package"].as_table().expect("[package]");
    for key in [
        "description",
        "license",
        "readme",
        "documentation",
        "keywords",
        "categories",
        "rust-version",
    ] {
        assert!(package.contains_key(key), "package.{key} is missing");
    }
    // decided in specs/crate.toml
    assert_eq!(package["publish"].as_bool(), Some(true));
    let docs_rs = &package["metadata"]["docs"]["rs"];
    assert_eq!(docs_rs["all-features"].as_bool(), Some(true));
    assert_eq!(
        docs_rs["rustdoc-args"].as_array().map(Vec::len),
        Some(2),
        "{docs_rs}"
    );
    let readme = package["readme"].as_str().expect("readme path");
    assert!(root().join("generated").join(readme).is_file());
}
