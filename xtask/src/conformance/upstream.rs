//! Which upstream spec files a run reads: every YAML/JSON file of a provider's folder, or the
//! newest OpenAPI 3 one for `--all-operations`.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// YAML and JSON files below `folder`, sorted, so rows come in a stable order.
pub(super) fn spec_files(folder: &Path) -> Vec<PathBuf> {
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
pub(super) fn newest(files: &[PathBuf]) -> Option<PathBuf> {
    let mut best: Option<(Vec<u64>, &PathBuf)> = None;
    for file in files {
        let Ok(raw) = mfa_codegen::load::read_raw(file) else {
            continue; // unreadable files (and Swagger before 2.0) are not candidates
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
