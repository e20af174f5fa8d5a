//! One type for a property that the members of an object union (`oneOf`/`anyOf` merged into
//! one struct, see structs.rs) type differently, when a type exists that holds every value of
//! both: enums of one JSON kind become one enum with every member's values (Discord's
//! `type: 1` / `type: 2`, Box's `type: file` / `type: folder`), an integer and a number a
//! number, a string and a string enum or two string formats a string, and arrays of such
//! types an array of the wider one. `None` when no such type exists (two different structs):
//! the caller falls back to `serde_json::Value` with a warning.

use crate::ir::{EnumModel, EnumRepr, EnumVariant, Model, ModelKind, TypeRef};
use crate::naming::Scope;

use super::Schemas;

impl Schemas<'_> {
    /// A type that accepts every value of `a` and of `b`, both free of `serde_json::Value`.
    /// `name` names a merged enum (claimed only when one is made); `spec_name` is its spec
    /// path for the reports.
    pub(super) fn widen(
        &mut self,
        a: &TypeRef,
        b: &TypeRef,
        name: &str,
        spec_name: &str,
    ) -> Option<TypeRef> {
        use TypeRef::*;
        match (a, b) {
            _ if a == b => Some(a.clone()),
            (Integer { .. } | Number { .. }, Integer { .. } | Number { .. }) => {
                if let (Integer { format: fa }, Integer { format: fb }) = (a, b) {
                    // the wider of two integer formats; no format is the widest
                    let format = match (fa.as_deref(), fb.as_deref()) {
                        (Some("int32"), Some("int32")) => Some("int32".to_owned()),
                        (Some("int64"), Some("int32" | "int64"))
                        | (Some("int32"), Some("int64")) => Some("int64".to_owned()),
                        _ => None,
                    };
                    return Some(Integer { format });
                }
                Some(Number {
                    format: Some("double".to_owned()),
                })
            }
            (String { .. }, String { .. }) => Some(String { format: None }),
            (String { .. }, Model(m)) | (Model(m), String { .. })
                if self.enum_repr(m) == Some(EnumRepr::String) =>
            {
                Some(String { format: None })
            }
            (Array(x), Array(y)) => Some(Array(Box::new(self.widen(x, y, name, spec_name)?))),
            (Map(x), Map(y)) => Some(Map(Box::new(self.widen(x, y, name, spec_name)?))),
            (Model(x), Model(y)) => {
                let repr = self.enum_repr(x)?;
                (self.enum_repr(y)? == repr).then(|| self.merge_enums(x, y, name, spec_name))
            }
            _ => None,
        }
    }

    fn enum_repr(&self, rust_name: &str) -> Option<EnumRepr> {
        self.models.iter().find_map(|m| match &m.kind {
            ModelKind::Enum(e) if m.rust_name == rust_name => Some(e.repr),
            _ => None,
        })
    }

    fn enum_values(&self, rust_name: &str) -> Vec<EnumVariant> {
        self.models
            .iter()
            .find_map(|m| match &m.kind {
                ModelKind::Enum(e) if m.rust_name == rust_name => Some(e.variants.clone()),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// One enum with the values of `x` then those of `y`. An enum merged here before is
    /// extended in place (a third member adds its values to it); the spec's own enums are
    /// never changed.
    fn merge_enums(&mut self, x: &str, y: &str, name: &str, spec_name: &str) -> TypeRef {
        let mut values = self.enum_values(x);
        for v in self.enum_values(y) {
            if !values.iter().any(|w| w.value == v.value) {
                values.push(v);
            }
        }
        let repr = self.enum_repr(x).unwrap_or(EnumRepr::String);
        let mut names = Scope::default();
        let variants: Vec<EnumVariant> = values
            .into_iter()
            .map(|v| EnumVariant {
                rust_name: names.claim(v.rust_name),
                value: v.value,
            })
            .collect();
        let model = EnumModel {
            repr,
            variants,
            unknown_variant: names.claim("Unknown".to_owned()),
        };
        let reuse = [x, y].into_iter().find(|n| self.merged_enums.contains(*n));
        if let Some(existing) = reuse {
            let existing = existing.to_owned();
            if let Some(m) = self.models.iter_mut().find(|m| m.rust_name == existing) {
                m.kind = ModelKind::Enum(model);
            }
            return TypeRef::Model(existing);
        }
        let rust_name = self.type_names.claim(name.to_owned());
        self.merged_enums.insert(rust_name.clone());
        self.models.push(Model {
            spec_name: spec_name.to_owned(),
            rust_name: rust_name.clone(),
            description: None,
            kind: ModelKind::Enum(model),
        });
        TypeRef::Model(rust_name)
    }
}
