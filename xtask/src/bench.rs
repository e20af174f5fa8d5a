//! `cargo xtask bench`: generator speed, peers (openapi-generator, progenitor) on the same
//! inputs, build times of the generated crates, and the client's per-call overhead.
//!
//! Machines are noisy: every figure is the min and median of several runs, and comparisons
//! are ratios measured in the same run. Peers are installed into `target/bench-cache/`.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use mfa_codegen::{CrateConfig, Formatter, GenError, ProviderConfig};

pub struct BenchArgs {
    pub runs: usize,
    pub peers: bool,
    pub builds: bool,
    pub per_call: bool,
}

/// Min and median of a few timings.
#[derive(Clone, Copy)]
struct Stats {
    min: Duration,
    median: Duration,
}

impl Stats {
    fn of(mut samples: Vec<Duration>) -> Self {
        samples.sort();
        Self {
            min: samples.first().copied().unwrap_or_default(),
            median: samples.get(samples.len() / 2).copied().unwrap_or_default(),
        }
    }

    fn show(&self) -> String {
        format!("{} / {}", ms(self.min), ms(self.median))
    }
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms >= 10_000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else if ms >= 100.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{ms:.1} ms")
    }
}

fn time<T>(runs: usize, mut f: impl FnMut() -> Result<T, GenError>) -> Result<Stats, GenError> {
    let mut samples = Vec::new();
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        f()?;
        samples.push(started.elapsed());
    }
    Ok(Stats::of(samples))
}

struct Input {
    label: &'static str,
    spec: PathBuf,
    /// `None`: every operation.
    config: Option<PathBuf>,
}

fn upstream(root: &Path, rel: &str) -> Option<PathBuf> {
    let path = root.join("../shared/upstream-specs").join(rel);
    path.exists().then_some(path)
}

fn inputs(root: &Path) -> Vec<Input> {
    let mut out = Vec::new();
    if let Some(okta) = upstream(root, "okta/2026.06.3/management-minimal.yaml") {
        out.push(Input {
            label: "Okta 2026.06.3, UserFactor config",
            spec: okta.clone(),
            config: Some(root.join("specs/okta.toml")),
        });
        out.push(Input {
            label: "Okta 2026.06.3, all operations",
            spec: okta,
            config: None,
        });
    }
    if let Some(onelogin) = upstream(root, "onelogin/3.1.1-go-sdk-76cf9e1/openapi.yaml") {
        out.push(Input {
            label: "OneLogin 3.1.1, all operations",
            spec: onelogin,
            config: None,
        });
    }
    out
}

fn provider(input: &Input) -> Result<ProviderConfig, GenError> {
    match &input.config {
        Some(path) => ProviderConfig::load(path),
        None => Ok(ProviderConfig::everything(&input.spec)),
    }
}

/// A pipeline run twice over: cold (every item formatted from scratch, what a first
/// generation of a new spec costs) and warm (the format cache of the previous run read from
/// disk and written back, what a regen after a small change costs).
struct Pipeline {
    cold: Stats,
    warm: Stats,
}

fn pipeline(
    runs: usize,
    cache_file: &Path,
    mut generate: impl FnMut(&mut Formatter) -> Result<(), GenError>,
) -> Result<Pipeline, GenError> {
    let cold = time(runs, || generate(&mut Formatter::plain()))?;
    let cached = |generate: &mut dyn FnMut(&mut Formatter) -> Result<(), GenError>| {
        let mut formatter = Formatter::cached(cache_file.to_path_buf());
        generate(&mut formatter)?;
        formatter.save()
    };
    let _ = std::fs::remove_file(cache_file);
    cached(&mut generate)?;
    let warm = time(runs, || cached(&mut generate))?;
    Ok(Pipeline { cold, warm })
}

fn ratio(a: &Stats, b: &Stats) -> f64 {
    a.median.as_secs_f64() / b.median.as_secs_f64().max(1e-9)
}

fn generator_row(label: &str, parse: &Stats, p: &Pipeline) -> String {
    format!(
        "| {label} | {} | {} | {:.1}x | {} | {:.1}x |",
        parse.show(),
        p.cold.show(),
        ratio(&p.cold, parse),
        p.warm.show(),
        ratio(&p.warm, parse)
    )
}

