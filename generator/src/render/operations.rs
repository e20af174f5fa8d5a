//! Client methods and request builders: one view per operation (docs, positional arguments,
//! optional setters) and the `builders.rs` file.

use askama::Template;

use super::doc_lines::doc_lines;
use super::escape::{self, DocLine, DocText, RustCode, RustStr};
use super::{examples, render_err, RenderedFile};
use crate::error::GenError;
use crate::ir::{
    Api, Operation, Param, ParamLocation, PathPart, SecurityRequirement, SuccessShape,
};

pub(super) struct Arg {
    pub(super) name: String,
    /// Argument type in the client method.
    pub(super) ty: String,
    /// Stored type, for the builder's constructor.
    pub(super) stored: String,
    /// Expression converting the argument into the stored type.
    pub(super) convert: String,
}

pub(super) struct OptionalParam<'a> {
    pub(super) param: &'a Param,
    pub(super) doc: Vec<DocLine>,
    pub(super) convert: String,
}

pub(super) struct OpView<'a> {
    pub(super) op: &'a Operation,
    pub(super) doc: Vec<DocLine>,
    pub(super) args: Vec<Arg>,
    pub(super) optional: Vec<OptionalParam<'a>>,
    /// How the optional `.body(value)` setter's argument is stored.
    pub(super) body_convert: String,
    /// `#[cfg(..)]` of the operation's items that stay inline (client method, mock), with per-tag
    /// features; empty otherwise.
    pub(super) cfg: RustCode,
}

fn param_doc(p: &Param) -> String {
    let mut text = format!("`{}` ({} parameter", p.wire_name, p.location.as_str());
    if let Some(default) = &p.default {
        text.push_str(&format!(", server default `{default}`"));
    }
    text.push(')');
    if let Some(d) = &p.description {
        text.push_str(": ");
        text.push_str(&escape::one_line(d));
    }
    text
}

/// One way to authenticate, for operation docs: the config's usage text (or the scheme name)
/// and the OAuth 2.0 scopes the spec asks for.
fn security_doc(requirement: &SecurityRequirement) -> String {
    let mut text = requirement
        .usage
        .clone()
        .unwrap_or_else(|| format!("`{}`", requirement.scheme));
    let scopes: Vec<String> = requirement
        .scopes
        .iter()
        .map(|s| format!("`{s}`"))
        .collect();
    match scopes.as_slice() {
        [] => {}
        [one] => text.push_str(&format!(" with scope {one}")),
        many => text.push_str(&format!(
            " with the scopes the spec lists: {}",
            many.join(", ")
        )),
    }
    text
}

