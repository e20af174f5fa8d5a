//! Every broken spec gets its one-line error (or a warning with its pointer), never a crash, a
//! silent loss or a crate that does not build: `$ref` cycles and chains through every
//! component kind, input formats (JSON escapes, BOM, numeric version), duplicate keys, and
//! query/header parameters the runtime cannot send.

#[path = "support/common.rs"]
mod common;

use std::path::{Path, PathBuf};

use mfa_codegen::ir::{Api, ParamLocation, ResponseBody, WarningKind};
use mfa_codegen::{GenError, ProviderConfig, ProviderRun};

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

fn write_spec(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mfa-broken-specs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write spec");
    path
}

fn generate(spec: &Path) -> Result<ProviderRun, GenError> {
    mfa_codegen::build_provider(&ProviderConfig::everything(spec), spec)
}

/// The path `api-diff` takes (no wire patches): it must fail the same way, not crash.
fn report(spec: &Path) -> Result<ProviderRun, GenError> {
    mfa_codegen::build_provider_for_report(&ProviderConfig::everything(spec), spec)
}

fn api(spec: &Path) -> Api {
    generate(spec).unwrap_or_else(|e| panic!("{e}")).api
}

fn one_line_error(result: Result<ProviderRun, GenError>) -> String {
    let message = match result {
        Ok(_) => panic!("the spec must be refused"),
        Err(e) => e.to_string(),
    };
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.len() < 400, "not short: {message}");
    message
}

// ---------------------------------------------------------------- $ref cycles and chains

#[test]
fn parameter_ref_cycle_is_a_one_line_error_naming_its_members() {
    let spec = write_spec(
        "param-cycle.yaml",
        &format!(
            "{HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      parameters:\n        - $ref: '#/components/parameters/P'\n      responses: {{'204': {{description: ok}}}}\ncomponents:\n  parameters:\n    P: {{$ref: '#/components/parameters/Q'}}\n    Q: {{$ref: '#/components/parameters/P'}}\n"
        ),
    );
    let expected = "at /paths/~1a/get/parameters/0: $ref cycle of 2 component(s): \
                    /components/parameters/P -> /components/parameters/Q -> /components/parameters/P";
    for message in [
        one_line_error(generate(&spec)),
        one_line_error(report(&spec)),
    ] {
        assert!(message.contains(expected), "{message}");
        assert!(
            message.starts_with(&spec.display().to_string()),
            "{message}"
        );
    }
}

#[test]
fn cycles_through_request_bodies_responses_and_schemas_are_named() {
    let cases = [
        (
            "requestBody: {$ref: '#/components/requestBodies/A'}\n      responses: {'204': {description: ok}}\n",
            "requestBodies:\n    A: {$ref: '#/components/requestBodies/B'}\n    B: {$ref: '#/components/requestBodies/A'}\n",
            "/components/requestBodies/A -> /components/requestBodies/B -> /components/requestBodies/A",
        ),
        (
            "responses: {'200': {$ref: '#/components/responses/A'}}\n",
            "responses:\n    A: {$ref: '#/components/responses/A'}\n",
            "$ref cycle of 1 component(s): /components/responses/A -> /components/responses/A",
        ),
        (
            "responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}}\n",
            "schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
            "/components/schemas/A -> /components/schemas/B -> /components/schemas/A",
        ),
    ];
    for (i, (operation, components, expected)) in cases.into_iter().enumerate() {
        let spec = write_spec(
            &format!("cycle-{i}.yaml"),
            &format!("{HEAD}paths:\n  /a:\n    post:\n      operationId: postA\n      {operation}components:\n  {components}"),
        );
        let message = one_line_error(generate(&spec));
        assert!(message.contains(expected), "{message}");
    }
}

