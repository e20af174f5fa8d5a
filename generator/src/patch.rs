//! Step 1b of the pipeline: wire patches ("the wire is not the spec").
//!
//! Real Okta and OneLogin responses differ from the published specs in known ways. Each known
//! difference is recorded as a patch in the provider config (`[[patch]]` in `specs/*.toml`): a
//! target (a JSON pointer, optionally relative to the operation with a given operationId) and a
//! change, in the spirit of the OpenAPI Overlay standard. Patches edit the loaded spec's JSON
//! tree after load and before it is parsed and normalized, so whichever spec is loaded (the
//! project slice or an upstream release) gets the same corrections and the two stay comparable.
//!
//! This module knows nothing about any vendor: every decision is data in the config.

use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{pointer_push, GenError};
use crate::error::{Warning, WarningKind};

/// One recorded spec-vs-wire correction.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Patch {
    /// Short name, used in warnings and errors (`onelogin-reusable-typo`).
    pub name: String,
    /// What shows the wire differs from the spec (vendor docs, a captured response, a ticket).
    pub evidence: String,
    /// When set, `target` is relative to the operation with this operationId, wherever its path
    /// sits in the spec (paths are renamed more often than operationIds).
    #[serde(default)]
    pub operation: Option<String>,
    /// JSON pointer (RFC 6901) of the node to change.
    pub target: String,
    pub action: Action,
    /// The new node, for `replace`, `add` and `merge`.
    #[serde(default)]
    pub value: Option<Value>,
    /// The new key, for `rename`.
    #[serde(default)]
    pub to: Option<String>,
    /// The target exists only in some releases: skip silently when absent (never an error, even
    /// when strict).
    #[serde(default)]
    pub optional: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Replace the node at `target` with `value`.
    Replace,
    /// Insert `value` at `target`; the parent must exist and the key must not.
    Add,
    /// Deep-merge the object `value` into the object at `target` (Overlay's `update`).
    Merge,
    /// Remove the node at `target`.
    Remove,
    /// Rename the object key at `target` to `to`, keeping its position. When the key is a
    /// property (its parent is a `properties` map), the schema's `required` list follows.
    Rename,
}

impl Patch {
    /// The config-level checks: each action has exactly the fields it needs.
    pub fn validate(&self) -> Result<(), String> {
        let needs_value = matches!(self.action, Action::Replace | Action::Add | Action::Merge);
        if needs_value != self.value.is_some() {
            return Err(format!(
                "patch `{}`: action {:?} {} `value`",
                self.name,
                self.action,
                if needs_value { "needs" } else { "takes no" }
            ));
        }
        if (self.action == Action::Rename) != self.to.is_some() {
            return Err(format!(
                "patch `{}`: `to` goes with action rename, and only with it",
                self.name
            ));
        }
        if self.action == Action::Merge && !self.value.as_ref().is_some_and(Value::is_object) {
            return Err(format!(
                "patch `{}`: merge needs an object `value`",
                self.name
            ));
        }
        if !(self.target.is_empty() || self.target.starts_with('/')) {
            return Err(format!(
                "patch `{}`: target `{}` is not a JSON pointer (it must start with `/`)",
                self.name, self.target
            ));
        }
        if self.evidence.trim().is_empty() {
            return Err(format!("patch `{}`: `evidence` is empty", self.name));
        }
        Ok(())
    }
}

/// What applying the patches did, for progress output and tests.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// Names of the patches that changed the spec, in config order.
    pub applied: Vec<String>,
    /// Patches that did not apply (absent target, or the spec already says what the patch
    /// would make it say), each naming the patch and the pointer.
    pub warnings: Vec<Warning>,
}

/// Applies `patches` in order to the spec tree `raw` (read from `path`). A patch whose target
/// is absent is a warning, or an error when `strict` (older or newer spec releases may lack a
/// node a patch was written for: the warning says which patch has become dead weight).
pub fn apply(
    raw: &mut Value,
    patches: &[Patch],
    strict: bool,
    path: &Path,
) -> Result<Outcome, GenError> {
    let mut outcome = Outcome::default();
    for patch in patches {
        match apply_one(raw, patch) {
            Ok(()) => outcome.applied.push(patch.name.clone()),
            Err(Miss { pointer, reason }) => {
                if patch.optional {
                    continue;
                }
                let message = format!("patch `{}` not applied: {reason}", patch.name);
                if strict {
                    return Err(GenError::spec(path, pointer, message));
                }
                outcome.warnings.push(Warning {
                    pointer,
                    message,
                    kind: WarningKind::PatchNotApplied,
                });
            }
        }
    }
    Ok(outcome)
}

