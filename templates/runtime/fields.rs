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

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

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

/// The field list `decode_struct` passes: other deserializers ignore it (a struct is an object
/// to them), [`NodeDeserializer`] recognises it and hands its object over whole (see
/// [`HANDED_OFF`]).
const HANDOFF: &[&str] = &["$idp_mfa::runtime::fields::handoff"];

/// The newtype name [`Json`] reads itself with: other deserializers pass themselves on to
/// `visit_newtype_struct` or ignore it, [`NodeDeserializer`] hands its tree over whole.
const JSON: &str = "$idp_mfa::runtime::fields::Json";

thread_local! {
    /// A tree on its way from [`NodeDeserializer`] to the visitor it calls next (an
    /// [`EntriesVisitor`] or the [`NodeVisitor`] of a [`Json`]), which takes it at once. The
    /// property values of an object are already decoded; passed to a nested struct through the
    /// `Deserializer` API they would be rebuilt node by node at every level of nesting.
    static HANDED_OFF: Cell<Option<Node>> = const { Cell::new(None) };
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

/// Reads the properties of an object onto `pending`, the properties of the objects being read
/// (innermost last), then moves them into a list of their exact size: one allocation per object,
/// none to grow it.
fn collect<'de, A: MapAccess<'de>>(
    mut access: A,
    pending: &mut Entries,
) -> Result<Entries, A::Error> {
    let base = pending.len();
    loop {
        let entry = match access.next_key::<Key>() {
            // a nested object in the value pushes and pops its own properties above ours
            Ok(Some(key)) => access
                .next_value_seed(NodeSeed(pending))
                .map(|value| (key, value)),
            Ok(None) => break,
            Err(error) => Err(error),
        };
        match entry {
            Ok(entry) => pending.push(entry),
            Err(error) => {
                pending.truncate(base);
                return Err(error);
            }
        }
    }
    Ok(pending.split_off(base))
}

thread_local! {
    /// The stack [`collect`] reads properties onto, kept between calls at the size of the
    /// largest body read so far.
    static PENDING: Cell<Entries> = const { Cell::new(Vec::new()) };
}

/// Runs `read` with the thread's [`PENDING`] stack (a new one if it is in use).
fn with_pending<R>(read: impl FnOnce(&mut Entries) -> R) -> R {
    let mut pending = PENDING.take();
    let read = read(&mut pending);
    PENDING.set(pending);
    read
}

/// A JSON value as the generated impls read it: like `serde_json::Value` (numbers as serde_json
/// reads them), with an object as the list of its properties in wire order.
#[derive(Debug)]
enum Node {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(String),
    Array(Vec<Node>),
    Object(Entries),
    /// A number as written on the wire (feature `exact-numbers`: serde_json's
    /// `arbitrary_precision`, under which every number arrives as its text).
    #[cfg(feature = "exact-numbers")]
    Number(serde_json::Number),
    /// A property a field took already (only in [`Fields`]).
    Taken,
}

/// The one property of the object serde_json's `arbitrary_precision` hands a visitor for a
/// number: its text.
#[cfg(feature = "exact-numbers")]
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// The number an `arbitrary_precision` number object stands for, if `entries` is one.
#[cfg(feature = "exact-numbers")]
fn wire_number(entries: &Entries) -> Option<serde_json::Number> {
    match entries.as_slice() {
        [(key, Node::Str(text))] if key.as_bytes() == NUMBER_TOKEN.as_bytes() => text.parse().ok(),
        _ => None,
    }
}

/// The properties of one JSON object in wire order.
type Entries = Vec<(Key, Node)>;

/// The longest property name a [`Key`] holds without an allocation of its own.
const INLINE: usize = 22;

/// A property name. Most are short: held inline, they cost no allocation and no free (a fifth
/// of the decode time when they were `String`s); only the names of additional properties become
/// `String`s. `head`, the first bytes, tells most names apart with one comparison.
#[derive(Debug)]
struct Key {
    head: u64,
    text: KeyText,
}

#[derive(Debug)]
enum KeyText {
    Inline(u8, [u8; INLINE]),
    Heap(Box<str>),
}

/// The first 8 bytes of a property name (zero-padded), as one number.
fn head(name: &[u8]) -> u64 {
    match name.first_chunk() {
        Some(bytes) => u64::from_le_bytes(*bytes),
        None => name
            .iter()
            .rev()
            .fold(0, |head, &byte| (head << 8) | u64::from(byte)),
    }
}

impl Key {
    fn new(text: &str) -> Key {
        Key::inline(text).unwrap_or_else(|| Key::heap(text.into()))
    }

    fn heap(text: Box<str>) -> Key {
        Key {
            head: head(text.as_bytes()),
            text: KeyText::Heap(text),
        }
    }

    fn inline(text: &str) -> Option<Key> {
        let len = text.len();
        let mut bytes = [0; INLINE];
        bytes.get_mut(..len)?.copy_from_slice(text.as_bytes());
        let mut head = [0; 8];
        head.copy_from_slice(&bytes[..8]);
        Some(Key {
            head: u64::from_le_bytes(head),
            text: KeyText::Inline(len as u8, bytes),
        })
    }

    fn as_bytes(&self) -> &[u8] {
        match &self.text {
            KeyText::Inline(len, bytes) => &bytes[..usize::from(*len)],
            KeyText::Heap(text) => text.as_bytes(),
        }
    }

    /// Whether this is the name `name` with the [`head`] `head`.
    fn is(&self, head: u64, name: &str) -> bool {
        if self.head != head {
            return false;
        }
        let (text, name) = (self.as_bytes(), name.as_bytes());
        // the heads are the first 8 bytes: what is left to compare is the rest
        text.len() == name.len() && (name.len() <= 8 || text[8..] == name[8..])
    }

    fn into_string(self) -> String {
        match self.text {
            // the bytes of a `str`: never lossy
            KeyText::Inline(..) => String::from_utf8_lossy(self.as_bytes()).into_owned(),
            KeyText::Heap(text) => text.into_string(),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = Key;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string")
    }

    fn visit_str<E>(self, value: &str) -> Result<Key, E> {
        Ok(Key::new(value))
    }

    fn visit_string<E>(self, value: String) -> Result<Key, E> {
        Ok(Key::inline(&value).unwrap_or_else(|| Key::heap(value.into_boxed_str())))
    }
}

impl Node {
    fn into_value(self) -> Value {
        match self {
            Node::Null | Node::Taken => Value::Null,
            Node::Bool(value) => Value::Bool(value),
            Node::U64(value) => Value::Number(value.into()),
            Node::I64(value) => Value::Number(value.into()),
            Node::F64(value) => {
                serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number)
            }
            Node::Str(value) => Value::String(value),
            #[cfg(feature = "exact-numbers")]
            Node::Number(number) => Value::Number(number),
            Node::Array(items) => Value::Array(items.into_iter().map(Node::into_value).collect()),
            Node::Object(entries) => {
                let mut object = serde_json::Map::with_capacity(entries.len());
                for (key, value) in entries {
                    // as serde_json reads a repeated property: the last value counts
                    object.insert(key.into_string(), value.into_value());
                }
                Value::Object(object)
            }
        }
    }

    fn unexpected(&self) -> de::Unexpected<'_> {
        match self {
            Node::Null | Node::Taken => de::Unexpected::Unit,
            Node::Bool(value) => de::Unexpected::Bool(*value),
            Node::U64(value) => de::Unexpected::Unsigned(*value),
            Node::I64(value) => de::Unexpected::Signed(*value),
            Node::F64(value) => de::Unexpected::Float(*value),
            Node::Str(value) => de::Unexpected::Str(value),
            #[cfg(feature = "exact-numbers")]
            Node::Number(_) => de::Unexpected::Other("number"),
            Node::Array(_) => de::Unexpected::Seq,
            Node::Object(_) => de::Unexpected::Map,
        }
    }
}

