//! Schemas -> models. Models are created lazily, the first time an operation (or another model)
//! reaches them, so the output holds exactly the schemas the selected operations need
//! (tree-shaking follows `$ref`s and discriminator mappings alike).
//!
//! This module plans each schema node (a type, an alias, or a model of some kind) and resolves
//! references; `structs` builds object models, `enums` builds enums and unions.

mod enums;
mod structs;
mod untagged;
mod widen;

use std::borrow::Borrow;
use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use serde_json::Value;

use super::view::View;
use crate::config::ProviderConfig;
use crate::error::{pointer_push, GenError};
use crate::ir::{EnumRepr, Model, ModelKind, TypeRef, Warning, WarningKind};
use crate::load::LoadedSpec;
use crate::naming::{self, Scope};

/// The `type` values of OpenAPI 3.0.
const TYPES: &[&str] = &["integer", "number", "string", "boolean", "array", "object"];

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// How one schema node becomes Rust.
enum Plan<'s> {
    Type(TypeRef),
    /// The node is a thin wrapper (single meaningful `allOf`/`oneOf` member): use the member.
    Alias(&'s ReferenceOr<Schema>, String),
    Model(ModelPlan),
}

/// The schema needs a generated model of this kind.
enum ModelPlan {
    Struct,
    OneOfStruct,
    Enum(EnumRepr),
    Union,
    /// `oneOf`/`anyOf` members of different JSON kinds, no discriminator: (keyword, members).
    Untagged(&'static str),
}

/// One property gathered while merging `allOf` members.
struct PropSource<'s> {
    schema: &'s ReferenceOr<Box<Schema>>,
    pointer: String,
}

#[derive(Default)]
struct ObjectShape<'s> {
    props: IndexMap<String, PropSource<'s>>,
    required: Vec<String>,
    additional: Option<(&'s AdditionalProperties, String)>,
}

pub struct Schemas<'s> {
    spec: &'s LoadedSpec,
    config: &'s ProviderConfig,
    /// key (component ref or inline pointer) -> assigned Rust name; set before a model is built
    /// so recursive references resolve.
    assigned: BTreeMap<String, String>,
    /// Keys whose plan is being worked out (an alias, array or map that is not a model yet),
    /// to catch a schema that reaches itself before any model breaks the cycle.
    planning: Vec<String>,
    models: Vec<Model>,
    /// Enums and structs made by merging the types of object-union members (widen.rs), which
    /// a later member may extend.
    merged_models: std::collections::BTreeSet<String>,
    pub type_names: Scope,
    pub warnings: Vec<Warning>,
}

impl<'s> Schemas<'s> {
    pub fn new(spec: &'s LoadedSpec, config: &'s ProviderConfig, type_names: Scope) -> Self {
        Self {
            spec,
            config,
            assigned: BTreeMap::new(),
            planning: Vec::new(),
            models: Vec::new(),
            merged_models: Default::default(),
            type_names,
            warnings: Vec::new(),
        }
    }

    pub fn into_parts(self) -> (Vec<Model>, Vec<Warning>, Scope) {
        (self.models, self.warnings, self.type_names)
    }

