//! Step 5 of the pipeline: write the generated crate, or compare it with what is on disk.
//!
//! One function owns "write or compare", so the drift check cannot forget a file: everything
//! under the generator-owned paths is either produced now or reported as stale.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::error::GenError;
use crate::format::OutputFile;

/// Paths (relative to the crate root) that belong to the generator. Anything else in the
/// crate (tests, examples, CHANGELOG) is hand-written and never touched.
pub const OWNED_FILES: &[&str] = &["Cargo.toml", "API.md"];
pub const OWNED_DIRS: &[&str] = &["src"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

#[derive(Debug, Default)]
pub struct SyncReport {
    pub written: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
    /// In check mode: a unified diff per differing file (stale files diff against nothing).
    pub diffs: Vec<(String, String)>,
}

impl SyncReport {
    pub fn is_clean(&self) -> bool {
        self.diffs.is_empty()
    }
}

fn normalize_newlines(text: &str) -> String {
    text.replace("\r\n", "\n")
}

pub fn sync(files: &[OutputFile], root: &Path, mode: Mode) -> Result<SyncReport, GenError> {
    let mut report = SyncReport::default();
    let produced: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for file in files {
        let target = root.join(&file.path);
        let current = match std::fs::read_to_string(&target) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(GenError::io(&target, e)),
        };
        if current.as_deref().map(normalize_newlines).as_deref() == Some(file.text.as_str()) {
            report.unchanged += 1;
            continue;
        }
        match mode {
            Mode::Check => {
                let old = current.unwrap_or_default();
                report.diffs.push((
                    file.path.clone(),
                    unified_diff(&file.path, &old, &file.text),
                ));
            }
            Mode::Write => {
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| GenError::io(parent, e))?;
                }
                std::fs::write(&target, &file.text).map_err(|e| GenError::io(&target, e))?;
                report.written.push(file.path.clone());
            }
        }
    }
    for stale in owned_files_on_disk(root)? {
        if produced.contains(stale.as_str()) {
            continue;
        }
        let target = root.join(&stale);
        match mode {
            Mode::Check => {
                let old = std::fs::read_to_string(&target).unwrap_or_default();
                report
                    .diffs
                    .push((stale.clone(), unified_diff(&stale, &old, "")));
            }
            Mode::Write => {
                std::fs::remove_file(&target).map_err(|e| GenError::io(&target, e))?;
                report.removed.push(stale);
            }
        }
    }
    Ok(report)
}

/// Generator-owned files currently on disk, as sorted relative paths with `/` separators.
pub fn owned_files_on_disk(root: &Path) -> Result<Vec<String>, GenError> {
    let mut out = Vec::new();
    for file in OWNED_FILES {
        if root.join(file).is_file() {
            out.push((*file).to_owned());
        }
    }
    for dir in OWNED_DIRS {
        walk(&root.join(dir), &PathBuf::from(dir), &mut out)?;
    }
    out.sort();
    Ok(out)
}

fn walk(dir: &Path, relative: &Path, out: &mut Vec<String>) -> Result<(), GenError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(GenError::io(dir, e)),
    };
    for entry in entries {
        let entry = entry.map_err(|e| GenError::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let rel = relative.join(&name);
        if path.is_dir() {
            walk(&path, &rel, out)?;
        } else {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            text: text.into(),
        }
    }

    #[test]
    fn check_reports_changed_missing_and_stale_files() {
        let dir = std::env::temp_dir().join(format!("mfa-codegen-write-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let files = vec![
            file("Cargo.toml", "[package]\n"),
            file("src/lib.rs", "pub mod a;\n"),
        ];
        let written = sync(&files, &dir, Mode::Write).expect("write");
        assert_eq!(written.written.len(), 2);
        assert!(sync(&files, &dir, Mode::Check).expect("check").is_clean());

        std::fs::write(dir.join("src/lib.rs"), "pub mod b;\n").expect("edit");
        std::fs::write(dir.join("src/old.rs"), "stale\n").expect("stale");
        std::fs::create_dir_all(dir.join("tests")).expect("tests dir");
        std::fs::write(dir.join("tests/mine.rs"), "hand-written\n").expect("hand-written");
        let report = sync(&files, &dir, Mode::Check).expect("check");
        let named: Vec<&str> = report.diffs.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(named, ["src/lib.rs", "src/old.rs"]);
        assert!(report.diffs[0].1.contains("-pub mod b;"));
        assert!(report.diffs[0].1.contains("+pub mod a;"));

        let report = sync(&files, &dir, Mode::Write).expect("rewrite");
        assert_eq!(report.removed, ["src/old.rs"]);
        assert!(
            dir.join("tests/mine.rs").exists(),
            "hand-written files are never touched"
        );
        assert!(sync(&files, &dir, Mode::Check).expect("check").is_clean());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
