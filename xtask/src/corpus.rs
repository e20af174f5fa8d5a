//! `cargo xtask corpus`: the generator against every spec of `../shared/openapi-corpus/`
//! (real public Swagger 2.0, OpenAPI 3.0 and 3.1 files, listed in its `corpus.tsv`).
//!
//! Each spec is generated with the generator library and no provider config (as `cargo xtask
//! generate --spec` does) into its own standalone crate under `target/corpus/<name>/`, and all
//! of them are `cargo check`ed with one shared `CARGO_TARGET_DIR` (`target/corpus-target`), so
//! the dependencies build once. One progress line per spec goes to stderr as it finishes; the
//! table (plain or `--markdown`, for docs/conformance.md) goes to stdout at the end.
//!
//! The run fails when a spec that is expected to generate and compile does not, and also when
//! a spec listed in [`expected::FAILURES`] passes (so the list shrinks with every fix).

mod check;
mod expected;
mod list;
mod report;

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use mfa_codegen::ir::{WarningEffect, WarningKind};
use mfa_codegen::write::{self, Mode};
use mfa_codegen::{GenError, ProviderConfig};

pub use list::Subset;

pub struct Args {
    /// Only the specs whose path contains one of these substrings (all when empty).
    pub only: Vec<String>,
    pub subset: Option<Subset>,
    /// Print the table as Markdown.
    pub markdown: bool,
    /// Generate only; skip `cargo check`.
    pub no_check: bool,
    /// The corpus folder; default `../shared/openapi-corpus` beside the workspace.
    pub corpus: Option<PathBuf>,
}

/// One spec's result.
pub(crate) struct Row {
    /// Path relative to the corpus folder.
    spec: String,
    /// `swagger` / `openapi` version from corpus.tsv.
    version: String,
    /// Operations the spec declares (corpus.tsv).
    spec_operations: usize,
    generated: Result<Generated, String>,
    seconds: f64,
}

pub(crate) struct Generated {
    operations: usize,
    /// JSON-fallback warnings: one per position typed `serde_json::Value`.
    untyped: usize,
    /// Positions typed `serde_json::Value` in the IR; equal to `untyped` unless a position
    /// lacks its warning (or a warning its position).
    positions: usize,
    warnings: BTreeMap<WarningKind, usize>,
    /// `None` with `--no-check`.
    check: Option<check::Check>,
}

impl Row {
    /// Generated with one warning per untyped position, and compiled unless the check was
    /// skipped.
    fn passed(&self) -> bool {
        match &self.generated {
            Err(_) => false,
            Ok(g) => {
                g.untyped == g.positions && g.check.as_ref().is_none_or(|c| c.errors.is_empty())
            }
        }
    }
}

pub fn run(root: &Path, args: Args) -> Result<ExitCode, GenError> {
    let corpus = args
        .corpus
        .clone()
        .unwrap_or_else(|| root.join("../shared/openapi-corpus"));
    let index = corpus.join("corpus.tsv");
    if !index.is_file() {
        println!(
            "notice: {} not found; no corpus to check (corpus skipped)",
            index.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let entries = list::read(&index)?;
    let chosen = list::choose(&entries, &args.only, args.subset);
    if chosen.is_empty() {
        eprintln!("corpus: no spec matches the selection");
        return Ok(ExitCode::FAILURE);
    }
    let started = Instant::now();
    let mut rows = Vec::new();
    for (i, entry) in chosen.iter().enumerate() {
        let row = one(root, &corpus, entry, args.no_check);
        eprintln!(
            "corpus: [{}/{}] {}",
            i + 1,
            chosen.len(),
            report::progress(&row)
        );
        rows.push(row);
    }
    let table = if args.markdown {
        report::markdown(&rows)
    } else {
        report::plain(&rows)
    };
    print!("{table}");
    let surprises = expected::surprises(&rows);
    let total = started.elapsed().as_secs_f64();
    let untyped: usize = rows
        .iter()
        .filter_map(|r| r.generated.as_ref().ok())
        .map(|g| g.untyped)
        .sum();
    let passed = rows.iter().filter(|r| r.passed()).count();
    eprintln!(
        "corpus: {passed} of {} specs {}, {untyped} untyped positions, {total:.0} s",
        rows.len(),
        if args.no_check {
            "generated"
        } else {
            "generated and compiled"
        }
    );
    if surprises.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    for surprise in &surprises {
        eprintln!("corpus: {surprise}");
    }
    eprintln!("corpus: FAILED");
    Ok(ExitCode::FAILURE)
}

/// Generates, writes and checks one spec. A generator error or panic is the row's result, not
/// the run's: the other specs still run.
fn one(root: &Path, corpus: &Path, entry: &list::Entry, no_check: bool) -> Row {
    let started = Instant::now();
    let file = corpus.join(&entry.file);
    let generated = match catch_unwind(AssertUnwindSafe(|| generate(root, &file, &entry.file))) {
        Ok(Ok((mut generated, dir))) => {
            if !no_check {
                generated.check = Some(check::cargo_check(root, &dir));
            }
            Ok(generated)
        }
        // the spec's path relative to the corpus reads the same on every machine
        Ok(Err(e)) => Err(e
            .to_string()
            .replace(&file.display().to_string(), &entry.file)),
        Err(panic) => Err(format!(
            "generator panicked: {}",
            panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)")
        )),
    };
    Row {
        spec: entry.file.clone(),
        version: entry.version.clone(),
        spec_operations: entry.operations,
        generated,
        seconds: started.elapsed().as_secs_f64(),
    }
}

fn generate(root: &Path, file: &Path, name: &str) -> Result<(Generated, PathBuf), GenError> {
    let config = ProviderConfig::everything(file);
    let run = mfa_codegen::build_provider(&config, file)?;
    let files = mfa_codegen::generate_standalone(
        &config,
        std::slice::from_ref(&run.api),
        &format!("cargo xtask corpus --only {name}"),
        &mut mfa_codegen::Formatter::plain(),
    )?;
    let dir = root.join("target/corpus").join(list::slug(name));
    write::sync(&files, &dir, Mode::Write)?;
    let mut warnings: BTreeMap<WarningKind, usize> = BTreeMap::new();
    for w in &run.api.warnings {
        *warnings.entry(w.kind).or_default() += 1;
    }
    let untyped = run
        .api
        .warnings
        .iter()
        .filter(|w| w.kind.effect() == WarningEffect::JsonFallback)
        .count();
    Ok((
        Generated {
            operations: run.api.operations.len(),
            untyped,
            positions: run.api.untyped_positions(),
            warnings,
            check: None,
        },
        dir,
    ))
}
