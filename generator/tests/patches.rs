//! Wire patches as configured: every patch in `specs/*.toml` applies to the project spec and to
//! the upstream release it was sliced from (so neither list rots silently), `--strict` turns a
//! dead patch into an error, and a malformed patch is refused naming it.

#[path = "support/common.rs"]
mod common;

use std::path::Path;

use mfa_codegen::ir::ModelKind;
use mfa_codegen::ProviderConfig;

fn config(provider: &str) -> ProviderConfig {
    ProviderConfig::load(&common::workspace_root().join(format!("specs/{provider}.toml")))
        .expect("config")
}

#[test]
fn every_project_patch_applies_to_the_project_spec() {
    for provider in ["okta", "onelogin"] {
        let mut config = config(provider);
        config.strict = true;
        let run = mfa_codegen::build_provider(&config, &config.spec_path())
            .unwrap_or_else(|e| panic!("{e}"));
        let expected: Vec<&str> = config
            .patches
            .iter()
            .filter(|p| !p.optional)
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(run.patches_applied, expected, "{provider}");
    }
}

#[test]
fn every_project_patch_applies_to_the_upstream_release() {
    let upstream = common::workspace_root().join("../shared/upstream-specs");
    if !upstream.is_dir() {
        println!("skipped: ../shared/upstream-specs is absent");
        return;
    }
    let files = [
        ("okta", "okta/2026.06.3/management-minimal.yaml"),
        ("onelogin", "onelogin/3.1.1-go-sdk-76cf9e1/openapi.yaml"),
        ("onelogin", "onelogin/3.1.1-java-sdk-ac12678/openapi.yaml"),
    ];
    for (provider, file) in files {
        let mut config = config(provider);
        config.strict = true;
        let (_, outcome) = mfa_codegen::load_patched(&config, &upstream.join(file))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(outcome.applied.len(), config.patches.len(), "{file}");
    }
}

#[test]
fn waiting_is_one_variant_that_keeps_the_challenge() {
    let api = common::project_api("okta");
    let model = |name: &str| {
        api.models
            .iter()
            .find(|m| m.rust_name == name)
            .unwrap_or_else(|| panic!("no model {name}"))
    };
    let ModelKind::Union(union) = &model("UserFactorPushTransaction").kind else {
        panic!("UserFactorPushTransaction is a union");
    };
    let waiting: Vec<_> = union
        .variants
        .iter()
        .filter(|v| v.values.iter().any(|x| x.starts_with("WAITING")))
        .collect();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].rust_name, "Waiting");
    assert_eq!(waiting[0].values, ["WAITING"]);
    let ModelKind::Struct(s) = &model(&waiting[0].rust_type).kind else {
        panic!("the Waiting variant holds a struct");
    };
    let embedded = s.fields.iter().find(|f| f.wire_name == "_embedded");
    assert_eq!(
        embedded.map(|f| f.rust_type.as_str()),
        Some("Option<NumberFactorChallengeEmbeddedLinks>")
    );
}

fn with_patch(extra: &str) -> Result<ProviderConfig, mfa_codegen::GenError> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("patch-config");
    std::fs::create_dir_all(&dir).expect("dir");
    let spec = common::fixtures_dir().join("wire_patch.yaml");
    let text = format!(
        "[provider]\ntitle = \"T\"\nmodule = \"t\"\nspec = {:?}\n\n{extra}",
        spec.display().to_string()
    );
    let path = dir.join(format!("{:x}.toml", text.len()));
    std::fs::write(&path, text).expect("write config");
    ProviderConfig::load(&path)
}

#[test]
fn strict_makes_an_absent_target_an_error() {
    let patch = "[[patch]]\nname = \"dead\"\nevidence = \"e\"\ntarget = \"/components/schemas/Nope\"\naction = \"remove\"\n";
    let mut config = with_patch(patch).expect("config");
    let run =
        mfa_codegen::build_provider(&config, &config.spec_path()).expect("lenient by default");
    assert!(run
        .api
        .warnings
        .iter()
        .any(|w| w.message.contains("patch `dead` not applied")
            && w.pointer == "/components/schemas/Nope"));
    config.strict = true;
    let err = mfa_codegen::build_provider(&config, &config.spec_path()).unwrap_err();
    assert!(
        err.to_string().contains("patch `dead` not applied"),
        "{err}"
    );
}

#[test]
fn malformed_patches_are_refused_by_name() {
    let no_value =
        "[[patch]]\nname = \"p1\"\nevidence = \"e\"\ntarget = \"/a\"\naction = \"replace\"\n";
    let err = with_patch(no_value).unwrap_err().to_string();
    assert!(err.contains("patch `p1`") && err.contains("value"), "{err}");
    let unknown_action =
        "[[patch]]\nname = \"p2\"\nevidence = \"e\"\ntarget = \"/a\"\naction = \"frobnicate\"\n";
    let err = with_patch(unknown_action).unwrap_err().to_string();
    assert!(err.contains("frobnicate"), "{err}");
    let twice = "[[patch]]\nname = \"p\"\nevidence = \"e\"\ntarget = \"/a\"\naction = \"remove\"\n\n[[patch]]\nname = \"p\"\nevidence = \"e\"\ntarget = \"/b\"\naction = \"remove\"\n";
    let err = with_patch(twice).unwrap_err().to_string();
    assert!(err.contains("two patches are named `p`"), "{err}");
}
