//! OpenAPI 3.1 input: each down-levelling rule on a small inline spec (the tree the rest of the
//! pipeline reads, and what it generates), then every 3.1 file of the public corpus beside the
//! project (`../shared/openapi-corpus/`, skipped with a notice when absent).

#[path = "support/common.rs"]
mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mfa_codegen::ir::{Api, Warning, WarningKind};
use mfa_codegen::load::{parse_spec, LoadedSpec};
use mfa_codegen::write::{sync, Mode};
use mfa_codegen::ProviderConfig;
use serde_json::{json, Value};

const HEAD: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";

fn load(body: &str) -> LoadedSpec {
    parse_spec(Path::new("spec.yaml"), &format!("{HEAD}{body}")).unwrap_or_else(|e| panic!("{e}"))
}

/// A spec whose only content is `components/schemas/S: <schema>`, loaded.
fn schema(text: &str) -> (Value, Vec<Warning>) {
    let spec = load(&format!(
        "paths: {{}}\ncomponents:\n  schemas:\n    S: {text}\n"
    ));
    (
        spec.raw["components"]["schemas"]["S"].clone(),
        spec.warnings,
    )
}

fn conversions(warnings: &[Warning]) -> Vec<(&str, &str)> {
    warnings
        .iter()
        .filter(|w| w.kind == WarningKind::Conversion)
        .map(|w| (w.pointer.as_str(), w.message.as_str()))
        .collect()
}

fn write_spec(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mfa-openapi31-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write spec");
    path
}

fn generate(name: &str, body: &str) -> Api {
    let spec = write_spec(name, &format!("{HEAD}{body}"));
    mfa_codegen::build_provider(&ProviderConfig::everything(&spec), &spec)
        .unwrap_or_else(|e| panic!("{e}"))
        .api
}

/// The generated models module of `api`, as one string.
fn models(api: &Api) -> String {
    common::standalone_files(api)
        .into_iter()
        .filter(|f| f.path.contains("models"))
        .map(|f| f.text)
        .collect::<Vec<_>>()
        .join("\n")
}

// ---------------------------------------------------------------- one rule at a time

#[test]
fn the_version_becomes_303_and_documentation_only_fields_go() {
    let spec =
        load("jsonSchemaDialect: https://spec.openapis.org/oas/3.1/dialect/base\npaths: {}\n");
    assert_eq!(spec.raw["openapi"], "3.0.3");
    assert_eq!(spec.api.openapi, "3.0.3");
    assert!(spec.raw.get("jsonSchemaDialect").is_none());
    assert!(
        conversions(&spec.warnings).is_empty(),
        "{:?}",
        spec.warnings
    );
    // info.summary and license.identifier are documentation: dropped without a warning
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1', summary: s, license: {name: MIT, identifier: MIT}}\n\
                jsonSchemaDialect: https://json-schema.org/draft/2020-12/schema\n";
    let spec = parse_spec(Path::new("spec.yaml"), text).unwrap_or_else(|e| panic!("{e}"));
    assert!(spec.raw["info"].get("summary").is_none());
    assert!(spec.raw["info"]["license"].get("identifier").is_none());
    assert_eq!(spec.raw["paths"], json!({}), "3.1 makes paths optional");
    let warnings = conversions(&spec.warnings);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].0, "/jsonSchemaDialect");
    // a 3.0 document is read as it is, 3.1-looking keywords and all
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents: {schemas: {S: {type: string, const: a}}}\n";
    let spec = parse_spec(Path::new("spec.yaml"), text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(spec.raw["components"]["schemas"]["S"]["const"], "a");
    assert!(spec.raw["components"]["schemas"]["S"].get("enum").is_none());
}

#[test]
fn a_type_list_with_null_is_nullable() {
    let (s, warnings) = schema("{type: [string, 'null'], maxLength: 3}");
    assert_eq!(
        s,
        json!({"type": "string", "nullable": true, "maxLength": 3})
    );
    assert!(conversions(&warnings).is_empty(), "{warnings:?}");
    let (s, _) = schema("{type: object, properties: {n: {type: [integer, 'null']}}}");
    assert_eq!(
        s["properties"]["n"],
        json!({"type": "integer", "nullable": true})
    );
}

