//! Swagger 2.0 read as OpenAPI 3.0: the JSON tree rewritten before openapiv3 sees it, so every
//! later step (wire patches, normalize, render) knows only OpenAPI 3.0.
//!
//! What moves where: `definitions`/`parameters`/`responses`/`securityDefinitions` into
//! `components` (body parameters into `components/requestBodies`) with every `$ref` rewritten;
//! body and formData parameters into request bodies and `consumes`/`produces` into their media
//! types; `host`/`basePath`/`schemes` into `servers`; a parameter's own `type`/`format`/`items`/
//! `enum`/`default` into its `schema` and `collectionFormat` into `style`/`explode`;
//! `x-nullable` into `nullable`; `type: file` into a binary string. What OpenAPI 3.0 cannot say
//! (a `tsv` collection, per-operation `schemes`) is a [`WarningKind::Conversion`] warning at the
//! Swagger node's JSON pointer.

mod operation;
mod schema;

use serde_json::{json, Map, Value};

use crate::error::{pointer_push, Warning, WarningKind};

/// The root key that carries the conversion's warnings from the JSON tree (what wire patches
/// edit) to `from_raw`, which removes it before parsing.
pub(super) const WARNINGS_KEY: &str = "x-mfa-codegen-conversion-warnings";

/// Keywords of a Swagger parameter (or header, or items) that describe its value: they move
/// into the OpenAPI 3.0 `schema`.
const VALUE_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "items",
    "enum",
    "default",
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
    "multipleOf",
];

/// Whether `raw` is a Swagger 2.0 document (`swagger: "2.0"`, or the number `2.0` an unquoted
/// YAML or JSON version reads as).
pub(super) fn is_swagger2(raw: &Value) -> bool {
    match raw.get("swagger") {
        Some(Value::String(v)) => v == "2.0",
        Some(Value::Number(n)) => n.as_f64() == Some(2.0),
        _ => false,
    }
}

/// Rewrites a Swagger 2.0 tree as OpenAPI 3.0.3; the warnings go under [`WARNINGS_KEY`].
pub(super) fn convert(raw: &Value) -> Value {
    let mut cx = Cx {
        root: raw,
        warnings: Vec::new(),
    };
    if let Some(Value::Number(n)) = raw.get("swagger") {
        cx.warn(
            "/swagger",
            format!("the version is the number {n}, not a string; read as \"2.0\" (quote it: swagger: \"2.0\")"),
        );
    }
    let mut out = cx.document();
    if !cx.warnings.is_empty() {
        let list = cx
            .warnings
            .iter()
            .map(|w| json!({"pointer": w.pointer, "message": w.message}))
            .collect();
        out.insert(WARNINGS_KEY.to_owned(), Value::Array(list));
    }
    Value::Object(out)
}

/// Takes the conversion's warnings back out of a converted tree.
pub(super) fn take_warnings(raw: &mut Value) -> Vec<Warning> {
    let Some(Value::Array(list)) = raw.as_object_mut().and_then(|o| o.remove(WARNINGS_KEY)) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|w| {
            Some(Warning {
                pointer: w.get("pointer")?.as_str()?.to_owned(),
                message: w.get("message")?.as_str()?.to_owned(),
                kind: WarningKind::Conversion,
            })
        })
        .collect()
}

struct Cx<'a> {
    root: &'a Value,
    warnings: Vec<Warning>,
}

fn obj(value: Option<&Value>) -> Option<&Map<String, Value>> {
    value.and_then(Value::as_object)
}

fn strings(value: Option<&Value>) -> Option<Vec<String>> {
    value.and_then(Value::as_array).map(|list| {
        list.iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    })
}

fn is_form_media(media: &str) -> bool {
    media.starts_with("application/x-www-form-urlencoded")
        || media.starts_with("multipart/form-data")
}