/// Generator timings: parse alone, then the whole pipeline (in memory, nothing written).
fn generator_rows(root: &Path, runs: usize, rows: &mut Vec<String>) -> Result<(), GenError> {
    let crate_toml = root.join("specs/crate.toml");
    let configs: Vec<ProviderConfig> = CrateConfig::load(&crate_toml)?
        .provider_paths()
        .iter()
        .map(|p| ProviderConfig::load(p))
        .collect::<Result<_, _>>()?;
    let parse = time(runs, || {
        for c in &configs {
            mfa_codegen::load_patched(c, &c.spec_path())?;
        }
        Ok(())
    })?;
    let caches = cache(root).join("format-cache");
    let regen = pipeline(runs, &caches.join("regen"), |formatter| {
        mfa_codegen::generate_workspace_crate(&crate_toml, false, formatter).map(drop)
    })?;
    rows.push(generator_row(
        "project specs, both providers (`regen`)",
        &parse,
        &regen,
    ));
    for input in inputs(root) {
        let config = provider(&input)?;
        let parse = time(runs, || mfa_codegen::load_patched(&config, &input.spec))?;
        let total = pipeline(runs, &caches.join(slug(input.label)), |formatter| {
            let run = mfa_codegen::build_provider(&config, &input.spec)?;
            mfa_codegen::generate_standalone(
                &config,
                std::slice::from_ref(&run.api),
                "bench",
                formatter,
            )
            .map(drop)
        })?;
        rows.push(generator_row(input.label, &parse, &total));
    }
    Ok(())
}

fn cache(root: &Path) -> PathBuf {
    root.join("target/bench-cache")
}

fn run_quiet(command: &mut Command) -> Result<(bool, String), GenError> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| GenError::io(Path::new("(peer command)"), e))?;
    let mut text = String::from_utf8_lossy(&output.stderr).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stdout));
    Ok((output.status.success(), text))
}

