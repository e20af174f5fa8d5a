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
//! Swagger 2.0 files are expected to be refused with the pipeline's clear error; that is a row
//! too. `--all-operations` takes the newest OpenAPI 3 file of each provider instead and every
//! operation in it (the config's selection cleared, its patches, naming and header rules kept).
//!
//! The crates share `target/compile-tests/target` and the workspace lockfile with the
//! generator's compile tests, and use the same `RUSTFLAGS`, so dependencies build once.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use mfa_codegen::ir::{Api, ModelKind, ResponseBody, TypeRef, Warning, WarningEffect, WarningKind};
use mfa_codegen::write::{self, Mode};
use mfa_codegen::{CrateConfig, GenError, ProviderConfig};
use serde_json::Value;

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
    /// The pipeline refused the file with this (expected) error: Swagger 2.0.
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
    let failed = rows.iter().any(|row| !passed(row));
    if failed {
        eprintln!("conformance: FAILED (see the table)");
        return Ok(ExitCode::FAILURE);
    }
    eprintln!("conformance: all {} files pass", rows.len());
    Ok(ExitCode::SUCCESS)
}

fn passed(row: &Row) -> bool {
    match &row.outcome {
        // only the clear Swagger 2.0 error counts as a correct refusal
        Outcome::Refused(message) => message.contains("Swagger 2.0 is not supported"),
        Outcome::Failed(_) => false,
        Outcome::Generated(g) => {
            g.check.as_ref().is_none_or(|c| c.errors.is_empty())
                && g.same_api.as_ref().is_none_or(Vec::is_empty)
        }
    }
}

