//! Determinism: the generator's output is byte-identical across runs and across processes.
//!
//! Each process seeds std's `HashMap` hasher with fresh randomness, so two child processes are
//! two different hash seeds: if any output depended on hash iteration order, the runs would
//! differ (the generator keeps ordered maps everywhere; this test keeps it that way). The
//! children are this test binary re-run on the ignored `child_writes_digest` test.

#[path = "support/common.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use mfa_codegen::ProviderConfig;

const OUT_VAR: &str = "MFA_DETERMINISM_OUT";

/// Every generated file, path and text, in output order: the project crate (both providers)
/// and, when ../shared is present, every operation of the upstream OneLogin file.
fn everything() -> String {
    let root = common::workspace_root();
    let (files, _) = mfa_codegen::generate_workspace_crate(
        &root.join("specs/crate.toml"),
        false,
        &mut mfa_codegen::Formatter::plain(),
    )
    .expect("regen");
    let mut out = String::new();
    for file in &files {
        out.push_str(&format!("==== {}\n{}", file.path, file.text));
    }
    if let Some(spec) = common::upstream("onelogin/3.1.1-go-sdk-76cf9e1/openapi.yaml") {
        let mut config =
            ProviderConfig::load(&root.join("specs/onelogin.toml")).expect("onelogin config");
        config.select = Default::default();
        let run = mfa_codegen::build_provider(&config, &spec).expect("onelogin upstream");
        for w in &run.api.warnings {
            out.push_str(&format!("warning {} {}\n", w.pointer, w.message));
        }
        let files = mfa_codegen::generate_standalone(
            &config,
            &[run.api],
            "test",
            &mut mfa_codegen::Formatter::plain(),
        )
        .expect("render");
        for file in &files {
            out.push_str(&format!("==== {}\n{}", file.path, file.text));
        }
    }
    out
}

#[test]
#[ignore = "run by same_output_across_processes in a child process"]
fn child_writes_digest() {
    let Some(out) = std::env::var_os(OUT_VAR) else {
        return;
    };
    std::fs::write(out, everything()).expect("write child output");
}

fn child(out: &Path) -> String {
    let exe = std::env::current_exe().expect("test binary");
    let status = Command::new(exe)
        .args(["--exact", "child_writes_digest", "--ignored", "--quiet"])
        .env(OUT_VAR, out)
        .status()
        .expect("run child");
    assert!(status.success(), "child process failed");
    std::fs::read_to_string(out).expect("child output")
}

#[test]
fn same_output_twice_in_one_process() {
    let first = everything();
    let second = everything();
    assert!(first == second, "two runs in one process differ");
}

#[test]
fn same_output_across_processes() {
    let dir: PathBuf = std::env::temp_dir().join(format!("mfa-determinism-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let here = everything();
    let a = child(&dir.join("a.txt"));
    let b = child(&dir.join("b.txt"));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        a.len() > 100_000,
        "the children generated the crate ({} bytes)",
        a.len()
    );
    for (name, other) in [("child a", &a), ("child b", &b)] {
        if *other != here {
            let line = here
                .lines()
                .zip(other.lines())
                .position(|(x, y)| x != y)
                .unwrap_or(0);
            panic!("{name} differs from this process from line {line}");
        }
    }
}