#[test]
fn a_type_list_of_several_types_is_a_one_of_with_each_types_keywords() {
    let (s, warnings) = schema(
        "{type: [string, integer, 'null'], maxLength: 3, minimum: 1, format: int64, description: d}",
    );
    assert_eq!(
        s,
        json!({
            "description": "d",
            "nullable": true,
            "oneOf": [
                {"type": "string", "maxLength": 3},
                {"type": "integer", "minimum": 1, "format": "int64"},
            ],
        })
    );
    assert!(conversions(&warnings).is_empty(), "{warnings:?}");
}

#[test]
fn type_null_alone_is_a_warning_with_its_pointer() {
    let (s, warnings) = schema("{type: object, properties: {gone: {type: 'null'}}}");
    assert_eq!(s["properties"]["gone"], json!({"nullable": true}));
    let warnings = conversions(&warnings);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].0, "/components/schemas/S/properties/gone/type");
}

#[test]
fn a_null_member_of_any_of_or_one_of_is_nullable() {
    let spec = load(
        "paths: {}\ncomponents:\n  schemas:\n    T: {type: string}\n    \
         R: {anyOf: [{$ref: '#/components/schemas/T'}, {type: 'null'}], description: d}\n    \
         I: {oneOf: [{type: integer, minimum: 0}, {type: 'null', description: none}]}\n    \
         U: {anyOf: [{type: string}, {type: integer}, {type: 'null'}]}\n",
    );
    let schemas = &spec.raw["components"]["schemas"];
    assert_eq!(
        schemas["R"],
        json!({"allOf": [{"$ref": "#/components/schemas/T"}], "nullable": true, "description": "d"})
    );
    assert_eq!(
        schemas["I"],
        json!({"type": "integer", "minimum": 0, "nullable": true})
    );
    assert_eq!(
        schemas["U"],
        json!({"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
    );
    assert!(
        conversions(&spec.warnings).is_empty(),
        "{:?}",
        spec.warnings
    );
}

#[test]
fn const_is_a_one_value_enum_and_examples_give_the_first_example() {
    let (s, warnings) = schema("{type: string, const: fixed, examples: [one, two]}");
    assert_eq!(
        s,
        json!({"type": "string", "enum": ["fixed"], "example": "one"})
    );
    assert!(conversions(&warnings).is_empty(), "{warnings:?}");
    let (s, warnings) = schema("{type: string, const: a, enum: [a, b]}");
    assert_eq!(s["enum"], json!(["a", "b"]));
    assert_eq!(conversions(&warnings)[0].0, "/components/schemas/S/const");
}

#[test]
fn numeric_exclusive_bounds_become_3_0_bounds() {
    let (s, _) = schema("{type: integer, exclusiveMinimum: 0, exclusiveMaximum: 100, maximum: 50}");
    assert_eq!(
        s,
        json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 50})
    );
    let (s, _) = schema("{type: number, exclusiveMaximum: 1.5}");
    assert_eq!(
        s,
        json!({"type": "number", "maximum": 1.5, "exclusiveMaximum": true})
    );
}

/// openai's 3.1 spec prints -2^63 as `-9223372036854776000`, beyond 64 bits: read as the
/// nearest float, as a JSON parser reads it, instead of refusing the whole file.
#[test]
fn a_yaml_integer_beyond_64_bits_is_read_as_a_float() {
    let (s, _) =
        schema("{type: integer, minimum: -9223372036854776000, maximum: 18446744073709551616}");
    assert_eq!(s["minimum"].as_f64(), Some(-9.223_372_036_854_776e18));
    assert_eq!(s["maximum"].as_f64(), Some(1.844_674_407_370_955_2e19));
}

#[test]
fn a_ref_with_siblings_becomes_all_of_keeping_the_description() {
    let spec = load(
        "paths: {}\ncomponents:\n  schemas:\n    T: {type: string}\n    \
         S: {type: object, properties: {a: {$ref: '#/components/schemas/T', description: d, summary: s}, \
         b: {$ref: '#/components/schemas/T'}}}\n",
    );
    let props = &spec.raw["components"]["schemas"]["S"]["properties"];
    assert_eq!(
        props["a"],
        json!({"allOf": [{"$ref": "#/components/schemas/T"}], "description": "d"})
    );
    assert_eq!(props["b"], json!({"$ref": "#/components/schemas/T"}));
}

