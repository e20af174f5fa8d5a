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

#[path = "support/common.rs"]
mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::oracle::{self, MARKER};
use mfa_codegen::{OutputFile, ProviderConfig};
use serde_json::{json, Value};

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
    "\n```no_run\n",
    "\n~~~rust,ignore\n",
    "\n\n     ",
    "\n>\n>      ",
];

/// Makes the text placed after an escape attempt.
type Payload = fn(&str) -> String;

/// The attempt followed by the marker as an item, an attribute and a manifest key.
fn payload(escape: &str) -> String {
    format!("x{escape} pub fn {MARKER}() {{}} #[{MARKER}] {MARKER} = \"{MARKER}\"\n{MARKER}")
}

/// The attempt followed by an item only, the rest of the template's line commented out:
/// valid Rust if it escapes, so a generator without escaping produces a crate that builds
/// with the item in it.
fn item_payload(escape: &str) -> String {
    format!("x{escape} pub fn {MARKER}() {{}} //")
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
    let run = mfa_codegen::build_provider(&config, &path)
        .map_err(|e| format!("{file_name:?}: hostile text must be data, not an error: {e}"))?;
    assert_eq!(run.api.operations.len(), 2, "{file_name:?}");
    let files = mfa_codegen::generate_standalone(
        &config,
        std::slice::from_ref(&run.api),
        "test",
        &mut mfa_codegen::Formatter::plain(),
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

/// The oracle over one generated crate; returns what it found wrong.
fn breaches(files: &[OutputFile], benign_manifest_keys: &BTreeSet<String>) -> Vec<String> {
    let mut found = Vec::new();
    for file in files {
        if file.path.ends_with(".rs") {
            found.extend(oracle::rust_breaches(&file.path, &file.text));
        } else if file.path == "Cargo.toml" {
            match toml::from_str::<toml::Table>(&file.text) {
                Ok(table) => {
                    let mut keys = BTreeSet::new();
                    oracle::key_paths(&table, "", &mut keys);
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
            for line in oracle::markdown_breaches(&file.text, &["```text", "```"]) {
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
    oracle::key_paths(&table, "", &mut keys);
    Ok(keys)
}

/// A file name holding the payload (a file name cannot hold `/`).
fn file_name(payload: &str) -> String {
    format!("hostile{}.yaml", payload.replace('/', "_"))
}

#[test]
fn each_escape_in_every_place_stays_data() {
    let forms: [(&str, Payload); 2] = [("item", item_payload), ("full", payload)];
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
        mfa_codegen::build_provider(&ProviderConfig::everything(&path), &path)
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
    let mut found = oracle::markdown_breaches(&entry, &[]);
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
    found.extend(oracle::markdown_breaches(&api_md, &["```text", "```"]));
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
    let out = common::compile_dir("hostile");
    for file in &files {
        let path = out.join(&file.path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
        std::fs::write(&path, &file.text).expect("write");
    }
    common::check_crate(&out);
}