impl<'a> Cx<'a> {
    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: pointer.to_owned(),
            message: message.into(),
            kind: WarningKind::Conversion,
        });
    }

    fn document(&mut self) -> Map<String, Value> {
        let root = self.root;
        let mut out = Map::new();
        out.insert("openapi".into(), json!("3.0.3"));
        let empty = Map::new();
        let source = root.as_object().unwrap_or(&empty);
        for (key, value) in source {
            match key.as_str() {
                "info" | "tags" | "externalDocs" | "security" => {
                    out.insert(key.clone(), value.clone());
                }
                k if k.starts_with("x-") => {
                    out.insert(key.clone(), value.clone());
                }
                _ => {}
            }
        }
        if let Some(servers) = self.servers() {
            out.insert("servers".into(), servers);
        }
        let consumes = strings(root.get("consumes")).unwrap_or_default();
        let produces = strings(root.get("produces")).unwrap_or_default();
        let mut paths = Map::new();
        for (path, item) in obj(root.get("paths")).into_iter().flatten() {
            let pointer = pointer_push("/paths", path);
            let converted = self.path_item(item, &pointer, &consumes, &produces);
            paths.insert(path.clone(), converted);
        }
        out.insert("paths".into(), Value::Object(paths));
        let components = self.components(&consumes, &produces);
        if !components.is_empty() {
            out.insert("components".into(), Value::Object(components));
        }
        out
    }

    /// `host` + `basePath` once per scheme (no scheme: https).
    fn servers(&mut self) -> Option<Value> {
        let host = self.root.get("host").and_then(Value::as_str);
        let base = self
            .root
            .get("basePath")
            .and_then(Value::as_str)
            .unwrap_or("");
        let Some(host) = host else {
            return (!base.is_empty()).then(|| json!([{ "url": base }]));
        };
        let schemes = strings(self.root.get("schemes"))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| vec!["https".to_owned()]);
        let list = schemes
            .iter()
            .map(|scheme| json!({ "url": format!("{scheme}://{host}{base}") }))
            .collect();
        Some(Value::Array(list))
    }

    fn components(&mut self, consumes: &[String], produces: &[String]) -> Map<String, Value> {
        let root = self.root;
        let mut out = Map::new();
        let mut schemas = Map::new();
        for (name, schema) in obj(root.get("definitions")).into_iter().flatten() {
            schemas.insert(name.clone(), self.schema(schema));
        }
        let mut parameters = Map::new();
        let mut bodies = Map::new();
        for (name, param) in obj(root.get("parameters")).into_iter().flatten() {
            let pointer = pointer_push("/parameters", name);
            match param.get("in").and_then(Value::as_str) {
                Some("body") => {
                    bodies.insert(name.clone(), self.body(param, consumes));
                }
                // inlined where used: a request body cannot be one form field
                Some("formData") => {}
                _ => {
                    parameters.insert(name.clone(), self.parameter(param, &pointer));
                }
            }
        }
        let mut responses = Map::new();
        for (name, response) in obj(root.get("responses")).into_iter().flatten() {
            let pointer = pointer_push("/responses", name);
            responses.insert(name.clone(), self.response(response, produces, &pointer));
        }
        let mut security = Map::new();
        for (name, scheme) in obj(root.get("securityDefinitions")).into_iter().flatten() {
            let pointer = pointer_push("/securityDefinitions", name);
            if let Some(converted) = self.security_scheme(scheme, &pointer) {
                security.insert(name.clone(), converted);
            }
        }
        for (key, map) in [
            ("schemas", schemas),
            ("parameters", parameters),
            ("requestBodies", bodies),
            ("responses", responses),
            ("securitySchemes", security),
        ] {
            if !map.is_empty() {
                out.insert(key.into(), Value::Object(map));
            }
        }
        out
    }

    fn security_scheme(&mut self, scheme: &Value, pointer: &str) -> Option<Value> {
        let mut out = Map::new();
        if let Some(description) = scheme.get("description") {
            out.insert("description".into(), description.clone());
        }
        match scheme.get("type").and_then(Value::as_str) {
            Some("basic") => {
                out.insert("type".into(), json!("http"));
                out.insert("scheme".into(), json!("basic"));
            }
            Some("apiKey") => {
                out.insert("type".into(), json!("apiKey"));
                for key in ["name", "in"] {
                    out.insert(key.into(), scheme.get(key).cloned().unwrap_or(json!("")));
                }
            }
            Some("oauth2") => {
                let flow = match scheme.get("flow").and_then(Value::as_str) {
                    Some("implicit") => "implicit",
                    Some("password") => "password",
                    Some("application") => "clientCredentials",
                    Some("accessCode") => "authorizationCode",
                    other => {
                        self.warn(pointer, format!("oauth2 flow {other:?} is not a Swagger 2.0 flow; the scheme is left out"));
                        return None;
                    }
                };
                let mut body = Map::new();
                if matches!(flow, "implicit" | "authorizationCode") {
                    body.insert(
                        "authorizationUrl".into(),
                        scheme.get("authorizationUrl").cloned().unwrap_or(json!("")),
                    );
                }
                if matches!(flow, "password" | "clientCredentials" | "authorizationCode") {
                    body.insert(
                        "tokenUrl".into(),
                        scheme.get("tokenUrl").cloned().unwrap_or(json!("")),
                    );
                }
                body.insert(
                    "scopes".into(),
                    scheme.get("scopes").cloned().unwrap_or(json!({})),
                );
                out.insert("type".into(), json!("oauth2"));
                out.insert("flows".into(), json!({ flow: body }));
            }
            other => {
                self.warn(
                    pointer,
                    format!(
                        "security type {other:?} is not a Swagger 2.0 type; the scheme is left out"
                    ),
                );
                return None;
            }
        }
        Some(Value::Object(out))
    }

    fn path_item(
        &mut self,
        item: &'a Value,
        pointer: &str,
        consumes: &[String],
        produces: &[String],
    ) -> Value {
        let mut out = Map::new();
        let shared = item.get("parameters");
        for (key, value) in obj(Some(item)).into_iter().flatten() {
            let here = pointer_push(pointer, key);
            match key.as_str() {
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch" => {
                    let op = self.operation(value, shared, &here, pointer, consumes, produces);
                    out.insert(key.clone(), op);
                }
                "parameters" => {
                    // body and formData go into each operation's request body
                    let list = self.plain_parameters(value, &here);
                    if !list.is_empty() {
                        out.insert(key.clone(), Value::Array(list));
                    }
                }
                "$ref" => {
                    out.insert(key.clone(), value.clone());
                }
                k if k.starts_with("x-") => {
                    out.insert(key.clone(), value.clone());
                }
                _ => {}
            }
        }
        Value::Object(out)
    }
}
