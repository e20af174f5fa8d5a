//! {{ doc }}

#[allow(unused_imports)]
use super::*;
{% for item in items %}
{{ item|safe }}
{% endfor %}
