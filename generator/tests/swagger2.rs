//! Swagger 2.0 read as OpenAPI 3.0 (generator/src/load/swagger2.rs): one test per conversion
//! rule on a small inline spec, reading the converted JSON tree (what wire patches edit and
//! openapiv3 parses), and the legacy Okta 2.16.0 file generating a crate that compiles.

#[path = "support/common.rs"]
mod common;

use std::path::Path;

use mfa_codegen::error::{Warning, WarningKind};
use mfa_codegen::load::{parse_spec, LoadedSpec};
use mfa_codegen::ProviderConfig;
use serde_json::{json, Value};

fn load(yaml: &str) -> LoadedSpec {
    let text = format!("swagger: '2.0'\ninfo: {{title: t, version: '1'}}\n{yaml}");
    parse_spec(Path::new("spec.yaml"), &text).unwrap_or_else(|e| panic!("{e}"))
}

fn at<'a>(spec: &'a LoadedSpec, pointer: &str) -> &'a Value {
    spec.raw
        .pointer(pointer)
        .unwrap_or_else(|| panic!("no {pointer} in {:#}", spec.raw))
}

fn conversions(spec: &LoadedSpec) -> Vec<&Warning> {
    spec.warnings
        .iter()
        .filter(|w| w.kind == WarningKind::Conversion)
        .collect()
}

#[test]
fn body_parameter_becomes_a_request_body_per_consumed_media_type() {
    let spec = load(
        "consumes: [application/json]\npaths:\n  /a:\n    post:\n      consumes: [application/json, text/plain]\n      parameters:\n        - {name: payload, in: body, required: true, description: it, schema: {$ref: '#/definitions/A'}}\n      responses: {'204': {description: ok}}\n    put:\n      parameters:\n        - {name: payload, in: body, schema: {type: string}}\n      responses: {'204': {description: ok}}\ndefinitions:\n  A: {type: object}\n",
    );
    let body = at(&spec, "/paths/~1a/post/requestBody");
    assert_eq!(body["required"], true);
    assert_eq!(body["description"], "it");
    let schema = json!({"$ref": "#/components/schemas/A"});
    assert_eq!(body["content"]["application/json"]["schema"], schema);
    assert_eq!(body["content"]["text/plain"]["schema"], schema);
    // the document's consumes when the operation names none
    let put = at(&spec, "/paths/~1a/put/requestBody/content");
    assert_eq!(
        put,
        &json!({"application/json": {"schema": {"type": "string"}}})
    );
    assert!(at(&spec, "/paths/~1a/post").get("parameters").is_none());
}

#[test]
fn form_data_becomes_an_object_body_and_file_a_binary_string() {
    let spec = load(
        "paths:\n  /upload:\n    post:\n      parameters:\n        - {name: file, in: formData, type: file, required: true}\n        - {name: note, in: formData, type: string, description: why}\n      responses: {'204': {description: ok}}\n  /form:\n    post:\n      consumes: [application/x-www-form-urlencoded]\n      parameters:\n        - {name: n, in: formData, type: integer}\n      responses: {'204': {description: ok}}\n",
    );
    let upload = at(&spec, "/paths/~1upload/post/requestBody");
    assert_eq!(upload["required"], true);
    assert_eq!(
        upload["content"]["multipart/form-data"]["schema"],
        json!({"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary"},
            "note": {"type": "string", "description": "why"}}})
    );
    let form = at(&spec, "/paths/~1form/post/requestBody");
    assert_eq!(form["required"], false);
    assert_eq!(
        form["content"]["application/x-www-form-urlencoded"]["schema"]["properties"]["n"],
        json!({"type": "integer"})
    );
}

