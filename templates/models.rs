//! Models of the {{ title }} API: request and response bodies, enums and unions.
{% for item in items %}
{{ item }}
{% endfor %}
