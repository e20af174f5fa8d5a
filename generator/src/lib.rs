//! Generates the Okta / OneLogin MFA client crate from OpenAPI 3.0 specs.
//!
//! The pipeline reads top to bottom: [`load`] -> [`patch`] -> [`normalize`] (the [`ir`]) -> [`render`]
//! (askama templates under `templates/`) -> [`format`] (syn + prettyplease) -> [`write`].

#![forbid(unsafe_code)]

pub mod api_diff;
pub mod config;
pub mod error;
pub mod format;
pub mod ir;
pub mod load;
pub mod naming;
pub mod normalize;
pub mod patch;
pub mod render;
pub mod surface;
pub mod write;

use std::path::Path;

pub use config::{CrateConfig, ProviderConfig};
pub use error::GenError;
pub use format::{Formatter, OutputFile};

/// One provider after normalization, with the timing of each step (for progress output).
#[derive(Debug)]
pub struct ProviderRun {
    pub api: ir::Api,
    /// Names of the config's wire patches that changed the spec.
    pub patches_applied: Vec<String>,
    pub load_ms: f64,
    pub normalize_ms: f64,
}

// The library's entry points, one per use:
// - `build_provider`: load, patch and normalize one provider's spec (what every other entry
//   and the xtask checks start from); `load_patched` is its first half, for callers that
//   inspect the patched spec before normalizing;
// - `generate_workspace_crate`: the workspace's generated crate (`cargo xtask regen`);
// - `generate_standalone`: one provider as its own crate (`cargo xtask generate --out DIR`);
// - `build_provider_for_report` and `same_api_check`: the API surface compared across spec
//   releases (the change report and the fidelity check).

/// Loads, patches and normalizes one provider from `spec` (usually `config.spec_path()`, or an
/// upstream release of the same spec).
pub fn build_provider(config: &ProviderConfig, spec: &Path) -> Result<ProviderRun, GenError> {
    let started = std::time::Instant::now();
    let (loaded, patched) = load_patched(config, spec)?;
    let extensions = load::load_extensions(config)?;
    let load_ms = started.elapsed().as_secs_f64() * 1000.0;
    let started = std::time::Instant::now();
    let mut api = normalize::normalize(&loaded, config)?;
    api.extensions = extensions;
    load::leave_out_unmet_extensions(&mut api);
    let normalize_ms = started.elapsed().as_secs_f64() * 1000.0;
    api.warnings.extend(patched.warnings);
    api.warnings.sort();
    if config.strict {
        refuse_typos(spec, &api.warnings)?;
    }
    Ok(ProviderRun {
        api,
        patches_applied: patched.applied,
        load_ms,
        normalize_ms,
    })
}

/// Under `--strict`, a probable typo (an unknown keyword or `type`) is an error naming the
/// first one, its pointer and how many there are in all.
fn refuse_typos(spec: &Path, warnings: &[ir::Warning]) -> Result<(), GenError> {
    let typos: Vec<&ir::Warning> = warnings
        .iter()
        .filter(|w| {
            matches!(
                w.kind,
                ir::WarningKind::UnknownKeyword | ir::WarningKind::UnknownType
            )
        })
        .collect();
    match typos.first() {
        None => Ok(()),
        Some(first) => {
            let more = match typos.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            Err(GenError::spec(
                spec,
                first.pointer.clone(),
                format!("{}{more}; --strict refuses probable typos", first.message),
            ))
        }
    }
}

/// Like [`build_provider`] without the config's wire patches, for the API change
/// report: it compares the vendor's specs as published, so the project's own corrections
/// never show up as vendor changes.
pub fn build_provider_for_report(
    config: &ProviderConfig,
    spec: &Path,
) -> Result<ProviderRun, GenError> {
    let unpatched = ProviderConfig {
        patches: Vec::new(),
        ..config.clone()
    };
    build_provider(&unpatched, spec)
}

/// The fidelity check: the public API surface generated from `upstream` with `config` against
/// the one generated from the config's own (project) spec. Both are patched, as `regen` would
/// patch them; descriptions are not part of the surface, so our own prose never counts. Empty
/// when they agree.
pub fn same_api_check(
    config: &ProviderConfig,
    upstream: &Path,
) -> Result<Vec<api_diff::Change>, GenError> {
    let project = build_provider(config, &config.spec_path())?;
    let theirs = build_provider(config, upstream)?;
    Ok(api_diff::diff(
        &surface::surface(&project.api),
        &surface::surface(&theirs.api),
    ))
}

/// Loads `spec` and applies the config's wire patches to its JSON tree before parsing it, so
/// the project slice and an upstream release get the same corrections.
pub fn load_patched(
    config: &ProviderConfig,
    spec: &Path,
) -> Result<(load::LoadedSpec, patch::Outcome), GenError> {
    let mut raw = load::read_raw(spec)?;
    let outcome = patch::apply(&mut raw, &config.patches, config.strict, spec)?;
    Ok((load::from_raw(spec, raw)?, outcome))
}

/// Renders and formats a whole crate from normalized providers.
fn generate_crate(
    crate_config: &CrateConfig,
    apis: &[ir::Api],
    standalone: bool,
    command: &str,
    formatter: &mut Formatter,
) -> Result<Vec<OutputFile>, GenError> {
    let input = render::CrateInput {
        config: crate_config,
        apis,
        standalone,
        command,
    };
    let header = format!("@generated by mfa-codegen ({command}); do not edit.");
    formatter.format_files(render::render_crate(&input)?, &header)
}

/// A standalone crate (its own workspace) named after `config`'s provider, holding `apis`
/// (usually that one provider), as `cargo xtask generate` writes it; `command` is named in
/// each file's header, `formatter` may remember earlier runs (`Formatter::plain()` when it
/// need not).
pub fn generate_standalone(
    config: &ProviderConfig,
    apis: &[ir::Api],
    command: &str,
    formatter: &mut Formatter,
) -> Result<Vec<OutputFile>, GenError> {
    generate_crate(
        &CrateConfig::standalone(config),
        apis,
        true,
        command,
        formatter,
    )
}

/// The workspace's generated crate, from `specs/crate.toml` and the provider configs it names.
/// `strict` makes a wire patch whose target is absent, an unknown keyword or an unknown type
/// an error instead of a warning.
pub fn generate_workspace_crate(
    crate_toml: &Path,
    strict: bool,
    formatter: &mut Formatter,
) -> Result<(Vec<OutputFile>, Vec<ProviderRun>), GenError> {
    let crate_config = CrateConfig::load(crate_toml)?;
    let mut runs = Vec::new();
    for path in crate_config.provider_paths() {
        let mut provider = ProviderConfig::load(&path)?;
        provider.strict = strict;
        runs.push(build_provider(&provider, &provider.spec_path())?);
    }
    let apis: Vec<ir::Api> = runs.iter().map(|r| r.api.clone()).collect();
    let files = generate_crate(&crate_config, &apis, false, "cargo xtask regen", formatter)?;
    Ok((files, runs))
}
