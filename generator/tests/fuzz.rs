//! Robustness: mutated specs through load + patch + normalize + render + format.
//!
//! Each case takes a seed spec (every fixture, the project slices, and the upstream Okta
//! 2026.06.3 and OneLogin 3.1.1 files with their provider configs), applies one to four
//! mutations to nodes the generator actually reads (drop a node, retype it, alter it with an
//! OpenAPI keyword, point it at another schema to make cycles, or corrupt the YAML text), and
//! runs the whole pipeline on a watchdog thread. A case passes when the pipeline
//!
//! - does not panic,
//! - finishes within the time limit (no hang on cycles),
//! - and either generates, or fails with an error that names the file and, for a spec error, a
//!   JSON pointer that exists in the mutated document; a template rendering invalid Rust is a
//!   failure of the generator, never an acceptable answer;
//! - and, when it generates, passes the injection oracle (`common::oracle`): two mutations
//!   append an escape attempt and the marker `INJECTED_MARKER` to a string node or an object
//!   key (a property, path, parameter or schema name), and no generated item, attribute,
//!   manifest key or Markdown line may carry the marker outside a literal or comment.
//!
//! Proptest drives the cases (fixed seed, so CI is reproducible) and shrinks a failing case to
//! its smallest mutation list. `FUZZ_CASES` (default 256 per seed group) and `FUZZ_SEED` change
//! the run; the counts are printed and recorded in docs/conformance.md.

#[path = "support/common.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use mfa_codegen::{GenError, ProviderConfig};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use serde_json::{json, Value};

/// One seed spec and where mutations may land.
struct Seed {
    name: String,
    path: PathBuf,
    config: ProviderConfig,
    raw: Value,
    /// JSON pointers of the nodes the pipeline reads for this config (mutating the other 95%
    /// of a whole upstream file would test nothing).
    targets: Vec<String>,
    /// Names of component schemas, for `$ref` mutations.
    schemas: Vec<String>,
}

#[derive(Debug, Clone)]
enum Mutation {
    Drop(usize),
    Retype(usize, usize),
    Keyword(usize, usize, usize),
    RefTo(usize, usize),
    Text(usize, usize),
    /// Appends `INJECTIONS[_]` and the marker to the string node at the target.
    Inject(usize, usize),
    /// Appends `INJECTIONS[_]` and the marker to the target's key in its parent object.
    InjectKey(usize, usize),
}

/// Escape attempts from Rust doc comments, string literals, TOML strings and Markdown.
const INJECTIONS: &[&str] = &[
    "\n",
    "\r",
    "\r\n",
    "\u{2028}",
    "\u{202e}",
    "\u{2066}",
    "*/",
    "\"",
    "\"#",
    "\\",
    "#[",
    "}",
    "\"\n[package]\nbuild = ",
    "\n```\n",
];

fn injected(escape: &str) -> String {
    format!(
        "{escape} pub fn {m}() {{}} #[{m}] {m} = 1 //",
        m = common::oracle::MARKER
    )
}

const RETYPES: &[fn() -> Value] = &[
    || Value::Null,
    || json!(true),
    || json!(-7),
    || json!(3.5),
    || json!(""),
    || json!("#/components/schemas/Nope"),
    || json!([]),
    || json!({}),
    || json!([{}]),
    || json!({"$ref": 1}),
];

const KEYWORDS: &[&str] = &[
    "type",
    "items",
    "properties",
    "required",
    "allOf",
    "oneOf",
    "anyOf",
    "discriminator",
    "enum",
    "additionalProperties",
    "nullable",
    "format",
    "$ref",
    "readOnly",
    "in",
    "name",
    "schema",
    "content",
    "operationId",
];

