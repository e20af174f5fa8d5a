//! `cargo clippy` on a generated crate, its JSON diagnostics read back into errors and lints.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use mfa_codegen::GenError;
use serde_json::Value;

use super::Check;

/// `cargo clippy` on a generated crate: compile errors and lints, from the JSON messages.
pub(super) fn clippy(root: &Path, dir: &Path) -> Result<Check, GenError> {
    clippy_with(root, dir, &[])
}

/// [`clippy`] with more arguments (`--no-default-features --features ..`).
pub(super) fn clippy_with(root: &Path, dir: &Path, args: &[&str]) -> Result<Check, GenError> {
    let lockfile = root.join("Cargo.lock");
    std::fs::copy(&lockfile, dir.join("Cargo.lock")).map_err(|e| GenError::io(&lockfile, e))?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let started = Instant::now();
    let output = Command::new(cargo)
        // not --quiet, stderr not captured: a cold clippy of a big crate takes minutes, and
        // cargo's progress is the only sign of life; diagnostics come as JSON on stdout
        .args(["clippy", "--message-format=json", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .args(args)
        // shared with generator/tests/compile.rs: same target dir and RUSTFLAGS, so the
        // dependencies are compiled once for both
        .env("CARGO_TARGET_DIR", root.join("target/compile-tests/target"))
        .env("RUSTFLAGS", "-D warnings")
        .stderr(Stdio::inherit())
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
        // cargo itself failed (resolution, network): its own words are above, on stderr
        errors.push(format!(
            "cargo clippy failed without a diagnostic ({}); its output is above",
            output.status
        ));
    }
    Ok(Check {
        seconds,
        errors,
        lints,
    })
}
