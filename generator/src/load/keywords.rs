//! Misspelt keywords in schema, parameter and operation objects (`requried:`, `exmaple:`).
//! openapiv3 ignores a key it does not know, so a typo would pass silently and only surface as
//! an API change (a field that stopped being required). Each unknown key is an
//! `unknown-keyword` warning with its pointer and a "did you mean" from the keywords of that
//! object; `--strict` makes them errors. Extensions (`x-...`) are always allowed.

use serde_json::Value;

use crate::error::{pointer_push, Warning, WarningKind};

/// OpenAPI 3.0 Schema object, plus the JSON Schema keywords a 3.1 or 2.0 input may still carry
/// after conversion (valid JSON Schema, not typos; the converters warn about what they drop).
const SCHEMA: &[&str] = &[
    "$ref",
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "additionalProperties",
    "description",
    "format",
    "default",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
    // JSON Schema (2019-09 / 2020-12) keywords: known, not generated from
    "$schema",
    "$id",
    "$comment",
    "$defs",
    "definitions",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "const",
    "examples",
    "contentMediaType",
    "contentEncoding",
    "contentSchema",
    "if",
    "then",
    "else",
    "dependentRequired",
    "dependentSchemas",
    "patternProperties",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "prefixItems",
    "contains",
    "minContains",
    "maxContains",
];

const PARAMETER: &[&str] = &[
    "$ref",
    "name",
    "in",
    "description",
    "required",
    "deprecated",
    "allowEmptyValue",
    "style",
    "explode",
    "allowReserved",
    "schema",
    "example",
    "examples",
    "content",
];

const OPERATION: &[&str] = &[
    "tags",
    "summary",
    "description",
    "externalDocs",
    "operationId",
    "parameters",
    "requestBody",
    "responses",
    "callbacks",
    "deprecated",
    "security",
    "servers",
];

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The closest of `known` to `word`, if it is close enough to be a typo of it.
pub(crate) fn did_you_mean<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    let limit = if word.len() <= 4 { 1 } else { 2 };
    known
        .iter()
        .map(|candidate| {
            let distance = strsim::damerau_levenshtein(
                &word.to_ascii_lowercase(),
                &candidate.to_ascii_lowercase(),
            );
            (distance, *candidate)
        })
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, candidate)| candidate)
}

#[derive(Clone, Copy)]
enum Kind {
    Schema,
    Parameter,
    Operation,
}

impl Kind {
    fn known(self) -> &'static [&'static str] {
        match self {
            Kind::Schema => SCHEMA,
            Kind::Parameter => PARAMETER,
            Kind::Operation => OPERATION,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Schema => "schema",
            Kind::Parameter => "parameter",
            Kind::Operation => "operation",
        }
    }
}

/// The entries of a mapping (none for anything else).
fn entries(value: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    value
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|map| map.iter())
}

/// Every unknown keyword in `raw` (an OpenAPI 3.0 tree), in document order.
pub fn check(raw: &Value) -> Vec<Warning> {
    let mut pending: Vec<(String, &Value, Kind)> = Vec::new();
    let components = raw.get("components");
    for (name, schema) in entries(components.and_then(|c| c.get("schemas"))) {
        pending.push((
            pointer_push("/components/schemas", name),
            schema,
            Kind::Schema,
        ));
    }
    for (name, param) in entries(components.and_then(|c| c.get("parameters"))) {
        let at = pointer_push("/components/parameters", name);
        pending.push((at, param, Kind::Parameter));
    }
    for section in ["requestBodies", "responses"] {
        for (name, item) in entries(components.and_then(|c| c.get(section))) {
            let at = pointer_push(&format!("/components/{section}"), name);
            push_content_schemas(&mut pending, &at, item);
        }
    }
    for (path, item) in entries(raw.get("paths")) {
        let at = pointer_push("/paths", path);
        push_parameters(&mut pending, &at, item);
        for method in METHODS {
            let Some(op) = item.get(*method) else {
                continue;
            };
            let op_at = pointer_push(&at, method);
            push_parameters(&mut pending, &op_at, op);
            if let Some(body) = op.get("requestBody") {
                push_content_schemas(&mut pending, &pointer_push(&op_at, "requestBody"), body);
            }
            for (status, response) in entries(op.get("responses")) {
                let response_at = pointer_push(&pointer_push(&op_at, "responses"), status);
                push_content_schemas(&mut pending, &response_at, response);
            }
            pending.push((op_at, op, Kind::Operation));
        }
    }
    let mut warnings = Vec::new();
    // iterative: a deeply nested schema must not exhaust the stack
    while let Some((at, node, kind)) = pending.pop() {
        let Some(map) = node.as_object() else {
            continue;
        };
        for key in map.keys() {
            if key.starts_with("x-") || kind.known().contains(&key.as_str()) {
                continue;
            }
            let hint = match did_you_mean(key, kind.known()) {
                Some(known) => format!("; did you mean `{known}`?"),
                None => String::new(),
            };
            warnings.push(Warning {
                pointer: pointer_push(&at, key),
                message: format!("unknown {} keyword `{key}`, ignored{hint}", kind.name()),
                kind: WarningKind::UnknownKeyword,
            });
        }
        if map.contains_key("$ref") {
            continue; // siblings of a reference are not schemas of their own
        }
        match kind {
            Kind::Schema => push_subschemas(&mut pending, &at, node),
            Kind::Parameter => {
                if let Some(schema) = node.get("schema") {
                    pending.push((pointer_push(&at, "schema"), schema, Kind::Schema));
                }
                push_content_schemas(&mut pending, &at, node);
            }
            Kind::Operation => {}
        }
    }
    warnings.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    warnings
}

