{% for line in doc %}{{ line }}
{% endfor %}{% if let Some(alias) = alias %}#[doc(alias = {{ alias }})]
{% endif %}#[derive(Debug, Clone, PartialEq{% if s.all_optional && s.discriminator_default.is_none() %}, Default{% endif %})]
#[non_exhaustive]
pub struct {{ name }} {
{% for f in fields %}{% for line in f.doc %}    {{ line }}
{% endfor %}    pub {{ f.field.rust_name }}: {{ f.field.rust_type }},
{% endfor %}    /// Properties the spec does not declare, kept so that a value read from the API and
    /// written back loses nothing.
    pub additional_properties: std::collections::BTreeMap<String, {{ s.extra_rust_type }}>,
}

impl {{ name }} {
    /// A value with the required fields set{% if let Some((field, _)) = s.discriminator_default %} and `{{ field }}` naming this variant{% endif %}; the others are empty.
{# a schema with many required fields (Okta's OAuth2 grant settings: 14) takes them all, positionally, like the spec lists them #}{% if ctor_args.len() > 7 %}    #[allow(clippy::too_many_arguments)]
{% endif %}    pub fn new({% for a in ctor_args %}{{ a.name }}: {{ a.ty }}, {% endfor %}) -> Self {
        Self {
{% for f in fields %}            {{ f.init }},
{% endfor %}            additional_properties: std::collections::BTreeMap::new(),
        }
    }
{% for f in fields %}
    /// Sets {{ f.wire_doc }}.
    pub fn {{ f.setter }}(mut self, value: {{ f.field.setter_arg }}) -> Self {
        self.{{ f.field.rust_name }} = {{ f.assign }};
        self
    }
{% endfor %}}

{# not derived: with the flattened map the derive expands to ~2 KB per struct; this writes the same entries in the same order #}impl serde::Serialize for {{ name }} {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = serializer.serialize_map(None)?;
{% for f in fields %}{% if f.skip_none %}        if self.{{ f.field.rust_name }}.is_some() {
            map.serialize_entry({{ f.wire }}, &self.{{ f.field.rust_name }})?;
        }
{% else %}        map.serialize_entry({{ f.wire }}, &self.{{ f.field.rust_name }})?;
{% endif %}{% endfor %}        for (key, value) in &self.additional_properties {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

{# not derived: the derive with the flattened map expands to ~19 KB per struct (see runtime/fields.rs) #}impl<'de> serde::Deserialize<'de> for {{ name }} {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        fn build(fields: &mut crate::runtime::Fields) -> Result<{{ name }}, serde_json::Error> {
            Ok({{ name }} {
{% for f in fields %}                {{ f.field.rust_name }}: fields.{{ f.take }}({{ f.wire }})?,
{% endfor %}                additional_properties: fields.rest()?,
            })
        }
        crate::runtime::decode_struct(deserializer, {{ name_lit }}, build)
    }
}
{% if ctor_args.is_empty() && s.discriminator_default.is_some() %}
impl Default for {{ name }} {
    fn default() -> Self {
        Self::new()
    }
}
{% endif %}
