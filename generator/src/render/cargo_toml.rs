//! The generated crate's `Cargo.toml`.

use askama::Template;

use super::escape::{self, TomlKey, TomlStr};
use super::{render_err, CrateInput, FileKind, RenderedFile};
use crate::error::GenError;
use crate::ir::Api;

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
    rust_version: Option<TomlStr>,
    documentation: Option<TomlStr>,
    homepage: Option<TomlStr>,
    keywords: Vec<TomlStr>,
    categories: Vec<TomlStr>,
    publish: bool,
    providers: Vec<ProviderFeatures>,
    standalone: bool,
    /// Some provider's config asks for Okta's private-key JWT grant (feature `okta-oauth`).
    okta_oauth: bool,
    dev_dependencies: Vec<(TomlKey, TomlStr)>,
}

/// A provider's features: its module, and with per-tag features one per tag plus the switch
/// for all of them (what `default` turns on).
struct ProviderFeatures {
    key: TomlKey,
    /// The module feature as a string (what each tag feature turns on).
    name: TomlStr,
    all_key: TomlKey,
    default: TomlStr,
    tags: Vec<TagView>,
}

struct TagView {
    key: TomlKey,
    name: TomlStr,
    /// `tags: UserFactor (20 operations)`, one TOML comment line.
    comment: String,
}

fn provider_features(api: &Api) -> ProviderFeatures {
    let all = crate::normalize::features::all_feature(&api.module);
    let gated = !api.tag_features.is_empty();
    ProviderFeatures {
        key: escape::toml_key(&api.module),
        name: escape::toml_str(&api.module),
        all_key: escape::toml_key(&all),
        default: escape::toml_str(if gated { &all } else { &api.module }),
        tags: api
            .tag_features
            .iter()
            .map(|t| TagView {
                key: escape::toml_key(&t.name),
                name: escape::toml_str(&t.name),
                // spec text in a TOML comment: one line, visible characters
                comment: escape::one_line(&format!(
                    "tags: {} ({} operations)",
                    t.tags.join(", "),
                    t.operations
                )),
            })
            .collect(),
    }
}

pub(super) fn cargo_toml(input: &CrateInput<'_>) -> Result<RenderedFile, GenError> {
    let package = &input.config.package;
    let view = CargoToml {
        command: input.command,
        name: escape::toml_str(&package.name),
        version: escape::toml_str(&package.version),
        description: escape::toml_str(&package.description),
        license: escape::toml_str(&package.license),
        repository: package.repository.as_deref().map(escape::toml_str),
        rust_version: package.rust_version.as_deref().map(escape::toml_str),
        documentation: package.documentation.as_deref().map(escape::toml_str),
        homepage: package.homepage.as_deref().map(escape::toml_str),
        keywords: package
            .keywords
            .iter()
            .map(|k| escape::toml_str(k))
            .collect(),
        categories: package
            .categories
            .iter()
            .map(|c| escape::toml_str(c))
            .collect(),
        publish: package.publish,
        providers: input.apis.iter().map(provider_features).collect(),
        standalone: input.standalone,
        okta_oauth: input.apis.iter().any(|a| a.runtime.okta_oauth),
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
