//! Provider and crate configuration, read from `specs/*.toml`.
//!
//! Everything that is specific to one vendor's spec (which operations, naming fix-ups, header
//! parameters that are not user inputs, runtime facts such as the request-id header) lives in these
//! files, so the generator itself stays vendor-neutral.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::GenError;
use crate::patch::Patch;

/// One provider: a spec file plus the decisions the generator needs to turn it into a module.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    pub provider: ProviderSection,
    #[serde(default)]
    pub select: Select,
    #[serde(default)]
    pub naming: Naming,
    #[serde(default)]
    pub headers: Headers,
    #[serde(default)]
    pub runtime: RuntimeFacts,
    #[serde(default)]
    pub params: Params,
    #[serde(default)]
    pub pagination: Pagination,
    #[serde(default)]
    pub auth: AuthDocs,
    /// Cargo features per tag (`[features]`): off unless the config turns them on.
    #[serde(default)]
    pub features: TagFeatures,
    /// Hand-written modules added to the provider module: module name -> Rust file, relative to
    /// the config file (helpers built on the generated calls, such as push polling).
    #[serde(default)]
    pub extensions: BTreeMap<String, PathBuf>,
    /// Spec-vs-wire corrections, applied in order to the loaded spec before normalize
    /// (`[[patch]]` tables; see [`crate::patch`]).
    #[serde(default, rename = "patch")]
    pub patches: Vec<Patch>,
    /// The upstream release(s) the project spec is a slice of (see [`Upstream`]).
    #[serde(default)]
    pub upstream: Upstream,
    /// `--strict`: a patch whose target is absent, an unknown keyword (`requried:`) or an
    /// unknown `type` is an error instead of a warning.
    #[serde(skip)]
    pub strict: bool,
    /// Directory the config was read from; relative spec paths resolve against it.
    #[serde(skip)]
    pub base_dir: PathBuf,
    /// The config file itself, for errors about its settings (empty when built in code).
    #[serde(skip)]
    pub source: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderSection {
    /// Human name used in docs ("Okta").
    pub title: String,
    /// Rust module name and Cargo feature name ("okta").
    pub module: String,
    /// Spec file, relative to the config file.
    pub spec: PathBuf,
}

/// Which operations to generate. Empty `tags` and `operations` means every operation.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Select {
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub operations: Vec<String>,
}

/// One Cargo feature per tag of the selected operations, so a crate generated for a whole API
/// lets each dependent compile only the tags it uses (`okta-user-factor`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagFeatures {
    /// Gate each operation (its builder, mock and error types) on its tags' features, and
    /// each model on the features of the operations that reach it.
    #[serde(default)]
    pub per_tag: bool,
    /// Feature `<module>-<group>` for several tags at once (group name -> tags); a tag in no
    /// group gets its own feature.
    #[serde(default)]
    pub groups: BTreeMap<String, Vec<String>>,
}

/// The upstream files the project spec was cut from. Generating any of them with this config
/// must give the same public API as the project spec (types, variants, fields, methods,
/// signatures): the fidelity check of `cargo xtask conformance` and `generator/tests/fidelity.rs`,
/// which keeps the hand-made slice honest.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Upstream {
    /// Paths relative to the shared upstream spec folder (`../shared/upstream-specs/`).
    #[serde(default)]
    pub same_api_as: Vec<PathBuf>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Naming {
    /// operationId -> Rust method name, for ids that snake-case badly (`generateMFAtoken`).
    #[serde(default)]
    pub operations: BTreeMap<String, String>,
    /// schema name (or the JSON pointer of an inline schema) -> Rust type name.
    #[serde(default)]
    pub types: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Headers {
    /// Header parameters the spec declares but that are not user inputs (the body or the auth
    /// decides them). Compared case-insensitively.
    #[serde(default)]
    pub ignore: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// operationId -> parameter names the spec attaches to it by mistake (e.g. query parameters
    /// inherited from the path item that the operation does not read).
    #[serde(default)]
    pub drop: BTreeMap<String, Vec<String>>,
}

/// How the spec's security schemes map onto the generated crate's `Auth`, for operation docs.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthDocs {
    /// securityScheme name -> how a caller provides it, as Markdown
    /// (`apiToken = "an API token (`Auth::ssws`)"`). Schemes not listed are shown by name.
    #[serde(default)]
    pub schemes: BTreeMap<String, String>,
}

