//! `cargo xtask bench --tag-features`: the whole newest Okta spec (`specs/okta-whole.toml`)
//! built with one tag's feature, about 160 operations' worth, and all of them, against
//! `idp-mfa` with Okta only and the same spec as one ungated module, all in one run.
//! Crate-only builds (dependencies built first, not timed): `src/lib.rs` touched (incremental)
//! and from scratch (`CARGO_INCREMENTAL=0`), min / median of the runs, and the peak resident
//! memory of the build (GNU time's maximum RSS of cargo and the rustc it waits for).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use mfa_codegen::ir::TagFeature;
use mfa_codegen::write::{self, Mode};
use mfa_codegen::{GenError, ProviderConfig};

use super::stats::Stats;
use super::{cache, run_quiet};

/// One crate-only measurement.
struct Measured {
    touched: Stats,
    scratch: Stats,
    /// Median peak RSS in MB of the touched and the from-scratch builds.
    touched_mb: Option<u64>,
    scratch_mb: Option<u64>,
}

const GNU_TIME: &str = "/usr/bin/time";

fn cargo_build(
    manifest_dir: &Path,
    target: &Path,
    args: &[String],
    incremental: bool,
    rss: Option<&Path>,
) -> Command {
    let mut command = match rss {
        Some(file) => {
            let mut c = Command::new(GNU_TIME);
            c.args(["-f", "%M", "-o"]).arg(file).arg("cargo");
            c
        }
        None => Command::new("cargo"),
    };
    command
        .args(["build", "--quiet", "--manifest-path"])
        .arg(manifest_dir.join("Cargo.toml"))
        .args(args)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", if incremental { "1" } else { "0" });
    command
}

fn measure(
    manifest_dir: &Path,
    target: &Path,
    args: &[String],
    runs: usize,
) -> Result<Result<Measured, String>, GenError> {
    let touch = manifest_dir.join("src/lib.rs");
    // dependencies (and a first build of the crate), not timed
    let (ok, log) = run_quiet(&mut cargo_build(manifest_dir, target, args, true, None))?;
    if !ok {
        return Ok(Err(log.lines().take(5).collect::<Vec<_>>().join(" ")));
    }
    let rss_file = target.join("peak-rss.txt");
    let with_rss = Path::new(GNU_TIME).exists().then_some(rss_file.as_path());
    let series = |incremental: bool| -> Result<Result<(Stats, Option<u64>), String>, GenError> {
        let mut times = Vec::new();
        let mut peaks = Vec::new();
        for _ in 0..runs.max(1) {
            let text = std::fs::read_to_string(&touch).map_err(|e| GenError::io(&touch, e))?;
            std::fs::write(&touch, text).map_err(|e| GenError::io(&touch, e))?;
            let started = Instant::now();
            let (ok, log) = run_quiet(&mut cargo_build(
                manifest_dir,
                target,
                args,
                incremental,
                with_rss,
            ))?;
            if !ok {
                return Ok(Err(log));
            }
            times.push(started.elapsed());
            if let Some(kb) = with_rss
                .and_then(|f| std::fs::read_to_string(f).ok())
                .and_then(|t| {
                    t.trim()
                        .lines()
                        .last()
                        .and_then(|l| l.trim().parse::<u64>().ok())
                })
            {
                peaks.push(kb / 1024);
            }
        }
        peaks.sort_unstable();
        Ok(Ok((Stats::of(times), peaks.get(peaks.len() / 2).copied())))
    };
    let (touched, touched_mb) = match series(true)? {
        Ok(x) => x,
        Err(log) => return Ok(Err(log)),
    };
    let (scratch, scratch_mb) = match series(false)? {
        Ok(x) => x,
        Err(log) => return Ok(Err(log)),
    };
    Ok(Ok(Measured {
        touched,
        scratch,
        touched_mb,
        scratch_mb,
    }))
}

/// The features that make about `target` operations: UserFactor, then the largest tags.
fn about(features: &[TagFeature], target: usize) -> Vec<&TagFeature> {
    let mut by_size: Vec<&TagFeature> = features.iter().collect();
    by_size.sort_by(|a, b| b.operations.cmp(&a.operations).then(a.name.cmp(&b.name)));
    let mut chosen: Vec<&TagFeature> = features
        .iter()
        .filter(|f| f.name.ends_with("-user-factor"))
        .collect();
    for feature in by_size {
        let total: usize = chosen.iter().map(|f| f.operations).sum();
        if total >= target {
            break;
        }
        if !chosen.iter().any(|c| c.name == feature.name) {
            chosen.push(feature);
        }
    }
    chosen
}

