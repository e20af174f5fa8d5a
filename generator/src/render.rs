//! Step 3 of the pipeline: IR -> Rust source text through the askama templates in
//! `templates/`. The views built here only shape IR data for layout (doc lines, argument
//! lists, string literals); no naming or typing decision is made in this module. Spec text
//! reaches a view only through `escape` (see there for why a template cannot forget).

use askama::Template;

pub mod escape;
mod examples;
mod mock;

use escape::{DocLine, DocText, RustCode, RustStr, TomlKey, TomlStr};

use crate::config::CrateConfig;
use crate::error::GenError;
use crate::ir::{
    Api, EnumModel, EnumRepr, EnumVariant, Field, Model, ModelKind, Operation, Param,
    ParamLocation, PathPart, Presence, ResponseBody, SecurityRequirement, StructModel,
    SuccessShape, UnionModel, UnionVariant,
};

/// One rendered (not yet formatted) file of the generated crate, path relative to its root.
#[derive(Debug, Clone)]
pub struct RenderedFile {
    pub path: String,
    pub template: &'static str,
    pub text: String,
    pub kind: FileKind,
    /// Byte offsets in `text` where top-level items start, so the formatter can work item by
    /// item (empty: the file is one chunk).
    pub item_starts: Vec<usize>,
}

impl RenderedFile {
    /// A file formatted (if Rust) as one chunk.
    pub(crate) fn whole(
        path: String,
        template: &'static str,
        text: String,
        kind: FileKind,
    ) -> Self {
        Self {
            path,
            template,
            text,
            kind,
            item_starts: Vec::new(),
        }
    }

    /// A Rust file whose template placed `items` into `text` in order; records where each
    /// starts, so formatting can split the file there.
    pub(crate) fn rust_items(
        path: String,
        template: &'static str,
        text: String,
        items: &[String],
    ) -> Self {
        let mut item_starts = Vec::with_capacity(items.len());
        let mut from = 0;
        for item in items {
            let Some(at) = find_from(&text, item, from) else {
                break;
            };
            item_starts.push(at);
            from = at + item.len();
        }
        Self {
            path,
            template,
            text,
            kind: FileKind::Rust,
            item_starts,
        }
    }
}

/// Where `needle` next occurs in `text` at or after `from`. Searches for a short prefix and
/// compares the rest: a searcher over a whole multi-kilobyte item costs more to set up than
/// the search itself, and the item is almost always right where the search starts.
fn find_from(text: &str, needle: &str, mut from: usize) -> Option<usize> {
    let mut prefix_len = needle.len().min(64);
    while !needle.is_char_boundary(prefix_len) {
        prefix_len -= 1;
    }
    let prefix = &needle[..prefix_len];
    loop {
        let at = from + text.get(from..)?.find(prefix)?;
        if text[at..].starts_with(needle) {
            return Some(at);
        }
        from = at + text[at..].chars().next().map_or(1, char::len_utf8);
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    /// Rust produced by templates: parsed and pretty-printed.
    Rust,
    /// Hand-written Rust (runtime, extensions), copied verbatim; `source` names the original.
    Verbatim { source: String },
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
    "client/attempt.rs",
    "client/builder.rs",
    "error.rs",
    "fields.rs",
    "fields/node.rs",
    "fields/node_de.rs",
    "fields/tests.rs",
    "gate.rs",
    "headers.rs",
    "mock.rs",
    "pagination.rs",
    "params.rs",
    "profile.rs",
    "rate_limit.rs",
    "request.rs",
    "response.rs",
    "retry.rs",
    "retry/tests.rs",
    "token.rs",
    "token_cache.rs",
    "token_request.rs",
    "url.rs",
    "vendor.rs",
    "vendor/okta.rs",
    "vendor/okta_oauth.rs",
    "vendor/okta_oauth/key.rs",
    "vendor/okta_oauth/tests.rs",
    "vendor/onelogin.rs",
    "vendor/onelogin_auth.rs",
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
        files.push(RenderedFile::whole(
            format!("src/runtime/{name}"),
            "runtime",
            (*text).to_owned(),
            FileKind::Verbatim {
                source: format!("templates/runtime/{name}"),
            },
        ));
    }
    for api in input.apis {
        files.extend(render_provider(
            api,
            &input.config.package.name.replace('-', "_"),
        )?);
    }
    files.push(RenderedFile::whole(
        "API.md".into(),
        "surface",
        format!(
            "<!-- @generated by mfa-codegen ({}); do not edit. -->\n{}",
            input.command,
            crate::surface::render(&input.config.package.name, input.apis)
        ),
        FileKind::Text,
    ));
    Ok(files)
}