/// Why a patch did not apply.
struct Miss {
    pointer: String,
    reason: String,
}

fn miss(pointer: &str, reason: impl Into<String>) -> Miss {
    Miss {
        pointer: pointer.to_owned(),
        reason: reason.into(),
    }
}

fn apply_one(raw: &mut Value, patch: &Patch) -> Result<(), Miss> {
    let base = match &patch.operation {
        Some(id) => operation_pointer(raw, id)
            .ok_or_else(|| miss("/paths", format!("no operation has operationId `{id}`")))?,
        None => String::new(),
    };
    let pointer = format!("{base}{}", patch.target);
    let (parent_pointer, key) =
        split_pointer(&pointer).ok_or_else(|| miss(&pointer, "the target is the document root"))?;
    // A patch written for one release may name a schema an older release lacks (Okta 2025.01.1
    // has no `UserFactorPushTransactionWaitingNMC`): applying it would leave a dangling `$ref`,
    // so it does not apply, with the same warning as an absent target.
    if let Some(value) = &patch.value {
        if let Some(missing) = local_refs(value)
            .into_iter()
            .find(|r| raw.pointer(&r[1..]).is_none())
        {
            return Err(miss(
                &pointer,
                format!("its value refers to `{missing}`, which this spec does not define"),
            ));
        }
    }
    match patch.action {
        Action::Replace => {
            let node = raw
                .pointer_mut(&pointer)
                .ok_or_else(|| miss(&pointer, "target is absent"))?;
            let value = patch.value.clone().unwrap_or(Value::Null);
            if *node == value {
                return Err(miss(&pointer, "the spec already has this value"));
            }
            *node = value;
        }
        Action::Add => {
            let parent = raw
                .pointer_mut(&parent_pointer)
                .and_then(Value::as_object_mut)
                .ok_or_else(|| miss(&parent_pointer, "parent of the target is absent"))?;
            if parent.contains_key(&key) {
                return Err(miss(&pointer, "target already exists"));
            }
            parent.insert(key, patch.value.clone().unwrap_or(Value::Null));
        }
        Action::Merge => {
            let node = raw
                .pointer_mut(&pointer)
                .filter(|n| n.is_object())
                .ok_or_else(|| miss(&pointer, "target is absent or not an object"))?;
            let before = node.clone();
            if let Some(value) = &patch.value {
                merge(node, value);
            }
            if *node == before {
                return Err(miss(&pointer, "the spec already has these values"));
            }
        }
        Action::Remove => {
            let parent = raw
                .pointer_mut(&parent_pointer)
                .ok_or_else(|| miss(&pointer, "target is absent"))?;
            let removed = match parent {
                Value::Object(map) => map.shift_remove(&key).is_some(),
                Value::Array(items) => match key.parse::<usize>() {
                    Ok(i) if i < items.len() => {
                        items.remove(i);
                        true
                    }
                    _ => false,
                },
                _ => false,
            };
            if !removed {
                return Err(miss(&pointer, "target is absent"));
            }
        }
        Action::Rename => {
            let to = patch.to.clone().unwrap_or_default();
            let parent = raw
                .pointer_mut(&parent_pointer)
                .and_then(Value::as_object_mut)
                .ok_or_else(|| miss(&pointer, "target is absent"))?;
            if !parent.contains_key(&key) {
                let reason = if parent.contains_key(&to) {
                    format!("target is absent; `{to}` is already there (fixed upstream?)")
                } else {
                    "target is absent".to_owned()
                };
                return Err(miss(&pointer, reason));
            }
            if parent.contains_key(&to) {
                return Err(miss(&pointer, format!("`{to}` already exists beside it")));
            }
            *parent = renamed(std::mem::take(parent), &key, &to);
            if parent_pointer.ends_with("/properties") {
                let schema = parent_pointer.trim_end_matches("/properties");
                rename_required(raw, schema, &key, &to);
            }
        }
    }
    Ok(())
}

/// Local references in a patch value: every `$ref`, and the value itself when it is a bare
/// reference string (a discriminator mapping entry).
fn local_refs(value: &Value) -> Vec<&str> {
    fn walk<'v>(value: &'v Value, out: &mut Vec<&'v str>) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    match (key.as_str(), v.as_str()) {
                        ("$ref", Some(r)) if r.starts_with("#/") => out.push(r),
                        _ => walk(v, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    match value.as_str() {
        Some(r) if r.starts_with("#/") => out.push(r),
        _ => walk(value, &mut out),
    }
    out
}

/// Pointer of the operation object with `operation_id` (`/paths/~1a~1{id}/post`).
fn operation_pointer(raw: &Value, operation_id: &str) -> Option<String> {
    let paths = raw.get("paths")?.as_object()?;
    for (route, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            if op.get("operationId").and_then(Value::as_str) == Some(operation_id) {
                return Some(pointer_push(&pointer_push("/paths", route), method));
            }
        }
    }
    None
}