    pub fn warn(&mut self, kind: WarningKind, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: pointer.to_owned(),
            message: message.into(),
            kind,
        });
    }

    /// Takes back the untyped-fallback warnings added since `mark`, for a type that was worked
    /// out and then not used.
    pub(super) fn retract_untyped(&mut self, mark: usize) {
        let mut index = 0;
        self.warnings.retain(|w| {
            index += 1;
            index <= mark || w.kind.effect() != crate::ir::WarningEffect::JsonFallback
        });
    }

    pub fn spec(&self) -> &'s LoadedSpec {
        self.spec
    }

    /// Whether `rust_name` is a generated enum: enums have a parameter wire form, structs and
    /// unions do not.
    /// The kind of a model already built (parameters ask how to serialise theirs).
    pub fn model_kind(&self, rust_name: &str) -> Option<&ModelKind> {
        self.models
            .iter()
            .find(|m| m.rust_name == rust_name)
            .map(|m| &m.kind)
    }

    fn error(&self, pointer: &str, message: impl Into<String>) -> GenError {
        GenError::spec(&self.spec.path, pointer, message)
    }

    /// Raw keys next to a `$ref` (openapiv3 drops them): `readOnly`, `nullable`, `description`.
    fn raw_sibling(&self, pointer: &str, key: &str) -> Option<&'s Value> {
        self.spec.raw.pointer(pointer)?.get(key)
    }

    /// Follows a `$ref` (and chains of them) to a schema, through the one resolver.
    fn resolve(
        &self,
        reference: &str,
        pointer: &str,
    ) -> Result<(&'s Schema, String, String), GenError> {
        let found = super::refs::resolve::<Schema>(self.spec, reference, pointer)?;
        Ok((found.item, found.pointer, found.name))
    }

    /// Resolves a possibly-referenced schema to (schema, pointer of its definition, component name).
    fn deref<'r>(
        &self,
        schema: &'r ReferenceOr<Schema>,
        pointer: &str,
    ) -> Result<(&'r Schema, String, Option<String>), GenError>
    where
        's: 'r,
    {
        match schema {
            ReferenceOr::Item(s) => Ok((s, pointer.to_owned(), None)),
            ReferenceOr::Reference { reference } => {
                let (s, p, n) = self.resolve(reference, pointer)?;
                Ok((s, p, Some(n)))
            }
        }
    }

    /// The type of a schema node, inline or `$ref` (`T` is `Schema` or `Box<Schema>`, as
    /// openapiv3 stores either depending on where the node sits).
    pub fn type_of<T: Borrow<Schema>>(
        &mut self,
        schema: &'s ReferenceOr<T>,
        pointer: &str,
        hint: &str,
    ) -> Result<TypeRef, GenError> {
        match schema {
            ReferenceOr::Item(s) => self.type_of_inline(s.borrow(), pointer, hint),
            ReferenceOr::Reference { reference } => self.type_of_ref(reference, pointer),
        }
    }

    fn type_of_ref(&mut self, reference: &str, pointer: &str) -> Result<TypeRef, GenError> {
        let (schema, target, name) = self.resolve(reference, pointer)?;
        let key = format!("{SCHEMA_PREFIX}{name}");
        if let Some(rust) = self.assigned.get(&key) {
            return Ok(TypeRef::Model(rust.clone()));
        }
        let wanted = self
            .config
            .naming
            .types
            .get(&name)
            .cloned()
            .unwrap_or_else(|| naming::type_name(&name));
        self.type_for(schema, &target, key, wanted, name)
    }

    fn type_of_inline(
        &mut self,
        schema: &'s Schema,
        pointer: &str,
        hint: &str,
    ) -> Result<TypeRef, GenError> {
        if let Some(rust) = self.assigned.get(pointer) {
            return Ok(TypeRef::Model(rust.clone()));
        }
        // an inline schema can be named in the config by its JSON pointer
        let wanted = self
            .config
            .naming
            .types
            .get(pointer)
            .cloned()
            .unwrap_or_else(|| naming::type_name(hint));
        self.type_for(
            schema,
            pointer,
            pointer.to_owned(),
            wanted,
            pointer.to_owned(),
        )
    }

    fn type_for(
        &mut self,
        schema: &'s Schema,
        pointer: &str,
        key: String,
        wanted: String,
        spec_name: String,
    ) -> Result<TypeRef, GenError> {
        if self.planning.contains(&key) {
            // `A: {type: array, items: {$ref: A}}`, or `allOf: [{$ref: A}]` inside A: no Rust
            // type alias can be recursive without a struct in between, and the plain
            // recursion would never end.
            self.warn(
                WarningKind::RecursiveAlias,
                pointer,
                "the schema contains itself with no object in between: typed as serde_json::Value",
            );
            return Ok(TypeRef::Json);
        }
        self.planning.push(key.clone());
        let view = View::of(schema);
        let plan = self.plan(&view, pointer, &wanted);
        let plan = match plan {
            Ok(Plan::Alias(member, member_pointer)) => self
                .type_of(member, &member_pointer, &wanted)
                .map(Plan::Type),
            other => other,
        };
        self.planning.pop();
        let kind = match plan? {
            Plan::Type(ty) => return Ok(ty),
            Plan::Alias(..) => unreachable!("aliases are resolved above"),
            Plan::Model(kind) => kind,
        };
        let rust_name = self.type_names.claim(wanted);
        self.assigned.insert(key.clone(), rust_name.clone());
        let model_kind = match kind {
            ModelPlan::Struct => {
                ModelKind::Struct(self.build_struct(&view, pointer, &rust_name, false)?)
            }
            ModelPlan::OneOfStruct => {
                ModelKind::Struct(self.build_one_of_struct(&view, pointer, &rust_name)?)
            }
            ModelPlan::Enum(repr) => ModelKind::Enum(self.build_enum(&view, pointer, repr)),
            ModelPlan::Union => {
                ModelKind::Union(self.build_union(schema, pointer, &key, &rust_name)?)
            }
            ModelPlan::Untagged(keyword) => {
                ModelKind::Untagged(self.build_untagged(&view, pointer, keyword, &rust_name)?)
            }
        };
        self.models.push(Model {
            gate: Default::default(),
            spec_name,
            rust_name: rust_name.clone(),
            description: description_of(schema),
            kind: model_kind,
        });
        Ok(TypeRef::Model(rust_name))
    }

    fn plan(&mut self, view: &View<'s>, pointer: &str, wanted: &str) -> Result<Plan<'s>, GenError> {
        let data = view.data();
        if let Some(d) = &data.discriminator {
            if !d.mapping.is_empty() || !view.one_of.is_empty() || !view.any_of.is_empty() {
                return Ok(Plan::Model(ModelPlan::Union));
            }
        }
        if !view.enum_values.is_empty() {
            return Ok(self.plan_enum(view, pointer));
        }
        if !view.all_of.is_empty() && view.properties.is_none() {
            let substantive = view.substantive_all_of();
            if let [only] = substantive.as_slice() {
                let member = &view.all_of[*only];
                return Ok(Plan::Alias(
                    member,
                    pointer_push(&pointer_push(pointer, "allOf"), &only.to_string()),
                ));
            }
            if substantive.is_empty() {
                self.warn(
                    WarningKind::Untyped,
                    pointer,
                    "`allOf` of annotations only, no type: typed as serde_json::Value",
                );
                return Ok(Plan::Type(TypeRef::Json));
            }
            return Ok(Plan::Model(ModelPlan::Struct));
        }
        if !view.all_of.is_empty() {
            return Ok(Plan::Model(ModelPlan::Struct));
        }
        let (members, keyword) = if !view.one_of.is_empty() {
            (view.one_of, "oneOf")
        } else {
            (view.any_of, "anyOf")
        };
        if !members.is_empty() {
            if let Some(single) = one_or_many(members) {
                let at = pointer_push(&pointer_push(pointer, keyword), &single.to_string());
                let item = self.type_of(&members[single], &at, wanted)?;
                return Ok(Plan::Type(TypeRef::OneOrMany(Box::new(item))));
            }
            if members.len() == 1 && view.properties.is_none() {
                return Ok(Plan::Alias(
                    &members[0],
                    pointer_push(&pointer_push(pointer, keyword), "0"),
                ));
            }
            return self.plan_members(members, pointer, keyword);
        }
        if view.properties.is_some_and(|p| !p.is_empty()) {
            return Ok(Plan::Model(ModelPlan::Struct));
        }
        let ty = match view.typ {
            Some("string") => {
                // Okta declares `type: string` with `items` (or object keywords) in a few
                // places; the explicit `type` is the stronger statement.
                let foreign: Vec<&str> = [
                    ("items", view.items.is_some()),
                    ("properties", view.properties.is_some_and(|p| !p.is_empty())),
                    ("additionalProperties", view.additional.is_some()),
                ]
                .into_iter()
                .filter_map(|(key, present)| present.then_some(key))
                .collect();
                if !foreign.is_empty() {
                    let keys = foreign
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    self.warn(
                        WarningKind::StringWithForeignKeywords,
                        pointer,
                        format!("`type: string` with {keys}: typed as a string, {keys} ignored"),
                    );
                }
                TypeRef::String {
                    format: self.format_at(pointer),
                }
            }
            Some("integer") => TypeRef::Integer {
                format: self.format_at(pointer),
            },
            Some("number") => TypeRef::Number {
                format: self.format_at(pointer),
            },
            Some("boolean") => TypeRef::Bool,
            Some("array") => match view.items {
                Some(items) => {
                    let hint = format!("{wanted}Item");
                    let item = self.type_of(items, &pointer_push(pointer, "items"), &hint)?;
                    TypeRef::Array(Box::new(item))
                }
                None => {
                    self.warn(
                        WarningKind::ArrayWithoutItems,
                        pointer,
                        "array without `items`: items typed as serde_json::Value",
                    );
                    TypeRef::Array(Box::new(TypeRef::Json))
                }
            },
            // A map only when the values have a schema; a free-form object (`profile`,
            // `_embedded`) is any JSON: the wire is known to put arrays and strings there.
            Some("object") | None
                if matches!(view.additional, Some(AdditionalProperties::Schema(_))) =>
            {
                TypeRef::Map(Box::new(self.additional_type(
                    view.additional,
                    pointer,
                    wanted,
                )?))
            }
            Some("object") => {
                self.warn(
                    WarningKind::Untyped,
                    pointer,
                    "free-form object (no properties, no additionalProperties schema): typed as serde_json::Value",
                );
                TypeRef::Json
            }
            Some(other) if other != "object" => {
                self.warn(
                    WarningKind::UnknownType,
                    pointer,
                    format!(
                        "unknown type `{other}`{}: typed as serde_json::Value",
                        crate::load::keywords::did_you_mean(other, TYPES)
                            .map(|known| format!(" (did you mean `{known}`?)"))
                            .unwrap_or_default()
                    ),
                );
                TypeRef::Json
            }
            _ => {
                self.warn(
                    WarningKind::Untyped,
                    pointer,
                    "schema without a type: typed as serde_json::Value",
                );
                TypeRef::Json
            }
        };
        Ok(Plan::Type(ty))
    }

    fn plan_enum(&mut self, view: &View<'s>, pointer: &str) -> Plan<'s> {
        let values: Vec<&Value> = view.enum_values.iter().filter(|v| !v.is_null()).collect();
        if values.is_empty() {
            // `enum: [null]`: the only value is `null`; `()` decodes exactly that
            return Plan::Type(TypeRef::Null);
        }
        if view.typ == Some("boolean") || values.iter().all(|v| v.is_boolean()) {
            // Okta's `enum: [true]`: a one-variant Rust enum would refuse nothing useful and
            // complicate every constructor; `bool` decodes everything the wire sends.
            self.warn(
                WarningKind::BooleanEnum,
                &pointer_push(pointer, "enum"),
                format!(
                    "boolean enum {}: typed as bool, the allowed values are not enforced",
                    Value::Array(values.iter().map(|v| (*v).clone()).collect())
                ),
            );
            return Plan::Type(TypeRef::Bool);
        }
        if view.typ == Some("integer") || values.iter().all(|v| v.is_i64()) {
            if values.iter().all(|v| v.is_i64()) {
                return Plan::Model(ModelPlan::Enum(EnumRepr::Integer));
            }
        } else if values.iter().all(|v| v.is_string()) {
            return Plan::Model(ModelPlan::Enum(EnumRepr::String));
        }
        self.warn(
            WarningKind::MixedEnum,
            pointer,
            "enum with mixed value types: typed as serde_json::Value",
        );
        Plan::Type(TypeRef::Json)
    }

    /// The node's `format`, when it is a format name. Okta writes prose there ("ISO 8601
    /// compliant timestamp", a regex, a sentence): that is dropped with a warning, so no later
    /// step mistakes it for a name.
    fn format_at(&mut self, pointer: &str) -> Option<String> {
        let format = self
            .spec
            .raw
            .pointer(pointer)
            .and_then(|n| n.get("format"))
            .and_then(Value::as_str)?;
        if is_format_name(format) {
            return Some(format.to_owned());
        }
        self.warn(
            WarningKind::ProseFormat,
            &pointer_push(pointer, "format"),
            format!("`format` is prose, not a format name ({format:?}); ignored"),
        );
        None
    }

    fn additional_type(
        &mut self,
        additional: Option<&'s AdditionalProperties>,
        pointer: &str,
        wanted: &str,
    ) -> Result<TypeRef, GenError> {
        match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let hint = format!("{wanted}Value");
                self.type_of(
                    schema,
                    &pointer_push(pointer, "additionalProperties"),
                    &hint,
                )
            }
            _ => Ok(TypeRef::Json),
        }
    }
}

