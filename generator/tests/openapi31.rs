//! OpenAPI 3.1 input: each down-levelling rule on a small inline spec (the tree the rest of the
//! pipeline reads, and what it generates), then every 3.1 file of the public corpus beside the
//! project (`../shared/openapi-corpus/`, skipped with a notice when absent).

#[path = "support/common.rs"]
mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mfa_codegen::ir::{Api, Warning, WarningKind};
use mfa_codegen::load::{parse_spec, LoadedSpec};
use mfa_codegen::ProviderConfig;
use serde_json::{json, Value};

const HEAD: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";

fn load(body: &str) -> LoadedSpec {
    parse_spec(Path::new("spec.yaml"), &format!("{HEAD}{body}")).unwrap_or_else(|e| panic!("{e}"))
}

/// A spec whose only content is `components/schemas/S: <schema>`, loaded.
fn schema(text: &str) -> (Value, Vec<Warning>) {
    let spec = load(&format!(
        "paths: {{}}\ncomponents:\n  schemas:\n    S: {text}\n"
    ));
    (
        spec.raw["components"]["schemas"]["S"].clone(),
        spec.warnings,
    )
}

fn conversions(warnings: &[Warning]) -> Vec<(&str, &str)> {
    warnings
        .iter()
        .filter(|w| w.kind == WarningKind::Conversion)
        .map(|w| (w.pointer.as_str(), w.message.as_str()))
        .collect()
}

fn write_spec(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mfa-openapi31-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write spec");
    path
}

fn generate(name: &str, body: &str) -> Api {
    let spec = write_spec(name, &format!("{HEAD}{body}"));
    mfa_codegen::build_provider(&ProviderConfig::everything(&spec), &spec)
        .unwrap_or_else(|e| panic!("{e}"))
        .api
}

/// The generated models module of `api`, as one string.
fn models(api: &Api) -> String {
    common::standalone_files(api)
        .into_iter()
        .filter(|f| f.path.contains("models"))
        .map(|f| f.text)
        .collect::<Vec<_>>()
        .join("\n")
}

// ---------------------------------------------------------------- the public corpus

/// The corpus folder beside the project, or `None` (with a notice) when absent.
fn corpus() -> Option<PathBuf> {
    let path = common::workspace_root().join("../shared/openapi-corpus");
    if path.join("corpus.tsv").exists() {
        Some(path)
    } else {
        eprintln!(
            "notice: {} not found; skipping the OpenAPI 3.1 corpus sweep",
            path.display()
        );
        None
    }
}

/// Every OpenAPI 3.1 file the corpus lists, relative to its folder.
fn corpus_31(dir: &Path) -> Vec<String> {
    let list = std::fs::read_to_string(dir.join("corpus.tsv")).expect("read corpus.tsv");
    list.lines()
        .skip(1)
        .filter_map(|line| {
            let mut columns = line.split('\t');
            let file = columns.next()?;
            let version = columns.next()?;
            version.starts_with("3.1").then(|| file.to_owned())
        })
        .collect()
}

/// 3.1 corpus files that are allowed not to generate, with the reason (none today).
const NOT_GENERATED: &[(&str, &str)] = &[];

#[test]
fn every_openapi_31_file_of_the_corpus_generates() {
    let Some(dir) = corpus() else { return };
    let files = corpus_31(&dir);
    assert!(
        files.len() >= 12,
        "the corpus lists {} 3.1 files",
        files.len()
    );
    let mut failures = Vec::new();
    println!("| file | ops | generated | warnings by kind |");
    println!("|---|---|---|---|");
    for file in &files {
        let spec = dir.join(file);
        let run = mfa_codegen::build_provider(&ProviderConfig::everything(&spec), &spec);
        match run {
            Ok(run) => {
                let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
                for w in &run.api.warnings {
                    *kinds.entry(kind_name(w.kind)).or_default() += 1;
                }
                let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
                println!(
                    "| {file} | {} | yes | {} |",
                    run.api.operations.len(),
                    kinds.join(", ")
                );
                assert!(
                    !NOT_GENERATED.iter().any(|(f, _)| f == file),
                    "{file} generates now: take it off NOT_GENERATED"
                );
            }
            Err(e) => {
                let message = e.to_string();
                println!("| {file} | - | no | {message} |");
                assert_eq!(message.lines().count(), 1, "{message}");
                if !NOT_GENERATED.iter().any(|(f, _)| f == file) {
                    failures.push(format!("{file}: {message}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn kind_name(kind: WarningKind) -> &'static str {
    // the Debug name is the short, stable one the tables use
    Box::leak(format!("{kind:?}").into_boxed_str())
}

#[test]
#[ignore]
fn dump_conversion_warnings() {
    let Some(dir) = corpus() else { return };
    for file in corpus_31(&dir) {
        let spec = dir.join(&file);
        let Ok(run) = mfa_codegen::build_provider(&ProviderConfig::everything(&spec), &spec) else {
            continue;
        };
        let mut groups: BTreeMap<String, (usize, String)> = BTreeMap::new();
        for w in &run.api.warnings {
            let key = format!(
                "{:?} {}",
                w.kind,
                w.message.chars().take(50).collect::<String>()
            );
            let e = groups.entry(key).or_insert((0, w.pointer.clone()));
            e.0 += 1;
        }
        for (k, (n, p)) in groups {
            println!("{file}\t{n}\t{k}\t{p}");
        }
    }
}