fn render_err(template: &'static str) -> impl Fn(askama::Error) -> GenError {
    move |e| GenError::Render {
        template: template.to_owned(),
        message: e.to_string(),
    }
}

/// Cargo.toml: every value a TOML string or key written by the `toml` crate (the package
/// description can come from a spec file's name).
#[derive(Template)]
#[template(path = "cargo_toml.toml")]
struct CargoToml<'a> {
    command: &'a str,
    name: TomlStr,
    version: TomlStr,
    description: TomlStr,
    license: TomlStr,
    repository: Option<TomlStr>,
    /// Feature name as a key and as a string in `default`.
    providers: Vec<(TomlKey, TomlStr)>,
    standalone: bool,
    dev_dependencies: Vec<(TomlKey, TomlStr)>,
}

fn cargo_toml(input: &CrateInput<'_>) -> Result<RenderedFile, GenError> {
    let package = &input.config.package;
    let view = CargoToml {
        command: input.command,
        name: escape::toml_str(&package.name),
        version: escape::toml_str(&package.version),
        description: escape::toml_str(&package.description),
        license: escape::toml_str(&package.license),
        repository: package.repository.as_deref().map(escape::toml_str),
        providers: input
            .apis
            .iter()
            .map(|a| (escape::toml_key(&a.module), escape::toml_str(&a.module)))
            .collect(),
        standalone: input.standalone,
        dev_dependencies: input
            .config
            .dev_dependencies
            .iter()
            .map(|(name, value)| (escape::toml_key(name), escape::toml_inline(value)))
            .collect(),
    };
    Ok(RenderedFile::whole(
        "Cargo.toml".into(),
        "cargo_toml.toml",
        view.render().map_err(render_err("cargo_toml.toml"))?,
        FileKind::Text,
    ))
}

struct ProviderEntry<'a> {
    module: &'a str,
}

#[derive(Template)]
#[template(path = "lib.rs")]
struct LibRs<'a> {
    doc: Vec<DocLine>,
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
        doc: {
            // The guide is the project's own text: its code blocks stay doctests (vendor prose
            // goes through `doc_lines`, which turns bare fences into `text`).
            let mut lines = doc_lines("//!", &text);
            if !input.config.guide_text.trim().is_empty() {
                lines.push(escape::doc_line("//!", ""));
                lines.extend(
                    escape::prose_lines(input.config.guide_text.trim_end())
                        .iter()
                        .map(|line| escape::doc_line("//!", line)),
                );
            }
            lines
        },
        providers: input
            .apis
            .iter()
            .map(|a| ProviderEntry { module: &a.module })
            .collect(),
    };
    Ok(RenderedFile::whole(
        "src/lib.rs".into(),
        "lib.rs",
        view.render().map_err(render_err("lib.rs"))?,
        FileKind::Rust,
    ))
}

