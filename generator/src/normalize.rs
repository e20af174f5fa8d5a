//! Step 2 of the pipeline: OpenAPI -> IR. Every naming and typing decision is made here, once.

mod discriminators;
mod errors;
// Cargo features per tag: which feature compiles which operation and model
pub mod features;
mod params;
mod refs;
mod schemas;
mod security;
mod servers;
mod shared_fields;
pub mod types;
mod view;

use openapiv3::{Operation as SpecOperation, PathItem, ReferenceOr, RequestBody, StatusCode};

use crate::config::ProviderConfig;
use crate::error::{pointer_push, GenError};
use crate::ir::{
    Api, Body, HttpMethod, Operation, Pagination, ResponseBody, ResponseCase, SecurityRequirement,
    SpecRuntime, StatusVariant, Success, SuccessShape, TypeRef, WarningKind,
};
use crate::load::LoadedSpec;
use crate::naming::{self, Scope};
use schemas::Schemas;

/// Type names a provider module cannot give to a schema: its own `Client`, and the prelude
/// names generated code uses unqualified. Runtime types are always referred to by full path,
/// so a spec schema named `Error` keeps its name.
const RESERVED_TYPES: &[&str] = &[
    "Client", "Result", "Option", "Some", "None", "Ok", "Err", "Vec", "String", "Box", "Default",
    "From",
];

pub fn normalize(spec: &LoadedSpec, config: &ProviderConfig) -> Result<Api, GenError> {
    let selected = select_operations(spec, config)?;
    let mut type_names = Scope::with_reserved(RESERVED_TYPES);
    let mut method_names = Scope::with_reserved(naming::reserved(naming::ReservedIn::Client));
    // Method and builder names first: they come from operationIds (stable across spec
    // versions), and the builder follows the method so a rename fixes both
    // (`generate_mfa_token` -> `GenerateMfaToken`, not `GenerateMfAtoken`).
    let names: Vec<(String, String)> = selected
        .iter()
        .map(|sel| {
            let method = config
                .naming
                .operations
                .get(&sel.operation_id)
                .cloned()
                .unwrap_or_else(|| naming::snake(&sel.operation_id));
            let method = method_names.claim(method);
            let builder = type_names.claim(naming::upper_camel(method.trim_start_matches("r#")));
            (method, builder)
        })
        .collect();
    let mut schemas = Schemas::new(spec, config, type_names);
    let mut operations = Vec::with_capacity(selected.len());
    for (sel, (method_name, builder_name)) in selected.iter().zip(names) {
        operations.push(build_operation(
            spec,
            &mut schemas,
            config,
            sel,
            method_name,
            builder_name,
        )?);
    }
    mark_refused_security(&mut operations);
    let (mut models, mut warnings, _) = schemas.into_parts();
    let spec_runtime = match config.runtime.from_spec {
        true => Some(SpecRuntime {
            auth: security::auth_options(
                spec,
                &operations
                    .iter()
                    .flat_map(|o| &o.security)
                    .collect::<Vec<_>>(),
                &mut warnings,
            )?,
            server: servers::default_server(spec, &mut warnings),
            errors: errors::error_bodies(&operations),
        }),
        false => None,
    };
    if let Some(runtime) = &spec_runtime {
        security::document_usage(&mut operations, &runtime.auth);
    }
    warnings.extend(spec.warnings.iter().cloned());
    let mut helpers = types::finalize(&mut models);
    // a helper type a parameter, body or response uses is emitted too, not only a model's
    helpers.one_or_many |= operations.iter().any(types::operation_uses_one_or_many);
    discriminators::fill_defaults(&mut models);
    shared_fields::fill(&mut models);
    models.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
    warnings.sort();
    // one warning per construct, except an untyped fallback: that is one per position in the
    // API (a `$ref` to an untyped schema used by three fields is three `Value`s), so the
    // count of untyped warnings is the count of untyped positions
    warnings.dedup_by(|a, b| a == b && a.kind.effect() != crate::ir::WarningEffect::JsonFallback);
    let mut api = Api {
        title: config.provider.title.clone(),
        module: config.provider.module.clone(),
        spec_title: spec.api.info.title.clone(),
        spec_version: spec.api.info.version.clone(),
        runtime: config.runtime.clone(),
        extensions: Vec::new(),
        operations,
        models,
        warnings,
        helpers,
        spec_runtime,
        tag_features: Vec::new(),
    };
    features::gate(&mut api, &config.features, &config.source)?;
    Ok(api)
}

