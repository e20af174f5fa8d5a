//! The Markdown report a run prints: one row per spec file, warnings per construct, then per
//! file its `Value` fallbacks, lints, compile errors, API differences and tag sharing.

use std::collections::BTreeSet;

use mfa_codegen::ir::{Warning, WarningEffect, WarningKind};

use super::{Check, Generated, Outcome, Row};

fn count(warnings: &[Warning], effect: WarningEffect) -> usize {
    warnings
        .iter()
        .filter(|w| w.kind.effect() == effect)
        .count()
}

fn check_cell(check: &Option<Check>) -> String {
    match check {
        None => "not run".to_owned(),
        Some(c) if c.errors.is_empty() && c.lints.is_empty() => {
            format!("ok, clippy clean ({:.0} s)", c.seconds)
        }
        Some(c) if c.errors.is_empty() => format!(
            "ok, {} clippy lints ({:.0} s)",
            c.lints.values().sum::<usize>(),
            c.seconds
        ),
        Some(c) => format!("**{} errors** ({:.0} s)", c.errors.len(), c.seconds),
    }
}

pub(super) fn render(rows: &[Row], all_operations: bool) -> String {
    let mut out = String::new();
    let scope = if all_operations {
        "every operation of the newest file per provider"
    } else {
        "the operations each provider config selects"
    };
    out.push_str(&format!("### Conformance: {scope}\n\n"));
    out.push_str(
        "| spec | operations | models | lines | generate | cargo clippy | `Value` fallbacks | not generated | spec bugs corrected | input-version approximations (Swagger 2.0, 3.1) | config not applied | `Value` sites | same API as specs/ |\n",
    );
    out.push_str("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|\n");
    for row in rows {
        match &row.outcome {
            Outcome::Refused(message) => out.push_str(&format!(
                "| `{}` | | | | | refused: {} | | | | | | | |\n",
                row.spec,
                message
                    .rsplit_once(": ")
                    .map_or(message.as_str(), |(_, m)| m)
            )),
            Outcome::Failed(message) => out.push_str(&format!(
                "| `{}` | | | | | **generation failed**: {message} | | | | | | | |\n",
                row.spec
            )),
            Outcome::Generated(g) => out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} ms | {} | {} | {} | {} | {} | {} | {} | {} |\n",
                row.spec,
                g.operations,
                g.models,
                g.lines,
                g.generate_ms,
                check_cell(&g.check),
                count(&g.warnings, WarningEffect::JsonFallback),
                count(&g.warnings, WarningEffect::Skipped),
                count(&g.warnings, WarningEffect::Corrected),
                count(&g.warnings, WarningEffect::Converted),
                count(&g.warnings, WarningEffect::Config),
                g.value_sites,
                match &g.same_api {
                    None if g.tags.is_some() => format!(
                        "n/a: all operations{}",
                        if g.extensions { ", extensions in" } else { "" }
                    ),
                    None => format!(
                        "not listed{}",
                        if g.extensions {
                            ""
                        } else {
                            " (extensions left out)"
                        }
                    ),
                    Some(d) if d.is_empty() => "identical".to_owned(),
                    Some(d) => format!("**{} differences**", d.len()),
                }
            )),
        }
    }
    let generated: Vec<(&str, &Generated)> = rows
        .iter()
        .filter_map(|r| match &r.outcome {
            Outcome::Generated(g) => Some((r.spec.as_str(), g.as_ref())),
            _ => None,
        })
        .collect();

    // per construct: one row per warning kind seen anywhere, one column per spec
    let kinds: BTreeSet<WarningKind> = generated
        .iter()
        .flat_map(|(_, g)| g.warnings.iter().map(|w| w.kind))
        .collect();
    if !kinds.is_empty() {
        out.push_str("\n#### Warnings per construct\n\n| construct | effect |");
        for (i, _) in generated.iter().enumerate() {
            out.push_str(&format!(" {} |", i + 1));
        }
        out.push_str("\n|---|---|");
        out.push_str(&"---:|".repeat(generated.len()));
        out.push('\n');
        let mut kinds: Vec<WarningKind> = kinds.into_iter().collect();
        kinds.sort_by_key(|k| (k.effect(), *k));
        for kind in kinds {
            out.push_str(&format!(
                "| {} | {} |",
                kind.label(),
                kind.effect().as_str()
            ));
            for (_, g) in &generated {
                let n = g.warnings.iter().filter(|w| w.kind == kind).count();
                out.push_str(&format!(" {n} |"));
            }
            out.push('\n');
        }
        out.push_str("\nColumns: ");
        let names: Vec<String> = generated
            .iter()
            .enumerate()
            .map(|(i, (spec, _))| format!("{} = `{spec}`", i + 1))
            .collect();
        out.push_str(&names.join(", "));
        out.push_str(".\n");
    }

    // every serde_json::Value fallback, named
    for (spec, g) in &generated {
        let fallbacks: Vec<&Warning> = g
            .warnings
            .iter()
            .filter(|w| w.kind.effect() == WarningEffect::JsonFallback)
            .collect();
        if fallbacks.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n#### `serde_json::Value` fallbacks in `{spec}` ({})\n\n",
            fallbacks.len()
        ));
        for w in fallbacks {
            out.push_str(&format!("- `{}`: {}\n", w.pointer, w.message));
        }
    }

    for (spec, g) in &generated {
        if let Some(check) = &g.check {
            if !check.lints.is_empty() {
                out.push_str(&format!("\n#### clippy lints in `{spec}`\n\n"));
                for (lint, n) in &check.lints {
                    out.push_str(&format!("- `clippy::{lint}`: {n}\n"));
                }
            }
            if !check.errors.is_empty() {
                out.push_str(&format!(
                    "\n#### compile errors in `{spec}` (first 20)\n\n```text\n"
                ));
                for error in check.errors.iter().take(20) {
                    out.push_str(error);
                    out.push('\n');
                }
                out.push_str("```\n");
            }
        }
        if let Some(differences) = g.same_api.as_ref().filter(|d| !d.is_empty()) {
            out.push_str(&format!("\n#### `{spec}` differs from specs/\n\n"));
            for d in differences {
                out.push_str(&format!("- {d}\n"));
            }
        }
        if let Some(t) = &g.tags {
            out.push_str(&format!(
                "\n#### Tags of `{spec}`\n\n{} tags; {} models in one module, {} of them \
                 ({:.0}%) reached from two or more tags; a module per tag with its own models \
                 would hold {} models ({:.1}x). Measured in {} ms.\n",
                t.tags,
                t.models,
                t.shared,
                100.0 * t.shared as f64 / t.models.max(1) as f64,
                t.per_tag_total,
                t.per_tag_total as f64 / t.models.max(1) as f64,
                t.millis
            ));
        }
    }
    out
}