/// Facts about the vendor's HTTP behaviour that the hand-written runtime needs.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuntimeFacts {
    /// Auth helpers (`<module>::auth`) from the spec's `securitySchemes` and the default base
    /// URL from its `servers`. On unless the config turns it off: a vendor with hand-written
    /// constructors in the runtime (Okta's SSWS and private-key JWT, OneLogin's grant) keeps
    /// those instead.
    #[serde(default = "on")]
    pub from_spec: bool,
    /// The provider's callers use Okta's private_key_jwt/DPoP grant: the crate gets the
    /// `okta-oauth` feature (on by default).
    #[serde(default)]
    pub okta_oauth: bool,
    /// Header carrying the vendor's request id.
    #[serde(default)]
    pub request_id_header: Option<String>,
    /// Default base URL shown in docs (never used as a default at runtime).
    #[serde(default)]
    pub example_base_url: Option<String>,
    /// Shape of the vendor's error bodies.
    #[serde(default)]
    pub error_format: ErrorFormat,
    /// Whose environment variable names `Client::from_env()` reads (`okta`, `onelogin`); no
    /// `from_env` without it.
    #[serde(default)]
    pub env: Option<EnvVendor>,
    /// Header that carries the SDK's identity when a call forwards an end user's `User-Agent`.
    #[serde(default)]
    pub user_agent_extended_header: Option<String>,
    /// Header naming the first attempt's request id on a retry.
    #[serde(default)]
    pub retry_for_header: Option<String>,
    /// Header carrying the retry number on a retry.
    #[serde(default)]
    pub retry_count_header: Option<String>,
    #[serde(default)]
    pub rate_limit: Option<RateLimitFacts>,
}

fn on() -> bool {
    true
}

impl Default for RuntimeFacts {
    fn default() -> Self {
        Self {
            from_spec: true,
            okta_oauth: false,
            request_id_header: None,
            example_base_url: None,
            error_format: ErrorFormat::default(),
            env: None,
            user_agent_extended_header: None,
            retry_for_header: None,
            retry_count_header: None,
            rate_limit: None,
        }
    }
}

/// A vendor whose SDKs' environment variable names `from_env` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum EnvVendor {
    #[serde(rename = "okta")]
    Okta,
    #[serde(rename = "onelogin")]
    OneLogin,
}

impl EnvVendor {
    /// The runtime's `EnvVendor` variant.
    pub fn variant(self) -> &'static str {
        match self {
            Self::Okta => "Okta",
            Self::OneLogin => "OneLogin",
        }
    }
}

/// How the runtime parses a vendor's error bodies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorFormat {
    Okta,
    #[serde(rename = "onelogin")]
    OneLogin,
    #[default]
    Unparsed,
}

/// The vendor's rate-limit headers.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitFacts {
    pub limit: String,
    pub remaining: String,
    pub reset: String,
    pub reset_clock: ResetClock,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResetClock {
    /// Unix time of the reset.
    EpochSeconds,
    /// Seconds until the reset.
    DeltaSeconds,
}

impl ResetClock {
    /// The runtime's variant name.
    pub fn variant(self) -> &'static str {
        match self {
            Self::EpochSeconds => "EpochSeconds",
            Self::DeltaSeconds => "DeltaSeconds",
        }
    }
}

impl ErrorFormat {
    /// The runtime's variant name.
    pub fn variant(self) -> &'static str {
        match self {
            Self::Okta => "Okta",
            Self::OneLogin => "OneLogin",
            Self::Unparsed => "Unparsed",
        }
    }
}

/// Operations whose results come in pages.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pagination {
    /// operationIds paginated with `Link: <url>; rel="next"` headers; each must answer a JSON
    /// array.
    #[serde(default)]
    pub link_next: Vec<String>,
}

impl ProviderConfig {
    pub fn load(path: &Path) -> Result<Self, GenError> {
        let text = std::fs::read_to_string(path).map_err(|e| GenError::io(path, e))?;
        let table: toml::Table =
            toml::from_str(&text).map_err(|e| GenError::config(path, e.to_string()))?;
        let mut config: ProviderConfig = if table.contains_key("extends") {
            let merged = extended(path, table, 0)?;
            toml::Value::Table(merged)
                .try_into()
                .map_err(|e: toml::de::Error| GenError::config(path, e.to_string()))?
        } else {
            // straight from the text, so an error points at its line
            toml::from_str(&text).map_err(|e| GenError::config(path, e.to_string()))?
        };
        config.base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        config.source = path.to_path_buf();
        config.validate(path)?;
        let root = project_root(path)?;
        for (name, file) in &config.extensions {
            confined(path, &root, &format!("extensions.{name}"), file)?;
        }
        Ok(config)
    }

