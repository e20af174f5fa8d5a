//! `cargo xtask api-diff` and the API summary / changelog step of `cargo xtask regen`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use mfa_codegen::api_diff::{self, Change, Format, Verdict};
use mfa_codegen::surface::{self, SurfaceLine};
use mfa_codegen::{GenError, ProviderConfig};

/// Where the old spec comes from: a file, or `git:<rev>` (the config's spec file at that
/// revision of this repository).
pub enum OldSpec {
    File(PathBuf),
    Git(String),
}

impl OldSpec {
    pub fn parse(text: &str) -> Self {
        match text.strip_prefix("git:") {
            Some(rev) => Self::Git(rev.to_owned()),
            None => Self::File(PathBuf::from(text)),
        }
    }
}

pub struct DiffArgs<'a> {
    pub old: OldSpec,
    pub new: &'a Path,
    pub config: Option<&'a Path>,
    pub format: Format,
    pub deny_breaking: bool,
    pub out: Option<&'a Path>,
}

/// Loads a spec at `git:<rev>` into a temporary file; the path is the config's spec file,
/// relative to the repository root.
fn spec_at_revision(root: &Path, rev: &str, config: &ProviderConfig) -> Result<PathBuf, GenError> {
    let spec = config.spec_path();
    let absolute = std::fs::canonicalize(&spec).map_err(|e| GenError::io(&spec, e))?;
    let root = std::fs::canonicalize(root).map_err(|e| GenError::io(root, e))?;
    let relative = absolute.strip_prefix(&root).map_err(|_| {
        GenError::config(
            &spec,
            "the spec is outside the repository; git:<rev> needs a spec tracked in it",
        )
    })?;
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(&root)
        .arg("show")
        .arg(format!("{rev}:{}", relative.display()))
        .output()
        .map_err(|e| GenError::io(Path::new("git"), e))?;
    if !output.status.success() {
        return Err(GenError::config(
            &spec,
            format!(
                "git show {rev}:{} failed: {}",
                relative.display(),
                String::from_utf8_lossy(&output.stderr).trim()
            ),
        ));
    }
    let name = relative
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "spec.yaml".to_owned());
    // the revision stays out of the file name: `origin/main` would name a missing folder
    let path = std::env::temp_dir().join(format!("api-diff-{}-{name}", std::process::id()));
    std::fs::write(&path, &output.stdout).map_err(|e| GenError::io(&path, e))?;
    Ok(path)
}

pub fn api_diff(root: &Path, args: DiffArgs<'_>) -> Result<ExitCode, GenError> {
    let config = match args.config {
        Some(path) => ProviderConfig::load(path)?,
        None => ProviderConfig::everything(args.new),
    };
    let (old_path, temporary) = match &args.old {
        OldSpec::File(path) => (path.clone(), false),
        OldSpec::Git(rev) => (spec_at_revision(root, rev, &config)?, true),
    };
    let old = mfa_codegen::build_provider_for_report(&config, &old_path);
    if temporary {
        let _ = std::fs::remove_file(&old_path);
    }
    let old = old?.api;
    let new = mfa_codegen::build_provider_for_report(&config, args.new)?.api;
    let mut changes = api_diff::diff(&surface::surface(&old), &surface::surface(&new));
    changes.extend(api_diff::documentation_changes(&old, &new));
    changes.sort();
    let title = format!(
        "{} {} -> {} ({})",
        config.provider.title, old.spec_version, new.spec_version, config.provider.module
    );
    let text = api_diff::report(&title, &changes, args.format);
    match args.out {
        Some(path) => std::fs::write(path, &text).map_err(|e| GenError::io(path, e))?,
        None => print!("{text}"),
    }
    let breaking = api_diff::verdict(&changes) == Verdict::Major;
    Ok(if breaking && args.deny_breaking {
        eprintln!("api-diff: breaking changes found (--deny breaking)");
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The changes of a fresh generation against the committed `API.md`, per provider module.
pub fn against_committed(
    committed_api_md: Option<&str>,
    fresh_api_md: &str,
    modules: &[String],
) -> Vec<(String, Vec<Change>)> {
    let old = committed_api_md.map(surface::parse).unwrap_or_default();
    let new = surface::parse(fresh_api_md);
    let of = |lines: &[SurfaceLine], module: &str| -> Vec<SurfaceLine> {
        let prefix = format!("{module} ");
        lines
            .iter()
            .filter(|l| l.key.starts_with(&prefix))
            .cloned()
            .collect()
    };
    modules
        .iter()
        .map(|m| (m.clone(), api_diff::diff(&of(&old, m), &of(&new, m))))
        .collect()
}

/// Writes a changelog entry for `changes` at the top of `CHANGELOG.md` (after its title).
pub fn write_changelog(
    path: &Path,
    version: &str,
    per_provider: &[(String, Vec<Change>)],
) -> Result<(), GenError> {
    let existing = std::fs::read_to_string(path).unwrap_or_default();
    let mut entry = format!("## {version}\n\n");
    for (module, changes) in per_provider {
        if changes.is_empty() {
            continue;
        }
        entry.push_str(&format!("### {module}: {}\n\n", api_diff::summary(changes)));
        for c in changes {
            entry.push_str(&format!(
                "- {} {}: `{}` ({})\n",
                c.class.as_str(),
                c.action(),
                c.key,
                c.reason
            ));
        }
        entry.push('\n');
    }
    let title = "# Changelog\n\n";
    let body = existing.strip_prefix(title).unwrap_or(&existing);
    let text = format!("{title}{entry}{body}");
    std::fs::write(path, text).map_err(|e| GenError::io(path, e))
}

/// Replaces the `[package]` version in `crate.toml`.
pub fn bump_version(crate_toml: &Path, old: &str, new: &str) -> Result<(), GenError> {
    let text = std::fs::read_to_string(crate_toml).map_err(|e| GenError::io(crate_toml, e))?;
    let from = format!("version = \"{old}\"");
    if !text.contains(&from) {
        return Err(GenError::config(
            crate_toml,
            format!("no `{from}` line to bump"),
        ));
    }
    let text = text.replacen(&from, &format!("version = \"{new}\""), 1);
    std::fs::write(crate_toml, text).map_err(|e| GenError::io(crate_toml, e))
}