/// Reads a [`Node`], with the properties of the objects it is in on the stack it carries.
struct NodeSeed<'a>(&'a mut Entries);

impl<'de> DeserializeSeed<'de> for NodeSeed<'_> {
    type Value = Node;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor(self.0))
    }
}

/// Reads any JSON value into a [`Node`], as serde_json's `Value` visitor reads it.
struct NodeVisitor<'a>(&'a mut Entries);

impl<'de> Visitor<'de> for NodeVisitor<'_> {
    type Value = Node;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Node, E> {
        Ok(Node::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Node, E> {
        // as `serde_json::Number` stores it: non-negative integers are unsigned
        Ok(match u64::try_from(value) {
            Ok(value) => Node::U64(value),
            Err(_) => Node::I64(value),
        })
    }

    fn visit_u64<E>(self, value: u64) -> Result<Node, E> {
        Ok(Node::U64(value))
    }

    fn visit_i128<E: de::Error>(self, value: i128) -> Result<Node, E> {
        match i64::try_from(value) {
            Ok(value) => self.visit_i64(value),
            Err(_) => self.visit_u128(value as u128),
        }
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<Node, E> {
        u64::try_from(value)
            .map(Node::U64)
            .map_err(|_| E::custom("JSON number out of range"))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Node, E> {
        // as serde_json's `Value`: a number JSON cannot write is null
        Ok(if value.is_finite() {
            Node::F64(value)
        } else {
            Node::Null
        })
    }

    fn visit_str<E>(self, value: &str) -> Result<Node, E> {
        Ok(Node::Str(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Node, E> {
        Ok(Node::Str(value))
    }

    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        NodeSeed(self.0).deserialize(deserializer)
    }

    fn visit_newtype_struct<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Node, D::Error> {
        match HANDED_OFF.take() {
            Some(node) => Ok(node),
            None => NodeSeed(self.0).deserialize(deserializer),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<Node, A::Error> {
        let mut items = Vec::with_capacity(access.size_hint().map_or(0, |hint| hint.min(64)));
        while let Some(item) = access.next_element_seed(NodeSeed(self.0))? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<Node, A::Error> {
        let entries = collect(access, self.0)?;
        #[cfg(feature = "exact-numbers")]
        if let Some(number) = wire_number(&entries) {
            return Ok(Node::Number(number));
        }
        Ok(Node::Object(entries))
    }
}

/// Any JSON value, read for a generated union: it looks at the discriminator with
/// [`Json::tag`], then decodes the member struct from the same tree with [`Json::decode`], or
/// keeps the value unknown to it with [`Json::into_value`].
#[doc(hidden)]
#[derive(Debug)]
pub struct Json(Node);

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

/// A property value on its way into its field's type, with the semantics of serde_json's
/// `Value` deserializer; hands a nested generated struct its object (and a nested union its
/// tree) without rebuilding it.
struct NodeDeserializer(Node);

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
mod tests {
    use super::*;
    use serde_json::json;

    /// One field per way a generated struct reads a field, plus typed extra properties.
    #[derive(Debug, PartialEq)]
    struct Sample {
        id: String,
        hint: Option<String>,
        nullable: Option<Option<String>>,
        json: Option<Value>,
        /// Required, of a type that accepts "none": absent is `None`, as with the derive.
        maybe: Option<String>,
        extra: BTreeMap<String, i64>,
    }

    impl<'de> serde::Deserialize<'de> for Sample {
        fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            fn build(fields: &mut Fields) -> Result<Sample, serde_json::Error> {
                Ok(Sample {
                    id: fields.required("id")?,
                    hint: fields.optional("hint")?,
                    nullable: fields.present("nullable")?,
                    json: fields.present("json")?,
                    maybe: fields.required("maybe")?,
                    extra: fields.rest()?,
                })
            }
            decode_struct(deserializer, "Sample", build)
        }
    }

    fn sample(value: Value) -> Result<Sample, serde_json::Error> {
        serde_json::from_value(value)
    }

    fn error(value: Value) -> String {
        sample(value).expect_err("must not decode").to_string()
    }

    /// `Sample` as the generator derived it before: the attributes each presence had.
    #[derive(Debug, serde::Deserialize)]
    struct Derived {
        id: String,
        #[serde(default)]
        hint: Option<String>,
        #[serde(default, deserialize_with = "deserialize_present")]
        nullable: Option<Option<String>>,
        #[serde(default, deserialize_with = "deserialize_present")]
        json: Option<Value>,
        maybe: Option<String>,
        #[serde(flatten)]
        extra: BTreeMap<String, i64>,
    }

    fn deserialize_present<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
    where
        T: serde::Deserialize<'de>,
        D: de::Deserializer<'de>,
    {
        T::deserialize(deserializer).map(Some)
    }

    #[test]
    fn decodes_what_the_derive_decoded_and_refuses_what_it_refused() {
        let texts = [
            r#"{"id": "f1"}"#,
            r#"{"id": "f1", "hint": null, "nullable": null, "json": null, "maybe": null}"#,
            r#"{"id": "f1", "hint": "h", "nullable": "n", "json": [1, {"a": null}], "maybe": "m"}"#,
            r#"{"id": "f1", "x": 1, "y": -2}"#,
            r#"{"id": "f1", "x": 1, "x": 2}"#,
            r#"{"id": "f1", "x": "one"}"#,
            r#"{"id": "f1", "x": null}"#,
            r#"{"id": null}"#,
            r#"{"id": 1}"#,
            r#"{"hint": "h"}"#,
            r#"{"id": "f1", "hint": 3}"#,
            r#"{"id": "f1", "nullable": {}}"#,
            r#"{"id": "f1", "maybe": false}"#,
            r#"{}"#,
            r#"[]"#,
            r#"["f1", "h"]"#,
            r#""f1""#,
            r#"null"#,
        ];
        let mut decoded = 0;
        for text in texts {
            let ours = serde_json::from_str::<Sample>(text);
            let derived = serde_json::from_str::<Derived>(text);
            match (&ours, derived) {
                (Ok(ours), Ok(derived)) => {
                    let Derived {
                        id,
                        hint,
                        nullable,
                        json,
                        maybe,
                        extra,
                    } = derived;
                    let derived = Sample {
                        id,
                        hint,
                        nullable,
                        json,
                        maybe,
                        extra,
                    };
                    assert_eq!(ours, &derived, "{text}");
                    decoded += 1;
                }
                (Err(_), Err(_)) => {}
                (ours, derived) => panic!("{text}: ours {ours:?}, derived {derived:?}"),
            }
        }
        assert_eq!(decoded, 5, "the first five texts decode");
    }

    #[test]
    fn of_a_repeated_property_the_last_counts() {
        let text = r#"{"id": "f1", "x": 1, "hint": "h", "id": "f2", "hint": null, "x": 2}"#;
        let decoded = serde_json::from_str::<Sample>(text).expect("decodes");
        assert_eq!(decoded.id, "f2");
        assert_eq!(decoded.hint, None);
        assert_eq!(decoded.extra, BTreeMap::from([("x".to_owned(), 2)]));
    }

    #[test]
    fn absent_fields_are_none_and_leave_no_extras() {
        let decoded = sample(json!({"id": "f1"})).expect("decodes");
        assert_eq!(
            decoded,
            Sample {
                id: "f1".into(),
                hint: None,
                nullable: None,
                json: None,
                maybe: None,
                extra: BTreeMap::new(),
            }
        );
    }

    #[test]
    fn null_is_absent_for_optional_and_kept_for_present() {
        let decoded = sample(json!({"id": "f1", "hint": null, "nullable": null, "json": null}))
            .expect("decodes");
        assert_eq!(decoded.hint, None);
        assert_eq!(decoded.nullable, Some(None));
        assert_eq!(decoded.json, Some(Value::Null));
    }

    #[test]
    fn present_values_decode_into_the_inner_type() {
        let decoded = sample(json!({
            "id": "f1", "hint": "h", "nullable": "n", "json": {"a": [1]}
        }))
        .expect("decodes");
        assert_eq!(decoded.hint.as_deref(), Some("h"));
        assert_eq!(decoded.nullable, Some(Some("n".to_owned())));
        assert_eq!(decoded.json, Some(json!({"a": [1]})));
    }

    #[test]
    fn a_missing_required_field_is_an_error_unless_its_type_is_an_option() {
        assert_eq!(error(json!({"hint": "h"})), "missing field `id`");
        let mut fields = Fields {
            entries: Vec::new(),
        };
        assert_eq!(
            fields.required::<Option<String>>("maybe").expect("none"),
            None
        );
        let json = fields
            .required::<Value>("json")
            .expect_err("Value is no option");
        assert_eq!(json.to_string(), "missing field `json`");
        let count = fields
            .required::<i64>("count")
            .expect_err("i64 is no option");
        assert_eq!(count.to_string(), "missing field `count`");
    }

    #[test]
    fn a_required_field_sent_as_null_is_an_error_like_the_derive() {
        assert_eq!(
            error(json!({"id": null})),
            "id: invalid type: null, expected a string"
        );
    }

    #[test]
    fn wrong_types_name_the_field() {
        assert_eq!(
            error(json!({"id": "f1", "hint": 3})),
            "hint: invalid type: integer `3`, expected a string"
        );
        assert_eq!(
            error(json!({"id": "f1", "nullable": false})),
            "nullable: invalid type: boolean `false`, expected a string"
        );
    }

    #[test]
    fn additional_properties_are_typed_and_name_the_key_on_error() {
        let decoded = sample(json!({"id": "f1", "b": 2, "a": 1})).expect("decodes");
        assert_eq!(
            decoded.extra,
            BTreeMap::from([("a".to_owned(), 1), ("b".to_owned(), 2)])
        );
        assert_eq!(
            error(json!({"id": "f1", "b": "two"})),
            "b: invalid type: string \"two\", expected i64"
        );
    }

    #[test]
    fn input_other_than_an_object_names_the_struct() {
        assert_eq!(
            error(json!(["f1"])),
            "invalid type: sequence, expected struct Sample"
        );
        assert_eq!(
            error(json!("f1")),
            "invalid type: string \"f1\", expected struct Sample"
        );
    }

    /// Generated structs nested every way a field can hold one.
    #[derive(Debug, PartialEq)]
    struct Outer {
        inner: Option<Sample>,
        boxed: Box<Sample>,
        list: Option<Vec<Sample>>,
        kept: Option<Option<Sample>>,
        extra: BTreeMap<String, Sample>,
    }

    impl<'de> serde::Deserialize<'de> for Outer {
        fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            fn build(fields: &mut Fields) -> Result<Outer, serde_json::Error> {
                Ok(Outer {
                    inner: fields.optional("inner")?,
                    boxed: fields.required("boxed")?,
                    list: fields.optional("list")?,
                    kept: fields.present("kept")?,
                    extra: fields.rest()?,
                })
            }
            decode_struct(deserializer, "Outer", build)
        }
    }

    /// A value decoded the way a generated union decodes its member: read into a [`Json`],
    /// then decoded from that tree.
    fn handed_over<T: DeserializeOwned>(value: Value) -> Result<T, serde_json::Error> {
        serde_json::from_value::<Json>(value)?.decode()
    }

    #[test]
    fn nested_structs_decode_alike_from_text_from_a_value_and_handed_over() {
        let value = json!({
            "inner": {"id": "i", "hint": "h", "x": 1},
            "boxed": {"id": "b", "json": null},
            "list": [{"id": "l1"}, {"id": "l2", "nullable": null, "y": 2}],
            "kept": null,
            "other": {"id": "o", "maybe": "m"}
        });
        let from_text = serde_json::from_str::<Outer>(&value.to_string()).expect("from text");
        let from_value = serde_json::from_value::<Outer>(value.clone()).expect("from a Value");
        let handed = handed_over::<Outer>(value).expect("handed over");
        assert_eq!(from_text, from_value);
        assert_eq!(from_text, handed);
        assert!(
            HANDED_OFF.take().is_none(),
            "every handed-off object was taken"
        );
        let inner = from_text.inner.expect("inner");
        assert_eq!(inner.hint.as_deref(), Some("h"));
        assert_eq!(inner.extra, BTreeMap::from([("x".to_owned(), 1)]));
        assert_eq!(from_text.boxed.json, Some(Value::Null));
        let list = from_text.list.expect("list");
        assert_eq!(list[1].nullable, Some(None));
        assert_eq!(from_text.kept, Some(None));
        assert_eq!(from_text.extra["other"].maybe.as_deref(), Some("m"));
    }

    #[test]
    fn a_nested_struct_of_the_wrong_type_names_its_field() {
        let error = handed_over::<Outer>(json!({"boxed": ["b"]})).expect_err("an array");
        assert_eq!(
            error.to_string(),
            "boxed: invalid type: sequence, expected struct Sample"
        );
        let error =
            handed_over::<Outer>(json!({"boxed": {"id": "b"}, "other": 1})).expect_err("a number");
        assert_eq!(
            error.to_string(),
            "other: invalid type: integer `1`, expected struct Sample"
        );
        assert!(HANDED_OFF.take().is_none());
    }

    #[test]
    fn errors_from_json_text_nest_as_a_path_and_syntax_errors_keep_their_position() {
        let text = r#"{"inner": {"id": "f1", "hint": 3}, "boxed": {"id": "b"}}"#;
        let error = serde_json::from_str::<Outer>(text).expect_err("must not decode");
        assert_eq!(
            error.to_string(),
            "inner: hint: invalid type: integer `3`, expected a string"
        );
        let missing = serde_json::from_str::<Sample>("{}").expect_err("must not decode");
        assert_eq!(missing.to_string(), "missing field `id`");
        let broken = serde_json::from_str::<Sample>(r#"{"id": "f1",}"#).expect_err("broken");
        assert_eq!(broken.to_string(), "trailing comma at line 1 column 13");
    }

    #[test]
    fn a_union_reads_its_tag_and_keeps_an_unknown_value_as_serde_json_reads_it() {
        let text =
            r#"{"kind": "a", "n": [1, -2, 2.5, null, true], "o": {"x": 1, "x": 2}, "kind": 8}"#;
        let json = serde_json::from_str::<Json>(text).expect("any JSON");
        assert_eq!(json.tag("kind").as_deref(), Some("8"), "the last counts");
        assert_eq!(json.tag("missing"), None);
        assert_eq!(
            json.into_value(),
            serde_json::from_str::<Value>(text).expect("JSON")
        );
        let json = serde_json::from_str::<Json>(r#""text""#).expect("any JSON");
        assert_eq!(json.tag("kind"), None);
        assert_eq!(json.into_value(), json!("text"));
    }

    #[test]
    fn only_an_object_can_be_an_unknown_union_member() {
        let object = serde_json::from_str::<Json>(r#"{"kind": "new", "n": 1}"#).expect("JSON");
        assert_eq!(
            object.into_unknown_object().expect("an object"),
            json!({"kind": "new", "n": 1})
        );
        for text in ["null", "[]", "[{}]", r#""x""#, "42", "-1.5", "false"] {
            let json = serde_json::from_str::<Json>(text).expect("JSON");
            let error = json.into_unknown_object().expect_err(text);
            assert!(
                error.to_string().ends_with("expected a JSON object"),
                "{text}: {error}"
            );
        }
    }

    /// serde_json's `arbitrary_precision` hands every number over as a one-property object;
    /// read as such, a numeric discriminator would not match and a number would re-encode as
    /// that object.
    #[cfg(feature = "exact-numbers")]
    #[test]
    fn with_exact_numbers_tags_match_and_numbers_keep_their_text() {
        let text =
            r#"{"kind": 8, "n": 123456789012345678901234567890, "x": [0.10000000000000000555]}"#;
        let json = serde_json::from_str::<Json>(text).expect("JSON");
        assert_eq!(json.tag("kind").as_deref(), Some("8"));
        let value = json.into_value();
        assert_eq!(value["n"].to_string(), "123456789012345678901234567890");
        assert_eq!(value["x"][0].to_string(), "0.10000000000000000555");
        let sample = serde_json::from_str::<Sample>(r#"{"id": "f1", "a": 7}"#).expect("typed");
        assert_eq!(sample.extra, BTreeMap::from([("a".to_owned(), 7)]));
    }

    #[test]
    fn a_broken_body_leaves_nothing_behind_for_the_next() {
        let broken = r#"{"inner": {"id": "i", "x": 1, "#;
        let error = serde_json::from_str::<Outer>(broken).expect_err("broken");
        assert!(error.to_string().contains("line 1"), "{error}");
        let decoded = serde_json::from_str::<Sample>(r#"{"id": "f1", "y": 2}"#).expect("decodes");
        assert_eq!(decoded.extra, BTreeMap::from([("y".to_owned(), 2)]));
        assert!(PENDING.take().is_empty(), "no property left on the stack");
    }

    #[test]
    fn long_and_similar_property_names_are_told_apart() {
        let text = r#"{"id": "f1", "idx": 1, "a_very_long_property_name_1": 2, "a_very_long_property_name_2": 3}"#;
        let decoded = serde_json::from_str::<Sample>(text).expect("decodes");
        assert_eq!(decoded.id, "f1");
        assert_eq!(
            decoded.extra,
            BTreeMap::from([
                ("a_very_long_property_name_1".to_owned(), 2),
                ("a_very_long_property_name_2".to_owned(), 3),
                ("idx".to_owned(), 1),
            ])
        );
    }
}
