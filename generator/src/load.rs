//! Step 1 of the pipeline: read a spec file into `openapiv3::OpenAPI`.
//!
//! openapiv3 reports shape errors at the enclosing map (often `paths` or `components.schemas`)
//! and says nothing useful about Swagger 2.0 files, so on failure we locate the offending node
//! ourselves by re-parsing the document piece by piece and report its JSON pointer.

mod extensions;
pub(crate) mod keywords;
mod openapi31;
// parameter styles a location does not allow, removed before openapiv3 refuses them
mod param_styles;
mod repair;
mod strict;
mod swagger2;

pub use extensions::leave_out_unmet_extensions;

use std::path::{Path, PathBuf};

use openapiv3::{OpenAPI, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema};
use serde::de::{DeserializeOwned, DeserializeSeed};
use serde_json::Value;

use crate::error::{pointer_push, GenError, Warning, WarningKind};

/// A parsed spec plus the raw JSON tree (kept for facts openapiv3 drops and for error pointers).
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    pub path: PathBuf,
    pub api: OpenAPI,
    pub raw: Value,
    /// What reading the document itself corrected (a numeric `openapi` version).
    pub warnings: Vec<Warning>,
}

/// The hand-written extension modules a provider config names, read from disk in name order.
pub fn load_extensions(
    config: &crate::config::ProviderConfig,
) -> Result<Vec<crate::ir::Extension>, GenError> {
    config
        .extensions
        .iter()
        .map(|(module, file)| {
            let path = config.base_dir.join(file);
            let source = std::fs::read_to_string(&path).map_err(|e| GenError::io(&path, e))?;
            Ok(crate::ir::Extension {
                module: module.clone(),
                // decided once the operations are known (`normalize::features`)
                gates: Vec::new(),
                origin: format!("{} (relative to the provider config)", file.display()),
                source,
            })
        })
        .collect()
}

/// The spec file as a JSON tree (what wire patches edit), checked to be OpenAPI 3.0.
pub fn read_raw(path: &Path) -> Result<Value, GenError> {
    let text = std::fs::read_to_string(path).map_err(|e| GenError::io(path, e))?;
    parse_raw(path, &text)
}

fn parse_raw(path: &Path, text: &str) -> Result<Value, GenError> {
    // A byte-order mark is an encoding detail, not part of the document (Windows editors and
    // some exporters write one); left in, YAML sees a second document.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw = match Syntax::of(path, text) {
        Syntax::Json => parse_json(path, text)?,
        // A `.yaml` file holding JSON, or a YAML flow mapping: JSON first, since YAML refuses
        // what JSON writers emit (surrogate-pair escapes); YAML only if it is not JSON at all.
        Syntax::Sniffed => match parse_json(path, text) {
            Err(json @ GenError::Syntax { .. }) => parse_yaml(path, text).map_err(|_| json)?,
            other => other?,
        },
        Syntax::Yaml => parse_yaml(path, text)?,
    };
    let raw = if swagger2::is_swagger2(&raw) {
        swagger2::convert(&raw)
    } else {
        raw
    };
    check_version(path, &raw)?;
    Ok(raw)
}

/// Which parser reads a spec file.
enum Syntax {
    Json,
    Sniffed,
    Yaml,
}

impl Syntax {
    fn of(path: &Path, text: &str) -> Self {
        let json_name = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if json_name {
            Self::Json
        } else if text.trim_start().starts_with('{') {
            Self::Sniffed
        } else {
            Self::Yaml
        }
    }
}

fn parse_json(path: &Path, text: &str) -> Result<Value, GenError> {
    let mut state = strict::State::default();
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let parsed = strict::Node { state: &mut state }
        .deserialize(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value));
    parsed.map_err(|e| match state.duplicate.take() {
        Some(duplicate) => {
            let at = format!(
                ", the second ending at line {} column {}",
                e.line(),
                e.column()
            );
            duplicate_error(path, &duplicate, &at)
        }
        None => GenError::Syntax {
            path: path.to_owned(),
            message: format!("invalid JSON: {e}"),
        },
    })
}

fn parse_yaml(path: &Path, text: &str) -> Result<Value, GenError> {
    let mut state = strict::State::default();
    let parsed =
        strict::Node { state: &mut state }.deserialize(serde_yaml_ng::Deserializer::from_str(text));
    parsed.map_err(|e| match state.duplicate.take() {
        Some(duplicate) => {
            // serde_yaml_ng reports the mark of the mapping, not of the key
            let at = e.location().map_or(String::new(), |l| {
                format!(
                    ", in the mapping at line {} column {}",
                    l.line(),
                    l.column()
                )
            });
            duplicate_error(path, &duplicate, &at)
        }
        None => GenError::Syntax {
            path: path.to_owned(),
            message: format!("invalid YAML: {e}"),
        },
    })
}