#[test]
fn chains_through_parameters_request_bodies_and_responses_resolve() {
    let spec = write_spec(
        "chains.yaml",
        &format!(
            "{HEAD}paths:
  /a/{{id}}:
    post:
      operationId: postA
      parameters:
        - $ref: '#/components/parameters/Id'
        - $ref: '#/components/parameters/Limit'
      requestBody: {{$ref: '#/components/requestBodies/Body'}}
      responses:
        '200': {{$ref: '#/components/responses/Fine'}}
components:
  parameters:
    Id: {{$ref: '#/components/parameters/IdDef'}}
    IdDef: {{name: id, in: path, required: true, schema: {{type: string}}}}
    Limit: {{$ref: '#/components/parameters/Limit2'}}
    Limit2: {{$ref: '#/components/parameters/LimitDef'}}
    LimitDef: {{name: limit, in: query, schema: {{type: integer}}}}
  requestBodies:
    Body: {{$ref: '#/components/requestBodies/BodyDef'}}
    BodyDef:
      required: true
      content: {{application/json: {{schema: {{$ref: '#/components/schemas/Thing'}}}}}}
  responses:
    Fine: {{$ref: '#/components/responses/FineDef'}}
    FineDef:
      description: fine
      content: {{application/json: {{schema: {{$ref: '#/components/schemas/Thing'}}}}}}
  schemas:
    Thing: {{type: object, properties: {{name: {{type: string}}}}}}
"
        ),
    );
    let api = api(&spec);
    let op = &api.operations[0];
    let params: Vec<(&str, ParamLocation)> = op
        .params
        .iter()
        .map(|p| (p.wire_name.as_str(), p.location))
        .collect();
    assert_eq!(
        params,
        [("id", ParamLocation::Path), ("limit", ParamLocation::Query)]
    );
    let body = op.body.as_ref().expect("request body from the chain");
    assert_eq!((body.rust_type.as_str(), body.required), ("Thing", true));
    assert_eq!(op.responses[0].description.as_deref(), Some("fine"));
    assert!(
        matches!(&op.responses[0].body, ResponseBody::Typed { rust_type, .. } if rust_type == "Thing"),
        "{:?}",
        op.responses[0].body
    );
    assert!(api.warnings.is_empty(), "{:?}", api.warnings);
}

/// `X0 -> X1 -> ... -> X{n-1}`, then `X{n-1}` is `last` (a definition, or a `$ref` back to
/// `X0` to close a cycle).
fn chain(section: &str, n: usize, last: &str) -> String {
    let mut out = format!("  {section}:\n");
    for i in 0..n - 1 {
        out.push_str(&format!(
            "    X{i}: {{$ref: '#/components/{section}/X{}'}}\n",
            i + 1
        ));
    }
    out.push_str(&format!("    X{}: {last}\n", n - 1));
    out
}

