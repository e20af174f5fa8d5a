use std::collections::BTreeMap;

use super::*;

#[derive(serde::Serialize)]
struct Color {
    #[serde(rename = "R")]
    r: i64,
    #[serde(rename = "G")]
    g: i64,
    #[serde(rename = "B", skip_serializing_if = "Option::is_none")]
    b: Option<i64>,
    #[serde(rename = "A")]
    a: Option<f64>,
}

#[derive(serde::Serialize)]
struct Nested {
    inner: Vec<String>,
}

#[test]
fn structs_keep_field_order_and_drop_unset_fields() {
    let color = Color {
        r: 100,
        g: 200,
        b: Some(150),
        a: None,
    };
    let entries = |pairs: &[(&str, &str)]| {
        Shape::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    };
    assert_eq!(
        Serialized(&color).shape(),
        Ok(entries(&[("R", "100"), ("G", "200"), ("B", "150")]))
    );
    let map: BTreeMap<String, bool> = [("x".to_owned(), true)].into();
    assert_eq!(Serialized(&map).shape(), Ok(entries(&[("x", "true")])));
}

#[test]
fn scalars_lists_and_unions_take_their_member_shape() {
    assert_eq!(Serialized("blue").shape(), Ok(Shape::Scalar("blue".into())));
    assert_eq!(Serialized(&1.5f64).shape(), Ok(Shape::Scalar("1.5".into())));
    assert_eq!(
        Serialized(&vec![1i64, 2]).shape(),
        Ok(Shape::List(vec!["1".into(), "2".into()]))
    );
    // one value of a list type is still a list (`form` unexploded writes `a=1`, not a scalar)
    assert_eq!(vec![7i64].shape(), Ok(Shape::List(vec!["7".into()])));
    assert_eq!("x".shape(), Ok(Shape::Scalar("x".into())));
}

#[test]
fn nested_values_and_null_are_errors_not_panics() {
    assert!(Serialized(&Nested { inner: vec![] }).shape().is_err());
    assert!(Serialized(&vec![vec![1i64]]).shape().is_err());
    assert!(Serialized(&None::<i64>).shape().is_err());
    assert!(Serialized(&serde_json::json!({"a": {"b": 1}}))
        .shape()
        .is_err());
    assert_eq!(
        Serialized(&serde_json::json!({"a": null, "b": 2})).shape(),
        Ok(Shape::Object(vec![("b".into(), "2".into())]))
    );
}