fn duplicate_error(path: &Path, duplicate: &strict::Duplicate, location: &str) -> GenError {
    let parent = if duplicate.parent.is_empty() {
        "the document root"
    } else {
        &duplicate.parent
    };
    GenError::spec(
        path,
        &duplicate.pointer,
        format!(
            "duplicate key `{}`: entries {} and {} of {parent} are both {}{location}; \
             a parser would silently keep only the last, so remove or rename one",
            duplicate.key.escape_debug(),
            duplicate.first,
            duplicate.second,
            duplicate.pointer,
        ),
    )
}

pub fn parse_spec(path: &Path, text: &str) -> Result<LoadedSpec, GenError> {
    from_raw(path, parse_raw(path, text)?)
}

/// Parses a (possibly patched) JSON tree into `openapiv3::OpenAPI`.
pub fn from_raw(path: &Path, mut raw: Value) -> Result<LoadedSpec, GenError> {
    let mut warnings = swagger2::take_warnings(&mut raw);
    // `openapi: 3.0` unquoted is a YAML number; check_version accepted it, openapiv3 wants text
    if let Some(version) = raw.get_mut("openapi").filter(|v| v.is_number()) {
        let text = version.to_string();
        warnings.push(Warning {
            pointer: "/openapi".to_owned(),
            message: format!(
                "the version is the number {text}, not a string; read as \"{text}\" (quote it: openapi: \"3.0.3\")"
            ),
            kind: WarningKind::NumericVersion,
        });
        *version = Value::String(text);
    }
    openapi31::downlevel(&mut raw, &mut warnings);
    repair::repair(&mut raw, &mut warnings);
    param_styles::fix(&mut raw, &mut warnings);
    warnings.extend(keywords::check(&raw));
    let api = match OpenAPI::deserialize_owned(&raw) {
        Ok(api) => api,
        Err(message) => {
            let (pointer, detail) = locate_bad_node(&raw).unwrap_or((String::new(), message));
            return Err(GenError::spec(path, pointer, detail));
        }
    };
    Ok(LoadedSpec {
        path: path.to_owned(),
        api,
        raw,
        warnings,
    })
}

fn check_version(path: &Path, raw: &Value) -> Result<(), GenError> {
    let Some(root) = raw.as_object() else {
        return Err(GenError::spec(
            path,
            "",
            "the document is not a mapping; expected an OpenAPI 3.0 object",
        ));
    };
    if let Some(swagger) = root.get("swagger") {
        let version = swagger
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| swagger.to_string());
        return Err(GenError::Unsupported {
            path: path.to_owned(),
            message: format!(
                "Swagger {version} is not supported; convert it to OpenAPI 3.0 first \
                 (for example with swagger2openapi) or use an OpenAPI 3.0 release of the spec"
            ),
        });
    }
    let version = match root.get("openapi") {
        None => None,
        Some(Value::String(v)) => Some(v.clone()),
        // an unquoted `3.0` is a YAML number: accepted (with a warning), its text checked
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(other) => {
            return Err(GenError::spec(
                path,
                "/openapi",
                format!(
                    "the version must be a string such as \"3.0.3\", found {}",
                    match other {
                        Value::Bool(_) => "a boolean",
                        Value::Array(_) => "a list",
                        Value::Object(_) => "a mapping",
                        _ => "null",
                    }
                ),
            ))
        }
    };
    match version.as_deref() {
        // 3.1 is down-levelled to 3.0 in `from_raw`, after the wire patches
        Some(v) if v.starts_with("3.0") || v.starts_with("3.1") => Ok(()),
        Some(v) => Err(GenError::spec(
            path,
            "/openapi",
            format!("unsupported OpenAPI version `{v}`; expected 3.0.x"),
        )),
        None => Err(GenError::spec(
            path,
            "",
            "missing `openapi` version field; is this an OpenAPI 3.0 document?",
        )),
    }
}

trait DeserializeFromValue: Sized {
    fn deserialize_owned(value: &Value) -> Result<Self, String>;
}

impl<T: DeserializeOwned> DeserializeFromValue for T {
    fn deserialize_owned(value: &Value) -> Result<Self, String> {
        T::deserialize(value).map_err(|e| e.to_string())
    }
}

