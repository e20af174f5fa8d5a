{% for line in doc %}{{ line }}
{% endfor %}{% if let Some(alias) = alias %}#[doc(alias = {{ alias }})]
{% endif %}#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum {{ name }} {
{% for v in variants %}    /// {{ v.doc }}
    {{ v.v.rust_name }},
{% endfor %}    /// A value this version of the crate does not know, kept as received.
    {{ e.unknown_variant }}({{ raw_type }}),
}

impl {{ name }} {
    /// The value as sent on the wire.
    pub fn {% if is_string %}as_str(&self) -> &str{% else %}value(&self) -> i64{% endif %} {
        match self {
{% for v in variants %}            Self::{{ v.v.rust_name }} => {{ v.value }},
{% endfor %}            Self::{{ e.unknown_variant }}(value) => {% if is_string %}value{% else %}*value{% endif %},
        }
    }
}

impl From<{{ raw_type }}> for {{ name }} {
    fn from(value: {{ raw_type }}) -> Self {
        match {% if is_string %}value.as_str(){% else %}value{% endif %} {
{% for v in variants %}            {{ v.value }} => Self::{{ v.v.rust_name }},
{% endfor %}            _ => Self::{{ e.unknown_variant }}(value),
        }
    }
}
{% if is_string %}
impl From<&str> for {{ name }} {
    fn from(value: &str) -> Self {
        Self::from(value.to_owned())
    }
}
{% endif %}
impl std::fmt::Display for {{ name }} {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        {% if is_string %}f.write_str(self.as_str()){% else %}write!(f, "{}", self.value()){% endif %}
    }
}

impl serde::Serialize for {{ name }} {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        {% if is_string %}serializer.serialize_str(self.as_str()){% else %}serializer.serialize_i64(self.value()){% endif %}
    }
}

impl<'de> serde::Deserialize<'de> for {{ name }} {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <{{ raw_type }} as serde::Deserialize>::deserialize(deserializer).map(Self::from)
    }
}

impl crate::runtime::ParamValue for {{ name }} {
    fn push_values(&self, out: &mut Vec<String>) {
        out.push(self.to_string());
    }
}
