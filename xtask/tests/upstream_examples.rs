//! Every documented example of a selected operation's request or response body, in the upstream
//! Okta 2026.06.3 and OneLogin 3.1.1 specs, decodes into the generated type of that body and
//! re-encodes to an equal JSON value.
//!
//! The upstream spec goes through the generator's own load + wire-patch step (the same
//! `[[patch]]`es as the crate), and its IR selects the operations; the body -> Rust type table
//! (`round_trip_body`) is generated from the crate's IR, so neither list is kept by hand.
//! Skips, saying so, when `../shared/upstream-specs` is absent.

#[path = "support/conformance.rs"]
mod conformance;

use conformance::{body_sites, first_difference, provider_config, upstream_files, BodySite};
use serde_json::Value;

type RoundTrip =
    fn(&str, Option<&str>, Value) -> Option<(&'static str, Result<Value, serde_json::Error>)>;

#[derive(Default)]
struct Tally {
    checked: usize,
    failures: Vec<String>,
}

fn check_provider(provider: &str, round_trip: RoundTrip, tally: &mut Tally) {
    let config = provider_config(provider);
    for file in upstream_files(provider) {
        let (loaded, outcome) = mfa_codegen::load_patched(&config, &file)
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for warning in &outcome.warnings {
            println!("{provider}: {}: at {}", warning.message, warning.pointer);
        }
        let api = mfa_codegen::normalize::normalize(&loaded, &config)
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let ids: Vec<String> = api
            .operations
            .iter()
            .map(|o| o.operation_id.clone())
            .collect();
        let (mut media_examples, mut schema_examples) = (0, 0);
        let check = |tally: &mut Tally, label: &str, site: &BodySite, example: Value| {
            tally.checked += 1;
            match round_trip(&site.operation_id, site.status.as_deref(), example.clone()) {
                None => tally
                    .failures
                    .push(format!("{label}: the crate has no type for this body")),
                Some((ty, Err(e))) => tally
                    .failures
                    .push(format!("{label}: does not decode as {ty}: {e}")),
                Some((ty, Ok(again))) if again != example => tally.failures.push(format!(
                    "{label}: {ty} re-encodes differently ({})",
                    first_difference(&example, &again, "")
                )),
                Some(_) => {}
            }
        };
        for site in body_sites(&loaded.raw, &ids) {
            for (name, example) in site.examples(&loaded.raw) {
                media_examples += 1;
                let label = format!("{}: {} example `{name}`", file.display(), site.label());
                check(tally, &label, &site, example);
            }
            // The body schema's own `example` documents the same body (OneLogin's are only there).
            if let Some(example) = site.schema_example(&loaded.raw) {
                schema_examples += 1;
                check(
                    tally,
                    &format!("{}: {} schema example", file.display(), site.label()),
                    &site,
                    example,
                );
            }
        }
        println!(
            "{provider}: {} ({} operations): {media_examples} body examples, {schema_examples} body-schema examples",
            file.display(),
            ids.len()
        );
    }
}

#[test]
fn every_upstream_body_example_round_trips() {
    if conformance::upstream_specs().is_none() {
        println!("skipped: ../shared/upstream-specs is absent (upstream example round trips not checked)");
        return;
    }
    let mut tally = Tally::default();
    check_provider("okta", idp_mfa::okta::round_trip_body, &mut tally);
    check_provider("onelogin", idp_mfa::onelogin::round_trip_body, &mut tally);
    println!(
        "upstream examples: {} checked, {} equal after decode + re-encode",
        tally.checked,
        tally.checked - tally.failures.len()
    );
    // Okta alone documents well over a hundred bodies (125 media-type examples in 2026.06.3); a much smaller count means the walk
    // stopped finding them (a changed layout), not that everything passed.
    assert!(
        tally.checked >= 100,
        "only {} examples found",
        tally.checked
    );
    assert!(
        tally.failures.is_empty(),
        "{} of {} examples do not round-trip:\n{}",
        tally.failures.len(),
        tally.checked,
        tally.failures.join("\n")
    );
}

/// The wire patches reach the upstream file and its examples: the typo'd `resuable` is typed
/// as `reusable` in both, and the example's value lands in the typed field, not in
/// `additional_properties`.
#[test]
fn reusable_patch_applies_to_upstream_schema_and_example() {
    let config = provider_config("onelogin");
    let files = upstream_files("onelogin");
    if files.is_empty() {
        println!("skipped: ../shared/upstream-specs is absent");
        return;
    }
    for file in files {
        let (loaded, outcome) = mfa_codegen::load_patched(&config, &file).expect("loads");
        assert!(
            outcome.warnings.is_empty(),
            "{}: {:?}",
            file.display(),
            outcome.warnings
        );
        let schema = &loaded.raw["components"]["schemas"]["generateMFAtoken_200_response"];
        assert!(schema["properties"].get("reusable").is_some());
        assert!(schema["properties"].get("resuable").is_none());
        let token: idp_mfa::onelogin::GenerateMfaTokenResponse =
            serde_json::from_value(schema["example"].clone()).expect("example decodes");
        assert_eq!(token.reusable, Some(true));
        assert!(token.additional_properties.is_empty());
    }
}