/// Doc comment lines (`/// text`) for prose, with bare code fences marked `text` so rustdoc
/// does not compile vendor JSON as Rust doctests.
/// Every line break (CR, CRLF, U+2028 ...) splits a line; other control and bidi characters
/// show as escapes (`escape::doc_line`).
pub fn doc_lines(prefix: &str, text: &str) -> Vec<DocLine> {
    let mut out = Vec::new();
    // the open fence (its character and length), so only a matching line closes it
    let mut fence: Option<(char, usize)> = None;
    // the column an open indented code block's lines start at (see below)
    let mut indented: Option<usize> = None;
    // Vendor prose continues list items and block quotes lazily (Okta: `* <x-lifecycle ..>`,
    // then the sentence on the next line, unindented; `> **Note:** ...` then a plain line).
    // Markdown reads such a line as part of the item or quote either way; saying so
    // explicitly (indent it, or repeat the `>`) keeps the rendering and is what clippy's
    // `doc_lazy_continuation` asks of doc comments.
    let mut list_item: Option<usize> = None; // content column of the open list item
    let mut quote: Option<usize> = None; // indentation of the open block quote
    let mut after_blank = false;
    for line in escape::prose_lines(text.trim()) {
        let line = line.trim_end();
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        // rustdoc compiles an indented code block as a Rust doctest too: vendor text in one
        // is fenced as `text` (it renders the same)
        if let Some(column) = indented {
            if line.is_empty() || indent >= column {
                out.push(escape::doc_line(prefix, line));
                continue;
            }
            out.push(escape::doc_line(
                prefix,
                &format!("{}```", " ".repeat(column - 4)),
            ));
            indented = None;
        }
        let base = match list_item {
            Some(width) if !(after_blank && indent < width) => width,
            _ => 0,
        };
        if fence.is_none() && quote.is_none() && after_blank && indent >= base + 4 {
            out.push(escape::doc_line(
                prefix,
                &format!("{}```text", " ".repeat(base)),
            ));
            out.push(escape::doc_line(prefix, line));
            indented = Some(base + 4);
            continue;
        }
        let line = if let Some((ch, len)) = fence_of(trimmed) {
            match fence {
                Some((open, open_len)) if open == ch && len >= open_len => {
                    fence = None;
                    trimmed.to_owned()
                }
                Some(_) => line.to_owned(),
                None => {
                    fence = Some((ch, len));
                    (list_item, quote) = (None, None);
                    if compiled_by_rustdoc(&trimmed[len..]) {
                        format!("{}text", &trimmed[..len])
                    } else {
                        trimmed.to_owned()
                    }
                }
            }
        } else if fence.is_some() {
            line.to_owned()
        } else if line.is_empty() {
            quote = None;
            line.to_owned()
        } else if trimmed.starts_with('>') {
            quote = Some(indent);
            quote_without_code(line)
        } else if let Some(quote_indent) = quote {
            format!("{}> {trimmed}", " ".repeat(quote_indent))
        } else if let Some(width) = list_marker_width(trimmed) {
            list_item = Some(indent + width);
            line.to_owned()
        } else {
            match list_item {
                // after a blank line, a less indented paragraph ends the list
                Some(width) if after_blank && indent < width => {
                    list_item = None;
                    line.to_owned()
                }
                Some(width) if indent < width => format!("{}{trimmed}", " ".repeat(width)),
                _ => line.to_owned(),
            }
        };
        after_blank = line.is_empty();
        out.push(escape::doc_line(prefix, &line));
    }
    if let Some(column) = indented {
        out.push(escape::doc_line(
            prefix,
            &format!("{}```", " ".repeat(column - 4)),
        ));
    }
    if let Some((ch, len)) = fence {
        out.push(escape::doc_line(prefix, &ch.to_string().repeat(len)));
    }
    out
}

/// The fence character and length when `line` opens or closes a Markdown code fence.
fn fence_of(line: &str) -> Option<(char, usize)> {
    let ch = line.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let len = line.chars().take_while(|&c| c == ch).count();
    (len >= 3).then_some((ch, len))
}

/// Whether rustdoc compiles a fenced block with this info string: when every word is one of
/// its attributes (an empty string included), e.g. ```` ```no_run ````; ```` ```json ```` is
/// not compiled.
fn compiled_by_rustdoc(info: &str) -> bool {
    info.split([',', ' ', '\t'])
        .map(|w| w.trim_matches(['{', '}', '.']))
        .filter(|w| !w.is_empty())
        .all(|w| {
            matches!(
                w,
                "rust"
                    | "no_run"
                    | "ignore"
                    | "should_panic"
                    | "compile_fail"
                    | "test_harness"
                    | "standalone_crate"
            ) || w.starts_with("edition")
                || w.starts_with("ignore-")
        })
}

/// A block quote line whose content is not indented enough to be a code block (which
/// rustdoc would compile): `>     x` becomes `> x`.
fn quote_without_code(line: &str) -> String {
    let markers = line
        .char_indices()
        .take_while(|(_, c)| *c == '>' || *c == ' ')
        .last()
        .map_or(0, |(at, c)| at + c.len_utf8());
    let (head, content) = line.split_at(markers);
    let spaces = head.len() - head.trim_end().len();
    if spaces > 4 && !content.is_empty() {
        format!("{} {content}", head.trim_end())
    } else {
        line.to_owned()
    }
}

