//! Cargo features per tag (`[features] per_tag`): each operation behind its tags' features,
//! each model behind the features of the operations that reach it, emitted once; every
//! feature alone compiles, and so do all of them together.

#[path = "support/common.rs"]
mod common;

use mfa_codegen::ir::{Gate, ModelKind};
use mfa_codegen::surface::{self, Item};
use mfa_codegen::ProviderConfig;

fn fixture() -> (ProviderConfig, mfa_codegen::ir::Api) {
    let config = ProviderConfig::load(&common::fixtures_dir().join("tag_features/config.toml"))
        .expect("config");
    let api = mfa_codegen::build_provider(&config, &config.spec_path())
        .expect("build")
        .api;
    (config, api)
}

fn gate(features: &[&str]) -> Gate {
    Gate::new(features.iter().map(|f| (*f).to_owned()))
}

#[test]
fn gates_follow_tags_and_reachability() {
    let (_, api) = fixture();
    let features: Vec<(&str, usize)> = api
        .tag_features
        .iter()
        .map(|f| (f.name.as_str(), f.operations))
        .collect();
    assert_eq!(
        features,
        [
            ("tags-audit-log", 1),
            ("tags-user-factors", 2),
            ("tags-users", 2)
        ]
    );
    let op = |id: &str| {
        &api.operations
            .iter()
            .find(|o| o.operation_id == id)
            .expect(id)
            .gate
    };
    assert_eq!(op("getUser"), &gate(&["tags-users"]));
    assert_eq!(op("listAudit"), &gate(&["tags-audit-log", "tags-users"]));
    // no tag: compiled with the module
    assert!(op("health").is_open());

    let model = |name: &str| {
        &api.models
            .iter()
            .find(|m| m.rust_name == name)
            .unwrap_or_else(|| {
                panic!(
                    "{name} in {:?}",
                    api.models.iter().map(|m| &m.rust_name).collect::<Vec<_>>()
                )
            })
            .gate
    };
    assert_eq!(model("User"), &gate(&["tags-users"]));
    assert_eq!(model("Status"), &gate(&["tags-users"]));
    // through the union's variants
    assert_eq!(model("SmsFactor"), &gate(&["tags-user-factors"]));
    // Users and User Factors both reach it
    assert_eq!(model("Links"), &gate(&["tags-user-factors", "tags-users"]));
    // a 201 of enrollFactor and listAudit's items
    assert_eq!(
        model("Audit"),
        &gate(&["tags-audit-log", "tags-user-factors", "tags-users"])
    );
    // `Health` is the builder of `health`
    assert!(model("Health2").is_open());
    // the untagged union of Audit.id goes with Audit
    let id_union = api
        .models
        .iter()
        .find(|m| matches!(m.kind, ModelKind::Untagged(_)))
        .expect("Audit.id");
    assert_eq!(id_union.gate, *model("Audit"));

    let extension = api.extensions.first().expect("the fixture's extension");
    assert_eq!(extension.gates, [gate(&["tags-user-factors"])]);

    // the surface says which features compile what; a move is a breaking change
    let lines = surface::surface(&api);
    let features_of = |key: &str| {
        lines
            .iter()
            .find(|l| l.key.to_string() == key)
            .map(|l| l.value.clone())
    };
    assert_eq!(
        features_of("tags model Links features").as_deref(),
        Some("tags-user-factors | tags-users")
    );
    assert_eq!(features_of("tags op health features"), None);
    let read = surface::parse(&surface::render("t", std::slice::from_ref(&api)));
    assert!(read
        .iter()
        .any(|l| matches!(&l.key.item, Item::ModelFeatures(m) if m == "Links")));
}

