//! The generator's one error type. Every variant names the file, and spec errors name the JSON
//! pointer of the offending node, so a maintainer can jump straight to it.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub enum GenError {
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    Config {
        path: PathBuf,
        message: String,
    },
    /// The file is a kind of document the generator does not read (Swagger 2.0, OpenAPI 3.1).
    Unsupported {
        path: PathBuf,
        message: String,
    },
    /// The file is not valid YAML/JSON at all.
    Syntax {
        path: PathBuf,
        message: String,
    },
    /// A node of the spec is invalid or unsupported.
    Spec {
        path: PathBuf,
        pointer: String,
        message: String,
    },
    /// Writing the output would touch something that is not the generator's (a hand-written
    /// file, a symlink, the workspace's own sources); nothing was written.
    Output {
        path: PathBuf,
        message: String,
    },
    /// The generator produced text that is not valid Rust (a template bug).
    Render {
        template: String,
        message: String,
    },
}

impl GenError {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.to_owned(),
            source,
        }
    }

    pub fn config(path: &Path, message: impl Into<String>) -> Self {
        Self::Config {
            path: path.to_owned(),
            message: message.into(),
        }
    }

    pub fn spec(path: &Path, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Spec {
            path: path.to_owned(),
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for GenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // messages quote spec text and file names: one line, whatever they hold
        let line = |text: &str| crate::render::escape::visible(text);
        match self {
            Self::Io { path, source } => {
                write!(f, "{}: {source}", line(&path.display().to_string()))
            }
            Self::Config { path, message } => {
                write!(
                    f,
                    "{}: {}",
                    line(&path.display().to_string()),
                    line(message)
                )
            }
            Self::Syntax { path, message }
            | Self::Unsupported { path, message }
            | Self::Output { path, message } => {
                write!(
                    f,
                    "{}: {}",
                    line(&path.display().to_string()),
                    line(message)
                )
            }
            Self::Spec {
                path,
                pointer,
                message,
            } => {
                let pointer = if pointer.is_empty() { "/" } else { pointer };
                write!(
                    f,
                    "{}: at {}: {}",
                    line(&path.display().to_string()),
                    line(pointer),
                    line(message)
                )
            }
            Self::Render { template, message } => {
                write!(f, "template {template} rendered invalid Rust: {message}")
            }
        }
    }
}