/// The width of a Markdown list marker and its space at the start of `line` (`* `, `- `,
/// `+ `, `12. `), or `None` when the line is not a list item.
fn list_marker_width(line: &str) -> Option<usize> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let marker = if digits > 0 {
        line[digits..]
            .starts_with(['.', ')'])
            .then_some(digits + 1)?
    } else {
        line.starts_with(['*', '-', '+']).then_some(1)?
    };
    line[marker..].starts_with(' ').then_some(marker + 1)
}

fn render_provider(api: &Api, crate_ident: &str) -> Result<Vec<RenderedFile>, GenError> {
    let ops: Vec<OpView<'_>> = api
        .operations
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
        .collect();
    let module = &api.module;
    let mut files = Vec::new();

    let doc_text = format!(
        "{} API: a client with one method per operation, request builders and models.\n\nGenerated from the spec `{}` version {}.",
        api.title, api.spec_title, api.spec_version
    );
    let provider = ProviderMod {
        doc: doc_lines("//!", &doc_text),
        api,
        title: escape::doc_text(&api.title),
        example_base_url: escape::doc_text(
            api.runtime
                .example_base_url
                .as_deref()
                .unwrap_or("https://api.example.com"),
        ),
        profile: ProfileView::new(&api.runtime),
        ops: &ops,
    };
    files.push(RenderedFile::whole(
        format!("src/{module}/mod.rs"),
        "provider_mod.rs",
        provider.render().map_err(render_err("provider_mod.rs"))?,
        FileKind::Rust,
    ));
    files.push(mock::render_mock(api, crate_ident)?);
    for extension in &api.extensions {
        files.push(RenderedFile::whole(
            format!("src/{module}/{}.rs", extension.module),
            "extension",
            extension.source.clone(),
            FileKind::Verbatim {
                source: extension.origin.clone(),
            },
        ));
    }

    let mut items = Vec::new();
    for o in &ops {
        let view = OperationTemplate {
            op: o.op,
            path_doc: escape::doc_text(&format!("{} {}", o.op.http_method.as_str(), o.op.path)),
            operation_id: escape::rust_str(&o.op.operation_id),
            path: escape::rust_str(&o.op.path),
            params: o
                .op
                .params
                .iter()
                .map(|p| ParamView {
                    p,
                    wire: escape::rust_str(&p.wire_name),
                })
                .collect(),
            args: &o.args,
            optional: o.optional.iter().collect(),
            path_expr: path_expr(o.op),
        };
        items.push(view.render().map_err(render_err("operation.rs"))?);
    }
    let text = Builders { items: &items }
        .render()
        .map_err(render_err("builders.rs"))?;
    files.push(RenderedFile::rust_items(
        format!("src/{module}/builders.rs"),
        "builders.rs",
        text,
        &items,
    ));

    let mut items = Vec::new();
    for model in &api.models {
        items.push(render_model(model)?);
    }
    for op in &api.operations {
        if let SuccessShape::ByStatus(variants) = &op.success.shape {
            let view = StatusEnum {
                op,
                operation_id: escape::doc_code(&op.operation_id),
                variants: variants
                    .iter()
                    .map(|v| StatusView {
                        doc: escape::doc_text(&match &v.description {
                            Some(d) => format!("HTTP {}: {d}", v.status),
                            None => format!("HTTP {}", v.status),
                        }),
                        variant: &v.variant,
                        rust_type: &v.rust_type,
                    })
                    .collect(),
            };
            items.push(view.render().map_err(render_err("status_enum.rs"))?);
        }
    }
    let text = Models {
        title: escape::doc_text(&api.title),
        items: &items,
        helpers: api.helpers,
        bodies: typed_bodies(api),
    }
    .render()
    .map_err(render_err("models.rs"))?;
    files.push(RenderedFile::rust_items(
        format!("src/{module}/models.rs"),
        "models.rs",
        text,
        &items,
    ));
    Ok(files)
}

/// A wire value as an inline code span on one doc line.
fn code_span(value: &str) -> String {
    format!("`{}`", escape::one_line(value).replace('`', "'"))
}

