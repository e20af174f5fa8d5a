/// Success responses of {{ operation_id }}, by HTTP status.
{# Variants hold the decoded bodies inline: boxing them for size would make every match and construction clumsier, for values that live one call #}#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)]
pub enum {{ op.success.rust_type }} {
{% for v in variants %}    /// {{ v.doc }}
    {{ v.variant }}({{ v.rust_type }}),
{% endfor %}}
