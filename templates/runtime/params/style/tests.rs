//! The "Style Examples" table of the OpenAPI 3.0.3 specification, row by row: `color` as the
//! string "blue", the array ["blue", "black", "brown"] and the object {"R":100,"G":200,"B":150}.

use super::*;

fn string() -> Shape {
    Shape::Scalar("blue".into())
}

fn array() -> Shape {
    Shape::List(vec!["blue".into(), "black".into(), "brown".into()])
}

fn object() -> Shape {
    Shape::Object(vec![
        ("R".into(), "100".into()),
        ("G".into(), "200".into()),
        ("B".into(), "150".into()),
    ])
}

fn query_string(style: Style, explode: bool, shape: &Shape) -> String {
    let pairs = query_pairs("color", style, explode, shape).expect("query style");
    let pieces: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    pieces.join("&")
}

/// (style, explode, string, array, object); `None` where the table says n/a.
type Row = (
    Style,
    bool,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
);

const PATH_ROWS: [Row; 6] = [
    (
        Style::Matrix,
        false,
        Some(";color=blue"),
        Some(";color=blue,black,brown"),
        ";color=R,100,G,200,B,150",
    ),
    (
        Style::Matrix,
        true,
        Some(";color=blue"),
        Some(";color=blue;color=black;color=brown"),
        ";R=100;G=200;B=150",
    ),
    (
        Style::Label,
        false,
        Some(".blue"),
        Some(".blue.black.brown"),
        ".R.100.G.200.B.150",
    ),
    (
        Style::Label,
        true,
        Some(".blue"),
        Some(".blue.black.brown"),
        ".R=100.G=200.B=150",
    ),
    (
        Style::Simple,
        false,
        Some("blue"),
        Some("blue,black,brown"),
        "R,100,G,200,B,150",
    ),
    (
        Style::Simple,
        true,
        Some("blue"),
        Some("blue,black,brown"),
        "R=100,G=200,B=150",
    ),
];

/// The table writes the spaceDelimited and pipeDelimited cells without `color=`; 3.0.4
/// corrected them to carry the name, which is what is sent.
const QUERY_ROWS: [Row; 5] = [
    (
        Style::Form,
        false,
        Some("color=blue"),
        Some("color=blue,black,brown"),
        "color=R,100,G,200,B,150",
    ),
    (
        Style::Form,
        true,
        Some("color=blue"),
        Some("color=blue&color=black&color=brown"),
        "R=100&G=200&B=150",
    ),
    (
        Style::SpaceDelimited,
        false,
        None,
        Some("color=blue%20black%20brown"),
        "color=R%20100%20G%20200%20B%20150",
    ),
    (
        Style::PipeDelimited,
        false,
        None,
        Some("color=blue|black|brown"),
        "color=R|100|G|200|B|150",
    ),
    (
        Style::DeepObject,
        true,
        None,
        None,
        "color[R]=100&color[G]=200&color[B]=150",
    ),
];

#[test]
fn path_styles_match_the_specification_table() {
    for (style, explode, s, a, o) in PATH_ROWS {
        let row = format!("{style:?} explode={explode}");
        let seg = |shape: &Shape| path_segment("color", style, explode, shape).expect(&row);
        assert_eq!(Some(seg(&string()).as_str()), s, "{row} string");
        assert_eq!(Some(seg(&array()).as_str()), a, "{row} array");
        assert_eq!(seg(&object()), o, "{row} object");
    }
}

#[test]
fn header_values_are_the_simple_rows() {
    for (style, explode, s, a, o) in &PATH_ROWS[4..] {
        let value = |shape: &Shape| header_value(*style, *explode, shape).expect("simple");
        assert_eq!(Some(value(&string()).as_str()), *s);
        assert_eq!(Some(value(&array()).as_str()), *a);
        assert_eq!(value(&object()), *o);
    }
}

#[test]
fn query_styles_match_the_specification_table() {
    for (style, explode, s, a, o) in QUERY_ROWS {
        let row = format!("{style:?} explode={explode}");
        if let Some(s) = s {
            assert_eq!(query_string(style, explode, &string()), s, "{row} string");
        }
        if let Some(a) = a {
            assert_eq!(query_string(style, explode, &array()), a, "{row} array");
        }
        assert_eq!(query_string(style, explode, &object()), o, "{row} object");
    }
}

#[test]
fn empty_values_follow_the_table_except_a_dot_segment() {
    let empty = Shape::Scalar(String::new());
    assert_eq!(query_string(Style::Form, true, &empty), "color=");
    assert_eq!(query_string(Style::Form, false, &empty), "color=");
    assert_eq!(
        path_segment("color", Style::Matrix, false, &empty).ok(),
        Some(";color".to_owned())
    );
    // the table's `.` for an empty label value is a dot segment: never sent
    assert!(path_segment("color", Style::Label, false, &empty).is_err());
    assert!(path_segment("color", Style::Simple, false, &empty).is_err());
}

#[test]
fn cookies_are_form_pairs() {
    let pairs = |explode, shape: &Shape| {
        cookie_pairs("color", Style::Form, explode, shape)
            .expect("form")
            .join("; ")
    };
    assert_eq!(pairs(false, &array()), "color=blue,black,brown");
    assert_eq!(
        pairs(true, &array()),
        "color=blue; color=black; color=brown"
    );
    assert_eq!(pairs(true, &object()), "R=100; G=200; B=150");
    assert_eq!(pairs(false, &object()), "color=R,100,G,200,B,150");
    assert!(cookie_pairs("c", Style::Simple, false, &string()).is_err());
}

#[test]
fn values_never_add_structure() {
    let hostile = Shape::Object(vec![("a]&b[".into(), "1,2;x=y/..".into())]);
    assert_eq!(
        query_string(Style::DeepObject, true, &hostile),
        "color[a%5D%26b%5B]=1%2C2%3Bx%3Dy%2F.."
    );
    assert_eq!(
        path_segment("color", Style::Matrix, true, &hostile).ok(),
        Some(";a%5D%26b%5B=1%2C2%3Bx%3Dy%2F..".to_owned())
    );
    assert_eq!(
        path_segment("c", Style::Label, false, &Shape::List(vec!["a.b".into()])).ok(),
        Some(".a.b".to_owned()),
        "a `.` is unreserved: it stays, as the table's delimiter is ambiguous by design"
    );
    let cookie = cookie_pairs("c", Style::Form, true, &Shape::Scalar("v; evil=1".into()));
    assert_eq!(cookie.ok(), Some(vec!["c=v%3B%20evil%3D1".to_owned()]));
    assert!(path_segment("c", Style::Simple, false, &Shape::Scalar("..".into())).is_err());
}

#[test]
fn wrong_location_styles_are_errors() {
    assert!(query_pairs("c", Style::Matrix, false, &string()).is_err());
    assert!(path_segment("c", Style::Form, false, &string()).is_err());
    assert!(header_value(Style::Label, false, &string()).is_err());
}
