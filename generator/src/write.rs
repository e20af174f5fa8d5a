//! Step 5 of the pipeline: write the generated crate, or compare it with what is on disk.
//!
//! One function owns "write or compare", so the drift check cannot forget a file: everything
//! under the generator-owned paths is either produced now or reported as stale. It plans before
//! it acts: every file at an owned path is judged first (see [`ownership`]), and a run that
//! would touch a file the generator did not write, or a symlink, changes nothing.

pub mod out_dir;
pub mod ownership;

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::error::GenError;
use crate::format::OutputFile;

pub use ownership::{OWNED_DIRS, OWNED_FILES};

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

/// What a run will do, decided before anything is touched.
struct Plan<'a> {
    writes: Vec<(&'a OutputFile, Option<String>)>,
    removals: Vec<(String, String)>,
    unchanged: usize,
}

/// Writes `files` into `root` (or, in check mode, diffs them against it). `root` is used as
/// given; callers that take it from a user resolve and check it first ([`out_dir::checked`]).
pub fn sync(files: &[OutputFile], root: &Path, mode: Mode) -> Result<SyncReport, GenError> {
    let plan = plan(files, root)?;
    let mut report = SyncReport {
        unchanged: plan.unchanged,
        ..SyncReport::default()
    };
    match mode {
        Mode::Check => {
            for (file, old) in &plan.writes {
                let old = old.as_deref().unwrap_or_default();
                let diff = unified_diff(&file.path, old, &file.text);
                report.diffs.push((file.path.clone(), diff));
            }
            for (stale, old) in plan.removals {
                let diff = unified_diff(&stale, &old, "");
                report.diffs.push((stale, diff));
            }
        }
        Mode::Write => {
            apply(&plan, root)?;
            report.written = plan.writes.iter().map(|(f, _)| f.path.clone()).collect();
            report.removed = plan.removals.into_iter().map(|(p, _)| p).collect();
        }
    }
    Ok(report)
}

/// Fails exactly when [`sync`] would refuse `root` for `files`, touching nothing: for callers
/// that have other side effects to hold back until the output folder is known to be safe.
pub fn preflight(files: &[OutputFile], root: &Path) -> Result<(), GenError> {
    plan(files, root).map(|_| ())
}

fn plan<'a>(files: &'a [OutputFile], root: &Path) -> Result<Plan<'a>, GenError> {
    let disk = ownership::scan(root)?;
    let mut problems = disk.problems.clone();
    for file in files {
        if !ownership::is_owned_path(&file.path) {
            problems.push(ownership::Problem {
                path: file.path.clone(),
                reason: ownership::OUTSIDE_OWNED,
            });
        } else if ownership::lstat(&root.join(&file.path))?.is_some_and(|m| m.is_dir()) {
            problems.push(ownership::Problem {
                path: file.path.clone(),
                reason: ownership::FOLDER_FOR_FILE,
            });
        }
    }
    if !problems.is_empty() {
        return Err(GenError::Output {
            path: root.to_owned(),
            message: format!("nothing written: {}", describe(&problems)),
        });
    }
    let produced: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut plan = Plan {
        writes: Vec::new(),
        removals: Vec::new(),
        unchanged: 0,
    };
    for file in files {
        let current = disk
            .owned
            .get(&file.path)
            .map(|bytes| String::from_utf8_lossy(bytes).into_owned());
        if current.as_deref().map(normalize_newlines).as_deref() == Some(file.text.as_str()) {
            plan.unchanged += 1;
        } else {
            plan.writes.push((file, current));
        }
    }
    for (path, bytes) in disk.owned {
        let kept = ownership::KEPT_WHEN_NOT_PRODUCED.contains(&path.as_str());
        if !produced.contains(path.as_str()) && !kept {
            let old = String::from_utf8_lossy(&bytes).into_owned();
            plan.removals.push((path, old));
        }
    }
    Ok(plan)
}

