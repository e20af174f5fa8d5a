//! Operation parameters: `$ref`s resolved, path-level and operation-level lists merged
//! (operation wins on the same name and location), header parameters that are not user inputs
//! dropped per the provider config, and Rust names, types and wire encodings decided.

mod encoding;

use indexmap::IndexMap;
use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr, Schema};

use super::refs;
use super::schemas::Schemas;
use super::types;
use super::view::View;
use crate::config::ProviderConfig;
use crate::error::{pointer_push, GenError};
use crate::ir::{
    Param, ParamEncoding, ParamLocation, ParamStyle, PathPart, TypeRef, ValueKind, WarningKind,
};
use crate::load::LoadedSpec;
use crate::naming::{self, Scope};

pub struct ParamSource<'s> {
    pub param: &'s Parameter,
    pub pointer: String,
}

/// Merges path-item and operation parameter lists by (location, name); the operation's
/// definition replaces the path item's in place, so no parameter appears twice.
pub fn merge<'s>(
    spec: &'s LoadedSpec,
    path_level: &'s [ReferenceOr<Parameter>],
    path_pointer: &str,
    op_level: &'s [ReferenceOr<Parameter>],
    op_pointer: &str,
) -> Result<Vec<ParamSource<'s>>, GenError> {
    let mut merged: IndexMap<(String, String), ParamSource<'s>> = IndexMap::new();
    let lists = [(path_level, path_pointer), (op_level, op_pointer)];
    for (list, base) in lists {
        let base = pointer_push(base, "parameters");
        for (i, param) in list.iter().enumerate() {
            let (param, pointer) = refs::item(spec, param, &pointer_push(&base, &i.to_string()))?;
            let source = ParamSource { param, pointer };
            let data = source.param.parameter_data_ref();
            let key = (location_name(source.param).to_owned(), data.name.clone());
            merged.insert(key, source);
        }
    }
    Ok(merged.into_values().collect())
}

fn location_name(param: &Parameter) -> &'static str {
    match param {
        Parameter::Query { .. } => "query",
        Parameter::Path { .. } => "path",
        Parameter::Header { .. } => "header",
        Parameter::Cookie { .. } => "cookie",
    }
}

/// Turns merged sources into IR parameters ordered for the method signature (path parameters in
/// template order, then other required ones, then optional ones in spec order) plus the path
/// split into literal and parameter parts.
pub fn build<'s>(
    schemas: &mut Schemas<'s>,
    config: &ProviderConfig,
    sources: Vec<ParamSource<'s>>,
    path: &str,
    path_pointer: &str,
    operation_id: &str,
    builder_name: &str,
) -> Result<(Vec<Param>, Vec<PathPart>), GenError> {
    let mut names = Scope::with_reserved(naming::reserved(naming::ReservedIn::Builder));
    let mut params: Vec<Param> = Vec::new();
    for source in sources {
        let data = source.param.parameter_data_ref();
        if config.drops_param(operation_id, &data.name)
            && !matches!(source.param, Parameter::Path { .. })
        {
            continue;
        }
        let location = match source.param {
            Parameter::Path { .. } => ParamLocation::Path,
            Parameter::Query { .. } => ParamLocation::Query,
            Parameter::Header { .. } => {
                if config.ignores_header(&data.name) {
                    // OneLogin declares `Content-Type`, Okta `Cookie`: the body or the session
                    // decides them. Named, so a header that *is* an input is noticed.
                    schemas.warn(
                        WarningKind::IgnoredHeaderParameter,
                        &source.pointer,
                        format!(
                            "header parameter `{}` is not a caller input (headers.ignore in the provider config); skipped, `.header()` can still send it",
                            data.name
                        ),
                    );
                    continue;
                }
                ParamLocation::Header
            }
            Parameter::Cookie { .. } => ParamLocation::Cookie,
        };
        if let ParameterSchemaOrContent::Schema(schema) = &data.format {
            let at = pointer_push(&source.pointer, "schema");
            if let Some(shape) = object_shape(schemas.spec(), schema, &at)? {
                unsendable(schemas, &source.pointer, location, &data.name, shape)?;
                continue;
            }
        }
        let mut required = data.required;
        if location == ParamLocation::Path && !required {
            schemas.warn(
                WarningKind::PathParameterNotRequired,
                &source.pointer,
                format!(
                    "path parameter `{}` not marked required; treated as required",
                    data.name
                ),
            );
            required = true;
        }
        let hint = format!("{builder_name}{}", naming::upper_camel(&data.name));
        let ty = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                schemas.type_of(schema, &pointer_push(&source.pointer, "schema"), &hint)?
            }
            ParameterSchemaOrContent::Content(_) => {
                schemas.warn(
                    WarningKind::ParameterContent,
                    &source.pointer,
                    "parameter with `content` instead of `schema`: sent as JSON text",
                );
                TypeRef::Json
            }
        };
        let default = match &data.format {
            ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => {
                s.schema_data.default.as_ref().map(|d| d.to_string())
            }
            _ => None,
        };
        let Some(encoding) = encoding::decide(source.param, location, &ty, schemas) else {
            // what the schema check cannot see: a union or allOf whose value nests objects
            unsendable(
                schemas,
                &source.pointer,
                location,
                &data.name,
                "a structured value",
            )?;
            continue;
        };
        let rust_type = types::rust_type(&ty);
        let (arg_type, conversion) = types::argument(&ty, &rust_type);
        params.push(Param {
            wire_name: data.name.clone(),
            rust_name: names.claim(naming::snake(&data.name)),
            location,
            required,
            ty,
            rust_type,
            arg_type,
            conversion,
            description: data.description.clone(),
            default,
            encoding,
        });
    }

    let (parts, template_names) = split_path(path);
    for name in &template_names {
        let declared = params
            .iter()
            .any(|p| p.location == ParamLocation::Path && &p.wire_name == name);
        if !declared {
            schemas.warn(
                WarningKind::UndeclaredPathParameter,
                path_pointer,
                format!("path parameter `{{{name}}}` is not declared; added as a required string"),
            );
            let ty = TypeRef::String { format: None };
            let (arg_type, conversion) = types::argument(&ty, "String");
            params.push(Param {
                wire_name: name.clone(),
                rust_name: names.claim(naming::snake(name)),
                location: ParamLocation::Path,
                required: true,
                ty,
                rust_type: "String".to_owned(),
                arg_type,
                conversion,
                description: None,
                default: None,
                encoding: ParamEncoding {
                    style: ParamStyle::Simple,
                    explode: false,
                    kind: ValueKind::Scalar,
                    via_serde: false,
                    plain: true,
                },
            });
        }
    }
    params.retain(|p| {
        let orphan = p.location == ParamLocation::Path && !template_names.contains(&p.wire_name);
        !orphan
    });

    // signature order: path params as they appear in the template, then required, then optional
    let rank = |p: &Param| match p.location {
        ParamLocation::Path => template_names
            .iter()
            .position(|n| n == &p.wire_name)
            .unwrap_or(0),
        _ if p.required => template_names.len(),
        _ => template_names.len() + 1,
    };
    params.sort_by_key(rank); // stable: spec order within a rank

    let path_parts = parts
        .into_iter()
        .map(|part| match part {
            RawPart::Literal(text) => PathPart::Literal(text),
            RawPart::Param(name) => {
                let index = params
                    .iter()
                    .position(|p| p.location == ParamLocation::Path && p.wire_name == name)
                    .unwrap_or(0);
                PathPart::Param(index)
            }
        })
        .collect();
    Ok((params, path_parts))
}

