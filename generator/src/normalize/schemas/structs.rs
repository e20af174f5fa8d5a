//! Object schemas -> structs: `allOf` members merged into one property list, each property a
//! field; a `oneOf` without discriminator becomes one struct of all members' fields.

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr};
use serde_json::Value;

use super::{ObjectShape, PropSource, Schemas};
use crate::error::{pointer_push, GenError};
use crate::ir::{Field, StructModel, TypeRef, WarningKind};
use crate::naming::{self, Scope};
use crate::normalize::view::View;

impl<'s> Schemas<'s> {
    /// Gathers properties through `allOf` chains. A later definition of a property replaces an
    /// earlier one, except that an untyped override (`factorType: {}` or `provider: {enum: [..]}`
    /// in Okta's subtypes) never replaces a typed parent property.
    pub(super) fn collect(
        &self,
        view: &View<'s>,
        pointer: &str,
        shape: &mut ObjectShape<'s>,
        depth: usize,
    ) -> Result<(), GenError> {
        if depth > 64 {
            return Err(self.error(
                pointer,
                "allOf nesting deeper than 64 levels (cyclic allOf?)",
            ));
        }
        for (i, member) in view.all_of.iter().enumerate() {
            let here = pointer_push(&pointer_push(pointer, "allOf"), &i.to_string());
            let (schema, at, _) = self.deref(member, &here)?;
            self.collect(&View::of(schema), &at, shape, depth + 1)?;
        }
        if let Some(props) = view.properties {
            let base = pointer_push(pointer, "properties");
            for (name, schema) in props {
                let source = PropSource {
                    schema,
                    pointer: pointer_push(&base, name),
                };
                let untyped = matches!(schema, ReferenceOr::Item(s) if View::of(s).is_untyped());
                match shape.props.get_mut(name) {
                    Some(_) if untyped => {}
                    Some(existing) => *existing = source,
                    None => {
                        shape.props.insert(name.clone(), source);
                    }
                }
            }
        }
        for name in view.required {
            if !shape.required.contains(name) {
                shape.required.push(name.clone());
            }
        }
        if let Some(additional) = view.additional {
            shape.additional = Some((additional, pointer.to_owned()));
        }
        Ok(())
    }

    pub(super) fn build_struct(
        &mut self,
        view: &View<'s>,
        pointer: &str,
        rust_name: &str,
        all_optional: bool,
    ) -> Result<StructModel, GenError> {
        let mut shape = ObjectShape::default();
        self.collect(view, pointer, &mut shape, 0)?;
        for name in &shape.required {
            if !shape.props.contains_key(name) {
                self.warn(
                    WarningKind::RequiredNotInProperties,
                    pointer,
                    format!("required property `{name}` is not in `properties`; ignored"),
                );
            }
        }
        let mut fields = Vec::with_capacity(shape.props.len());
        let mut field_names = Scope::with_reserved(naming::reserved(naming::ReservedIn::Model));
        for (wire_name, source) in &shape.props {
            let hint = self.property_hint(rust_name, wire_name, &source.pointer);
            let ty = self.type_of(source.schema, &source.pointer, &hint)?;
            let required = !all_optional && shape.required.contains(wire_name);
            fields.push(self.field(wire_name, source, ty, required, &mut field_names)?);
        }
        let extra = match shape.additional {
            Some((AdditionalProperties::Schema(schema), at)) => {
                let hint = format!("{rust_name}Value");
                let mark = self.warnings.len();
                let ty = self.type_of(schema, &pointer_push(&at, "additionalProperties"), &hint)?;
                if ty == TypeRef::Json {
                    // any JSON is what the catch-all map holds anyway: not an untyped
                    // position of the spec, so no `untyped` warning
                    self.retract_untyped(mark);
                }
                ty
            }
            _ => TypeRef::Json,
        };
        Ok(StructModel {
            all_optional: fields.iter().all(|f| !f.required),
            fields,
            extra_ty: extra,
            extra_rust_type: String::new(),
            from_one_of: all_optional,
            discriminator_default: None,
        })
    }

    /// Inline property schemas are named after the component that defines them, so a property
    /// inherited through `allOf` gets one name (`UserFactorPushTransactionFactorResult`), not
    /// the name of whichever subtype reached it first.
    pub(super) fn property_hint(
        &self,
        struct_name: &str,
        wire_name: &str,
        pointer: &str,
    ) -> String {
        let escaped = wire_name.replace('~', "~0").replace('/', "~1");
        let owner = pointer
            .strip_prefix("/components/schemas/")
            .and_then(|rest| rest.strip_suffix(&format!("/properties/{escaped}")))
            .filter(|name| !name.contains('/'));
        let base = match owner {
            Some(name) => self
                .config
                .naming
                .types
                .get(name)
                .cloned()
                .unwrap_or_else(|| naming::type_name(name)),
            None => struct_name.to_owned(),
        };
        format!("{base}{}", naming::upper_camel(wire_name))
    }

