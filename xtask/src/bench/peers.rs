//! openapi-generator and cargo-progenitor on the same inputs as ours, installed on first use
//! into `target/bench-cache/`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use mfa_codegen::{Formatter, GenError, ProviderConfig};

use super::generator::inputs;
use super::stats::{time, Stats};
use super::{cache, run_quiet, slug};

/// openapi-generator-cli from PyPI (bundles the jar; needs Java), in a cached venv.
fn openapi_generator(root: &Path) -> Result<Option<PathBuf>, GenError> {
    let venv = cache(root).join("venv");
    let bin = venv.join("bin/openapi-generator-cli");
    if !bin.exists() {
        eprintln!(
            "bench: installing openapi-generator-cli into {}",
            venv.display()
        );
        let (ok, log) = run_quiet(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
        if !ok {
            eprintln!("bench: python venv failed: {log}");
            return Ok(None);
        }
        let (ok, log) = run_quiet(Command::new(venv.join("bin/pip")).args([
            "install",
            "--quiet",
            "openapi-generator-cli==7.17.0",
        ]))?;
        if !ok {
            eprintln!("bench: pip install failed: {log}");
            return Ok(None);
        }
    }
    Ok(Some(bin))
}

/// cargo-progenitor, built once into the cache.
fn progenitor(root: &Path) -> Result<Option<PathBuf>, GenError> {
    let dir = cache(root).join("progenitor");
    let bin = dir.join("bin/cargo-progenitor");
    if !bin.exists() {
        eprintln!(
            "bench: installing cargo-progenitor into {} (a few minutes)",
            dir.display()
        );
        let (ok, log) = run_quiet(
            Command::new("cargo")
                .args([
                    "install",
                    "--quiet",
                    "--locked",
                    "cargo-progenitor",
                    "--root",
                ])
                .arg(&dir),
        )?;
        if !ok {
            eprintln!("bench: cargo install cargo-progenitor failed: {log}");
            return Ok(None);
        }
    }
    Ok(Some(bin))
}

/// Times one peer run; on failure returns the first meaningful line of its output.
fn peer_once(command: &mut Command) -> Result<Result<Duration, String>, GenError> {
    let started = Instant::now();
    let (ok, log) = run_quiet(command)?;
    let elapsed = started.elapsed();
    if ok {
        return Ok(Ok(elapsed));
    }
    let line = log
        .lines()
        .find(|l| l.contains("panicked") || l.contains("rror") || l.contains("Exception"))
        .or_else(|| log.lines().last())
        .unwrap_or("failed")
        .trim()
        .chars()
        .take(160)
        .collect::<String>();
    Ok(Err(line))
}

struct PeerInput {
    label: &'static str,
    spec: PathBuf,
    ours: Stats,
}

pub(super) fn peer_rows(root: &Path, runs: usize, rows: &mut Vec<String>) -> Result<(), GenError> {
    let mut peer_inputs = Vec::new();
    for (label, config) in [
        ("Okta UserFactor (project spec)", "specs/okta.toml"),
        ("OneLogin MFA v1 (project spec)", "specs/onelogin.toml"),
    ] {
        let config = ProviderConfig::load(&root.join(config))?;
        let spec = config.spec_path();
        let ours = time(runs, || {
            let run = mfa_codegen::build_provider(&config, &spec)?;
            mfa_codegen::generate_standalone(
                &config,
                std::slice::from_ref(&run.api),
                "bench",
                &mut Formatter::plain(),
            )
        })?;
        peer_inputs.push(PeerInput { label, spec, ours });
    }
    for input in inputs(root).into_iter().filter(|i| i.config.is_none()) {
        let config = ProviderConfig::everything(&input.spec);
        let ours = time(runs, || {
            let run = mfa_codegen::build_provider(&config, &input.spec)?;
            mfa_codegen::generate_standalone(
                &config,
                std::slice::from_ref(&run.api),
                "bench",
                &mut Formatter::plain(),
            )
        })?;
        peer_inputs.push(PeerInput {
            label: input.label,
            spec: input.spec,
            ours,
        });
    }
    let oag = openapi_generator(root)?;
    let prog = progenitor(root)?;
    let out = cache(root).join("out");
    for input in &peer_inputs {
        let mut cells = vec![input.label.to_owned(), input.ours.show()];
        for (name, bin) in [("openapi-generator", &oag), ("progenitor", &prog)] {
            let Some(bin) = bin else {
                cells.push("not installed".to_owned());
                continue;
            };
            let mut samples = Vec::new();
            let mut failure = None;
            // the JVM peer takes seconds per run: fewer runs keep the bench short
            for _ in 0..runs.clamp(1, 3) {
                let dir = out.join(format!("{name}-{}", slug(input.label)));
                let _ = std::fs::remove_dir_all(&dir);
                let mut command = Command::new(bin);
                if name == "openapi-generator" {
                    // a spec version such as 2026.06.3 is not a valid crate version
                    command
                        .args(["generate", "-g", "rust", "--skip-validate-spec"])
                        .args([
                            "--additional-properties",
                            "packageName=peer,packageVersion=0.1.0",
                        ])
                        .arg("-i")
                        .arg(&input.spec)
                        .arg("-o")
                        .arg(&dir);
                } else {
                    command
                        .args(["progenitor", "-n", "peer", "-v", "0.1.0", "-i"])
                        .arg(&input.spec)
                        .arg("-o")
                        .arg(&dir);
                }
                match peer_once(&mut command)? {
                    Ok(d) => samples.push(d),
                    Err(line) => {
                        failure = Some(line);
                        break;
                    }
                }
            }
            match failure {
                Some(line) => cells.push(format!("fails: `{}`", line.replace('|', "/"))),
                None => {
                    let stats = Stats::of(samples);
                    cells.push(format!(
                        "{} ({:.0}x ours)",
                        stats.show(),
                        stats.median.as_secs_f64() / input.ours.median.as_secs_f64().max(1e-9)
                    ));
                }
            }
        }
        rows.push(format!("| {} |", cells.join(" | ")));
    }
    Ok(())
}
