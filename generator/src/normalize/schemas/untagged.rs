//! `oneOf`/`anyOf` without a discriminator whose members are not all objects: the simplest
//! exact type (a string when every member is a string), or an untagged union that picks its
//! member by the JSON kind of the value.
//!
//! The order members are tried in, per JSON kind: the member that accepts the fewest JSON kinds
//! (the most specific one), and among equally specific members the first in the spec. So an
//! `integer` member takes `3` before a `number` member does, and an untyped member (`{}`)
//! takes only what no other member accepts. A member that no kind reaches is left out with a
//! warning.

use std::collections::BTreeSet;

use openapiv3::{ReferenceOr, Schema};
use serde_json::Value;

use super::{ModelPlan, Plan, Schemas};
use crate::error::{pointer_push, GenError};
use crate::ir::{JsonKind, TypeRef, UntaggedModel, UntaggedVariant, WarningKind};
use crate::naming::Scope;
use crate::normalize::view::View;

/// How deep `$ref`s and wrappers are followed to find a member's JSON kinds; past it the member
/// is taken to accept anything (the type itself is still built by `type_of`).
const MAX_DEPTH: usize = 32;

type Kinds = BTreeSet<JsonKind>;

fn all_kinds() -> Kinds {
    JsonKind::ALL.into_iter().collect()
}