impl std::error::Error for GenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` (RFC 6901).
pub fn pointer_push(pointer: &str, token: &str) -> String {
    let escaped = token.replace('~', "~0").replace('/', "~1");
    format!("{pointer}/{escaped}")
}

/// A spec construct the generator handled in a way worth telling the maintainer about.
/// Sorted by pointer, then message, so output order never depends on discovery order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    pub pointer: String,
    pub message: String,
    /// Which construct it was and what it cost, so reports can count warnings by construct
    /// instead of parsing messages.
    pub kind: WarningKind,
}

/// Every construct the generator warns about, one variant each. [`WarningKind::effect`] says
/// whether anything was lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WarningKind {
    // --- typed as serde_json::Value: the spec's type information is not in the Rust type ---
    /// `oneOf`/`anyOf` of non-object members and no discriminator.
    UntypedUnion,
    /// A property declared with different types by different `oneOf` members.
    ConflictingMemberTypes,
    /// `type: array` without `items`.
    ArrayWithoutItems,
    /// An enum whose values have different JSON types.
    MixedEnum,
    /// A `type` OpenAPI 3.0 does not define.
    UnknownType,
    /// A parameter described by `content` instead of `schema`.
    ParameterContent,
    /// A schema that contains itself through arrays, maps or single-member `allOf`/`oneOf`,
    /// with no object (struct) to break the cycle.
    RecursiveAlias,
    /// Any other position typed as `serde_json::Value`: a schema with no type (`{}`), a
    /// free-form object, a body without a schema. The message says why.
    Untyped,
    // --- not generated ---
    /// A request body whose media types are all non-JSON (form, multipart, binary).
    NonJsonBody,
    /// A discriminator mapping to a schema that is not an object.
    MappingToNonObject,
    /// A query, header or cookie parameter whose value is an array of objects: no OpenAPI style
    /// writes one; the builder's `.query()` / `.header()` send it.
    ObjectParameter,
    /// A security scheme with no generated auth helper (openIdConnect, OAuth 2.0 flows other
    /// than clientCredentials, HTTP schemes other than basic and bearer).
    UnsupportedSecurityScheme,
    /// `servers[0]` is relative or uses an undefined variable: no default base URL.
    ServerNotDefault,
    /// A member of an untagged `oneOf`/`anyOf` that no JSON value would reach (an earlier or
    /// more specific member takes every kind it accepts).
    ShadowedUnionMember,
    // --- the spec contradicts itself or OpenAPI; corrected without loss ---
    /// The same enum value listed twice.
    DuplicateEnumValue,
    /// `format` holding prose instead of a format name.
    ProseFormat,
    /// `type: string` with keywords of another type (`items`, `properties`,
    /// `additionalProperties`).
    StringWithForeignKeywords,
    /// `required` naming a property that `properties` does not define.
    RequiredNotInProperties,
    /// A path parameter without `required: true`.
    PathParameterNotRequired,
    /// A `{name}` in the path template with no parameter declared for it.
    UndeclaredPathParameter,
    /// A header parameter the provider config says is not a caller input (`Content-Type`).
    IgnoredHeaderParameter,
    /// A parameter `style` its location does not allow (`deepObject` on a path): the
    /// location's default style is used.
    ParameterStyle,
    /// A boolean `enum` (`[true]`): typed as `bool`, the constraint not enforced.
    BooleanEnum,
    /// A JSON media type with a typo (`applcation/json`).
    MediaTypeTypo,
    /// An operation without `operationId`.
    MissingOperationId,
    /// A JSON Schema `type` list (`[string, 'null']`) or `type: 'null'` in a Swagger 2.0 or
    /// OpenAPI 3.0 document: `null` read as `nullable`, several types as a `oneOf`.
    TypeList,
    /// `required: true` on a property schema (JSON Schema draft 3): read as the object's
    /// `required` list.
    BooleanRequired,
    /// `openapi: 3.0` written as a number instead of a version string.
    NumericVersion,
    // --- input versions read as OpenAPI 3.0 ---
    /// A construct of the input version that the OpenAPI 3.0 model cannot hold: a Swagger 2.0
    /// `tsv` collection or per-operation `schemes`, an OpenAPI 3.1 `webhooks` section or
    /// `if`/`then`/`else`; dropped or approximated by its nearest OpenAPI 3.0 form.
    Conversion,
    // --- provider config ---
    /// A wire patch of the provider config that did not apply.
    PatchNotApplied,
    /// A hand-written extension of the provider config that imports a type the spec does not
    /// generate, left out.
    ExtensionLeftOut,
    /// A tag named in `[features.groups]` that no selected operation has.
    FeatureTagUnused,
    // --- probably a typo in the spec ---
    /// A key a schema, parameter or operation object does not define (`requried:`), ignored;
    /// an error under `--strict`.
    UnknownKeyword,
}

/// What a warning cost the generated code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WarningEffect {
    /// The value is typed as `serde_json::Value` where the spec says more: decoding still
    /// keeps every byte, but the type information is lost.
    JsonFallback,
    /// Part of the spec is not generated (the caller uses the `.header()`/raw escape hatches).
    Skipped,
    /// A spec bug corrected; nothing lost.
    Corrected,
    /// The input version (Swagger 2.0, OpenAPI 3.1) said more than its OpenAPI 3.0 conversion
    /// can; the nearest form is kept or the construct dropped.
    Converted,
    /// About the provider config, not the spec.
    Config,
}

impl WarningKind {
    pub fn effect(self) -> WarningEffect {
        use WarningKind::*;
        match self {
            UntypedUnion
            | ConflictingMemberTypes
            | ArrayWithoutItems
            | MixedEnum
            | UnknownType
            | ParameterContent
            | RecursiveAlias
            | Untyped => WarningEffect::JsonFallback,
            NonJsonBody
            | MappingToNonObject
            | ObjectParameter
            | ShadowedUnionMember
            | UnknownKeyword
            | UnsupportedSecurityScheme
            | ServerNotDefault => WarningEffect::Skipped,
            DuplicateEnumValue
            | ProseFormat
            | StringWithForeignKeywords
            | RequiredNotInProperties
            | PathParameterNotRequired
            | UndeclaredPathParameter
            | IgnoredHeaderParameter
            | ParameterStyle
            | BooleanEnum
            | MediaTypeTypo
            | MissingOperationId
            | TypeList
            | BooleanRequired
            | NumericVersion => WarningEffect::Corrected,
            Conversion => WarningEffect::Converted,
            PatchNotApplied | ExtensionLeftOut | FeatureTagUnused => WarningEffect::Config,
        }
    }

    /// A short name of the construct, for report tables.
    pub fn label(self) -> &'static str {
        use WarningKind::*;
        match self {
            UntypedUnion => "oneOf/anyOf of non-objects, no discriminator",
            ConflictingMemberTypes => "property typed differently across oneOf members",
            ArrayWithoutItems => "array without items",
            MixedEnum => "enum of mixed JSON types",
            UnknownType => "unknown type",
            ParameterContent => "parameter with content",
            RecursiveAlias => "schema containing itself with no object between",
            Untyped => "untyped (no type, free-form object, no schema)",
            ShadowedUnionMember => "union member no value reaches",
            UnsupportedSecurityScheme => "security scheme without an auth helper",
            ServerNotDefault => "server URL not usable as the default base URL",
            NonJsonBody => "non-JSON request body",
            MappingToNonObject => "discriminator mapping to a non-object",
            ObjectParameter => "parameter that is an array of objects",
            DuplicateEnumValue => "duplicate enum value",
            ProseFormat => "prose in format",
            StringWithForeignKeywords => "type: string with items/properties",
            RequiredNotInProperties => "required name missing from properties",
            PathParameterNotRequired => "path parameter not required",
            UndeclaredPathParameter => "undeclared path parameter",
            IgnoredHeaderParameter => "header parameter that is not an input",
            ParameterStyle => "parameter style its location does not allow",
            BooleanEnum => "boolean enum",
            MediaTypeTypo => "JSON media type typo",
            MissingOperationId => "missing operationId",
            TypeList => "JSON Schema type list in a 2.0/3.0 document",
            BooleanRequired => "boolean required on a property",
            NumericVersion => "openapi version written as a number",
            Conversion => "input version construct without an OpenAPI 3.0 form",
            PatchNotApplied => "wire patch not applied",
            ExtensionLeftOut => "extension left out: its types are missing",
            FeatureTagUnused => "feature group names an unused tag",
            UnknownKeyword => "unknown keyword (a typo?)",
        }
    }
}

impl WarningEffect {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::JsonFallback => "typed as serde_json::Value",
            Self::Skipped => "not generated",
            Self::Corrected => "spec bug corrected",
            Self::Converted => "approximated converting to OpenAPI 3.0",
            Self::Config => "provider config",
        }
    }
}
