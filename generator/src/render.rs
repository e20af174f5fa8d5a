//! Step 3 of the pipeline: IR -> Rust source text through the askama templates in
//! `templates/`. The views built here only shape IR data for layout (doc lines, argument
//! lists, string literals); no naming or typing decision is made in this module.

use askama::Template;

use crate::config::CrateConfig;
use crate::error::GenError;
use crate::ir::{
    Api, EnumModel, EnumRepr, EnumVariant, Field, Model, ModelKind, Operation, Param,
    ParamLocation, PathPart, SecurityRequirement, StructModel, SuccessShape, UnionModel,
    UnionVariant,
};

/// One rendered (not yet formatted) file of the generated crate, path relative to its root.
#[derive(Debug, Clone)]
pub struct RenderedFile {
    pub path: String,
    pub template: &'static str,
    pub text: String,
    pub kind: FileKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Rust produced by templates: parsed and pretty-printed.
    Rust,
    /// Hand-written runtime Rust, copied verbatim.
    Verbatim,
    /// Cargo.toml and other text.
    Text,
}

/// Runtime sources, copied into every generated crate (see `templates/runtime/mod.rs`).
macro_rules! runtime_files {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../templates/runtime/", $name)))),*]
    };
}
const RUNTIME_FILES: &[(&str, &str)] = runtime_files!(
    "mod.rs",
    "auth.rs",
    "client.rs",
    "error.rs",
    "okta_oauth.rs",
    "pagination.rs",
    "params.rs",
    "request.rs",
    "response.rs",
    "retry.rs",
    "vendor.rs",
);

pub struct CrateInput<'a> {
    pub config: &'a CrateConfig,
    pub apis: &'a [Api],
    /// Written outside this workspace: the crate is its own workspace root.
    pub standalone: bool,
    /// The command that regenerates the crate, named in each file's header.
    pub command: &'a str,
}

pub fn render_crate(input: &CrateInput<'_>) -> Result<Vec<RenderedFile>, GenError> {
    let mut files = vec![cargo_toml(input)?, lib_rs(input)?];
    for (name, text) in RUNTIME_FILES {
        files.push(RenderedFile {
            path: format!("src/runtime/{name}"),
            template: "runtime",
            text: (*text).to_owned(),
            kind: FileKind::Verbatim,
        });
    }
    for api in input.apis {
        files.extend(render_provider(api)?);
    }
    Ok(files)
}

fn render_err(template: &'static str) -> impl Fn(askama::Error) -> GenError {
    move |e| GenError::Render {
        template: template.to_owned(),
        message: e.to_string(),
    }
}

#[derive(Template)]
#[template(path = "cargo_toml.toml", escape = "none")]
struct CargoToml<'a> {
    command: &'a str,
    package: &'a crate::config::PackageSection,
    providers: Vec<&'a str>,
    standalone: bool,
    dev_dependencies: String,
}

fn cargo_toml(input: &CrateInput<'_>) -> Result<RenderedFile, GenError> {
    let view = CargoToml {
        command: input.command,
        package: &input.config.package,
        providers: input.apis.iter().map(|a| a.module.as_str()).collect(),
        standalone: input.standalone,
        dev_dependencies: input
            .config
            .dev_dependencies
            .iter()
            .map(|(name, value)| format!("{name} = {}\n", inline_toml(value)))
            .collect(),
    };
    Ok(RenderedFile {
        path: "Cargo.toml".into(),
        template: "cargo_toml.toml",
        text: view.render().map_err(render_err("cargo_toml.toml"))?,
        kind: FileKind::Text,
    })
}

/// A TOML value on one line (`{ version = "1", features = ["x"] }`), as Cargo.toml
/// dependency entries are conventionally written.
fn inline_toml(value: &toml::Value) -> String {
    match value {
        toml::Value::Table(table) => {
            let entries: Vec<String> = table
                .iter()
                .map(|(k, v)| format!("{k} = {}", inline_toml(v)))
                .collect();
            format!("{{ {} }}", entries.join(", "))
        }
        toml::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(inline_toml).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

struct ProviderEntry<'a> {
    module: &'a str,
}

#[derive(Template)]
#[template(path = "lib.rs", escape = "none")]
struct LibRs<'a> {
    doc: Vec<String>,
    providers: Vec<ProviderEntry<'a>>,
}