impl<'s> Schemas<'s> {
    /// The plan for a `oneOf`/`anyOf` of several members and no discriminator.
    pub(super) fn plan_members(
        &mut self,
        members: &'s [ReferenceOr<Schema>],
        pointer: &str,
        keyword: &'static str,
    ) -> Result<Plan<'s>, GenError> {
        let mut kinds = Vec::with_capacity(members.len());
        for (i, member) in members.iter().enumerate() {
            let here = pointer_push(&pointer_push(pointer, keyword), &i.to_string());
            kinds.push(self.kinds_of(member, &here, 0)?);
        }
        // `nullable` on a member is the field's business (an `Option`), not the union's
        let only = |wanted: JsonKind| {
            kinds.iter().all(|k| {
                k.iter()
                    .all(|kind| matches!(kind, JsonKind::Null) || *kind == wanted)
                    && k.contains(&wanted)
            })
        };
        if only(JsonKind::Object) {
            // objects only: one struct with the members' properties merged (structs.rs)
            return Ok(Plan::Model(ModelPlan::OneOfStruct));
        }
        if only(JsonKind::String) {
            // `string | string enum`, `string | {allOf: [string], description}`: every value
            // is a string and any string is one of the members
            return Ok(Plan::Type(TypeRef::String { format: None }));
        }
        Ok(Plan::Model(ModelPlan::Untagged(keyword)))
    }

    /// The JSON kinds a schema accepts, following `$ref`s and single-member wrappers.
    fn kinds_of<T: std::borrow::Borrow<Schema>>(
        &self,
        member: &'s ReferenceOr<T>,
        pointer: &str,
        depth: usize,
    ) -> Result<Kinds, GenError> {
        if depth > MAX_DEPTH {
            return Ok(all_kinds());
        }
        let schema: &Schema = match member {
            ReferenceOr::Item(s) => s.borrow(),
            ReferenceOr::Reference { reference } => self.resolve(reference, pointer)?.0,
        };
        let view = View::of(schema);
        let mut kinds = Kinds::new();
        if schema.schema_data.nullable {
            kinds.insert(JsonKind::Null);
        }
        if schema.schema_data.discriminator.is_some() || view.properties.is_some() {
            kinds.insert(JsonKind::Object);
            return Ok(kinds);
        }
        if !view.enum_values.is_empty() {
            for value in &view.enum_values {
                kinds.insert(match value {
                    Value::Null => JsonKind::Null,
                    Value::Bool(_) => JsonKind::Bool,
                    Value::Number(n) if n.is_f64() => JsonKind::Number,
                    Value::Number(_) => JsonKind::Integer,
                    Value::String(_) => JsonKind::String,
                    Value::Array(_) => JsonKind::Array,
                    Value::Object(_) => JsonKind::Object,
                });
            }
            return Ok(kinds);
        }
        if !view.all_of.is_empty() {
            let substantive = view.substantive_all_of();
            match substantive.as_slice() {
                [only] => {
                    let at = pointer_push(&pointer_push(pointer, "allOf"), &only.to_string());
                    kinds.extend(self.kinds_of(&view.all_of[*only], &at, depth + 1)?);
                }
                [] => kinds.extend(all_kinds()),
                _ => {
                    kinds.insert(JsonKind::Object);
                }
            }
            return Ok(kinds);
        }
        let (nested, keyword) = if view.one_of.is_empty() {
            (view.any_of, "anyOf")
        } else {
            (view.one_of, "oneOf")
        };
        if !nested.is_empty() {
            for (i, m) in nested.iter().enumerate() {
                let at = pointer_push(&pointer_push(pointer, keyword), &i.to_string());
                kinds.extend(self.kinds_of(m, &at, depth + 1)?);
            }
            return Ok(kinds);
        }
        match view.typ {
            Some("string") => kinds.insert(JsonKind::String),
            Some("integer") => kinds.insert(JsonKind::Integer),
            Some("number") => kinds.insert(JsonKind::Integer) | kinds.insert(JsonKind::Number),
            Some("boolean") => kinds.insert(JsonKind::Bool),
            Some("array") => kinds.insert(JsonKind::Array),
            Some("object") => kinds.insert(JsonKind::Object),
            None if view.additional.is_some() => kinds.insert(JsonKind::Object),
            _ => {
                kinds.extend(all_kinds());
                true
            }
        };
        Ok(kinds)
    }

    /// The untagged union of a `oneOf`/`anyOf` planned by [`Self::plan_members`].
    pub(super) fn build_untagged(
        &mut self,
        view: &View<'s>,
        pointer: &str,
        keyword: &'static str,
        rust_name: &str,
    ) -> Result<UntaggedModel, GenError> {
        let members = if keyword == "oneOf" {
            view.one_of
        } else {
            view.any_of
        };
        let mut kinds = Vec::with_capacity(members.len());
        for (i, member) in members.iter().enumerate() {
            let here = pointer_push(&pointer_push(pointer, keyword), &i.to_string());
            kinds.push(self.kinds_of(member, &here, 0)?);
        }
        // per JSON kind: the most specific member that accepts it, the first in spec order on a tie
        let mut chosen: Vec<(JsonKind, usize)> = Vec::new();
        for kind in JsonKind::ALL {
            let best = kinds
                .iter()
                .enumerate()
                .filter(|(_, k)| k.contains(&kind))
                .min_by_key(|(i, k)| (k.len(), *i))
                .map(|(i, _)| i);
            if let Some(i) = best {
                chosen.push((kind, i));
            }
        }
        let mut names = Scope::default();
        let mut variants = Vec::new();
        let mut index_of = vec![None; members.len()];
        for (i, member) in members.iter().enumerate() {
            let here = pointer_push(&pointer_push(pointer, keyword), &i.to_string());
            if !chosen.iter().any(|(_, m)| *m == i) {
                self.warn(
                    WarningKind::ShadowedUnionMember,
                    &here,
                    format!(
                        "{keyword} member accepts no JSON kind an earlier or more specific member does not: left out of the union"
                    ),
                );
                continue;
            }
            let hint = format!("{rust_name}Variant{i}");
            let ty = self.type_of(member, &here, &hint)?;
            index_of[i] = Some(variants.len());
            variants.push(UntaggedVariant {
                rust_name: names.claim(variant_name(&ty)),
                ty,
                rust_type: String::new(),
            });
        }
        let dispatch = chosen
            .into_iter()
            .filter_map(|(kind, member)| index_of[member].map(|v| (kind, v)))
            .collect();
        Ok(UntaggedModel { variants, dispatch })
    }
}

/// A variant's name from the type it holds.
fn variant_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Bool => "Bool".to_owned(),
        TypeRef::Integer { .. } => "Integer".to_owned(),
        TypeRef::Number { .. } => "Number".to_owned(),
        TypeRef::String { .. } => "String".to_owned(),
        TypeRef::Array(_) => "Array".to_owned(),
        TypeRef::Map(_) => "Map".to_owned(),
        TypeRef::OneOrMany(_) => "OneOrMany".to_owned(),
        TypeRef::Json => "Json".to_owned(),
        TypeRef::Null => "Null".to_owned(),
        TypeRef::Model(name) => name.clone(),
    }
}
