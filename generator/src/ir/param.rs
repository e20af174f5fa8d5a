//! Operation parameters in the IR: where each goes and how it is written there.

use super::{Conversion, TypeRef};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

impl ParamLocation {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Path => "path",
            Self::Query => "query",
            Self::Header => "header",
            Self::Cookie => "cookie",
        }
    }

    /// The OpenAPI 3.0 default `style` and `explode` of this location.
    pub fn default_style(self) -> (ParamStyle, bool) {
        match self {
            Self::Query | Self::Cookie => (ParamStyle::Form, true),
            Self::Path | Self::Header => (ParamStyle::Simple, false),
        }
    }
}

/// The OpenAPI `style` of a parameter: how its value is written for its location. Mirrors
/// the runtime's `Style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
    Simple,
    Label,
    Matrix,
}

impl ParamStyle {
    /// The runtime's `Style` variant.
    pub fn variant(self) -> &'static str {
        match self {
            Self::Form => "Form",
            Self::SpaceDelimited => "SpaceDelimited",
            Self::PipeDelimited => "PipeDelimited",
            Self::DeepObject => "DeepObject",
            Self::Simple => "Simple",
            Self::Label => "Label",
            Self::Matrix => "Matrix",
        }
    }

    /// The name the spec uses (`spaceDelimited`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Form => "form",
            Self::SpaceDelimited => "spaceDelimited",
            Self::PipeDelimited => "pipeDelimited",
            Self::DeepObject => "deepObject",
            Self::Simple => "simple",
            Self::Label => "label",
            Self::Matrix => "matrix",
        }
    }
}

/// What a parameter's value is, for its serialisation: one scalar, a list of scalars, or an
/// object of scalars (a struct model or a map). A union takes the shape of its member at run
/// time; it is `Scalar` here when its members are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    Scalar,
    List,
    Object,
}

/// How a parameter goes on the wire, decided once in normalize.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamEncoding {
    pub style: ParamStyle,
    pub explode: bool,
    pub kind: ValueKind,
    /// The value is sent through its `Serialize` impl (`runtime::Serialized`): struct models,
    /// maps, unions and `OneOrMany`. Scalars, enums and lists of them implement `ParamValue`.
    pub via_serde: bool,
    /// The location's default style for a value the runtime's plain calls cover
    /// (`request.query(..)`, `encode_path_segment(..)`): no style arguments are written.
    pub plain: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Name on the wire (`X-Forwarded-For`, `userId`).
    pub wire_name: String,
    /// Rust identifier (`x_forwarded_for`, `user_id`), raw-escaped when a keyword.
    pub rust_name: String,
    pub location: ParamLocation,
    /// Required parameters are positional arguments of the client method.
    pub required: bool,
    pub ty: TypeRef,
    /// Type of the stored value (`String`, `i64`, a model name).
    pub rust_type: String,
    /// Type accepted by the setter / positional argument (`impl Into<String>` for strings).
    pub arg_type: String,
    /// How the argument becomes the stored value.
    pub conversion: Conversion,
    pub description: Option<String>,
    /// Spec default, for docs only (the server applies it).
    pub default: Option<String>,
    pub encoding: ParamEncoding,
}