#[test]
fn binary_content_keywords_become_formats() {
    let (s, warnings) = schema(
        "{type: object, properties: {b64: {type: string, contentEncoding: base64}, \
         file: {type: string, contentMediaType: image/png}, \
         hex: {type: string, contentEncoding: base16}}}",
    );
    assert_eq!(
        s["properties"]["b64"],
        json!({"type": "string", "format": "byte"})
    );
    assert_eq!(
        s["properties"]["file"],
        json!({"type": "string", "format": "binary"})
    );
    assert_eq!(s["properties"]["hex"], json!({"type": "string"}));
    let warnings = conversions(&warnings);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(
        warnings[0].0,
        "/components/schemas/S/properties/hex/contentEncoding"
    );
}

#[test]
fn keywords_3_0_cannot_hold_are_dropped_with_a_warning_each() {
    let (s, warnings) = schema(
        "{type: object, properties: {t: {type: array, prefixItems: [{type: string}], items: {type: string}}}, \
         if: {required: [a]}, then: {required: [b]}, else: {required: [c]}, \
         unevaluatedProperties: false, dependentRequired: {a: [b]}, $schema: x, $comment: c, $id: y}",
    );
    assert_eq!(
        s,
        json!({"type": "object", "properties": {"t": {"type": "array", "items": {"type": "string"}}}})
    );
    let mut pointers: Vec<&str> = conversions(&warnings).iter().map(|w| w.0).collect();
    pointers.sort_unstable();
    let base = "/components/schemas/S";
    let expected: Vec<String> = [
        "/$id",
        "/dependentRequired",
        "/else",
        "/if",
        "/properties/t/prefixItems",
        "/then",
        "/unevaluatedProperties",
    ]
    .iter()
    .map(|p| format!("{base}{p}"))
    .collect();
    assert_eq!(pointers, expected);
}

#[test]
fn defs_of_a_component_schema_become_components_with_their_refs_rewritten() {
    let spec = load(
        "paths: {}\ncomponents:\n  schemas:\n    S:\n      type: object\n      \
         properties: {a: {$ref: '#/components/schemas/S/$defs/A'}, b: {$ref: '#/components/schemas/S/$defs/S'}}\n      \
         $defs: {A: {type: string}, S: {type: integer}}\n    \
         N: {type: object, properties: {x: {type: object, $defs: {Z: {type: string}}}}}\n",
    );
    let schemas = &spec.raw["components"]["schemas"];
    assert_eq!(schemas["A"], json!({"type": "string"}));
    // `S` is taken: the owner's name is prefixed
    assert_eq!(schemas["SS"], json!({"type": "integer"}));
    assert_eq!(
        schemas["S"],
        json!({"type": "object", "properties": {
            "a": {"$ref": "#/components/schemas/A"},
            "b": {"$ref": "#/components/schemas/SS"},
        }})
    );
    let warnings = conversions(&spec.warnings);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].0, "/components/schemas/N/properties/x/$defs");
}

#[test]
fn path_items_are_inlined_and_webhooks_skipped_with_one_warning() {
    let api = generate(
        "path-items.yaml",
        "paths:\n  /a: {$ref: '#/components/pathItems/A', description: over}\n\
         webhooks:\n  one: {post: {responses: {'200': {description: ok}}}}\n  two: {$ref: '#/components/pathItems/A'}\n\
         components:\n  pathItems:\n    A:\n      get:\n        operationId: getA\n        \
         responses: {'200': {description: ok, content: {application/json: {schema: {type: [string, 'null']}}}}}\n",
    );
    let ids: Vec<&str> = api
        .operations
        .iter()
        .map(|o| o.operation_id.as_str())
        .collect();
    assert_eq!(ids, ["getA"]);
    let warnings = conversions(&api.warnings);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].0, "/webhooks");
    assert!(warnings[0].1.contains("2 webhook(s)"), "{}", warnings[0].1);
}

