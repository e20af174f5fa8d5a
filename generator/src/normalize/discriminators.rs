//! A struct that is a variant of a discriminated union starts with its discriminator already
//! set (`UserFactorSms::new()` has `factorType: "sms"`), so a value built by hand serialises
//! into the variant it was built as.

use std::collections::BTreeMap;

use crate::ir::{EnumRepr, Model, ModelKind, TypeRef};

pub fn fill_defaults(models: &mut [Model]) {
    // struct name -> (discriminator property, value), None when unions disagree
    let mut wanted: BTreeMap<String, Option<(String, String)>> = BTreeMap::new();
    for model in models.iter() {
        let ModelKind::Union(union) = &model.kind else {
            continue;
        };
        for variant in &union.variants {
            let candidate = match variant.values.as_slice() {
                [only] => Some((union.property.clone(), only.clone())),
                _ => None,
            };
            wanted
                .entry(variant.rust_type.clone())
                .and_modify(|existing| {
                    if *existing != candidate {
                        *existing = None;
                    }
                })
                .or_insert(candidate);
        }
    }
    let enums: BTreeMap<String, EnumRepr> = models
        .iter()
        .filter_map(|m| match &m.kind {
            ModelKind::Enum(e) => Some((m.rust_name.clone(), e.repr)),
            _ => None,
        })
        .collect();
    for model in models.iter_mut() {
        let Some(Some((property, value))) = wanted.get(&model.rust_name) else {
            continue;
        };
        let ModelKind::Struct(s) = &mut model.kind else {
            continue;
        };
        let Some(field) = s.fields.iter_mut().find(|f| &f.wire_name == property) else {
            continue;
        };
        // Mapping keys are always strings in OpenAPI, but the property may be an integer
        // (OneLogin's `auth_method: 8`): then the key is the integer's decimal text.
        let integer = value.parse::<i64>().ok();
        let expr = match (
            &field.ty,
            enums.get(match &field.ty {
                TypeRef::Model(name) => name.as_str(),
                _ => "",
            }),
        ) {
            (TypeRef::String { .. }, _) => format!("{value:?}.to_owned()"),
            (TypeRef::Model(name), Some(EnumRepr::String)) => format!("{name}::from({value:?})"),
            (TypeRef::Model(name), Some(EnumRepr::Integer)) => match integer {
                Some(n) => format!("{name}::from({n}_i64)"),
                None => continue,
            },
            (TypeRef::Integer { .. }, _) => match integer {
                Some(n) => format!("{n}_i64"),
                None => continue,
            },
            _ => continue,
        };
        let expr = field.store(&expr);
        field.init = crate::ir::FieldInit::Preset(expr.clone());
        s.discriminator_default = Some((field.rust_name.clone(), expr));
    }
}