/// (parent pointer, unescaped last key), or None for the root.
fn split_pointer(pointer: &str) -> Option<(String, String)> {
    let (parent, last) = pointer.rsplit_once('/')?;
    Some((
        parent.to_owned(),
        last.replace("~1", "/").replace("~0", "~"),
    ))
}

fn renamed(map: Map<String, Value>, from: &str, to: &str) -> Map<String, Value> {
    map.into_iter()
        .map(|(k, v)| {
            if k == from {
                (to.to_owned(), v)
            } else {
                (k, v)
            }
        })
        .collect()
}

fn rename_required(raw: &mut Value, schema: &str, from: &str, to: &str) {
    let Some(required) = raw
        .pointer_mut(schema)
        .and_then(|s| s.get_mut("required"))
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for name in required.iter_mut() {
        if name.as_str() == Some(from) {
            *name = Value::String(to.to_owned());
        }
    }
}

fn merge(node: &mut Value, value: &Value) {
    match (node, value) {
        (Value::Object(target), Value::Object(source)) => {
            for (key, v) in source {
                match target.get_mut(key) {
                    Some(existing) if existing.is_object() && v.is_object() => merge(existing, v),
                    _ => {
                        target.insert(key.clone(), v.clone());
                    }
                }
            }
        }
        (node, value) => *node = value.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn patch(action: Action, target: &str) -> Patch {
        Patch {
            name: "p".into(),
            evidence: "a captured response".into(),
            operation: None,
            target: target.into(),
            action,
            value: None,
            to: None,
            optional: false,
        }
    }

    fn spec() -> Value {
        json!({
            "paths": {"/a/{id}": {"post": {"operationId": "doIt", "responses": {"200": {"description": "ok"}}}}},
            "components": {"schemas": {"T": {
                "type": "object",
                "required": ["resuable", "b"],
                "properties": {"a": {"type": "string"}, "resuable": {"type": "boolean"}, "b": {}},
                "oneOf": [{}, {}]
            }}}
        })
    }

    fn run(raw: &mut Value, patches: &[Patch], strict: bool) -> Result<Outcome, GenError> {
        apply(raw, patches, strict, Path::new("spec.yaml"))
    }

    #[test]
    fn rename_keeps_position_and_follows_required() {
        let mut raw = spec();
        let p = Patch {
            to: Some("reusable".into()),
            ..patch(Action::Rename, "/components/schemas/T/properties/resuable")
        };
        let outcome = run(&mut raw, &[p], false).unwrap();
        assert_eq!(outcome.applied, ["p"]);
        let t = &raw["components"]["schemas"]["T"];
        let keys: Vec<&String> = t["properties"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["a", "reusable", "b"]);
        assert_eq!(t["required"], json!(["reusable", "b"]));
    }

    #[test]
    fn one_of_becomes_any_of_by_rename() {
        let mut raw = spec();
        let p = Patch {
            to: Some("anyOf".into()),
            ..patch(Action::Rename, "/components/schemas/T/oneOf")
        };
        run(&mut raw, &[p], false).unwrap();
        let t = &raw["components"]["schemas"]["T"];
        assert!(t.get("oneOf").is_none());
        assert_eq!(t["anyOf"], json!([{}, {}]));
    }

    #[test]
    fn operation_relative_replace() {
        let mut raw = spec();
        let p = Patch {
            operation: Some("doIt".into()),
            value: Some(json!({"description": "patched"})),
            ..patch(Action::Replace, "/responses/200")
        };
        run(&mut raw, &[p], false).unwrap();
        assert_eq!(
            raw.pointer("/paths/~1a~1{id}/post/responses/200/description"),
            Some(&json!("patched"))
        );
    }

    #[test]
    fn add_merge_remove() {
        let mut raw = spec();
        let patches = [
            Patch {
                value: Some(json!(true)),
                ..patch(Action::Add, "/components/schemas/T/properties/a/nullable")
            },
            Patch {
                value: Some(json!({"properties": {"b": {"type": "integer"}}})),
                ..patch(Action::Merge, "/components/schemas/T")
            },
            patch(Action::Remove, "/components/schemas/T/oneOf/1"),
        ];
        let outcome = run(&mut raw, &patches, true).unwrap();
        assert_eq!(outcome.applied.len(), 3);
        let t = &raw["components"]["schemas"]["T"];
        assert_eq!(t["properties"]["a"]["nullable"], json!(true));
        assert_eq!(t["properties"]["b"], json!({"type": "integer"}));
        assert_eq!(t["oneOf"], json!([{}]));
    }

    #[test]
    fn a_value_naming_an_absent_schema_does_not_apply() {
        // a mapping entry (bare reference string) and a `$ref` inside an object value
        let patches = [
            Patch {
                value: Some(json!("#/components/schemas/OnlyInANewerRelease")),
                ..patch(Action::Replace, "/components/schemas/T/properties/a")
            },
            Patch {
                value: Some(json!({"items": {"$ref": "#/components/schemas/Missing"}})),
                ..patch(Action::Merge, "/components/schemas/T")
            },
            Patch {
                value: Some(json!({"$ref": "#/components/schemas/T"})),
                ..patch(Action::Replace, "/components/schemas/T/properties/b")
            },
        ];
        let mut raw = spec();
        let outcome = run(&mut raw, &patches, false).unwrap();
        assert_eq!(outcome.applied, ["p"], "only the patch naming T applies");
        assert_eq!(outcome.warnings.len(), 2);
        assert_eq!(outcome.warnings[0].kind, WarningKind::PatchNotApplied);
        assert!(
            outcome.warnings[0]
                .message
                .contains("refers to `#/components/schemas/OnlyInANewerRelease`, which this spec does not define"),
            "{:?}",
            outcome.warnings[0]
        );
        assert!(outcome.warnings[1]
            .message
            .contains("#/components/schemas/Missing"));
        let err = run(&mut spec(), &patches, true).unwrap_err().to_string();
        assert!(
            err.starts_with("spec.yaml: at /components/schemas/T/properties/a: "),
            "{err}"
        );
    }

    #[test]
    fn absent_target_is_a_named_warning_or_a_strict_error() {
        let p = patch(Action::Remove, "/components/schemas/Gone/properties/x");
        let mut raw = spec();
        let outcome = run(&mut raw, std::slice::from_ref(&p), false).unwrap();
        assert!(outcome.applied.is_empty());
        assert_eq!(outcome.warnings.len(), 1);
        assert_eq!(
            outcome.warnings[0].pointer,
            "/components/schemas/Gone/properties/x"
        );
        assert!(outcome.warnings[0]
            .message
            .contains("patch `p` not applied"));
        assert_eq!(raw, spec(), "a missed patch changes nothing");

        let err = run(&mut raw, std::slice::from_ref(&p), true).unwrap_err();
        assert!(err.to_string().contains("patch `p` not applied"), "{err}");

        let optional = Patch {
            optional: true,
            ..p
        };
        let outcome = run(&mut raw, &[optional], true).unwrap();
        assert!(outcome.warnings.is_empty() && outcome.applied.is_empty());
    }

    #[test]
    fn a_patch_the_spec_no_longer_needs_is_reported() {
        let mut raw = spec();
        let p = Patch {
            to: Some("a".into()),
            ..patch(Action::Rename, "/components/schemas/T/properties/gone")
        };
        let outcome = run(&mut raw, &[p], false).unwrap();
        assert!(outcome.warnings[0].message.contains("already there"));
        let same = Patch {
            value: Some(json!({"type": "string"})),
            ..patch(Action::Replace, "/components/schemas/T/properties/a")
        };
        let outcome = run(&mut raw, &[same], false).unwrap();
        assert!(outcome.warnings[0].message.contains("already has"));
    }

    #[test]
    fn unknown_operation_is_a_miss_not_a_panic() {
        let mut raw = spec();
        let p = Patch {
            operation: Some("nope".into()),
            ..patch(Action::Remove, "/responses")
        };
        let outcome = run(&mut raw, &[p], false).unwrap();
        assert!(outcome.warnings[0].message.contains("operationId `nope`"));
    }

    #[test]
    fn validation_names_the_patch() {
        let p = patch(Action::Replace, "/x");
        assert!(p.validate().unwrap_err().contains("needs `value`"));
        let p = Patch {
            to: Some("y".into()),
            ..patch(Action::Remove, "/x")
        };
        assert!(p.validate().unwrap_err().contains("`to`"));
        let p = patch(Action::Remove, "x");
        assert!(p.validate().unwrap_err().contains("JSON pointer"));
    }
}
