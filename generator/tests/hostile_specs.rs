//! Spec text is data, never code. Hostile specs put an escape attempt followed by the marker
//! identifier `INJECTED_MARKER` in every place a spec string (or the spec's file name) can
//! land; the generated outputs are checked by oracles that know nothing of the templates:
//!
//! - Rust: every `.rs` output parses (`syn`), and no token outside a string literal (doc
//!   comments are `#[doc = "..."]` literals) is an identifier containing the marker. Code
//!   blocks rustdoc would compile are parsed and checked the same way.
//! - `Cargo.toml` parses (`toml`) and has exactly the key paths of a benign spec's manifest.
//! - `API.md` and a changelog entry: no line starts with the marker, and the only fences are
//!   the generator's own.
//! - One crate from a spec holding every attempt in every place builds (`cargo check`).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use mfa_codegen::{CrateConfig, OutputFile, ProviderConfig};
use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use serde_json::{json, Value};

const MARKER: &str = "INJECTED_MARKER";

/// Ways out of a doc comment, a string literal, an attribute, a TOML string or a Markdown
/// block. Each is followed by the marker written as an item, an attribute and a manifest key.
const ESCAPES: &[&str] = &[
    "\n",
    "\r",
    "\r\n",
    "\u{2028}",
    "\u{2029}",
    "\u{85}",
    "\u{202e}",
    "\u{2066}",
    "\u{200f}",
    "\u{61c}",
    "*/",
    "\"",
    "\"#",
    "\\",
    "\\\"",
    "#[",
    "}",
    "\"\n[package]\nbuild = ",
    "\n```\n",
];

/// The attempt followed by the marker as an item, an attribute and a manifest key.
fn payload(escape: &str) -> String {
    format!("x{escape} pub fn {MARKER}() {{}} #[{MARKER}] {MARKER} = \"{MARKER}\"\n{MARKER}")
}

/// The attempt followed by an item only: valid Rust if it escapes, so a generator without
/// escaping produces a crate that builds with the item in it.
fn item_payload(escape: &str) -> String {
    format!("x{escape} pub fn {MARKER}() {{}}")
}

