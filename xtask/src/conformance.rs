//! `cargo xtask conformance [--all-operations]`: the generator against the real upstream specs.
//!
//! For every spec file under `../shared/upstream-specs/<provider>/` (the folder name is the
//! provider module of a config in `specs/crate.toml`): generate a standalone crate with that
//! provider's config into `target/conformance/`, `cargo clippy` it (which type-checks it too)
//! and print one Markdown table: operations, models, generation time, the check's result,
//! warnings per construct (what the generator had to approximate, skip or correct, each
//! `serde_json::Value` fallback named by its JSON pointer) and, for the files a config lists in
//! `[upstream] same_api_as`, whether the public API equals the project slice's.
//!
//! Swagger 2.0 files are read as OpenAPI 3.0 like any other; older Swagger is expected to be
//! refused with the pipeline's clear error, and that is a row too. `--all-operations` takes the newest OpenAPI 3 file of each provider instead and every
//! operation in it (the config's selection cleared, its patches, naming and header rules kept).
//!
//! The crates share `target/compile-tests/target` and the workspace lockfile with the
//! generator's compile tests, and use the same `RUSTFLAGS`, so dependencies build once.

mod check;
mod generate;
mod report;
// --all-operations: the whole Okta spec with a Cargo feature per tag
mod tag_features;
mod upstream;

use generate::{generate_one, surface_differences};
use report::render;
use upstream::{newest, spec_files};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use mfa_codegen::ir::Warning;
use mfa_codegen::{CrateConfig, GenError, ProviderConfig};

pub struct Args {
    pub all_operations: bool,
    /// Generate and report only; skip `cargo clippy`.
    pub no_check: bool,
    /// The upstream folder; default `../shared/upstream-specs` beside the workspace.
    pub upstream: Option<PathBuf>,
}

/// What happened to one spec file.
struct Row {
    /// Path relative to the upstream folder.
    spec: String,
    outcome: Outcome,
}

enum Outcome {
    /// The pipeline refused the file with this (expected) error: Swagger before 2.0.
    Refused(String),
    /// The pipeline failed: a conformance failure.
    Failed(String),
    Generated(Box<Generated>),
}

struct Generated {
    operations: usize,
    models: usize,
    generate_ms: u128,
    lines: usize,
    check: Option<Check>,
    warnings: Vec<Warning>,
    /// Fields, parameters and bodies typed `serde_json::Value` (free-form in the spec, or an
    /// approximation named by a warning).
    value_sites: usize,
    /// `Some(differences)` when the config lists this file in `[upstream] same_api_as`.
    same_api: Option<Vec<String>>,
    /// Module-per-tag analysis (`--all-operations` only).
    tags: Option<TagSharing>,
    /// The config's hand-written extensions were generated in (see `generate_one`).
    extensions: bool,
}

struct Check {
    seconds: f64,
    /// rustc errors (warnings count as errors: `-D warnings`, as in the compile tests).
    errors: Vec<String>,
    /// clippy lint name -> occurrences.
    lints: BTreeMap<String, usize>,
}

/// How models spread over tags: the numbers behind the one-module decision.
struct TagSharing {
    tags: usize,
    models: usize,
    shared: usize,
    per_tag_total: usize,
    millis: u128,
}

pub fn run(root: &Path, args: Args) -> Result<ExitCode, GenError> {
    let upstream = args
        .upstream
        .clone()
        .unwrap_or_else(|| root.join("../shared/upstream-specs"));
    if !upstream.is_dir() {
        println!(
            "notice: {} not found; no upstream specs to check (conformance skipped)",
            upstream.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let crate_config = CrateConfig::load(&root.join("specs/crate.toml"))?;
    let mut rows = Vec::new();
    for config_path in crate_config.provider_paths() {
        let config = ProviderConfig::load(&config_path)?;
        let folder = upstream.join(&config.provider.module);
        let files = spec_files(&folder);
        if files.is_empty() {
            println!(
                "notice: no {} specs under {}",
                config.provider.module,
                folder.display()
            );
            continue;
        }
        let project = mfa_codegen::build_provider(&config, &config.spec_path())?;
        let project_surface = mfa_codegen::surface::surface(&project.api);
        let chosen = if args.all_operations {
            newest(&files).into_iter().collect()
        } else {
            files
        };
        for file in chosen {
            let spec = file
                .strip_prefix(&upstream)
                .unwrap_or(&file)
                .to_string_lossy()
                .into_owned();
            eprintln!("conformance: {spec}");
            let outcome = match generate_one(root, &config, &file, &spec, &args) {
                Ok(mut generated) => {
                    let listed = config
                        .upstream
                        .same_api_as
                        .iter()
                        .any(|p| p.to_string_lossy() == spec);
                    if listed && !args.all_operations {
                        generated.same_api =
                            Some(surface_differences(&project_surface, &config, &file)?);
                    }
                    Outcome::Generated(generated)
                }
                Err(GenError::Unsupported { path, message }) => {
                    Outcome::Refused(format!("{}: {message}", path.display()))
                }
                Err(e) => Outcome::Failed(e.to_string()),
            };
            rows.push(Row { spec, outcome });
        }
    }
    let report = render(&rows, args.all_operations);
    print!("{report}");
    let mut failed = rows.iter().any(|row| !passed(row));
    if args.all_operations && !args.no_check {
        if let Some(builds) = tag_features::check_all(root)? {
            print!("{}", tag_features::render(&builds));
            failed |= builds.iter().any(|b| !b.errors.is_empty() || b.lints > 0);
        }
    }
    if failed {
        eprintln!("conformance: FAILED (see the table)");
        return Ok(ExitCode::FAILURE);
    }
    eprintln!("conformance: all {} files pass", rows.len());
    Ok(ExitCode::SUCCESS)
}

fn passed(row: &Row) -> bool {
    match &row.outcome {
        // only the clear error for Swagger before 2.0 counts as a correct refusal
        Outcome::Refused(message) => {
            message.contains("Swagger") && message.contains("is not supported")
        }
        Outcome::Failed(_) => false,
        Outcome::Generated(g) => {
            g.check.as_ref().is_none_or(|c| c.errors.is_empty())
                && g.same_api.as_ref().is_none_or(Vec::is_empty)
        }
    }
}
