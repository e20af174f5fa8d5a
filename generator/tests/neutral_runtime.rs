//! The neutral runtime on corpus specs with different security schemes: a crate generated with
//! no provider config from `tictactoe` (API key in a header, HTTP Basic and bearer, OAuth 2.0
//! client credentials), `uber` (API key in the query, Swagger 2.0), `museum` (HTTP Basic) and
//! the fixture `neutral/neutral_auth.yaml` (API key in a cookie, a relative token URL, a server
//! variable), whose `tests/wire.rs` then runs against a local mock server: each credential
//! arrives where its scheme says, and the token endpoint is called once for many calls.

#[path = "support/common.rs"]
mod common;

use std::path::{Path, PathBuf};

use mfa_codegen::ProviderConfig;

const CORPUS: [&str; 3] = [
    "oai-learn-3.1/tictactoe.yaml",
    "oai-examples-2.0/uber.yaml",
    "museum/openapi.yaml",
];

fn corpus() -> Option<PathBuf> {
    let dir = common::workspace_root().join("../shared/openapi-corpus");
    if dir.exists() {
        Some(dir)
    } else {
        eprintln!(
            "notice: {} not found; skipping the neutral runtime wire test",
            dir.display()
        );
        None
    }
}

#[test]
fn credentials_arrive_where_each_spec_says() {
    let Some(corpus) = corpus() else { return };
    let fixture = common::fixtures_dir().join("neutral");
    let mut specs: Vec<PathBuf> = CORPUS.iter().map(|s| corpus.join(s)).collect();
    specs.push(fixture.join("neutral_auth.yaml"));
    let configs: Vec<ProviderConfig> = specs
        .iter()
        .map(|s| ProviderConfig::everything(s))
        .collect();
    let apis: Vec<_> = configs
        .iter()
        .map(|c| {
            mfa_codegen::build_provider(c, &c.spec_path())
                .unwrap_or_else(|e| panic!("{}: {e}", c.spec_path().display()))
                .api
        })
        .collect();
    let files = mfa_codegen::generate_standalone(
        &configs[0],
        &apis,
        "test",
        &mut mfa_codegen::Formatter::plain(),
    )
    .expect("generate");
    // operation docs name the helper of each scheme the operation accepts
    let tictactoe = files
        .iter()
        .find(|f| f.path == "src/tictactoe/mod.rs")
        .expect("tictactoe module");
    assert!(
        tictactoe.text.contains("`auth::default_api_key`"),
        "operation docs should name the auth helper"
    );
    let dir = common::compile_dir("neutral-runtime");
    mfa_codegen::write::sync(&files, &dir, mfa_codegen::write::Mode::Write).expect("write");
    add_wire_test(&dir, &fixture);
    cargo_test(&dir);
}

fn add_wire_test(dir: &Path, fixture: &Path) {
    let manifest = dir.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).expect("manifest");
    text.push_str(
        "\n[dev-dependencies]\nserde_json = \"1.0.140\"\n\
         tokio = { version = \"1.47\", features = [\"macros\", \"rt\"] }\n\
         wiremock = \"0.6.5\"\n",
    );
    std::fs::write(&manifest, text).expect("write manifest");
    std::fs::create_dir_all(dir.join("tests")).expect("tests dir");
    std::fs::copy(fixture.join("wire.rs"), dir.join("tests/wire.rs")).expect("copy wire.rs");
}

fn cargo_test(dir: &Path) {
    let _serial = common::CARGO
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let root = common::workspace_root();
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy lockfile");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["test", "--quiet", "--test", "wire", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target/compile-tests/target"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("run cargo test");
    assert!(
        output.status.success(),
        "wire test failed in {}:\n{}\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