fn push_subschemas<'v>(pending: &mut Vec<(String, &'v Value, Kind)>, at: &str, schema: &'v Value) {
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        let base = pointer_push(at, "properties");
        for (name, property) in properties {
            pending.push((pointer_push(&base, name), property, Kind::Schema));
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(sub) = schema.get(key).filter(|v| v.is_object()) {
            pending.push((pointer_push(at, key), sub, Kind::Schema));
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(members) = schema.get(key).and_then(Value::as_array) {
            let base = pointer_push(at, key);
            for (i, member) in members.iter().enumerate() {
                pending.push((pointer_push(&base, &i.to_string()), member, Kind::Schema));
            }
        }
    }
}

fn push_parameters<'v>(pending: &mut Vec<(String, &'v Value, Kind)>, at: &str, holder: &'v Value) {
    if let Some(params) = holder.get("parameters").and_then(Value::as_array) {
        let base = pointer_push(at, "parameters");
        for (i, param) in params.iter().enumerate() {
            pending.push((pointer_push(&base, &i.to_string()), param, Kind::Parameter));
        }
    }
}

/// The schemas under `content/<media>/schema` (bodies, responses, parameters) and under
/// `headers/<name>/schema` (responses).
fn push_content_schemas<'v>(
    pending: &mut Vec<(String, &'v Value, Kind)>,
    at: &str,
    holder: &'v Value,
) {
    for section in ["content", "headers"] {
        let Some(map) = holder.get(section).and_then(Value::as_object) else {
            continue;
        };
        let base = pointer_push(at, section);
        for (name, entry) in map {
            if let Some(schema) = entry.get("schema") {
                let schema_at = pointer_push(&pointer_push(&base, name), "schema");
                pending.push((schema_at, schema, Kind::Schema));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn typos_are_named_with_a_suggestion() {
        assert_eq!(did_you_mean("requried", SCHEMA), Some("required"));
        assert_eq!(did_you_mean("exmaple", SCHEMA), Some("example"));
        assert_eq!(did_you_mean("operationID", OPERATION), Some("operationId"));
        assert_eq!(did_you_mean("explod", PARAMETER), Some("explode"));
        assert_eq!(did_you_mean("somethingElse", SCHEMA), None);
    }

    #[test]
    fn unknown_keywords_in_each_object_kind_are_found_where_they_are() {
        let spec = json!({
            "openapi": "3.0.3",
            "paths": { "/a/{id}": {
                "parameters": [{ "name": "id", "in": "path", "requried": true,
                                 "schema": { "type": "string", "fromat": "uuid" } }],
                "get": {
                    "operationId": "getA", "sumary": "typo", "x-internal": true,
                    "responses": { "200": { "content": { "application/json": {
                        "schema": { "type": "object", "properties": {
                            "n": { "type": "integer", "minimun": 1 } } } } } } }
                }
            }},
            "components": { "schemas": {
                "A": { "type": "object", "requried": ["n"],
                       "allOf": [{ "$ref": "#/components/schemas/B", "description": "ok" }],
                       "items": { "nullabel": true } },
                "B": { "type": "object", "const": 1, "x-anything": 1 }
            }}
        });
        let found: Vec<(String, String)> = check(&spec)
            .into_iter()
            .map(|w| (w.pointer, w.message))
            .collect();
        let pointers: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/components/schemas/A/items/nullabel",
                "/components/schemas/A/requried",
                "/paths/~1a~1{id}/get/responses/200/content/application~1json/schema/properties/n/minimun",
                "/paths/~1a~1{id}/get/sumary",
                "/paths/~1a~1{id}/parameters/0/requried",
                "/paths/~1a~1{id}/parameters/0/schema/fromat",
            ]
        );
        assert!(found[1].1.contains("did you mean `required`?"), "{found:?}");
        assert!(found[3].1.starts_with("unknown operation keyword `sumary`"));
    }
}
