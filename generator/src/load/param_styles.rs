//! Parameter `style`s their location does not allow (`deepObject` on a path, `matrix` in a
//! query): `openapiv3` refuses them, and no server can expect them. Each is removed, with its
//! `explode`, on the JSON tree so the location's default applies, and warned at its pointer.

use serde_json::Value;

use crate::error::{pointer_push, Warning, WarningKind};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The styles OpenAPI 3.0 allows in each location.
fn allowed(location: &str, style: &str) -> bool {
    match location {
        "query" => matches!(
            style,
            "form" | "spaceDelimited" | "pipeDelimited" | "deepObject"
        ),
        "path" => matches!(style, "simple" | "label" | "matrix"),
        "header" => style == "simple",
        "cookie" => style == "form",
        _ => true,
    }
}

pub(super) fn fix(raw: &mut Value, warnings: &mut Vec<Warning>) {
    if let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let base = pointer_push("/paths", path);
            fix_list(item.get_mut("parameters"), &base, warnings);
            for method in METHODS {
                let at = pointer_push(&base, method);
                let list = item.get_mut(method).and_then(|op| op.get_mut("parameters"));
                fix_list(list, &at, warnings);
            }
        }
    }
    let components = raw
        .get_mut("components")
        .and_then(|c| c.get_mut("parameters"))
        .and_then(Value::as_object_mut);
    for (name, param) in components.into_iter().flatten() {
        let at = pointer_push("/components/parameters", name);
        fix_one(param, &at, warnings);
    }
}

fn fix_list(list: Option<&mut Value>, base: &str, warnings: &mut Vec<Warning>) {
    let Some(list) = list.and_then(Value::as_array_mut) else {
        return;
    };
    let base = pointer_push(base, "parameters");
    for (i, param) in list.iter_mut().enumerate() {
        fix_one(param, &pointer_push(&base, &i.to_string()), warnings);
    }
}

fn fix_one(param: &mut Value, pointer: &str, warnings: &mut Vec<Warning>) {
    let Some(node) = param.as_object_mut() else {
        return;
    };
    let location = node.get("in").and_then(Value::as_str).unwrap_or_default();
    let Some(style) = node.get("style").and_then(Value::as_str) else {
        return;
    };
    if allowed(location, style) {
        return;
    }
    let message = format!(
        "style `{style}` is not allowed in a {location} parameter; the {location} default is used"
    );
    node.remove("style");
    node.remove("explode");
    warnings.push(Warning {
        pointer: pointer_push(pointer, "style"),
        message,
        kind: WarningKind::ParameterStyle,
    });
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn styles_a_location_does_not_allow_are_removed_with_a_warning() {
        let mut raw = json!({
            "paths": {"/a/{id}": {
                "parameters": [{"name": "id", "in": "path", "style": "deepObject", "explode": true}],
                "get": {"parameters": [
                    {"name": "q", "in": "query", "style": "pipeDelimited", "explode": false},
                    {"name": "h", "in": "header", "style": "form"},
                    {"$ref": "#/components/parameters/C"}
                ]}
            }},
            "components": {"parameters": {
                "C": {"name": "c", "in": "cookie", "style": "simple"}
            }}
        });
        let mut warnings = Vec::new();
        fix(&mut raw, &mut warnings);
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/paths/~1a~1{id}/parameters/0/style",
                "/paths/~1a~1{id}/get/parameters/1/style",
                "/components/parameters/C/style",
            ]
        );
        assert!(warnings
            .iter()
            .all(|w| w.kind == WarningKind::ParameterStyle));
        assert_eq!(
            raw["paths"]["/a/{id}"]["parameters"][0],
            json!({"name": "id", "in": "path"})
        );
        // an allowed style is kept as written
        assert_eq!(
            raw["paths"]["/a/{id}"]["get"]["parameters"][0]["style"],
            json!("pipeDelimited")
        );
    }
}
