//! The `serde_json::Value` positions of a generated API, counted from the IR, to hold the
//! invariant that each one has exactly one JSON-fallback warning.

use mfa_codegen::ir::{Api, ModelKind, ResponseBody, TypeRef};

/// `Value` itself, or inside an array, map or one-or-many.
fn json_positions(ty: &TypeRef) -> usize {
    match ty {
        TypeRef::Json => 1,
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::OneOrMany(inner) => {
            json_positions(inner)
        }
        _ => 0,
    }
}

/// Every place the API exposes an untyped value: parameters, request and response bodies,
/// struct fields and untagged union members. A struct's catch-all map of any JSON is the
/// default, not a position of the spec; a declared `additionalProperties` of another type is.
pub(super) fn untyped_positions(api: &Api) -> usize {
    let mut count = 0;
    for op in &api.operations {
        count += op
            .params
            .iter()
            .map(|p| json_positions(&p.ty))
            .sum::<usize>();
        count += op.body.as_ref().map_or(0, |b| json_positions(&b.ty));
        for case in &op.responses {
            count += match &case.body {
                ResponseBody::Empty => 0,
                ResponseBody::Untyped => 1,
                ResponseBody::Typed { ty, .. } => json_positions(ty),
            };
        }
    }
    for model in &api.models {
        count += match &model.kind {
            ModelKind::Struct(s) => {
                let extra = if s.extra_ty == TypeRef::Json {
                    0
                } else {
                    json_positions(&s.extra_ty)
                };
                extra
                    + s.fields
                        .iter()
                        .map(|f| json_positions(&f.ty))
                        .sum::<usize>()
            }
            ModelKind::Untagged(u) => u.variants.iter().map(|v| json_positions(&v.ty)).sum(),
            _ => 0,
        };
    }
    count
}