/// What no parameter style can write, judged on the schema before any model is made for it
/// (a skipped parameter leaves no unused model behind): an array of objects.
fn object_shape<'s>(
    spec: &'s LoadedSpec,
    schema: &'s ReferenceOr<Schema>,
    pointer: &str,
) -> Result<Option<&'static str>, GenError> {
    let (schema, at) = refs::item(spec, schema, pointer)?;
    let view = View::of(schema);
    let item = match view.items.filter(|_| view.typ == Some("array")) {
        Some(ReferenceOr::Item(item)) => item.as_ref(),
        Some(ReferenceOr::Reference { reference }) => {
            refs::resolve::<Schema>(spec, reference, &pointer_push(&at, "items"))?.item
        }
        None => return Ok(None),
    };
    Ok(is_object(&View::of(item)).then_some("an array of objects"))
}

fn is_object(view: &View<'_>) -> bool {
    match view.typ {
        Some(typ) => typ == "object",
        None => view.properties.is_some() || view.additional.is_some(),
    }
}

/// A query, header or cookie parameter no style can encode is left out with a warning naming
/// the builder's escape hatch; a path parameter cannot be left out (the URL needs it) and has
/// no escape hatch, so it is an error.
fn unsendable(
    schemas: &mut Schemas<'_>,
    pointer: &str,
    location: ParamLocation,
    name: &str,
    shape: &str,
) -> Result<(), GenError> {
    let hatch = match location {
        ParamLocation::Header => ".header(name, value)",
        ParamLocation::Cookie => ".header(\"Cookie\", value)",
        ParamLocation::Query => ".query(name, value)",
        ParamLocation::Path => {
            return Err(GenError::spec(
                &schemas.spec().path,
                pointer,
                format!("path parameter `{name}` is {shape}, which no path style can write; only scalars, objects of scalars and lists of scalars can be path segments"),
            ))
        }
    };
    let kind = location.as_str();
    schemas.warn(
        WarningKind::ObjectParameter,
        pointer,
        format!(
            "{kind} parameter `{name}` is {shape}, which no {kind} style can write; \
             skipped, send it with the builder's `{hatch}`"
        ),
    );
    Ok(())
}

enum RawPart {
    Literal(String),
    Param(String),
}

fn split_path(path: &str) -> (Vec<RawPart>, Vec<String>) {
    let mut parts = Vec::new();
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        if open > 0 {
            parts.push(RawPart::Literal(rest[..open].to_owned()));
        }
        let name = rest[open + 1..open + close].to_owned();
        if !names.contains(&name) {
            names.push(name.clone());
        }
        parts.push(RawPart::Param(name));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        parts.push(RawPart::Literal(rest.to_owned()));
    }
    (parts, names)
}
