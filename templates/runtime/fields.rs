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

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeOwned, MapAccess, Visitor};
use serde_json::Value;

/// Decodes a JSON object named `name` (`struct {name}` in the error for anything else) with
/// `build`, which takes its fields from the [`Fields`] it is handed.
///
/// The deserializer only collects the properties; `build` runs after it returned. Everything
/// that touches the deserializer is generic over the deserializer alone, not over the struct:
/// with the struct as a type parameter of the visitor, every model instantiated the property
/// collection and serde_json's `Value` visitors again (a third of the crate's LLVM IR). What
/// that costs: an error in a field of an object decoded from JSON text names the field path
/// but no line and column (syntax errors still carry them).
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
/// to them), [`Owned`] recognises it and hands its object over whole (see [`HANDED_OFF`]).
const HANDOFF: &[&str] = &["$idp_mfa::runtime::fields::handoff"];

thread_local! {
    /// An object on its way from [`Owned::deserialize_struct`] to the [`EntriesVisitor`] it
    /// calls next. The property values of an object are already decoded `Value`s; passed to a
    /// nested struct through the `Deserializer` API they would be rebuilt node by node at every
    /// level of nesting (measured: 1.5 times the decode time of an Okta factor).
    static HANDED_OFF: std::cell::Cell<Option<serde_json::Map<String, Value>>> =
        const { std::cell::Cell::new(None) };
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
            Some(object) => Ok(handed_off(object)),
            None => collect(access),
        }
    }
}

fn handed_off(object: serde_json::Map<String, Value>) -> Entries {
    object
        .into_iter()
        .map(|(key, value)| (key, Some(value)))
        .collect()
}

fn collect<'de, A: MapAccess<'de>>(mut access: A) -> Result<Entries, A::Error> {
    let mut entries = Vec::with_capacity(access.size_hint().unwrap_or(0).min(64));
    while let Some((key, value)) = access.next_entry::<String, Value>()? {
        entries.push((key, Some(value)));
    }
    Ok(entries)
}

/// `serde_json::from_value`, except that a generated struct (at any depth, through `Option`
/// and `Box`) takes its object as it is instead of rebuilding it: for unions, which read the
/// discriminator from a `Value` first.
#[doc(hidden)]
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, serde_json::Error> {
    T::deserialize(Owned(value))
}

/// A property value on its way into its field's type: a `serde_json::Value` deserializer that
/// hands a nested generated struct its object without rebuilding it, and passes itself on
/// through `Option` and `Box`. Anything else is the `Value` deserializer itself.
struct Owned(Value);

macro_rules! forward_to_value {
    ($($method:ident($($arg:ident: $ty:ty),*))*) => {
        $(fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, Self::Error> {
            self.0.$method($($arg,)* visitor)
        })*
    };
}

impl<'de> de::Deserializer<'de> for Owned {
    type Error = serde_json::Error;

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            // only `decode_struct` passes `HANDOFF`: `visitor` is the `EntriesVisitor` that
            // takes the object back at once
            Value::Object(object) if fields == HANDOFF => {
                HANDED_OFF.set(Some(object));
                visitor.visit_map(de::value::MapDeserializer::new(std::iter::empty::<(
                    String,
                    Value,
                )>()))
            }
            value => value.deserialize_struct(name, fields, visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            value => visitor.visit_some(Owned(value)),
        }
    }

    forward_to_value! {
        deserialize_any() deserialize_bool() deserialize_i8() deserialize_i16() deserialize_i32()
        deserialize_i64() deserialize_i128() deserialize_u8() deserialize_u16() deserialize_u32()
        deserialize_u64() deserialize_u128() deserialize_f32() deserialize_f64()
        deserialize_char() deserialize_str() deserialize_string() deserialize_bytes()
        deserialize_byte_buf() deserialize_unit() deserialize_unit_struct(name: &'static str)
        deserialize_newtype_struct(name: &'static str) deserialize_seq()
        deserialize_tuple(len: usize) deserialize_tuple_struct(name: &'static str, len: usize)
        deserialize_map()
        deserialize_enum(name: &'static str, variants: &'static [&'static str])
        deserialize_identifier() deserialize_ignored_any()
    }
}

/// The properties of one JSON object in wire order, `None` once taken.
type Entries = Vec<(String, Option<Value>)>;

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
    /// `serde_json::Value` that nested objects are read into.
    fn take(&mut self, name: &'static str) -> Option<Value> {
        let mut taken = None;
        for (key, value) in &mut self.entries {
            if key == name && value.is_some() {
                taken = value.take();
            }
        }
        taken
    }

    /// A required field (`T`). Absent, it decodes like a missing field of a derived impl: a
    /// type that accepts "none" (`Option`) is `None`, any other is the error `missing field`.
    pub fn required<T: DeserializeOwned>(
        &mut self,
        name: &'static str,
    ) -> Result<T, serde_json::Error> {
        match self.take(name) {
            Some(value) => from_value(value).map_err(|error| in_field(name, error)),
            None => T::deserialize(Missing(name)),
        }
    }

    /// An `Option<T>` field where absent and `null` mean the same: both are `None`.
    pub fn optional<T: DeserializeOwned>(
        &mut self,
        name: &'static str,
    ) -> Result<Option<T>, serde_json::Error> {
        match self.take(name) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => from_value::<T>(value)
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
            Some(value) => from_value::<T>(value)
                .map(Some)
                .map_err(|error| in_field(name, error)),
        }
    }

    /// The properties no field took, each decoded as `T`; of a repeated one, the last.
    pub fn rest<T: DeserializeOwned>(&mut self) -> Result<BTreeMap<String, T>, serde_json::Error> {
        std::mem::take(&mut self.entries)
            .into_iter()
            .filter_map(|(key, value)| Some((key, value?)))
            .map(|(key, value)| match from_value::<T>(value) {
                Ok(value) => Ok((key, value)),
                Err(error) => Err(in_field(&key, error)),
            })
            .collect()
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
        let handed_over = super::from_value::<Outer>(value).expect("handed over");
        assert_eq!(from_text, from_value);
        assert_eq!(from_text, handed_over);
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
        let error = super::from_value::<Outer>(json!({"boxed": ["b"]})).expect_err("an array");
        assert_eq!(
            error.to_string(),
            "boxed: invalid type: sequence, expected struct Sample"
        );
        let error = super::from_value::<Outer>(json!({"boxed": {"id": "b"}, "other": 1}))
            .expect_err("a number");
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
}