    /// Every operation of `spec`, module named after the file: for trying a new spec without
    /// writing a config first.
    pub fn everything(spec: &Path) -> Self {
        let stem = spec
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "api".to_owned());
        let module = crate::naming::snake(&stem).replace("r#", "");
        let module = if module.starts_with(|c: char| c.is_ascii_lowercase()) {
            module
        } else {
            format!("api_{module}")
        };
        Self {
            provider: ProviderSection {
                title: stem,
                module,
                spec: spec.to_owned(),
            },
            select: Select::default(),
            naming: Naming::default(),
            headers: Headers {
                ignore: vec![
                    "Content-Type".into(),
                    "Accept".into(),
                    "Authorization".into(),
                ],
            },
            runtime: RuntimeFacts::default(),
            params: Params::default(),
            pagination: Pagination::default(),
            auth: AuthDocs::default(),
            features: TagFeatures::default(),
            extensions: BTreeMap::new(),
            patches: Vec::new(),
            upstream: Upstream::default(),
            strict: false,
            base_dir: PathBuf::new(),
            source: PathBuf::new(),
        }
    }

    pub fn spec_path(&self) -> PathBuf {
        self.base_dir.join(&self.provider.spec)
    }

    fn validate(&self, path: &Path) -> Result<(), GenError> {
        let module = &self.provider.module;
        let valid = !module.is_empty()
            && module.starts_with(|c: char| c.is_ascii_lowercase())
            && module
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(GenError::config(
                path,
                format!("provider.module `{module}` must be a lowercase Rust identifier"),
            ));
        }
        for name in self.extensions.keys() {
            if !crate::naming::is_snake_ident(name) {
                return Err(GenError::config(
                    path,
                    format!("extension module `{name}` is not a snake_case identifier"),
                ));
            }
        }
        for patch in &self.patches {
            patch
                .validate()
                .map_err(|message| GenError::config(path, message))?;
        }
        let mut names: Vec<&str> = self.patches.iter().map(|p| p.name.as_str()).collect();
        names.sort_unstable();
        if let Some(pair) = names.windows(2).find(|w| w[0] == w[1]) {
            return Err(GenError::config(
                path,
                format!("two patches are named `{}`", pair[0]),
            ));
        }
        for (op, name) in &self.naming.operations {
            if crate::naming::is_snake_ident(name) {
                continue;
            }
            return Err(GenError::config(
                path,
                format!("naming.operations.{op} = `{name}` is not a snake_case identifier"),
            ));
        }
        Ok(())
    }

    pub fn drops_param(&self, operation_id: &str, name: &str) -> bool {
        self.params
            .drop
            .get(operation_id)
            .is_some_and(|names| names.iter().any(|n| n == name))
    }

    pub fn ignores_header(&self, name: &str) -> bool {
        self.headers
            .ignore
            .iter()
            .any(|h| h.eq_ignore_ascii_case(name))
    }
}

/// The generated crate as a whole: package metadata plus the providers it contains.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrateConfig {
    pub package: PackageSection,
    /// Provider config files, relative to this file, in module order.
    pub providers: Vec<PathBuf>,
    /// Dev-dependencies of the generated crate (its hand-written tests and examples need them),
    /// copied verbatim into the generated `Cargo.toml`.
    #[serde(default, rename = "dev-dependencies")]
    pub dev_dependencies: toml::Table,
    /// A hand-written Markdown guide (relative to this file) that becomes the crate-level
    /// rustdoc after the generated overview; its code blocks are doctests.
    #[serde(default)]
    pub guide: Option<PathBuf>,
    /// The guide's text, read by [`CrateConfig::load`].
    #[serde(skip)]
    pub guide_text: String,
    #[serde(skip)]
    pub base_dir: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageSection {
    pub name: String,
    pub version: String,
    pub description: String,
    pub license: String,
    #[serde(default)]
    pub repository: Option<String>,
    /// The oldest Rust the crate builds with; `xtask/tests/rust_version.rs` checks
    /// it against every dependency's own `rust-version`. Absent: no `rust-version` line.
    #[serde(default, rename = "rust-version")]
    pub rust_version: Option<String>,
    /// Whether `cargo publish` may upload the crate (default: no).
    #[serde(default)]
    pub publish: bool,
    /// Registry page metadata, each written only when set.
    #[serde(default)]
    pub documentation: Option<String>,
    #[serde(default)]
    pub homepage: Option<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub categories: Vec<String>,
}

