//! Accessors on tagged unions for the fields every variant shares (`UserFactor::id()`), so a
//! caller reads a factor's id, status or links with one call instead of a match over 13
//! variants. Decided here, once every variant's struct has its final field types.

use std::collections::BTreeMap;

use crate::ir::{Field, Model, ModelKind, Presence, SharedField, SharedRead};

pub fn fill(models: &mut [Model]) {
    let structs: BTreeMap<&str, &[Field]> = models
        .iter()
        .filter_map(|m| match &m.kind {
            ModelKind::Struct(s) => Some((m.rust_name.as_str(), s.fields.as_slice())),
            _ => None,
        })
        .collect();
    let mut decided: Vec<(usize, Vec<SharedField>)> = Vec::new();
    for (index, model) in models.iter().enumerate() {
        let ModelKind::Union(union) = &model.kind else {
            continue;
        };
        let members: Option<Vec<&[Field]>> = union
            .variants
            .iter()
            .map(|v| structs.get(v.rust_type.as_str()).copied())
            .collect();
        // a variant that is not a struct has no fields to share
        let Some(members) = members.filter(|m| !m.is_empty()) else {
            continue;
        };
        decided.push((index, shared(&members)));
    }
    for (index, shared) in decided {
        if let ModelKind::Union(union) = &mut models[index].kind {
            union.shared = shared;
        }
    }
}

/// The first member's fields, in its order, that every other member declares alike.
fn shared(members: &[&[Field]]) -> Vec<SharedField> {
    let (first, rest) = match members.split_first() {
        Some(split) => split,
        None => return Vec::new(),
    };
    first
        .iter()
        .filter(|field| {
            rest.iter().all(|fields| {
                fields.iter().any(|other| {
                    other.wire_name == field.wire_name
                        && other.rust_name == field.rust_name
                        && other.rust_type == field.rust_type
                        && other.presence == field.presence
                        && other.boxed == field.boxed
                })
            })
        })
        .filter_map(accessor)
        .collect()
}

/// How the accessor reads `field`; `None` for the shapes an accessor would only obscure
/// (`Option<Option<T>>`, optional free JSON, boxed recursion).
fn accessor(field: &Field) -> Option<SharedField> {
    if field.boxed {
        return None;
    }
    let is_string = field.inner_rust_type == "String";
    let read = match (field.presence, is_string) {
        (Presence::Required, false) => SharedRead::Direct,
        (Presence::Required, true) => SharedRead::DirectStr,
        (Presence::Optional | Presence::RequiredNullable, false) => SharedRead::Optional,
        (Presence::Optional | Presence::RequiredNullable, true) => SharedRead::OptionalStr,
        (Presence::OptionalNullable | Presence::OptionalJson, _) => return None,
    };
    let borrowed = if is_string {
        "&str".to_owned()
    } else {
        format!("&{}", field.inner_rust_type)
    };
    Some(SharedField {
        wire_name: field.wire_name.clone(),
        rust_name: field.rust_name.clone(),
        return_type: format!("Option<{borrowed}>"),
        read,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Conversion, FieldInit, StructModel, TypeRef, UnionModel, UnionVariant};

    fn field(wire: &str, inner: &str, presence: Presence) -> Field {
        let option = !matches!(presence, Presence::Required);
        Field {
            wire_name: wire.into(),
            rust_name: wire.into(),
            ty: TypeRef::String { format: None },
            rust_type: if option {
                format!("Option<{inner}>")
            } else {
                inner.into()
            },
            inner_rust_type: inner.into(),
            setter_arg: String::new(),
            conversion: Conversion::None,
            boxed: false,
            required: !option,
            nullable: false,
            presence,
            init: FieldInit::Empty,
            codec: Default::default(),
            read_only: false,
            write_only: false,
            description: None,
        }
    }

    fn strukt(name: &str, fields: Vec<Field>) -> Model {
        Model {
            gate: Default::default(),
            spec_name: name.into(),
            rust_name: name.into(),
            description: None,
            kind: ModelKind::Struct(StructModel {
                fields,
                extra_ty: TypeRef::Json,
                extra_rust_type: String::new(),
                all_optional: false,
                from_one_of: false,
                discriminator_default: None,
            }),
        }
    }

    fn union(variants: &[&str]) -> Model {
        Model {
            gate: Default::default(),
            spec_name: "U".into(),
            rust_name: "U".into(),
            description: None,
            kind: ModelKind::Union(UnionModel {
                property: "t".into(),
                variants: variants
                    .iter()
                    .map(|v| UnionVariant {
                        values: vec![v.to_lowercase()],
                        rust_name: (*v).into(),
                        rust_type: (*v).into(),
                        from_impl: true,
                    })
                    .collect(),
                unknown_variant: "Unknown".into(),
                shared: Vec::new(),
            }),
        }
    }

    fn shared_of(models: &[Model]) -> Vec<(String, String, SharedRead)> {
        let ModelKind::Union(u) = &models[2].kind else {
            panic!("union")
        };
        u.shared
            .iter()
            .map(|s| (s.rust_name.clone(), s.return_type.clone(), s.read))
            .collect()
    }

    #[test]
    fn fields_every_variant_declares_alike_get_accessors() {
        let mut models = vec![
            strukt(
                "A",
                vec![
                    field("id", "String", Presence::Optional),
                    field("status", "Status", Presence::Optional),
                    field("kind", "String", Presence::Required),
                    field("only_a", "String", Presence::Optional),
                    field("retyped", "String", Presence::Optional),
                    field("cleared", "String", Presence::OptionalNullable),
                ],
            ),
            strukt(
                "B",
                vec![
                    field("kind", "String", Presence::Required),
                    field("status", "Status", Presence::Optional),
                    field("id", "String", Presence::Optional),
                    field("retyped", "i64", Presence::Optional),
                    field("cleared", "String", Presence::OptionalNullable),
                ],
            ),
            union(&["A", "B"]),
        ];
        fill(&mut models);
        assert_eq!(
            shared_of(&models),
            vec![
                ("id".into(), "Option<&str>".into(), SharedRead::OptionalStr),
                (
                    "status".into(),
                    "Option<&Status>".into(),
                    SharedRead::Optional
                ),
                ("kind".into(), "Option<&str>".into(), SharedRead::DirectStr),
            ]
        );
    }

    #[test]
    fn a_variant_without_a_struct_shares_nothing() {
        let mut models = vec![
            strukt("A", vec![field("id", "String", Presence::Optional)]),
            Model {
                gate: Default::default(),
                spec_name: "B".into(),
                rust_name: "B".into(),
                description: None,
                kind: ModelKind::Enum(crate::ir::EnumModel {
                    repr: crate::ir::EnumRepr::String,
                    variants: Vec::new(),
                    unknown_variant: "Unknown".into(),
                }),
            },
            union(&["A", "B"]),
        ];
        fill(&mut models);
        assert!(shared_of(&models).is_empty());
    }
}
