//! Request builders: one per operation, returned by the `Client` methods. Set optional
//! parameters with the setters, then `.send().await`.

#[allow(unused_imports)]
use super::models::*;
{% if !groups.is_empty() %}// the builders behind each per-tag feature, in a file of their own so a build without the
// feature never reads it (`include!`, not a module: no glob re-exports to resolve)
{% endif %}{% for g in groups %}{{ g.cfg }}include!({{ g.include }});
{% endfor %}{% for item in items %}
{{ item|safe }}
{% endfor %}