/// openapi-generator-cli from PyPI (bundles the jar; needs Java), in a cached venv.
fn openapi_generator(root: &Path) -> Result<Option<PathBuf>, GenError> {
    let venv = cache(root).join("venv");
    let bin = venv.join("bin/openapi-generator-cli");
    if !bin.exists() {
        eprintln!(
            "bench: installing openapi-generator-cli into {}",
            venv.display()
        );
        let (ok, log) = run_quiet(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
        if !ok {
            eprintln!("bench: python venv failed: {log}");
            return Ok(None);
        }
        let (ok, log) = run_quiet(Command::new(venv.join("bin/pip")).args([
            "install",
            "--quiet",
            "openapi-generator-cli==7.17.0",
        ]))?;
        if !ok {
            eprintln!("bench: pip install failed: {log}");
            return Ok(None);
        }
    }
    Ok(Some(bin))
}

/// cargo-progenitor, built once into the cache.
fn progenitor(root: &Path) -> Result<Option<PathBuf>, GenError> {
    let dir = cache(root).join("progenitor");
    let bin = dir.join("bin/cargo-progenitor");
    if !bin.exists() {
        eprintln!(
            "bench: installing cargo-progenitor into {} (a few minutes)",
            dir.display()
        );
        let (ok, log) = run_quiet(
            Command::new("cargo")
                .args([
                    "install",
                    "--quiet",
                    "--locked",
                    "cargo-progenitor",
                    "--root",
                ])
                .arg(&dir),
        )?;
        if !ok {
            eprintln!("bench: cargo install cargo-progenitor failed: {log}");
            return Ok(None);
        }
    }
    Ok(Some(bin))
}

/// Times one peer run; on failure returns the first meaningful line of its output.
fn peer_once(command: &mut Command) -> Result<Result<Duration, String>, GenError> {
    let started = Instant::now();
    let (ok, log) = run_quiet(command)?;
    let elapsed = started.elapsed();
    if ok {
        return Ok(Ok(elapsed));
    }
    let line = log
        .lines()
        .find(|l| l.contains("panicked") || l.contains("rror") || l.contains("Exception"))
        .or_else(|| log.lines().last())
        .unwrap_or("failed")
        .trim()
        .chars()
        .take(160)
        .collect::<String>();
    Ok(Err(line))
}

struct PeerInput {
    label: &'static str,
    spec: PathBuf,
    ours: Stats,
}

fn peer_rows(root: &Path, runs: usize, rows: &mut Vec<String>) -> Result<(), GenError> {
    let mut peer_inputs = Vec::new();
    for (label, config) in [
        ("Okta UserFactor (project spec)", "specs/okta.toml"),
        ("OneLogin MFA v1 (project spec)", "specs/onelogin.toml"),
    ] {
        let config = ProviderConfig::load(&root.join(config))?;
        let spec = config.spec_path();
        let ours = time(runs, || {
            let run = mfa_codegen::build_provider(&config, &spec)?;
            mfa_codegen::generate_standalone(
                &config,
                std::slice::from_ref(&run.api),
                "bench",
                &mut Formatter::plain(),
            )
        })?;
        peer_inputs.push(PeerInput { label, spec, ours });
    }
    for input in inputs(root).into_iter().filter(|i| i.config.is_none()) {
        let config = ProviderConfig::everything(&input.spec);
        let ours = time(runs, || {
            let run = mfa_codegen::build_provider(&config, &input.spec)?;
            mfa_codegen::generate_standalone(
                &config,
                std::slice::from_ref(&run.api),
                "bench",
                &mut Formatter::plain(),
            )
        })?;
        peer_inputs.push(PeerInput {
            label: input.label,
            spec: input.spec,
            ours,
        });
    }
    let oag = openapi_generator(root)?;
    let prog = progenitor(root)?;
    let out = cache(root).join("out");
    for input in &peer_inputs {
        let mut cells = vec![input.label.to_owned(), input.ours.show()];
        for (name, bin) in [("openapi-generator", &oag), ("progenitor", &prog)] {
            let Some(bin) = bin else {
                cells.push("not installed".to_owned());
                continue;
            };
            let mut samples = Vec::new();
            let mut failure = None;
            // the JVM peer takes seconds per run: fewer runs keep the bench short
            for _ in 0..runs.clamp(1, 3) {
                let dir = out.join(format!("{name}-{}", slug(input.label)));
                let _ = std::fs::remove_dir_all(&dir);
                let mut command = Command::new(bin);
                if name == "openapi-generator" {
                    // a spec version such as 2026.06.3 is not a valid crate version
                    command
                        .args(["generate", "-g", "rust", "--skip-validate-spec"])
                        .args([
                            "--additional-properties",
                            "packageName=peer,packageVersion=0.1.0",
                        ])
                        .arg("-i")
                        .arg(&input.spec)
                        .arg("-o")
                        .arg(&dir);
                } else {
                    command
                        .args(["progenitor", "-n", "peer", "-v", "0.1.0", "-i"])
                        .arg(&input.spec)
                        .arg("-o")
                        .arg(&dir);
                }
                match peer_once(&mut command)? {
                    Ok(d) => samples.push(d),
                    Err(line) => {
                        failure = Some(line);
                        break;
                    }
                }
            }
            match failure {
                Some(line) => cells.push(format!("fails: `{}`", line.replace('|', "/"))),
                None => {
                    let stats = Stats::of(samples);
                    cells.push(format!(
                        "{} ({:.0}x ours)",
                        stats.show(),
                        stats.median.as_secs_f64() / input.ours.median.as_secs_f64().max(1e-9)
                    ));
                }
            }
        }
        rows.push(format!("| {} |", cells.join(" | ")));
    }
    Ok(())
}

fn slug(label: &str) -> String {
    label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

fn rust_lines(dir: &Path) -> usize {
    let mut total = 0;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            total += rust_lines(&path);
        } else if path.extension().is_some_and(|e| e == "rs") {
            total += std::fs::read_to_string(&path).map_or(0, |t| t.lines().count());
        }
    }
    total
}

