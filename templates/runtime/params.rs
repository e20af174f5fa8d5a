//! Parameter values and how they go on the wire.
//!
//! A value first becomes a [`Shape`] (one scalar, a list of scalars, or one level of
//! `name -> scalar` entries); [`style`] then serialises that shape for its location
//! (query, path, header or cookie) by the OpenAPI `style` and `explode` of the parameter.

mod shape;
pub mod style;

pub use style::Style;

/// A parameter value reduced to what the OpenAPI styles can express.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    Scalar(String),
    List(Vec<String>),
    /// Entries in order (struct field order, or the map's order).
    Object(Vec<(String, String)>),
}

/// A value that cannot be serialised as a parameter (a nested object or array, a `null`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError(pub String);

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A value that can be sent as a path, query, header or cookie parameter.
///
/// `push_values` gives the flat text values (one per list item), what the default styles
/// need; `shape` keeps lists and objects apart for the other styles.
pub trait ParamValue {
    fn push_values(&self, out: &mut Vec<String>);

    fn shape(&self) -> Result<Shape, ParamError> {
        let mut values = Vec::new();
        self.push_values(&mut values);
        Ok(match <[String; 1]>::try_from(values) {
            Ok([one]) => Shape::Scalar(one),
            Err(values) => Shape::List(values),
        })
    }
}

impl ParamValue for String {
    fn push_values(&self, out: &mut Vec<String>) {
        out.push(self.clone());
    }
}

impl ParamValue for str {
    fn push_values(&self, out: &mut Vec<String>) {
        out.push(self.to_owned());
    }
}

impl ParamValue for i64 {
    fn push_values(&self, out: &mut Vec<String>) {
        out.push(self.to_string());
    }
}

impl ParamValue for f64 {
    fn push_values(&self, out: &mut Vec<String>) {
        out.push(self.to_string());
    }
}

impl ParamValue for bool {
    fn push_values(&self, out: &mut Vec<String>) {
        out.push(if *self { "true" } else { "false" }.to_owned());
    }
}

/// Free JSON (a parameter the spec leaves untyped, or gives as `content`): a string is its
/// text, an array its items, anything else its JSON text.
impl ParamValue for serde_json::Value {
    fn push_values(&self, out: &mut Vec<String>) {
        match self {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(items) => items.iter().for_each(|item| item.push_values(out)),
            other => out.push(other.to_string()),
        }
    }

    fn shape(&self) -> Result<Shape, ParamError> {
        let mut values = Vec::new();
        self.push_values(&mut values);
        Ok(match self {
            serde_json::Value::Array(_) => Shape::List(values),
            _ => Shape::Scalar(values.concat()),
        })
    }
}

impl<T: ParamValue> ParamValue for Vec<T> {
    fn push_values(&self, out: &mut Vec<String>) {
        self.iter().for_each(|item| item.push_values(out));
    }

    fn shape(&self) -> Result<Shape, ParamError> {
        let mut values = Vec::with_capacity(self.len());
        self.push_values(&mut values);
        Ok(Shape::List(values))
    }
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn push_values(&self, out: &mut Vec<String>) {
        (**self).push_values(out);
    }

    fn shape(&self) -> Result<Shape, ParamError> {
        (**self).shape()
    }
}

/// Any `Serialize` value as a parameter: what the generated code sends for objects, maps,
/// unions and `OneOrMany`. One level only: a nested object or array, or a `None` where a value
/// is needed, is a `ParamError` before anything is sent.
///
/// Serde, not a generated impl per model: every model, map and union already serialises to
/// exactly the JSON the spec describes, so the parameter form cannot drift from the body form.
/// It goes through a small serializer of its own (`shape`), not `serde_json::Value`, so struct
/// fields keep their declared order (a `Value` object sorts its keys).
#[derive(Debug, Clone, Copy)]
pub struct Serialized<'a, T: ?Sized>(pub &'a T);

impl<T: serde::Serialize + ?Sized> ParamValue for Serialized<'_, T> {
    fn push_values(&self, out: &mut Vec<String>) {
        match self.shape() {
            Ok(Shape::Scalar(one)) => out.push(one),
            Ok(Shape::List(items)) => out.extend(items),
            Ok(Shape::Object(entries)) => {
                out.extend(entries.into_iter().flat_map(|(k, v)| [k, v]));
            }
            Err(_) => {}
        }
    }

    fn shape(&self) -> Result<Shape, ParamError> {
        shape::of(self.0)
    }
}

pub(crate) fn joined(value: &(impl ParamValue + ?Sized)) -> String {
    let mut values = Vec::new();
    value.push_values(&mut values);
    if values.len() == 1 {
        // a single value (most parameters): no join, no copy
        return values.swap_remove(0);
    }
    values.join(",")
}

#[cfg(test)]
mod tests;
