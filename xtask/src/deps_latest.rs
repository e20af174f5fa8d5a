//! `cargo xtask deps-latest`: the generated crate against the newest compatible versions of
//! its dependencies, so the next upstream deprecation or break is found here, not by a user
//! whose fresh lockfile resolves newer versions than ours.
//!
//! Copies `generated/` to `target/deps-latest/idp-mfa/` as a workspace of its own, with the
//! workspace's `Cargo.lock`; `cargo update` there (every dependency to its newest
//! semver-compatible release); then `cargo clippy --all-targets --all-features -- -D warnings`
//! and `cargo test`. Cargo's output streams; a banner at the end names what is newer than our
//! lockfile and which step failed. The exit code is 1 on a finding: `.ci/run` prints it
//! without blocking the landing (an upstream release is no fault of the change under test),
//! and the finding is fixed in the next change.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use mfa_codegen::GenError;

pub struct Args {
    /// Cargo's target dir for the checks (default: the workspace's `target/`, so the
    /// dependencies that did not change are not compiled again).
    pub target_dir: Option<PathBuf>,
}

/// One step's verdict, for the closing banner.
struct Step {
    command: &'static str,
    passed: bool,
}

pub fn run(root: &Path, args: Args) -> Result<ExitCode, GenError> {
    let scratch = root.join("target/deps-latest/idp-mfa");
    if scratch.exists() {
        fs::remove_dir_all(&scratch).map_err(|e| GenError::io(&scratch, e))?;
    }
    copy_dir(&root.join("generated"), &scratch)?;
    let manifest = scratch.join("Cargo.toml");
    let text = fs::read_to_string(&manifest).map_err(|e| GenError::io(&manifest, e))?;
    fs::write(&manifest, standalone_manifest(&text)).map_err(|e| GenError::io(&manifest, e))?;
    let lockfile = root.join("Cargo.lock");
    fs::copy(&lockfile, scratch.join("Cargo.lock")).map_err(|e| GenError::io(&lockfile, e))?;

    let target_dir = args.target_dir.unwrap_or_else(|| root.join("target"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let cargo_in = |args: &[&str]| {
        let mut command = Command::new(&cargo);
        command
            .args(args)
            .current_dir(&scratch)
            .env("CARGO_TARGET_DIR", &target_dir);
        command
    };

    eprintln!("deps-latest: cargo update in {}", scratch.display());
    let update = cargo_in(&["update"])
        .output()
        .map_err(|e| GenError::io(&scratch, e))?;
    let update_log = String::from_utf8_lossy(&update.stderr);
    eprint!("{update_log}");
    let newer = newer_versions(&update_log);

    let mut steps = vec![Step {
        command: "cargo update",
        passed: update.status.success(),
    }];
    if update.status.success() {
        for (command, args) in [
            (
                "cargo clippy --all-targets --all-features -- -D warnings",
                &[
                    "clippy",
                    "--all-targets",
                    "--all-features",
                    "--",
                    "-D",
                    "warnings",
                ][..],
            ),
            ("cargo test", &["test"][..]),
        ] {
            eprintln!("deps-latest: {command}");
            let status = cargo_in(args)
                .status()
                .map_err(|e| GenError::io(&scratch, e))?;
            steps.push(Step {
                command,
                passed: status.success(),
            });
        }
    }
    let failed: Vec<&str> = steps
        .iter()
        .filter(|s| !s.passed)
        .map(|s| s.command)
        .collect();
    eprintln!("{}", banner(&newer, &failed));
    Ok(if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The generated manifest as a workspace of its own: the copy lives under the workspace's
/// `target/`, and cargo would otherwise look for it among the parent workspace's members.
fn standalone_manifest(manifest: &str) -> String {
    if manifest.lines().any(|line| line.trim() == "[workspace]") {
        return manifest.to_owned();
    }
    format!("{manifest}\n[workspace]\n")
}

/// `name old -> new` for every package `cargo update` moved (its `Updating` and `Adding`
/// lines), in cargo's order.
fn newer_versions(update_log: &str) -> Vec<String> {
    update_log
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line
                .strip_prefix("Updating ")
                .or_else(|| line.strip_prefix("Adding "))?;
            // `Updating crates.io index` is not a package
            (rest.contains(" v") || rest.contains(" -> ")).then(|| rest.to_owned())
        })
        .collect()
}

/// The closing report: loud, since CI does not stop on it.
fn banner(newer: &[String], failed: &[&str]) -> String {
    let rule = "=".repeat(78);
    let mut out = format!("\n{rule}\n");
    if failed.is_empty() {
        out.push_str("deps-latest: OK with the newest compatible dependency versions\n");
    } else {
        out.push_str(
            "deps-latest: FINDING: the generated crate fails with the newest compatible \
             dependency versions\n",
        );
        for command in failed {
            out.push_str(&format!("  failed: {command} (its output is above)\n"));
        }
    }
    if newer.is_empty() {
        out.push_str("  Cargo.lock already has the newest compatible versions\n");
    } else {
        out.push_str("  newer than Cargo.lock:\n");
        for package in newer {
            out.push_str(&format!("    {package}\n"));
        }
    }
    if !failed.is_empty() && !newer.is_empty() {
        out.push_str(
            "  A user with a fresh lockfile sees this now. Fix it in the next change, then run \
             `cargo update` in the workspace and commit Cargo.lock.\n",
        );
    } else if !failed.is_empty() {
        out.push_str("  No dependency moved: the crate fails with the lockfile's own versions.\n");
    }
    out.push_str(&rule);
    out
}

/// Copies a folder tree (files and folders; symlinks are not followed: there are none in
/// `generated/`, and following one could copy from outside it).
fn copy_dir(from: &Path, to: &Path) -> Result<(), GenError> {
    fs::create_dir_all(to).map_err(|e| GenError::io(to, e))?;
    for entry in fs::read_dir(from).map_err(|e| GenError::io(from, e))? {
        let entry = entry.map_err(|e| GenError::io(from, e))?;
        let kind = entry
            .file_type()
            .map_err(|e| GenError::io(&entry.path(), e))?;
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else if kind.is_file() {
            fs::copy(entry.path(), &target).map_err(|e| GenError::io(&entry.path(), e))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_updated_packages_are_read_from_cargo_update() {
        let log = "    Updating crates.io index\n     Locking 2 packages to latest compatible \
                   versions\n    Updating rustls v0.23.46 -> v0.23.48\n      Adding \
                   aws-lc-rs v1.19.0\n    Removing ring v0.17.14\n";
        assert_eq!(
            newer_versions(log),
            ["rustls v0.23.46 -> v0.23.48", "aws-lc-rs v1.19.0"]
        );
    }

    #[test]
    fn the_banner_names_the_failed_steps_and_the_newer_versions() {
        let text = banner(&["rustls v0.23.46 -> v0.23.48".to_owned()], &["cargo test"]);
        assert!(text.contains("FINDING"), "{text}");
        assert!(text.contains("failed: cargo test"), "{text}");
        assert!(text.contains("rustls v0.23.46 -> v0.23.48"), "{text}");
        assert!(banner(&[], &[]).contains("OK"));
    }

    #[test]
    fn the_copy_is_a_workspace_of_its_own_once() {
        let once = standalone_manifest("[package]\nname = \"x\"\n");
        assert!(once.ends_with("\n[workspace]\n"), "{once}");
        assert_eq!(standalone_manifest(&once), once);
    }
}