/// What a build of one generated crate cost.
struct BuildTimes {
    /// From an empty target dir, dependencies included.
    clean: Duration,
    /// Dependencies built, `touch` touched: cargo's default incremental rebuild.
    touched: Stats,
    /// The same with `CARGO_INCREMENTAL=0`: the crate compiled from scratch, what a clean
    /// build or CI pays for it.
    from_scratch: Stats,
}

/// Clean build (own target dir, dependencies included) and crate-only rebuilds (min of runs).
fn build_times(
    manifest_dir: &Path,
    target: &Path,
    cargo_args: &[&str],
    touch: &Path,
    runs: usize,
) -> Result<Result<BuildTimes, String>, GenError> {
    let _ = std::fs::remove_dir_all(target);
    let build = |incremental: bool| {
        let mut command = Command::new("cargo");
        command
            .arg("build")
            .arg("--quiet")
            .arg("--manifest-path")
            .arg(manifest_dir.join("Cargo.toml"))
            .args(cargo_args)
            .env("CARGO_TARGET_DIR", target)
            .env("CARGO_INCREMENTAL", if incremental { "1" } else { "0" });
        command
    };
    let started = Instant::now();
    let (ok, log) = run_quiet(&mut build(true))?;
    if !ok {
        return Ok(Err(log.lines().take(3).collect::<Vec<_>>().join(" ")));
    }
    let clean = started.elapsed();
    let rebuilds = |incremental: bool| -> Result<Result<Stats, String>, GenError> {
        let mut samples = Vec::new();
        for _ in 0..runs.max(1) {
            let text = std::fs::read_to_string(touch).map_err(|e| GenError::io(touch, e))?;
            std::fs::write(touch, text).map_err(|e| GenError::io(touch, e))?;
            let started = Instant::now();
            let (ok, log) = run_quiet(&mut build(incremental))?;
            if !ok {
                return Ok(Err(log));
            }
            samples.push(started.elapsed());
        }
        Ok(Ok(Stats::of(samples)))
    };
    let touched = match rebuilds(true)? {
        Ok(stats) => stats,
        Err(log) => return Ok(Err(log)),
    };
    let from_scratch = match rebuilds(false)? {
        Ok(stats) => stats,
        Err(log) => return Ok(Err(log)),
    };
    Ok(Ok(BuildTimes {
        clean,
        touched,
        from_scratch,
    }))
}

fn build_rows(root: &Path, runs: usize, rows: &mut Vec<String>) -> Result<(), GenError> {
    let targets = cache(root).join("targets");
    let generated = root.join("generated");
    let src = generated.join("src");
    let lines = |modules: &[&str]| -> usize {
        rust_lines(&src.join("runtime"))
            + modules
                .iter()
                .map(|m| rust_lines(&src.join(m)))
                .sum::<usize>()
    };
    // `mock` and `okta-oauth` are not part of these sets: the lines of their files are not
    // compiled either
    for (label, features, modules) in [
        (
            "idp-mfa, okta + onelogin",
            "okta,onelogin,rustls",
            &["okta", "onelogin"][..],
        ),
        ("idp-mfa, okta only", "okta,rustls", &["okta"][..]),
        (
            "idp-mfa, onelogin only",
            "onelogin,rustls",
            &["onelogin"][..],
        ),
    ] {
        let result = build_times(
            &generated,
            &targets.join(slug(label)),
            &["--no-default-features", "--features", features],
            &generated.join("src/lib.rs"),
            runs,
        )?;
        rows.push(build_row(label, lines(modules), result));
    }
    // openapi-generator's crate for the Okta UserFactor project spec, from the peer run
    let peer = cache(root).join("out/openapi-generator-okta-userfactor--project-spec-");
    if peer.join("Cargo.toml").exists() {
        // its Cargo.toml has no [workspace]: make it its own
        let manifest = peer.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).map_err(|e| GenError::io(&manifest, e))?;
        if !text.contains("[workspace]") {
            std::fs::write(&manifest, format!("{text}\n[workspace]\n"))
                .map_err(|e| GenError::io(&manifest, e))?;
        }
        // its default TLS is native-tls (the system OpenSSL, nothing to compile); its
        // `rustls-tls` feature is the like-for-like comparison with our rustls default
        for (label, dir, args) in [
            (
                "openapi-generator, Okta UserFactor (its defaults: native-tls)",
                "openapi-generator-okta",
                &[][..],
            ),
            (
                "openapi-generator, Okta UserFactor (`rustls-tls`)",
                "openapi-generator-okta-rustls",
                &["--no-default-features", "--features", "rustls-tls"][..],
            ),
        ] {
            let result = build_times(
                &peer,
                &targets.join(dir),
                args,
                &peer.join("src/lib.rs"),
                runs,
            )?;
            rows.push(build_row(label, rust_lines(&peer.join("src")), result));
        }
    } else {
        rows.push(
            "| openapi-generator, Okta UserFactor | (run with peers first) | | | | |".to_owned(),
        );
    }
    Ok(())
}

