//! Decoding of the generated structs.
//!
//! `#[derive(serde::Deserialize)]` on a struct with a flattened map of extra properties expands
//! to about 19 KB of code per struct (its field visitor, a buffer of unknown keys, one match arm
//! per field), which was two thirds of the macro-expanded code of a provider module and most of
//! its compile time. The generated impls instead read the JSON object once into [`Fields`] and
//! take each field with one call whose name says how absence and `null` decode (the render view
//! picks it from the field's `Presence`), with the semantics of the derive it replaces. What
//! differs: errors name the field they come from, and of a property sent twice the last counts
//! (the derive refused a repeated declared field of an object decoded from text, and took the
//! last one everywhere else).
//!
//! The properties are read into a [`Node`] tree, not a `serde_json::Value`: an object is a list
//! of its properties in wire order, with no hashing and no map to build and unbuild (with
//! serde_json's `preserve_order`, which a workspace may turn on for everyone, every `Value`
//! object is an `IndexMap` keyed with SipHash; that tree was half the decode time). A `Value`
//! is only built where a field's type is `serde_json::Value`, and for a union's unknown member.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeOwned, MapAccess, Visitor};
use serde_json::Value;

use node::{collect, head, with_pending, Entries, Node, NodeVisitor, HANDED_OFF, HANDOFF, JSON};
use node_de::NodeDeserializer;

// the tree properties are read into, and the handoff of a tree between deserializers
mod node;
// a field's type deserialized from the tree
mod node_de;

/// Decodes a JSON object named `name` (`struct {name}` in the error for anything else) with
/// `build`, which takes its fields from the [`Fields`] it is handed.
///
/// The deserializer only collects the properties; `build` runs after it returned. Everything
/// that touches the deserializer is generic over the deserializer alone, not over the struct:
/// with the struct as a type parameter of the visitor, every model instantiated the property
/// collection and the tree's visitors again (a third of the crate's LLVM IR). What that costs:
/// an error in a field of an object decoded from JSON text names the field path but no line and
/// column (syntax errors still carry them).
#[doc(hidden)]
pub fn decode_struct<'de, D, T>(
    deserializer: D,
    name: &'static str,
    build: fn(&mut Fields) -> Result<T, serde_json::Error>,
) -> Result<T, D::Error>
where
    D: de::Deserializer<'de>,
{
    let entries = deserializer.deserialize_struct(name, HANDOFF, EntriesVisitor { name })?;
    build(&mut Fields { entries }).map_err(de::Error::custom)
}

/// Collects the properties of one object, whatever struct they are for.
struct EntriesVisitor {
    name: &'static str,
}

impl<'de> Visitor<'de> for EntriesVisitor {
    type Value = Entries;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "struct {}", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<Entries, A::Error> {
        match HANDED_OFF.take() {
            Some(Node::Object(entries)) => Ok(entries),
            _ => with_pending(|pending| collect(access, pending)),
        }
    }
}

/// Any JSON value, read for a generated union: it looks at the discriminator with
/// [`Json::tag`], then decodes the member struct from the same tree with [`Json::decode`], or
/// keeps the value unknown to it with [`Json::into_value`].
#[doc(hidden)]
#[derive(Debug)]
pub struct Json(Node);

/// The kinds of JSON value, as an untagged union tells its members apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    Null,
    Bool,
    /// A number without fraction or exponent.
    Integer,
    /// Any other number.
    Number,
    String,
    Array,
    Object,
}

impl<'de> serde::Deserialize<'de> for Json {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Json, D::Error> {
        with_pending(|pending| deserializer.deserialize_newtype_struct(JSON, NodeVisitor(pending)))
            .map(Json)
    }
}

impl Json {
    /// The discriminator `property` of an object as text: a string as it is, a number (mapping
    /// keys are strings; `"auth_method": 8`) as its decimal text, anything else `None`. Of a
    /// property sent twice the last counts.
    pub fn tag(&self, property: &str) -> Option<String> {
        let Node::Object(entries) = &self.0 else {
            return None;
        };
        let head = head(property.as_bytes());
        let (_, value) = entries
            .iter()
            .rev()
            .find(|(key, _)| key.is(head, property))?;
        match value {
            Node::Str(text) => Some(text.clone()),
            Node::U64(number) => Some(number.to_string()),
            Node::I64(number) => Some(number.to_string()),
            Node::F64(number) => serde_json::Number::from_f64(*number).map(|n| n.to_string()),
            #[cfg(feature = "exact-numbers")]
            Node::Number(number) => Some(number.to_string()),
            _ => None,
        }
    }

    /// The JSON kind of the value: an untagged union picks its member by it.
    pub fn kind(&self) -> JsonKind {
        match &self.0 {
            Node::Null | Node::Taken => JsonKind::Null,
            Node::Bool(_) => JsonKind::Bool,
            Node::U64(_) | Node::I64(_) => JsonKind::Integer,
            Node::F64(_) => JsonKind::Number,
            #[cfg(feature = "exact-numbers")]
            Node::Number(number) if number.is_f64() => JsonKind::Number,
            #[cfg(feature = "exact-numbers")]
            Node::Number(_) => JsonKind::Integer,
            Node::Str(_) => JsonKind::String,
            Node::Array(_) => JsonKind::Array,
            Node::Object(_) => JsonKind::Object,
        }
    }

