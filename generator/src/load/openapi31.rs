//! OpenAPI 3.1 down-levelled to the OpenAPI 3.0 model, on the JSON tree before `openapiv3`
//! reads it (so the rest of the pipeline sees one version).
//!
//! Exact rewrites: `type` arrays (`null` becomes `nullable`, several types a `oneOf`), `const`,
//! schema `examples`, numeric `exclusiveMinimum`/`exclusiveMaximum`, `$ref` with sibling
//! keywords, `components/pathItems` referenced from `paths`, `$defs` of a component schema
//! (moved to `components/schemas`), `contentEncoding`/`contentMediaType` of binary strings.
//! Everything else 3.0 cannot hold is dropped with a [`WarningKind::Conversion`] warning at its
//! JSON pointer. `info.summary`, `license.identifier`, `$comment` and `$schema` are
//! documentation only and dropped silently.

use serde_json::{Map, Value};

use crate::error::{pointer_push, Warning, WarningKind};

pub(super) mod schema;

/// The dialect a 3.1 document uses when it names none.
const DEFAULT_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

/// Rewrites `raw` in place when it is an OpenAPI 3.1 document; any other version is left alone.
pub(super) fn downlevel(raw: &mut Value, warnings: &mut Vec<Warning>) {
    let is_31 = raw
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.1"));
    let Some(root) = raw.as_object_mut().filter(|_| is_31) else {
        return;
    };
    let callbacks = root
        .get("components")
        .and_then(|c| c.get("callbacks"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut conv = Converter {
        warnings,
        callbacks,
    };
    conv.root(root);
}

struct Converter<'a> {
    warnings: &'a mut Vec<Warning>,
    /// `components/callbacks`, for the operations' `$ref`s to them (the 3.0 model reads an
    /// operation's callbacks inline only).
    callbacks: Map<String, Value>,
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl Converter<'_> {
    fn warn(&mut self, pointer: &str, message: String) {
        self.warnings.push(Warning {
            pointer: pointer.to_owned(),
            message,
            kind: WarningKind::Conversion,
        });
    }

    fn root(&mut self, root: &mut Map<String, Value>) {
        root.insert("openapi".into(), Value::String("3.0.3".into()));
        if let Some(dialect) = root.remove("jsonSchemaDialect") {
            if dialect.as_str() != Some(DEFAULT_DIALECT) {
                self.warn(
                    "/jsonSchemaDialect",
                    format!(
                        "JSON Schema dialect {dialect} is not the OpenAPI default; schemas are \
                         read as the OpenAPI 3.0 subset"
                    ),
                );
            }
        }
        if let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) {
            info.remove("summary");
            if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) {
                license.remove("identifier");
            }
        }
        if let Some(webhooks) = root.remove("webhooks") {
            let count = webhooks.as_object().map_or(0, Map::len);
            self.warn(
                "/webhooks",
                format!(
                    "{count} webhook(s) skipped: OpenAPI 3.0 has no webhooks and a client \
                     does not receive them"
                ),
            );
        }
        // 3.1 makes `paths` optional; the 3.0 model requires it
        root.entry("paths")
            .or_insert_with(|| Value::Object(Map::new()));
        self.move_defs(root);
        self.inline_path_items(root);
        self.mutual_tls(root);
        if let Some(paths) = root.get_mut("paths") {
            self.path_items(paths, "/paths");
        }
        if let Some(components) = root.get_mut("components") {
            self.walk(components, "/components", true);
        }
    }

    /// `mutualTLS` security schemes (3.1 only): the client certificate is set on the HTTP
    /// client, not per request, so the scheme and its names in security requirements go.
    fn mutual_tls(&mut self, root: &mut Map<String, Value>) {
        let Some(schemes) = root
            .get_mut("components")
            .and_then(|c| c.get_mut("securitySchemes"))
            .and_then(Value::as_object_mut)
        else {
            return;
        };
        let names: Vec<String> = schemes
            .iter()
            .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
            .map(|(name, _)| name.clone())
            .collect();
        for name in &names {
            schemes.remove(name);
            self.warn(
                &pointer_push("/components/securitySchemes", name),
                "mutual TLS security scheme skipped: configure the client certificate on the \
                 HTTP client"
                    .into(),
            );
        }
        if names.is_empty() {
            return;
        }
        let mut lists: Vec<&mut Value> = Vec::new();
        for (key, value) in root.iter_mut() {
            match (key.as_str(), value) {
                ("security", list) => lists.push(list),
                ("paths", Value::Object(items)) => {
                    let items = items.values_mut().filter_map(Value::as_object_mut);
                    for (method, op) in items.flat_map(|item| item.iter_mut()) {
                        if METHODS.contains(&method.as_str()) {
                            lists.extend(op.get_mut("security"));
                        }
                    }
                }
                _ => {}
            }
        }
        for list in lists.into_iter().filter_map(Value::as_array_mut) {
            for requirement in list.iter_mut().filter_map(Value::as_object_mut) {
                requirement.retain(|name, _| !names.contains(name));
            }
        }
    }

    /// `paths` entries that are a `$ref` to `components/pathItems` get the item itself; 3.0 has
    /// no `components/pathItems`, so the section is removed afterwards.
    fn inline_path_items(&mut self, root: &mut Map<String, Value>) {
        let items = root
            .get_mut("components")
            .and_then(Value::as_object_mut)
            .and_then(|c| c.remove("pathItems"))
            .and_then(|v| match v {
                Value::Object(map) => Some(map),
                _ => None,
            })
            .unwrap_or_default();
        let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) else {
            return;
        };
        for (path, item) in paths.iter_mut() {
            let pointer = pointer_push("/paths", path);
            // a chain of references between path items, bounded so a cycle ends
            for step in 0..=16 {
                let Value::Object(map) = &*item else {
                    break;
                };
                let Some(target) = map.get("$ref").and_then(Value::as_str) else {
                    break;
                };
                let Some(name) = target.strip_prefix("#/components/pathItems/") else {
                    break;
                };
                let name = name.replace("~1", "/").replace("~0", "~");
                let mut inlined = match items.get(&name).and_then(Value::as_object) {
                    Some(found) if step < 16 => found.clone(),
                    found => {
                        let problem = if found.is_some() {
                            "is a cycle of path item references"
                        } else {
                            "names no components/pathItems entry"
                        };
                        self.warn(
                            &pointer,
                            format!(
                                "path item reference {target} {problem}; its operations are left out"
                            ),
                        );
                        *item = Value::Object(Map::new());
                        break;
                    }
                };
                // the reference's own summary/description override the target's
                for (key, value) in map.iter().filter(|(k, _)| *k != "$ref") {
                    inlined.insert(key.clone(), value.clone());
                }
                *item = Value::Object(inlined);
            }
        }
    }

    /// `$defs` of a component schema become component schemas of their own, and references to
    /// them are rewritten; `$defs` anywhere else are dropped with a warning (see `schema`).
    fn move_defs(&mut self, root: &mut Map<String, Value>) {
        let Some(schemas) = root
            .get_mut("components")
            .and_then(|c| c.get_mut("schemas"))
            .and_then(Value::as_object_mut)
        else {
            return;
        };
        let mut moved: Vec<(String, String, Value)> = Vec::new();
        let owners: Vec<String> = schemas.keys().cloned().collect();
        for owner in owners {
            let Some(Value::Object(defs)) = schemas
                .get_mut(&owner)
                .and_then(Value::as_object_mut)
                .and_then(|s| s.remove("$defs"))
            else {
                continue;
            };
            for (name, def) in defs {
                let mut new_name = name.clone();
                if schemas.contains_key(&new_name) || moved.iter().any(|m| m.1 == new_name) {
                    new_name = format!("{owner}{name}");
                }
                while schemas.contains_key(&new_name) || moved.iter().any(|m| m.1 == new_name) {
                    new_name.push('_');
                }
                let old = format!(
                    "#/components/schemas/{}/$defs/{}",
                    escape(&owner),
                    escape(&name)
                );
                moved.push((old, new_name, def));
            }
        }
        if moved.is_empty() {
            return;
        }
        for (_, new_name, def) in &moved {
            schemas.insert(new_name.clone(), def.clone());
        }
        let renames: Vec<(String, String)> = moved
            .into_iter()
            .map(|(old, new, _)| (old, format!("#/components/schemas/{new}")))
            .collect();
        for value in root.values_mut() {
            rewrite_refs(value, &renames);
        }
    }

    /// A map of path items (`paths`, or one callback): 3.1 makes an operation's `responses`
    /// optional, the 3.0 model requires it (empty: no documented response).
    fn path_items(&mut self, items: &mut Value, pointer: &str) {
        let Some(items) = items.as_object_mut() else {
            return;
        };
        for (key, item) in items.iter_mut() {
            let at = pointer_push(pointer, key);
            if let Some(item) = item.as_object_mut() {
                for method in METHODS {
                    if let Some(op) = item.get_mut(*method).and_then(Value::as_object_mut) {
                        op.entry("responses")
                            .or_insert_with(|| Value::Object(Map::new()));
                    }
                }
            }
            self.walk(item, &at, false);
        }
    }

    /// A map of callbacks; a `$ref` to `components/callbacks` is replaced by the callback.
    fn callbacks(&mut self, callbacks: &mut Value, pointer: &str) {
        let Some(callbacks) = callbacks.as_object_mut() else {
            return;
        };
        for (name, callback) in callbacks.iter_mut() {
            let at = pointer_push(pointer, name);
            let target = callback.get("$ref").and_then(Value::as_str);
            if let Some(target) = target {
                let found = target
                    .strip_prefix("#/components/callbacks/")
                    .and_then(|name| self.callbacks.get(name));
                match found {
                    Some(found) => *callback = found.clone(),
                    None => {
                        self.warn(
                            &at,
                            format!("callback reference {target} is not resolved; left out"),
                        );
                        *callback = Value::Object(Map::new());
                    }
                }
            }
            self.path_items(callback, &at);
        }
    }

    /// Walks a part of the document that is not a schema, converting every schema in it.
    fn walk(&mut self, value: &mut Value, pointer: &str, in_components: bool) {
        match value {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    let at = pointer_push(pointer, key);
                    match key.as_str() {
                        "schema" => self.schema(child, &at),
                        "schemas" if in_components && pointer == "/components" => {
                            if let Some(schemas) = child.as_object_mut() {
                                for (name, schema) in schemas.iter_mut() {
                                    self.schema(schema, &pointer_push(&at, name));
                                }
                            }
                        }
                        "callbacks" => self.callbacks(child, &at),
                        // example values are data, never schemas
                        "example" | "examples" | "default" if !child.is_object() => {}
                        "example" | "value" => {}
                        k if k.starts_with("x-") => {}
                        _ => self.walk(child, &at, in_components),
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    self.walk(child, &pointer_push(pointer, &i.to_string()), in_components);
                }
            }
            _ => {}
        }
    }
}

/// Rewrites every `$ref` equal to (or below) an old target to its new target.
fn rewrite_refs(value: &mut Value, renames: &[(String, String)]) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get_mut("$ref") {
                for (old, new) in renames {
                    if target == old {
                        *target = new.clone();
                    } else if let Some(rest) = target.strip_prefix(old.as_str()) {
                        if rest.starts_with('/') {
                            *target = format!("{new}{rest}");
                        }
                    }
                }
            }
            for child in map.values_mut() {
                rewrite_refs(child, renames);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|c| rewrite_refs(c, renames)),
        _ => {}
    }
}

/// One JSON pointer token.
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