impl CrateConfig {
    pub fn load(path: &Path) -> Result<Self, GenError> {
        let text = std::fs::read_to_string(path).map_err(|e| GenError::io(path, e))?;
        let mut config: CrateConfig =
            toml::from_str(&text).map_err(|e| GenError::config(path, e.to_string()))?;
        config.base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let root = project_root(path)?;
        for (i, provider) in config.providers.iter().enumerate() {
            confined(path, &root, &format!("providers[{i}]"), provider)?;
        }
        if let Some(guide) = &config.guide {
            let guide = confined(path, &root, "guide", guide)?;
            config.guide_text =
                std::fs::read_to_string(&guide).map_err(|e| GenError::io(&guide, e))?;
        }
        Ok(config)
    }

    /// A crate holding one provider, for `xtask generate --spec ... --out DIR`.
    pub fn standalone(provider: &ProviderConfig) -> Self {
        Self {
            package: PackageSection {
                name: format!("{}-client", provider.provider.module.replace('_', "-")),
                version: "0.1.0".to_owned(),
                description: format!("{} API client", provider.provider.title),
                license: "Apache-2.0".to_owned(),
                repository: None,
                rust_version: None,
                publish: false,
                documentation: None,
                homepage: None,
                keywords: Vec::new(),
                categories: Vec::new(),
            },
            providers: Vec::new(),
            dev_dependencies: toml::Table::new(),
            guide: None,
            guide_text: String::new(),
            base_dir: PathBuf::new(),
        }
    }

    pub fn provider_paths(&self) -> Vec<PathBuf> {
        self.providers
            .iter()
            .map(|p| self.base_dir.join(p))
            .collect()
    }
}

/// The folder a config's file paths must stay inside: the nearest folder, from the config's own
/// upwards, that holds `.git` or a `Cargo.toml` with a `[workspace]` table (so the project's
/// configs may share `templates/` next to `specs/`), else the config's own folder.
pub fn project_root(config: &Path) -> Result<PathBuf, GenError> {
    let config = std::fs::canonicalize(config).map_err(|e| GenError::io(config, e))?;
    let own = config.parent().map(Path::to_path_buf).unwrap_or_default();
    let found = own.ancestors().find(|dir| {
        std::fs::symlink_metadata(dir.join(".git")).is_ok()
            || std::fs::read_to_string(dir.join("Cargo.toml"))
                .ok()
                .and_then(|text| text.parse::<toml::Table>().ok())
                .is_some_and(|manifest| manifest.contains_key("workspace"))
    });
    Ok(found.map(Path::to_path_buf).unwrap_or(own))
}

/// `extends = "okta.toml"`: that config (relative to this one) with this one's keys on top;
/// tables merge key by key, any other value replaces (so `[select] tags = []` selects every
/// operation). Lets a config for the whole spec reuse the slice's runtime facts, naming and
/// wire patches instead of copying them. Both files must sit in one folder: relative paths in
/// either resolve against the file that is loaded.
fn extended(path: &Path, mut table: toml::Table, depth: usize) -> Result<toml::Table, GenError> {
    let Some(base) = table.remove("extends") else {
        return Ok(table);
    };
    let Some(base) = base.as_str().map(Path::new) else {
        return Err(GenError::config(path, "`extends` must be a file name"));
    };
    if depth > 4 || base.components().count() != 1 {
        return Err(GenError::config(
            path,
            format!(
                "extends = `{}`: a config in the same folder, at most 4 deep",
                base.display()
            ),
        ));
    }
    let base_path = path.parent().unwrap_or_else(|| Path::new("")).join(base);
    let text = std::fs::read_to_string(&base_path).map_err(|e| GenError::io(&base_path, e))?;
    let parsed: toml::Table =
        toml::from_str(&text).map_err(|e| GenError::config(&base_path, e.to_string()))?;
    let mut merged = extended(&base_path, parsed, depth + 1)?;
    merge(&mut merged, table);
    Ok(merged)
}

fn merge(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(inner)), toml::Value::Table(value)) => merge(inner, value),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// Resolves `value` of the config key `key` (relative to the config file at `config`) through
/// every `..` and symlink, and refuses a result outside `root`, so a config cannot pull files
/// from elsewhere on the machine into the generated crate.
pub fn confined(config: &Path, root: &Path, key: &str, value: &Path) -> Result<PathBuf, GenError> {
    let base = config.parent().unwrap_or_else(|| Path::new(""));
    let joined = base.join(value);
    let resolved = std::fs::canonicalize(&joined)
        .map_err(|e| GenError::config(config, format!("{key} = `{}`: {e}", value.display())))?;
    if resolved.starts_with(root) {
        Ok(resolved)
    } else {
        Err(GenError::config(
            config,
            format!(
                "{key} = `{}` resolves to {}, outside the project root {}",
                value.display(),
                resolved.display(),
                root.display()
            ),
        ))
    }
}