/// A spec with `text(place)` in every place spec text can land.
fn hostile_spec(text: &dyn Fn(&str) -> String) -> Value {
    let t = |place: &str| text(place);
    // a path holds literal text only between its parameters; braces would make parameters
    let path_text = t("path").replace(['{', '}'], "(");
    let scheme = t("scheme");
    let scope = t("scope");
    let header_param = t("header-param");
    let query_param = t("query-param");
    let property = t("property");
    let discriminator = t("discriminator");
    let schema = |name: &str| format!("S{}", t(name).replace(['/', '~'], "_"));
    let reference =
        |name: &str| json!({ "$ref": format!("#/components/schemas/{}", schema(name)) });
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": t("info-title"),
            "description": t("info-description"),
            "version": t("info-version"),
        },
        "servers": [{ "url": format!("https://example.com/{}", t("server")) }],
        "tags": [{ "name": t("tag"), "description": t("tag-description") }],
        "security": [{ scheme.clone(): [scope.clone()] }],
        "paths": {
            format!("/items/{path_text}/{{id}}"): {
                "get": {
                    "operationId": t("operation-id"),
                    "tags": [t("tag")],
                    "summary": t("summary"),
                    "description": t("description"),
                    "parameters": [
                        { "name": "id", "in": "path", "required": true,
                          "description": t("path-param-description"),
                          "schema": { "type": "string" } },
                        { "name": query_param, "in": "query", "required": true,
                          "description": t("param-description"),
                          "schema": { "type": "string", "default": t("default"),
                                      "enum": [t("param-enum"), "plain"] } },
                        { "name": header_param, "in": "header",
                          "description": t("header-description"),
                          "schema": { "type": "string", "default": t("header-default") } },
                        { "name": t("optional-query"), "in": "query",
                          "schema": { "type": "integer" } },
                    ],
                    "responses": {
                        "200": {
                            "description": t("response-description"),
                            "headers": { t("response-header"): { "schema": { "type": "string" } } },
                            "content": { "application/json": { "schema": reference("model") } },
                        },
                        "201": {
                            "description": t("second-response"),
                            "content": { "application/json": { "schema": reference("pet") } },
                        },
                    },
                },
                "post": {
                    "operationId": t("post-operation-id"),
                    "description": t("post-description"),
                    "requestBody": {
                        "required": true,
                        "description": t("body-description"),
                        "content": { "application/json": {
                            "schema": reference("model"),
                            "example": { property.clone(): t("example") },
                        } },
                    },
                    "responses": { "204": { "description": t("no-content") } },
                },
            },
        },
        "components": {
            "securitySchemes": {
                scheme: {
                    "type": "oauth2",
                    "description": t("scheme-description"),
                    "flows": { "clientCredentials": {
                        "tokenUrl": "https://example.com/token",
                        "scopes": { scope: t("scope-description") },
                    } },
                },
            },
            "schemas": {
                schema("model"): {
                    "type": "object",
                    "description": t("schema-description"),
                    "required": [property.clone()],
                    "properties": {
                        property: { "type": "string", "description": t("property-description"),
                                    "example": t("property-example") },
                        t("nullable-property"): { "type": "string", "nullable": true },
                        "kind": reference("enum"),
                        "count": reference("int-enum"),
                        "nested": { "type": "object", "description": t("inline-description"),
                                    "properties": { t("inline-property"): { "type": "boolean" } } },
                    },
                },
                schema("enum"): {
                    "type": "string",
                    "description": t("enum-description"),
                    "enum": [t("enum-value"), t("enum-value-2"), "plain"],
                },
                schema("int-enum"): { "type": "integer", "enum": [1, 2] },
                schema("pet"): {
                    "type": "object",
                    "description": t("union-description"),
                    "properties": { discriminator.clone(): { "type": "string" } },
                    "discriminator": {
                        "propertyName": discriminator,
                        "mapping": {
                            t("mapping-cat"): format!("#/components/schemas/{}", schema("cat")),
                            t("mapping-dog"): format!("#/components/schemas/{}", schema("dog")),
                        },
                    },
                },
                schema("cat"): { "allOf": [reference("pet"), { "type": "object",
                    "properties": { t("cat-property"): { "type": "string" } } }] },
                schema("dog"): { "allOf": [reference("pet"), { "type": "object",
                    "properties": { t("dog-property"): { "type": "integer" } } }] },
            },
        },
    })
}

/// Writes `spec` under a fresh folder as `file_name`, generates a standalone crate from it.
fn generate(dir: &Path, file_name: &str, spec: &Value) -> (ProviderConfig, Vec<OutputFile>) {
    try_generate(dir, file_name, spec).unwrap_or_else(|e| panic!("{e}"))
}

fn try_generate(
    dir: &Path,
    file_name: &str,
    spec: &Value,
) -> Result<(ProviderConfig, Vec<OutputFile>), String> {
    std::fs::create_dir_all(dir).expect("spec dir");
    let path = dir.join(file_name);
    let yaml = serde_yaml_ng::to_string(spec).expect("yaml");
    std::fs::write(&path, yaml).expect("write spec");
    let config = ProviderConfig::everything(&path);
    let run = mfa_codegen::build_provider(&config)
        .map_err(|e| format!("{file_name:?}: hostile text must be data, not an error: {e}"))?;
    assert_eq!(run.api.operations.len(), 2, "{file_name:?}");
    let files = mfa_codegen::generate_crate(
        &CrateConfig::standalone(&config),
        std::slice::from_ref(&run.api),
        true,
        "test",
    )
    .map_err(|e| format!("{file_name:?}: generation failed: {e}"))?;
    Ok((config, files))
}

fn scratch(name: &str) -> PathBuf {
    let dir = common::workspace_root()
        .join("target/hostile-specs")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Identifiers (outside literals) that contain the marker, with the tokens around them.
fn marker_idents(tokens: TokenStream, out: &mut Vec<String>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Group(group) => marker_idents(group.stream(), out),
            TokenTree::Ident(ident) if ident.to_string().contains(MARKER) => {
                let context: Vec<String> = tokens[i.saturating_sub(3)..(i + 2).min(tokens.len())]
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                out.push(context.join(" "));
            }
            _ => {}
        }
    }
}

