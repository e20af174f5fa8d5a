//! The OpenAPI parameter styles: pure functions from (style, explode, [`Shape`]) to what goes
//! on the wire for each location.
//!
//! Values (and object keys, and names) are always percent-encoded for their location; only
//! the delimiters a style defines are written literally: `,` `|` `=` `&` in a query, `.` `;`
//! `,` `=` in a path segment, `; ` between cookie pairs. So a value can never add a query pair,
//! a path segment, a cookie or a header line.
//!
//! `deepObject` keys are written `name[key]` with literal brackets, as in the specification's
//! examples and as the parsers that define the style read them (Rails, PHP, `qs`). The URL
//! parser keeps `[` and `]` in a query unchanged, so the bytes sent are the bytes shown; a
//! bracket inside the name or key is percent-encoded, so it cannot open a second level.
//!
//! Where the specification leaves a combination undefined (a scalar or a list under
//! `deepObject`, a scalar under `spaceDelimited` / `pipeDelimited`, an exploded
//! `spaceDelimited` / `pipeDelimited` list), the value is sent in the `form` style with the
//! same `explode`, which is what servers read for those shapes.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::{ParamError, Shape};

/// `style` of an OpenAPI parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
    Simple,
    Label,
    Matrix,
}

/// RFC 3986 unreserved characters stay; everything else is percent-encoded. Used for query
/// names and values, path segment values and cookie values.
pub(crate) const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

pub(crate) fn encode(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}

fn encoded_list(items: &[String]) -> Vec<String> {
    items.iter().map(|item| encode(item)).collect()
}

/// `k1,v1,k2,v2` (not exploded) or `k1=v1<sep>k2=v2` (exploded), entries encoded.
fn encoded_entries(entries: &[(String, String)], explode: bool, sep: &str) -> String {
    let pieces: Vec<String> = if explode {
        entries
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect()
    } else {
        entries
            .iter()
            .flat_map(|(k, v)| [encode(k), encode(v)])
            .collect()
    };
    pieces.join(if explode { sep } else { "," })
}

/// Query pairs, name and value already percent-encoded, in order.
pub fn query_pairs(
    name: &str,
    style: Style,
    explode: bool,
    shape: &Shape,
) -> Result<Vec<(String, String)>, ParamError> {
    let key = encode(name);
    let delimiter = match style {
        Style::SpaceDelimited => "%20",
        Style::PipeDelimited => "|",
        _ => ",",
    };
    Ok(match (style, shape) {
        (Style::Simple | Style::Label | Style::Matrix, _) => {
            return Err(ParamError(format!(
                "style {style:?} is not a query style (parameter `{name}`)"
            )))
        }
        (_, Shape::Scalar(value)) => vec![(key, encode(value))],
        (Style::DeepObject, Shape::Object(entries)) => entries
            .iter()
            .map(|(k, v)| (format!("{key}[{}]", encode(k)), encode(v)))
            .collect(),
        (_, Shape::List(items)) if explode || style == Style::DeepObject => encoded_list(items)
            .into_iter()
            .map(|v| (key.clone(), v))
            .collect(),
        (_, Shape::List(items)) => vec![(key, encoded_list(items).join(delimiter))],
        (_, Shape::Object(entries)) if explode => entries
            .iter()
            .map(|(k, v)| (encode(k), encode(v)))
            .collect(),
        (_, Shape::Object(entries)) => {
            let flat: Vec<String> = entries
                .iter()
                .flat_map(|(k, v)| [encode(k), encode(v)])
                .collect();
            vec![(key, flat.join(delimiter))]
        }
    })
}

/// One path segment, percent-encoded (`simple`, `label` or `matrix`). An empty segment or a
/// dot segment is refused: URL parsers resolve them and the request would reach another
/// resource.
pub fn path_segment(
    name: &str,
    style: Style,
    explode: bool,
    shape: &Shape,
) -> Result<String, ParamError> {
    let name = encode(name);
    let segment = match (style, shape) {
        (Style::Simple, Shape::Scalar(v)) => encode(v),
        (Style::Simple, Shape::List(items)) => encoded_list(items).join(","),
        (Style::Simple, Shape::Object(entries)) => encoded_entries(entries, explode, ","),
        (Style::Label, Shape::Scalar(v)) => format!(".{}", encode(v)),
        // OpenAPI 3.0.3's table: `.` between items and between keys and values unexploded
        (Style::Label, Shape::List(items)) => format!(".{}", encoded_list(items).join(".")),
        (Style::Label, Shape::Object(entries)) if explode => {
            format!(".{}", encoded_entries(entries, true, "."))
        }
        (Style::Label, Shape::Object(entries)) => {
            format!(
                ".{}",
                encoded_entries(entries, false, ",").replace(',', ".")
            )
        }
        (Style::Matrix, Shape::Scalar(v)) if v.is_empty() => format!(";{name}"),
        (Style::Matrix, Shape::Scalar(v)) => format!(";{name}={}", encode(v)),
        (Style::Matrix, Shape::List(items)) if explode => encoded_list(items)
            .iter()
            .map(|v| format!(";{name}={v}"))
            .collect(),
        (Style::Matrix, Shape::List(items)) => {
            format!(";{name}={}", encoded_list(items).join(","))
        }
        (Style::Matrix, Shape::Object(entries)) if explode => {
            format!(";{}", encoded_entries(entries, true, ";"))
        }
        (Style::Matrix, Shape::Object(entries)) => {
            format!(";{name}={}", encoded_entries(entries, false, ","))
        }
        _ => {
            return Err(ParamError(format!(
                "style {style:?} is not a path style (parameter `{name}`)"
            )))
        }
    };
    if segment.is_empty() || segment == "." || segment == ".." {
        return Err(ParamError(format!(
            "path parameter `{name}` is empty or a dot segment"
        )));
    }
    Ok(segment)
}

/// A header value (`simple` style). Values are not percent-encoded (headers carry text);
/// the runtime still refuses control and non-ASCII characters before sending.
pub fn header_value(style: Style, explode: bool, shape: &Shape) -> Result<String, ParamError> {
    if style != Style::Simple {
        return Err(ParamError(format!("style {style:?} is not a header style")));
    }
    Ok(match shape {
        Shape::Scalar(v) => v.clone(),
        Shape::List(items) => items.join(","),
        Shape::Object(entries) if explode => entries
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(","),
        Shape::Object(entries) => entries
            .iter()
            .flat_map(|(k, v)| [k.as_str(), v.as_str()])
            .collect::<Vec<_>>()
            .join(","),
    })
}

/// `name=value` cookie pairs (`form` style), names and values percent-encoded, to be joined
/// with `; ` into the one `Cookie` header.
pub fn cookie_pairs(
    name: &str,
    style: Style,
    explode: bool,
    shape: &Shape,
) -> Result<Vec<String>, ParamError> {
    if style != Style::Form {
        return Err(ParamError(format!(
            "style {style:?} is not a cookie style (parameter `{name}`)"
        )));
    }
    Ok(query_pairs(name, Style::Form, explode, shape)?
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect())
}

#[cfg(test)]
mod tests;
