//! `cargo xtask bench`: generator speed, peers (openapi-generator, progenitor) on the same
//! inputs, build times of the generated crates, and the client's per-call overhead.
//!
//! Machines are noisy: every figure is the min and median of several runs, and comparisons
//! are ratios measured in the same run. Peers are installed into `target/bench-cache/`.

mod builds;
mod generator;
mod peers;
mod per_call;
mod stats;
// --tag-features: whole Okta with a Cargo feature per tag
mod tag_features;

use builds::build_rows;
use generator::generator_rows;
use peers::peer_rows;
use per_call::{decode_rows, per_call_rows};

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use mfa_codegen::GenError;

pub struct BenchArgs {
    pub runs: usize,
    pub peers: bool,
    pub builds: bool,
    pub per_call: bool,
    /// Only the per-tag feature builds of `specs/okta-whole.toml`.
    pub tag_features: bool,
}

/// Where the peers and their inputs are installed (never committed).
fn cache(root: &Path) -> PathBuf {
    root.join("target/bench-cache")
}

/// A label as a file name: ASCII letters and digits, the rest `-`.
fn slug(label: &str) -> String {
    label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// Runs a command to its end without input: whether it succeeded, and stderr then stdout.
fn run_quiet(command: &mut Command) -> Result<(bool, String), GenError> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| GenError::io(Path::new("(peer command)"), e))?;
    let mut text = String::from_utf8_lossy(&output.stderr).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stdout));
    Ok((output.status.success(), text))
}

pub fn bench(root: &Path, args: BenchArgs) -> Result<ExitCode, GenError> {
    if cfg!(debug_assertions) {
        // timings of a debug build say nothing: run the release build of this command
        let mut command = Command::new("cargo");
        command
            .args(["run", "--quiet", "--release", "-p", "xtask", "--", "bench"])
            .arg("--runs")
            .arg(args.runs.to_string())
            .current_dir(root);
        for (flag, on) in [
            ("--skip-peers", !args.peers),
            ("--skip-builds", !args.builds),
            ("--skip-per-call", !args.per_call),
            ("--tag-features", args.tag_features),
        ] {
            if on {
                command.arg(flag);
            }
        }
        let status = command
            .status()
            .map_err(|e| GenError::io(Path::new("cargo"), e))?;
        return Ok(if status.success() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    if args.tag_features {
        let mut rows = vec![
            "## Per-tag features: whole Okta, compiling only what a team uses (debug)".to_owned(),
            String::new(),
        ];
        tag_features::tag_feature_rows(root, args.runs.min(3), &mut rows)?;
        println!("{}", rows.join("\n"));
        return Ok(ExitCode::SUCCESS);
    }
    let mut rows = vec![
        "## Generator (release build, warm; min / median of runs)".to_owned(),
        String::new(),
        "| input | parse alone | pipeline, cold | cold / parse | pipeline, format cache warm | warm / parse |".to_owned(),
        "|---|---|---|---|---|---|".to_owned(),
    ];
    generator_rows(root, args.runs, &mut rows)?;
    if args.peers {
        rows.extend([
            String::new(),
            "## Peers on the same inputs (wall time of the tool, min / median)".to_owned(),
            String::new(),
            "| input | ours (cold, no format cache) | openapi-generator 7.17.0 (`-g rust`) | cargo-progenitor |".to_owned(),
            "|---|---|---|---|".to_owned(),
        ]);
        peer_rows(root, args.runs, &mut rows)?;
    }
    if args.builds {
        rows.extend([
            String::new(),
            "## Build time of the generated crate (debug)".to_owned(),
            String::new(),
            "| crate | lines of Rust | clean, with dependencies | crate only, touched (incremental) | crate only, from scratch (`CARGO_INCREMENTAL=0`) |"
                .to_owned(),
            "|---|---|---|---|---|".to_owned(),
        ]);
        build_rows(root, args.runs.min(3), &mut rows)?;
    }
    if args.per_call {
        rows.extend([
            String::new(),
            "## Per-call overhead (divan: `get_factor` vs hand-written reqwest, loopback)"
                .to_owned(),
            String::new(),
        ]);
        per_call_rows(root, &mut rows)?;
        rows.extend([
            String::new(),
            "## Decode (divan: the generated `Deserialize` vs serde's derive on the same shape)"
                .to_owned(),
            String::new(),
        ]);
        decode_rows(root, &mut rows)?;
    }
    println!("{}", rows.join("\n"));
    Ok(ExitCode::SUCCESS)
}
