//! The tree the properties of an object are read into ([`Node`]), its keys, the visitors that
//! read it from any deserializer, and the thread-local handoff that passes a tree read once to
//! the next visitor instead of rebuilding it.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// The field list `decode_struct` passes: other deserializers ignore it (a struct is an object
/// to them), [`NodeDeserializer`] recognises it and hands its object over whole (see
/// [`HANDED_OFF`]).
pub(super) const HANDOFF: &[&str] = &["$idp_mfa::runtime::fields::handoff"];

/// The newtype name [`Json`] reads itself with: other deserializers pass themselves on to
/// `visit_newtype_struct` or ignore it, [`NodeDeserializer`] hands its tree over whole.
pub(super) const JSON: &str = "$idp_mfa::runtime::fields::Json";

thread_local! {
    /// A tree on its way from [`NodeDeserializer`] to the visitor it calls next (an
    /// [`EntriesVisitor`] or the [`NodeVisitor`] of a [`Json`]), which takes it at once. The
    /// property values of an object are already decoded; passed to a nested struct through the
    /// `Deserializer` API they would be rebuilt node by node at every level of nesting.
    pub(super) static HANDED_OFF: Cell<Option<Node>> = const { Cell::new(None) };
}

/// Reads the properties of an object onto `pending`, the properties of the objects being read
/// (innermost last), then moves them into a list of their exact size: one allocation per object,
/// none to grow it.
pub(super) fn collect<'de, A: MapAccess<'de>>(
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
    pub(super) static PENDING: Cell<Entries> = const { Cell::new(Vec::new()) };
}

/// Runs `read` with the thread's [`PENDING`] stack (a new one if it is in use).
pub(super) fn with_pending<R>(read: impl FnOnce(&mut Entries) -> R) -> R {
    let mut pending = PENDING.take();
    let read = read(&mut pending);
    PENDING.set(pending);
    read
}

/// A JSON value as the generated impls read it: like `serde_json::Value` (numbers as serde_json
/// reads them), with an object as the list of its properties in wire order.
#[derive(Debug)]
pub(super) enum Node {
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
pub(super) type Entries = Vec<(Key, Node)>;

/// The longest property name a [`Key`] holds without an allocation of its own.
const INLINE: usize = 22;

/// A property name. Most are short: held inline, they cost no allocation and no free (a fifth
/// of the decode time when they were `String`s); only the names of additional properties become
/// `String`s. `head`, the first bytes, tells most names apart with one comparison.
#[derive(Debug)]
pub(super) struct Key {
    head: u64,
    text: KeyText,
}

#[derive(Debug)]
enum KeyText {
    Inline(u8, [u8; INLINE]),
    Heap(Box<str>),
}

/// The first 8 bytes of a property name (zero-padded), as one number.
pub(super) fn head(name: &[u8]) -> u64 {
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

    pub(super) fn as_bytes(&self) -> &[u8] {
        match &self.text {
            KeyText::Inline(len, bytes) => &bytes[..usize::from(*len)],
            KeyText::Heap(text) => text.as_bytes(),
        }
    }

    /// Whether this is the name `name` with the [`head`] `head`.
    pub(super) fn is(&self, head: u64, name: &str) -> bool {
        if self.head != head {
            return false;
        }
        let (text, name) = (self.as_bytes(), name.as_bytes());
        // the heads are the first 8 bytes: what is left to compare is the rest
        text.len() == name.len() && (name.len() <= 8 || text[8..] == name[8..])
    }

    pub(super) fn into_string(self) -> String {
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
    pub(super) fn into_value(self) -> Value {
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

    pub(super) fn unexpected(&self) -> de::Unexpected<'_> {
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
pub(super) struct NodeVisitor<'a>(pub(super) &'a mut Entries);

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