fn build_row(label: &str, lines: usize, result: Result<BuildTimes, String>) -> String {
    match result {
        Ok(times) => format!(
            "| {label} | {lines} | {} | {} | {} |",
            ms(times.clean),
            times.touched.show(),
            times.from_scratch.show()
        ),
        Err(e) => format!("| {label} | {lines} | fails: {} | | |", e.replace('|', "/")),
    }
}

/// Runs of the divan benchmark: machines switch between fast and slow phases (on the 2-core VM
/// a loopback call took 21 or 30 µs for seconds at a time), so the ratio is taken within each
/// run, where both sides saw the same phase, and reported for every run.
const PER_CALL_RUNS: usize = 3;

/// The per-call benchmarks: the generated client, the like-for-like hand-written call, the
/// minimal one.
const PER_CALL_BENCHES: [&str; 3] = [
    "generated_client",
    "hand_written_reqwest",
    "hand_written_reqwest_minimal",
];

/// `cargo bench` of one of xtask's divan benchmarks: whether it ran, and its output.
fn run_divan(root: &Path, bench: &str) -> Result<(bool, String), GenError> {
    run_quiet(
        Command::new("cargo")
            .args(["bench", "--quiet", "-p", "xtask", "--bench", bench])
            .current_dir(root),
    )
}

/// How much larger `ours` is than `theirs`, in percent.
fn percent_over(ours: f64, theirs: f64) -> f64 {
    (ours / theirs - 1.0) * 100.0
}

fn per_call_rows(root: &Path, rows: &mut Vec<String>) -> Result<(), GenError> {
    let mut table = vec![
        "| run | generated, fastest / median | hand-written, fastest / median | ratio (fastest / median) | minimal hand-written, fastest / median | ratio (fastest / median) |".to_owned(),
        "|---|---|---|---|---|---|".to_owned(),
    ];
    let mut last_log = String::new();
    for run in 1..=PER_CALL_RUNS {
        let (ok, log) = run_divan(root, "per_call")?;
        if !ok {
            rows.push(format!(
                "per-call bench failed: {}",
                log.lines().last().unwrap_or("")
            ));
            return Ok(());
        }
        let times = divan_times(&log);
        let [Some(&ours), Some(&hand), Some(&minimal)] = PER_CALL_BENCHES.map(|b| times.get(b))
        else {
            rows.push("per-call bench: could not read divan's output:".to_owned());
            rows.push("```text".to_owned());
            rows.extend(log.lines().map(str::to_owned));
            rows.push("```".to_owned());
            return Ok(());
        };
        let pair = |(fastest, median): (f64, f64)| {
            format!("{:.1} µs / {:.1} µs", fastest / 1e3, median / 1e3)
        };
        let change = |(a, b): (f64, f64), (c, d): (f64, f64)| {
            format!("{:+.1}% / {:+.1}%", percent_over(a, c), percent_over(b, d))
        };
        table.push(format!(
            "| {run} | {} | {} | {} | {} | {} |",
            pair(ours),
            pair(hand),
            change(ours, hand),
            pair(minimal),
            change(ours, minimal)
        ));
        last_log = log;
    }
    match instructions_per_call(root)? {
        Some([Some(ours), Some(hand), Some(minimal)]) => {
            let [ours, hand, minimal] = [ours, hand, minimal].map(|count| count as f64);
            table.push(format!(
                "| instructions per call (callgrind) | {ours:.0} | {hand:.0} | {:+.1}% | {minimal:.0} | {:+.1}% |",
                percent_over(ours, hand),
                percent_over(ours, minimal)
            ));
        }
        Some(_) => table.push(
            "| instructions per call | callgrind gave no count for a benchmark | | | | |"
                .to_owned(),
        ),
        None => table.push(
            "| instructions per call | valgrind not installed: not measured | | | | |".to_owned(),
        ),
    }
    rows.push("```text".to_owned());
    rows.extend(last_log.lines().map(str::to_owned));
    rows.push("```".to_owned());
    rows.push(String::new());
    rows.extend(table);
    Ok(())
}