/// YAML and JSON files below `folder`, sorted, so rows come in a stable order.
fn spec_files(folder: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
            {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The OpenAPI 3 file with the highest `info.version` (compared number by number, so
/// `2026.06.3` > `5.1.0`); ties go to the first path (`management-minimal` before
/// `management-oneOfInheritance`, the variant the project tracks).
fn newest(files: &[PathBuf]) -> Option<PathBuf> {
    let mut best: Option<(Vec<u64>, &PathBuf)> = None;
    for file in files {
        let Ok(raw) = mfa_codegen::load::read_raw(file) else {
            continue; // Swagger 2.0 and unreadable files are not candidates
        };
        let version: Vec<u64> = raw
            .pointer("/info/version")
            .and_then(Value::as_str)
            .unwrap_or("0")
            .split('.')
            .map(|part| part.parse().unwrap_or(0))
            .collect();
        if best.as_ref().is_none_or(|(v, _)| version > *v) {
            best = Some((version, file));
        }
    }
    best.map(|(_, file)| file.clone())
}

fn generate_one(
    root: &Path,
    config: &ProviderConfig,
    file: &Path,
    spec: &str,
    args: &Args,
) -> Result<Box<Generated>, GenError> {
    let mut config = config.clone();
    if args.all_operations {
        config.select = Default::default();
    }
    // Extensions are hand-written against the project's API (`okta::push` names
    // `VerifyFactorResponse`); a release with another API (Okta 5.1.0) cannot carry them, and
    // they test nothing of the generator. They stay for the files the config says have the
    // project's API.
    let same_api = config
        .upstream
        .same_api_as
        .iter()
        .any(|p| p.to_string_lossy() == spec);
    if !same_api {
        config.extensions.clear();
    }
    let started = Instant::now();
    let run = mfa_codegen::build_provider(&config, file)?;
    let files = mfa_codegen::generate_standalone(
        &config,
        std::slice::from_ref(&run.api),
        "cargo xtask conformance",
        &mut mfa_codegen::Formatter::plain(),
    )?;
    let generate_ms = started.elapsed().as_millis();
    let lines = files.iter().map(|f| f.text.lines().count()).sum();
    let slug = format!(
        "{}{}",
        spec.replace(['/', '.'], "_"),
        if args.all_operations { "-all" } else { "" }
    );
    let dir = root.join("target/conformance").join(slug);
    write::sync(&files, &dir, Mode::Write)?;
    let check = if args.no_check {
        None
    } else {
        Some(clippy(root, &dir)?)
    };
    let tags = if args.all_operations {
        Some(tag_sharing(&config, file)?)
    } else {
        None
    };
    Ok(Box::new(Generated {
        operations: run.api.operations.len(),
        models: run.api.models.len(),
        generate_ms,
        lines,
        check,
        value_sites: value_sites(&run.api),
        warnings: run.api.warnings,
        same_api: None,
        tags,
        extensions: !config.extensions.is_empty(),
    }))
}

fn surface_differences(
    project: &[mfa_codegen::surface::SurfaceLine],
    config: &ProviderConfig,
    file: &Path,
) -> Result<Vec<String>, GenError> {
    let theirs = mfa_codegen::build_provider(config, file)?;
    let changes = mfa_codegen::api_diff::diff(project, &mfa_codegen::surface::surface(&theirs.api));
    Ok(changes
        .iter()
        .map(|c| {
            format!(
                "{} `{}`: specs/ {:?}, upstream {:?}",
                c.action(),
                c.key,
                c.old,
                c.new
            )
        })
        .collect())
}

/// `cargo clippy` on a generated crate: compile errors and lints, from the JSON messages.
fn clippy(root: &Path, dir: &Path) -> Result<Check, GenError> {
    let lockfile = root.join("Cargo.lock");
    std::fs::copy(&lockfile, dir.join("Cargo.lock")).map_err(|e| GenError::io(&lockfile, e))?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let started = Instant::now();
    let output = Command::new(cargo)
        .args([
            "clippy",
            "--quiet",
            "--message-format=json",
            "--manifest-path",
        ])
        .arg(dir.join("Cargo.toml"))
        // shared with generator/tests/compile.rs: same target dir and RUSTFLAGS, so the
        // dependencies are compiled once for both
        .env("CARGO_TARGET_DIR", root.join("target/compile-tests/target"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .map_err(|e| GenError::io(dir, e))?;
    let seconds = started.elapsed().as_secs_f64();
    let mut errors = Vec::new();
    let mut lints: BTreeMap<String, usize> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-message" {
            continue;
        }
        let diagnostic = &message["message"];
        let code = diagnostic["code"]["code"].as_str().unwrap_or("");
        let text = diagnostic["message"].as_str().unwrap_or("");
        if let Some(lint) = code.strip_prefix("clippy::") {
            *lints.entry(lint.to_owned()).or_default() += 1;
        } else if diagnostic["level"] == "error" && !text.starts_with("aborting due to") {
            let rendered = diagnostic["rendered"].as_str().unwrap_or(text);
            errors.push(rendered.lines().take(6).collect::<Vec<_>>().join("\n"));
        }
    }
    if !output.status.success() && errors.is_empty() && lints.is_empty() {
        // cargo itself failed (resolution, network): show its own words
        errors.push(String::from_utf8_lossy(&output.stderr).trim().to_owned());
    }
    Ok(Check {
        seconds,
        errors,
        lints,
    })
}

/// Normalizes each tag on its own (as a module per tag would) and counts the models two or
/// more tags reach.
fn tag_sharing(config: &ProviderConfig, file: &Path) -> Result<TagSharing, GenError> {
    let started = Instant::now();
    let (loaded, _) = mfa_codegen::load_patched(config, file)?;
    let mut tags: BTreeSet<String> = BTreeSet::new();
    for (_, item) in loaded.api.paths.iter() {
        if let Some(item) = item.as_item() {
            for (_, op) in item.iter() {
                tags.extend(op.tags.iter().cloned());
            }
        }
    }
    let mut reached: BTreeMap<String, usize> = BTreeMap::new();
    let mut per_tag_total = 0;
    for tag in &tags {
        let mut one = config.clone();
        one.select = mfa_codegen::config::Select {
            tags: vec![tag.clone()],
            operations: Vec::new(),
        };
        let api = mfa_codegen::normalize::normalize(&loaded, &one)?;
        per_tag_total += api.models.len();
        for model in api.models {
            *reached.entry(model.spec_name).or_default() += 1;
        }
    }
    Ok(TagSharing {
        tags: tags.len(),
        models: reached.len(),
        shared: reached.values().filter(|n| **n > 1).count(),
        per_tag_total,
        millis: started.elapsed().as_millis(),
    })
}

fn has_json(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Json => true,
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::OneOrMany(inner) => has_json(inner),
        _ => false,
    }
}

/// Places a caller meets `serde_json::Value`: fields, parameters, request and response bodies
/// (not the `additional_properties` catch-all every struct has).
fn value_sites(api: &Api) -> usize {
    let fields: usize = api
        .models
        .iter()
        .map(|m| match &m.kind {
            ModelKind::Struct(s) => s.fields.iter().filter(|f| has_json(&f.ty)).count(),
            _ => 0,
        })
        .sum();
    let operations: usize = api
        .operations
        .iter()
        .map(|op| {
            op.params.iter().filter(|p| has_json(&p.ty)).count()
                + op.body.iter().filter(|b| has_json(&b.ty)).count()
                + op.responses
                    .iter()
                    .filter(|r| match &r.body {
                        ResponseBody::Untyped => true,
                        ResponseBody::Typed { ty, .. } => has_json(ty),
                        ResponseBody::Empty => false,
                    })
                    .count()
        })
        .sum();
    fields + operations
}

fn count(warnings: &[Warning], effect: WarningEffect) -> usize {
    warnings
        .iter()
        .filter(|w| w.kind.effect() == effect)
        .count()
}

fn check_cell(check: &Option<Check>) -> String {
    match check {
        None => "not run".to_owned(),
        Some(c) if c.errors.is_empty() && c.lints.is_empty() => {
            format!("ok, clippy clean ({:.0} s)", c.seconds)
        }
        Some(c) if c.errors.is_empty() => format!(
            "ok, {} clippy lints ({:.0} s)",
            c.lints.values().sum::<usize>(),
            c.seconds
        ),
        Some(c) => format!("**{} errors** ({:.0} s)", c.errors.len(), c.seconds),
    }
}

fn render(rows: &[Row], all_operations: bool) -> String {
    let mut out = String::new();
    let scope = if all_operations {
        "every operation of the newest file per provider"
    } else {
        "the operations each provider config selects"
    };
    out.push_str(&format!("### Conformance: {scope}\n\n"));
    out.push_str(
        "| spec | operations | models | lines | generate | cargo clippy | `Value` fallbacks | not generated | spec bugs corrected | patches not applied | `Value` sites | same API as specs/ |\n",
    );
    out.push_str("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|\n");
    for row in rows {
        match &row.outcome {
            Outcome::Refused(message) => out.push_str(&format!(
                "| `{}` | | | | | refused: {} | | | | | | |\n",
                row.spec,
                message
                    .rsplit_once(": ")
                    .map_or(message.as_str(), |(_, m)| m)
            )),
            Outcome::Failed(message) => out.push_str(&format!(
                "| `{}` | | | | | **generation failed**: {message} | | | | | | |\n",
                row.spec
            )),
            Outcome::Generated(g) => out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} ms | {} | {} | {} | {} | {} | {} | {} |\n",
                row.spec,
                g.operations,
                g.models,
                g.lines,
                g.generate_ms,
                check_cell(&g.check),
                count(&g.warnings, WarningEffect::JsonFallback),
                count(&g.warnings, WarningEffect::Skipped),
                count(&g.warnings, WarningEffect::Corrected),
                count(&g.warnings, WarningEffect::Config),
                g.value_sites,
                match &g.same_api {
                    None if g.tags.is_some() => format!(
                        "n/a: all operations{}",
                        if g.extensions { ", extensions in" } else { "" }
                    ),
                    None => "not listed (extensions left out)".to_owned(),
                    Some(d) if d.is_empty() => "identical".to_owned(),
                    Some(d) => format!("**{} differences**", d.len()),
                }
            )),
        }
    }
    let generated: Vec<(&str, &Generated)> = rows
        .iter()
        .filter_map(|r| match &r.outcome {
            Outcome::Generated(g) => Some((r.spec.as_str(), g.as_ref())),
            _ => None,
        })
        .collect();

    // per construct: one row per warning kind seen anywhere, one column per spec
    let kinds: BTreeSet<WarningKind> = generated
        .iter()
        .flat_map(|(_, g)| g.warnings.iter().map(|w| w.kind))
        .collect();
    if !kinds.is_empty() {
        out.push_str("\n#### Warnings per construct\n\n| construct | effect |");
        for (i, _) in generated.iter().enumerate() {
            out.push_str(&format!(" {} |", i + 1));
        }
        out.push_str("\n|---|---|");
        out.push_str(&"---:|".repeat(generated.len()));
        out.push('\n');
        let mut kinds: Vec<WarningKind> = kinds.into_iter().collect();
        kinds.sort_by_key(|k| (k.effect(), *k));
        for kind in kinds {
            out.push_str(&format!(
                "| {} | {} |",
                kind.label(),
                kind.effect().as_str()
            ));
            for (_, g) in &generated {
                let n = g.warnings.iter().filter(|w| w.kind == kind).count();
                out.push_str(&format!(" {n} |"));
            }
            out.push('\n');
        }
        out.push_str("\nColumns: ");
        let names: Vec<String> = generated
            .iter()
            .enumerate()
            .map(|(i, (spec, _))| format!("{} = `{spec}`", i + 1))
            .collect();
        out.push_str(&names.join(", "));
        out.push_str(".\n");
    }

    // every serde_json::Value fallback, named
    for (spec, g) in &generated {
        let fallbacks: Vec<&Warning> = g
            .warnings
            .iter()
            .filter(|w| w.kind.effect() == WarningEffect::JsonFallback)
            .collect();
        if fallbacks.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n#### `serde_json::Value` fallbacks in `{spec}` ({})\n\n",
            fallbacks.len()
        ));
        for w in fallbacks {
            out.push_str(&format!("- `{}`: {}\n", w.pointer, w.message));
        }
    }

    for (spec, g) in &generated {
        if let Some(check) = &g.check {
            if !check.lints.is_empty() {
                out.push_str(&format!("\n#### clippy lints in `{spec}`\n\n"));
                for (lint, n) in &check.lints {
                    out.push_str(&format!("- `clippy::{lint}`: {n}\n"));
                }
            }
            if !check.errors.is_empty() {
                out.push_str(&format!(
                    "\n#### compile errors in `{spec}` (first 20)\n\n```text\n"
                ));
                for error in check.errors.iter().take(20) {
                    out.push_str(error);
                    out.push('\n');
                }
                out.push_str("```\n");
            }
        }
        if let Some(differences) = g.same_api.as_ref().filter(|d| !d.is_empty()) {
            out.push_str(&format!("\n#### `{spec}` differs from specs/\n\n"));
            for d in differences {
                out.push_str(&format!("- {d}\n"));
            }
        }
        if let Some(t) = &g.tags {
            out.push_str(&format!(
                "\n#### Tags of `{spec}`\n\n{} tags; {} models in one module, {} of them \
                 ({:.0}%) reached from two or more tags; a module per tag with its own models \
                 would hold {} models ({:.1}x). Measured in {} ms.\n",
                t.tags,
                t.models,
                t.shared,
                100.0 * t.shared as f64 / t.models.max(1) as f64,
                t.per_tag_total,
                t.per_tag_total as f64 / t.models.max(1) as f64,
                t.millis
            ));
        }
    }
    out
}
