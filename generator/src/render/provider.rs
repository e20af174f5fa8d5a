//! One provider module: `mod.rs` (the client), then its builders, models, mock and
//! hand-written extensions.

use askama::Template;

// DEFAULT_BASE_URL, server_url and the `auth` helpers of a provider without vendor auth
mod spec_runtime;

use super::doc_lines::doc_lines;
use super::escape::{self, DocLine, DocText, RustCode, RustStr};
use super::operations::{self, OpView};
use super::{mock, models, render_err, FileKind, RenderedFile};
use crate::error::GenError;
use crate::ir::Api;
use spec_runtime::SpecRuntimeView;

pub(super) fn render_provider(api: &Api, crate_ident: &str) -> Result<Vec<RenderedFile>, GenError> {
    let ops = operations::op_views(api, crate_ident);
    let module = &api.module;
    let mut files = Vec::new();

    let doc_text = format!(
        "{} API: a client with one method per operation, request builders and models.\n\nGenerated from the spec `{}` version {}.\n\nAvailable with the `{}` feature.",
        api.title, api.spec_title, api.spec_version, module
    );
    let spec_server = api.spec_runtime.as_ref().and_then(|r| r.server.as_ref());
    let provider = ProviderMod {
        doc: doc_lines("//!", &doc_text),
        api,
        title: escape::doc_text(&api.title),
        example_base_url: escape::doc_text(
            api.runtime
                .example_base_url
                .as_deref()
                .or(spec_server.map(|s| s.default_url.as_str()))
                .unwrap_or("https://api.example.com"),
        ),
        profile: ProfileView::new(&api.runtime),
        spec_runtime: api.spec_runtime.as_ref().map(SpecRuntimeView::new),
        ops: &ops,
        extensions: api
            .extensions
            .iter()
            .map(|ext| ExtensionView {
                ext,
                cfg: super::gates::cfg_all(&ext.gates),
            })
            .collect(),
        gated: !api.tag_features.is_empty(),
        // builders and extensions reach the client core through `core()`; a spec with no
        // operations (only webhooks or schemas) and no extension has no caller of it
        core_used: !ops.is_empty() || !api.extensions.is_empty(),
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

    files.extend(operations::builders_file(api, &ops)?);
    files.extend(models::models_file(api)?);
    Ok(files)
}

#[derive(Template)]
#[template(path = "provider_mod.rs")]
struct ProviderMod<'a> {
    doc: Vec<DocLine>,
    api: &'a Api,
    title: DocText,
    example_base_url: DocText,
    profile: ProfileView,
    spec_runtime: Option<SpecRuntimeView>,
    ops: &'a [OpView<'a>],
    extensions: Vec<ExtensionView<'a>>,
    /// Operations sit behind per-tag features.
    gated: bool,
    core_used: bool,
}

/// A hand-written module and the features it needs.
struct ExtensionView<'a> {
    ext: &'a crate::ir::Extension,
    cfg: RustCode,
}

/// The runtime facts as Rust literals for the provider's `Profile` constant.
struct ProfileView {
    request_id_header: RustCode,
    user_agent_extended_header: RustCode,
    retry_for_header: RustCode,
    retry_count_header: RustCode,
    rate_limit: Option<RateLimitView>,
    error_format: &'static str,
    /// The runtime's `EnvVendor` variant `from_env` reads, if the config names one.
    env: Option<&'static str>,
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
            env: facts.env.map(|v| v.variant()),
        }
    }
}
