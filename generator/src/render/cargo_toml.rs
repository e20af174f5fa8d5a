//! The generated crate's `Cargo.toml`.

use askama::Template;

use super::escape::{self, TomlKey, TomlStr};
use super::{render_err, CrateInput, FileKind, RenderedFile};
use crate::error::GenError;

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
    /// Feature name as a key and as a string in `default`.
    providers: Vec<(TomlKey, TomlStr)>,
    standalone: bool,
    /// Some provider's config asks for Okta's private-key JWT grant (feature `okta-oauth`).
    okta_oauth: bool,
    dev_dependencies: Vec<(TomlKey, TomlStr)>,
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
        providers: input
            .apis
            .iter()
            .map(|a| (escape::toml_key(&a.module), escape::toml_str(&a.module)))
            .collect(),
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
