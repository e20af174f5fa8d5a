/// A value that can be sent as a path, query or header parameter.
///
/// Scalars give one value; lists give one value per item (repeated query pairs, or joined
/// with commas in a path segment or header).
pub trait ParamValue {
    fn push_values(&self, out: &mut Vec<String>);
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

impl ParamValue for serde_json::Value {
    fn push_values(&self, out: &mut Vec<String>) {
        match self {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(items) => items.iter().for_each(|item| item.push_values(out)),
            other => out.push(other.to_string()),
        }
    }
}

impl<T: ParamValue> ParamValue for Vec<T> {
    fn push_values(&self, out: &mut Vec<String>) {
        self.iter().for_each(|item| item.push_values(out));
    }
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn push_values(&self, out: &mut Vec<String>) {
        (**self).push_values(out);
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
