// {{ doc }}
// Spliced into its parent file by `include!` behind the gate's `#[cfg]`: without the
// feature the file is never read.
{% for item in items %}
{{ item|safe }}
{% endfor %}