//! The schema rules of the OpenAPI 3.1 down-levelling: JSON Schema 2020-12 to the OpenAPI 3.0
//! schema subset.

use serde_json::{Map, Value};

use super::Converter;
use crate::error::pointer_push;

/// Keywords that exist only in JSON Schema 2020-12 and that 3.0 has no equivalent for.
const DROPPED: &[(&str, &str)] = &[
    ("if", "conditional schema (`if`/`then`/`else`)"),
    ("then", "conditional schema (`if`/`then`/`else`)"),
    ("else", "conditional schema (`if`/`then`/`else`)"),
    ("unevaluatedProperties", "`unevaluatedProperties`"),
    ("unevaluatedItems", "`unevaluatedItems`"),
    ("dependentRequired", "`dependentRequired`"),
    ("dependentSchemas", "`dependentSchemas`"),
    ("prefixItems", "tuple items (`prefixItems`)"),
    ("patternProperties", "`patternProperties`"),
    ("propertyNames", "`propertyNames`"),
    ("contains", "`contains`"),
    ("minContains", "`minContains`"),
    ("maxContains", "`maxContains`"),
    ("contentSchema", "`contentSchema`"),
    ("$id", "`$id` (schema identifier)"),
    ("$anchor", "`$anchor`"),
    ("$dynamicRef", "`$dynamicRef`"),
    ("$dynamicAnchor", "`$dynamicAnchor`"),
    ("$vocabulary", "`$vocabulary`"),
];

impl Converter<'_> {
    /// Converts one schema and, depth first, every schema inside it.
    pub(super) fn schema(&mut self, value: &mut Value, pointer: &str) {
        let Some(map) = value.as_object_mut() else {
            return;
        };
        null_members(map);
        self.children(map, pointer);
        map.remove("$schema");
        map.remove("$comment");
        for (key, what) in DROPPED {
            if map.remove(*key).is_some() {
                self.warn(
                    &pointer_push(pointer, key),
                    format!("{what} has no OpenAPI 3.0 equivalent; dropped"),
                );
            }
        }
        if map.remove("$defs").is_some() {
            self.warn(
                &pointer_push(pointer, "$defs"),
                "`$defs` are moved to components only from the top of a component schema; \
                 these are dropped"
                    .into(),
            );
        }
        if let Some(value) = map.remove("const") {
            if map.contains_key("enum") {
                self.warn(
                    &pointer_push(pointer, "const"),
                    "`const` beside `enum`: the `enum` is kept".into(),
                );
            } else {
                map.insert("enum".into(), Value::Array(vec![value]));
            }
        }
        if let Some(examples) = map.remove("examples") {
            if let Some(first) = examples.as_array().and_then(|a| a.first()) {
                map.entry("example").or_insert_with(|| first.clone());
            }
        }
        bound(map, "exclusiveMinimum", "minimum", |new, old| new >= old);
        bound(map, "exclusiveMaximum", "maximum", |new, old| new <= old);
        self.content(map, pointer);
        self.types(map, pointer);
        wrap_ref(map);
    }

    fn children(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        for (key, child) in map.iter_mut() {
            let at = pointer_push(pointer, key);
            match key.as_str() {
                "properties" | "patternProperties" | "dependentSchemas" | "$defs" => {
                    if let Some(members) = child.as_object_mut() {
                        for (name, member) in members.iter_mut() {
                            self.schema(member, &pointer_push(&at, name));
                        }
                    }
                }
                "allOf" | "oneOf" | "anyOf" | "prefixItems" => {
                    if let Some(members) = child.as_array_mut() {
                        for (i, member) in members.iter_mut().enumerate() {
                            self.schema(member, &pointer_push(&at, &i.to_string()));
                        }
                    }
                }
                "items"
                | "additionalProperties"
                | "not"
                | "if"
                | "then"
                | "else"
                | "contains"
                | "propertyNames"
                | "unevaluatedProperties"
                | "unevaluatedItems" => self.schema(child, &at),
                _ => {}
            }
        }
    }

    /// `contentEncoding`/`contentMediaType` on a string: 3.0 says the same with `format`.
    fn content(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        let encoding = map.remove("contentEncoding");
        let media = map.remove("contentMediaType");
        if encoding.is_none() && media.is_none() {
            return;
        }
        let format = match encoding.as_ref().and_then(Value::as_str) {
            Some("base64" | "base64url") => Some("byte"),
            Some("binary") | None => Some("binary"),
            Some(_) => None,
        };
        match format {
            Some(format) if !map.contains_key("format") => {
                map.insert("format".into(), Value::String(format.into()));
            }
            Some(_) => {}
            None => self.warn(
                &pointer_push(pointer, "contentEncoding"),
                format!(
                    "content encoding {} has no OpenAPI 3.0 format; read as a plain string",
                    encoding.unwrap_or(Value::Null)
                ),
            ),
        }
    }

    /// `type` arrays: `null` becomes `nullable`; several other types a `oneOf` of one schema
    /// per type, each with the keywords that apply to it.
    fn types(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        if split_types(map) == Some(TypeList::OnlyNull) {
            self.warn(
                &pointer_push(pointer, "type"),
                "`type: null` alone: OpenAPI 3.0 cannot say \"only null\"; read as a nullable \
                 value of any type"
                    .into(),
            );
        }
    }
}