/// Fuzz-ish: chains and cycles 1,000 links long in every section the generator follows. Each
/// runs on a thread with a 1 MiB stack (the pipeline itself needs about 512 KiB in a debug
/// build), so a resolver that recursed per link would overflow here.
#[test]
fn thousand_link_chains_and_cycles_neither_overflow_nor_flood_the_message() {
    const N: usize = 1000;
    let paths = "paths:\n  /a:\n    post:\n      operationId: postA\n      parameters: [{$ref: '#/components/parameters/X0'}]\n      requestBody: {$ref: '#/components/requestBodies/X0'}\n      responses: {'200': {$ref: '#/components/responses/X0'}}\n";
    let json_body = "{content: {application/json: {schema: {$ref: '#/components/schemas/X0'}}}}";
    let chained = format!(
        "{HEAD}{paths}components:\n{}{}{}{}",
        chain(
            "parameters",
            N,
            "{name: deep, in: query, schema: {type: string}}"
        ),
        chain("requestBodies", N, json_body),
        chain(
            "responses",
            N,
            "{description: deep, content: {application/json: {schema: {$ref: '#/components/schemas/X0'}}}}"
        ),
        chain(
            "schemas",
            N,
            "{type: object, properties: {s: {type: string}}}"
        ),
    );
    let spec = write_spec("deep-chains.yaml", &chained);
    let started = std::time::Instant::now();
    let api = on_small_stack(move || api(&spec));
    let op = &api.operations[0];
    assert_eq!(op.params[0].wire_name, "deep");
    assert_eq!(op.body.as_ref().map(|b| b.rust_type.as_str()), Some("X999"));
    assert_eq!(op.responses[0].description.as_deref(), Some("deep"));
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());

    for section in ["parameters", "requestBodies", "responses", "schemas"] {
        let others: String = ["parameters", "requestBodies", "responses", "schemas"]
            .iter()
            .filter(|s| **s != section)
            .map(|s| match *s {
                "parameters" => chain(s, 1, "{name: q, in: query, schema: {type: string}}"),
                "requestBodies" | "responses" => {
                    chain(s, 1, &format!("{{description: d, {}", &json_body[1..]))
                }
                _ => chain(s, 1, "{type: string}"),
            })
            .collect();
        let cyclic = chain(
            section,
            N,
            &format!("{{$ref: '#/components/{section}/X0'}}"),
        );
        let spec = write_spec(
            &format!("deep-cycle-{section}.yaml"),
            &format!("{HEAD}{paths}components:\n{cyclic}{others}"),
        );
        let message = on_small_stack(move || one_line_error(generate(&spec)));
        assert!(
            message.contains(&format!(
                "$ref cycle of {N} component(s): /components/{section}/X0 -> "
            )),
            "{message}"
        );
        assert!(message.contains("(994 more)"), "{message}");
    }
}

fn on_small_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(work)
        .expect("spawn")
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

// ---------------------------------------------------------------- input formats

const JSON_SPEC: &str = r#"{
  "openapi": "3.0.3",
  "info": {"title": "t", "version": "1"},
  "paths": {
    "/a": {
      "get": {
        "operationId": "getA",
        "summary": "smile \ud83d\ude00 and caf\u00e9",
        "responses": {"204": {"description": "ok"}}
      }
    }
  }
}
"#;

#[test]
fn json_with_surrogate_pair_escapes_loads_as_json() {
    // what an ASCII-only JSON writer emits for an emoji; YAML refuses the escape
    for name in ["escapes.json", "escapes-named-yaml.yaml"] {
        let api = api(&write_spec(name, JSON_SPEC));
        assert_eq!(
            api.operations[0].summary.as_deref(),
            Some("smile \u{1F600} and caf\u{e9}"),
            "{name}"
        );
    }
}

#[test]
fn a_byte_order_mark_is_not_part_of_the_document() {
    let yaml = format!(
        "\u{feff}{HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      responses: {{'204': {{description: ok}}}}\n"
    );
    for (name, text) in [
        ("bom.yaml", yaml),
        ("bom.json", format!("\u{feff}{JSON_SPEC}")),
        ("bom-json-named-yaml.yaml", format!("\u{feff}  {JSON_SPEC}")),
    ] {
        let api = api(&write_spec(name, &text));
        assert_eq!(api.operations[0].operation_id, "getA", "{name}");
    }
}