fn decode_rows(root: &Path, rows: &mut Vec<String>) -> Result<(), GenError> {
    let (ok, log) = run_divan(root, "decode")?;
    rows.push("```text".to_owned());
    rows.extend(log.lines().map(str::to_owned));
    rows.push("```".to_owned());
    if !ok {
        return Ok(());
    }
    let times = divan_times(&log);
    if let (Some(ours), Some(derived)) = (times.get("generated_sms"), times.get("derived_sms")) {
        rows.push(String::new());
        rows.push(format!(
            "Generated / derived, same SMS factor: {:.2}x fastest, {:.2}x median.",
            ours.0 / derived.0,
            ours.1 / derived.1
        ));
    }
    Ok(())
}

/// Instructions per call under callgrind: unlike wall time, the same from run to run and
/// across the machine's fast and slow phases. Each benchmark runs with 100 and with 300
/// samples of 10 calls; the difference over the 2,000 extra calls leaves out start-up, the
/// fixture and divan's calibration. `None` without valgrind.
fn instructions_per_call(root: &Path) -> Result<Option<[Option<u64>; 3]>, GenError> {
    let valgrind = Command::new("valgrind")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !valgrind {
        return Ok(None);
    }
    let built = Command::new("cargo")
        .args(["bench", "-p", "xtask", "--bench", "per_call", "--no-run"])
        .arg("--message-format=json")
        .current_dir(root)
        .stderr(Stdio::null())
        .output()
        .map_err(|e| GenError::io(Path::new("cargo bench --no-run"), e))?;
    let executable = String::from_utf8_lossy(&built.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["target"]["name"] == "per_call")
        .find_map(|message| message["executable"].as_str().map(PathBuf::from));
    let Some(executable) = executable else {
        return Ok(None);
    };
    let refs = |bench: &str, samples: u32| -> Result<Option<u64>, GenError> {
        let (_, log) = run_quiet(
            Command::new("valgrind")
                .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
                .arg(&executable)
                .args(["--bench", &format!("(^|::){bench}$")])
                .args([
                    "--sample-count",
                    &samples.to_string(),
                    "--sample-size",
                    "10",
                ]),
        )?;
        Ok(log
            .lines()
            .find_map(|line| line.split_once("refs:"))
            .and_then(|(_, count)| count.trim().replace(',', "").parse().ok()))
    };
    let mut counts = [None; 3];
    for (count, bench) in counts.iter_mut().zip(PER_CALL_BENCHES) {
        if let (Some(few), Some(many)) = (refs(bench, 100)?, refs(bench, 300)?) {
            *count = Some(many.saturating_sub(few) / 2_000);
        }
    }
    Ok(Some(counts))
}

/// Each benchmark's `(fastest, median)` in nanoseconds, by name, from divan's table.
fn divan_times(log: &str) -> std::collections::BTreeMap<String, (f64, f64)> {
    log.lines()
        .filter_map(|line| {
            let (name, rest) = line.split_once('─')?.1.trim_start().split_once(' ')?;
            let columns: Vec<&str> = rest.split('│').map(str::trim).collect();
            let fastest = nanoseconds(columns.first()?)?;
            let median = nanoseconds(columns.get(2)?)?;
            Some((name.to_owned(), (fastest, median)))
        })
        .collect()
}