#[derive(Template)]
#[template(path = "provider_mod.rs")]
struct ProviderMod<'a> {
    doc: Vec<DocLine>,
    api: &'a Api,
    title: DocText,
    example_base_url: DocText,
    profile: ProfileView,
    ops: &'a [OpView<'a>],
}

/// The runtime facts as Rust literals for the provider's `Profile` constant.
struct ProfileView {
    request_id_header: RustCode,
    user_agent_extended_header: RustCode,
    retry_for_header: RustCode,
    retry_count_header: RustCode,
    rate_limit: Option<RateLimitView>,
    error_format: &'static str,
}

struct RateLimitView {
    limit: RustStr,
    remaining: RustStr,
    reset: RustStr,
    clock: &'static str,
}

impl ProfileView {
    fn new(facts: &crate::config::RuntimeFacts) -> Self {
        let literal = |value: &Option<String>| {
            escape::code(match value {
                Some(text) => format!("Some({})", escape::rust_str_text(text)),
                None => "None".to_owned(),
            })
        };
        Self {
            request_id_header: literal(&facts.request_id_header),
            user_agent_extended_header: literal(&facts.user_agent_extended_header),
            retry_for_header: literal(&facts.retry_for_header),
            retry_count_header: literal(&facts.retry_count_header),
            rate_limit: facts.rate_limit.as_ref().map(|r| RateLimitView {
                limit: escape::rust_str(&r.limit),
                remaining: escape::rust_str(&r.remaining),
                reset: escape::rust_str(&r.reset),
                clock: r.reset_clock.variant(),
            }),
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
    doc: Vec<DocLine>,
    convert: String,
}

struct OpView<'a> {
    op: &'a Operation,
    doc: Vec<DocLine>,
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
                    pieces.push(format!(
                        "&crate::runtime::encode_path_segment(&self.{})?",
                        p.rust_name
                    ));
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
}

struct ParamView<'a> {
    p: &'a Param,
    /// The wire name as a string literal.
    wire: RustStr,
}

#[derive(Template)]
#[template(path = "builders.rs")]
struct Builders<'a> {
    items: &'a [String],
}

#[derive(Template)]
#[template(path = "models.rs")]
struct Models<'a> {
    title: DocText,
    items: &'a [String],
    helpers: crate::ir::Helpers,
    bodies: Vec<TypedBody<'a>>,
}

/// One typed JSON body of an operation: its request (`status` None) or a response.
struct TypedBody<'a> {
    operation_id: RustStr,
    status: Option<RustStr>,
    /// The type's name as a string literal.
    type_name: RustStr,
    rust_type: &'a str,
}

fn typed_bodies(api: &Api) -> Vec<TypedBody<'_>> {
    let mut out = Vec::new();
    for op in &api.operations {
        if let Some(body) = &op.body {
            out.push(TypedBody {
                operation_id: escape::rust_str(&op.operation_id),
                status: None,
                type_name: escape::rust_str(&body.rust_type),
                rust_type: &body.rust_type,
            });
        }
        for case in &op.responses {
            if let ResponseBody::Typed { rust_type, .. } = &case.body {
                out.push(TypedBody {
                    operation_id: escape::rust_str(&op.operation_id),
                    status: Some(escape::rust_str(&case.status)),
                    type_name: escape::rust_str(rust_type),
                    rust_type,
                });
            }
        }
    }
    out
}

struct StatusView<'a> {
    doc: DocText,
    variant: &'a str,
    rust_type: &'a str,
}

#[derive(Template)]
#[template(path = "status_enum.rs")]
struct StatusEnum<'a> {
    op: &'a Operation,
    operation_id: DocText,
    variants: Vec<StatusView<'a>>,
}

fn model_doc(model: &Model) -> Vec<DocLine> {
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
    doc: Vec<DocLine>,
    /// The wire name as a code span for docs and as a string literal.
    wire_doc: DocText,
    wire: RustStr,
    /// `Serialize` leaves the field out when it is `None`.
    skip_none: bool,
    /// The `runtime::Fields` method the `Deserialize` impl reads the field with.
    take: &'static str,
    setter: String,
    /// Normalize decided the discriminator preset expression; its literals are `{:?}`-escaped.
    init: RustCode,
    assign: String,
}

struct CtorArg {
    name: String,
    ty: String,
}