#[test]
fn every_ref_moves_to_components_and_body_parameters_to_request_bodies() {
    let spec = load(
        "paths:\n  /a/{id}:\n    parameters: [{$ref: '#/parameters/Id'}]\n    post:\n      parameters: [{$ref: '#/parameters/Body'}, {$ref: '#/parameters/Limit'}]\n      responses:\n        '200': {description: ok, schema: {type: array, items: {$ref: '#/definitions/A'}}}\n        default: {$ref: '#/responses/Problem'}\nparameters:\n  Id: {name: id, in: path, required: true, type: string}\n  Limit: {name: limit, in: query, type: integer}\n  Body: {name: body, in: body, schema: {$ref: '#/definitions/A'}}\nresponses:\n  Problem: {description: bad, schema: {$ref: '#/definitions/A'}}\ndefinitions:\n  A:\n    type: object\n    properties:\n      b: {$ref: '#/definitions/B'}\n      all: {allOf: [{$ref: '#/definitions/B'}]}\n      map: {type: object, additionalProperties: {$ref: '#/definitions/B'}}\n  B: {type: string}\n",
    );
    assert_eq!(
        at(&spec, "/paths/~1a~1{id}/parameters"),
        &json!([{"$ref": "#/components/parameters/Id"}])
    );
    let post = at(&spec, "/paths/~1a~1{id}/post");
    assert_eq!(
        post["parameters"],
        json!([{"$ref": "#/components/parameters/Limit"}])
    );
    assert_eq!(
        post["requestBody"],
        json!({"$ref": "#/components/requestBodies/Body"})
    );
    assert_eq!(
        post["responses"]["200"]["content"]["application/json"]["schema"]["items"],
        json!({"$ref": "#/components/schemas/A"})
    );
    assert_eq!(
        post["responses"]["default"],
        json!({"$ref": "#/components/responses/Problem"})
    );
    let components = at(&spec, "/components");
    assert_eq!(
        components["parameters"]["Limit"]["schema"],
        json!({"type": "integer"})
    );
    assert!(components["parameters"].get("Body").is_none());
    assert_eq!(
        components["requestBodies"]["Body"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/A"})
    );
    assert_eq!(
        components["responses"]["Problem"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/A"})
    );
    let a = &components["schemas"]["A"]["properties"];
    let b = json!({"$ref": "#/components/schemas/B"});
    assert_eq!(a["b"], b);
    assert_eq!(a["all"]["allOf"][0], b);
    assert_eq!(a["map"]["additionalProperties"], b);
    let text = spec.raw.to_string();
    assert!(!text.contains("#/definitions/"), "{text}");
    assert!(!text.contains("\"#/parameters/"), "{text}");
    assert!(!text.contains("\"#/responses/"), "{text}");
}

#[test]
fn security_definitions_become_security_schemes_with_openapi_three_flows() {
    let spec = load(
        "paths: {}\nsecurity: [{key: []}]\nsecurityDefinitions:\n  basic: {type: basic, description: d}\n  key: {type: apiKey, name: Authorization, in: header}\n  imp: {type: oauth2, flow: implicit, authorizationUrl: 'https://a', scopes: {s: d}}\n  pw: {type: oauth2, flow: password, tokenUrl: 'https://t', scopes: {}}\n  app: {type: oauth2, flow: application, tokenUrl: 'https://t', scopes: {}}\n  code: {type: oauth2, flow: accessCode, authorizationUrl: 'https://a', tokenUrl: 'https://t', scopes: {}}\n",
    );
    let schemes = at(&spec, "/components/securitySchemes");
    assert_eq!(
        schemes["basic"],
        json!({"type": "http", "scheme": "basic", "description": "d"})
    );
    assert_eq!(
        schemes["key"],
        json!({"type": "apiKey", "name": "Authorization", "in": "header"})
    );
    assert_eq!(
        schemes["imp"]["flows"],
        json!({"implicit": {"authorizationUrl": "https://a", "scopes": {"s": "d"}}})
    );
    assert_eq!(schemes["pw"]["flows"]["password"]["tokenUrl"], "https://t");
    assert_eq!(
        schemes["app"]["flows"]["clientCredentials"]["tokenUrl"],
        "https://t"
    );
    assert_eq!(
        schemes["code"]["flows"]["authorizationCode"],
        json!({"authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {}})
    );
    assert_eq!(at(&spec, "/security"), &json!([{"key": []}]));
    assert_eq!(
        spec.api
            .components
            .as_ref()
            .map(|c| c.security_schemes.len()),
        Some(6)
    );
}

#[test]
fn host_base_path_and_schemes_become_servers() {
    let spec = load("host: api.example.com\nbasePath: /v1\nschemes: [https, http]\npaths: {}\n");
    assert_eq!(
        at(&spec, "/servers"),
        &json!([{"url": "https://api.example.com/v1"}, {"url": "http://api.example.com/v1"}])
    );
    let relative = load("basePath: /v2\npaths: {}\n");
    assert_eq!(at(&relative, "/servers"), &json!([{"url": "/v2"}]));
    let default_scheme = load("host: h.example\npaths: {}\n");
    assert_eq!(
        at(&default_scheme, "/servers"),
        &json!([{"url": "https://h.example"}])
    );
}

#[test]
fn collection_formats_become_styles_and_tsv_is_a_warning() {
    let spec = load(
        "paths:\n  /a/{ids}:\n    get:\n      parameters:\n        - {name: csv, in: query, type: array, items: {type: string}}\n        - {name: multi, in: query, type: array, collectionFormat: multi, items: {type: string}}\n        - {name: ssv, in: query, type: array, collectionFormat: ssv, items: {type: string}}\n        - {name: pipes, in: query, type: array, collectionFormat: pipes, items: {type: string}}\n        - {name: tsv, in: query, type: array, collectionFormat: tsv, items: {type: string}}\n        - {name: ids, in: path, required: true, type: array, collectionFormat: csv, items: {type: integer}}\n      responses: {'204': {description: ok}}\n",
    );
    let params = at(&spec, "/paths/~1a~1{ids}/get/parameters");
    let style = |i: usize| (params[i]["style"].clone(), params[i]["explode"].clone());
    assert_eq!(style(0), (json!("form"), json!(false)));
    assert_eq!(style(1), (json!("form"), json!(true)));
    assert_eq!(style(2), (json!("spaceDelimited"), json!(false)));
    assert_eq!(style(3), (json!("pipeDelimited"), json!(false)));
    assert_eq!(style(4), (json!("form"), json!(false)));
    // path arrays are comma-separated (`simple`, the default) already
    assert_eq!(style(5), (Value::Null, Value::Null));
    assert_eq!(
        params[5]["schema"],
        json!({"type": "array", "items": {"type": "integer"}})
    );
    let warnings = conversions(&spec);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(
        warnings[0].pointer,
        "/paths/~1a~1{ids}/get/parameters/4/collectionFormat"
    );
    assert!(
        warnings[0].message.contains("tsv"),
        "{}",
        warnings[0].message
    );
}

#[test]
fn parameter_keywords_move_into_schema() {
    let spec = load(
        "paths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: query, required: true, description: d, type: string, format: date, enum: [a, b], default: a, maxLength: 9, pattern: '^a', allowEmptyValue: true, x-nullable: true, x-extra: 1}\n        - {name: X-Id, in: header, type: integer, minimum: 1}\n      responses: {'204': {description: ok}}\n",
    );
    let params = at(&spec, "/paths/~1a/get/parameters");
    assert_eq!(
        params[0],
        json!({"name": "q", "in": "query", "required": true, "description": "d",
               "allowEmptyValue": true, "x-extra": 1,
               "schema": {"type": "string", "format": "date", "enum": ["a", "b"], "default": "a",
                          "maxLength": 9, "pattern": "^a", "nullable": true}})
    );
    assert_eq!(
        params[1],
        json!({"name": "X-Id", "in": "header", "schema": {"type": "integer", "minimum": 1}})
    );
}

#[test]
fn schemas_get_nullable_binary_and_discriminator_objects() {
    let spec = load(
        "paths: {}\ndefinitions:\n  Pet:\n    type: object\n    discriminator: kind\n    properties:\n      kind: {type: string}\n      name: {type: string, x-nullable: true}\n      photo: {type: file}\n      tags: {type: array, items: {type: string, x-nullable: false}}\n",
    );
    let pet = at(&spec, "/components/schemas/Pet");
    assert_eq!(pet["discriminator"], json!({"propertyName": "kind"}));
    assert_eq!(
        pet["properties"]["name"],
        json!({"type": "string", "nullable": true})
    );
    assert_eq!(
        pet["properties"]["photo"],
        json!({"type": "string", "format": "binary"})
    );
    assert_eq!(
        pet["properties"]["tags"]["items"],
        json!({"type": "string", "nullable": false})
    );
    assert!(!spec.raw.to_string().contains("x-nullable"));
}

#[test]
fn response_schema_goes_into_content_per_produced_media_type() {
    let spec = load(
        "produces: [application/json]\npaths:\n  /a:\n    get:\n      produces: [application/json, application/xml]\n      responses:\n        '200':\n          description: ok\n          schema: {type: string}\n          headers: {X-Rate: {type: integer, description: left}}\n          examples: {application/json: \"hi\"}\n        '204': {description: none}\n",
    );
    let ok = at(&spec, "/paths/~1a/get/responses/200");
    assert_eq!(
        ok["content"]["application/json"],
        json!({"schema": {"type": "string"}, "example": "hi"})
    );
    assert_eq!(
        ok["content"]["application/xml"],
        json!({"schema": {"type": "string"}})
    );
    assert_eq!(
        ok["headers"]["X-Rate"],
        json!({"description": "left", "schema": {"type": "integer"}})
    );
    assert_eq!(
        at(&spec, "/paths/~1a/get/responses/204"),
        &json!({"description": "none"})
    );
}

#[test]
fn what_openapi_three_cannot_say_is_a_conversion_warning_with_its_pointer() {
    let spec = load(
        "paths:\n  /a:\n    get:\n      schemes: [http]\n      parameters:\n        - {name: h, in: header, type: array, collectionFormat: pipes, items: {type: string}}\n      responses: {'204': {description: ok}}\n",
    );
    let warnings = conversions(&spec);
    let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/paths/~1a/get/schemes",
            "/paths/~1a/get/parameters/0/collectionFormat"
        ]
    );
    assert_eq!(
        WarningKind::Conversion.label(),
        "input version construct without an OpenAPI 3.0 form"
    );
    // the warnings travel out of the tree, not into the generated crate
    assert!(spec.raw.get("x-mfa-codegen-conversion-warnings").is_none());
    assert!(spec.api.extensions.is_empty());
}

#[test]
fn a_numeric_swagger_version_is_read_with_a_warning() {
    let loaded = parse_spec(
        Path::new("spec.json"),
        r#"{"swagger": 2.0, "info": {"title": "t", "version": "1"}, "paths": {}}"#,
    )
    .expect("numeric 2.0 is Swagger 2.0");
    assert_eq!(loaded.api.openapi, "3.0.3");
    assert_eq!(conversions(&loaded)[0].pointer, "/swagger");
}

/// The legacy Okta spec with the project's Okta config: the nine UserFactor operations of that
/// era (deleteFactor, renamed unenrollFactor later, among them), the `push` extension left out
/// with a warning (it imports today's `VerifyFactorResponse`), and a crate that compiles.
#[test]
fn okta_2_16_0_swagger_generates_a_crate_that_compiles() {
    let Some(spec) = common::upstream("okta/2.16.0-legacy-swagger2/spec.yaml") else {
        return;
    };
    let config =
        ProviderConfig::load(&common::workspace_root().join("specs/okta.toml")).expect("config");
    let run = mfa_codegen::build_provider(&config, &spec).expect("2.16.0 generates");
    let mut ids: Vec<&str> = run
        .api
        .operations
        .iter()
        .map(|o| o.operation_id.as_str())
        .collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        [
            "activateFactor",
            "deleteFactor",
            "enrollFactor",
            "getFactor",
            "getFactorTransactionStatus",
            "listFactors",
            "listSupportedFactors",
            "listSupportedSecurityQuestions",
            "verifyFactor"
        ]
    );
    assert!(run.api.extensions.is_empty());
    let left_out: Vec<&Warning> = run
        .api
        .warnings
        .iter()
        .filter(|w| w.kind == WarningKind::ExtensionLeftOut)
        .collect();
    assert_eq!(left_out.len(), 1, "{left_out:?}");
    assert!(left_out[0].message.contains("models::VerifyFactorResponse"));
    common::compile_standalone(&config, &[run.api], "swagger2-okta-2.16.0");
}

/// The project's own spec keeps its extension: the rule leaves out only what cannot compile.
#[test]
fn the_project_spec_keeps_its_extensions() {
    let api = common::project_api("okta");
    assert_eq!(api.extensions.len(), 1);
    assert!(api
        .warnings
        .iter()
        .all(|w| w.kind != WarningKind::ExtensionLeftOut));
}
