{% for line in doc %}{{ line }}
{% endfor %}///
/// One of several JSON kinds, without a tag: a value decodes as the member that takes its kind
/// ({% for d in dispatch %}{% if !loop.first %}, {% endif %}{{ d.kind_doc }} -> [`{{ d.variant }}`](Self::{{ d.variant }}){% endfor %}) and encodes back to the same JSON.
{% if let Some(alias) = alias %}#[doc(alias = {{ alias }})]
{% endif %}#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum {{ name }} {
{% for v in u.variants %}    /// The member typed `{{ v.rust_type }}`.
    {{ v.rust_name }}({{ v.rust_type }}),
{% endfor %}}

impl serde::Serialize for {{ name }} {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
{% for v in u.variants %}            Self::{{ v.rust_name }}(inner) => inner.serialize(serializer),
{% endfor %}        }
    }
}

impl<'de> serde::Deserialize<'de> for {{ name }} {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let json = <crate::runtime::Json as serde::Deserialize>::deserialize(deserializer)?;
        match json.kind() {
{% for d in dispatch %}            crate::runtime::JsonKind::{{ d.kind }} => json.decode().map(Self::{{ d.variant }}).map_err(D::Error::custom),
{% endfor %}{% if !complete %}            _ => Err(D::Error::custom(json.unexpected({{ expected }}))),
{% endif %}        }
    }
}
