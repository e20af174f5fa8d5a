//! The public surface of a generated provider module, as sorted `key => value` lines in the
//! vendor's terms with the Rust names beside them.
//!
//! The key names one item (`okta op verifyFactor param header X-Forwarded-For`), the value says
//! what a caller sees of it (`optional String -> x_forwarded_for`). `generated/API.md` holds
//! these lines, so the diff of that one file is the reviewer's change list, and the API change
//! report classifies added, removed and changed keys (see [`crate::api_diff`]).

use crate::api_diff::{self, Change};
use crate::ir::{Api, ModelKind, Operation, ResponseBody};
use crate::render::escape::{md_code_line, md_code_span, md_inline};

/// One item of the surface.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SurfaceLine {
    pub key: String,
    pub value: String,
}

impl SurfaceLine {
    fn new(key: String, value: String) -> Self {
        Self { key, value }
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
    let base = format!("{module} op {}", op.operation_id);
    out.push(SurfaceLine::new(
        base.clone(),
        format!(
            "{} {} -> Client::{}",
            op.http_method.as_str(),
            op.path,
            op.method_name
        ),
    ));
    for p in &op.params {
        out.push(SurfaceLine::new(
            format!("{base} param {} {}", p.location.as_str(), p.wire_name),
            format!(
                "{} {} -> {}",
                required(p.required),
                p.rust_type,
                p.rust_name
            ),
        ));
    }
    if let Some(body) = &op.body {
        out.push(SurfaceLine::new(
            format!("{base} body"),
            format!("{} {}", required(body.required), body.rust_type),
        ));
    }
    for response in &op.responses {
        let body = match &response.body {
            ResponseBody::Empty => "(no body)".to_owned(),
            ResponseBody::Untyped => "(untyped JSON)".to_owned(),
            ResponseBody::Typed { rust_type, .. } => rust_type.clone(),
        };
        out.push(SurfaceLine::new(
            format!("{base} response {}", response.status),
            body,
        ));
    }
    out.push(SurfaceLine::new(
        format!("{base} returns"),
        op.success.rust_type.clone(),
    ));
    if op.pagination.is_some() {
        out.push(SurfaceLine::new(
            format!("{base} pages"),
            "Link rel=next".to_owned(),
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
        let base = format!("{module} model {}", model.spec_name);
        match &model.kind {
            ModelKind::Struct(s) => {
                out.push(SurfaceLine::new(
                    base.clone(),
                    format!("struct -> {}", model.rust_name),
                ));
                for f in &s.fields {
                    out.push(SurfaceLine::new(
                        format!("{base} field {}", f.wire_name),
                        format!(
                            "{} {} -> {}",
                            required(f.required),
                            f.rust_type,
                            f.rust_name
                        ),
                    ));
                }
            }
            ModelKind::Enum(e) => {
                out.push(SurfaceLine::new(
                    base.clone(),
                    format!("enum -> {}", model.rust_name),
                ));
                for v in &e.variants {
                    out.push(SurfaceLine::new(
                        format!("{base} value {}", v.value),
                        format!("-> {}", v.rust_name),
                    ));
                }
            }
            ModelKind::Union(u) => {
                out.push(SurfaceLine::new(
                    base.clone(),
                    format!("union by {} -> {}", u.property, model.rust_name),
                ));
                for v in &u.variants {
                    for value in &v.values {
                        out.push(SurfaceLine::new(
                            format!("{base} maps {value}"),
                            format!("{} -> {}", v.rust_type, v.rust_name),
                        ));
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
            out.push(SurfaceLine::new(key.to_owned(), value.to_owned()));
        }
    }
    out.sort();
    out
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
        for c in changes {
            entry.push_str(&format!(
                "- {} {}: {} ({})\n",
                c.class.as_str(),
                c.action(),
                md_code_span(&c.key),
                c.reason
            ));
        }
        entry.push('\n');
    }
    entry
}