fn op_view(op: &Operation) -> OpView<'_> {
    let mut text = String::new();
    if let Some(summary) = &op.summary {
        text.push_str(summary.trim());
        text.push_str("\n\n");
    }
    if let Some(description) = &op.description {
        text.push_str(description.trim());
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "`{} {}` (operationId `{}`)",
        op.http_method.as_str(),
        op.path,
        op.operation_id
    ));
    if op.deprecated {
        text.push_str("\n\n**Deprecated** by the vendor.");
    }
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    if !required.is_empty() || op.body.as_ref().is_some_and(|b| b.required) {
        text.push_str("\n\nArguments:");
        for p in &required {
            text.push_str(&format!("\n- `{}`: {}", p.rust_name, param_doc(p)));
        }
        if let Some(b) = op.body.as_ref().filter(|b| b.required) {
            text.push_str(&format!("\n- `body`: the request body (`{}`)", b.rust_type));
        }
    }
    let optional: Vec<&Param> = op.params.iter().filter(|p| !p.required).collect();
    if !optional.is_empty() || op.body.as_ref().is_some_and(|b| !b.required) {
        text.push_str("\n\nOptional, set on the returned builder:");
        for p in &optional {
            text.push_str(&format!(
                "\n- [`{}`](builders::{}::{}): {}",
                p.rust_name.trim_start_matches("r#"),
                op.builder_name,
                p.rust_name,
                param_doc(p)
            ));
        }
        if let Some(b) = op.body.as_ref().filter(|b| !b.required) {
            text.push_str(&format!(
                "\n- [`body`](builders::{}::body): `{}`",
                op.builder_name, b.rust_type
            ));
        }
    }
    if !op.security.is_empty() {
        let accepted: Vec<String> = op.security.iter().map(security_doc).collect();
        text.push_str(&format!("\n\nAuthentication: {}", accepted.join(", or ")));
        if op.refused_security.is_empty() {
            text.push('.');
        } else {
            let refused: Vec<String> = op.refused_security.iter().map(security_doc).collect();
            text.push_str(&format!(
                " only; {} is not accepted by this operation.",
                refused.join(" or ")
            ));
        }
    }
    let mut args: Vec<Arg> = required
        .iter()
        .map(|p| Arg {
            name: p.rust_name.clone(),
            ty: p.arg_type.clone(),
            stored: p.rust_type.clone(),
            convert: p.conversion.apply(&p.rust_name),
        })
        .collect();
    if let Some(b) = op.body.as_ref().filter(|b| b.required) {
        args.push(Arg {
            name: "body".into(),
            ty: b.arg_type.clone(),
            stored: b.rust_type.clone(),
            convert: b.conversion.apply("body"),
        });
    }
    OpView {
        op,
        cfg: super::gates::cfg(&op.gate),
        doc: doc_lines("///", &text),
        args,
        body_convert: op
            .body
            .as_ref()
            .map(|b| b.conversion.apply("value"))
            .unwrap_or_default(),
        optional: optional
            .into_iter()
            .map(|p| OptionalParam {
                param: p,
                doc: doc_lines("///", &param_doc(p)),
                convert: p.conversion.apply("value"),
            })
            .collect(),
    }
}

/// `["/api/v1/users/", &encode(&self.user_id), "/factors"].concat()`, or a plain string.
/// (A `format!` would hide its arguments from prettyplease, which leaves macro bodies alone.)
fn path_expr(op: &Operation) -> RustCode {
    let mut pieces = Vec::new();
    for part in &op.path_parts {
        match part {
            PathPart::Literal(text) => pieces.push(escape::rust_str_text(text)),
            PathPart::Param(index) => {
                if let Some(p) = op
                    .params
                    .get(*index)
                    .filter(|p| p.location == ParamLocation::Path)
                {
                    let value = format!("&self.{}", p.rust_name);
                    pieces.push(if p.encoding.plain {
                        format!("&crate::runtime::encode_path_segment({value})?")
                    } else {
                        format!(
                            "&crate::runtime::encode_path_param({})?",
                            style_args(p, &value)
                        )
                    });
                }
            }
        }
    }
    escape::code(match pieces.as_slice() {
        [] => "String::new()".to_owned(),
        [only] if only.starts_with('"') => format!("{only}.to_owned()"),
        _ => format!("[{}].concat()", pieces.join(", ")),
    })
}

/// `"name", crate::runtime::Style::Form, false, <value>`: the arguments of a styled call, the
/// value wrapped in `Serialized` when it goes through serde. `value` is a reference expression.
fn style_args(p: &Param, value: &str) -> String {
    let value = if p.encoding.via_serde {
        format!("&crate::runtime::Serialized({value})")
    } else {
        value.to_owned()
    };
    format!(
        "{}, crate::runtime::Style::{}, {}, {value}",
        escape::rust_str_text(&p.wire_name),
        p.encoding.style.variant(),
        p.encoding.explode
    )
}

