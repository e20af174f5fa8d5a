//! The declared `rust-version` is true: no dependency in the lockfile needs a newer Rust than
//! the workspace and the generated crate declare (`cargo metadata` gives each package's own
//! `rust-version`). A dependency bump that raises the floor fails here, not on a user's older
//! toolchain.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// `1.88` or `1.88.0` as a comparable triple.
fn version(text: &str) -> (u64, u64, u64) {
    let mut parts = text.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

#[test]
fn every_declared_rust_version_covers_every_dependency_in_the_lockfile() {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        // not --offline: the lockfile names crates of every platform, and a fresh machine has
        // only downloaded those of its own
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(root())
        .output()
        .expect("run cargo metadata");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value = serde_json::from_slice(&output.stdout).expect("metadata JSON");
    let packages: BTreeMap<&str, &Value> = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .filter_map(|p| Some((p["id"].as_str()?, p)))
        .collect();
    let nodes: BTreeMap<&str, &Value> = metadata["resolve"]["nodes"]
        .as_array()
        .expect("resolve")
        .iter()
        .filter_map(|n| Some((n["id"].as_str()?, n)))
        .collect();
    let mut checked = 0;
    for member in metadata["workspace_members"].as_array().expect("members") {
        let member = member.as_str().expect("member id");
        let package = packages[member];
        let Some(declared) = package["rust_version"].as_str() else {
            continue;
        };
        checked += 1;
        // everything the member builds with: its dependencies of every kind, and theirs
        // (normal and build only: a dependency's dev-dependencies are never built)
        let mut seen = BTreeSet::new();
        let mut stack = vec![member];
        while let Some(id) = stack.pop() {
            for dep in nodes[id]["deps"].as_array().into_iter().flatten() {
                let kinds = dep["dep_kinds"].as_array().into_iter().flatten();
                let built = id == member || kinds.into_iter().any(|k| k["kind"] != "dev");
                let Some(dep_id) = dep["pkg"].as_str() else {
                    continue;
                };
                if built && seen.insert(dep_id) {
                    stack.push(dep_id);
                }
            }
        }
        let too_new: Vec<String> = seen
            .iter()
            .filter_map(|id| {
                let dep = packages[id];
                let needs = dep["rust_version"].as_str()?;
                let (name, release) = (dep["name"].as_str()?, dep["version"].as_str()?);
                (version(needs) > version(declared))
                    .then(|| format!("{name} {release} needs {needs}"))
            })
            .collect();
        assert!(
            too_new.is_empty(),
            "{} declares rust-version {declared}, but its dependencies need more:\n{}",
            package["name"].as_str().unwrap_or_default(),
            too_new.join("\n")
        );
    }
    // the workspace's crates (the runtime inherits the workspace value) and the generated one
    assert!(checked >= 2, "no workspace member declares a rust-version");
}

#[test]
fn versions_compare_numerically() {
    assert!(version("1.88") > version("1.85"));
    assert!(version("1.100") > version("1.88.1"));
    assert_eq!(version("1.88"), version("1.88.0"));
}
