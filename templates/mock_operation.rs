/// What a test expects of a {{ o.operation_id_doc }} request, and the answer. Built by
/// [`MockServer::{{ o.op.method_name }}`].
{{ o.cfg }}#[derive(Debug)]
#[must_use = "an expectation needs an answer and `.mount().await`"]
pub struct {{ o.op.builder_name }}Expectation<'a> {
    mock: &'a MockServer,
    inner: crate::runtime::mock::Expectation,
}

{{ o.cfg }}impl<'a> {{ o.op.builder_name }}Expectation<'a> {
{% for p in o.params %}    /// Expects {{ p.wire_doc }} ({{ p.location }} parameter) to be this value.
    pub fn {{ p.rust_name }}(mut self, value: {{ p.arg_type }}) -> Self {
        let value: {{ p.rust_type }} = {{ p.convert }};
        {{ p.expect }}
        self
    }

{% endfor %}    /// Expects exactly one `name` header line with this value, for a header the spec does not
    /// declare (an `X-Forwarded-For` the caller forwards with `.header()`).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.inner.header(name, value);
        self
    }

{% if let Some(b) = o.op.body %}    /// Expects this JSON body.
    pub fn body(mut self, value: {{ b.arg_type }}) -> Self {
        let body: {{ b.rust_type }} = {{ o.body_convert }};
        self.inner.json_body(&body);
        self
    }

{% endif %}{% match o.op.success.shape %}{% when SuccessShape::Empty %}    /// Answers HTTP {{ o.op.success.status }} without a body.
    pub fn returns(self) -> crate::runtime::mock::Mocked<'a> {
        let mock = self.mock;
        self.inner.empty_answer(&mock.core, {{ o.op.success.status }})
    }
{% when SuccessShape::Single %}    /// Answers HTTP {{ o.op.success.status }} with this body.
    pub fn returns(self, value: {{ o.op.success.rust_type }}) -> crate::runtime::mock::Mocked<'a> {
        let mock = self.mock;
        self.inner.json_answer(&mock.core, {{ o.op.success.status }}, &value)
    }
{% when SuccessShape::ByStatus with (variants) %}    /// Answers with the status of the variant and its body.
    pub fn returns(self, value: {{ o.op.success.rust_type }}) -> crate::runtime::mock::Mocked<'a> {
        let mock = self.mock;
        match value {
{% for v in variants %}            {{ o.op.success.rust_type }}::{{ v.variant }}(body) => self.inner.json_answer(&mock.core, {{ v.status }}, &body),
{% endfor %}        }
    }
{% endmatch %}
    /// Answers with an error status and body (e.g. the vendor's error model).
    pub fn fails(self, status: u16, body: &impl serde::Serialize) -> crate::runtime::mock::Mocked<'a> {
        let mock = self.mock;
        self.inner.json_answer(&mock.core, status, body)
    }

    /// Answers 429 with the vendor's rate-limit headers, the window resetting after `reset`.
    pub fn rate_limited(self, reset: std::time::Duration) -> crate::runtime::mock::Mocked<'a> {
        let mock = self.mock;
        self.inner.rate_limited_answer(&mock.core, reset)
    }

    /// Answers with a raw wiremock response.
    pub fn responds_with(self, template: wiremock::ResponseTemplate) -> crate::runtime::mock::Mocked<'a> {
        let mock = self.mock;
        self.inner.raw_answer(&mock.core, template)
    }
}