#[test]
fn a_model_of_two_tags_is_emitted_once_and_each_feature_alone_compiles() {
    let (config, api) = fixture();
    let files = mfa_codegen::generate_standalone(
        &config,
        std::slice::from_ref(&api),
        "test",
        &mut mfa_codegen::Formatter::plain(),
    )
    .expect("generate");
    // each gated model is in the file of its gate, once in the whole crate
    let defining: Vec<&str> = files
        .iter()
        .filter(|f| f.text.contains("pub struct Links {"))
        .map(|f| f.path.as_str())
        .collect();
    assert_eq!(defining.len(), 1, "{defining:?}");
    let shared = defining[0];
    let file = shared
        .strip_prefix("src/tags/models/")
        .and_then(|f| f.strip_suffix(".rs"))
        .expect("a gate file under models/");
    assert!(file.starts_with("shared_"), "{file}");
    // and models.rs includes that file behind both features: without them it is never read
    let models = files
        .iter()
        .find(|f| f.path == "src/tags/models.rs")
        .expect("models.rs");
    let squeeze = |text: &str| -> String { text.split_whitespace().collect() };
    let include = format!(
        "#[cfg(any(feature = \"tags-user-factors\", feature = \"tags-users\"))] \
         include!(\"models/{file}.rs\");"
    );
    assert!(
        squeeze(&models.text).contains(&squeeze(&include)),
        "{include}\n{}",
        models.text
    );
    // one tag's models and builders are a file of their own
    for path in [
        "src/tags/models/tag_users.rs",
        "src/tags/builders/tag_user_factors.rs",
    ] {
        assert!(files.iter().any(|f| f.path == path), "{path}");
    }
    // untagged: stays in models.rs
    assert!(models.text.contains("pub struct Health2 {"));
    let manifest = files
        .iter()
        .find(|f| f.path == "Cargo.toml")
        .expect("Cargo.toml");
    for line in [
        "default = [\"tags-all\", \"rustls\"]",
        "tags-all = [\"tags-audit-log\", \"tags-user-factors\", \"tags-users\"]",
        "tags-users = [\"tags\"]",
    ] {
        assert!(manifest.text.contains(line), "{line}\n{}", manifest.text);
    }

    let dir = common::compile_dir("tag_features");
    mfa_codegen::write::sync(&files, &dir, mfa_codegen::write::Mode::Write).expect("write");
    // the TLS feature stays on so every check shares the dependencies' build
    common::check_crate_with(
        &dir,
        &["--no-default-features", "--features", "rustls,tags"],
    );
    for feature in &api.tag_features {
        // alone, and with the mock (whose expectations are gated the same way)
        for extra in ["", ",mock"] {
            let features = format!("rustls,{}{extra}", feature.name);
            common::check_crate_with(&dir, &["--no-default-features", "--features", &features]);
        }
    }
    common::check_crate_with(&dir, &["--all-features"]);
}

/// `specs/okta-whole.toml` extends `okta.toml`: the slice's runtime facts, naming, extension
/// and wire patches, with every operation selected and per-tag features on. An `extends`
/// outside the config's folder, or a loop, is a config error.
#[test]
fn okta_whole_extends_the_slice_config() {
    let specs = common::workspace_root().join("specs");
    let slice = ProviderConfig::load(&specs.join("okta.toml")).expect("okta.toml");
    let whole = ProviderConfig::load(&specs.join("okta-whole.toml")).expect("okta-whole.toml");
    assert!(whole.features.per_tag && !slice.features.per_tag);
    assert!(whole.select.tags.is_empty() && !slice.select.tags.is_empty());
    assert_eq!(whole.patches.len(), slice.patches.len());
    assert_eq!(whole.runtime, slice.runtime);
    assert_eq!(whole.naming.types, slice.naming.types);
    assert_eq!(
        whole.extensions.keys().collect::<Vec<_>>(),
        slice.extensions.keys().collect::<Vec<_>>()
    );
    assert!(whole.upstream.same_api_as.is_empty());

    let dir = common::compile_dir("extends");
    std::fs::create_dir_all(&dir).expect("dir");
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).expect("write");
    write("outside.toml", "extends = \"../okta.toml\"\n");
    write("a.toml", "extends = \"b.toml\"\n");
    write("b.toml", "extends = \"a.toml\"\n");
    for (file, expected) in [
        ("outside.toml", "same folder"),
        ("a.toml", "at most 4 deep"),
    ] {
        let message = ProviderConfig::load(&dir.join(file))
            .expect_err(file)
            .to_string();
        assert!(message.contains(expected), "{file}: {message}");
    }
}