#[test]
fn a_numeric_version_is_read_with_a_warning_or_refused_exactly() {
    let body = "info: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses: {'204': {description: ok}}\n";
    let yaml = write_spec("numeric.yaml", &format!("openapi: 3.0\n{body}"));
    let json = write_spec("numeric.json", &JSON_SPEC.replace("\"3.0.3\"", "3.0"));
    for spec in [yaml, json] {
        let api = api(&spec);
        let warnings: Vec<_> = api
            .warnings
            .iter()
            .filter(|w| w.kind == WarningKind::NumericVersion)
            .collect();
        assert_eq!(warnings.len(), 1, "{:?}", api.warnings);
        assert_eq!(warnings[0].pointer, "/openapi");
        assert!(
            warnings[0].message.contains("number 3.0"),
            "{}",
            warnings[0].message
        );
    }
    let cases = [
        // (a numeric `3.1` is down-levelled like "3.1.0": see tests/openapi31.rs)
        (
            "openapi: 3.2\n",
            "at /openapi: unsupported OpenAPI version `3.2`",
        ),
        (
            "openapi: 2\n",
            "at /openapi: unsupported OpenAPI version `2`",
        ),
        (
            "openapi: true\n",
            "at /openapi: the version must be a string such as \"3.0.3\", found a boolean",
        ),
    ];
    for (i, (version, expected)) in cases.into_iter().enumerate() {
        let spec = write_spec(&format!("numeric-{i}.yaml"), &format!("{version}{body}"));
        let message = one_line_error(generate(&spec));
        assert!(message.contains(expected), "{message}");
        assert!(!message.contains("missing"), "{message}");
    }
}

// ---------------------------------------------------------------- duplicate keys

#[test]
fn a_path_written_twice_is_an_error_naming_both_entries() {
    let op = |id: &str| format!("{{operationId: {id}, responses: {{'204': {{description: ok}}}}}}");
    let yaml = format!(
        "{HEAD}paths:\n  /a:\n    get: {}\n  /b:\n    get: {}\n  /a:\n    post: {}\n",
        op("first"),
        op("other"),
        op("second")
    );
    let json = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
  "/a": {"get": {"operationId": "first", "responses": {"204": {"description": "ok"}}}},
  "/b": {"get": {"operationId": "other", "responses": {"204": {"description": "ok"}}}},
  "/a": {"post": {"operationId": "second", "responses": {"204": {"description": "ok"}}}}
}}"#;
    // YAML knows where the mapping starts, JSON where the second key ends
    for (name, text, location) in [
        (
            "dup-path.yaml",
            yaml.as_str(),
            "in the mapping at line 4 column 3",
        ),
        ("dup-path.json", json, "the second ending at line 4"),
    ] {
        let message = one_line_error(generate(&write_spec(name, text)));
        assert!(
            message.contains(
                "at /paths/~1a: duplicate key `/a`: entries 1 and 3 of /paths are both /paths/~1a"
            ),
            "{message}"
        );
        assert!(message.contains(location), "{message}");
    }
}

#[test]
fn a_property_written_twice_is_an_error_naming_both_entries() {
    let yaml = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    T:\n      type: object\n      properties:\n        x: {{type: string}}\n        x: {{type: integer}}\n"
    );
    let json = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
 "components": {"schemas": {"T": {"type": "object",
   "properties": {"x": {"type": "string"}, "x": {"type": "integer"}}}}}}"#;
    for (name, text) in [("dup-prop.yaml", yaml.as_str()), ("dup-prop.json", json)] {
        let message = one_line_error(generate(&write_spec(name, text)));
        assert!(
            message.contains("at /components/schemas/T/properties/x: duplicate key `x`: entries 1 and 2 of /components/schemas/T/properties"),
            "{message}"
        );
    }
}

// ---------------------------------------------------------------- parameters the runtime cannot send