/// The Rust code of doc-comment code blocks rustdoc would compile (no language, `rust`,
/// `no_run`, `should_panic`, ...), with rustdoc's `# ` hidden-line prefix removed; each item's
/// docs on their own, as rustdoc reads them.
fn doctest_blocks(file: &syn::File) -> Vec<String> {
    let mut docs = Vec::new();
    collect_docs(file.to_token_stream(), &mut docs);
    let mut blocks = Vec::new();
    for doc in docs {
        // `Some(Some(code))`: in a compiled block; `Some(None)`: in another fence
        let mut fence: Option<Option<String>> = None;
        for line in doc.lines() {
            let line = line.strip_prefix(' ').unwrap_or(line);
            if let Some(lang) = line.trim_start().strip_prefix("```") {
                match fence.take() {
                    Some(Some(code)) => blocks.push(code),
                    Some(None) => {}
                    None => {
                        let compiled = lang.split(',').map(str::trim).all(|w| {
                            matches!(w, "" | "rust" | "no_run" | "should_panic" | "edition2021")
                        });
                        fence = Some(compiled.then(String::new));
                    }
                }
            } else if let Some(Some(code)) = &mut fence {
                let line = if line == "#" {
                    ""
                } else {
                    line.strip_prefix("# ").unwrap_or(line)
                };
                code.push_str(line);
                code.push('\n');
            }
        }
    }
    blocks
}

/// The text of each run of consecutive `#[doc = "..."]` attributes (one item's docs).
fn collect_docs(tokens: TokenStream, out: &mut Vec<String>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut Vec<String>| {
        if !run.is_empty() {
            out.push(std::mem::take(run));
        }
    };
    let mut i = 0;
    while i < tokens.len() {
        if let TokenTree::Punct(hash) = &tokens[i] {
            if hash.as_char() == '#' {
                let mut j = i + 1;
                if matches!(tokens.get(j), Some(TokenTree::Punct(p)) if p.as_char() == '!') {
                    j += 1;
                }
                if let Some(TokenTree::Group(group)) = tokens.get(j) {
                    if let Some(text) = doc_attribute(group.stream()) {
                        run.push_str(&text);
                        run.push('\n');
                        i = j + 1;
                        continue;
                    }
                }
            }
        }
        flush(&mut run, out);
        if let TokenTree::Group(group) = &tokens[i] {
            collect_docs(group.stream(), out);
        }
        i += 1;
    }
    flush(&mut run, out);
}

/// `doc = "text"` inside an attribute's brackets: the text.
fn doc_attribute(tokens: TokenStream) -> Option<String> {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    match tokens.as_slice() {
        [TokenTree::Ident(name), TokenTree::Punct(eq), TokenTree::Literal(lit)]
            if name == "doc" && eq.as_char() == '=' =>
        {
            syn::parse_str::<syn::LitStr>(&lit.to_string())
                .ok()
                .map(|l| l.value())
        }
        _ => None,
    }
}

/// Every key path of a TOML table (`package.name`, `features.default`, ...).
fn key_paths(table: &toml::Table, prefix: &str, out: &mut BTreeSet<String>) {
    for (key, value) in table {
        let path = format!("{prefix}{key:?}");
        if let toml::Value::Table(inner) = value {
            key_paths(inner, &format!("{path}."), out);
        }
        out.insert(path);
    }
}

/// Lines of Markdown `text` that spec text turned into structure: a line starting with the
/// marker, or a fence the generator did not write (`allowed`).
fn markdown_breaches(text: &str, allowed: &[&str]) -> Vec<String> {
    text.lines()
        .filter(|line| {
            let trimmed = line.trim_start();
            trimmed.starts_with(MARKER)
                || ((trimmed.starts_with("```") || trimmed.starts_with("~~~"))
                    && !allowed.contains(line))
        })
        .map(str::to_owned)
        .collect()
}