/// One statement recording a query, header or cookie parameter on `receiver`: the plain call
/// (`request.query("name", value);`) for the location's default encoding, otherwise the styled
/// one, with `?` when `fallible` (the builder; the mock records errors instead).
pub(super) fn param_call(receiver: &str, p: &Param, value: &str, fallible: bool) -> RustCode {
    let location = p.location.as_str();
    escape::code(if p.encoding.plain {
        format!(
            "{receiver}.{location}({}, {value});",
            escape::rust_str_text(&p.wire_name)
        )
    } else {
        format!(
            "{receiver}.{location}_styled({}){};",
            style_args(p, value),
            if fallible { "?" } else { "" }
        )
    })
}

#[derive(Template)]
#[template(path = "operation.rs")]
struct OperationTemplate<'a> {
    op: &'a Operation,
    /// `GET /path` for the doc line.
    path_doc: DocText,
    operation_id: RustStr,
    path: RustStr,
    params: Vec<ParamView<'a>>,
    args: &'a [Arg],
    optional: Vec<&'a OptionalParam<'a>>,
    path_expr: RustCode,
    body_convert: &'a str,
    /// The builder's name as a string literal, for its `Debug`.
    builder_lit: RustStr,
}

struct ParamView<'a> {
    p: &'a Param,
    /// The statement sending a required parameter (`self.<name>`).
    send_required: RustCode,
    /// The statement sending an optional parameter once set (`value`).
    send_optional: RustCode,
}

#[derive(Template)]
#[template(path = "builders.rs")]
struct Builders<'a> {
    items: &'a [String],
    /// Files of per-tag gated builders (`builders/<name>.rs`).
    groups: &'a [super::gates::GateFile],
}

/// One view per operation, its docs ending with the generated usage example.
pub(super) fn op_views<'a>(api: &'a Api, crate_ident: &str) -> Vec<OpView<'a>> {
    api.operations
        .iter()
        .map(|op| {
            let mut view = op_view(op);
            view.doc.push(escape::doc_line("///", ""));
            // the generator's own Markdown: its `no_run` block is a doctest on purpose, and
            // spec text is in it only as escaped string literals
            let example = examples::example_section(op, crate_ident, &api.module);
            view.doc.extend(
                escape::prose_lines(&example)
                    .iter()
                    .map(|line| escape::doc_line("///", line)),
            );
            view
        })
        .collect()
}

/// `src/<module>/builders.rs`: one request builder per operation.
/// `src/<module>/builders.rs`; with per-tag features the gated builders go to
/// `builders/<gate file>.rs`.
pub(super) fn builders_file(api: &Api, ops: &[OpView<'_>]) -> Result<Vec<RenderedFile>, GenError> {
    let module = &api.module;
    let mut items = Vec::new();
    for o in ops {
        let view = OperationTemplate {
            op: o.op,
            body_convert: &o.body_convert,
            builder_lit: escape::rust_str(&o.op.builder_name),
            path_doc: escape::doc_text(&format!("{} {}", o.op.http_method.as_str(), o.op.path)),
            operation_id: escape::rust_str(&o.op.operation_id),
            path: escape::rust_str(&o.op.path),
            params: o
                .op
                .params
                .iter()
                .map(|p| ParamView {
                    p,
                    send_required: param_call(
                        "request",
                        p,
                        &format!("&self.{}", p.rust_name),
                        true,
                    ),
                    send_optional: param_call("request", p, "value", true),
                })
                .collect(),
            args: &o.args,
            optional: o.optional.iter().collect(),
            path_expr: path_expr(o.op),
        };
        items.push((
            &o.op.gate,
            view.render().map_err(render_err("operation.rs"))?,
        ));
    }
    let (items, groups) = super::gates::split(module, "builders", items)?;
    let mut files = Vec::with_capacity(groups.len() + 1);
    files.push(RenderedFile::rust_items(
        format!("src/{module}/builders.rs"),
        "builders.rs",
        Builders {
            items: &items,
            groups: &groups,
        }
        .render()
        .map_err(render_err("builders.rs"))?,
        &items,
    ));
    for group in &groups {
        files.push(super::gates::gate_file(module, "Request builders", group)?);
    }
    Ok(files)
}
