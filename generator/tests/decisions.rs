//! Decisions live in the IR: what the rendered code does agrees with the flag normalize set,
//! so the templates, the API surface and the change report cannot drift apart.

#[path = "support/common.rs"]
mod common;

use mfa_codegen::ir::{Api, FieldInit, ModelKind};
use mfa_codegen::surface::{self, Item};

/// The argument names of `pub fn new(..)` of struct `name` in the rendered models file.
fn constructor_args(models_rs: &str, name: &str) -> Vec<String> {
    let start = models_rs
        .find(&format!("\nimpl {name} {{"))
        .unwrap_or_else(|| panic!("no impl block for {name}"));
    let rest = &models_rs[start..];
    let open = rest.find("pub fn new(").expect("a constructor") + "pub fn new(".len();
    let close = open + rest[open..].find(") -> Self").expect("constructor end");
    let mut args = Vec::new();
    let (mut depth, mut piece) = (0_i32, String::new());
    for c in rest[open..close].chars().chain([',']) {
        match c {
            '<' | '(' => depth += 1,
            '>' | ')' => depth -= 1,
            ',' if depth == 0 => {
                if let Some((arg, _)) = piece.split_once(':') {
                    args.push(arg.trim().to_owned());
                }
                piece.clear();
                continue;
            }
            _ => {}
        }
        piece.push(c);
    }
    args
}

fn models_rs(api: &Api) -> String {
    common::standalone_files(api)
        .into_iter()
        .find(|f| f.path.ends_with("models.rs"))
        .map(|f| f.text)
        .expect("a models file")
}

fn assert_constructors_follow_the_ir(api: &Api) -> usize {
    let text = models_rs(api);
    let mut checked = 0;
    for model in &api.models {
        let ModelKind::Struct(s) = &model.kind else {
            continue;
        };
        let expected: Vec<String> = s
            .fields
            .iter()
            .filter(|f| f.is_constructor_arg())
            .map(|f| f.rust_name.clone())
            .collect();
        assert_eq!(
            constructor_args(&text, &model.rust_name),
            expected,
            "{}: `new` takes exactly the fields the IR marks as arguments",
            model.rust_name
        );
        checked += 1;
    }
    checked
}

#[test]
fn rendered_constructors_take_exactly_the_ir_arguments() {
    let mut checked = 0;
    for provider in ["okta", "onelogin"] {
        checked += assert_constructors_follow_the_ir(&common::project_api(provider));
    }
    assert!(checked > 40, "only {checked} structs checked");
}

const NULLABLE: &str = "openapi: 3.0.3
info: {title: Nullable, version: '1'}
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}
      responses:
        '204': {description: created}
components:
  schemas:
    Thing:
      type: object
      required: [name, owner]
      properties:
        name: {type: string}
        owner: {type: string, nullable: true}
        note: {type: string}
";

#[test]
fn a_required_nullable_field_is_not_a_constructor_argument() {
    let path = std::path::Path::new("nullable.yaml");
    let loaded = mfa_codegen::load::parse_spec(path, NULLABLE).expect("parse");
    let api =
        mfa_codegen::normalize::normalize(&loaded, &mfa_codegen::ProviderConfig::everything(path))
            .expect("normalize");
    let ModelKind::Struct(s) = &api.models[0].kind else {
        panic!("a struct");
    };
    let init: Vec<(&str, &FieldInit)> = s
        .fields
        .iter()
        .map(|f| (f.rust_name.as_str(), &f.init))
        .collect();
    assert_eq!(
        init,
        [
            ("name", &FieldInit::Argument),
            ("owner", &FieldInit::Empty),
            ("note", &FieldInit::Empty)
        ]
    );
    assert_eq!(assert_constructors_follow_the_ir(&api), 1);
    // the surface reads the same decision, and API.md's text reads back to it
    let lines = surface::surface(&api);
    let api_md = surface::render("nullable", std::slice::from_ref(&api));
    assert_eq!(spec_lines(surface::parse(&api_md)), lines);
    let arguments: Vec<String> = lines
        .iter()
        .filter(|l| matches!(l.key.item, Item::Field { .. }) && l.new_argument)
        .map(|l| l.key.to_string())
        .collect();
    assert_eq!(arguments, ["nullable model Thing field name"]);
}

/// The lines of the spec's modules, without the runtime's.
fn spec_lines(lines: Vec<surface::SurfaceLine>) -> Vec<surface::SurfaceLine> {
    lines
        .into_iter()
        .filter(|l| l.key.module != surface::runtime::MODULE)
        .collect()
}

#[test]
fn api_md_reads_back_to_the_same_typed_keys() {
    for provider in ["okta", "onelogin"] {
        let api = common::project_api(provider);
        let lines = surface::surface(&api);
        let all = surface::parse(&surface::render("idp-mfa", std::slice::from_ref(&api)));
        // the runtime's items follow the spec's, and read back to what the runtime lists
        let runtime: Vec<_> = all
            .iter()
            .filter(|l| l.key.module == surface::runtime::MODULE)
            .cloned()
            .collect();
        assert_eq!(
            runtime,
            surface::runtime::lines(mfa_codegen::render::runtime_sources())
        );
        let read = spec_lines(all);
        assert_eq!(read.len(), lines.len(), "{provider}");
        for (written, read) in lines.iter().zip(&read) {
            // the same kind of item with the same names, not just the same text
            assert_eq!(
                (&written.key.module, &written.key.item, &written.value),
                (&read.key.module, &read.key.item, &read.value),
            );
            assert!(!matches!(read.key.item, Item::Other(_)), "{}", read.key);
        }
    }
}