fn generate(config: &ProviderConfig, spec: &Path, out: &Path) -> Result<usize, GenError> {
    let run = mfa_codegen::build_provider(config, spec)?;
    let files = mfa_codegen::generate_standalone(
        config,
        std::slice::from_ref(&run.api),
        "cargo xtask bench --tag-features",
        &mut mfa_codegen::Formatter::plain(),
    )?;
    write::sync(&files, out, Mode::Write)?;
    Ok(run.api.operations.len())
}

pub(super) fn tag_feature_rows(
    root: &Path,
    runs: usize,
    rows: &mut Vec<String>,
) -> Result<(), GenError> {
    let config = ProviderConfig::load(&root.join("specs/okta-whole.toml"))?;
    let spec = config.spec_path();
    if !spec.exists() {
        rows.push(format!("(skipped: {} not found)", spec.display()));
        return Ok(());
    }
    let base = cache(root).join("okta-whole");
    let per_tag_dir = base.join("per-tag");
    let single_dir = base.join("single");
    let run = mfa_codegen::build_provider(&config, &spec)?;
    generate(&config, &spec, &per_tag_dir)?;
    let mut single = config.clone();
    single.features.per_tag = false;
    let all_ops = generate(&single, &spec, &single_dir)?;
    for dir in [&per_tag_dir, &single_dir] {
        let lock = root.join("Cargo.lock");
        std::fs::copy(&lock, dir.join("Cargo.lock")).map_err(|e| GenError::io(&lock, e))?;
    }
    let targets = cache(root).join("targets");
    let features = |names: &[&str]| -> Vec<String> {
        vec![
            "--no-default-features".to_owned(),
            "--features".to_owned(),
            format!("rustls,{}", names.join(",")),
        ]
    };
    let tags = &run.api.tag_features;
    let user_factor: Vec<&TagFeature> = tags
        .iter()
        .filter(|f| f.name == "okta-user-factor")
        .collect();
    let mid = about(tags, 160);
    let names =
        |list: &[&TagFeature]| -> Vec<String> { list.iter().map(|f| f.name.clone()).collect() };
    let ops = |list: &[&TagFeature]| -> usize { list.iter().map(|f| f.operations).sum() };
    let mid_names = names(&mid);
    let cases: Vec<(String, usize, PathBuf, PathBuf, Vec<String>)> = vec![
        (
            "idp-mfa, okta only".to_owned(),
            ops(&user_factor),
            root.join("generated"),
            targets.join("tag-bench-idp-mfa"),
            features(&["okta"]),
        ),
        (
            "okta-whole, `okta-user-factor` alone".to_owned(),
            ops(&user_factor),
            per_tag_dir.clone(),
            targets.join("tag-bench-per-tag"),
            features(&["okta-user-factor"]),
        ),
        (
            format!(
                "okta-whole, {} features ({})",
                mid.len(),
                mid_names.join(", ")
            ),
            ops(&mid),
            per_tag_dir.clone(),
            targets.join("tag-bench-per-tag"),
            features(&mid_names.iter().map(String::as_str).collect::<Vec<_>>()),
        ),
        (
            "okta-whole, all features (`okta-all`)".to_owned(),
            run.api.operations.len(),
            per_tag_dir.clone(),
            targets.join("tag-bench-per-tag"),
            features(&["okta-all"]),
        ),
        (
            "whole Okta as one module (no per-tag features)".to_owned(),
            all_ops,
            single_dir.clone(),
            targets.join("tag-bench-single"),
            features(&["okta"]),
        ),
    ];
    rows.extend([
        "| crate and features | operations (tag sums) | crate only, touched | peak MB | crate only, from scratch | peak MB |".to_owned(),
        "|---|---|---|---|---|---|".to_owned(),
    ]);
    for (label, operations, dir, target, args) in cases {
        eprintln!("bench: {label}");
        let row = match measure(&dir, &target, &args, runs)? {
            Ok(m) => format!(
                "| {label} | {operations} | {} | {} | {} | {} |",
                m.touched.show(),
                m.touched_mb.map_or("-".to_owned(), |v| v.to_string()),
                m.scratch.show(),
                m.scratch_mb.map_or("-".to_owned(), |v| v.to_string()),
            ),
            Err(e) => format!(
                "| {label} | {operations} | fails: {} | | | |",
                e.replace('|', "/")
            ),
        };
        println!("{row}");
        rows.push(row);
    }
    Ok(())
}
