//! One type for a property that the members of an object union (`oneOf`/`anyOf` merged into
//! one struct, see structs.rs) type differently, when a type exists that holds every value of
//! both: enums of one JSON kind become one enum with every member's values (Discord's
//! `type: 1` / `type: 2`, Box's `type: file` / `type: folder`), an integer and a number a
//! number, a string and a string enum or two string formats a string, and arrays of such
//! types an array of the wider one, two structs one struct with the fields of both (all
//! optional, a field both have widened the same way). `None` when no such type exists: the
//! caller falls back to `serde_json::Value` with a warning.

use crate::ir::{EnumModel, EnumRepr, EnumVariant, Field, Model, ModelKind, StructModel, TypeRef};
use crate::naming::Scope;

use super::Schemas;

/// How deep widening goes into the fields of merged structs.
const MAX_DEPTH: usize = 8;

impl Schemas<'_> {
    /// A type that accepts every value of `a` and of `b`, both free of `serde_json::Value`.
    /// `name` names a merged enum or struct (claimed only when one is made); `spec_name` is its spec
    /// path for the reports.
    pub(super) fn widen(
        &mut self,
        a: &TypeRef,
        b: &TypeRef,
        name: &str,
        spec_name: &str,
    ) -> Option<TypeRef> {
        self.widen_at(a, b, name, spec_name, 0)
    }

    fn widen_at(
        &mut self,
        a: &TypeRef,
        b: &TypeRef,
        name: &str,
        spec_name: &str,
        depth: usize,
    ) -> Option<TypeRef> {
        use TypeRef::*;
        // structs that contain each other would otherwise be merged without end
        if depth > MAX_DEPTH {
            return None;
        }
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
            (Array(x), Array(y)) => Some(Array(Box::new(self.widen_at(
                x,
                y,
                name,
                spec_name,
                depth + 1,
            )?))),
            (Map(x), Map(y)) => Some(Map(Box::new(self.widen_at(
                x,
                y,
                name,
                spec_name,
                depth + 1,
            )?))),
            (Model(x), Model(y)) => {
                if let (Some(fx), Some(fy)) = (self.struct_fields(x), self.struct_fields(y)) {
                    return self.merge_structs(x, fx, y, fy, name, spec_name, depth);
                }
                let repr = self.enum_repr(x)?;
                (self.enum_repr(y)? == repr).then(|| self.merge_enums(x, y, name, spec_name))
            }
            _ => None,
        }
    }

    /// The fields and extra-property type of a plain struct model (not a discriminator
    /// variant).
    fn struct_fields(&self, rust_name: &str) -> Option<(Vec<Field>, TypeRef)> {
        self.models.iter().find_map(|m| match &m.kind {
            ModelKind::Struct(s)
                if m.rust_name == rust_name && s.discriminator_default.is_none() =>
            {
                Some((s.fields.clone(), s.extra_ty.clone()))
            }
            _ => None,
        })
    }

    /// One struct with the fields of `x` then those of `y`, every field optional; a field of
    /// both gets their widened type, and when one has none there is no merged struct.
    #[allow(clippy::too_many_arguments)]
    fn merge_structs(
        &mut self,
        x: &str,
        (fx, extra_x): (Vec<Field>, TypeRef),
        y: &str,
        (fy, extra_y): (Vec<Field>, TypeRef),
        name: &str,
        spec_name: &str,
        depth: usize,
    ) -> Option<TypeRef> {
        let extra_ty = if extra_x == extra_y {
            extra_x
        } else {
            self.widen_at(
                &extra_x,
                &extra_y,
                &format!("{name}Extra"),
                spec_name,
                depth + 1,
            )?
        };
        // a copied `Value` field would be a position without its warning (each position of
        // the spec is warned once, where its model was built)
        if fx.iter().chain(&fy).any(|f| f.ty.untyped_positions() > 0) {
            return None;
        }
        let mut fields: Vec<Field> = Vec::with_capacity(fx.len() + fy.len());
        for field in fx.into_iter().chain(fy) {
            let Some(at) = fields.iter().position(|f| f.wire_name == field.wire_name) else {
                fields.push(field);
                continue;
            };
            if fields[at].ty != field.ty {
                let hint = format!("{name}{}", crate::naming::upper_camel(&field.wire_name));
                let inner = format!("{spec_name}.{}", field.wire_name);
                let ty = self.widen_at(&fields[at].ty, &field.ty, &hint, &inner, depth + 1)?;
                fields[at].ty = ty;
            }
            fields[at].nullable |= field.nullable;
        }
        let mut names =
            Scope::with_reserved(crate::naming::reserved(crate::naming::ReservedIn::Model));
        for field in &mut fields {
            field.required = false;
            field.rust_name = names.claim(crate::naming::snake(&field.wire_name));
        }
        let model = ModelKind::Struct(StructModel {
            fields,
            extra_ty,
            extra_rust_type: String::new(),
            all_optional: true,
            from_one_of: true,
            discriminator_default: None,
        });
        Some(self.store_merged(x, y, model, name, spec_name))
    }

    /// Stores a merged model: in place of `x` or `y` when one of them was merged here before,
    /// else as a new model named after `name`.
    fn store_merged(
        &mut self,
        x: &str,
        y: &str,
        kind: ModelKind,
        name: &str,
        spec_name: &str,
    ) -> TypeRef {
        let reuse = [x, y].into_iter().find(|n| self.merged_models.contains(*n));
        if let Some(existing) = reuse {
            let existing = existing.to_owned();
            if let Some(m) = self.models.iter_mut().find(|m| m.rust_name == existing) {
                m.kind = kind;
            }
            return TypeRef::Model(existing);
        }
        let rust_name = self.type_names.claim(name.to_owned());
        self.merged_models.insert(rust_name.clone());
        self.models.push(Model {
            gate: Default::default(),
            spec_name: spec_name.to_owned(),
            rust_name: rust_name.clone(),
            description: None,
            kind,
        });
        TypeRef::Model(rust_name)
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

    /// One enum with the values of `x` then those of `y`. A model merged here before is
    /// replaced in place (a third member adds its values to it); the spec's own models are
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
        self.store_merged(x, y, ModelKind::Enum(model), name, spec_name)
    }
}
