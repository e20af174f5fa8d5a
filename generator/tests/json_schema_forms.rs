//! JSON Schema forms that Swagger 2.0 and OpenAPI 3.0 documents use although their dialect
//! lacks them (generator/src/load/repair.rs): each read as its nearest OpenAPI 3.0 form with a
//! warning at its JSON pointer, instead of the whole document being refused.

use std::path::Path;

use mfa_codegen::error::WarningKind;
use mfa_codegen::load::{parse_spec, LoadedSpec};
use serde_json::{json, Value};

fn load(text: &str) -> LoadedSpec {
    parse_spec(Path::new("spec.yaml"), text).unwrap_or_else(|e| panic!("{e}"))
}

fn at<'a>(spec: &'a LoadedSpec, pointer: &str) -> &'a Value {
    spec.raw
        .pointer(pointer)
        .unwrap_or_else(|| panic!("no {pointer} in {:#}", spec.raw))
}

fn warned(spec: &LoadedSpec, kind: WarningKind, pointer: &str) -> bool {
    spec.warnings
        .iter()
        .any(|w| w.kind == kind && w.pointer == pointer)
}

const SWAGGER: &str = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n";

#[test]
fn type_lists_in_a_swagger_document_become_nullable_or_one_of() {
    let spec = load(&format!(
        "{SWAGGER}definitions:\n  A:\n    type: object\n    properties:\n      reason: {{type: ['null', string], description: why}}\n      id: {{type: [integer, string], minimum: 1, maxLength: 9}}\n"
    ));
    let base = "/components/schemas/A/properties";
    assert_eq!(
        at(&spec, &format!("{base}/reason")),
        &json!({"type": "string", "nullable": true, "description": "why"})
    );
    assert_eq!(
        at(&spec, &format!("{base}/id/oneOf")),
        &json!([{"type": "integer", "minimum": 1}, {"type": "string", "maxLength": 9}])
    );
    assert!(warned(
        &spec,
        WarningKind::TypeList,
        &format!("{base}/reason/type")
    ));
    assert!(warned(
        &spec,
        WarningKind::TypeList,
        &format!("{base}/id/type")
    ));
}

#[test]
fn tuple_items_become_items_of_any_member() {
    let spec = load(&format!(
        "{SWAGGER}definitions:\n  A:\n    type: object\n    properties:\n      ts: {{items: [{{type: integer}}, {{type: 'null'}}]}}\n      pair: {{type: array, items: [{{type: integer}}, {{type: string}}]}}\n"
    ));
    let base = "/components/schemas/A/properties";
    assert_eq!(
        at(&spec, &format!("{base}/ts/items")),
        &json!({"type": "integer", "nullable": true})
    );
    assert_eq!(
        at(&spec, &format!("{base}/pair/items")),
        &json!({"anyOf": [{"type": "integer"}, {"type": "string"}]})
    );
    assert!(warned(
        &spec,
        WarningKind::Conversion,
        &format!("{base}/ts/items")
    ));
    assert!(warned(
        &spec,
        WarningKind::Conversion,
        &format!("{base}/pair/items")
    ));
}

#[test]
fn boolean_required_on_properties_joins_the_required_list() {
    let spec = load(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /img:\n    put:\n      requestBody:\n        content:\n          image/jpeg:\n            schema: {type: string, format: byte, required: true}\n      responses: {'204': {description: ok}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      required: [b]\n      properties:\n        a: {type: string, required: true}\n        b: {type: string}\n        c: {type: string, required: false}\n",
    );
    let a = at(&spec, "/components/schemas/A");
    assert_eq!(a["required"], json!(["b", "a"]));
    assert!(a["properties"]["a"].get("required").is_none());
    assert!(a["properties"]["c"].get("required").is_none());
    let body = "/paths/~1img/put/requestBody/content/image~1jpeg/schema";
    assert!(at(&spec, body).get("required").is_none());
    for pointer in [
        "/components/schemas/A/properties/a/required",
        "/components/schemas/A/properties/c/required",
        &format!("{body}/required"),
    ] {
        assert!(
            warned(&spec, WarningKind::BooleanRequired, pointer),
            "{pointer}"
        );
    }
}
