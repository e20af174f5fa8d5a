//! The API change rules on tiny spec pairs: one snapshot of the report per rule, and three
//! rules proven against the compiler (a program written against the OLD crate stops
//! compiling against the NEW one exactly when the verdict is breaking).

#[path = "support/common.rs"]
mod common;

use std::path::Path;
use std::process::Command;

use mfa_codegen::api_diff::{self, Class, Format, Verdict};
use mfa_codegen::ir::Api;
use mfa_codegen::write::{sync, Mode};
use mfa_codegen::{surface, ProviderConfig};

/// The parts of the base spec a rule may change.
#[derive(Clone)]
struct Spec {
    get_thing: bool,
    get_path: &'static str,
    get_params: &'static str,
    get_responses: &'static str,
    thing_fields: &'static str,
    new_thing_required: &'static str,
    new_thing_fields: &'static str,
    colors: &'static str,
    mapping: &'static str,
    thing_description: &'static str,
}

const BASE: Spec = Spec {
    get_thing: true,
    get_path: "/things/{thingId}",
    get_params: "
        - {name: thingId, in: path, required: true, schema: {type: string}}",
    get_responses: "
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}",
    thing_fields: "
        id: {type: string}
        color: {$ref: '#/components/schemas/Color'}",
    new_thing_required: "[name]",
    new_thing_fields: "
        name: {type: string}",
    colors: "[red, green]",
    mapping: "
          cat: '#/components/schemas/Cat'
          dog: '#/components/schemas/Dog'",
    thing_description: "A thing.",
};

impl Spec {
    fn yaml(&self) -> String {
        let get = if self.get_thing {
            format!(
                "
  {}:
    get:
      operationId: getThing
      parameters:{}
      responses:{}",
                self.get_path, self.get_params, self.get_responses
            )
        } else {
            String::new()
        };
        format!(
            "openapi: 3.0.3
info: {{title: Rules, version: '1'}}
paths:{get}
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content: {{application/json: {{schema: {{$ref: '#/components/schemas/NewThing'}}}}}}
      responses:
        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Pet'}}}}}}}}
components:
  schemas:
    Thing:
      description: {desc}
      type: object
      properties:{thing}
    NewThing:
      type: object
      required: {req}
      properties:{new_thing}
    Color:
      type: string
      enum: {colors}
    Pet:
      type: object
      required: [kind]
      discriminator:
        propertyName: kind
        mapping:{mapping}
      properties:
        kind: {{type: string}}
    Cat:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - {{type: object, properties: {{meows: {{type: boolean}}}}}}
    Dog:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - {{type: object, properties: {{barks: {{type: boolean}}}}}}
",
            desc = self.thing_description,
            thing = self.thing_fields,
            req = self.new_thing_required,
            new_thing = self.new_thing_fields,
            colors = self.colors,
            mapping = self.mapping,
        )
    }

    fn api(&self, name: &str) -> Api {
        let path = Path::new("rules.yaml");
        let loaded = mfa_codegen::load::parse_spec(path, &self.yaml())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        mfa_codegen::normalize::normalize(&loaded, &ProviderConfig::everything(path))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    }
}

