//! Request builders: one per operation, returned by the `Client` methods. Set optional
//! parameters with the setters, then `.send().await`.

#[allow(unused_imports)]
use super::models::*;
{% for item in items %}
{{ item|safe }}
{% endfor %}