#[derive(Template)]
#[template(path = "model_struct.rs")]
struct StructTemplate<'a> {
    doc: Vec<DocLine>,
    name: &'a str,
    name_lit: RustStr,
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
            if f.presence == Presence::OptionalNullable {
                text.push_str(
                    "\n\n`None`: absent; `Some(None)`: an explicit `null` (kept on re-encode).",
                );
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
            let (skip_none, take) = presence_codec(f.presence);
            FieldView {
                field: f,
                doc: doc_lines("///", &text),
                wire_doc: escape::doc_code(&f.wire_name),
                wire: escape::rust_str(&f.wire_name),
                skip_none,
                take,
                setter: f.rust_name.clone(),
                init: escape::code(init),
                assign: f.store(&converted),
            }
        })
        .collect();
    StructTemplate {
        doc: model_doc(model),
        name: &model.rust_name,
        name_lit: escape::rust_str(&model.rust_name),
        s,
        fields,
        ctor_args,
    }
    .render()
    .map_err(render_err("model_struct.rs"))
}

/// How a field of each `Presence` is written (left out when `None`?) and read (the
/// `runtime::Fields` method); each keeps the semantics of the serde attributes it replaced
/// (`skip_serializing_if = "Option::is_none"`, `default`, `deserialize_with`).
fn presence_codec(presence: Presence) -> (bool, &'static str) {
    match presence {
        // absent: `None` if the type is an `Option`, else `missing field`
        Presence::Required => (false, "required"),
        // `None` is written as `null`; absent and `null` read as `None`
        Presence::RequiredNullable => (false, "optional"),
        Presence::Optional => (true, "optional"),
        // absent is `None`, a present `null` is `Some(None)` / `Some(Value::Null)`
        Presence::OptionalNullable | Presence::OptionalJson => (true, "present"),
    }
}

#[derive(Template)]
#[template(path = "model_enum.rs")]
struct EnumTemplate<'a> {
    doc: Vec<DocLine>,
    name: &'a str,
    e: &'a EnumModel,
    variants: Vec<VariantView<'a>>,
    is_string: bool,
    raw_type: &'static str,
}

struct VariantView<'a> {
    v: &'a EnumVariant,
    doc: DocText,
    /// The wire value as a Rust literal: a string, or an `i64`.
    value: RustCode,
}

fn render_enum(model: &Model, e: &EnumModel) -> Result<String, GenError> {
    let is_string = e.repr == EnumRepr::String;
    let variants = e
        .variants
        .iter()
        .map(|v| {
            let value = if is_string {
                escape::rust_str_text(&v.value)
            } else {
                // normalize only makes integer enums of integers; anything else is refused
                // here rather than printed as code
                v.value
                    .parse::<i64>()
                    .map(|n| n.to_string())
                    .map_err(|_| GenError::Render {
                        template: "model_enum.rs".to_owned(),
                        message: format!(
                            "{}: integer enum value {} is not an integer",
                            model.rust_name,
                            escape::rust_str_text(&v.value)
                        ),
                    })?
            };
            Ok(VariantView {
                v,
                doc: escape::doc_text(&code_span(&v.value)),
                value: escape::code(value),
            })
        })
        .collect::<Result<Vec<_>, GenError>>()?;
    EnumTemplate {
        doc: model_doc(model),
        name: &model.rust_name,
        e,
        variants,
        is_string,
        raw_type: if is_string { "String" } else { "i64" },
    }
    .render()
    .map_err(render_err("model_enum.rs"))
}

#[derive(Template)]
#[template(path = "model_union.rs")]
struct UnionTemplate<'a> {
    doc: Vec<DocLine>,
    name: &'a str,
    u: &'a UnionModel,
    /// The discriminator property as a code span for docs and as a string literal.
    property_doc: DocText,
    property: RustStr,
    variants: Vec<UnionVariantView<'a>>,
    from_impls: Vec<&'a UnionVariant>,
}

struct UnionVariantView<'a> {
    v: &'a UnionVariant,
    doc: DocText,
    /// The mapping keys as string literals.
    values: Vec<RustStr>,
}