struct Selected<'s> {
    path: &'s str,
    path_pointer: String,
    item: &'s PathItem,
    method: HttpMethod,
    op: &'s SpecOperation,
    op_pointer: String,
    operation_id: String,
}

fn select_operations<'s>(
    spec: &'s LoadedSpec,
    config: &ProviderConfig,
) -> Result<Vec<Selected<'s>>, GenError> {
    let select = &config.select;
    let mut out = Vec::new();
    for (path, item) in &spec.api.paths.paths {
        let path_pointer = pointer_push("/paths", path);
        let ReferenceOr::Item(item) = item else {
            return Err(GenError::spec(
                &spec.path,
                &path_pointer,
                "a $ref'd path item is not supported",
            ));
        };
        for (method, op) in item.iter() {
            let op_pointer = pointer_push(&path_pointer, method);
            let operation_id = match &op.operation_id {
                Some(id) => id.clone(),
                None => {
                    // a stable fallback so whole-spec generation still works; named in a warning
                    format!("{method}_{}", path.replace(['{', '}'], ""))
                }
            };
            let everything = select.tags.is_empty() && select.operations.is_empty();
            let wanted = everything
                || select.operations.contains(&operation_id)
                || op.tags.iter().any(|t| select.tags.contains(t));
            if !wanted {
                continue;
            }
            out.push(Selected {
                path,
                path_pointer: path_pointer.clone(),
                item,
                method: parse_method(method),
                op,
                op_pointer,
                operation_id,
            });
        }
    }
    for wanted in &select.operations {
        if !out.iter().any(|s| &s.operation_id == wanted) {
            return Err(GenError::config(
                &config.base_dir.join("(provider config)"),
                format!(
                    "select.operations names `{wanted}`, which {} does not define",
                    spec.path.display()
                ),
            ));
        }
    }
    for tag in &select.tags {
        if !out.iter().any(|s| s.op.tags.contains(tag)) {
            return Err(GenError::config(
                &config.base_dir.join("(provider config)"),
                format!(
                    "select.tags names `{tag}`, but no operation of {} has it",
                    spec.path.display()
                ),
            ));
        }
    }
    Ok(out)
}

fn parse_method(method: &str) -> HttpMethod {
    match method {
        "put" => HttpMethod::Put,
        "post" => HttpMethod::Post,
        "delete" => HttpMethod::Delete,
        "options" => HttpMethod::Options,
        "head" => HttpMethod::Head,
        "patch" => HttpMethod::Patch,
        "trace" => HttpMethod::Trace,
        _ => HttpMethod::Get,
    }
}

