//! `Serialize` -> [`Shape`]: a serde serializer that accepts one level of scalars (a scalar, a
//! sequence of scalars, or a struct / map of scalars) and refuses anything deeper.

use serde::ser::{self, Impossible, Serialize};

use super::{ParamError, Shape};

pub(super) fn of<T: Serialize + ?Sized>(value: &T) -> Result<Shape, ParamError> {
    value.serialize(Top)
}

impl ser::Error for ParamError {
    fn custom<M: std::fmt::Display>(msg: M) -> Self {
        ParamError(format!("value cannot be serialised: {msg}"))
    }
}

impl std::error::Error for ParamError {}

/// The struct name `serde_json::Number` serialises under with `arbitrary_precision` (the
/// `exact-numbers` feature): one field holding the number's text.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

fn nested() -> ParamError {
    ParamError(
        "a nested object or array cannot be a parameter value: the styles serialise one level of scalars"
            .to_owned(),
    )
}

fn missing() -> ParamError {
    ParamError("a `null` cannot be a parameter value".to_owned())
}

/// One scalar as text; `None` for an absent value (`None`, unit), which an object leaves out.
struct Scalar;

macro_rules! display_scalars {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, v: $ty) -> Result<Self::Ok, Self::Error> {
            Ok(Some(v.to_string()))
        })*
    };
}

impl ser::Serializer for Scalar {
    type Ok = Option<String>;
    type Error = ParamError;
    type SerializeSeq = Impossible<Self::Ok, ParamError>;
    type SerializeTuple = Impossible<Self::Ok, ParamError>;
    type SerializeTupleStruct = Impossible<Self::Ok, ParamError>;
    type SerializeTupleVariant = Impossible<Self::Ok, ParamError>;
    type SerializeMap = Impossible<Self::Ok, ParamError>;
    type SerializeStruct = NumberText;
    type SerializeStructVariant = Impossible<Self::Ok, ParamError>;

    display_scalars!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_u128: u128, serialize_f32: f32,
        serialize_f64: f64, serialize_char: char, serialize_str: &str
    );

    fn serialize_bytes(self, _: &[u8]) -> Result<Self::Ok, ParamError> {
        Err(nested())
    }
    fn serialize_none(self) -> Result<Self::Ok, ParamError> {
        Ok(None)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok, ParamError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Self::Ok, ParamError> {
        Ok(None)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Self::Ok, ParamError> {
        Ok(None)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Self::Ok, ParamError> {
        Ok(Some(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Self::Ok, ParamError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Self::Ok, ParamError> {
        Err(nested())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, ParamError> {
        Err(nested())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, ParamError> {
        Err(nested())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, ParamError> {
        Err(nested())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, ParamError> {
        Err(nested())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, ParamError> {
        Err(nested())
    }
    fn serialize_struct(
        self,
        name: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, ParamError> {
        if name == NUMBER_TOKEN {
            return Ok(NumberText(None));
        }
        Err(nested())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, ParamError> {
        Err(nested())
    }
}

/// The whole value: a scalar, a list of scalars or an object of scalars.
struct Top;

/// Collects list items.
struct List(Vec<String>);

/// Collects object entries; `key` holds a map key until its value arrives.
struct Object {
    entries: Vec<(String, String)>,
    key: Option<String>,
}

fn top_scalar(text: Option<String>) -> Result<Shape, ParamError> {
    text.map(Shape::Scalar).ok_or_else(missing)
}

macro_rules! top_scalars {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, v: $ty) -> Result<Shape, ParamError> {
            top_scalar(Scalar.$method(v)?)
        })*
    };
}

impl ser::Serializer for Top {
    type Ok = Shape;
    type Error = ParamError;
    type SerializeSeq = List;
    type SerializeTuple = List;
    type SerializeTupleStruct = Impossible<Shape, ParamError>;
    type SerializeTupleVariant = Impossible<Shape, ParamError>;
    type SerializeMap = Object;
    type SerializeStruct = Object;
    type SerializeStructVariant = Impossible<Shape, ParamError>;

    top_scalars!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_u128: u128, serialize_f32: f32,
        serialize_f64: f64, serialize_char: char, serialize_str: &str, serialize_bytes: &[u8]
    );

    fn serialize_none(self) -> Result<Shape, ParamError> {
        Err(missing())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Shape, ParamError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Shape, ParamError> {
        Err(missing())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Shape, ParamError> {
        Err(missing())
    }
    fn serialize_unit_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Result<Shape, ParamError> {
        top_scalar(Scalar.serialize_unit_variant(name, index, variant)?)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Shape, ParamError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Shape, ParamError> {
        Err(nested())
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<List, ParamError> {
        Ok(List(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<List, ParamError> {
        Ok(List(Vec::with_capacity(len)))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, ParamError> {
        Err(nested())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, ParamError> {
        Err(nested())
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Object, ParamError> {
        Ok(Object {
            entries: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Object, ParamError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, ParamError> {
        Err(nested())
    }
}

impl ser::SerializeSeq for List {
    type Ok = Shape;
    type Error = ParamError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ParamError> {
        let item = value.serialize(Scalar)?.ok_or_else(missing)?;
        self.0.push(item);
        Ok(())
    }
    fn end(self) -> Result<Shape, ParamError> {
        Ok(Shape::List(self.0))
    }
}

impl ser::SerializeTuple for List {
    type Ok = Shape;
    type Error = ParamError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ParamError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Shape, ParamError> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeMap for Object {
    type Ok = Shape;
    type Error = ParamError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), ParamError> {
        self.key = Some(key.serialize(Scalar)?.ok_or_else(missing)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ParamError> {
        let key = self.key.take().ok_or_else(missing)?;
        // an unset optional field or a `null` map value is left out, as an absent key
        if let Some(text) = value.serialize(Scalar)? {
            self.entries.push((key, text));
        }
        Ok(())
    }
    fn end(self) -> Result<Shape, ParamError> {
        Ok(Shape::Object(self.entries))
    }
}

impl ser::SerializeStruct for Object {
    type Ok = Shape;
    type Error = ParamError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), ParamError> {
        if let Some(text) = value.serialize(Scalar)? {
            self.entries.push((key.to_owned(), text));
        }
        Ok(())
    }
    fn end(self) -> Result<Shape, ParamError> {
        match <[(String, String); 1]>::try_from(self.entries) {
            Ok([(key, text)]) if key == NUMBER_TOKEN => Ok(Shape::Scalar(text)),
            Ok(one) => Ok(Shape::Object(Vec::from(one))),
            Err(entries) => Ok(Shape::Object(entries)),
        }
    }
}

/// A `serde_json::Number` under `arbitrary_precision`: its one field is the text.
struct NumberText(Option<String>);

impl ser::SerializeStruct for NumberText {
    type Ok = Option<String>;
    type Error = ParamError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        _: &'static str,
        value: &T,
    ) -> Result<(), ParamError> {
        self.0 = value.serialize(Scalar)?;
        Ok(())
    }
    fn end(self) -> Result<Option<String>, ParamError> {
        Ok(self.0)
    }
}
