//! Each TLS feature of the generated crate compiles one crypto library, and `okta-oauth`
//! signs with the one the TLS already brings: aws-lc-rs for the default `rustls`, ring for
//! `rustls-ring`, none for `native-tls` (its signing library is the user's choice).

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The crypto and TLS crates a build of `idp-mfa` with `features` compiles (normal and build
/// dependencies: what a downstream crate builds).
fn tls_crates(features: &str) -> Vec<String> {
    let mut args = vec!["tree", "-p", "idp-mfa", "-e", "no-dev", "--prefix", "none"];
    // not --offline: the lockfile names crates of every platform, and a fresh machine has
    // only downloaded those of its own
    args.extend(["--locked"]);
    if features != "default" {
        args.extend(["--no-default-features", "--features", features]);
    }
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(&args)
        .current_dir(root())
        .output()
        .expect("run cargo tree");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut crates: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split(' ').next())
        .filter(|name| ["aws-lc-rs", "aws-lc-sys", "ring", "openssl-sys"].contains(name))
        .map(str::to_owned)
        .collect();
    crates.sort();
    crates.dedup();
    crates
}

#[test]
fn each_tls_feature_compiles_one_crypto_library() {
    for (features, expected) in [
        ("default", &["aws-lc-rs", "aws-lc-sys"][..]),
        ("okta,onelogin,rustls", &["aws-lc-rs", "aws-lc-sys"][..]),
        ("okta,onelogin,rustls-ring,okta-oauth", &["ring"][..]),
        ("okta,onelogin,native-tls", &["openssl-sys"][..]),
        (
            "okta,onelogin,native-tls,okta-oauth,ring",
            &["openssl-sys", "ring"][..],
        ),
        ("okta,onelogin", &[][..]),
    ] {
        assert_eq!(tls_crates(features), expected, "features {features}");
    }
}
