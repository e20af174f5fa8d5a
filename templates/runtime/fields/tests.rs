//! Decoding through `Fields` against the derive it replaces: absence, `null`, repeats, errors.

use super::node::PENDING;
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
    let decoded =
        sample(json!({"id": "f1", "hint": null, "nullable": null, "json": null})).expect("decodes");
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
    let text = r#"{"kind": "a", "n": [1, -2, 2.5, null, true], "o": {"x": 1, "x": 2}, "kind": 8}"#;
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
    let text = r#"{"kind": 8, "n": 123456789012345678901234567890, "x": [0.10000000000000000555]}"#;
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