fn nanoseconds(text: &str) -> Option<f64> {
    let (number, unit) = text.split_once(' ')?;
    let scale = match unit {
        "ns" => 1.0,
        "µs" => 1e3,
        "ms" => 1e6,
        "s" => 1e9,
        _ => return None,
    };
    Some(number.parse::<f64>().ok()? * scale)
}

pub fn bench(root: &Path, args: BenchArgs) -> Result<ExitCode, GenError> {
    if cfg!(debug_assertions) {
        // timings of a debug build say nothing: run the release build of this command
        let mut command = Command::new("cargo");
        command
            .args(["run", "--quiet", "--release", "-p", "xtask", "--", "bench"])
            .arg("--runs")
            .arg(args.runs.to_string())
            .current_dir(root);
        for (flag, on) in [
            ("--skip-peers", !args.peers),
            ("--skip-builds", !args.builds),
            ("--skip-per-call", !args.per_call),
        ] {
            if on {
                command.arg(flag);
            }
        }
        let status = command
            .status()
            .map_err(|e| GenError::io(Path::new("cargo"), e))?;
        return Ok(if status.success() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    let mut rows = vec![
        "## Generator (release build, warm; min / median of runs)".to_owned(),
        String::new(),
        "| input | parse alone | pipeline, cold | cold / parse | pipeline, format cache warm | warm / parse |".to_owned(),
        "|---|---|---|---|---|---|".to_owned(),
    ];
    generator_rows(root, args.runs, &mut rows)?;
    if args.peers {
        rows.extend([
            String::new(),
            "## Peers on the same inputs (wall time of the tool, min / median)".to_owned(),
            String::new(),
            "| input | ours (cold, no format cache) | openapi-generator 7.17.0 (`-g rust`) | cargo-progenitor |".to_owned(),
            "|---|---|---|---|".to_owned(),
        ]);
        peer_rows(root, args.runs, &mut rows)?;
    }
    if args.builds {
        rows.extend([
            String::new(),
            "## Build time of the generated crate (debug)".to_owned(),
            String::new(),
            "| crate | lines of Rust | clean, with dependencies | crate only, touched (incremental) | crate only, from scratch (`CARGO_INCREMENTAL=0`) |"
                .to_owned(),
            "|---|---|---|---|---|".to_owned(),
        ]);
        build_rows(root, args.runs.min(3), &mut rows)?;
    }
    if args.per_call {
        rows.extend([
            String::new(),
            "## Per-call overhead (divan: `get_factor` vs hand-written reqwest, loopback)"
                .to_owned(),
            String::new(),
        ]);
        per_call_rows(root, &mut rows)?;
        rows.extend([
            String::new(),
            "## Decode (divan: the generated `Deserialize` vs serde's derive on the same shape)"
                .to_owned(),
            String::new(),
        ]);
        decode_rows(root, &mut rows)?;
    }
    println!("{}", rows.join("\n"));
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fastest_and_median_from_divans_table() {
        // a table as divan 0.1.21 printed it
        let log = "Timer precision: 26 ns
per_call                         fastest       │ slowest       │ median        │ mean          │ samples │ iters
├─ generated_client              22.46 µs      │ 97.08 µs      │ 26.74 µs      │ 28.23 µs      │ 500     │ 5000
├─ hand_written_reqwest          21.38 µs      │ 1.346 ms      │ 28.87 µs      │ 28.43 µs      │ 500     │ 5000
╰─ hand_written_reqwest_minimal  950 ns        │ 48.91 µs      │ 31.18 µs      │ 31.48 µs      │ 500     │ 5000";
        let times = divan_times(log);
        let names: Vec<&str> = times.keys().map(String::as_str).collect();
        assert_eq!(names, PER_CALL_BENCHES);
        let close =
            |(a, b): (f64, f64), (c, d): (f64, f64)| (a - c).abs() < 1e-6 && (b - d).abs() < 1e-6;
        assert!(close(times["generated_client"], (22_460.0, 26_740.0)));
        assert!(close(
            times["hand_written_reqwest_minimal"],
            (950.0, 31_180.0)
        ));
        assert_eq!(nanoseconds("1.5 ms"), Some(1_500_000.0));
        assert_eq!(nanoseconds("3 parsecs"), None);
    }
}