fn build_operation<'s>(
    spec: &'s LoadedSpec,
    schemas: &mut Schemas<'s>,
    config: &ProviderConfig,
    sel: &Selected<'s>,
    method_name: String,
    builder_name: String,
) -> Result<Operation, GenError> {
    if sel.op.operation_id.is_none() {
        schemas.warn(
            WarningKind::MissingOperationId,
            &sel.op_pointer,
            format!("operation has no operationId; named `{}`", sel.operation_id),
        );
    }
    let sources = params::merge(
        spec,
        &sel.item.parameters,
        &sel.path_pointer,
        &sel.op.parameters,
        &sel.op_pointer,
    )?;
    let (params, path_parts) = params::build(
        schemas,
        config,
        sources,
        sel.path,
        &sel.path_pointer,
        &sel.operation_id,
        &builder_name,
    )?;
    let body = match &sel.op.request_body {
        Some(body) => build_body(
            spec,
            schemas,
            body,
            &pointer_push(&sel.op_pointer, "requestBody"),
            &builder_name,
        )?,
        None => None,
    };
    let responses = build_responses(spec, schemas, sel, &builder_name)?;
    let success = success_of(&responses, &builder_name, schemas);
    let pagination = if config.pagination.link_next.contains(&sel.operation_id) {
        Some(link_pagination(&responses, sel, &spec.path)?)
    } else {
        None
    };
    let usage = |scheme: &str| config.auth.schemes.get(scheme).cloned();
    let security: Vec<SecurityRequirement> = sel
        .op
        .security
        .as_ref()
        .or(spec.api.security.as_ref())
        .map(|reqs| {
            reqs.iter()
                .flat_map(|req| {
                    req.iter().map(|(scheme, scopes)| SecurityRequirement {
                        scheme: scheme.clone(),
                        scopes: scopes.clone(),
                        usage: usage(scheme),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Operation {
        operation_id: sel.operation_id.clone(),
        method_name,
        builder_name,
        http_method: sel.method,
        path: sel.path.to_owned(),
        path_parts,
        summary: sel.op.summary.clone(),
        description: sel.op.description.clone(),
        deprecated: sel.op.deprecated,
        tags: sel.op.tags.clone(),
        params,
        body,
        responses,
        success,
        pagination,
        security,
        // filled in by `mark_refused_security`, which sees every operation
        refused_security: Vec::new(),
        // decided by `features::gate`, which sees every operation and model
        gate: Default::default(),
    })
}

/// Records, per operation, the schemes other operations of the API accept but it does not (an
/// API token only, no OAuth 2.0): the docs say so, since a caller configured for OAuth would
/// otherwise only learn it from a 401/403. Schemes no selected operation uses (OneLogin's
/// `basicAuth`, for its token endpoint) are not mentioned; an operation without requirements
/// refuses nothing.
fn mark_refused_security(operations: &mut [Operation]) {
    let mut used: Vec<SecurityRequirement> = Vec::new();
    for requirement in operations.iter().flat_map(|op| &op.security) {
        if !used.iter().any(|u| u.scheme == requirement.scheme) {
            used.push(SecurityRequirement {
                scopes: Vec::new(),
                ..requirement.clone()
            });
        }
    }
    for op in operations.iter_mut().filter(|op| !op.security.is_empty()) {
        op.refused_security = used
            .iter()
            .filter(|u| !op.security.iter().any(|s| s.scheme == u.scheme))
            .cloned()
            .collect();
    }
}

/// A `link_next` operation pages through a JSON array: its items are what the stream yields.
fn link_pagination(
    responses: &[ResponseCase],
    sel: &Selected<'_>,
    spec_path: &std::path::Path,
) -> Result<Pagination, GenError> {
    let item = responses.iter().find_map(|r| match &r.body {
        ResponseBody::Typed {
            ty: TypeRef::Array(item),
            ..
        } if r.status.starts_with('2') => Some(types::rust_type(item)),
        _ => None,
    });
    match item {
        Some(item_type) => Ok(Pagination { item_type }),
        None => Err(GenError::spec(
            spec_path,
            &sel.op_pointer,
            format!(
                "pagination.link_next lists `{}`, but its success body is not a JSON array",
                sel.operation_id
            ),
        )),
    }
}

fn is_json(media: &str) -> bool {
    let media = media.to_ascii_lowercase();
    media.contains("json")
}

fn build_body<'s>(
    spec: &'s LoadedSpec,
    schemas: &mut Schemas<'s>,
    body: &'s ReferenceOr<RequestBody>,
    pointer: &str,
    builder_name: &str,
) -> Result<Option<Body>, GenError> {
    let (body, pointer) = refs::item(spec, body, pointer)?;
    let content_pointer = pointer_push(&pointer, "content");
    let Some((media, entry)) = body.content.iter().find(|(m, _)| is_json(m)) else {
        if let Some((media, _)) = body.content.first() {
            schemas.warn(
                WarningKind::NonJsonBody,
                &content_pointer,
                format!("request body media type `{media}` is not supported yet; body omitted"),
            );
        }
        return Ok(None);
    };
    if !media.eq_ignore_ascii_case("application/json")
        && !media.to_ascii_lowercase().ends_with("+json")
    {
        schemas.warn(WarningKind::MediaTypeTypo, &content_pointer, format!("request media type `{media}` looks like a typo of application/json; sent as application/json"));
    }
    let ty = match &entry.schema {
        Some(schema) => {
            let at = pointer_push(&pointer_push(&content_pointer, media), "schema");
            schemas.type_of(schema, &at, &format!("{builder_name}Request"))?
        }
        None => {
            schemas.warn(
                WarningKind::Untyped,
                &pointer_push(&content_pointer, media),
                "request body without a schema: typed as serde_json::Value",
            );
            TypeRef::Json
        }
    };
    let rust_type = types::rust_type(&ty);
    let (arg_type, conversion) = types::body_argument(&ty, &rust_type);
    Ok(Some(Body {
        rust_type,
        arg_type,
        conversion,
        ty,
        required: body.required,
        content_type: "application/json".to_owned(),
        description: body.description.clone(),
    }))
}

fn build_responses<'s>(
    spec: &'s LoadedSpec,
    schemas: &mut Schemas<'s>,
    sel: &Selected<'s>,
    builder_name: &str,
) -> Result<Vec<ResponseCase>, GenError> {
    let base = pointer_push(&sel.op_pointer, "responses");
    let mut out = Vec::new();
    let listed = sel
        .op
        .responses
        .responses
        .iter()
        .map(|(status, r)| (status_text(status), r))
        .chain(
            sel.op
                .responses
                .default
                .iter()
                .map(|r| ("default".to_owned(), r)),
        );
    for (status, response) in listed {
        let pointer = pointer_push(&base, &status);
        let (response, pointer) = refs::item(spec, response, &pointer)?;
        let content_pointer = pointer_push(&pointer, "content");
        let body = match response
            .content
            .iter()
            .find(|(m, _)| is_json(m))
            .or(response.content.first())
        {
            None => ResponseBody::Empty,
            Some((media, entry)) if entry.schema.is_none() => {
                schemas.warn(
                    WarningKind::Untyped,
                    &pointer_push(&content_pointer, media),
                    "response body without a schema: kept as raw JSON",
                );
                ResponseBody::Untyped
            }
            Some((media, entry)) => {
                let at = pointer_push(&pointer_push(&content_pointer, media), "schema");
                let hint = format!("{builder_name}Response{}", naming::upper_camel(&status));
                let schema = entry
                    .schema
                    .as_ref()
                    .ok_or_else(|| GenError::spec(&spec.path, &at, "missing schema"))?;
                let ty = schemas.type_of(schema, &at, &hint)?;
                ResponseBody::Typed {
                    rust_type: types::rust_type(&ty),
                    ty,
                }
            }
        };
        out.push(ResponseCase {
            status,
            description: Some(response.description.clone()).filter(|d| !d.is_empty()),
            body,
        });
    }
    Ok(out)
}

fn status_text(status: &StatusCode) -> String {
    match status {
        StatusCode::Code(code) => code.to_string(),
        StatusCode::Range(range) => format!("{range}XX"),
    }
}

fn success_rust_type(body: &ResponseBody) -> String {
    match body {
        ResponseBody::Empty => "()".to_owned(),
        ResponseBody::Untyped => "serde_json::Value".to_owned(),
        ResponseBody::Typed { rust_type, .. } => rust_type.clone(),
    }
}

/// Variant names for success enums: the status's reason phrase, so every operation reads the
/// same way (`VerifyFactorResponse::Ok`, `::Created`) whatever its schemas are called.
fn reason_phrase(status: u16) -> Option<&'static str> {
    Some(match status {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritative",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        _ => return None,
    })
}

/// One 2xx body type: return it. Several different ones (Okta `verifyFactor`: 200 result,
/// 201 waiting): an enum by status, so the caller matches instead of guessing.
fn success_of(
    responses: &[ResponseCase],
    builder_name: &str,
    schemas: &mut Schemas<'_>,
) -> Success {
    let ok: Vec<(u16, &ResponseCase)> = responses
        .iter()
        .filter_map(|r| {
            r.status
                .parse::<u16>()
                .ok()
                .filter(|s| (200..300).contains(s))
                .map(|s| (s, r))
        })
        .collect();
    let status = ok.first().map_or(200, |(s, _)| *s);
    let mut distinct: Vec<String> = ok.iter().map(|(_, r)| success_rust_type(&r.body)).collect();
    distinct.sort();
    distinct.dedup();
    if distinct.len() <= 1 {
        let rust_type = distinct.pop().unwrap_or_else(|| "()".to_owned());
        let shape = if rust_type == "()" {
            SuccessShape::Empty
        } else {
            SuccessShape::Single
        };
        return Success {
            rust_type,
            shape,
            status,
        };
    }
    let mut variant_names = Scope::default();
    let variants = ok
        .iter()
        .map(|(status, r)| {
            let rust_type = success_rust_type(&r.body);
            let wanted =
                reason_phrase(*status).map_or_else(|| format!("Status{status}"), str::to_owned);
            StatusVariant {
                status: *status,
                variant: variant_names.claim(wanted),
                rust_type,
                description: r.description.clone(),
            }
        })
        .collect();
    Success {
        rust_type: schemas.type_names.claim(format!("{builder_name}Response")),
        shape: SuccessShape::ByStatus(variants),
        status,
    }
}
