//! Models of the {{ title }} API: request and response bodies, enums and unions.
{% if !groups.is_empty() %}
// the models behind each per-tag feature (or set of features), in a file of their own so a
// build without them never reads it (`include!`, not a module: no glob re-exports to resolve)
{% endif %}{% for g in groups %}{{ g.cfg }}include!({{ g.include }});
{% endfor %}{% for item in items %}
{{ item|safe }}
{% endfor %}
{% if helpers.one_or_many %}
/// One value or several: the spec declares one, and the vendor is known to send an array too
/// (a wire patch in the provider config says where). Each form re-encodes as received.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    /// An array of values (tried first: a lone object never decodes as an array).
    Many(Vec<T>),
    /// A single value, as the spec declares it.
    One(T),
}

impl<T> OneOrMany<T> {
    /// The first (or only) value.
    pub fn first(&self) -> Option<&T> {
        match self {
            Self::One(value) => Some(value),
            Self::Many(values) => values.first(),
        }
    }

    /// Every value, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        match self {
            Self::One(value) => std::slice::from_ref(value).iter(),
            Self::Many(values) => values.iter(),
        }
    }
}

impl<T> From<T> for OneOrMany<T> {
    fn from(value: T) -> Self {
        Self::One(value)
    }
}
{% endif %}
/// Decodes `value` as the JSON body of `operation_id`'s request (`status` `None`) or of its
/// response with `status` (`"200"`, `"4XX"`, `"default"`, as the spec writes it), then encodes
/// it again. Returns the Rust type's name with the result, or `None` when the spec gives that
/// body no schema. Generated from the same decisions as the types, for conformance tests that
/// check upstream examples round-trip; not part of the stable API. Test support, so it comes
/// with the `mock` feature: it instantiates an encode and a decode of every body type, about
/// 5% of a provider module's compiled code, which no application needs.
#[doc(hidden)]
#[cfg(feature = "mock")]
pub fn round_trip_body(
    operation_id: &str,
    status: Option<&str>,
    value: serde_json::Value,
) -> Option<(&'static str, Result<serde_json::Value, serde_json::Error>)> {
{% if bodies.is_empty() %}    // the spec types no JSON body
    let _ = (operation_id, status, value);
    None
{% else %}    fn again<T: serde::de::DeserializeOwned + serde::Serialize>(
        value: serde_json::Value,
    ) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::to_value(serde_json::from_value::<T>(value)?)
    }
    match (operation_id, status) {
{% for b in bodies %}        {{ b.cfg }}({{ b.operation_id }}, {% if let Some(s) = b.status %}Some({{ s }}){% else %}None{% endif %}) => Some(({{ b.type_name }}, again::<{{ b.rust_type }}>(value))),
{% endfor %}        _ => None,
    }
{% endif %}}