fn lib_rs(input: &CrateInput<'_>) -> Result<RenderedFile, GenError> {
    let mut text = format!(
        "{}\n\nProviders, each behind a Cargo feature of the same name:\n",
        input.config.package.description
    );
    for api in input.apis {
        text.push_str(&format!(
            "\n- [`{}`]: {} ({} operations, spec {} {}).",
            api.module,
            api.title,
            api.operations.len(),
            api.spec_title,
            api.spec_version
        ));
    }
    let view = LibRs {
        doc: doc_lines("//!", &text),
        providers: input
            .apis
            .iter()
            .map(|a| ProviderEntry { module: &a.module })
            .collect(),
    };
    Ok(RenderedFile {
        path: "src/lib.rs".into(),
        template: "lib.rs",
        text: view.render().map_err(render_err("lib.rs"))?,
        kind: FileKind::Rust,
    })
}

/// Doc comment lines (`/// text`) for prose, with bare code fences marked `text` so rustdoc
/// does not compile vendor JSON as Rust doctests.
pub fn doc_lines(prefix: &str, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.trim().lines() {
        let line = line.trim_end();
        let trimmed = line.trim_start();
        let line = if let Some(lang) = trimmed.strip_prefix("```") {
            let opening = !in_fence;
            in_fence = !in_fence;
            if opening && (lang.trim().is_empty() || lang.trim() == "rust") {
                "```text".to_owned()
            } else {
                trimmed.to_owned()
            }
        } else {
            line.to_owned()
        };
        if line.is_empty() {
            out.push(prefix.to_owned());
        } else {
            out.push(format!("{prefix} {line}"));
        }
    }
    if in_fence {
        out.push(format!("{prefix} ```"));
    }
    out
}

fn render_provider(api: &Api) -> Result<Vec<RenderedFile>, GenError> {
    let ops: Vec<OpView<'_>> = api.operations.iter().map(op_view).collect();
    let module = &api.module;
    let mut files = Vec::new();

    let doc_text = format!(
        "{} API: a client with one method per operation, request builders and models.\n\nGenerated from the spec `{}` version {}.",
        api.title, api.spec_title, api.spec_version
    );
    let provider = ProviderMod {
        doc: doc_lines("//!", &doc_text),
        api,
        example_base_url: api
            .runtime
            .example_base_url
            .as_deref()
            .unwrap_or("https://api.example.com"),
        profile: ProfileView::new(&api.runtime),
        ops: &ops,
    };
    files.push(RenderedFile {
        path: format!("src/{module}/mod.rs"),
        template: "provider_mod.rs",
        text: provider.render().map_err(render_err("provider_mod.rs"))?,
        kind: FileKind::Rust,
    });
    for extension in &api.extensions {
        files.push(RenderedFile {
            path: format!("src/{module}/{}.rs", extension.module),
            template: "extension",
            text: extension.source.clone(),
            kind: FileKind::Verbatim,
        });
    }

    let mut items = Vec::new();
    for o in &ops {
        let view = OperationTemplate {
            op: o.op,
            args: &o.args,
            optional: o.optional.iter().collect(),
            path_expr: path_expr(o.op),
        };
        items.push(view.render().map_err(render_err("operation.rs"))?);
    }
    files.push(RenderedFile {
        path: format!("src/{module}/builders.rs"),
        template: "builders.rs",
        text: Builders { items }
            .render()
            .map_err(render_err("builders.rs"))?,
        kind: FileKind::Rust,
    });

    let mut items = Vec::new();
    for model in &api.models {
        items.push(render_model(model)?);
    }
    for op in &api.operations {
        if let SuccessShape::ByStatus(variants) = &op.success.shape {
            let view = StatusEnum {
                op,
                variants: variants
                    .iter()
                    .map(|v| StatusView {
                        doc: match &v.description {
                            Some(d) => format!("HTTP {}: {}", v.status, one_line(d)),
                            None => format!("HTTP {}", v.status),
                        },
                        variant: &v.variant,
                        rust_type: &v.rust_type,
                    })
                    .collect(),
            };
            items.push(view.render().map_err(render_err("status_enum.rs"))?);
        }
    }
    files.push(RenderedFile {
        path: format!("src/{module}/models.rs"),
        template: "models.rs",
        text: Models {
            title: &api.title,
            items,
        }
        .render()
        .map_err(render_err("models.rs"))?,
        kind: FileKind::Rust,
    });
    Ok(files)
}

