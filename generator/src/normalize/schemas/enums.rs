//! Enum schemas -> enums with an `Unknown` fallback; discriminated `oneOf`/`anyOf` -> unions.

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema};
use serde_json::Value;

use super::{Schemas, SCHEMA_PREFIX};
use crate::error::{pointer_push, GenError};
use crate::ir::{
    EnumModel, EnumRepr, EnumVariant, Model, ModelKind, TypeRef, UnionModel, UnionVariant,
    WarningKind,
};
use crate::naming::{self, Scope};
use crate::normalize::view::View;

impl<'s> Schemas<'s> {
    pub(super) fn build_enum(
        &mut self,
        view: &View<'s>,
        pointer: &str,
        repr: EnumRepr,
    ) -> EnumModel {
        let mut seen: Vec<String> = Vec::new();
        let mut variants = Vec::new();
        let mut names = Scope::default();
        for value in &view.enum_values {
            let text = match value {
                Value::Null => continue,
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            if seen.contains(&text) {
                self.warn(
                    WarningKind::DuplicateEnumValue,
                    &pointer_push(pointer, "enum"),
                    format!("duplicate enum value `{text}` dropped"),
                );
                continue;
            }
            seen.push(text.clone());
            let wanted = match repr {
                EnumRepr::String => naming::upper_camel(&text),
                EnumRepr::Integer => {
                    naming::upper_camel(&format!("Value{}", text.replace('-', "Minus")))
                }
            };
            variants.push(EnumVariant {
                rust_name: names.claim(wanted),
                value: text,
            });
        }
        EnumModel {
            repr,
            variants,
            unknown_variant: names.claim("Unknown".to_owned()),
        }
    }

    pub(super) fn build_union(
        &mut self,
        schema: &'s Schema,
        pointer: &str,
        self_key: &str,
        rust_name: &str,
    ) -> Result<UnionModel, GenError> {
        let view = View::of(schema);
        let Some(discriminator) = &schema.schema_data.discriminator else {
            return Err(self.error(pointer, "internal: union without discriminator"));
        };
        // target ref -> discriminator values, in mapping order
        let mut targets: IndexMap<String, Vec<String>> = IndexMap::new();
        if discriminator.mapping.is_empty() {
            for member in view.one_of.iter().chain(view.any_of) {
                if let ReferenceOr::Reference { reference } = member {
                    let value = reference.rsplit('/').next().unwrap_or(reference).to_owned();
                    targets.entry(reference.clone()).or_default().push(value);
                }
            }
        } else {
            for (value, target) in &discriminator.mapping {
                targets
                    .entry(target.clone())
                    .or_default()
                    .push(value.clone());
            }
        }
        let mapping_pointer = pointer_push(&pointer_push(pointer, "discriminator"), "mapping");
        let mut names = Scope::default();
        let mut variants = Vec::new();
        for (target, values) in targets {
            let first = values.first().cloned().unwrap_or_default();
            let variant_name = names.claim(naming::upper_camel(&first));
            let target_type = if target == self_key {
                None
            } else {
                match self.type_of_ref(&target, &pointer_push(&mapping_pointer, &first))? {
                    TypeRef::Model(name) if name == rust_name => None,
                    TypeRef::Model(name) => Some(name),
                    _ => {
                        self.warn(
                            WarningKind::MappingToNonObject,
                            &mapping_pointer,
                            format!("mapping `{first}` targets a non-object schema; skipped"),
                        );
                        continue;
                    }
                }
            };
            let rust_type = if let Some(name) = target_type {
                name
            } else {
                // the parent maps a value to itself: its own properties form that variant
                let base_name = self.type_names.claim(format!("{rust_name}{variant_name}"));
                self.assigned
                    .insert(format!("{self_key}#{first}"), base_name.clone());
                let model = self.build_struct(&view, pointer, &base_name, false)?;
                self.models.push(Model {
                    gate: Default::default(),
                    spec_name: format!("{}#{first}", self_key.trim_start_matches(SCHEMA_PREFIX)),
                    rust_name: base_name.clone(),
                    description: schema.schema_data.description.clone(),
                    kind: ModelKind::Struct(model),
                });
                base_name
            };
            variants.push(UnionVariant {
                values,
                rust_name: variant_name,
                rust_type,
                from_impl: false,
            });
        }
        let unique: Vec<bool> = variants
            .iter()
            .map(|v| {
                variants
                    .iter()
                    .filter(|w| w.rust_type == v.rust_type)
                    .count()
                    == 1
            })
            .collect();
        for (variant, unique) in variants.iter_mut().zip(unique) {
            variant.from_impl = unique;
        }
        Ok(UnionModel {
            property: discriminator.property_name.clone(),
            variants,
            unknown_variant: names.claim("Unknown".to_owned()),
            // filled once every variant's struct exists (`shared_fields::fill`)
            shared: Vec::new(),
        })
    }
}
