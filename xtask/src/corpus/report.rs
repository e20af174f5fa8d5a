//! The corpus table: one row per spec (plain text or Markdown), then each failure's first
//! errors.

use std::collections::BTreeMap;

use mfa_codegen::ir::WarningKind;

use super::{expected, Row};

fn generated_cell(row: &Row) -> String {
    match &row.generated {
        Ok(_) => "yes".to_owned(),
        Err(e) => format!("no: {}", first_line(e)),
    }
}

fn compiled_cell(row: &Row) -> String {
    let cell = match &row.generated {
        Err(_) => "-".to_owned(),
        Ok(g) => match &g.check {
            None => "not run".to_owned(),
            Some(c) if c.errors.is_empty() => "yes".to_owned(),
            Some(c) => format!("no: {} errors", c.errors.len()),
        },
    };
    match expected::reason(&row.spec) {
        Some(reason) if !row.passed() => format!("{cell} (expected: {reason})"),
        _ => cell,
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

/// `Untyped 3, Conversion 1`, most frequent first.
fn warnings_cell(warnings: &BTreeMap<WarningKind, usize>) -> String {
    let mut kinds: Vec<(&WarningKind, &usize)> = warnings.iter().collect();
    kinds.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    kinds
        .iter()
        .map(|(k, n)| format!("{k:?} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

struct Cells {
    spec: String,
    version: String,
    operations: String,
    generated: String,
    compiled: String,
    untyped: String,
    warnings: String,
    time: String,
}

fn cells(row: &Row) -> Cells {
    let (operations, untyped, warnings) = match &row.generated {
        Ok(g) => (
            format!("{}/{}", g.operations, row.spec_operations),
            if g.untyped == g.positions {
                g.untyped.to_string()
            } else {
                format!("{} warned, {} positions", g.untyped, g.positions)
            },
            warnings_cell(&g.warnings),
        ),
        Err(_) => (format!("-/{}", row.spec_operations), "-".into(), "-".into()),
    };
    Cells {
        spec: row.spec.clone(),
        version: row.version.clone(),
        operations,
        generated: generated_cell(row),
        compiled: compiled_cell(row),
        untyped,
        warnings,
        time: format!("{:.1} s", row.seconds),
    }
}

/// The one line printed as a spec finishes.
pub(super) fn progress(row: &Row) -> String {
    let c = cells(row);
    format!(
        "{} | {} | ops {} | generated {} | compiled {} | untyped {} | {} | {}",
        c.spec, c.version, c.operations, c.generated, c.compiled, c.untyped, c.warnings, c.time
    )
}

fn totals(rows: &[Row]) -> (usize, usize, usize, f64) {
    let generated = rows.iter().filter(|r| r.generated.is_ok()).count();
    let compiled = rows.iter().filter(|r| r.passed()).count();
    let untyped = rows
        .iter()
        .filter_map(|r| r.generated.as_ref().ok())
        .map(|g| g.untyped)
        .sum();
    let seconds = rows.iter().map(|r| r.seconds).sum();
    (generated, compiled, untyped, seconds)
}

pub(super) fn plain(rows: &[Row]) -> String {
    let mut out = String::new();
    for row in rows {
        out.push_str(&progress(row));
        out.push('\n');
    }
    let (generated, compiled, untyped, seconds) = totals(rows);
    out.push_str(&format!(
        "total: {} specs, {generated} generated, {compiled} compiled, {untyped} untyped positions, {seconds:.0} s\n",
        rows.len()
    ));
    out.push_str(&failures(rows));
    out
}

pub(super) fn markdown(rows: &[Row]) -> String {
    let mut out = String::from(
        "| spec | version | operations (generated/spec) | generated | compiled | untyped positions | warnings by kind | time |\n|---|---|---:|---|---|---:|---|---:|\n",
    );
    for row in rows {
        let c = cells(row);
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} | {} |\n",
            c.spec,
            c.version,
            c.operations,
            c.generated.replace('|', "\\|"),
            c.compiled.replace('|', "\\|"),
            c.untyped,
            c.warnings,
            c.time
        ));
    }
    let (generated, compiled, untyped, seconds) = totals(rows);
    out.push_str(&format!(
        "| **total: {} specs** | | | {generated} | {compiled} | {untyped} | | {seconds:.0} s |\n",
        rows.len()
    ));
    let failures = failures(rows);
    if !failures.is_empty() {
        out.push_str("\n```text\n");
        out.push_str(&failures);
        out.push_str("```\n");
    }
    out
}

/// The first compile errors of each spec that did not compile.
fn failures(rows: &[Row]) -> String {
    let mut out = String::new();
    for row in rows {
        let Ok(g) = &row.generated else { continue };
        let Some(check) = g.check.as_ref().filter(|c| !c.errors.is_empty()) else {
            continue;
        };
        out.push_str(&format!("--- {}: first compile errors\n", row.spec));
        for error in check.errors.iter().take(3) {
            out.push_str(error);
            out.push('\n');
        }
    }
    out
}
