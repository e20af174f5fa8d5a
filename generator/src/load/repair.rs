//! JSON Schema forms that Swagger 2.0 and OpenAPI 3.0 documents use although their schema
//! dialect does not define them, rewritten on the JSON tree before `openapiv3` reads it (which
//! would refuse the whole document). Runs after the Swagger 2.0 conversion and the 3.1
//! down-levelling, so it sees only what those left:
//!
//! - a `type` list (`[string, 'null']`) or `type: 'null'`: as the 3.1 down-levelling reads it
//!   (`null` becomes `nullable`, several types a `oneOf`), a [`WarningKind::TypeList`] warning;
//! - tuple `items` (a list of schemas, draft 4): an array whose items are any of those schemas
//!   (`anyOf`, a `{type: 'null'}` member making it nullable), a [`WarningKind::Conversion`]
//!   warning because each position's own schema is lost;
//! - `required: true` on a property schema (draft 3): the name added to the object's
//!   `required` list, a [`WarningKind::BooleanRequired`] warning.

use serde_json::{Map, Value};

use super::openapi31::schema::{null_members, split_types, TypeList};
use crate::error::{pointer_push, Warning, WarningKind};

pub(super) fn repair(raw: &mut Value, warnings: &mut Vec<Warning>) {
    walk(raw, "", warnings);
}

fn warn(warnings: &mut Vec<Warning>, kind: WarningKind, pointer: String, message: &str) {
    warnings.push(Warning {
        pointer,
        message: message.to_owned(),
        kind,
    });
}

/// A part of the document that is not a schema: every schema in it repaired.
fn walk(value: &mut Value, pointer: &str, warnings: &mut Vec<Warning>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let at = pointer_push(pointer, key);
                match key.as_str() {
                    "schema" => schema(child, &at, warnings),
                    "schemas" if pointer == "/components" => {
                        for (name, s) in child.as_object_mut().into_iter().flatten() {
                            schema(s, &pointer_push(&at, name), warnings);
                        }
                    }
                    // example values are data, never schemas
                    "example" | "examples" | "value" | "default" => {}
                    k if k.starts_with("x-") => {}
                    _ => walk(child, &at, warnings),
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                walk(child, &pointer_push(pointer, &i.to_string()), warnings);
            }
        }
        _ => {}
    }
}

/// One schema and, depth first, every schema inside it.
fn schema(value: &mut Value, pointer: &str, warnings: &mut Vec<Warning>) {
    let Some(map) = value.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(list)) = map.get_mut("items") {
        let members = std::mem::take(list);
        let mut items = Map::from_iter([("anyOf".to_owned(), Value::Array(members))]);
        null_members(&mut items);
        map.insert("items".into(), Value::Object(items));
        warn(
            warnings,
            WarningKind::Conversion,
            pointer_push(pointer, "items"),
            "tuple `items` (a list of schemas, one per position) has no OpenAPI 3.0 form; read as \
             an array whose items may be any of them",
        );
    }
    null_members(map);
    required_flags(map, pointer, warnings);
    // what is left is on a schema that is no property (a body's or a parameter's)
    if let Some(Value::Bool(flag)) = map.get("required") {
        let message = format!(
            "`required: {flag}` on a schema that is not a property: dropped (whether a body or \
             parameter is required is said beside its schema)"
        );
        map.remove("required");
        warn(
            warnings,
            WarningKind::BooleanRequired,
            pointer_push(pointer, "required"),
            &message,
        );
    }
    for (key, child) in map.iter_mut() {
        let at = pointer_push(pointer, key);
        match key.as_str() {
            "properties" => {
                for (name, member) in child.as_object_mut().into_iter().flatten() {
                    schema(member, &pointer_push(&at, name), warnings);
                }
            }
            "allOf" | "oneOf" | "anyOf" => {
                for (i, member) in child.as_array_mut().into_iter().flatten().enumerate() {
                    schema(member, &pointer_push(&at, &i.to_string()), warnings);
                }
            }
            "items" | "additionalProperties" | "not" => schema(child, &at, warnings),
            _ => {}
        }
    }
    match split_types(map) {
        None => {}
        Some(TypeList::Rewritten) => warn(
            warnings,
            WarningKind::TypeList,
            pointer_push(pointer, "type"),
            "a `type` list is JSON Schema, not OpenAPI 3.0: `null` read as `nullable`, several \
             types as a `oneOf`",
        ),
        Some(TypeList::OnlyNull) => warn(
            warnings,
            WarningKind::TypeList,
            pointer_push(pointer, "type"),
            "`type: null` alone: OpenAPI 3.0 cannot say \"only null\"; read as a nullable value \
             of any type",
        ),
    }
}

/// `required: true|false` on the property schemas of `map`: removed, and each `true` name
/// added to `map`'s own `required` list.
fn required_flags(map: &mut Map<String, Value>, pointer: &str, warnings: &mut Vec<Warning>) {
    let mut names = Vec::new();
    if let Some(properties) = map.get_mut("properties").and_then(Value::as_object_mut) {
        for (name, member) in properties.iter_mut() {
            let Some(member) = member.as_object_mut() else {
                continue;
            };
            let Some(Value::Bool(flag)) = member.get("required") else {
                continue;
            };
            let flag = *flag;
            member.remove("required");
            let at = pointer_push(
                &pointer_push(&pointer_push(pointer, "properties"), name),
                "required",
            );
            warn(
                warnings,
                WarningKind::BooleanRequired,
                at,
                if flag {
                    "`required: true` on a property (JSON Schema draft 3): read as the object \
                     listing it in `required`"
                } else {
                    "`required: false` on a property (JSON Schema draft 3): dropped, the \
                     property is optional"
                },
            );
            if flag {
                names.push(Value::String(name.clone()));
            }
        }
    }
    if names.is_empty() {
        return;
    }
    let list = map
        .entry("required")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Some(list) = list.as_array_mut() {
        for name in names {
            if !list.contains(&name) {
                list.push(name);
            }
        }
    }
}