/// Finds the deepest node that fails to parse, returning its pointer and the parser's message.
fn locate_bad_node(raw: &Value) -> Option<(String, String)> {
    if let Some(paths) = raw.get("paths").and_then(Value::as_object) {
        for (route, item) in paths {
            let pointer = pointer_push("/paths", route);
            if let Err(e) = PathItem::deserialize_owned(item) {
                return Some(locate_in_path_item(item, &pointer).unwrap_or((pointer, e)));
            }
        }
    }
    let components = raw.get("components").and_then(Value::as_object)?;
    type Check = fn(&Value, &str) -> Option<(String, String)>;
    let sections: [(&str, Check); 4] = [
        ("schemas", locate_in_schema),
        ("parameters", locate_in_parameter),
        ("responses", locate_in_response),
        ("requestBodies", locate_in_request_body),
    ];
    for (section, check) in sections {
        let Some(entries) = components.get(section).and_then(Value::as_object) else {
            continue;
        };
        let base = pointer_push("/components", section);
        for (name, node) in entries {
            if let Some(found) = check(node, &pointer_push(&base, name)) {
                return Some(found);
            }
        }
    }
    None
}

fn locate_in_path_item(item: &Value, pointer: &str) -> Option<(String, String)> {
    let map = item.as_object()?;
    for (key, node) in map {
        let here = pointer_push(pointer, key);
        let found = match key.as_str() {
            "parameters" => locate_in_list(node, &here, locate_in_parameter),
            "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace" => {
                locate_in_operation(node, &here)
            }
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

fn locate_in_operation(op: &Value, pointer: &str) -> Option<(String, String)> {
    let map = op.as_object()?;
    if let Some(found) = map
        .get("parameters")
        .and_then(|p| locate_in_list(p, &pointer_push(pointer, "parameters"), locate_in_parameter))
    {
        return Some(found);
    }
    if let Some(found) = map
        .get("requestBody")
        .and_then(|b| locate_in_request_body(b, &pointer_push(pointer, "requestBody")))
    {
        return Some(found);
    }
    if let Some(responses) = map.get("responses").and_then(Value::as_object) {
        let base = pointer_push(pointer, "responses");
        for (status, response) in responses {
            if let Some(found) = locate_in_response(response, &pointer_push(&base, status)) {
                return Some(found);
            }
        }
    }
    match openapiv3::Operation::deserialize_owned(op) {
        Ok(_) => None,
        Err(e) => Some((pointer.to_owned(), e)),
    }
}

fn locate_in_list(
    list: &Value,
    pointer: &str,
    check: fn(&Value, &str) -> Option<(String, String)>,
) -> Option<(String, String)> {
    match list.as_array() {
        Some(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, node)| check(node, &pointer_push(pointer, &i.to_string()))),
        None => Some((pointer.to_owned(), "expected a list".to_owned())),
    }
}

fn locate_in_parameter(node: &Value, pointer: &str) -> Option<(String, String)> {
    if let Err(e) = ReferenceOr::<Parameter>::deserialize_owned(node) {
        if let Some(found) = node
            .get("schema")
            .and_then(|s| locate_in_schema(s, &pointer_push(pointer, "schema")))
        {
            return Some(found);
        }
        return Some((pointer.to_owned(), e));
    }
    None
}

fn locate_in_request_body(node: &Value, pointer: &str) -> Option<(String, String)> {
    let e = ReferenceOr::<RequestBody>::deserialize_owned(node).err()?;
    Some(locate_in_content(node, pointer).unwrap_or((pointer.to_owned(), e)))
}

fn locate_in_response(node: &Value, pointer: &str) -> Option<(String, String)> {
    let e = ReferenceOr::<Response>::deserialize_owned(node).err()?;
    Some(locate_in_content(node, pointer).unwrap_or((pointer.to_owned(), e)))
}

fn locate_in_content(node: &Value, pointer: &str) -> Option<(String, String)> {
    let content = node.get("content")?.as_object()?;
    let base = pointer_push(pointer, "content");
    content.iter().find_map(|(media, entry)| {
        let schema = entry.get("schema")?;
        let here = pointer_push(&pointer_push(&base, media), "schema");
        locate_in_schema(schema, &here)
    })
}

/// Descends into sub-schemas first, so the reported node is the innermost one that fails.
fn locate_in_schema(node: &Value, pointer: &str) -> Option<(String, String)> {
    let e = ReferenceOr::<Schema>::deserialize_owned(node).err()?;
    let Some(map) = node.as_object() else {
        return Some((pointer.to_owned(), e));
    };
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = map.get(key).filter(|c| c.is_object()) {
            if let Some(found) = locate_in_schema(child, &pointer_push(pointer, key)) {
                return Some(found);
            }
        }
    }
    if let Some(props) = map.get("properties").and_then(Value::as_object) {
        let base = pointer_push(pointer, "properties");
        for (name, child) in props {
            if let Some(found) = locate_in_schema(child, &pointer_push(&base, name)) {
                return Some(found);
            }
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(list) = map.get(key) {
            if let Some(found) = locate_in_list(list, &pointer_push(pointer, key), locate_in_schema)
            {
                return Some(found);
            }
        }
    }
    Some((pointer.to_owned(), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<LoadedSpec, GenError> {
        parse_spec(Path::new("spec.yaml"), text)
    }

    #[test]
    fn swagger_two_is_read_as_openapi_three_and_other_swagger_versions_are_named() {
        let loaded = parse("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n")
            .expect("Swagger 2.0 is converted");
        assert_eq!(loaded.api.openapi, "3.0.3");
        assert_eq!(loaded.raw["openapi"], "3.0.3");
        assert!(loaded.raw.get("swagger").is_none());
        let err = parse("swagger: '1.2'\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("spec.yaml: "), "{text}");
        assert!(text.contains("Swagger 1.2 is not supported"), "{text}");
    }

    #[test]
    fn invalid_yaml_reports_line() {
        let err = parse("openapi: 3.0.3\ninfo: [unclosed\n").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("invalid YAML"), "{text}");
        assert!(text.contains("line"), "{text}");
    }

    #[test]
    fn bad_schema_node_is_located() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Good: {type: string}\n    Bad:\n      type: object\n      properties:\n        inner:\n          type: object\n          required: {not: a list}\n";
        let err = parse(spec).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("at /components/schemas/Bad/properties/inner:"),
            "{text}"
        );
    }

    #[test]
    fn bad_parameter_is_located_in_paths() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      parameters:\n        - name: id\n          in: path\n          type: string\n      responses: {'200': {description: ok}}\n";
        let err = parse(spec).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("at /paths/~1a~1{id}/get/parameters/0:"),
            "{text}"
        );
    }

    #[test]
    fn duplicate_keys_are_found_at_any_depth_with_escaped_pointers() {
        let yaml = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/b:\n    get:\n      parameters:\n        - {name: x, in: query}\n        - {name: y, in: query, name: z}\n";
        let json = r#"{"openapi": "3.0.3", "paths": {"/a/b": {"get": {"parameters": [{"name": "x", "in": "query"}, {"name": "y", "in": "query", "name": "z"}]}}}}"#;
        for (file, text) in [("spec.yaml", yaml), ("spec.json", json)] {
            let err = parse_spec(Path::new(file), text).unwrap_err().to_string();
            assert!(
                err.contains("at /paths/~1a~1b/get/parameters/1/name: duplicate key `name`: entries 1 and 3 of /paths/~1a~1b/get/parameters/1"),
                "{err}"
            );
        }
    }

    #[test]
    fn json_and_yaml_errors_say_which_syntax_was_read() {
        let err = parse_spec(Path::new("spec.json"), "{\"openapi\": ").unwrap_err();
        assert!(err.to_string().contains("invalid JSON"), "{err}");
        // starts like JSON but is neither: the JSON error is the useful one
        let err = parse_spec(Path::new("spec.yaml"), "{\"openapi\": [}").unwrap_err();
        assert!(err.to_string().contains("invalid JSON"), "{err}");
        // a YAML flow mapping is not JSON, and still reads
        let ok = parse_spec(
            Path::new("spec.yaml"),
            "{openapi: 3.0.3, info: {title: t, version: '1'}, paths: {}}",
        );
        assert!(ok.is_ok(), "{:?}", ok.err());
    }

    #[test]
    fn openapi_31_is_read_as_30_and_other_versions_are_refused() {
        let spec = parse("openapi: 3.1.0\ninfo: {title: t, version: '1'}\n").unwrap();
        assert_eq!(spec.api.openapi, "3.0.3");
        assert_eq!(spec.raw["openapi"], "3.0.3");
        let err = parse("openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
        assert!(err
            .to_string()
            .contains("unsupported OpenAPI version `3.2.0`"));
    }
}
