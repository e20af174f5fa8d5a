//! The public surface of a generated provider module, as sorted `key => value` lines in the
//! vendor's terms with the Rust names beside them.
//!
//! The key names one item (`okta op verifyFactor param header X-Forwarded-For`), the value says
//! what a caller sees of it (`optional String -> x_forwarded_for`). `generated/API.md` holds
//! these lines, so the diff of that one file is the reviewer's change list, and the API change
//! report classifies added, removed and changed keys (see [`crate::api_diff`]).

mod key;
pub mod runtime;

pub use key::{Item, SurfaceKey};

use crate::api_diff::{self, Change};
use crate::ir::{Api, ModelKind, Operation, ResponseBody};
use crate::render::escape::{md_code_line, md_code_span, md_inline};

/// One item of the surface.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SurfaceLine {
    pub key: SurfaceKey,
    pub value: String,
    /// The item is a positional argument a caller must pass (a required parameter or body, a
    /// constructor argument of a struct's `new`): adding one breaks callers. Read from the IR's
    /// decision, not from the value text.
    pub new_argument: bool,
    /// An operation's HTTP method and path template (`DELETE /api/v1/users/{userId}`), for
    /// telling a rename (same route, new operationId) from a removal; `None` for other items.
    pub route: Option<String>,
    /// A model's Rust type name (`UserFactorSms` for `model UserFactorSMS`), for telling a
    /// renamed Rust type from a retyped schema; `None` for other items.
    pub rust_name: Option<String>,
}

impl SurfaceLine {
    fn new(module: &str, item: Item, value: String) -> Self {
        Self {
            key: SurfaceKey::new(module, item),
            value,
            new_argument: false,
            route: None,
            rust_name: None,
        }
    }

    /// A line read back from its text (`key => value` in `API.md`).
    pub fn from_text(key: &str, value: &str) -> Self {
        let key = SurfaceKey::parse(key);
        let new_argument = argument_from_text(&key.item, value);
        // an operation's value is `METHOD /path -> Client::method`
        let route = match key.item {
            Item::Operation(_) => value
                .split_once(" -> ")
                .map(|(route, _)| route.to_owned())
                .filter(|route| route.contains(' ')),
            _ => None,
        };
        // a model's value is `kind -> RustName`
        let rust_name = match key.item {
            Item::Model(_) => value.rsplit_once(" -> ").map(|(_, name)| name.to_owned()),
            _ => None,
        };
        Self {
            key,
            value: value.to_owned(),
            new_argument,
            route,
            rust_name,
        }
    }

    fn argument(mut self, flag: bool) -> Self {
        self.new_argument = flag;
        self
    }
}

fn required(flag: bool) -> &'static str {
    if flag {
        "required"
    } else {
        "optional"
    }
}

fn operation_lines(module: &str, op: &Operation, out: &mut Vec<SurfaceLine>) {
    let id = &op.operation_id;
    let route = format!("{} {}", op.http_method.as_str(), op.path);
    let mut line = SurfaceLine::new(
        module,
        Item::Operation(id.clone()),
        format!("{route} -> Client::{}", op.method_name),
    );
    line.route = Some(route);
    out.push(line);
    for p in &op.params {
        let item = Item::Param {
            op: id.clone(),
            location: p.location,
            name: p.wire_name.clone(),
        };
        let mut value = format!(
            "{} {} -> {}",
            required(p.required),
            p.rust_type,
            p.rust_name
        );
        // how it goes on the wire, when not the location's default: a change of it is a
        // change the server sees (a breaking one, as any changed line of a parameter)
        let encoding = (p.encoding.style, p.encoding.explode);
        if encoding != p.location.default_style() {
            value.push_str(&format!(
                " ({}, explode={})",
                p.encoding.style.as_str(),
                p.encoding.explode
            ));
        }
        // required parameters are positional arguments of the client method
        out.push(SurfaceLine::new(module, item, value).argument(p.required));
    }
    if let Some(body) = &op.body {
        // what the caller passes: `impl Into<UserFactor>` takes the variant structs too, and
        // a caller's `.into()` has to name its target once it does
        let value = format!("{} {}", required(body.required), body.arg_type);
        out.push(SurfaceLine::new(module, Item::Body(id.clone()), value).argument(body.required));
    }
    for response in &op.responses {
        let body = match &response.body {
            ResponseBody::Empty => "(no body)".to_owned(),
            ResponseBody::Untyped => "(untyped JSON)".to_owned(),
            ResponseBody::Typed { rust_type, .. } => rust_type.clone(),
        };
        let item = Item::Response {
            op: id.clone(),
            status: response.status.clone(),
        };
        out.push(SurfaceLine::new(module, item, body));
    }
    out.push(SurfaceLine::new(
        module,
        Item::Returns(id.clone()),
        op.success.rust_type.clone(),
    ));
    if op.pagination.is_some() {
        out.push(SurfaceLine::new(
            module,
            Item::Pages(id.clone()),
            "Link rel=next".to_owned(),
        ));
    }
    if !op.gate.is_open() {
        out.push(SurfaceLine::new(
            module,
            Item::OpFeatures(id.clone()),
            op.gate.describe(),
        ));
    }
}