/// `[T, {type: array, items: T}]` (either order): the index of the single `T`. This is how a
/// wire patch says "the spec declares one `T`, the vendor also sends an array of them".
fn one_or_many(members: &[ReferenceOr<Schema>]) -> Option<usize> {
    let [a, b] = members else {
        return None;
    };
    let items_of = |member: &ReferenceOr<Schema>| match member {
        ReferenceOr::Item(schema) => View::of(schema)
            .items
            .filter(|_| View::of(schema).typ == Some("array"))
            .and_then(|items| serde_json::to_value(items).ok()),
        ReferenceOr::Reference { .. } => None,
    };
    let same = |single: &ReferenceOr<Schema>, many: &ReferenceOr<Schema>| {
        items_of(many).is_some_and(|items| serde_json::to_value(single).ok() == Some(items))
    };
    if same(a, b) {
        Some(0)
    } else if same(b, a) {
        Some(1)
    } else {
        None
    }
}

/// A format name is one short token (`date-time`, `int64`, `iss_sub`, `utf-8`); the spec's
/// registry and every vendor extension seen so far fit this.
fn is_format_name(format: &str) -> bool {
    !format.is_empty()
        && format.len() <= 32
        && format
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '+'))
}

fn description_of(schema: &Schema) -> Option<String> {
    schema
        .schema_data
        .description
        .clone()
        .or_else(|| schema.schema_data.title.clone())
}
