//! A uniform read-only view of one schema node.
//!
//! openapiv3 parses a schema either into a typed variant (`SchemaKind::Type`) or, when keywords
//! mix (`type: object` plus `oneOf`, an enum without `type`, properties without `type`), into
//! `SchemaKind::Any`. Both carry the same facts; the view exposes them one way so the
//! normalizer's decisions do not fork on how the parser happened to classify a node.

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

pub type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

pub struct View<'a> {
    pub schema: &'a Schema,
    pub typ: Option<&'a str>,
    pub properties: Option<&'a Properties>,
    pub required: &'a [String],
    pub additional: Option<&'a AdditionalProperties>,
    pub items: Option<&'a ReferenceOr<Box<Schema>>>,
    pub enum_values: Vec<Value>,
    pub one_of: &'a [ReferenceOr<Schema>],
    pub all_of: &'a [ReferenceOr<Schema>],
    pub any_of: &'a [ReferenceOr<Schema>],
}

const NONE: &[ReferenceOr<Schema>] = &[];

impl<'a> View<'a> {
    pub fn of(schema: &'a Schema) -> Self {
        let mut view = View {
            schema,
            typ: None,
            properties: None,
            required: &[],
            additional: None,
            items: None,
            enum_values: Vec::new(),
            one_of: NONE,
            all_of: NONE,
            any_of: NONE,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                view.typ = Some("string");
                view.enum_values = s.enumeration.iter().map(opt_value).collect();
            }
            SchemaKind::Type(Type::Integer(i)) => {
                view.typ = Some("integer");
                view.enum_values = i.enumeration.iter().map(opt_value).collect();
            }
            SchemaKind::Type(Type::Number(n)) => {
                view.typ = Some("number");
                view.enum_values = n.enumeration.iter().map(opt_value).collect();
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                view.typ = Some("boolean");
                view.enum_values = b.enumeration.iter().map(opt_value).collect();
            }
            SchemaKind::Type(Type::Object(o)) => {
                view.typ = Some("object");
                view.properties = Some(&o.properties);
                view.required = &o.required;
                view.additional = o.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(a)) => {
                view.typ = Some("array");
                view.items = a.items.as_ref();
            }
            SchemaKind::OneOf { one_of } => view.one_of = one_of,
            SchemaKind::AllOf { all_of } => view.all_of = all_of,
            SchemaKind::AnyOf { any_of } => view.any_of = any_of,
            SchemaKind::Not { .. } => {}
            SchemaKind::Any(any) => {
                view.typ = any.typ.as_deref();
                if !any.properties.is_empty() {
                    view.properties = Some(&any.properties);
                }
                view.required = &any.required;
                view.additional = any.additional_properties.as_ref();
                view.items = any.items.as_ref();
                view.enum_values = any.enumeration.clone();
                view.one_of = &any.one_of;
                view.all_of = &any.all_of;
                view.any_of = &any.any_of;
            }
        }
        view
    }

    pub fn data(&self) -> &'a openapiv3::SchemaData {
        &self.schema.schema_data
    }

    /// Carries no type information of its own: `{}`, `{description: ...}`, `{example: call}`,
    /// or an untyped enum such as a subtype's `provider: {enum: [OKTA]}` override.
    pub fn is_untyped(&self) -> bool {
        self.typ.is_none()
            && self.properties.is_none()
            && self.additional.is_none()
            && self.items.is_none()
            && self.one_of.is_empty()
            && self.all_of.is_empty()
            && self.any_of.is_empty()
            && self.data().discriminator.is_none()
    }

    /// Only annotations (no constraints at all), as in `allOf: [{description: x}, $ref: Y]`.
    pub fn is_annotation_only(&self) -> bool {
        self.is_untyped() && self.enum_values.is_empty()
    }

    /// Indices of the `allOf` members that constrain the value (a `$ref`, or a schema with more
    /// than annotations): a wrapper with one such member is that member plus documentation.
    pub fn substantive_all_of(&self) -> Vec<usize> {
        self.all_of
            .iter()
            .enumerate()
            .filter(|(_, m)| match m {
                ReferenceOr::Reference { .. } => true,
                ReferenceOr::Item(s) => !View::of(s).is_annotation_only(),
            })
            .map(|(i, _)| i)
            .collect()
    }
}

fn opt_value<T: Into<Value> + Clone>(v: &Option<T>) -> Value {
    v.clone().map(Into::into).unwrap_or(Value::Null)
}
