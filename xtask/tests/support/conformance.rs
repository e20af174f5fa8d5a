//! Helpers for the conformance tests: where the specs are, loading them through the generator's
//! own load + wire-patch step, and walking the JSON bodies (with their examples) of the
//! operations a provider config selects.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use mfa_codegen::ProviderConfig;
use serde_json::Value;

/// The workspace root (the parent of `generated/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// `../shared/upstream-specs` beside the repository, when this machine has it.
pub fn upstream_specs() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/upstream-specs");
    dir.is_dir().then_some(dir)
}

pub fn provider_config(provider: &str) -> ProviderConfig {
    let path = workspace_root().join(format!("specs/{provider}.toml"));
    ProviderConfig::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The upstream spec files of a provider that the conformance tests read.
pub fn upstream_files(provider: &str) -> Vec<PathBuf> {
    let Some(root) = upstream_specs() else {
        return Vec::new();
    };
    match provider {
        "okta" => vec![root.join("okta/2026.06.3/management-minimal.yaml")],
        _ => {
            // every 3.1.1 copy (`3.1.1-go-sdk-*`, `3.1.1-java-sdk-*`): they differ in details
            let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("onelogin"))
                .map(|entries| {
                    entries
                        .filter_map(Result::ok)
                        .map(|e| e.path())
                        .filter(|p| {
                            p.file_name()
                                .is_some_and(|n| n.to_string_lossy().starts_with("3.1.1-"))
                        })
                        .map(|p| p.join("openapi.yaml"))
                        .filter(|p| p.is_file())
                        .collect()
                })
                .unwrap_or_default();
            files.sort();
            files
        }
    }
}

/// One JSON body of a selected operation: its request (`status` None) or one response.
#[derive(Debug)]
pub struct BodySite {
    pub operation_id: String,
    pub status: Option<String>,
    /// The media type object (`content.<type>`), `$ref`s resolved.
    pub media: Value,
}

impl BodySite {
    /// `example` and every `examples.<name>.value` of the media type, with a label each.
    pub fn examples(&self, spec: &Value) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        if let Some(example) = self.media.get("example") {
            out.push(("example".to_owned(), example.clone()));
        }
        if let Some(examples) = self.media.get("examples").and_then(Value::as_object) {
            for (name, example) in examples {
                let example = resolve(spec, example);
                if let Some(value) = example.get("value") {
                    out.push((name.clone(), value.clone()));
                }
            }
        }
        out
    }

    /// The body schema's own `example` (one `$ref` followed), if any.
    pub fn schema_example(&self, spec: &Value) -> Option<Value> {
        let schema = resolve(spec, self.media.get("schema")?);
        schema.get("example").cloned()
    }

    pub fn label(&self) -> String {
        match &self.status {
            Some(status) => format!("{} {status}", self.operation_id),
            None => format!("{} request", self.operation_id),
        }
    }
}

/// Follows local `$ref`s (`#/components/...`) until a node without one.
pub fn resolve<'a>(spec: &'a Value, node: &'a Value) -> &'a Value {
    let mut node = node;
    for _ in 0..16 {
        let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
            break;
        };
        match reference.strip_prefix('#').and_then(|p| spec.pointer(p)) {
            Some(target) => node = target,
            None => break,
        }
    }
    node
}

/// Every JSON body of the operations `operation_ids`, in spec order.
pub fn body_sites(spec: &Value, operation_ids: &[String]) -> Vec<BodySite> {
    let mut out = Vec::new();
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for item in paths.values() {
        let Some(item) = item.as_object() else {
            continue;
        };
        for op in item.values() {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            if !operation_ids.iter().any(|o| o == id) {
                continue;
            }
            let mut sites: Vec<(Option<String>, &Value)> = Vec::new();
            if let Some(body) = op.get("requestBody") {
                sites.push((None, resolve(spec, body)));
            }
            if let Some(responses) = op.get("responses").and_then(Value::as_object) {
                for (status, response) in responses {
                    sites.push((Some(status.clone()), resolve(spec, response)));
                }
            }
            for (status, node) in sites {
                let Some(content) = node.get("content").and_then(Value::as_object) else {
                    continue;
                };
                for (media_type, media) in content {
                    if !media_type.to_ascii_lowercase().contains("json") {
                        continue;
                    }
                    out.push(BodySite {
                        operation_id: id.to_owned(),
                        status: status.clone(),
                        media: media.clone(),
                    });
                }
            }
        }
    }
    out
}

/// The first differing JSON pointer of two values, for failure messages.
pub fn first_difference(a: &Value, b: &Value, at: &str) -> String {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys()) {
                let here = format!("{at}/{key}");
                match (x.get(key), y.get(key)) {
                    (Some(v), Some(w)) if v != w => return first_difference(v, w, &here),
                    (Some(_), None) => return format!("{here}: dropped"),
                    (None, Some(_)) => return format!("{here}: added"),
                    _ => {}
                }
            }
            format!("{at}: equal")
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                if v != w {
                    return first_difference(v, w, &format!("{at}/{i}"));
                }
            }
            format!("{at}: equal")
        }
        _ => format!("{at}: {a} became {b}"),
    }
}
