//! Schemas and parameter values: Swagger 2.0 keywords rewritten as OpenAPI 3.0, `$ref`s moved
//! to `components`.

use serde_json::{json, Map, Value};

use super::{Cx, VALUE_KEYWORDS};
use crate::error::pointer_push;

impl<'a> Cx<'a> {
    /// A `$ref` into the Swagger document rewritten to where the converted node lives. A
    /// `#/parameters/X` naming a body parameter becomes `#/components/requestBodies/X`.
    pub(super) fn rewrite_ref(&self, reference: &str) -> String {
        if let Some(name) = reference.strip_prefix("#/definitions/") {
            return format!("#/components/schemas/{name}");
        }
        if let Some(name) = reference.strip_prefix("#/responses/") {
            return format!("#/components/responses/{name}");
        }
        if let Some(name) = reference.strip_prefix("#/parameters/") {
            let target = self.root.pointer(&format!("/parameters/{name}"));
            let body = target.and_then(|t| t.get("in")).and_then(Value::as_str) == Some("body");
            let section = if body { "requestBodies" } else { "parameters" };
            return format!("#/components/{section}/{name}");
        }
        reference.to_owned()
    }

    /// A Swagger schema as an OpenAPI 3.0 one: `x-nullable` -> `nullable`, `type: file` ->
    /// binary string, a `discriminator` property name -> `{propertyName}`, `$ref`s rewritten.
    pub(super) fn schema(&self, schema: &Value) -> Value {
        let Some(map) = schema.as_object() else {
            return schema.clone();
        };
        let mut out = Map::new();
        for (key, value) in map {
            match (key.as_str(), value) {
                ("$ref", Value::String(r)) => {
                    out.insert(key.clone(), json!(self.rewrite_ref(r)));
                }
                ("x-nullable", Value::Bool(b)) => {
                    out.insert("nullable".into(), json!(b));
                }
                ("type", Value::String(t)) if t == "file" => {
                    out.insert("type".into(), json!("string"));
                    out.insert("format".into(), json!("binary"));
                }
                ("format", _) if map.get("type").and_then(Value::as_str) == Some("file") => {}
                ("discriminator", Value::String(name)) => {
                    out.insert(key.clone(), json!({ "propertyName": name }));
                }
                ("properties", Value::Object(props)) => {
                    let props = props
                        .iter()
                        .map(|(name, s)| (name.clone(), self.schema(s)))
                        .collect();
                    out.insert(key.clone(), Value::Object(props));
                }
                ("items" | "additionalProperties" | "not", Value::Object(_)) => {
                    out.insert(key.clone(), self.schema(value));
                }
                ("allOf" | "anyOf" | "oneOf", Value::Array(list)) => {
                    let list = list.iter().map(|s| self.schema(s)).collect();
                    out.insert(key.clone(), Value::Array(list));
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        Value::Object(out)
    }

    /// The `schema` of a non-body parameter, header or items object: its value keywords.
    pub(super) fn value_schema(&mut self, node: &Value, pointer: &str) -> Value {
        let mut out = Map::new();
        for key in VALUE_KEYWORDS {
            let Some(value) = node.get(*key) else {
                continue;
            };
            match *key {
                "type" if value.as_str() == Some("file") => {
                    out.insert("type".into(), json!("string"));
                    out.insert("format".into(), json!("binary"));
                }
                "format" if node.get("type").and_then(Value::as_str) == Some("file") => {}
                "items" => {
                    let here = pointer_push(pointer, "items");
                    if let Some(format) = value.get("collectionFormat").and_then(Value::as_str) {
                        self.warn(
                            &pointer_push(&here, "collectionFormat"),
                            format!("collectionFormat `{format}` of nested items has no OpenAPI 3.0 form; the inner array is described, its separator is not"),
                        );
                    }
                    let items = self.value_schema(value, &here);
                    out.insert("items".into(), items);
                }
                _ => {
                    out.insert((*key).into(), value.clone());
                }
            }
        }
        if let Some(Value::Bool(b)) = node.get("x-nullable") {
            out.insert("nullable".into(), json!(b));
        }
        Value::Object(out)
    }

    /// A query, path or header parameter (cookie has no Swagger 2.0 form).
    pub(super) fn parameter(&mut self, param: &Value, pointer: &str) -> Value {
        let mut out = Map::new();
        for (key, value) in param.as_object().into_iter().flatten() {
            match key.as_str() {
                "name" | "in" | "description" | "required" | "allowEmptyValue" => {
                    out.insert(key.clone(), value.clone());
                }
                k if k.starts_with("x-") && k != "x-nullable" => {
                    out.insert(key.clone(), value.clone());
                }
                _ => {}
            }
        }
        let location = param.get("in").and_then(Value::as_str).unwrap_or("");
        if location != "query" {
            out.remove("allowEmptyValue");
        }
        out.insert("schema".into(), self.value_schema(param, pointer));
        if param.get("type").and_then(Value::as_str) == Some("array") {
            let format = param
                .get("collectionFormat")
                .and_then(Value::as_str)
                .unwrap_or("csv");
            let here = pointer_push(pointer, "collectionFormat");
            match (location, format) {
                ("query", "csv") => {
                    out.insert("style".into(), json!("form"));
                    out.insert("explode".into(), json!(false));
                }
                ("query", "multi") => {
                    out.insert("style".into(), json!("form"));
                    out.insert("explode".into(), json!(true));
                }
                ("query", "ssv") => {
                    out.insert("style".into(), json!("spaceDelimited"));
                    out.insert("explode".into(), json!(false));
                }
                ("query", "pipes") => {
                    out.insert("style".into(), json!("pipeDelimited"));
                    out.insert("explode".into(), json!(false));
                }
                // path and header arrays are comma-separated (`simple`) in OpenAPI 3.0
                (_, "csv") => {}
                (_, other) => {
                    if location == "query" {
                        out.insert("style".into(), json!("form"));
                        out.insert("explode".into(), json!(false));
                    }
                    self.warn(
                        &here,
                        format!("collectionFormat `{other}` of a {location} parameter has no OpenAPI 3.0 style; sent comma-separated instead"),
                    );
                }
            }
        }
        Value::Object(out)
    }
}
