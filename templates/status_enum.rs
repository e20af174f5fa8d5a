/// Success responses of `{{ op.operation_id }}`, by HTTP status.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum {{ op.success.rust_type }} {
{% for v in variants %}    /// {{ v.doc }}
    {{ v.variant }}({{ v.rust_type }}),
{% endfor %}}
