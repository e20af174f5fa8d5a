//! Build times of the generated crate (clean, touched, from scratch) against
//! openapi-generator's crate for the same operations.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use mfa_codegen::GenError;

use super::stats::{ms, Stats};
use super::{cache, run_quiet, slug};

fn rust_lines(dir: &Path) -> usize {
    let mut total = 0;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            total += rust_lines(&path);
        } else if path.extension().is_some_and(|e| e == "rs") {
            total += std::fs::read_to_string(&path).map_or(0, |t| t.lines().count());
        }
    }
    total
}

/// What a build of one generated crate cost.
struct BuildTimes {
    /// From an empty target dir, dependencies included.
    clean: Duration,
    /// Dependencies built, `touch` touched: cargo's default incremental rebuild.
    touched: Stats,
    /// The same with `CARGO_INCREMENTAL=0`: the crate compiled from scratch, what a clean
    /// build or CI pays for it.
    from_scratch: Stats,
}

/// Clean build (own target dir, dependencies included) and crate-only rebuilds (min of runs).
fn build_times(
    manifest_dir: &Path,
    target: &Path,
    cargo_args: &[&str],
    touch: &Path,
    runs: usize,
) -> Result<Result<BuildTimes, String>, GenError> {
    let _ = std::fs::remove_dir_all(target);
    let build = |incremental: bool| {
        let mut command = Command::new("cargo");
        command
            .arg("build")
            .arg("--quiet")
            .arg("--manifest-path")
            .arg(manifest_dir.join("Cargo.toml"))
            .args(cargo_args)
            .env("CARGO_TARGET_DIR", target)
            .env("CARGO_INCREMENTAL", if incremental { "1" } else { "0" });
        command
    };
    let started = Instant::now();
    let (ok, log) = run_quiet(&mut build(true))?;
    if !ok {
        return Ok(Err(log.lines().take(3).collect::<Vec<_>>().join(" ")));
    }
    let clean = started.elapsed();
    let rebuilds = |incremental: bool| -> Result<Result<Stats, String>, GenError> {
        let mut samples = Vec::new();
        for _ in 0..runs.max(1) {
            let text = std::fs::read_to_string(touch).map_err(|e| GenError::io(touch, e))?;
            std::fs::write(touch, text).map_err(|e| GenError::io(touch, e))?;
            let started = Instant::now();
            let (ok, log) = run_quiet(&mut build(incremental))?;
            if !ok {
                return Ok(Err(log));
            }
            samples.push(started.elapsed());
        }
        Ok(Ok(Stats::of(samples)))
    };
    let touched = match rebuilds(true)? {
        Ok(stats) => stats,
        Err(log) => return Ok(Err(log)),
    };
    let from_scratch = match rebuilds(false)? {
        Ok(stats) => stats,
        Err(log) => return Ok(Err(log)),
    };
    Ok(Ok(BuildTimes {
        clean,
        touched,
        from_scratch,
    }))
}

pub(super) fn build_rows(root: &Path, runs: usize, rows: &mut Vec<String>) -> Result<(), GenError> {
    let targets = cache(root).join("targets");
    let generated = root.join("generated");
    let src = generated.join("src");
    let lines = |modules: &[&str]| -> usize {
        rust_lines(&src.join("runtime"))
            + modules
                .iter()
                .map(|m| rust_lines(&src.join(m)))
                .sum::<usize>()
    };
    // `mock` and `okta-oauth` are not part of these sets: the lines of their files are not
    // compiled either
    for (label, features, modules) in [
        (
            "idp-mfa, okta + onelogin",
            "okta,onelogin,rustls",
            &["okta", "onelogin"][..],
        ),
        ("idp-mfa, okta only", "okta,rustls", &["okta"][..]),
        (
            "idp-mfa, onelogin only",
            "onelogin,rustls",
            &["onelogin"][..],
        ),
    ] {
        let result = build_times(
            &generated,
            &targets.join(slug(label)),
            &["--no-default-features", "--features", features],
            &generated.join("src/lib.rs"),
            runs,
        )?;
        rows.push(build_row(label, lines(modules), result));
    }
    // openapi-generator's crate for the Okta UserFactor project spec, from the peer run
    let peer = cache(root).join("out/openapi-generator-okta-userfactor--project-spec-");
    if peer.join("Cargo.toml").exists() {
        // its Cargo.toml has no [workspace]: make it its own
        let manifest = peer.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).map_err(|e| GenError::io(&manifest, e))?;
        if !text.contains("[workspace]") {
            std::fs::write(&manifest, format!("{text}\n[workspace]\n"))
                .map_err(|e| GenError::io(&manifest, e))?;
        }
        // its default TLS is native-tls (the system OpenSSL, nothing to compile); its
        // `rustls-tls` feature is the like-for-like comparison with our rustls default
        for (label, dir, args) in [
            (
                "openapi-generator, Okta UserFactor (its defaults: native-tls)",
                "openapi-generator-okta",
                &[][..],
            ),
            (
                "openapi-generator, Okta UserFactor (`rustls-tls`)",
                "openapi-generator-okta-rustls",
                &["--no-default-features", "--features", "rustls-tls"][..],
            ),
        ] {
            let result = build_times(
                &peer,
                &targets.join(dir),
                args,
                &peer.join("src/lib.rs"),
                runs,
            )?;
            rows.push(build_row(label, rust_lines(&peer.join("src")), result));
        }
    } else {
        rows.push(
            "| openapi-generator, Okta UserFactor | (run with peers first) | | | | |".to_owned(),
        );
    }
    Ok(())
}

fn build_row(label: &str, lines: usize, result: Result<BuildTimes, String>) -> String {
    match result {
        Ok(times) => format!(
            "| {label} | {lines} | {} | {} | {} |",
            ms(times.clean),
            times.touched.show(),
            times.from_scratch.show()
        ),
        Err(e) => format!("| {label} | {lines} | fails: {} | | |", e.replace('|', "/")),
    }
}