    /// The error for a value of a kind no member of an untagged union accepts.
    pub fn unexpected(self, expected: &str) -> serde_json::Error {
        de::Error::invalid_type(self.0.unexpected(), &expected)
    }

    /// The value decoded as `T`; a generated struct takes the object as it is.
    pub fn decode<T: DeserializeOwned>(self) -> Result<T, serde_json::Error> {
        T::deserialize(NodeDeserializer(self.0))
    }

    /// The value as a `serde_json::Value`.
    pub fn into_value(self) -> Value {
        self.0.into_value()
    }

    /// The value for a union's unknown member. Only an object can be a member this crate
    /// version does not know; an empty body (read as `null`), an array, a string or a number is
    /// a broken answer, and a caller matching on `Unknown` would otherwise take it for a new
    /// factor kind.
    pub fn into_unknown_object(self) -> Result<Value, serde_json::Error> {
        match self.0 {
            node @ Node::Object(_) => Ok(node.into_value()),
            node => Err(de::Error::invalid_type(node.unexpected(), &"a JSON object")),
        }
    }
}

/// The properties of one JSON object, taken one by one by a generated `Deserialize` impl;
/// what is left over becomes the struct's additional properties.
///
/// A list, not a map: a struct has a handful of properties, and a scan of a short list beats
/// building and unbuilding a tree (this is on every decoded response).
#[doc(hidden)]
#[derive(Debug)]
pub struct Fields {
    entries: Entries,
}

impl Fields {
    /// Takes the property `name`. Of a property sent twice the last counts, as in the
    /// `serde_json::Value` that nested objects used to be read into; the earlier ones stay, and
    /// [`Fields::rest`] leaves them out.
    fn take(&mut self, name: &'static str) -> Option<Node> {
        let head = head(name.as_bytes());
        let (_, value) = self
            .entries
            .iter_mut()
            .rev()
            .find(|(key, _)| key.is(head, name))?;
        match std::mem::replace(value, Node::Taken) {
            Node::Taken => None,
            value => Some(value),
        }
    }

    /// A required field (`T`). Absent, it decodes like a missing field of a derived impl: a
    /// type that accepts "none" (`Option`) is `None`, any other is the error `missing field`.
    pub fn required<T: DeserializeOwned>(
        &mut self,
        name: &'static str,
    ) -> Result<T, serde_json::Error> {
        match self.take(name) {
            Some(value) => {
                T::deserialize(NodeDeserializer(value)).map_err(|error| in_field(name, error))
            }
            None => T::deserialize(Missing(name)),
        }
    }

    /// An `Option<T>` field where absent and `null` mean the same: both are `None`.
    pub fn optional<T: DeserializeOwned>(
        &mut self,
        name: &'static str,
    ) -> Result<Option<T>, serde_json::Error> {
        match self.take(name) {
            None | Some(Node::Null) => Ok(None),
            Some(value) => T::deserialize(NodeDeserializer(value))
                .map(Some)
                .map_err(|error| in_field(name, error)),
        }
    }

    /// An `Option<T>` field that tells absence from `null`: absent is `None`, any present value
    /// (`null` too) is `Some(T)`, so `Option<Option<U>>` reads `null` as `Some(None)` and
    /// `Option<Value>` as `Some(Value::Null)`.
    pub fn present<T: DeserializeOwned>(
        &mut self,
        name: &'static str,
    ) -> Result<Option<T>, serde_json::Error> {
        match self.take(name) {
            None => Ok(None),
            Some(value) => T::deserialize(NodeDeserializer(value))
                .map(Some)
                .map_err(|error| in_field(name, error)),
        }
    }

    /// The properties no field took, each decoded as `T`; of a repeated one, the last.
    pub fn rest<T: DeserializeOwned>(&mut self) -> Result<BTreeMap<String, T>, serde_json::Error> {
        let mut entries = std::mem::take(&mut self.entries);
        let mut rest = BTreeMap::new();
        for index in 0..entries.len() {
            let value = &mut entries[index].1;
            // taken, or sent again later and taken then (see `take`)
            if matches!(value, Node::Taken) {
                continue;
            }
            let value = std::mem::replace(value, Node::Taken);
            let (key, later) = (&entries[index].0, &entries[index + 1..]);
            if later.iter().any(|(other, value)| {
                matches!(value, Node::Taken) && other.as_bytes() == key.as_bytes()
            }) {
                continue;
            }
            let key = String::from_utf8_lossy(key.as_bytes()).into_owned();
            match T::deserialize(NodeDeserializer(value)) {
                // of a repeated property the last counts
                Ok(value) => drop(rest.insert(key, value)),
                Err(error) => return Err(in_field(&key, error)),
            }
        }
        Ok(rest)
    }
}

/// Names the property an error came from: `hints: invalid type: ...`; nested fields read as a
/// path (`_embedded: challenge: correctAnswer: ...`).
fn in_field(name: &str, error: serde_json::Error) -> serde_json::Error {
    de::Error::custom(format_args!("{name}: {error}"))
}

/// The value of an absent field, as serde's derive sees it: `None` to a type that asks for an
/// option, the error `missing field` to any other.
struct Missing(&'static str);

impl<'de> de::Deserializer<'de> for Missing {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests;