fn render_union(model: &Model, u: &UnionModel) -> Result<String, GenError> {
    UnionTemplate {
        doc: model_doc(model),
        name: &model.rust_name,
        u,
        property_doc: escape::doc_code(&u.property),
        property: escape::rust_str(&u.property),
        variants: u
            .variants
            .iter()
            .map(|v| {
                let values: Vec<String> = v.values.iter().map(|x| code_span(x)).collect();
                UnionVariantView {
                    v,
                    doc: escape::doc_text(&format!(
                        "{} is {}.",
                        escape::md_code_span(&u.property),
                        values.join(" or ")
                    )),
                    values: v.values.iter().map(|x| escape::rust_str(x)).collect(),
                }
            })
            .collect(),
        from_impls: u.variants.iter().filter(|v| v.from_impl).collect(),
    }
    .render()
    .map_err(render_err("model_union.rs"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_found_in_order_past_lookalike_prefixes() {
        let long = format!("/// é{}\nstruct A;", "x".repeat(80));
        let decoy = format!("/// é{}\nstruct B;", "x".repeat(80));
        let text = format!("//! head\n{decoy}\n{long}\n{long}\ntail");
        let first = find_from(&text, &long, 0).unwrap();
        assert_eq!(&text[first..first + long.len()], long);
        assert!(first > text.find(&decoy).unwrap());
        let second = find_from(&text, &long, first + long.len()).unwrap();
        assert!(second > first);
        assert_eq!(find_from(&text, &long, second + 1), None);
        assert_eq!(find_from(&text, "", 3), Some(3));
        let file = RenderedFile::rust_items(
            "x.rs".into(),
            "t",
            text.clone(),
            &[
                decoy.clone(),
                long.clone(),
                long.clone(),
                "missing".into(),
                "tail".into(),
            ],
        );
        // stops at the first item it cannot place: later starts would be guesses
        assert_eq!(
            file.item_starts,
            vec![text.find(&decoy).unwrap(), first, second]
        );
    }

    #[test]
    fn lazy_list_continuations_are_indented() {
        let text = "Intro\n* <x-lifecycle class=\"oie\"></x-lifecycle>\nFor Custom TOTP enrollment.\n\nAfter the list.\n1. first\nmore\n   already indented\n- a\n- b\n```\n* not a list\ncode\n```\n  * item\n\n    second paragraph\nlazy\n> **Note:** quoted\nlazy quote\n\nplain";
        assert_eq!(
            doc_lines("///", text)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            [
                "/// Intro",
                "/// * <x-lifecycle class=\"oie\"></x-lifecycle>",
                "///   For Custom TOTP enrollment.",
                "///",
                "/// After the list.",
                "/// 1. first",
                "///    more",
                "///    already indented",
                "/// - a",
                "/// - b",
                "/// ```text",
                "/// * not a list",
                "/// code",
                "/// ```",
                "///   * item",
                "///",
                "///     second paragraph",
                "///     lazy",
                "/// > **Note:** quoted",
                "/// > lazy quote",
                "///",
                "/// plain",
            ]
        );
    }

    /// rustdoc compiles these as doctests; vendor text in them must not be
    #[test]
    fn vendor_code_blocks_are_never_doctests() {
        let text = "Intro\n\n    fn a() {}\n\n    fn b() {}\nafter\n```no_run\nfn c() {}\n```\n~~~rust,ignore\nfn d() {}\n~~~\n```json\n{}\n```\n> quote\n>\n>      fn e() {}\n\n~~~~\nopen";
        let lines: Vec<String> = doc_lines("///", text)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            lines,
            [
                "/// Intro",
                "///",
                "/// ```text",
                "///     fn a() {}",
                "///",
                "///     fn b() {}",
                "/// ```",
                "/// after",
                "/// ```text",
                "/// fn c() {}",
                "/// ```",
                "/// ~~~text",
                "/// fn d() {}",
                "/// ~~~",
                "/// ```json",
                "/// {}",
                "/// ```",
                "/// > quote",
                "/// >",
                "/// > fn e() {}",
                "///",
                "/// ~~~~text",
                "/// open",
                "/// ~~~~",
            ]
        );
    }

    #[test]
    fn list_markers() {
        assert_eq!(list_marker_width("* x"), Some(2));
        assert_eq!(list_marker_width("12. x"), Some(4));
        assert_eq!(list_marker_width("*emphasis*"), None);
        assert_eq!(list_marker_width("2026.04.0 release"), None);
        assert_eq!(list_marker_width("-"), None);
    }
}