/// A wire value as an inline code span on one doc line.
fn code_span(value: &str) -> String {
    format!("`{}`", one_line(value).replace('`', "'"))
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Template)]
#[template(path = "provider_mod.rs", escape = "none")]
struct ProviderMod<'a> {
    doc: Vec<String>,
    api: &'a Api,
    example_base_url: &'a str,
    profile: ProfileView<'a>,
    ops: &'a [OpView<'a>],
}

/// The runtime facts as Rust literals for the provider's `Profile` constant.
struct ProfileView<'a> {
    request_id_header: String,
    user_agent_extended_header: String,
    retry_for_header: String,
    retry_count_header: String,
    rate_limit: Option<&'a crate::config::RateLimitFacts>,
    error_format: &'static str,
}

impl<'a> ProfileView<'a> {
    fn new(facts: &'a crate::config::RuntimeFacts) -> Self {
        let literal = |value: &Option<String>| match value {
            Some(text) => format!("Some({text:?})"),
            None => "None".to_owned(),
        };
        Self {
            request_id_header: literal(&facts.request_id_header),
            user_agent_extended_header: literal(&facts.user_agent_extended_header),
            retry_for_header: literal(&facts.retry_for_header),
            retry_count_header: literal(&facts.retry_count_header),
            rate_limit: facts.rate_limit.as_ref(),
            error_format: facts.error_format.variant(),
        }
    }
}

struct Arg {
    name: String,
    /// Argument type in the client method.
    ty: String,
    /// Stored type, for the builder's constructor.
    stored: String,
    /// Expression converting the argument into the stored type.
    convert: String,
}

struct OptionalParam<'a> {
    param: &'a Param,
    doc: Vec<String>,
    convert: String,
}

struct OpView<'a> {
    op: &'a Operation,
    doc: Vec<String>,
    args: Vec<Arg>,
    optional: Vec<OptionalParam<'a>>,
}

fn param_doc(p: &Param) -> String {
    let mut text = format!("`{}` ({} parameter", p.wire_name, p.location.as_str());
    if let Some(default) = &p.default {
        text.push_str(&format!(", server default `{default}`"));
    }
    text.push(')');
    if let Some(d) = &p.description {
        text.push_str(": ");
        text.push_str(&one_line(d));
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
            ty: b.rust_type.clone(),
            stored: b.rust_type.clone(),
            convert: "body".into(),
        });
    }
    OpView {
        op,
        doc: doc_lines("///", &text),
        args,
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
fn path_expr(op: &Operation) -> String {
    let mut pieces = Vec::new();
    for part in &op.path_parts {
        match part {
            PathPart::Literal(text) => pieces.push(format!("{text:?}")),
            PathPart::Param(index) => {
                if let Some(p) = op
                    .params
                    .get(*index)
                    .filter(|p| p.location == ParamLocation::Path)
                {
                    pieces.push(format!(
                        "&crate::runtime::encode_path_segment(&self.{})?",
                        p.rust_name
                    ));
                }
            }
        }
    }
    match pieces.as_slice() {
        [] => "String::new()".to_owned(),
        [only] if only.starts_with('"') => format!("{only}.to_owned()"),
        _ => format!("[{}].concat()", pieces.join(", ")),
    }
}

#[derive(Template)]
#[template(path = "operation.rs", escape = "none")]
struct OperationTemplate<'a> {
    op: &'a Operation,
    args: &'a [Arg],
    optional: Vec<&'a OptionalParam<'a>>,
    path_expr: String,
}

#[derive(Template)]
#[template(path = "builders.rs", escape = "none")]
struct Builders {
    items: Vec<String>,
}

#[derive(Template)]
#[template(path = "models.rs", escape = "none")]
struct Models<'a> {
    title: &'a str,
    items: Vec<String>,
}

struct StatusView<'a> {
    doc: String,
    variant: &'a str,
    rust_type: &'a str,
}

#[derive(Template)]
#[template(path = "status_enum.rs", escape = "none")]
struct StatusEnum<'a> {
    op: &'a Operation,
    variants: Vec<StatusView<'a>>,
}

fn model_doc(model: &Model) -> Vec<String> {
    let text = model
        .description
        .clone()
        .unwrap_or_else(|| format!("`{}`", model.spec_name));
    doc_lines("///", &text)
}