const VALUES: &[fn() -> Value] = &[
    || json!("object"),
    || json!("array"),
    || json!("string"),
    || json!("integer"),
    || json!("unheard-of"),
    || json!({"type": "array"}),
    || json!({"propertyName": "kind", "mapping": {"a": "#/components/schemas/Nope"}}),
    || json!({"propertyName": "kind"}),
    || json!(["a", "a", 1, null, true]),
    || json!([{"type": "string"}, {"type": "array", "items": {"type": "string"}}]),
    || json!({"x": {"type": "string"}, "r#type": {}, "": {}, "123": {}, "self": {}}),
    || json!(true),
    || json!("#/components/schemas/Nope"),
    || json!("ISO 8601 compliant timestamp"),
    || json!("header"),
    || json!("cookie"),
    || json!("fn"),
    || json!({"application/json": {}}),
    || json!({"text/plain": {"schema": {"type": "string"}}}),
];

const TEXT_EDITS: &[&str] = &[
    "",
    "{",
    "]",
    "\t",
    ": :",
    "&a",
    "*nope",
    "- - -",
    "'",
    "\u{0}",
    "&x [*x, *x, *x, *x, *x, *x, *x, *x]",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    let n = 1usize << 20;
    // weighted towards edits that still parse as OpenAPI, so most cases reach normalize and
    // render instead of stopping at the parser
    prop_oneof![
        1 => (0..n).prop_map(Mutation::Drop),
        2 => (0..n, 0..RETYPES.len()).prop_map(|(a, b)| Mutation::Retype(a, b)),
        4 => (0..n, 0..KEYWORDS.len(), 0..VALUES.len()).prop_map(|(a, b, c)| Mutation::Keyword(a, b, c)),
        3 => (0..n, 0..n).prop_map(|(a, b)| Mutation::RefTo(a, b)),
        1 => (0..n, 0..TEXT_EDITS.len()).prop_map(|(a, b)| Mutation::Text(a, b)),
        2 => (0..n, 0..INJECTIONS.len()).prop_map(|(a, b)| Mutation::Inject(a, b)),
        2 => (0..n, 0..INJECTIONS.len()).prop_map(|(a, b)| Mutation::InjectKey(a, b)),
    ]
}

