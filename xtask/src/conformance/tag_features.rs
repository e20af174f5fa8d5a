//! `--all-operations` also builds the whole newest Okta spec with a Cargo feature per tag
//! (`specs/okta-whole.toml`): a sample of the features each alone, then all of them together,
//! each clippy-checked with warnings denied. Every one alone would be 123 builds of 3-9 s
//! (about 8 minutes on top of the rest); the sample is the UserFactor feature, the three
//! largest and three smallest tags, and every 25th feature in name order, so a gate that
//! leaves out a type some tag needs shows up on the tags most likely to have it.

use std::path::Path;

use mfa_codegen::ir::TagFeature;
use mfa_codegen::write::{self, Mode};
use mfa_codegen::{GenError, ProviderConfig};

use super::check;

/// One build of the per-tag crate: its features and what clippy found.
pub(super) struct FeatureBuild {
    pub features: String,
    pub operations: usize,
    pub seconds: f64,
    pub errors: Vec<String>,
    pub lints: usize,
}

/// The features checked alone: see the module doc.
pub(super) fn sample(features: &[TagFeature]) -> Vec<&TagFeature> {
    let mut by_size: Vec<&TagFeature> = features.iter().collect();
    by_size.sort_by(|a, b| b.operations.cmp(&a.operations).then(a.name.cmp(&b.name)));
    let mut chosen: Vec<&TagFeature> = Vec::new();
    let user_factor = features.iter().filter(|f| f.name.ends_with("-user-factor"));
    let largest = by_size.iter().copied().take(3);
    let smallest = by_size.iter().rev().copied().take(3);
    let every_25th = features.iter().step_by(25);
    for feature in user_factor.chain(largest).chain(smallest).chain(every_25th) {
        if !chosen.iter().any(|c| c.name == feature.name) {
            chosen.push(feature);
        }
    }
    chosen
}

/// Generates the crate of `specs/okta-whole.toml` and checks the sample and all features.
/// `None` (with a notice) when the config or its spec is absent.
pub(super) fn check_all(root: &Path) -> Result<Option<Vec<FeatureBuild>>, GenError> {
    let config_path = root.join("specs/okta-whole.toml");
    if !config_path.exists() {
        return Ok(None);
    }
    let config = ProviderConfig::load(&config_path)?;
    let spec = config.spec_path();
    if !spec.exists() {
        println!(
            "notice: {} not found; per-tag features not checked",
            spec.display()
        );
        return Ok(None);
    }
    eprintln!("conformance: per-tag features of specs/okta-whole.toml");
    let run = mfa_codegen::build_provider(&config, &spec)?;
    let files = mfa_codegen::generate_standalone(
        &config,
        std::slice::from_ref(&run.api),
        "cargo xtask conformance --all-operations",
        &mut mfa_codegen::Formatter::plain(),
    )?;
    let dir = root.join("target/conformance/okta-whole-features");
    write::sync(&files, &dir, Mode::Write)?;
    let mut builds = Vec::new();
    let mut build = |features: String, operations: usize, args: Vec<String>| {
        eprintln!("conformance: --features {features}");
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        check::clippy_with(root, &dir, &args).map(|check| {
            builds.push(FeatureBuild {
                features,
                operations,
                seconds: check.seconds,
                errors: check.errors,
                lints: check.lints.values().sum(),
            })
        })
    };
    for feature in sample(&run.api.tag_features) {
        // the TLS feature stays on, so these builds share the dependencies of the others
        let features = format!("rustls,{}", feature.name);
        build(
            feature.name.clone(),
            feature.operations,
            vec![
                "--no-default-features".into(),
                "--features".into(),
                features,
            ],
        )?;
    }
    build(
        "all (--all-features)".into(),
        run.api.operations.len(),
        vec!["--all-features".into()],
    )?;
    Ok(Some(builds))
}

/// The Markdown table of the builds.
pub(super) fn render(builds: &[FeatureBuild]) -> String {
    let mut text = String::from(
        "\n### Per-tag features (specs/okta-whole.toml)\n\n\
         | features | operations | clippy (s) | errors | lints |\n|---|---|---|---|---|\n",
    );
    for b in builds {
        text.push_str(&format!(
            "| {} | {} | {:.1} | {} | {} |\n",
            b.features,
            b.operations,
            b.seconds,
            b.errors.len(),
            b.lints
        ));
    }
    for b in builds.iter().filter(|b| !b.errors.is_empty()) {
        text.push_str(&format!("\n{}: {}\n", b.features, b.errors.join("\n")));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feature(name: &str, operations: usize) -> TagFeature {
        TagFeature {
            name: name.to_owned(),
            tags: Vec::new(),
            operations,
        }
    }

    #[test]
    fn the_sample_has_user_factor_the_extremes_and_a_stride() {
        let features: Vec<TagFeature> = (0..60)
            .map(|i| feature(&format!("okta-t{i:02}"), i % 7 + 1))
            .chain([feature("okta-user-factor", 13)])
            .collect();
        let names: Vec<&str> = sample(&features).iter().map(|f| f.name.as_str()).collect();
        // user-factor (13 operations) is also the largest; then two of 7; the smallest (1)
        // from the end of the name order; the stride from the start
        assert_eq!(
            names,
            [
                "okta-user-factor",
                "okta-t06",
                "okta-t13",
                "okta-t56",
                "okta-t49",
                "okta-t42",
                "okta-t00",
                "okta-t25",
                "okta-t50"
            ]
        );
    }
}