/// Every line of one provider's surface, sorted by key.
pub fn surface(api: &Api) -> Vec<SurfaceLine> {
    let module = &api.module;
    let mut out = Vec::new();
    for op in &api.operations {
        operation_lines(module, op, &mut out);
    }
    for model in &api.models {
        let name = &model.spec_name;
        let head = |kind: String| {
            let mut line = SurfaceLine::new(
                module,
                Item::Model(name.clone()),
                format!("{kind} -> {}", model.rust_name),
            );
            line.rust_name = Some(model.rust_name.clone());
            line
        };
        if !model.gate.is_open() {
            out.push(SurfaceLine::new(
                module,
                Item::ModelFeatures(name.clone()),
                model.gate.describe(),
            ));
        }
        match &model.kind {
            ModelKind::Struct(s) => {
                out.push(head("struct".to_owned()));
                for f in &s.fields {
                    let item = Item::Field {
                        model: name.clone(),
                        name: f.wire_name.clone(),
                    };
                    let value = format!(
                        "{} {} -> {}",
                        required(f.required),
                        f.rust_type,
                        f.rust_name
                    );
                    out.push(
                        SurfaceLine::new(module, item, value).argument(f.is_constructor_arg()),
                    );
                }
            }
            ModelKind::Enum(e) => {
                out.push(head("enum".to_owned()));
                for v in &e.variants {
                    let item = Item::EnumValue {
                        model: name.clone(),
                        value: v.value.clone(),
                    };
                    out.push(SurfaceLine::new(
                        module,
                        item,
                        format!("-> {}", v.rust_name),
                    ));
                }
            }
            ModelKind::Untagged(u) => {
                let members: Vec<String> = u
                    .variants
                    .iter()
                    .map(|v| format!("{}({})", v.rust_name, v.rust_type))
                    .collect();
                out.push(head(format!("untagged union of {}", members.join(", "))));
            }
            ModelKind::Union(u) => {
                out.push(head(format!("union by {}", u.property)));
                for v in &u.variants {
                    for value in &v.values {
                        let item = Item::UnionMapping {
                            model: name.clone(),
                            value: value.clone(),
                        };
                        let text = format!("{} -> {}", v.rust_type, v.rust_name);
                        out.push(SurfaceLine::new(module, item, text));
                    }
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

const HEADER: &str =
    "One line per public item of the generated crate: `key => value`, the key in the \
vendor's terms (operationId, schema, parameter, field, enum value), the value with the Rust \
type and name after `->`. Lines are sorted; the diff of this file is the change list of a \
spec bump. `cargo xtask api-diff` classifies changes as breaking, additive or documentation.";

/// The text of `API.md` for a crate made of `apis`.
pub fn render(crate_name: &str, apis: &[Api]) -> String {
    let mut text = format!(
        "# API surface of {}\n\n{HEADER}\n",
        md_code_span(crate_name)
    );
    for api in apis {
        // spec text: escaped for a Markdown heading, and inside the code block each item
        // stays on its line and cannot close the fence
        text.push_str(&format!(
            "\n## {} (`{}`, spec {} {})\n\n```text\n",
            md_inline(&api.title),
            api.module,
            md_inline(&api.spec_title),
            md_inline(&api.spec_version)
        ));
        for line in surface(api) {
            text.push_str(&md_code_line(&format!("{} => {}", line.key, line.value)));
            text.push('\n');
        }
        text.push_str("```\n");
    }
    // the runtime's public items: the same for every crate, and part of its API all the same
    text.push_str("\n## Runtime (`runtime`)\n\n```text\n");
    for line in runtime::lines(crate::render::runtime_sources()) {
        text.push_str(&md_code_line(&format!("{} => {}", line.key, line.value)));
        text.push('\n');
    }
    text.push_str("```\n");
    text
}

/// Reads the lines back from an `API.md` (for comparing a fresh generation with the committed
/// one); lines outside the code blocks are ignored.
pub fn parse(text: &str) -> Vec<SurfaceLine> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if line.starts_with("```") {
            inside = !inside;
            continue;
        }
        if let (true, Some((key, value))) = (inside, line.split_once(" => ")) {
            out.push(SurfaceLine::from_text(key, value));
        }
    }
    out.sort();
    out
}

/// [`SurfaceLine::new_argument`] recovered from the text [`surface`] wrote: a required
/// parameter or body is positional; a required field is an argument of `new` unless it is
/// nullable, which the text shows as an `Option` type. (A union variant's preset
/// discriminator field reads back as an argument: the text does not carry the preset.)
fn argument_from_text(item: &Item, value: &str) -> bool {
    let Some(rest) = value.strip_prefix("required ") else {
        return false;
    };
    match item {
        Item::Param { .. } | Item::Body(_) => true,
        Item::Field { .. } => !rest.starts_with("Option<"),
        _ => false,
    }
}

/// One `CHANGELOG.md` entry: `## version`, then per provider its summary and one list item
/// per change. Keys hold spec names, so each is a Markdown code span that cannot end early or
/// break its line.
pub fn changelog_entry(version: &str, per_provider: &[(String, Vec<Change>)]) -> String {
    let mut entry = format!("## {}\n\n", md_inline(version));
    for (module, changes) in per_provider {
        if changes.is_empty() {
            continue;
        }
        entry.push_str(&format!(
            "### {}: {}\n\n",
            md_inline(module),
            api_diff::summary(changes)
        ));
        // an item that only names a renamed type changes with it: counted, not listed
        let (echoes, own): (Vec<&Change>, Vec<&Change>) =
            changes.iter().partition(|c| c.follows_rename);
        for c in own {
            entry.push_str(&format!(
                "- {} {}: {} ({})\n",
                c.class.as_str(),
                c.action(),
                md_code_span(&c.key.to_string()),
                c.reason
            ));
        }
        if !echoes.is_empty() {
            entry.push_str(&format!(
                "- breaking: {} fields, mappings and signatures that name a renamed type change with it (the wire is unchanged)\n",
                echoes.len()
            ));
        }
        entry.push('\n');
    }
    entry
}
