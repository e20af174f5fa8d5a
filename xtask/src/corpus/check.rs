//! `cargo check` of one generated crate with the corpus's shared target dir, its JSON
//! diagnostics read back into errors.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

pub(crate) struct Check {
    /// rustc errors, first lines of each (warnings count: `-D warnings`).
    pub errors: Vec<String>,
}

pub(super) fn cargo_check(root: &Path, dir: &Path) -> Check {
    // the workspace's lockfile: the same dependency versions as the project, no resolution
    let lockfile = root.join("Cargo.lock");
    if let Err(e) = std::fs::copy(&lockfile, dir.join("Cargo.lock")) {
        return Check {
            errors: vec![format!("copying {}: {e}", lockfile.display())],
        };
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "check",
            "--quiet",
            "--message-format=json",
            "--manifest-path",
        ])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target/corpus-target"))
        .env("RUSTFLAGS", "-D warnings")
        .output();
    let output = match output {
        Ok(output) => output,
        Err(e) => {
            return Check {
                errors: vec![format!("running cargo: {e}")],
            }
        }
    };
    let mut errors = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-message" {
            continue;
        }
        let diagnostic = &message["message"];
        let text = diagnostic["message"].as_str().unwrap_or("");
        if diagnostic["level"] == "error" && !text.starts_with("aborting due to") {
            let rendered = diagnostic["rendered"].as_str().unwrap_or(text);
            errors.push(rendered.lines().take(8).collect::<Vec<_>>().join("\n"));
        }
    }
    if !output.status.success() && errors.is_empty() {
        // cargo itself failed (resolution, network): its own words
        errors.push(String::from_utf8_lossy(&output.stderr).trim().to_owned());
    }
    Check { errors }
}
