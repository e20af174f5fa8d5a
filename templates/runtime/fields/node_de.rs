//! A field's type deserialized from a [`Node`] tree, with the semantics of serde_json's
//! `Value` deserializer; a nested generated struct (or union) takes its tree over whole.

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::node::{Key, Node, HANDED_OFF, HANDOFF, JSON};

/// A property value on its way into its field's type, with the semantics of serde_json's
/// `Value` deserializer; hands a nested generated struct its object (and a nested union its
/// tree) without rebuilding it.
pub(super) struct NodeDeserializer(pub(super) Node);

impl<'de> de::Deserializer<'de> for NodeDeserializer {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Node::Null | Node::Taken => visitor.visit_unit(),
            Node::Bool(value) => visitor.visit_bool(value),
            Node::U64(value) => visitor.visit_u64(value),
            Node::I64(value) => visitor.visit_i64(value),
            Node::F64(value) => visitor.visit_f64(value),
            Node::Str(value) => visitor.visit_string(value),
            // serde_json's own reading: an integer or a float that keeps its text as itself,
            // anything else as the text (which a `Value` keeps)
            #[cfg(feature = "exact-numbers")]
            Node::Number(number) => number.deserialize_any(visitor),
            Node::Array(items) => {
                let mut access = Items(items.into_iter(), 0);
                let value = visitor.visit_seq(&mut access)?;
                access.finish().map(|()| value)
            }
            Node::Object(entries) => {
                let mut access = Properties {
                    len: entries.len(),
                    entries: entries.into_iter(),
                    value: None,
                };
                let value = visitor.visit_map(&mut access)?;
                access.finish().map(|()| value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Node::Null => visitor.visit_none(),
            node => visitor.visit_some(NodeDeserializer(node)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            // only `decode_struct` passes `HANDOFF`: `visitor` is the `EntriesVisitor` that
            // takes the object back at once
            Node::Object(entries) if fields == HANDOFF => {
                HANDED_OFF.set(Some(Node::Object(entries)));
                visitor.visit_map(NoProperties)
            }
            node => NodeDeserializer(node).deserialize_any(visitor),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        if name == JSON {
            // only `Json` passes `JSON`: `visitor` is the `NodeVisitor` that takes it back
            HANDED_OFF.set(Some(self.0));
            visitor.visit_newtype_struct(NodeDeserializer(Node::Null))
        } else {
            visitor.visit_newtype_struct(self)
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        // no generated type decodes as a Rust enum; a type that does gets serde_json's reading
        match self.0 {
            node @ (Node::Str(_) | Node::Object(_)) => {
                node.into_value().deserialize_enum(name, variants, visitor)
            }
            node => Err(de::Error::invalid_type(node.unexpected(), &"string or map")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        drop(self);
        visitor.visit_unit()
    }

    #[cfg(not(feature = "exact-numbers"))]
    serde::forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64
    }

    // a typed number field parses the text itself (a long decimal into the nearest `f64`)
    #[cfg(feature = "exact-numbers")]
    exact_numbers! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64
    }

    serde::forward_to_deserialize_any! {
        bool char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map
        identifier
    }
}

/// `NodeDeserializer` methods that hand a wire number to serde_json's own method of the name.
#[cfg(feature = "exact-numbers")]
macro_rules! exact_numbers {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
                match self.0 {
                    Node::Number(number) => number.$method(visitor),
                    node => NodeDeserializer(node).deserialize_any(visitor),
                }
            }
        )*
    };
}
#[cfg(feature = "exact-numbers")]
use exact_numbers;

/// The items of an array, each on its way into the item type.
struct Items(std::vec::IntoIter<Node>, usize);

impl Items {
    /// As serde_json's `Value`: an error if the visitor left items unread.
    fn finish(self) -> Result<(), serde_json::Error> {
        match self.0.len() {
            0 => Ok(()),
            left => Err(de::Error::invalid_length(
                self.1 + left,
                &"fewer elements in array",
            )),
        }
    }
}

impl<'de> SeqAccess<'de> for Items {
    type Error = serde_json::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        match self.0.next() {
            Some(item) => {
                self.1 += 1;
                seed.deserialize(NodeDeserializer(item)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// The properties of an object, each on its way into a map's key and value types.
struct Properties {
    len: usize,
    entries: std::vec::IntoIter<(Key, Node)>,
    value: Option<Node>,
}

impl Properties {
    /// As serde_json's `Value`: an error if the visitor left properties unread.
    fn finish(self) -> Result<(), serde_json::Error> {
        match self.entries.len() {
            0 => Ok(()),
            _ => Err(de::Error::invalid_length(
                self.len,
                &"fewer elements in map",
            )),
        }
    }
}

impl<'de> MapAccess<'de> for Properties {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(de::value::StringDeserializer::new(key.into_string()))
                    .map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(NodeDeserializer(value)),
            None => Err(de::Error::custom("value is missing")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// What a handed-off object's visitor is called with; it never reads from it.
struct NoProperties;

impl<'de> MapAccess<'de> for NoProperties {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        _seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        _seed: V,
    ) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("value is missing"))
    }
}
