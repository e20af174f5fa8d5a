//! Operations: body and formData parameters into a request body, `consumes`/`produces` into
//! media types, a response's `schema` into `content`.

use serde_json::{json, Map, Value};

use super::{is_form_media, obj, strings, Cx};
use crate::error::pointer_push;

/// Where a parameter list entry goes in OpenAPI 3.0.
enum Entry<'a> {
    /// A query/path/header parameter (or a `$ref` to one), with its pointer.
    Plain(&'a Value, String),
    /// A body parameter: inline, or the name of `components/requestBodies/<name>`.
    Body(&'a Value, Option<String>, String),
    /// A form field, inlined (a `$ref` resolved).
    Form(&'a Value, String),
}

impl<'a> Cx<'a> {
    fn entry(&mut self, param: &'a Value, pointer: &str) -> Entry<'a> {
        let referenced = param
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/parameters/"))
            .and_then(|name| {
                let target = self.root.pointer(&format!("/parameters/{name}"))?;
                Some((name.to_owned(), target))
            });
        let (target, name, here) = match &referenced {
            Some((name, target)) => (
                *target,
                Some(name.clone()),
                pointer_push("/parameters", name),
            ),
            None => (param, None, pointer.to_owned()),
        };
        match target.get("in").and_then(Value::as_str) {
            Some("body") => Entry::Body(target, name, here),
            Some("formData") => Entry::Form(target, here),
            _ => Entry::Plain(param, pointer.to_owned()),
        }
    }

    /// A query/path/header parameter converted, or its `$ref` rewritten.
    fn plain(&mut self, param: &Value, pointer: &str) -> Value {
        match param.get("$ref").and_then(Value::as_str) {
            Some(r) => json!({ "$ref": self.rewrite_ref(r) }),
            None => self.parameter(param, pointer),
        }
    }

    /// The query/path/header parameters of a list (body and formData go elsewhere).
    pub(super) fn plain_parameters(&mut self, list: &'a Value, pointer: &str) -> Vec<Value> {
        let mut out = Vec::new();
        for (i, param) in list.as_array().into_iter().flatten().enumerate() {
            if let Entry::Plain(p, here) = self.entry(param, &pointer_push(pointer, &i.to_string()))
            {
                out.push(self.plain(p, &here));
            }
        }
        out
    }

    pub(super) fn operation(
        &mut self,
        op: &'a Value,
        shared: Option<&'a Value>,
        pointer: &str,
        item_pointer: &str,
        consumes: &[String],
        produces: &[String],
    ) -> Value {
        let consumes = strings(op.get("consumes")).unwrap_or_else(|| consumes.to_vec());
        let produces = strings(op.get("produces")).unwrap_or_else(|| produces.to_vec());
        let mut out = Map::new();
        for (key, value) in obj(Some(op)).into_iter().flatten() {
            match key.as_str() {
                "tags" | "summary" | "description" | "externalDocs" | "operationId"
                | "deprecated" | "security" => {
                    out.insert(key.clone(), value.clone());
                }
                "schemes" => self.warn(
                    &pointer_push(pointer, key),
                    "per-operation schemes have no OpenAPI 3.0 form; the operation uses the document's servers",
                ),
                k if k.starts_with("x-") => {
                    out.insert(key.clone(), value.clone());
                }
                _ => {}
            }
        }
        // body and form fields: the path item's first, the operation's override by name
        let mut body = None;
        let mut form: Vec<(String, &'a Value, String)> = Vec::new();
        // (the path item's own query/path/header parameters stay on the path item)
        let lists = [
            (shared, pointer_push(item_pointer, "parameters"), false),
            (
                op.get("parameters"),
                pointer_push(pointer, "parameters"),
                true,
            ),
        ];
        let mut plain = Vec::new();
        for (list, list_pointer, own) in lists {
            for (i, param) in list
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                match self.entry(param, &pointer_push(&list_pointer, &i.to_string())) {
                    Entry::Plain(p, here) if own => plain.push(self.plain(p, &here)),
                    Entry::Plain(..) => {}
                    Entry::Body(target, name, here) => body = Some((target, name, here)),
                    Entry::Form(target, here) => {
                        let name = target.get("name").and_then(Value::as_str).unwrap_or("");
                        form.retain(|(n, _, _)| n != name);
                        form.push((name.to_owned(), target, here));
                    }
                }
            }
        }
        if !plain.is_empty() {
            out.insert("parameters".into(), Value::Array(plain));
        }
        match (body, form.is_empty()) {
            (Some((_, Some(name), here)), _) => {
                if !form.is_empty() {
                    self.warn(&here, "an operation with both a body and formData parameters; the form fields are left out");
                }
                let reference = format!("#/components/requestBodies/{name}");
                out.insert("requestBody".into(), json!({ "$ref": reference }));
            }
            (Some((target, None, here)), _) => {
                if !form.is_empty() {
                    self.warn(&here, "an operation with both a body and formData parameters; the form fields are left out");
                }
                out.insert("requestBody".into(), self.body(target, &consumes));
            }
            (None, false) => {
                let body = self.form_body(&form, &consumes);
                out.insert("requestBody".into(), body);
            }
            (None, true) => {}
        }
        let mut responses = Map::new();
        for (status, response) in obj(op.get("responses")).into_iter().flatten() {
            let here = pointer_push(&pointer_push(pointer, "responses"), status);
            responses.insert(status.clone(), self.response(response, &produces, &here));
        }
        out.insert("responses".into(), Value::Object(responses));
        Value::Object(out)
    }

    /// A body parameter as a request body: its schema under each consumed media type.
    pub(super) fn body(&mut self, param: &Value, consumes: &[String]) -> Value {
        let schema = param
            .get("schema")
            .map(|s| self.schema(s))
            .unwrap_or(json!({}));
        let mut media: Vec<&str> = consumes
            .iter()
            .map(String::as_str)
            .filter(|m| !is_form_media(m))
            .collect();
        if media.is_empty() {
            media.push("application/json");
        }
        let content: Map<String, Value> = media
            .into_iter()
            .map(|m| (m.to_owned(), json!({ "schema": schema })))
            .collect();
        let mut out = Map::new();
        for key in ["description", "required"] {
            if let Some(value) = param.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        for (key, value) in obj(Some(param)).into_iter().flatten() {
            if key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        out.insert("content".into(), Value::Object(content));
        Value::Object(out)
    }

    /// formData parameters as one object schema under the form media types consumed
    /// (multipart when none is named and a field is a file, else urlencoded).
    fn form_body(&mut self, fields: &[(String, &'a Value, String)], consumes: &[String]) -> Value {
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut has_file = false;
        for (name, field, pointer) in fields {
            has_file |= field.get("type").and_then(Value::as_str) == Some("file");
            let mut schema = self.value_schema(field, pointer);
            if let (Some(description), Some(map)) =
                (field.get("description"), schema.as_object_mut())
            {
                map.insert("description".into(), description.clone());
            }
            if let Some(format) = field.get("collectionFormat").and_then(Value::as_str) {
                if !matches!(format, "csv" | "multi") {
                    self.warn(
                        &pointer_push(pointer, "collectionFormat"),
                        format!("collectionFormat `{format}` of a form field has no OpenAPI 3.0 encoding here; the field is described as an array"),
                    );
                }
            }
            properties.insert(name.clone(), schema);
            if field.get("required").and_then(Value::as_bool) == Some(true) {
                required.push(json!(name));
            }
        }
        let mut schema = json!({ "type": "object", "properties": properties });
        if !required.is_empty() {
            schema["required"] = Value::Array(required.clone());
        }
        let mut media: Vec<&str> = consumes
            .iter()
            .map(String::as_str)
            .filter(|m| is_form_media(m))
            .collect();
        if media.is_empty() {
            media.push(if has_file {
                "multipart/form-data"
            } else {
                "application/x-www-form-urlencoded"
            });
        }
        let content: Map<String, Value> = media
            .into_iter()
            .map(|m| (m.to_owned(), json!({ "schema": schema })))
            .collect();
        json!({ "required": !required.is_empty(), "content": content })
    }

    /// A response: its `schema` (and `examples`) under each produced media type, its headers'
    /// value keywords into their `schema`.
    pub(super) fn response(
        &mut self,
        response: &Value,
        produces: &[String],
        pointer: &str,
    ) -> Value {
        if let Some(reference) = response.get("$ref").and_then(Value::as_str) {
            return json!({ "$ref": self.rewrite_ref(reference) });
        }
        let mut out = Map::new();
        let description = response.get("description").cloned().unwrap_or(json!(""));
        out.insert("description".into(), description);
        let mut headers = Map::new();
        for (name, header) in obj(response.get("headers")).into_iter().flatten() {
            let here = pointer_push(&pointer_push(pointer, "headers"), name);
            let mut converted = Map::new();
            if let Some(description) = header.get("description") {
                converted.insert("description".into(), description.clone());
            }
            converted.insert("schema".into(), self.value_schema(header, &here));
            headers.insert(name.clone(), Value::Object(converted));
        }
        if !headers.is_empty() {
            out.insert("headers".into(), Value::Object(headers));
        }
        if let Some(schema) = response.get("schema") {
            let schema = self.schema(schema);
            let mut media: Vec<&str> = produces.iter().map(String::as_str).collect();
            if media.is_empty() {
                media.push("application/json");
            }
            let content: Map<String, Value> = media
                .into_iter()
                .map(|m| {
                    let mut entry = json!({ "schema": schema });
                    if let Some(example) = response.pointer(&pointer_push("/examples", m)) {
                        entry["example"] = example.clone();
                    }
                    (m.to_owned(), entry)
                })
                .collect();
            out.insert("content".into(), Value::Object(content));
        }
        for (key, value) in obj(Some(response)).into_iter().flatten() {
            if key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        Value::Object(out)
    }
}
