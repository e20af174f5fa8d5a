//! Spec text -> JSON tree, refusing a mapping key written twice.
//!
//! serde_json and serde_yaml_ng both keep the last of two equal keys without a word, so a
//! path or property written twice would silently drop the first. Neither offers a strict mode
//! for `serde_json::Value`, so the tree is built here by a `DeserializeSeed` that tracks where
//! it is and stops at the second occurrence. The same seed serves both formats; the parsers'
//! own recursion limits still bound the nesting depth.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::error::pointer_push;

/// The key written twice: its pointer and the two entry positions in its mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The mapping holding the key.
    pub parent: String,
    pub key: String,
    /// Where both entries point: the mapping's pointer plus the key.
    pub pointer: String,
    /// 1-based positions of the two entries among the mapping's entries.
    pub first: usize,
    pub second: usize,
}

#[derive(Default)]
pub struct State {
    path: Vec<String>,
    pub duplicate: Option<Duplicate>,
}

impl State {
    fn pointer(&self) -> String {
        self.path
            .iter()
            .fold(String::new(), |out, token| pointer_push(&out, token))
    }
}

/// Seed for one node; `state.path` holds the tokens from the root to it.
pub struct Node<'a> {
    pub state: &'a mut State,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    // an integer beyond 64 bits (a YAML writer printing -2^63 as `-9223372036854776000`) is
    // kept as the nearest float, as a JSON parser without arbitrary precision reads it
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(Number::from_f64(v as f64).map_or(Value::Null, Value::Number))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(Number::from_f64(v as f64).map_or(Value::Null, Value::Number))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // as serde_json's own Value: a non-finite float (YAML `.inf`) becomes null
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            self.state.path.push(items.len().to_string());
            let item = seq.next_element_seed(Node {
                state: &mut *self.state,
            })?;
            self.state.path.pop();
            match item {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            if map.contains_key(&key) {
                let first = map.keys().position(|k| k == &key).map_or(0, |i| i + 1);
                let second = map.len() + 1;
                let parent = self.state.pointer();
                self.state.duplicate = Some(Duplicate {
                    pointer: pointer_push(&parent, &key),
                    parent,
                    key,
                    first,
                    second,
                });
                return Err(de::Error::custom("duplicate mapping key"));
            }
            self.state.path.push(key.clone());
            let value = access.next_value_seed(Node {
                state: &mut *self.state,
            })?;
            self.state.path.pop();
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}
