{% for line in doc %}{{ line }}
{% endfor %}///
/// Tagged by {{ property_doc }}; a value this version of the crate does not know decodes into
/// [`{{ u.unknown_variant }}`](Self::{{ u.unknown_variant }}) with its JSON intact.
{# Variants hold the member structs inline: boxing them for size would make every match and construction clumsier; Okta's app unions reach 2 KB, fine for values that live one call #}{% if let Some(alias) = alias %}#[doc(alias = {{ alias }})]
{% endif %}#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)]
pub enum {{ name }} {
{% for v in variants %}    /// {{ v.doc }}
    {{ v.v.rust_name }}({{ v.v.rust_type }}),
{% endfor %}    /// A {{ property_doc }} this version of the crate does not know; the JSON is kept unchanged.
    {{ u.unknown_variant }}(serde_json::Value),
}

{% for v in from_impls %}
impl From<{{ v.rust_type }}> for {{ name }} {
    fn from(value: {{ v.rust_type }}) -> Self {
        Self::{{ v.rust_name }}(value)
    }
}
{% endfor %}{% if !accessors.is_empty() %}
/// Fields every variant declares alike; each is `None` for
/// [`{{ u.unknown_variant }}`](Self::{{ u.unknown_variant }}), whose JSON is not decoded.
impl {{ name }} {
{% for a in accessors %}    /// {{ a.wire_doc }} of whichever variant this is.
    pub fn {{ a.f.rust_name }}(&self) -> {{ a.f.return_type }} {
        match self {
{% for v in u.variants %}            Self::{{ v.rust_name }}(v) => {{ a.read }},
{% endfor %}            Self::{{ u.unknown_variant }}(_) => None,
        }
    }
{% endfor %}}
{% endif %}
impl serde::Serialize for {{ name }} {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
{% for v in u.variants %}            Self::{{ v.rust_name }}(inner) => inner.serialize(serializer),
{% endfor %}            Self::{{ u.unknown_variant }}(value) => value.serialize(serializer),
        }
    }
}

impl<'de> serde::Deserialize<'de> for {{ name }} {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let json = <crate::runtime::Json as serde::Deserialize>::deserialize(deserializer)?;
        // mapping keys are strings; an integer discriminator (`"auth_method": 8`) matches by its decimal text
        let tag = json.tag({{ property }});
        // the member struct takes the object as it was read, without a `serde_json::Value` in between
        match tag.as_deref() {
{% for v in variants %}            Some({% for value in v.values %}{% if !loop.first %} | {% endif %}{{ value }}{% endfor %}) => json.decode().map(Self::{{ v.v.rust_name }}).map_err(D::Error::custom),
{% endfor %}            _ => json.into_unknown_object().map(Self::{{ u.unknown_variant }}).map_err(D::Error::custom),
        }
    }
}