    pub(super) fn field(
        &self,
        wire_name: &str,
        source: &PropSource<'s>,
        ty: TypeRef,
        spec_required: bool,
        names: &mut Scope,
    ) -> Result<Field, GenError> {
        let (read_only, write_only, mut nullable, description) = match source.schema {
            ReferenceOr::Item(s) => (
                s.schema_data.read_only,
                s.schema_data.write_only,
                s.schema_data.nullable,
                s.schema_data.description.clone(),
            ),
            ReferenceOr::Reference { reference } => {
                let flag = |key| {
                    self.raw_sibling(&source.pointer, key)
                        .and_then(Value::as_bool)
                        .unwrap_or(false)
                };
                let (target, _, _) = self.resolve(reference, &source.pointer)?;
                let desc = self
                    .raw_sibling(&source.pointer, "description")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .or_else(|| target.schema_data.description.clone());
                (
                    flag("readOnly") || target.schema_data.read_only,
                    flag("writeOnly") || target.schema_data.write_only,
                    flag("nullable") || target.schema_data.nullable,
                    desc,
                )
            }
        };
        if matches!(ty, TypeRef::Json | TypeRef::Null) {
            // serde_json::Value and `()` already represent null
            nullable = false;
        }
        Ok(Field {
            wire_name: wire_name.to_owned(),
            rust_name: names.claim(naming::snake(wire_name)),
            ty,
            rust_type: String::new(),
            inner_rust_type: String::new(),
            setter_arg: String::new(),
            conversion: crate::ir::Conversion::None,
            boxed: false,
            required: spec_required && !read_only && !write_only,
            nullable,
            presence: crate::ir::Presence::Required,
            init: crate::ir::FieldInit::Empty,
            codec: crate::ir::FieldCodec::default(),
            read_only,
            write_only,
            description,
        })
    }

    /// `oneOf` without discriminator (Okta's activate/verify bodies): every member's properties
    /// as optional fields of one struct, so a caller sets exactly what the factor needs.
    pub(super) fn build_one_of_struct(
        &mut self,
        view: &View<'s>,
        pointer: &str,
        rust_name: &str,
    ) -> Result<StructModel, GenError> {
        let (members, keyword) = if !view.one_of.is_empty() {
            (view.one_of, "oneOf")
        } else {
            (view.any_of, "anyOf")
        };
        // wire name -> (field, fingerprint of the schema that typed it, its pointer, whether
        // only untyped occurrences were seen so far)
        let mut merged: IndexMap<String, (Field, Value, String, bool)> = IndexMap::new();
        let mut names = Scope::with_reserved(naming::reserved(naming::ReservedIn::Model));
        let mut own = ObjectShape::default();
        self.collect(view, pointer, &mut own, 0)?;
        let mut sources: Vec<(String, PropSource<'s>)> = own.props.into_iter().collect();
        for (i, member) in members.iter().enumerate() {
            let here = pointer_push(&pointer_push(pointer, keyword), &i.to_string());
            let (schema, at, _) = self.deref(member, &here)?;
            let mut shape = ObjectShape::default();
            self.collect(&View::of(schema), &at, &mut shape, 0)?;
            sources.extend(shape.props);
        }
        for (wire_name, source) in sources {
            let fingerprint = serde_json::to_value(source.schema).unwrap_or(Value::Null);
            // an untyped occurrence (`signatureData: {}`) accepts whatever a typed one says
            let untyped =
                matches!(source.schema, ReferenceOr::Item(s) if View::of(s).is_annotation_only());
            let hint = format!("{rust_name}{}", naming::upper_camel(&wire_name));
            if let Some((existing, seen, at, existing_untyped)) = merged.get_mut(&wire_name) {
                if untyped {
                    continue;
                }
                if *existing_untyped {
                    existing.ty = self.type_of(source.schema, &source.pointer, &hint)?;
                    *seen = fingerprint;
                    at.clone_from(&source.pointer);
                    *existing_untyped = false;
                    continue;
                }
                if *seen != fingerprint {
                    let mark = self.warnings.len();
                    let ty = self.type_of(source.schema, &source.pointer, &hint)?;
                    if ty == existing.ty {
                        // the field keeps the first member's type, and its positions: this
                        // member's copy has none of its own, so neither has it warnings
                        if ty.untyped_positions() > 0 {
                            self.retract_untyped(mark);
                        }
                        continue;
                    }
                    let wider =
                        if ty.untyped_positions() == 0 && existing.ty.untyped_positions() == 0 {
                            let spec_name = format!("{rust_name}.{wire_name}");
                            self.widen(&existing.ty, &ty, &hint, &spec_name)
                        } else {
                            None
                        };
                    if let Some(wider) = wider {
                        // a member that allows null makes the merged field nullable
                        let nullable = self
                            .field(
                                &wire_name,
                                &source,
                                wider.clone(),
                                false,
                                &mut Scope::default(),
                            )?
                            .nullable;
                        existing.ty = wider;
                        existing.nullable |= nullable;
                    } else if ty != existing.ty {
                        // this member's type is not used: neither is its untyped warning (a
                        // type with a `Value` in it holds no model, so nothing else was built)
                        if ty.untyped_positions() > 0 {
                            self.retract_untyped(mark);
                        }
                        if existing.ty.untyped_positions() == 0 {
                            self.warn(WarningKind::ConflictingMemberTypes,
                                &source.pointer,
                                format!("`{wire_name}` has different types in {keyword} members: typed as serde_json::Value"),
                            );
                        }
                        existing.ty = TypeRef::Json;
                        existing.nullable = false;
                    }
                }
                continue;
            }
            // an untyped occurrence is typed (and warned about, below) only if no typed one follows
            let ty = if untyped {
                TypeRef::Json
            } else {
                self.type_of(source.schema, &source.pointer, &hint)?
            };
            let field = self.field(&wire_name, &source, ty, false, &mut names)?;
            merged.insert(
                wire_name,
                (field, fingerprint, source.pointer.clone(), untyped),
            );
        }
        for (wire_name, (_, _, at, still_untyped)) in &merged {
            if *still_untyped {
                self.warn(
                    WarningKind::Untyped,
                    at,
                    format!("`{wire_name}` has no type in any {keyword} member: typed as serde_json::Value"),
                );
            }
        }
        Ok(StructModel {
            fields: merged.into_values().map(|(f, ..)| f).collect(),
            extra_ty: TypeRef::Json,
            extra_rust_type: String::new(),
            all_optional: true,
            from_one_of: true,
            discriminator_default: None,
        })
    }
}