fn render_model(model: &Model) -> Result<String, GenError> {
    match &model.kind {
        ModelKind::Struct(s) => render_struct(model, s),
        ModelKind::Enum(e) => render_enum(model, e),
        ModelKind::Union(u) => render_union(model, u),
    }
}

struct FieldView<'a> {
    field: &'a Field,
    doc: Vec<String>,
    serde_extra: &'static str,
    setter: String,
    init: String,
    assign: String,
}

struct CtorArg {
    name: String,
    ty: String,
}

#[derive(Template)]
#[template(path = "model_struct.rs", escape = "none")]
struct StructTemplate<'a> {
    doc: Vec<String>,
    name: &'a str,
    s: &'a StructModel,
    fields: Vec<FieldView<'a>>,
    ctor_args: Vec<CtorArg>,
}

fn render_struct(model: &Model, s: &StructModel) -> Result<String, GenError> {
    let mut ctor_args = Vec::new();
    let fields = s
        .fields
        .iter()
        .map(|f| {
            let mut text = f.description.clone().unwrap_or_default();
            let flags: Vec<&str> = [
                (f.read_only, "read-only"),
                (f.write_only, "write-only"),
                (f.nullable, "nullable"),
            ]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, t)| *t)
            .collect();
            if !flags.is_empty() {
                text.push_str(&format!("\n\nSpec: {}.", flags.join(", ")));
            }
            let in_ctor = f.required && !f.nullable;
            let preset = s
                .discriminator_default
                .as_ref()
                .filter(|(name, _)| name == &f.rust_name);
            let init = if let Some((_, expr)) = preset {
                expr.clone()
            } else if in_ctor {
                ctor_args.push(CtorArg {
                    name: f.rust_name.clone(),
                    ty: f.setter_arg.clone(),
                });
                f.conversion.apply(&f.rust_name)
            } else if f.is_option() {
                "None".to_owned()
            } else {
                "Default::default()".to_owned()
            };
            let init = if init == f.rust_name {
                init
            } else {
                format!("{}: {init}", f.rust_name)
            };
            let converted = f.conversion.apply("value");
            FieldView {
                field: f,
                doc: doc_lines("///", &text),
                serde_extra: if !f.required {
                    ", default, skip_serializing_if = \"Option::is_none\""
                } else if f.nullable {
                    ", default"
                } else {
                    ""
                },
                setter: f.rust_name.clone(),
                init,
                assign: if f.is_option() {
                    format!("Some({converted})")
                } else {
                    converted
                },
            }
        })
        .collect();
    StructTemplate {
        doc: model_doc(model),
        name: &model.rust_name,
        s,
        fields,
        ctor_args,
    }
    .render()
    .map_err(render_err("model_struct.rs"))
}

#[derive(Template)]
#[template(path = "model_enum.rs", escape = "none")]
struct EnumTemplate<'a> {
    doc: Vec<String>,
    name: &'a str,
    e: &'a EnumModel,
    variant_docs: Vec<(&'a EnumVariant, String)>,
    is_string: bool,
    raw_type: &'static str,
}

fn render_enum(model: &Model, e: &EnumModel) -> Result<String, GenError> {
    let is_string = e.repr == EnumRepr::String;
    EnumTemplate {
        doc: model_doc(model),
        name: &model.rust_name,
        e,
        variant_docs: e
            .variants
            .iter()
            .map(|v| (v, code_span(&v.value)))
            .collect(),
        is_string,
        raw_type: if is_string { "String" } else { "i64" },
    }
    .render()
    .map_err(render_err("model_enum.rs"))
}

#[derive(Template)]
#[template(path = "model_union.rs", escape = "none")]
struct UnionTemplate<'a> {
    doc: Vec<String>,
    name: &'a str,
    u: &'a UnionModel,
    variant_docs: Vec<(&'a UnionVariant, String)>,
    from_impls: Vec<&'a UnionVariant>,
}

fn render_union(model: &Model, u: &UnionModel) -> Result<String, GenError> {
    UnionTemplate {
        doc: model_doc(model),
        name: &model.rust_name,
        u,
        variant_docs: u
            .variants
            .iter()
            .map(|v| {
                let values: Vec<String> = v.values.iter().map(|x| code_span(x)).collect();
                (v, format!("`{}` is {}.", u.property, values.join(" or ")))
            })
            .collect(),
        from_impls: u.variants.iter().filter(|v| v.from_impl).collect(),
    }
    .render()
    .map_err(render_err("model_union.rs"))
}