/// What [`split_types`] found in a `type` keyword.
#[derive(Debug, PartialEq, Eq)]
pub(in crate::load) enum TypeList {
    /// A list (or `null`), rewritten as OpenAPI 3.0.
    Rewritten,
    /// Only `null`: the `type` is removed and the schema made nullable.
    OnlyNull,
}

/// A `type` list (or `type: null`) rewritten as OpenAPI 3.0: `null` becomes `nullable`, one
/// other type stays the `type`, several become a `oneOf` of one schema per type, each with the
/// keywords that apply to it. `None` when `type` is absent or a plain type name.
pub(in crate::load) fn split_types(map: &mut Map<String, Value>) -> Option<TypeList> {
    let types: Vec<String> = match map.get("type") {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect(),
        Some(Value::String(t)) if t == "null" => vec![t.clone()],
        _ => return None,
    };
    map.remove("type");
    let mut rest: Vec<String> = Vec::new();
    for t in types {
        if t == "null" {
            map.insert("nullable".into(), Value::Bool(true));
        } else if !rest.contains(&t) {
            rest.push(t);
        }
    }
    match rest.as_slice() {
        [] => return Some(TypeList::OnlyNull),
        [one] => {
            map.insert("type".into(), Value::String(one.clone()));
        }
        several => {
            let members: Vec<Value> = several.iter().map(|t| member(map, t)).collect();
            for (_, key) in TYPE_KEYWORDS {
                map.remove(*key);
            }
            map.remove("format");
            if map.contains_key("oneOf") {
                let all = map
                    .entry("allOf")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Some(all) = all.as_array_mut() {
                    all.push(Value::Object(Map::from_iter([(
                        "oneOf".to_owned(),
                        Value::Array(members),
                    )])));
                }
            } else {
                map.insert("oneOf".into(), Value::Array(members));
            }
        }
    }
    Some(TypeList::Rewritten)
}

/// Keywords that apply to one JSON type only, moved to that type's member of a type union.
const TYPE_KEYWORDS: &[(&str, &str)] = &[
    ("string", "minLength"),
    ("string", "maxLength"),
    ("string", "pattern"),
    ("number", "minimum"),
    ("number", "maximum"),
    ("number", "exclusiveMinimum"),
    ("number", "exclusiveMaximum"),
    ("number", "multipleOf"),
    ("array", "items"),
    ("array", "minItems"),
    ("array", "maxItems"),
    ("array", "uniqueItems"),
    ("object", "properties"),
    ("object", "required"),
    ("object", "additionalProperties"),
    ("object", "minProperties"),
    ("object", "maxProperties"),
];