/// The oracle over one generated crate; returns what it found wrong.
fn breaches(files: &[OutputFile], benign_manifest_keys: &BTreeSet<String>) -> Vec<String> {
    let mut found = Vec::new();
    for file in files {
        if file.path.ends_with(".rs") {
            // rustc refuses these anywhere in source, comments included
            let refused =
                |c: char| matches!(c, '\r' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
            if let Some(at) = file.text.find(refused) {
                found.push(format!(
                    "{}: raw CR or bidi control at byte {at}",
                    file.path
                ));
            }
            let parsed = match syn::parse_file(&file.text) {
                Ok(parsed) => parsed,
                Err(e) => {
                    found.push(format!("{}: does not parse: {e}", file.path));
                    continue;
                }
            };
            let mut idents = Vec::new();
            marker_idents(parsed.to_token_stream(), &mut idents);
            for context in idents {
                found.push(format!("{}: live marker identifier: {context}", file.path));
            }
            for code in doctest_blocks(&parsed) {
                match syn::parse_file(&code) {
                    Ok(block) => {
                        let mut idents = Vec::new();
                        marker_idents(block.to_token_stream(), &mut idents);
                        for context in idents {
                            found.push(format!("{}: marker in doctest code: {context}", file.path));
                        }
                    }
                    Err(e) => found.push(format!(
                        "{}: doctest does not parse: {e}\n{code}",
                        file.path
                    )),
                }
            }
        } else if file.path == "Cargo.toml" {
            match toml::from_str::<toml::Table>(&file.text) {
                Ok(table) => {
                    let mut keys = BTreeSet::new();
                    key_paths(&table, "", &mut keys);
                    if &keys != benign_manifest_keys {
                        let extra: Vec<_> = keys.difference(benign_manifest_keys).collect();
                        let missing: Vec<_> = benign_manifest_keys.difference(&keys).collect();
                        found.push(format!(
                            "Cargo.toml keys: extra {extra:?}, missing {missing:?}"
                        ));
                    }
                }
                Err(e) => found.push(format!("Cargo.toml does not parse: {e}")),
            }
        } else if file.path.ends_with(".md") {
            for line in markdown_breaches(&file.text, &["```text", "```"]) {
                found.push(format!("{}: {line:?}", file.path));
            }
        }
    }
    found
}

/// Key paths of the manifest of the same crate generated from plain text.
fn benign_keys(name: &str, file_name: &str) -> Result<BTreeSet<String>, String> {
    let (_, files) = try_generate(
        &scratch(&format!("{name}-benign")),
        file_name,
        &hostile_spec(&|place| format!("plain {place}")),
    )?;
    let manifest = files
        .iter()
        .find(|f| f.path == "Cargo.toml")
        .ok_or("no manifest")?;
    let table: toml::Table = toml::from_str(&manifest.text)
        .map_err(|e| format!("the manifest of plain text with this file name: {e}"))?;
    let mut keys = BTreeSet::new();
    key_paths(&table, "", &mut keys);
    Ok(keys)
}

/// A file name holding the payload (a file name cannot hold `/`).
fn file_name(payload: &str) -> String {
    format!("hostile{}.yaml", payload.replace('/', "_"))
}

#[test]
fn each_escape_in_every_place_stays_data() {
    let forms: [(&str, fn(&str) -> String); 2] = [("item", item_payload), ("full", payload)];
    let mut failures = Vec::new();
    let mut outputs = 0;
    let mut specs = 0;
    for (i, escape) in ESCAPES.iter().enumerate() {
        for (form, make) in forms {
            specs += 1;
            let name = file_name(&make(escape));
            let generated = try_generate(
                &scratch(&format!("one-{i}-{form}")),
                &name,
                &hostile_spec(&|place| format!("{place}{}", make(escape))),
            );
            let (config, files) = match generated {
                Ok(generated) => generated,
                Err(e) => {
                    let first = e.lines().next().unwrap_or_default().to_owned();
                    failures.push(format!("escape {escape:?} ({form}): {first}"));
                    continue;
                }
            };
            // the benign twin has the same file name, so the same module and feature keys
            let benign = match benign_keys(&format!("one-{i}-{form}"), &name) {
                Ok(keys) => keys,
                Err(e) => {
                    failures.push(format!("escape {escape:?} ({form}): {e}"));
                    continue;
                }
            };
            assert!(
                files.iter().any(|f| f.text.contains(MARKER)),
                "the marker must reach the output (as data) for the test to mean anything"
            );
            outputs += files.len();
            for breach in breaches(&files, &benign) {
                failures.push(format!(
                    "escape {escape:?} ({form}, module {}): {breach}",
                    config.provider.module
                ));
            }
        }
    }
    eprintln!(
        "hostile specs: {specs} specs ({} escapes x 2 payloads, each in every place), \
         {outputs} output files checked, {} breaches",
        ESCAPES.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The issue's reproduction, one place at a time: a line break then `pub fn INJECTED_MARKER`
/// in just that place of an otherwise plain spec (so that the rest parses, and an escape
/// shows as a live item rather than a parse error).
#[test]
fn each_place_alone_cannot_add_an_item() {
    let places = std::cell::RefCell::new(Vec::new());
    hostile_spec(&|place| {
        places.borrow_mut().push(place.to_owned());
        place.to_owned()
    });
    let mut places = places.into_inner();
    places.sort();
    places.dedup();
    let benign = benign_keys("place-benign", "plain.yaml").unwrap_or_else(|e| panic!("{e}"));
    let mut failures = Vec::new();
    for place in &places {
        let spec = hostile_spec(&|p| {
            if p == place {
                format!("{p}{}", item_payload("\n"))
            } else {
                format!("plain {p}")
            }
        });
        match try_generate(&scratch("place"), "plain.yaml", &spec) {
            Ok((_, files)) => {
                for breach in breaches(&files, &benign) {
                    failures.push(format!("{place}: {breach}"));
                }
            }
            Err(e) => failures.push(format!("{place}: {}", e.lines().next().unwrap_or_default())),
        }
    }
    eprintln!(
        "hostile specs: {} places one at a time, {} breaches",
        places.len(),
        failures.len()
    );
    assert!(places.len() >= 40, "{places:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// API.md and a changelog entry straight from the normalized API and its surface diff (no
/// Rust is rendered, so this checks the Markdown writers alone).
#[test]
fn changelog_and_api_md_keep_spec_names_in_their_spans() {
    let benign = hostile_spec(&|place| format!("plain {place}"));
    let hostile = hostile_spec(&|place| {
        ESCAPES
            .iter()
            .map(|e| format!("{place}{}", payload(e)))
            .collect()
    });
    let api_of = |dir: &str, spec: &Value| {
        let path = scratch(dir).join("spec.yaml");
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
        std::fs::write(&path, serde_yaml_ng::to_string(spec).expect("yaml")).expect("write");
        mfa_codegen::build_provider(&ProviderConfig::everything(&path))
            .expect("normalize")
            .api
    };
    let old = api_of("surface-old", &benign);
    let new = api_of("surface-new", &hostile);
    let changes = mfa_codegen::api_diff::diff(
        &mfa_codegen::surface::surface(&old),
        &mfa_codegen::surface::surface(&new),
    );
    assert!(changes.len() > 10, "the hostile names change the surface");
    let count = changes.len();
    let entry =
        mfa_codegen::surface::changelog_entry(&payload("\n"), &[("spec".to_owned(), changes)]);
    let mut found = markdown_breaches(&entry, &[]);
    // every change is one list item: nothing else starts a line
    let items = entry.lines().filter(|l| l.starts_with("- ")).count();
    if items != count {
        found.push(format!("{count} changes but {items} list items"));
    }
    for line in entry.lines() {
        let structural = line.is_empty()
            || line.starts_with("- ")
            || line.starts_with("## ")
            || line.starts_with("### ");
        if !structural {
            found.push(format!("changelog line outside the list: {line:?}"));
        }
    }
    let api_md = mfa_codegen::surface::render(&payload("\n"), &[new]);
    found.extend(markdown_breaches(&api_md, &["```text", "```"]));
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// One crate holding every escape attempt in every place builds (`cargo check`, warnings
/// denied), and passes the token oracle.
#[test]
fn crate_from_every_attempt_at_once_builds() {
    let text = |place: &str| -> String {
        ESCAPES
            .iter()
            .map(|e| format!("{place}{}", payload(e)))
            .collect()
    };
    let name = "all-hostile\"\n[package]\nbuild = \"INJECTED_MARKER.rs\"\n.yaml";
    let dir = scratch("all");
    let (_, files) = generate(&dir.join("spec"), name, &hostile_spec(&text));
    let benign = benign_keys("all", name).unwrap_or_else(|e| panic!("{e}"));
    let found = breaches(&files, &benign);
    assert!(found.is_empty(), "{}", found.join("\n"));
    let out = common::workspace_root().join("target/compile-tests/hostile");
    let _ = std::fs::remove_dir_all(&out);
    for file in &files {
        let path = out.join(&file.path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
        std::fs::write(&path, &file.text).expect("write");
    }
    common::cargo_check(&out);
}
