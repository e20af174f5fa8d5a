//! Fidelity: the project specs in `specs/` are hand-made slices of upstream releases (our own
//! prose, the vendor's facts). Generating the upstream files each provider config names in
//! `[upstream] same_api_as` must give the same public API, item for item; any difference is
//! printed in the vendor's terms. Skips with a notice when `../shared` is absent.

#[path = "support/common.rs"]
mod common;

use mfa_codegen::ProviderConfig;

fn check(provider: &str) {
    let config =
        ProviderConfig::load(&common::workspace_root().join(format!("specs/{provider}.toml")))
            .expect("provider config");
    assert!(
        !config.upstream.same_api_as.is_empty(),
        "specs/{provider}.toml names no upstream file to compare with"
    );
    for relative in &config.upstream.same_api_as {
        let Some(upstream) = common::upstream(&relative.to_string_lossy()) else {
            continue;
        };
        let changes =
            mfa_codegen::same_api_check(&config, &upstream).unwrap_or_else(|e| panic!("{e}"));
        let listed: Vec<String> = changes
            .iter()
            .map(|c| {
                format!(
                    "{} {}: project {:?}, upstream {:?}",
                    c.action(),
                    c.key,
                    c.old,
                    c.new
                )
            })
            .collect();
        assert!(
            changes.is_empty(),
            "{provider}: specs/ and {} differ in {} public item(s):\n{}",
            relative.display(),
            changes.len(),
            listed.join("\n")
        );
    }
}

#[test]
fn okta_slice_has_the_upstream_api() {
    check("okta");
}

#[test]
fn onelogin_slice_has_the_upstream_api() {
    check("onelogin");
}

/// The check is not vacuous: an older release (renamed schemas, the single WAITING schema)
/// differs from the slice, and the differences are named.
#[test]
fn an_older_release_is_reported_as_different() {
    let Some(older) = common::upstream("okta/2025.01.1/management-minimal.yaml") else {
        return;
    };
    let config = ProviderConfig::load(&common::workspace_root().join("specs/okta.toml"))
        .expect("provider config");
    let changes = mfa_codegen::same_api_check(&config, &older).expect("generate 2025.01.1");
    assert!(!changes.is_empty());
    assert!(
        changes.iter().all(|c| c.key.module == "okta"),
        "{changes:#?}"
    );
}
