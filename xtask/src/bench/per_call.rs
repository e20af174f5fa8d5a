//! The client's per-call overhead and decode speed: xtask's divan benchmarks, run through
//! `cargo bench`, their tables read back, instruction counts from callgrind when installed.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use mfa_codegen::GenError;

use super::run_quiet;

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

pub(super) fn per_call_rows(root: &Path, rows: &mut Vec<String>) -> Result<(), GenError> {
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

pub(super) fn decode_rows(root: &Path, rows: &mut Vec<String>) -> Result<(), GenError> {
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