fn walk(node: &Value, pointer: &str, out: &mut Vec<String>) {
    out.push(pointer.to_owned());
    match node {
        Value::Object(map) => {
            for (k, v) in map {
                walk(v, &mfa_codegen::error::pointer_push(pointer, k), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, &format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn seed(name: &str, path: PathBuf, config: ProviderConfig, whole: bool) -> Seed {
    let raw = mfa_codegen::load::read_raw(&path).unwrap_or_else(|e| panic!("{e}"));
    let schemas: Vec<String> = raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut targets = Vec::new();
    if whole {
        walk(&raw, "", &mut targets);
    } else {
        // what the selected operations reach: their path items and the component schemas
        // that become models (found by generating once)
        let api = mfa_codegen::build_provider(&config, &path)
            .unwrap_or_else(|e| panic!("{e}"))
            .api;
        let mut roots: Vec<String> = api
            .operations
            .iter()
            .map(|op| mfa_codegen::error::pointer_push("/paths", &op.path))
            .collect();
        roots.extend(
            api.models
                .iter()
                .filter(|m| schemas.contains(&m.spec_name))
                .map(|m| mfa_codegen::error::pointer_push("/components/schemas", &m.spec_name)),
        );
        roots.sort();
        roots.dedup();
        for root in roots {
            if let Some(node) = raw.pointer(&root) {
                walk(node, &root, &mut targets);
            }
        }
    }
    Seed {
        name: name.to_owned(),
        path,
        config,
        raw,
        targets,
        schemas,
    }
}

fn seeds() -> Vec<Seed> {
    let mut out: Vec<Seed> = common::fixture_names()
        .iter()
        .map(|name| {
            let config = common::fixture_config(name);
            let path = config.spec_path();
            seed(name, path, config, true)
        })
        .collect();
    for provider in ["okta", "onelogin"] {
        let config =
            ProviderConfig::load(&common::workspace_root().join(format!("specs/{provider}.toml")))
                .expect("config");
        out.push(seed(
            &format!("specs/{provider}"),
            config.spec_path(),
            config.clone(),
            true,
        ));
        let upstream = config.upstream.same_api_as.first().cloned();
        if let Some(file) = upstream.and_then(|f| common::upstream(&f.to_string_lossy())) {
            out.push(seed(
                &format!("upstream {}", file.display()),
                file,
                config,
                false,
            ));
        }
    }
    out
}

fn remove(raw: &mut Value, pointer: &str) {
    let Some((parent, key)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = key.replace("~1", "/").replace("~0", "~");
    match raw.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        _ => {}
    }
}

/// Appends an injection to the last key of `pointer` (keeps the other keys' order; the renamed
/// one moves to the end).
fn rename_key(raw: &mut Value, pointer: &str, escape: &str) {
    let Some((parent, key)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = key.replace("~1", "/").replace("~0", "~");
    if let Some(Value::Object(map)) = raw.pointer_mut(parent) {
        if let Some(value) = map.shift_remove(&key) {
            map.insert(format!("{key}{}", injected(escape)), value);
        }
    }
}

/// Applies the mutations; returns the document and, for text edits, the YAML text to parse.
fn mutate(seed: &Seed, mutations: &[Mutation]) -> (Value, Option<String>) {
    let mut raw = seed.raw.clone();
    let mut text = None;
    let pick = |i: usize| seed.targets[i % seed.targets.len()].clone();
    for m in mutations {
        match m {
            Mutation::Drop(i) => remove(&mut raw, &pick(*i)),
            Mutation::Retype(i, r) => {
                if let Some(node) = raw.pointer_mut(&pick(*i)) {
                    *node = RETYPES[*r]();
                }
            }
            Mutation::Keyword(i, k, v) => match raw.pointer_mut(&pick(*i)) {
                Some(Value::Object(map)) => {
                    map.insert(KEYWORDS[*k].to_owned(), VALUES[*v]());
                }
                Some(node) => *node = VALUES[*v](),
                None => {}
            },
            Mutation::RefTo(i, s) => {
                if let (Some(node), false) = (raw.pointer_mut(&pick(*i)), seed.schemas.is_empty()) {
                    let name = &seed.schemas[s % seed.schemas.len()];
                    *node = json!({ "$ref": format!("#/components/schemas/{name}") });
                }
            }
            Mutation::Inject(i, e) => {
                if let Some(Value::String(text)) = raw.pointer_mut(&pick(*i)) {
                    text.push_str(&injected(INJECTIONS[*e]));
                }
            }
            Mutation::InjectKey(i, e) => rename_key(&mut raw, &pick(*i), INJECTIONS[*e]),
            Mutation::Text(at, e) => {
                let mut yaml = text
                    .take()
                    .unwrap_or_else(|| serde_yaml_ng::to_string(&raw).unwrap_or_default());
                let mut cut = at % (yaml.len() + 1);
                while !yaml.is_char_boundary(cut) {
                    cut -= 1;
                }
                yaml.insert_str(cut, TEXT_EDITS[*e]);
                text = Some(yaml);
            }
        }
    }
    (raw, text)
}

/// What one case ended in (panics and hangs fail the case before this).
#[derive(Debug)]
enum Ending {
    Generated,
    Error(GenError),
}

/// Generates; returns what the injection oracle found in the output.
fn pipeline(
    path: &Path,
    config: &ProviderConfig,
    raw: Value,
    text: Option<String>,
) -> Result<Vec<String>, GenError> {
    let mut raw = match text {
        Some(text) => mfa_codegen::load::parse_spec(path, &text)?.raw,
        None => raw,
    };
    // the steps of mfa_codegen::build_provider, on an in-memory tree
    let patched = mfa_codegen::patch::apply(&mut raw, &config.patches, false, path)?;
    let loaded = mfa_codegen::load::from_raw(path, raw)?;
    let mut api = mfa_codegen::normalize::normalize(&loaded, config)?;
    api.warnings.extend(patched.warnings);
    for w in &api.warnings {
        assert!(
            w.pointer.is_empty() || w.pointer.starts_with('/'),
            "warning pointer {w:?}"
        );
    }
    let files = mfa_codegen::generate_standalone(
        config,
        std::slice::from_ref(&api),
        "fuzz",
        &mut mfa_codegen::Formatter::plain(),
    )?;
    Ok(injection_breaches(&files))
}

/// The injection oracle over one generated crate (syn tokens, TOML keys, Markdown lines).
fn injection_breaches(files: &[mfa_codegen::OutputFile]) -> Vec<String> {
    let marker = common::oracle::MARKER;
    let mut found = Vec::new();
    for file in files {
        if file.path.ends_with(".rs") {
            found.extend(common::oracle::rust_breaches(&file.path, &file.text));
        } else if file.path == "Cargo.toml" {
            match toml::from_str::<toml::Table>(&file.text) {
                Ok(table) => {
                    let mut keys = std::collections::BTreeSet::new();
                    common::oracle::key_paths(&table, "", &mut keys);
                    found.extend(
                        keys.into_iter()
                            .filter(|k| k.contains(marker))
                            .map(|k| format!("Cargo.toml: key {k}")),
                    );
                }
                Err(e) => found.push(format!("Cargo.toml does not parse: {e}")),
            }
        } else if file.path.ends_with(".md") {
            let lines = common::oracle::markdown_breaches(&file.text, &["```text", "```"]);
            found.extend(lines.into_iter().map(|l| format!("{}: {l:?}", file.path)));
        }
    }
    found
}

/// Runs the pipeline on a watchdog thread: a panic or a hang is a failed case.
fn run_case(seed: &Arc<Seed>, mutations: &[Mutation]) -> Result<Ending, TestCaseError> {
    if std::env::var_os("FUZZ_TRACE").is_some() {
        eprintln!("case {}: {mutations:?}", seed.name);
    }
    let (raw, text) = mutate(seed, mutations);
    let mutated = raw.clone();
    let (tx, rx) = mpsc::channel();
    let worker = Arc::clone(seed);
    let text_case = text.is_some();
    std::thread::spawn(move || {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pipeline(&worker.path, &worker.config, raw, text)
        }));
        let _ = tx.send(result);
    });
    let limit = Duration::from_secs(30);
    let result = rx.recv_timeout(limit).map_err(|_| {
        TestCaseError::fail(format!("{}: no answer within {limit:?} (hang?)", seed.name))
    })?;
    let outcome = result.map_err(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        TestCaseError::fail(format!("{}: panicked: {message}", seed.name))
    })?;
    let error = match outcome {
        Ok(breaches) if breaches.is_empty() => return Ok(Ending::Generated),
        Ok(breaches) => {
            return Err(TestCaseError::fail(format!(
                "{}: spec text became code: {}",
                seed.name,
                breaches.join("; ")
            )))
        }
        Err(e) => e,
    };
    let text = error.to_string();
    let file = seed.path.display().to_string();
    let fail = |why: &str| Err(TestCaseError::fail(format!("{}: {why}: {text}", seed.name)));
    match &error {
        GenError::Render { .. } => return fail("rendered invalid Rust"),
        GenError::Io { .. } => return fail("I/O error without disk input"),
        GenError::Output { .. } => return fail("output-folder error without writing"),
        GenError::Spec { pointer, .. } => {
            if !text.starts_with(&format!("{file}: at ")) {
                return fail("spec error does not start with file and pointer");
            }
            // the pointer names a node of the document the pipeline saw (text cases re-parse,
            // so only the syntax is checked there)
            let resolves = pointer.is_empty() || mutated.pointer(pointer).is_some();
            if !text_case && !resolves && !pointer_in_patched(seed, &mutated, pointer) {
                return fail("spec error names a pointer that is not in the document");
            }
        }
        GenError::Syntax { .. } | GenError::Unsupported { .. } => {
            if !text.starts_with(&format!("{file}: ")) {
                return fail("error does not start with the file");
            }
        }
        GenError::Config { .. } => {
            // a mutation removed an operationId or tag the config selects
            if !text.contains(&file) {
                return fail("config error does not name the spec file");
            }
        }
    }
    if text.lines().count() != 1 {
        return fail("error is not one line");
    }
    Ok(Ending::Error(error))
}

/// Pointers of errors can name nodes the config's wire patches created.
fn pointer_in_patched(seed: &Seed, mutated: &Value, pointer: &str) -> bool {
    let mut raw = mutated.clone();
    let _ = mfa_codegen::patch::apply(&mut raw, &seed.config.patches, false, &seed.path);
    raw.pointer(pointer).is_some()
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

// Three tests over disjoint seed sets, so the test harness runs them on parallel threads
// (cargo runs test binaries one after another; one long test would hold a single core). The
// fixtures and slices are most of the cases, so they are split in two by position.
#[test]
fn mutated_fixture_and_slice_specs_never_panic_hang_or_fail_without_a_pointer_even() {
    fuzz("fixtures and slices (even)", |i, seed| {
        !seed.name.starts_with("upstream") && i % 2 == 0
    });
}

#[test]
fn mutated_fixture_and_slice_specs_never_panic_hang_or_fail_without_a_pointer_odd() {
    fuzz("fixtures and slices (odd)", |i, seed| {
        !seed.name.starts_with("upstream") && i % 2 == 1
    });
}

#[test]
fn mutated_upstream_specs_never_panic_hang_or_fail_without_a_pointer() {
    fuzz("upstream", |_, seed| seed.name.starts_with("upstream"));
}

/// The fuzz run over the seeds `keep` selects (by position among all seeds, and seed).
fn fuzz(label: &str, keep: impl Fn(usize, &Seed) -> bool) {
    let cases = env_number("FUZZ_CASES", 256) as u32;
    let seed_value = env_number("FUZZ_SEED", 0x5eed_0005);
    let seeds: Vec<Arc<Seed>> = seeds()
        .into_iter()
        .enumerate()
        .filter(|(i, seed)| keep(*i, seed))
        .map(|(_, seed)| Arc::new(seed))
        .collect();
    if seeds.is_empty() {
        // the upstream folder is absent (its notice was printed): nothing of this group to run
        return;
    }
    let mut generated = 0usize;
    // generated cases whose spec carried an injection: the ones the oracle had work in
    let injected = std::cell::Cell::new(0usize);
    let mut errors: std::collections::BTreeMap<String, usize> = Default::default();
    let mut total = 0usize;
    for seed in &seeds {
        // whole upstream files cost ~0.1-1 s a case: fewer of them
        let n = if seed.name.starts_with("upstream") {
            (cases / 16).max(4)
        } else {
            cases / 4
        }
        .max(1);
        let mut runner = TestRunner::new(Config {
            cases: n,
            failure_persistence: None,
            rng_seed: RngSeed::Fixed(seed_value),
            max_shrink_iters: 256,
            ..Config::default()
        });
        let counts = std::cell::RefCell::new((0usize, Vec::<String>::new()));
        let result = runner.run(&proptest::collection::vec(mutation(), 1..=4), |mutations| {
            let ending = run_case(seed, &mutations)?;
            let mut counts = counts.borrow_mut();
            match ending {
                Ending::Generated => {
                    counts.0 += 1;
                    let injecting =
                        |m: &Mutation| matches!(m, Mutation::Inject(..) | Mutation::InjectKey(..));
                    if mutations.iter().any(injecting) {
                        injected.set(injected.get() + 1);
                    }
                }
                Ending::Error(e) => counts.1.push(kind_of(&e).to_owned()),
            }
            Ok(())
        });
        if let Err(failure) = result {
            panic!("{}: {failure}", seed.name);
        }
        let (ok, errs) = counts.into_inner();
        generated += ok;
        total += ok + errs.len();
        for e in errs {
            *errors.entry(e).or_default() += 1;
        }
    }
    eprintln!(
        "fuzz, {label}: {total} cases over {} seed specs (FUZZ_CASES={cases}, FUZZ_SEED={seed_value:#x}): {generated} generated ({} with injected text; each passed the injection oracle), errors {errors:?}, 0 panics, 0 hangs, 0 injections",
        seeds.len(),
        injected.get()
    );
    assert!(total > 0);
}

fn kind_of(error: &GenError) -> &'static str {
    match error {
        GenError::Io { .. } => "io",
        GenError::Config { .. } => "config",
        GenError::Unsupported { .. } => "unsupported",
        GenError::Syntax { .. } => "syntax",
        GenError::Spec { .. } => "spec",
        GenError::Render { .. } => "render",
        GenError::Output { .. } => "output",
    }
}
