//! Specs known not to generate or compile yet, each with the reason. A listed spec that
//! passes and an unlisted one that fails both fail the run, so a fix or a regression is
//! noticed.

use super::Row;

/// `(spec path in the corpus, why it fails)`. Empty: every corpus spec generates and compiles.
/// (`readmeio-oas-examples-3.0/parameters-style.yaml`, an object-valued path parameter, left
/// this list when parameter styles landed.)
pub(super) const FAILURES: &[(&str, &str)] = &[];

/// What the run did not expect: an unlisted failure or a listed spec that now passes.
pub(super) fn surprises(rows: &[Row]) -> Vec<String> {
    surprises_against(rows, FAILURES)
}

fn surprises_against(rows: &[Row], failures: &[(&str, &str)]) -> Vec<String> {
    let mut out = Vec::new();
    for row in rows {
        let listed = failures.iter().find(|(spec, _)| *spec == row.spec);
        match (row.passed(), listed) {
            (false, None) => out.push(format!("{} fails and is not an expected failure", row.spec)),
            (true, Some(_)) => out.push(format!(
                "{} passes: remove it from the expected failures (xtask/src/corpus/expected.rs)",
                row.spec
            )),
            _ => {}
        }
    }
    out
}

/// The reason a spec is expected to fail, if it is listed.
pub(super) fn reason(spec: &str) -> Option<&'static str> {
    FAILURES
        .iter()
        .find(|(s, _)| *s == spec)
        .map(|(_, reason)| *reason)
}

#[cfg(test)]
mod tests {
    use super::super::{Generated, Row};
    use super::*;

    fn row(spec: &str, passed: bool) -> Row {
        Row {
            spec: spec.to_owned(),
            version: "3.0.3".to_owned(),
            spec_operations: 1,
            generated: if passed {
                Ok(Generated {
                    operations: 1,
                    untyped: 0,
                    positions: 0,
                    warnings: Default::default(),
                    check: None,
                })
            } else {
                Err("refused".to_owned())
            },
            seconds: 0.0,
        }
    }

    /// A listed spec that now passes is a surprise too: the list must shrink with each fix.
    #[test]
    fn a_listed_spec_that_passes_and_an_unlisted_failure_are_both_reported() {
        let listed = [("fixed.yaml", "was broken")];
        let rows = [
            row("fixed.yaml", true),
            row("new.yaml", false),
            row("ok.yaml", true),
        ];
        assert_eq!(
            surprises_against(&rows, &listed),
            [
                "fixed.yaml passes: remove it from the expected failures (xtask/src/corpus/expected.rs)",
                "new.yaml fails and is not an expected failure",
            ]
        );
        assert!(surprises_against(&[row("fixed.yaml", false)], &listed).is_empty());
    }
}
