//! Where the generator may write at all: the output folder is resolved once, then refused if it
//! is the filesystem root, the workspace, or a folder holding the workspace's own sources.

use std::fmt;
use std::path::{Component, Path, PathBuf};

use crate::error::GenError;

/// Folders of the workspace that hold its own sources and history; generating into one of them
/// (or below) would replace them with a crate.
pub const WORKSPACE_SOURCES: &[&str] = &[
    "generator",
    "xtask",
    "templates",
    "specs",
    ".git",
    "examples",
    "docs",
    ".ci",
    ".cargo",
];

/// Why an output folder is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    FilesystemRoot,
    WorkspaceRoot,
    /// A parent of the workspace: the workspace is inside it.
    ContainsWorkspace,
    /// One of [`WORKSPACE_SOURCES`], or a folder below it.
    WorkspaceSource(&'static str),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::FilesystemRoot => f.write_str("is the filesystem root"),
            Self::WorkspaceRoot => f.write_str("is the workspace root"),
            Self::ContainsWorkspace => f.write_str("contains the workspace"),
            Self::WorkspaceSource(dir) => write!(f, "is or is inside the workspace's `{dir}/`"),
        }
    }
}

/// The decision, on canonical paths only (no filesystem access): `out` may receive a generated
/// crate unless it is the filesystem root, the workspace root, a parent of it, or at or below
/// one of the workspace's source folders. `<root>/generated` (the workspace's generated crate)
/// and any folder outside the workspace are allowed.
pub fn refuse_output_dir(out: &Path, workspace_root: &Path) -> Result<(), Refusal> {
    if out.parent().is_none() {
        return Err(Refusal::FilesystemRoot);
    }
    if out == workspace_root {
        return Err(Refusal::WorkspaceRoot);
    }
    if workspace_root.starts_with(out) {
        return Err(Refusal::ContainsWorkspace);
    }
    match WORKSPACE_SOURCES
        .iter()
        .find(|dir| out.starts_with(workspace_root.join(dir)))
    {
        Some(dir) => Err(Refusal::WorkspaceSource(dir)),
        None => Ok(()),
    }
}

/// Resolves `out` once to an absolute path without symlinks: the folder itself may be a
/// symlink (it is followed here, once), and a folder that does not exist yet resolves through
/// its nearest existing parent. Everything below the result is handled without following links.
pub fn resolve(out: &Path) -> Result<PathBuf, GenError> {
    let mut missing = Vec::new();
    let mut existing = out;
    loop {
        let probe = if existing.as_os_str().is_empty() {
            Path::new(".")
        } else {
            existing
        };
        match std::fs::canonicalize(probe) {
            Ok(resolved) => {
                if missing.is_empty() && !resolved.is_dir() {
                    return Err(GenError::Output {
                        path: out.to_owned(),
                        message: "the output is not a folder".to_owned(),
                    });
                }
                return Ok(missing.iter().rev().fold(resolved, |p, name| p.join(name)));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(GenError::io(probe, e)),
        }
        match existing.components().next_back() {
            Some(Component::Normal(name)) => missing.push(name.to_owned()),
            // `..` or `.` after a folder that does not exist has no meaning to resolve
            _ => {
                return Err(GenError::Output {
                    path: out.to_owned(),
                    message: "the output folder does not exist and cannot be resolved".to_owned(),
                })
            }
        }
        existing = existing.parent().unwrap_or_else(|| Path::new(""));
    }
}

/// `out` resolved, then checked against the workspace at `workspace_root`: the folder to write.
pub fn checked(out: &Path, workspace_root: &Path) -> Result<PathBuf, GenError> {
    let resolved = resolve(out)?;
    let root = std::fs::canonicalize(workspace_root).unwrap_or_else(|_| workspace_root.to_owned());
    refuse_output_dir(&resolved, &root).map_err(|refusal| GenError::Output {
        path: resolved.clone(),
        message: format!("refused as output folder: it {refusal}"),
    })?;
    Ok(resolved)
}