/// One member of a type union: `{type}` plus the keywords of `map` that apply to that type.
fn member(map: &Map<String, Value>, ty: &str) -> Value {
    let family = if ty == "integer" { "number" } else { ty };
    let mut out = Map::new();
    out.insert("type".into(), Value::String(ty.to_owned()));
    for (owner, key) in TYPE_KEYWORDS {
        if *owner == family {
            if let Some(value) = map.get(*key) {
                out.insert((*key).to_owned(), value.clone());
            }
        }
    }
    if let Some(format) = map.get("format").and_then(Value::as_str) {
        let owner = match format {
            "int32" | "int64" => "integer",
            "float" | "double" => "number",
            _ => "string",
        };
        if owner == ty || (owner == "number" && ty == "integer") {
            out.insert("format".into(), Value::String(format.to_owned()));
        }
    }
    Value::Object(out)
}

/// A numeric `exclusiveMinimum` (3.1) becomes `minimum` plus `exclusiveMinimum: true` (3.0);
/// when `minimum` is also given, the stricter of the two bounds is kept.
fn bound(
    map: &mut Map<String, Value>,
    exclusive: &str,
    inclusive: &str,
    stricter: fn(f64, f64) -> bool,
) {
    let Some(limit) = map.get(exclusive).filter(|v| v.is_number()).cloned() else {
        return;
    };
    let replace = match (limit.as_f64(), map.get(inclusive).and_then(Value::as_f64)) {
        (Some(new), Some(old)) => stricter(new, old),
        _ => true,
    };
    if replace {
        map.insert(inclusive.to_owned(), limit);
        map.insert(exclusive.to_owned(), Value::Bool(true));
    } else {
        map.remove(exclusive);
    }
}

/// A `$ref` with sibling keywords (allowed in 3.1, ignored by 3.0) becomes
/// `allOf: [{$ref}]` plus the siblings; a `summary` sibling is documentation and dropped.
fn wrap_ref(map: &mut Map<String, Value>) {
    map.remove("summary");
    if !map.contains_key("$ref") || map.len() == 1 {
        return;
    }
    let Some(reference) = map.remove("$ref") else {
        return;
    };
    let target = Value::Object(Map::from_iter([("$ref".to_owned(), reference)]));
    match map.get_mut("allOf").and_then(Value::as_array_mut) {
        Some(all) => all.insert(0, target),
        None => {
            map.insert("allOf".into(), Value::Array(vec![target]));
        }
    }
}

/// `{type: 'null'}` (with nothing but documentation beside it).
fn is_null_schema(value: &Value) -> bool {
    let Some(map) = value.as_object() else {
        return false;
    };
    let null = match map.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(list)) => list.iter().all(|t| t == "null") && !list.is_empty(),
        _ => false,
    };
    null && map
        .keys()
        .all(|k| matches!(k.as_str(), "type" | "description" | "title" | "$comment"))
}

/// The 3.1 way to say "nullable": `anyOf`/`oneOf` with a `{type: 'null'}` member. The member
/// becomes `nullable: true`; a single member left is lifted into the schema (a `$ref` through
/// `allOf`, 3.0's way to add keywords to a reference).
pub(in crate::load) fn null_members(map: &mut Map<String, Value>) {
    for key in ["anyOf", "oneOf"] {
        let Some(members) = map.get_mut(key).and_then(Value::as_array_mut) else {
            continue;
        };
        let nulls = members.iter().filter(|m| is_null_schema(m)).count();
        // nothing to do, or only `null` (left for `types` to warn about)
        if nulls == 0 || nulls == members.len() {
            continue;
        }
        members.retain(|m| !is_null_schema(m));
        let several = members.len() > 1;
        map.insert("nullable".into(), Value::Bool(true));
        if several {
            continue;
        }
        let Some(Value::Object(only)) = map.remove(key).and_then(|m| match m {
            Value::Array(mut list) => list.pop(),
            _ => None,
        }) else {
            continue;
        };
        let clash = only.keys().any(|k| k == "$ref" || map.contains_key(k));
        if clash {
            let all = map
                .entry("allOf")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Some(all) = all.as_array_mut() {
                all.insert(0, Value::Object(only));
            }
        } else {
            map.extend(only);
        }
    }
}
