//! Object unions (`oneOf`/`anyOf` without discriminator, merged into one struct) whose members
//! type the same property differently: a type that holds both is used where one exists
//! (generator/src/normalize/schemas/widen.rs), `serde_json::Value` with a warning otherwise.

#[path = "support/common.rs"]
mod common;

use mfa_codegen::error::WarningKind;
use mfa_codegen::ir::{Api, ModelKind, TypeRef};
use mfa_codegen::ProviderConfig;

const SPEC: &str = "openapi: 3.0.3
info: {title: Widening, version: '1'}
paths:
  /items:
    get:
      operationId: getItem
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                oneOf:
                  - $ref: '#/components/schemas/File'
                  - $ref: '#/components/schemas/Folder'
                  - $ref: '#/components/schemas/Link'
components:
  schemas:
    File:
      type: object
      properties:
        type: {type: string, enum: [file]}
        size: {type: integer, format: int32}
        tags: {type: array, items: {type: string, enum: [red]}}
        owner: {type: object, required: [id], properties: {id: {type: string}}}
        code: {type: string}
        meta: {type: object, description: about the file}
    Folder:
      type: object
      properties:
        type: {type: string, enum: [folder]}
        size: {type: number, nullable: true}
        tags: {type: array, items: {type: string, enum: [blue]}}
        owner: {type: object, properties: {login: {type: integer}, id: {type: string}}}
        code: {type: object, properties: {major: {type: integer}}}
        meta: {type: object, description: about the folder}
    Link:
      type: object
      properties:
        type: {type: string, enum: [link, file]}
        tags: {type: array, items: {type: string}}
";

fn api(dir: &std::path::Path) -> (ProviderConfig, Api) {
    std::fs::create_dir_all(dir).expect("dir");
    let spec = dir.join("widening.yaml");
    std::fs::write(&spec, SPEC).expect("spec");
    let config = ProviderConfig::everything(&spec);
    let api = mfa_codegen::build_provider(&config, &spec)
        .expect("generate")
        .api;
    (config, api)
}

fn field_type(api: &Api, name: &str) -> TypeRef {
    api.models
        .iter()
        .find_map(|m| match &m.kind {
            ModelKind::Struct(s) if s.from_one_of => s
                .fields
                .iter()
                .find(|f| f.wire_name == name)
                .map(|f| f.ty.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no merged field {name}"))
}

fn enum_values(api: &Api, ty: &TypeRef) -> Vec<String> {
    let TypeRef::Model(name) = ty else {
        panic!("not a model: {ty:?}");
    };
    api.models
        .iter()
        .find_map(|m| match &m.kind {
            ModelKind::Enum(e) if &m.rust_name == name => {
                Some(e.variants.iter().map(|v| v.value.clone()).collect())
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("{name} is not an enum"))
}

#[test]
fn differently_typed_members_widen_to_one_type() {
    let dir = common::compile_dir("union-widening-spec");
    let (config, api) = api(&dir);
    // three string enums: one enum with every value, once each
    assert_eq!(
        enum_values(&api, &field_type(&api, "type")),
        ["file", "folder", "link"]
    );
    // int32 and a nullable number: a number, nullable
    assert!(matches!(field_type(&api, "size"), TypeRef::Number { .. }));
    // arrays of two enums and of plain strings: an array of strings
    assert_eq!(
        field_type(&api, "tags"),
        TypeRef::Array(Box::new(TypeRef::String { format: None }))
    );
    // two structs: one struct with the fields of both, all optional
    let TypeRef::Model(owner) = field_type(&api, "owner") else {
        panic!("owner is not a model");
    };
    let fields: Vec<(String, bool)> = api
        .models
        .iter()
        .find_map(|m| match &m.kind {
            ModelKind::Struct(s) if m.rust_name == owner => Some(
                s.fields
                    .iter()
                    .map(|f| (f.wire_name.clone(), f.required))
                    .collect(),
            ),
            _ => None,
        })
        .expect("merged owner struct");
    assert_eq!(
        fields,
        [("id".to_owned(), false), ("login".to_owned(), false)]
    );
    // a string and a struct: no type holds both, so Value with its one warning
    assert_eq!(field_type(&api, "code"), TypeRef::Json);
    let conflicts: Vec<_> = api
        .warnings
        .iter()
        .filter(|w| w.kind == WarningKind::ConflictingMemberTypes)
        .collect();
    assert_eq!(conflicts.len(), 1, "{conflicts:#?}");
    assert!(conflicts[0].message.contains("`code`"));
    // two members with free-form `meta` (described differently): one Value field, one warning
    assert_eq!(field_type(&api, "meta"), TypeRef::Json);
    let meta: Vec<_> = api
        .warnings
        .iter()
        .filter(|w| w.pointer.ends_with("/properties/meta"))
        .collect();
    assert_eq!(meta.len(), 1, "{meta:#?}");
    common::compile_standalone(&config, &[api], "union-widening");
}