/// One line: the problems grouped by kind, `kind: path, path; kind: path`.
fn describe(problems: &[ownership::Problem]) -> String {
    let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
    for problem in problems {
        // a file name with a newline must not break the one-line error
        let path = problem.path.escape_debug().to_string();
        match groups
            .iter_mut()
            .find(|(reason, _)| *reason == problem.reason)
        {
            Some((_, paths)) => paths.push(path),
            None => groups.push((problem.reason, vec![path])),
        }
    }
    groups
        .iter()
        .map(|(reason, paths)| format!("{reason}: {}", paths.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Carries out a plan. Each step re-checks what it touches without following links, so a
/// symlink that appears after the plan is refused rather than followed.
fn apply(plan: &Plan<'_>, root: &Path) -> Result<(), GenError> {
    std::fs::create_dir_all(root).map_err(|e| GenError::io(root, e))?;
    for (stale, _) in &plan.removals {
        let target = root.join(stale);
        match ownership::lstat(&target)? {
            Some(meta) if meta.is_file() => {
                std::fs::remove_file(&target).map_err(|e| GenError::io(&target, e))?;
            }
            Some(_) => return Err(changed_since_plan(&target)),
            None => {}
        }
    }
    for (stale, _) in &plan.removals {
        prune_emptied_dirs(root, stale);
    }
    for (file, _) in &plan.writes {
        let parent = real_dirs(root, &file.path)?;
        let target = root.join(&file.path);
        write_replacing(&parent, &target, file.text.as_bytes())?;
    }
    Ok(())
}

/// Removes the folders below an owned folder (never the owned folder itself) that removing
/// `stale` left empty, so a dropped provider leaves no empty `src/<module>/` behind. A folder
/// that still holds anything, or is not a real folder, stays.
fn prune_emptied_dirs(root: &Path, stale: &str) {
    let parts: Vec<&str> = stale.split('/').collect();
    for depth in (2..parts.len()).rev() {
        let dir = root.join(parts[..depth].join("/"));
        let is_real_dir = std::fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir());
        if !is_real_dir || std::fs::remove_dir(&dir).is_err() {
            return;
        }
    }
}

fn changed_since_plan(path: &Path) -> GenError {
    GenError::Output {
        path: path.to_owned(),
        message: "changed into a symlink or folder while the generator was writing".to_owned(),
    }
}

/// Creates the folders of `relative`'s parent under `root` one by one, refusing any that exists
/// as something other than a real folder; returns the parent folder.
fn real_dirs(root: &Path, relative: &str) -> Result<PathBuf, GenError> {
    let mut dir = root.to_path_buf();
    let mut parts: Vec<&str> = relative.split('/').collect();
    parts.pop();
    for part in parts {
        dir.push(part);
        match ownership::lstat(&dir)? {
            Some(meta) if meta.is_dir() => {}
            Some(_) => return Err(changed_since_plan(&dir)),
            None => match std::fs::create_dir(&dir) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    return Err(changed_since_plan(&dir))
                }
                Err(e) => return Err(GenError::io(&dir, e)),
            },
        }
    }
    Ok(dir)
}

/// Writes `bytes` to a new file in `parent` and renames it over `target`: a rename replaces the
/// directory entry itself, so a symlink at `target` is replaced, never written through, and a
/// reader never sees half a file.
fn write_replacing(parent: &Path, target: &Path, bytes: &[u8]) -> Result<(), GenError> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".mfa-codegen-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // what `fs::write` would create (the umask applies), not tempfile's private 0600
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder
        .tempfile_in(parent)
        .map_err(|e| GenError::io(parent, e))?;
    temp.write_all(bytes)
        .map_err(|e| GenError::io(temp.path(), e))?;
    temp.persist(target)
        .map_err(|e| GenError::io(target, e.error))?;
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
            file(
                "Cargo.toml",
                "# @generated by mfa-codegen (test)\n[package]\n",
            ),
            file(
                "src/lib.rs",
                "// @generated by mfa-codegen (test)\npub mod a;\n",
            ),
        ];
        let written = sync(&files, &dir, Mode::Write).expect("write");
        assert_eq!(written.written.len(), 2);
        assert!(sync(&files, &dir, Mode::Check).expect("check").is_clean());

        std::fs::write(
            dir.join("src/lib.rs"),
            "// @generated by mfa-codegen (test)\npub mod b;\n",
        )
        .expect("edit");
        std::fs::write(
            dir.join("src/old.rs"),
            "// @generated by mfa-codegen (test)\nstale\n",
        )
        .expect("stale");
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

    #[test]
    fn the_header_is_recognised_on_the_first_line_only() {
        use ownership::carries_generated_header as owned;
        assert!(owned(
            b"// @generated by mfa-codegen (cargo xtask regen); do not edit.\n"
        ));
        assert!(owned(
            b"# @generated by the mfa-codegen generator (x); do not edit.\n[package]"
        ));
        assert!(owned(
            b"<!-- @generated by mfa-codegen (x); do not edit. -->\n# API"
        ));
        assert!(!owned(b"fn main() {}\n// @generated by mfa-codegen\n"));
        assert!(!owned(b"// @generated by another-tool\n"));
        assert!(!owned(b"//! mentions @generated by mfa-codegen in prose\n"));
        assert!(!owned(b""));
        assert!(!owned(b"\xff\xfe// @generated by mfa-codegen\n"));
    }

    #[test]
    fn produced_paths_stay_inside_the_owned_set() {
        use ownership::is_owned_path as ok;
        for good in [
            "Cargo.toml",
            "API.md",
            "CHANGELOG.md",
            "README.md",
            "src/lib.rs",
            "src/a/b.rs",
        ] {
            assert!(ok(good), "{good}");
        }
        for bad in [
            "src",
            "src/",
            "src/../x.rs",
            "src//a.rs",
            "./src/a.rs",
            "/src/a.rs",
            "tests/a.rs",
            "CONTRIBUTING.md",
            "src/a\\..\\b.rs",
            "",
        ] {
            assert!(!ok(bad), "{bad}");
        }
    }
}
