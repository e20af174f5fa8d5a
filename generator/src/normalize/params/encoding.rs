//! How a parameter goes on the wire: its `style` and `explode` (the spec's, or the location's
//! OpenAPI 3.0 default), the shape of its value, and whether the value is sent through serde.
//! Styles a location does not allow never get here: the loader removes them with a warning.

use openapiv3::{CookieStyle, HeaderStyle, Parameter, PathStyle, QueryStyle};

use super::super::schemas::Schemas;
use crate::ir::{ModelKind, ParamEncoding, ParamLocation, ParamStyle, TypeRef, ValueKind};

/// The encoding of `param` typed `ty`, or `None` when no style can write the value (an array
/// of objects, a `null`).
pub(super) fn decide(
    param: &Parameter,
    location: ParamLocation,
    ty: &TypeRef,
    schemas: &Schemas<'_>,
) -> Option<ParamEncoding> {
    let style = match param {
        Parameter::Query { style, .. } => match style {
            QueryStyle::Form => ParamStyle::Form,
            QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
            QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
            QueryStyle::DeepObject => ParamStyle::DeepObject,
        },
        Parameter::Path { style, .. } => match style {
            PathStyle::Simple => ParamStyle::Simple,
            PathStyle::Label => ParamStyle::Label,
            PathStyle::Matrix => ParamStyle::Matrix,
        },
        Parameter::Header {
            style: HeaderStyle::Simple,
            ..
        } => ParamStyle::Simple,
        Parameter::Cookie {
            style: CookieStyle::Form,
            ..
        } => ParamStyle::Form,
    };
    // OpenAPI 3.0: `explode` defaults to true for `form`, false for every other style
    let explode = param
        .parameter_data_ref()
        .explode
        .unwrap_or(style == ParamStyle::Form);
    let (kind, via_serde) = value_kind(ty, schemas)?;
    // the plain calls cover scalars and lists in the default style, except a list in a path:
    // `encode_path_segment` would encode the commas `simple` writes between items
    let plain = (style, explode) == location.default_style()
        && !via_serde
        && match location {
            ParamLocation::Query | ParamLocation::Header => kind != ValueKind::Object,
            ParamLocation::Path => kind == ValueKind::Scalar,
            ParamLocation::Cookie => false,
        };
    Some(ParamEncoding {
        style,
        explode,
        kind,
        via_serde,
        plain,
    })
}

/// The value's shape and whether it needs serde; `None` when no style writes it.
fn value_kind(ty: &TypeRef, schemas: &Schemas<'_>) -> Option<(ValueKind, bool)> {
    Some(match ty {
        TypeRef::Bool
        | TypeRef::Integer { .. }
        | TypeRef::Number { .. }
        | TypeRef::String { .. }
        | TypeRef::Json => (ValueKind::Scalar, false),
        TypeRef::Null => return None,
        TypeRef::Model(name) => match schemas.model_kind(name)? {
            ModelKind::Enum(_) => (ValueKind::Scalar, false),
            // takes its member's shape at run time
            ModelKind::Untagged(_) => (ValueKind::Scalar, true),
            ModelKind::Struct(_) | ModelKind::Union(_) => (ValueKind::Object, true),
        },
        TypeRef::Array(item) | TypeRef::OneOrMany(item) => {
            let (item_kind, item_serde) = value_kind(item, schemas)?;
            if item_kind != ValueKind::Scalar {
                return None;
            }
            let serde = item_serde || matches!(ty, TypeRef::OneOrMany(_));
            (ValueKind::List, serde)
        }
        TypeRef::Map(value) => {
            let (value_kind, _) = value_kind(value, schemas)?;
            if value_kind != ValueKind::Scalar {
                return None;
            }
            (ValueKind::Object, true)
        }
    })
}
