//! Developer tasks: `cargo xtask regen [--check] [--changelog]`, `cargo xtask generate --spec ...
//! --out ...`, `cargo xtask api-diff OLD NEW`, `cargo xtask conformance [--all-operations]`,
//! `cargo xtask corpus [--subset fast] [--only SPEC]... [--markdown]`.

mod api_changes;
mod bench;
mod conformance;
mod corpus;
mod deps_latest;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use mfa_codegen::write::{self, Mode};
use mfa_codegen::{CrateConfig, Formatter, GenError, ProviderConfig};

// see the note on the dependency in Cargo.toml
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "xtask", about = "Developer tasks for the MFA SDK generator")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate `generated/` from `specs/`.
    Regen {
        /// Write nothing; exit 1 with a unified diff if `generated/` is not up to date.
        #[arg(long)]
        check: bool,
        /// Compare/write this directory instead of `generated/` (for tests of the drift check).
        #[arg(long, hide = true)]
        generated_dir: Option<PathBuf>,
        /// A wire patch whose target is absent, an unknown keyword (`requried:`) or an unknown
        /// `type` is an error, not a warning.
        #[arg(long)]
        strict: bool,
        /// When the public API changed: bump the version in specs/crate.toml per the semver
        /// verdict and add an entry to generated/CHANGELOG.md.
        #[arg(long, conflicts_with = "check")]
        changelog: bool,
        /// Format every item from scratch instead of reusing the ones an earlier run of this
        /// binary formatted (kept under target/mfa-codegen/).
        #[arg(long)]
        no_cache: bool,
    },
    /// Compare the generated API of two specs: breaking / additive / documentation changes and
    /// a semver verdict.
    ApiDiff {
        /// The old spec file, or `git:<rev>` for the config's spec at that git revision.
        old: String,
        /// The new spec file.
        new: PathBuf,
        /// Provider config (selection, naming); default: every operation.
        #[arg(long)]
        config: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: ReportFormat,
        /// `--deny breaking`: exit 1 when a change is breaking.
        #[arg(long, value_enum)]
        deny: Option<Deny>,
        /// Write the report to this file instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Benchmarks: generator speed, openapi-generator and progenitor on the same inputs, build
    /// times of the generated crates, per-call overhead. Prints Markdown (see docs/benchmarks.md).
    Bench {
        /// Runs per measurement (min and median are reported).
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Skip installing and timing openapi-generator and progenitor.
        #[arg(long)]
        skip_peers: bool,
        /// Skip the clean and incremental build timings.
        #[arg(long)]
        skip_builds: bool,
        /// Skip the per-call overhead benchmark.
        #[arg(long)]
        skip_per_call: bool,
        /// Only the per-tag feature builds of specs/okta-whole.toml (one tag, about 160
        /// operations, all) against idp-mfa and the same spec as one module.
        #[arg(long)]
        tag_features: bool,
    },
    /// Generate and `cargo clippy` a crate from every upstream spec in ../shared/upstream-specs
    /// with the matching provider config; print a Markdown table (see docs/conformance.md).
    Conformance {
        /// Every operation of the newest OpenAPI 3 file of each provider instead of the
        /// config's selection (slow: minutes of cargo clippy for Okta).
        #[arg(long)]
        all_operations: bool,
        /// Generate and report only, without cargo clippy.
        #[arg(long)]
        no_check: bool,
        /// The upstream spec folder (default: ../shared/upstream-specs).
        #[arg(long)]
        upstream: Option<PathBuf>,
    },
    /// Check the generated crate against the newest compatible dependency versions: a copy,
    /// `cargo update`, clippy (all targets, all features, `-D warnings`) and the tests.
    DepsLatest {
        /// Cargo target dir for the checks (default: the workspace's `target/`).
        #[arg(long)]
        target_dir: Option<PathBuf>,
    },
    /// Generate and `cargo check` a standalone crate for every spec of
    /// ../shared/openapi-corpus (see docs/conformance.md); one progress line per spec.
    Corpus {
        /// Only the specs whose path contains this text (repeatable).
        #[arg(long)]
        only: Vec<String>,
        /// A fixed handful of small specs (2.0, 3.0, 3.1) for CI.
        #[arg(long, value_enum)]
        subset: Option<corpus::Subset>,
        /// Print the table as Markdown (for docs/conformance.md).
        #[arg(long)]
        markdown: bool,
        /// Generate only, without cargo check.
        #[arg(long)]
        no_check: bool,
        /// The corpus folder (default: ../shared/openapi-corpus).
        #[arg(long)]
        corpus: Option<PathBuf>,
    },
    /// Generate a standalone crate for any spec into a directory.
    Generate {
        /// OpenAPI 3.0 spec file (YAML or JSON).
        #[arg(long)]
        spec: PathBuf,
        /// Provider config (operation selection, naming fix-ups); default: every operation.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Output directory for the crate. The generator owns `Cargo.toml`, `API.md`,
        /// `CHANGELOG.md` and `src/` there and only ever replaces files it wrote; anything else
        /// (tests/, examples/) is left alone.
        #[arg(long)]
        out: PathBuf,
        /// A wire patch whose target is absent, an unknown keyword (`requried:`) or an unknown
        /// `type` is an error, not a warning.
        #[arg(long)]
        strict: bool,
        /// Format every item from scratch (see `regen --no-cache`).
        #[arg(long)]
        no_cache: bool,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ReportFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Deny {
    Breaking,
}

fn workspace_root() -> PathBuf {
    // xtask lives one level below the workspace root
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The formatter of a command: remembering formatted items in `target/mfa-codegen/` under
/// `name` unless `no_cache`.
fn formatter(name: &str, no_cache: bool) -> Formatter {
    if no_cache {
        return Formatter::plain();
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    Formatter::cached(target.join("mfa-codegen/format-cache").join(name))
}

/// Stores the formatter's cache; failing to only costs speed next time, so it is a warning.
fn save_cache(formatter: &Formatter) {
    if let Err(e) = formatter.save() {
        eprintln!("warning: format cache not saved: {e}");
    }
    if let Some((hits, items)) = formatter.cache_hits() {
        eprintln!("format: {hits} of {items} items reused from the format cache");
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Regen {
            check,
            generated_dir,
            changelog,
            strict,
            no_cache,
        } => regen(
            check,
            generated_dir,
            changelog,
            strict,
            &mut formatter("regen", no_cache),
        ),
        Command::ApiDiff {
            old,
            new,
            config,
            format,
            deny,
            out,
        } => api_changes::api_diff(
            &workspace_root(),
            api_changes::DiffArgs {
                old: api_changes::OldSpec::parse(&old),
                new: &new,
                config: config.as_deref(),
                format: match format {
                    ReportFormat::Text => mfa_codegen::api_diff::Format::Text,
                    ReportFormat::Markdown => mfa_codegen::api_diff::Format::Markdown,
                    ReportFormat::Json => mfa_codegen::api_diff::Format::Json,
                },
                deny_breaking: matches!(deny, Some(Deny::Breaking)),
                out: out.as_deref(),
            },
        ),
        Command::Generate {
            spec,
            config,
            out,
            strict,
            no_cache,
        } => generate(
            &spec,
            config.as_deref(),
            &out,
            strict,
            // one cache per output directory, so generating two specs in turn keeps both
            &mut formatter(
                &format!(
                    "generate-{}",
                    out.file_name().unwrap_or_default().to_string_lossy()
                ),
                no_cache,
            ),
        ),
        Command::Bench {
            runs,
            skip_peers,
            skip_builds,
            skip_per_call,
            tag_features,
        } => bench::bench(
            &workspace_root(),
            bench::BenchArgs {
                runs,
                peers: !skip_peers,
                builds: !skip_builds,
                per_call: !skip_per_call,
                tag_features,
            },
        ),
        Command::Conformance {
            all_operations,
            no_check,
            upstream,
        } => conformance::run(
            &workspace_root(),
            conformance::Args {
                all_operations,
                no_check,
                upstream,
            },
        ),
        Command::DepsLatest { target_dir } => {
            deps_latest::run(&workspace_root(), deps_latest::Args { target_dir })
        }
        Command::Corpus {
            only,
            subset,
            markdown,
            no_check,
            corpus,
        } => corpus::run(
            &workspace_root(),
            corpus::Args {
                only,
                subset,
                markdown,
                no_check,
                corpus,
            },
        ),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn regen(
    check: bool,
    generated_dir: Option<PathBuf>,
    changelog: bool,
    strict: bool,
    formatter: &mut Formatter,
) -> Result<ExitCode, GenError> {
    let root = workspace_root();
    let target = write::out_dir::checked(
        &generated_dir.unwrap_or_else(|| root.join("generated")),
        &root,
    )?;
    let crate_toml = root.join("specs/crate.toml");
    let started = Instant::now();
    let (mut files, mut runs) =
        mfa_codegen::generate_workspace_crate(&crate_toml, strict, formatter)?;
    // a folder the writer would refuse is refused before the changelog step edits specs/
    write::preflight(&files, &target)?;
    let mut modules: Vec<String> = runs.iter().map(|r| r.api.module.clone()).collect();
    let committed = std::fs::read_to_string(target.join("API.md")).ok();
    // the runtime's public items are in API.md too, under their own module name; an API.md
    // from before they were listed has no such section, and their first listing is not a
    // change of the API
    if committed
        .as_deref()
        .is_some_and(|text| text.contains("\n## Runtime (`runtime`)"))
    {
        modules.push(mfa_codegen::surface::runtime::MODULE.to_owned());
    }
    let fresh = files
        .iter()
        .find(|f| f.path == "API.md")
        .map(|f| f.text.clone())
        .unwrap_or_default();
    let per_provider = api_changes::against_committed(committed.as_deref(), &fresh, &modules);
    for (module, changes) in &per_provider {
        eprintln!("api: {module}: {}", mfa_codegen::api_diff::summary(changes));
    }
    let all: Vec<_> = per_provider
        .iter()
        .flat_map(|(_, c)| c.iter().cloned())
        .collect();
    let verdict = mfa_codegen::api_diff::verdict(&all);
    if changelog && verdict != mfa_codegen::api_diff::Verdict::None {
        let old_version = CrateConfig::load(&crate_toml)?.package.version;
        if let Some(new_version) = verdict.bump(&old_version) {
            // read only after the preflight: a CHANGELOG.md there is the generator's own file
            let existing = std::fs::read_to_string(target.join("CHANGELOG.md")).ok();
            api_changes::bump_version(&crate_toml, &old_version, &new_version)?;
            eprintln!(
                "api: {} change: version {old_version} -> {new_version}, CHANGELOG.md updated",
                verdict.as_str()
            );
            (files, runs) = mfa_codegen::generate_workspace_crate(&crate_toml, strict, formatter)?;
            files.push(mfa_codegen::OutputFile {
                path: "CHANGELOG.md".to_owned(),
                text: api_changes::changelog_text(existing.as_deref(), &new_version, &per_provider),
            });
            let crate_name = CrateConfig::load(&crate_toml)?.package.name;
            let report =
                api_changes::release_report(&crate_name, &old_version, &new_version, &per_provider);
            let path = root
                .join("docs/api-changes")
                .join(format!("{crate_name}-{old_version}-to-{new_version}.md"));
            api_changes::write_report(&path, &report)?;
            eprintln!("api: full report in {}", path.display());
        }
    }
    for run in &runs {
        eprintln!(
            "regen: {} {} ops, {} models, {} wire patches (load {:.0} ms, normalize {:.1} ms)",
            run.api.module,
            run.api.operations.len(),
            run.api.models.len(),
            run.patches_applied.len(),
            run.load_ms,
            run.normalize_ms
        );
        for warning in &run.api.warnings {
            eprintln!(
                "warning: {}: at {}: {}",
                run.api.module, warning.pointer, warning.message
            );
        }
    }
    save_cache(formatter);
    let mode = if check { Mode::Check } else { Mode::Write };
    let report = write::sync(&files, &target, mode)?;
    let elapsed = started.elapsed().as_secs_f64() * 1000.0;
    if check {
        if report.is_clean() {
            eprintln!(
                "regen --check: generated/ is up to date ({} files, {elapsed:.0} ms)",
                files.len()
            );
            return Ok(ExitCode::SUCCESS);
        }
        for (_, diff) in &report.diffs {
            print!("{diff}");
        }
        let names: Vec<&str> = report.diffs.iter().map(|(p, _)| p.as_str()).collect();
        eprintln!(
            "regen --check: {} generated file(s) differ: {}\nrun `cargo xtask regen` and commit the result",
            names.len(),
            names.iter().map(|n| target.join(n).display().to_string()).collect::<Vec<_>>().join(", ")
        );
        return Ok(ExitCode::FAILURE);
    }
    eprintln!(
        "regen: {} written, {} removed, {} unchanged in {elapsed:.0} ms",
        report.written.len(),
        report.removed.len(),
        report.unchanged
    );
    Ok(ExitCode::SUCCESS)
}

fn generate(
    spec: &Path,
    config: Option<&Path>,
    out: &Path,
    strict: bool,
    formatter: &mut Formatter,
) -> Result<ExitCode, GenError> {
    let started = Instant::now();
    // decided before any work, so a refused folder costs nothing and is never touched
    let out = write::out_dir::checked(out, &workspace_root())?;
    let out = out.as_path();
    let mut provider = match config {
        Some(path) => ProviderConfig::load(path)?,
        None => ProviderConfig::everything(spec),
    };
    provider.strict = strict;
    let run = mfa_codegen::build_provider(&provider, spec)?;
    for warning in &run.api.warnings {
        eprintln!(
            "warning: {}: at {}: {}",
            spec.display(),
            warning.pointer,
            warning.message
        );
    }
    let command = format!("cargo xtask generate --spec {}", spec.display());
    let files = mfa_codegen::generate_standalone(
        &provider,
        std::slice::from_ref(&run.api),
        &command,
        formatter,
    )?;
    save_cache(formatter);
    let report = write::sync(&files, out, Mode::Write)?;
    eprintln!(
        "generate: {} {} ops, {} models, {} wire patches -> {} ({} files written) in {:.0} ms",
        run.api.module,
        run.api.operations.len(),
        run.api.models.len(),
        run.patches_applied.len(),
        out.display(),
        report.written.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    Ok(ExitCode::SUCCESS)
}