#[test]
fn only_arrays_of_objects_are_skipped_with_a_warning_and_the_crate_builds() {
    let spec = write_spec(
        "object-params.yaml",
        &format!(
            "{HEAD}paths:
  /search:
    get:
      operationId: search
      parameters:
        - {{name: filter, in: query, style: deepObject, explode: true, schema: {{type: object, additionalProperties: {{type: string}}}}}}
        - {{name: where, in: query, schema: {{$ref: '#/components/schemas/Where'}}}}
        - {{name: tags, in: query, schema: {{type: array, items: {{$ref: '#/components/schemas/Where'}}}}}}
        - {{name: X-Context, in: header, schema: {{type: object, properties: {{tenant: {{type: string}}}}}}}}
        - {{name: limit, in: query, schema: {{type: integer}}}}
        - {{name: kinds, in: query, schema: {{type: array, items: {{type: string, enum: [a, b]}}}}}}
      responses: {{'204': {{description: ok}}}}
components:
  schemas:
    Where: {{type: object, properties: {{field: {{type: string}}}}}}
"
        ),
    );
    let api = api(&spec);
    let kept: Vec<&str> = api.operations[0]
        .params
        .iter()
        .map(|p| p.wire_name.as_str())
        .collect();
    // objects and maps have styles now (form, deepObject, simple); an array of objects has none
    assert_eq!(kept, ["filter", "where", "X-Context", "limit", "kinds"]);
    let base = "/paths/~1search/get/parameters";
    let skipped: Vec<(&str, &str)> = api
        .warnings
        .iter()
        .filter(|w| w.kind == WarningKind::ObjectParameter)
        .map(|w| (w.pointer.as_str(), w.message.as_str()))
        .collect();
    assert_eq!(skipped.len(), 1, "{:?}", api.warnings);
    assert_eq!(skipped[0].0, format!("{base}/2"));
    assert!(
        skipped[0].1.contains(".query(name, value)"),
        "{}",
        skipped[0].1
    );
    assert!(
        skipped[0].1.contains("an array of objects"),
        "{}",
        skipped[0].1
    );

    let config = ProviderConfig::everything(&spec);
    common::compile_standalone(&config, std::slice::from_ref(&api), "object-params");
}

/// A path segment cannot be left out (the URL needs it) and has no escape hatch: an array of
/// objects there is an error, never a crate that fails to build.
#[test]
fn an_array_of_objects_path_parameter_is_a_one_line_error() {
    let spec = write_spec(
        "object-path.yaml",
        &format!(
            "{HEAD}paths:\n  /a/{{id}}:\n    get:\n      operationId: getA\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: array, items: {{type: object, properties: {{x: {{type: string}}}}}}}}}}\n      responses: {{'204': {{description: ok}}}}\n"
        ),
    );
    let message = one_line_error(generate(&spec));
    assert!(
        message.contains("at /paths/~1a~1{id}/get/parameters/0: path parameter `id` is an array of objects, which no path style can write"),
        "{message}"
    );
}

/// `requried:` used to pass silently and only show up later as a breaking API change (the
/// field stopped being required); `type: booleen` became an untyped value with no hint.
#[test]
fn typos_in_keywords_and_types_are_named_and_strict_refuses_them() {
    let spec = write_spec(
        "typos.yaml",
        &format!(
            "{HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      sumary: x\n      \
             responses:\n        '200':\n          description: ok\n          content:\n            \
             application/json:\n              schema: {{$ref: '#/components/schemas/A'}}\n\
             components:\n  schemas:\n    A:\n      type: object\n      requried: [n]\n      \
             properties:\n        n: {{type: booleen}}\n"
        ),
    );
    let warnings = api(&spec).warnings;
    let typo = |pointer: &str| {
        warnings
            .iter()
            .find(|w| w.pointer == pointer)
            .unwrap_or_else(|| panic!("no warning at {pointer}: {warnings:#?}"))
    };
    let required = typo("/components/schemas/A/requried");
    assert_eq!(required.kind, WarningKind::UnknownKeyword);
    assert!(required.message.contains("did you mean `required`?"));
    assert!(typo("/paths/~1a/get/sumary")
        .message
        .contains("did you mean `summary`?"));
    let ty = typo("/components/schemas/A/properties/n");
    assert_eq!(ty.kind, WarningKind::UnknownType);
    assert!(
        ty.message.contains("did you mean `boolean`?"),
        "{}",
        ty.message
    );

    let mut strict = ProviderConfig::everything(&spec);
    strict.strict = true;
    let error = one_line_error(mfa_codegen::build_provider(&strict, &spec));
    assert!(error.contains("(and 2 more)"), "{error}");
    assert!(error.contains("--strict"), "{error}");
}