#[test]
fn a_missing_or_cyclic_path_item_reference_is_a_warning_at_its_path() {
    let spec = load(
        "paths:\n  /gone: {$ref: '#/components/pathItems/Missing'}\n  /loop: {$ref: '#/components/pathItems/A'}\n\
         components:\n  pathItems:\n    A: {$ref: '#/components/pathItems/B'}\n    B: {$ref: '#/components/pathItems/A'}\n",
    );
    assert_eq!(spec.raw["paths"], json!({"/gone": {}, "/loop": {}}));
    let warnings = conversions(&spec.warnings);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert_eq!(warnings[0].0, "/paths/~1gone");
    assert!(warnings[0]
        .1
        .contains("names no components/pathItems entry"));
    assert_eq!(warnings[1].0, "/paths/~1loop");
    assert!(warnings[1].1.contains("cycle"), "{}", warnings[1].1);
}

#[test]
fn operations_without_responses_callback_refs_and_mutual_tls_load() {
    let spec = load(
        "security: [{mtls: []}, {key: [], mtls: []}]\npaths:\n  /a:\n    post:\n      operationId: postA\n      \
         callbacks: {done: {$ref: '#/components/callbacks/Done'}}\n\
         components:\n  securitySchemes:\n    mtls: {type: mutualTLS}\n    key: {type: apiKey, in: header, name: k}\n  \
         callbacks:\n    Done:\n      '{$request.body#/url}':\n        post: {requestBody: {content: {application/json: {schema: {type: [string, 'null']}}}}}\n",
    );
    let op = &spec.raw["paths"]["/a"]["post"];
    assert_eq!(op["responses"], json!({}));
    let callback = &op["callbacks"]["done"]["{$request.body#/url}"]["post"];
    assert_eq!(callback["responses"], json!({}));
    assert_eq!(
        callback["requestBody"]["content"]["application/json"]["schema"],
        json!({"type": "string", "nullable": true})
    );
    assert_eq!(spec.raw["security"], json!([{}, {"key": []}]));
    assert!(spec.raw["components"]["securitySchemes"]
        .get("mtls")
        .is_none());
    let warnings = conversions(&spec.warnings);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].0, "/components/securitySchemes/mtls");
}

#[test]
fn example_values_are_data_and_stay_as_written() {
    let spec = load(
        "paths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          \
         content:\n            application/json:\n              schema: {type: object}\n              \
         example: {type: [a, 'null'], const: 1}\n              \
         examples: {one: {value: {exclusiveMinimum: 3}}}\n",
    );
    let media = &spec.raw["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"];
    assert_eq!(media["example"], json!({"type": ["a", "null"], "const": 1}));
    assert_eq!(
        media["examples"]["one"]["value"],
        json!({"exclusiveMinimum": 3})
    );
}

#[test]
fn the_down_levelled_types_generate_and_compile() {
    let api = generate(
        "types31.yaml",
        "paths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          \
         content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}\n\
         components:\n  schemas:\n    Kind: {type: string, enum: [a, b]}\n    Thing:\n      type: object\n      \
         required: [name, kind, count]\n      properties:\n        \
         name: {type: [string, 'null']}\n        \
         kind: {anyOf: [{$ref: '#/components/schemas/Kind'}, {type: 'null'}]}\n        \
         count: {type: integer, exclusiveMinimum: 0}\n        \
         blob: {type: string, contentEncoding: base64}\n",
    );
    let models = models(&api);
    assert!(models.contains("pub name: Option<String>"), "{models}");
    assert!(models.contains("pub kind: Option<Kind>"), "{models}");
    let dir = common::compile_dir("openapi31-types");
    sync(&common::standalone_files(&api), &dir, Mode::Write).expect("write");
    common::check_crate(&dir);
}

// ---------------------------------------------------------------- the public corpus

/// The corpus folder beside the project, or `None` (with a notice) when absent.
fn corpus() -> Option<PathBuf> {
    let path = common::workspace_root().join("../shared/openapi-corpus");
    if path.join("corpus.tsv").exists() {
        Some(path)
    } else {
        eprintln!(
            "notice: {} not found; skipping the OpenAPI 3.1 corpus sweep",
            path.display()
        );
        None
    }
}

/// Every OpenAPI 3.1 file the corpus lists, relative to its folder.
fn corpus_31(dir: &Path) -> Vec<String> {
    let list = std::fs::read_to_string(dir.join("corpus.tsv")).expect("read corpus.tsv");
    list.lines()
        .skip(1)
        .filter_map(|line| {
            let mut columns = line.split('\t');
            let file = columns.next()?;
            let version = columns.next()?;
            version.starts_with("3.1").then(|| file.to_owned())
        })
        .collect()
}

