//! The generator's own speed: parse alone, the whole pipeline cold and with the format cache
//! warm, on the project specs and the whole upstream ones.

use std::path::{Path, PathBuf};

use mfa_codegen::{CrateConfig, Formatter, GenError, ProviderConfig};

use super::stats::{time, Stats};
use super::{cache, slug};

pub(super) struct Input {
    pub(super) label: &'static str,
    pub(super) spec: PathBuf,
    /// `None`: every operation.
    pub(super) config: Option<PathBuf>,
}

fn upstream(root: &Path, rel: &str) -> Option<PathBuf> {
    let path = root.join("../shared/upstream-specs").join(rel);
    path.exists().then_some(path)
}

pub(super) fn inputs(root: &Path) -> Vec<Input> {
    let mut out = Vec::new();
    if let Some(okta) = upstream(root, "okta/2026.06.3/management-minimal.yaml") {
        out.push(Input {
            label: "Okta 2026.06.3, UserFactor config",
            spec: okta.clone(),
            config: Some(root.join("specs/okta.toml")),
        });
        out.push(Input {
            label: "Okta 2026.06.3, all operations",
            spec: okta,
            config: None,
        });
    }
    if let Some(onelogin) = upstream(root, "onelogin/3.1.1-go-sdk-76cf9e1/openapi.yaml") {
        out.push(Input {
            label: "OneLogin 3.1.1, all operations",
            spec: onelogin,
            config: None,
        });
    }
    out
}

fn provider(input: &Input) -> Result<ProviderConfig, GenError> {
    match &input.config {
        Some(path) => ProviderConfig::load(path),
        None => Ok(ProviderConfig::everything(&input.spec)),
    }
}

/// A pipeline run twice over: cold (every item formatted from scratch, what a first
/// generation of a new spec costs) and warm (the format cache of the previous run read from
/// disk and written back, what a regen after a small change costs).
struct Pipeline {
    cold: Stats,
    warm: Stats,
}

fn pipeline(
    runs: usize,
    cache_file: &Path,
    mut generate: impl FnMut(&mut Formatter) -> Result<(), GenError>,
) -> Result<Pipeline, GenError> {
    let cold = time(runs, || generate(&mut Formatter::plain()))?;
    let cached = |generate: &mut dyn FnMut(&mut Formatter) -> Result<(), GenError>| {
        let mut formatter = Formatter::cached(cache_file.to_path_buf());
        generate(&mut formatter)?;
        formatter.save()
    };
    let _ = std::fs::remove_file(cache_file);
    cached(&mut generate)?;
    let warm = time(runs, || cached(&mut generate))?;
    Ok(Pipeline { cold, warm })
}

fn ratio(a: &Stats, b: &Stats) -> f64 {
    a.median.as_secs_f64() / b.median.as_secs_f64().max(1e-9)
}

fn generator_row(label: &str, parse: &Stats, p: &Pipeline) -> String {
    format!(
        "| {label} | {} | {} | {:.1}x | {} | {:.1}x |",
        parse.show(),
        p.cold.show(),
        ratio(&p.cold, parse),
        p.warm.show(),
        ratio(&p.warm, parse)
    )
}

/// Generator timings: parse alone, then the whole pipeline (in memory, nothing written).
pub(super) fn generator_rows(
    root: &Path,
    runs: usize,
    rows: &mut Vec<String>,
) -> Result<(), GenError> {
    let crate_toml = root.join("specs/crate.toml");
    let configs: Vec<ProviderConfig> = CrateConfig::load(&crate_toml)?
        .provider_paths()
        .iter()
        .map(|p| ProviderConfig::load(p))
        .collect::<Result<_, _>>()?;
    let parse = time(runs, || {
        for c in &configs {
            mfa_codegen::load_patched(c, &c.spec_path())?;
        }
        Ok(())
    })?;
    let caches = cache(root).join("format-cache");
    let regen = pipeline(runs, &caches.join("regen"), |formatter| {
        mfa_codegen::generate_workspace_crate(&crate_toml, false, formatter).map(drop)
    })?;
    rows.push(generator_row(
        "project specs, both providers (`regen`)",
        &parse,
        &regen,
    ));
    for input in inputs(root) {
        let config = provider(&input)?;
        let parse = time(runs, || mfa_codegen::load_patched(&config, &input.spec))?;
        let total = pipeline(runs, &caches.join(slug(input.label)), |formatter| {
            let run = mfa_codegen::build_provider(&config, &input.spec)?;
            mfa_codegen::generate_standalone(
                &config,
                std::slice::from_ref(&run.api),
                "bench",
                formatter,
            )
            .map(drop)
        })?;
        rows.push(generator_row(input.label, &parse, &total));
    }
    Ok(())
}
