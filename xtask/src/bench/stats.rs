//! Timings as the tables print them: min and median of several runs, in ms or s.

use std::time::{Duration, Instant};

use mfa_codegen::GenError;

/// Min and median of a few timings.
#[derive(Clone, Copy)]
pub(super) struct Stats {
    pub(super) min: Duration,
    pub(super) median: Duration,
}

impl Stats {
    pub(super) fn of(mut samples: Vec<Duration>) -> Self {
        samples.sort();
        Self {
            min: samples.first().copied().unwrap_or_default(),
            median: samples.get(samples.len() / 2).copied().unwrap_or_default(),
        }
    }

    pub(super) fn show(&self) -> String {
        format!("{} / {}", ms(self.min), ms(self.median))
    }
}

pub(super) fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms >= 10_000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else if ms >= 100.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{ms:.1} ms")
    }
}

pub(super) fn time<T>(
    runs: usize,
    mut f: impl FnMut() -> Result<T, GenError>,
) -> Result<Stats, GenError> {
    let mut samples = Vec::new();
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        f()?;
        samples.push(started.elapsed());
    }
    Ok(Stats::of(samples))
}