/// 3.1 corpus files that are allowed not to generate, with the reason (none today).
const NOT_GENERATED: &[(&str, &str)] = &[];

#[test]
fn every_openapi_31_file_of_the_corpus_generates() {
    let Some(dir) = corpus() else { return };
    let files = corpus_31(&dir);
    assert!(
        files.len() >= 12,
        "the corpus lists {} 3.1 files",
        files.len()
    );
    let mut failures = Vec::new();
    println!("| file | ops | generated | warnings by kind |");
    println!("|---|---|---|---|");
    for file in &files {
        let spec = dir.join(file);
        let run = mfa_codegen::build_provider(&ProviderConfig::everything(&spec), &spec);
        match run {
            Ok(run) => {
                let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
                for w in &run.api.warnings {
                    *kinds.entry(kind_name(w.kind)).or_default() += 1;
                }
                let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
                println!(
                    "| {file} | {} | yes | {} |",
                    run.api.operations.len(),
                    kinds.join(", ")
                );
                assert!(
                    !NOT_GENERATED.iter().any(|(f, _)| f == file),
                    "{file} generates now: take it off NOT_GENERATED"
                );
            }
            Err(e) => {
                let message = e.to_string();
                println!("| {file} | - | no | {message} |");
                assert_eq!(message.lines().count(), 1, "{message}");
                if !NOT_GENERATED.iter().any(|(f, _)| f == file) {
                    failures.push(format!("{file}: {message}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn kind_name(kind: WarningKind) -> &'static str {
    // the Debug name is the short, stable one the tables use
    Box::leak(format!("{kind:?}").into_boxed_str())
}

/// 3.1 corpus files whose crate does not compile, with the reason; none is a 3.1 matter.
const NOT_COMPILED: &[(&str, &str)] = &[
    // no operations (webhooks only): the generated client's `core` is dead code, which
    // `-D warnings` refuses; the same for any spec without operations, whatever its version
    (
        "adyen/BalancePlatformTransferNotification-v4.json",
        "no operations",
    ),
    ("oai-examples-3.1/webhook-example.yaml", "no operations"),
];

/// The small 3.1 corpus files, one crate with a module each: what the down-levelling produced
/// compiles with warnings denied. `OPENAPI31_COMPILE_ALL=1` compiles every 3.1 file of the
/// corpus instead, one crate each (minutes: openai and discord are large).
#[test]
fn small_openapi_31_corpus_files_compile() {
    let Some(dir) = corpus() else { return };
    if std::env::var_os("OPENAPI31_COMPILE_ALL").is_some() {
        let mut failed = Vec::new();
        for file in corpus_31(&dir) {
            let spec = dir.join(&file);
            let started = std::time::Instant::now();
            let api = mfa_codegen::build_provider(&ProviderConfig::everything(&spec), &spec)
                .unwrap_or_else(|e| panic!("{e}"))
                .api;
            let out = common::compile_dir(&format!("openapi31-{}", api.module));
            sync(&common::standalone_files(&api), &out, Mode::Write).expect("write");
            let checked = std::panic::catch_unwind(|| common::check_crate(&out));
            let verdict = if checked.is_ok() { "compiles" } else { "FAILS" };
            println!("{file}: {verdict} ({:.0?})", started.elapsed());
            if checked.is_err() && !NOT_COMPILED.iter().any(|(f, _)| *f == file) {
                failed.push(file);
            }
        }
        assert!(failed.is_empty(), "{failed:?}");
        return;
    }
    let small = [
        "museum/openapi.yaml",
        "oai-examples-3.1/non-oauth-scopes.yaml",
        "oai-learn-3.1/tictactoe.yaml",
        "oai-schema-tests-3.1/mega.yaml",
        "oai-schema-tests-3.1/path_item_servers_parameters.yaml",
        "readmeio-oas-examples-3.1/schema-types.yaml",
    ];
    let apis: Vec<Api> = small
        .iter()
        .map(|file| {
            let spec = dir.join(file);
            mfa_codegen::build_provider(&ProviderConfig::everything(&spec), &spec)
                .unwrap_or_else(|e| panic!("{e}"))
                .api
        })
        .collect();
    let config = ProviderConfig::everything(Path::new("corpus31.yaml"));
    common::compile_standalone(&config, &apis, "openapi31-corpus");
}
