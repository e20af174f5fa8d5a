//! Parameter expectations: each value serialised by the same functions the client uses, so
//! an expectation matches exactly what the generated builder sends.

use super::super::params::style::{self, encode};
use super::super::params::{joined, ParamValue, Style};
use super::super::{encode_path_param, encode_path_segment};
use super::Expectation;

impl Expectation {
    /// Expects this path parameter (compared after percent-encoding, as the client sends it).
    pub fn path(&mut self, name: &'static str, value: &(impl ParamValue + ?Sized)) {
        match encode_path_segment(value) {
            Ok(encoded) => self.path.push((name, encoded)),
            Err(e) => self.invalid.push(format!("path parameter `{name}`: {e}")),
        }
    }

    /// Expects a path parameter in a non-default `style` (serialised as the client does).
    pub fn path_styled(
        &mut self,
        name: &'static str,
        style: Style,
        explode: bool,
        value: &(impl ParamValue + ?Sized),
    ) {
        match encode_path_param(name, style, explode, value) {
            Ok(encoded) => self.path.push((name, encoded)),
            Err(e) => self.invalid.push(format!("path parameter `{name}`: {e}")),
        }
    }

    /// Expects these values of a query parameter (all of them, in order).
    pub fn query(&mut self, name: &str, value: &(impl ParamValue + ?Sized)) {
        let mut values = Vec::new();
        value.push_values(&mut values);
        self.query
            .extend(values.iter().map(|v| (encode(name), encode(v))));
    }

    /// Expects a query parameter in a `style`: the same pairs, in order, as the client sends.
    pub fn query_styled(
        &mut self,
        name: &str,
        style: Style,
        explode: bool,
        value: &(impl ParamValue + ?Sized),
    ) {
        let pairs = value
            .shape()
            .and_then(|shape| style::query_pairs(name, style, explode, &shape));
        match pairs {
            Ok(pairs) => self.query.extend(pairs),
            Err(e) => self.invalid.push(format!("query parameter `{name}`: {e}")),
        }
    }

    /// Expects exactly one header line with this value.
    pub fn header(&mut self, name: &str, value: &(impl ParamValue + ?Sized)) {
        self.headers.push((name.to_owned(), joined(value)));
    }

    /// Expects exactly one header line with this value in a `style`.
    pub fn header_styled(
        &mut self,
        name: &str,
        style: Style,
        explode: bool,
        value: &(impl ParamValue + ?Sized),
    ) {
        let text = value
            .shape()
            .and_then(|shape| style::header_value(style, explode, &shape));
        match text {
            Ok(text) => self.headers.push((name.to_owned(), text)),
            Err(e) => self.invalid.push(format!("header parameter `{name}`: {e}")),
        }
    }

    /// Expects the `Cookie` header to carry this parameter's pairs.
    pub fn cookie_styled(
        &mut self,
        name: &str,
        style: Style,
        explode: bool,
        value: &(impl ParamValue + ?Sized),
    ) {
        let pairs = value
            .shape()
            .and_then(|shape| style::cookie_pairs(name, style, explode, &shape));
        match pairs {
            Ok(pairs) => self.cookies.extend(pairs),
            Err(e) => self.invalid.push(format!("cookie parameter `{name}`: {e}")),
        }
    }
}
