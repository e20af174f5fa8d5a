//! Specs known not to generate or compile yet, each with the reason. A listed spec that
//! passes and an unlisted one that fails both fail the run, so a fix or a regression is
//! noticed.

use super::Row;

/// `(spec path in the corpus, why it fails)`.
pub(super) const FAILURES: &[(&str, &str)] = &[(
    "readmeio-oas-examples-3.0/parameters-style.yaml",
    "an object-valued path parameter (style: label/matrix/simple on an object) has no path \
     encoding yet: parameter styles, issue 18",
)];

/// What the run did not expect: an unlisted failure or a listed spec that now passes.
pub(super) fn surprises(rows: &[Row]) -> Vec<String> {
    let mut out = Vec::new();
    for row in rows {
        let listed = FAILURES.iter().find(|(spec, _)| *spec == row.spec);
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