/// Every rule: its name, the changed spec, and the class it must produce.
fn rules() -> Vec<(&'static str, Spec, Class)> {
    vec![
        ("operation_removed", Spec { get_thing: false, ..BASE }, Class::Breaking),
        ("operation_path_changed", Spec { get_path: "/v2/things/{thingId}", ..BASE }, Class::Breaking),
        (
            "required_param_added",
            Spec {
                get_params: "
        - {name: thingId, in: path, required: true, schema: {type: string}}
        - {name: region, in: query, required: true, schema: {type: string}}",
                ..BASE
            },
            Class::Breaking,
        ),
        (
            "optional_param_added",
            Spec {
                get_params: "
        - {name: thingId, in: path, required: true, schema: {type: string}}
        - {name: expand, in: query, schema: {type: string}}",
                ..BASE
            },
            Class::Additive,
        ),
        (
            "param_removed",
            Spec {
                get_path: "/things/all",
                get_params: " []",
                ..BASE
            },
            Class::Breaking,
        ),
        (
            "success_response_added",
            Spec {
                get_responses: "
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
        '202': {description: later, content: {application/json: {schema: {$ref: '#/components/schemas/NewThing'}}}}",
                ..BASE
            },
            Class::Breaking,
        ),
        (
            "error_response_added",
            Spec {
                get_responses: "
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
        '404': {description: gone}",
                ..BASE
            },
            Class::Documentation,
        ),
        (
            "field_removed",
            Spec { thing_fields: "
        id: {type: string}", ..BASE },
            Class::Breaking,
        ),
        (
            "field_retyped",
            Spec {
                thing_fields: "
        id: {type: integer}
        color: {$ref: '#/components/schemas/Color'}",
                ..BASE
            },
            Class::Breaking,
        ),
        (
            "optional_field_added",
            Spec {
                thing_fields: "
        id: {type: string}
        color: {$ref: '#/components/schemas/Color'}
        size: {type: integer}",
                ..BASE
            },
            Class::Additive,
        ),
        (
            "required_request_field_added",
            Spec {
                new_thing_required: "[name, owner]",
                new_thing_fields: "
        name: {type: string}
        owner: {type: string}",
                ..BASE
            },
            Class::Breaking,
        ),
        (
            // `Option<String>` set to `None` by `new`: a new field, not a new argument
            "required_nullable_field_added",
            Spec {
                new_thing_required: "[name, owner]",
                new_thing_fields: "
        name: {type: string}
        owner: {type: string, nullable: true}",
                ..BASE
            },
            Class::Additive,
        ),
        ("enum_value_removed", Spec { colors: "[red]", ..BASE }, Class::Breaking),
        ("enum_value_added", Spec { colors: "[red, green, blue]", ..BASE }, Class::Additive),
        (
            "mapping_removed",
            Spec { mapping: "
          cat: '#/components/schemas/Cat'", ..BASE },
            Class::Breaking,
        ),
        (
            "mapping_added",
            Spec {
                mapping: "
          cat: '#/components/schemas/Cat'
          dog: '#/components/schemas/Dog'
          puppy: '#/components/schemas/Dog'",
                ..BASE
            },
            Class::Additive,
        ),
        (
            "description_only",
            Spec { thing_description: "A thing, described anew.", ..BASE },
            Class::Documentation,
        ),
    ]
}

fn changes(old: &Api, new: &Api) -> Vec<api_diff::Change> {
    let mut changes = api_diff::diff(&surface::surface(old), &surface::surface(new));
    changes.extend(api_diff::documentation_changes(old, new));
    changes.sort();
    changes
}

#[test]
fn each_rule_is_classified_and_reported() {
    let old = BASE.api("base");
    for (name, spec, class) in rules() {
        let new = spec.api(name);
        let changes = changes(&old, &new);
        assert!(!changes.is_empty(), "{name}: no change found");
        let worst = changes.iter().map(|c| c.class).min();
        assert_eq!(worst, Some(class), "{name}: {changes:#?}");
        insta::assert_snapshot!(name, api_diff::report(name, &changes, Format::Text));
    }
}

#[test]
fn the_same_spec_on_both_sides_has_no_changes() {
    let changes = changes(&BASE.api("old"), &BASE.api("new"));
    assert!(changes.is_empty(), "{changes:#?}");
    assert_eq!(api_diff::verdict(&changes), Verdict::None);
    assert_eq!(api_diff::summary(&changes), "no changes");
}

/// Writes the crate for `spec` plus `examples/probe.rs`, and `cargo check`s the probe.
fn probe_compiles(name: &str, spec: &Spec, probe: &str) -> (bool, String) {
    let config = ProviderConfig::everything(Path::new("rules.yaml"));
    let api = spec.api(name);
    let files = mfa_codegen::generate_standalone(
        &config,
        &[api],
        "test",
        &mut mfa_codegen::Formatter::plain(),
    )
    .expect("render");
    let root = common::workspace_root();
    let dir = root.join("target/compile-tests/api-diff").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    sync(&files, &dir, Mode::Write).expect("write");
    std::fs::create_dir_all(dir.join("examples")).expect("examples dir");
    std::fs::write(dir.join("examples/probe.rs"), probe).expect("probe");
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("lockfile");
    let _serial = common::CARGO.lock().unwrap_or_else(|p| p.into_inner());
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["check", "--quiet", "--example", "probe", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target/compile-tests/target"))
        .output()
        .expect("run cargo check");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A downstream program written against the OLD crate: it calls `getThing` with its one
/// positional argument and matches every `Color` it knows plus a wildcard.
const PROBE: &str = r#"
use rules_client::rules::{Client, Color};

fn describe(color: &Color) -> &'static str {
    match color {
        Color::Red => "red",
        Color::Green => "green",
        _ => "other",
    }
}

async fn call(client: Client) -> Result<(), rules_client::Error> {
    let thing = client.get_thing("t1").send().await?;
    if let Some(color) = &thing.color {
        println!("{}", describe(color));
    }
    Ok(())
}

fn main() {
    let _ = call;
}
"#;

#[test]
fn breaking_verdicts_match_the_compiler() {
    let old = BASE.api("base");
    let (compiles, stderr) = probe_compiles("old", &BASE, PROBE);
    assert!(
        compiles,
        "the probe must compile against the old crate:\n{stderr}"
    );
    for name in [
        "operation_removed",
        "required_param_added",
        "enum_value_added",
    ] {
        let (_, spec, _) = rules()
            .into_iter()
            .find(|(n, ..)| *n == name)
            .expect("rule exists");
        let verdict = api_diff::verdict(&changes(&old, &spec.api(name)));
        let (compiles, stderr) = probe_compiles(name, &spec, PROBE);
        println!(
            "{name}: verdict {}, probe compiles: {compiles}",
            verdict.as_str()
        );
        assert_eq!(
            verdict == Verdict::Major,
            !compiles,
            "{name}: verdict {} but the probe {} against the new crate:\n{stderr}",
            verdict.as_str(),
            if compiles { "compiles" } else { "fails" }
        );
    }
}

fn line(key: &str, value: &str) -> surface::SurfaceLine {
    surface::SurfaceLine::from_text(key, value)
}

/// An operation gone and another added with the same method and path is one change, a rename,
/// still breaking; read back from `API.md` text, whose operation values carry the route.
#[test]
fn same_method_and_path_under_a_new_operation_id_is_a_rename() {
    let old = vec![
        line(
            "p op deleteFactor",
            "DELETE /f/{id} -> Client::delete_factor",
        ),
        line("p op deleteFactor param path id", "required String -> id"),
        line("p op list", "GET /f -> Client::list"),
    ];
    let new = vec![
        line(
            "p op unenrollFactor",
            "DELETE /f/{id} -> Client::unenroll_factor",
        ),
        line("p op unenrollFactor param path id", "required String -> id"),
        line("p op list", "GET /f -> Client::list"),
    ];
    let changes = api_diff::diff(&old, &new);
    assert_eq!(changes.len(), 1, "{changes:?}");
    let rename = &changes[0];
    assert_eq!(rename.key.to_string(), "p op unenrollFactor");
    assert_eq!(rename.action(), "renamed");
    assert_eq!(rename.class, Class::Breaking);
    assert_eq!(rename.renamed_from.as_deref(), Some("deleteFactor"));
    assert_eq!(api_diff::verdict(&changes), Verdict::Major);
    let text = api_diff::report("t", &changes, Format::Text);
    assert!(
        text.contains("p op unenrollFactor renamed from deleteFactor: DELETE /f/{id} -> Client::delete_factor => DELETE /f/{id} -> Client::unenroll_factor"),
        "{text}"
    );
    assert!(
        text.contains("(1 operations renamed, 1 breaking)"),
        "{text}"
    );
    let json = api_diff::report("t", &changes, Format::Json);
    assert!(
        json.contains("\"renamed_from\": \"deleteFactor\""),
        "{json}"
    );

    // another method on the path, or two candidates for one route: no rename is guessed
    let other_method = vec![line("p op create", "POST /f/{id} -> Client::create")];
    let actions: Vec<&str> = api_diff::diff(&old[..1], &other_method)
        .iter()
        .map(|c| c.action())
        .collect();
    assert_eq!(actions, ["removed", "added"]);
    let two = vec![
        line("p op a", "DELETE /f/{id} -> Client::a"),
        line("p op b", "DELETE /f/{id} -> Client::b"),
    ];
    assert!(api_diff::diff(&old[..1], &two)
        .iter()
        .all(|c| c.renamed_from.is_none()));
}

/// Okta 2.16.0 (Swagger 2.0) to 5.1.0 (OpenAPI 3.0) through the change report: readable at
/// all, and `deleteFactor` reported as renamed to `unenrollFactor` (from the IR's surface).
#[test]
fn okta_swagger_two_to_five_reports_delete_factor_renamed() {
    let (Some(old), Some(new)) = (
        common::upstream("okta/2.16.0-legacy-swagger2/spec.yaml"),
        common::upstream("okta/5.1.0-oas3-2023-02/management.yaml"),
    ) else {
        return;
    };
    let config =
        ProviderConfig::load(&common::workspace_root().join("specs/okta.toml")).expect("config");
    let surface_of = |spec: &Path| {
        let run = mfa_codegen::build_provider_for_report(&config, spec).expect("spec loads");
        surface::surface(&run.api)
    };
    let changes = api_diff::diff(&surface_of(&old), &surface_of(&new));
    let renames: Vec<(String, Option<&str>)> = changes
        .iter()
        .filter(|c| c.action() == "renamed")
        .map(|c| (c.key.to_string(), c.renamed_from.as_deref()))
        .collect();
    assert_eq!(
        renames,
        [("okta op unenrollFactor".to_owned(), Some("deleteFactor"))]
    );
    assert!(changes
        .iter()
        .all(|c| !matches!(&c.key.item, surface::Item::Operation(id) if id == "deleteFactor")));
}

/// A runtime change is classified like a generated one: the runtime's items come from its
/// sources, so a method removed from `RateLimit` or a signature changed is breaking, a new
/// method is additive.
#[test]
fn runtime_items_are_part_of_the_change_report() {
    let sources = mfa_codegen::render::runtime_sources();
    let old = surface::runtime::lines(sources);
    let edit = |from: &str, to: &str| -> Vec<surface::SurfaceLine> {
        let edited: Vec<(&str, String)> = sources
            .iter()
            .map(|(name, text)| (*name, text.replace(from, to)))
            .collect();
        assert!(
            edited.iter().zip(sources).any(|(e, s)| e.1 != s.1),
            "{from}"
        );
        let borrowed: Vec<(&str, &str)> = edited.iter().map(|(n, t)| (*n, t.as_str())).collect();
        surface::runtime::lines(&borrowed)
    };
    let verdicts = |new: &[surface::SurfaceLine]| -> Vec<(String, Class)> {
        api_diff::diff(&old, new)
            .into_iter()
            .map(|c| (c.key.to_string(), c.class))
            .collect()
    };
    assert_eq!(
        verdicts(&edit(
            "pub fn retry_after(&self) -> Option<Duration>",
            "fn retry_after(&self) -> Option<Duration>"
        )),
        [(
            "runtime item RateLimit fn retry_after".to_owned(),
            Class::Breaking
        )]
    );
    assert_eq!(
        verdicts(&edit(
            "pub fn max_attempts(mut self, attempts: u32)",
            "pub fn max_attempts(mut self, attempts: u8)"
        )),
        [(
            "runtime item RetryPolicy fn max_attempts".to_owned(),
            Class::Breaking
        )]
    );
    assert_eq!(
        verdicts(&edit(
            "pub fn retry_after(&self) -> Option<Duration>",
            "pub fn reset_in(&self) -> u64 { 0 }\n    pub fn retry_after(&self) -> Option<Duration>"
        )),
        [("runtime item RateLimit fn reset_in".to_owned(), Class::Additive)]
    );
}

/// Per-tag features in the change report: an item behind a new feature, or moved to another,
/// breaks a build that had only the old one; more features reaching it, or none, does not.
#[test]
fn feature_gate_changes_are_classified() {
    let base = vec![
        line("t op get", "GET /x -> Client::get"),
        line("t model M", "struct -> M"),
    ];
    let with = |extra: &[(&str, &str)]| {
        let mut lines = base.clone();
        lines.extend(extra.iter().map(|(k, v)| line(k, v)));
        lines
    };
    let verdict = |old: &[surface::SurfaceLine], new: &[surface::SurfaceLine]| {
        api_diff::diff(old, new)
            .into_iter()
            .map(|c| (c.key.to_string(), c.class))
            .collect::<Vec<_>>()
    };
    let gated = with(&[("t op get features", "t-a"), ("t model M features", "t-a")]);
    assert_eq!(
        verdict(&base, &gated),
        [
            ("t model M features".to_owned(), Class::Breaking),
            ("t op get features".to_owned(), Class::Breaking)
        ]
    );
    assert_eq!(
        verdict(&gated, &base),
        [
            ("t model M features".to_owned(), Class::Additive),
            ("t op get features".to_owned(), Class::Additive)
        ]
    );
    let moved = with(&[
        ("t op get features", "t-b"),
        ("t model M features", "t-a | t-b"),
    ]);
    assert_eq!(
        verdict(&gated, &moved),
        [
            ("t op get features".to_owned(), Class::Breaking),
            ("t model M features".to_owned(), Class::Additive)
        ]
    );
}

/// A body that goes from `T` to `impl Into<T>` says why it is (only just) breaking.
#[test]
fn a_body_taking_impl_into_is_named_as_such() {
    let old = vec![line("t op create body", "required Thing")];
    let new = vec![line("t op create body", "required impl Into<Thing>")];
    let changes = api_diff::diff(&old, &new);
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].class, Class::Breaking);
    assert!(
        changes[0].reason.contains("impl Into<T>"),
        "{}",
        changes[0].reason
    );
}
