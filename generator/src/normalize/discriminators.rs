//! A struct that is a variant of a discriminated union starts with its discriminator already
//! set (`UserFactorSMS::new()` has `factorType: "sms"`), so a value built by hand serialises
//! into the variant it was built as.

use std::collections::BTreeMap;

use crate::ir::{Model, ModelKind, TypeRef};

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
    let enums: Vec<String> = models
        .iter()
        .filter(|m| matches!(m.kind, ModelKind::Enum(_)))
        .map(|m| m.rust_name.clone())
        .collect();
    for model in models.iter_mut() {
        let Some(Some((property, value))) = wanted.get(&model.rust_name) else {
            continue;
        };
        let ModelKind::Struct(s) = &mut model.kind else {
            continue;
        };
        let Some(field) = s.fields.iter().find(|f| &f.wire_name == property) else {
            continue;
        };
        let expr = match &field.ty {
            TypeRef::String { .. } => format!("{value:?}.to_owned()"),
            TypeRef::Model(name) if enums.contains(name) => format!("{name}::from({value:?})"),
            _ => continue,
        };
        let expr = field.store(&expr);
        s.discriminator_default = Some((field.rust_name.clone(), expr));
    }
}
