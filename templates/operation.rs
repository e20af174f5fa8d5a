/// Request builder for [`Client::{{ op.method_name }}`](super::Client::{{ op.method_name }}): `{{ path_doc }}`.
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct {{ op.builder_name }} {
    client: super::Client,
{% for p in op.params %}    {{ p.rust_name }}: {% if p.required %}{{ p.rust_type }}{% else %}Option<{{ p.rust_type }}>{% endif %},
{% endfor %}{% if let Some(b) = op.body %}    body: {% if b.required %}{{ b.rust_type }}{% else %}Option<{{ b.rust_type }}>{% endif %},
{% endif %}    extras: crate::runtime::Extras,
}

/// The operation and the client only: parameter values and bodies are left out, since ids,
/// one-time codes and answers are personal data or secrets that logs must not keep.
impl std::fmt::Debug for {{ op.builder_name }} {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct({{ builder_lit }})
            .field("operation", &{{ operation_id }})
            .field("path", &{{ path }})
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

impl {{ op.builder_name }} {
    pub(crate) fn new(client: super::Client{% for a in args %}, {{ a.name }}: {{ a.stored }}{% endfor %}) -> Self {
        Self {
            client,
{% for p in op.params %}            {{ p.rust_name }}{% if !p.required %}: None{% endif %},
{% endfor %}{% if let Some(b) = op.body %}            body{% if !b.required %}: None{% endif %},
{% endif %}            extras: crate::runtime::Extras::default(),
        }
    }
{% for p in optional %}
{% for line in p.doc %}    {{ line }}
{% endfor %}    pub fn {{ p.param.rust_name }}(mut self, value: {{ p.param.arg_type }}) -> Self {
        self.{{ p.param.rust_name }} = Some({{ p.convert }});
        self
    }
{% endfor %}{% if let Some(b) = op.body %}{% if !b.required %}
    /// The request body.
    pub fn body(mut self, value: {{ b.arg_type }}) -> Self {
        self.body = Some({{ body_convert }});
        self
    }
{% endif %}{% endif %}
    /// Adds a header the spec does not describe. Replaces a default or parameter header of the
    /// same name; validated before sending.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extras.header(name, value);
        self
    }

    /// This call's own timeout, deadline or retry policy, instead of the client's.
    pub fn options(mut self, options: crate::runtime::CallOptions) -> Self {
        self.extras.options(options);
        self
    }

    /// Adds a query pair the spec does not describe.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extras.query(name, value);
        self
    }

    /// Sends the request and decodes the success body.
    pub async fn send(self) -> Result<{{ op.success.rust_type }}, crate::runtime::Error> {
        self.send_with_response().await.map(crate::runtime::ApiResponse::into_inner)
    }

    /// Like [`send`](Self::send), keeping the status, request id, rate-limit and other headers
    /// of the response.
    pub async fn send_with_response(self) -> Result<crate::runtime::ApiResponse<{{ op.success.rust_type }}>, crate::runtime::Error> {
        let core = self.client.core().clone();
        let response = core.execute(self.into_request()?).await?;
{% match op.success.shape %}{% when SuccessShape::Empty %}        response.decode_empty()
{% when SuccessShape::Single %}        response.decode()
{% when SuccessShape::ByStatus with (variants) %}        match response.status() {
{% for v in variants %}            {{ v.status }} => response.decode().map(|r| r.map({{ op.success.rust_type }}::{{ v.variant }})),
{% endfor %}            _ => Err(response.unexpected_status()),
        }
{% endmatch %}    }
{% if let Some(p) = op.pagination %}
    /// Every page, in order, following each response's `Link: <...>; rel="next"` header; ends
    /// after the page without one. Each page keeps its response metadata.
    pub fn pages(self) -> impl futures_util::Stream<Item = Result<crate::runtime::ApiResponse<Vec<{{ p.item_type }}>>, crate::runtime::Error>> + Send + 'static {
        let core = self.client.core().clone();
        crate::runtime::pages(core, self.into_request())
    }

    /// Every item of every page, in order (see [`pages`](Self::pages)).
    pub fn items(self) -> impl futures_util::Stream<Item = Result<{{ p.item_type }}, crate::runtime::Error>> + Send + 'static {
        let core = self.client.core().clone();
        crate::runtime::items(core, self.into_request())
    }
{% endif %}
    /// The request as the runtime sends it: path ids encoded, parameters and body serialised.
    fn into_request(self) -> Result<crate::runtime::RequestParts, crate::runtime::Error> {
        let path = {{ path_expr }};
        let mut request = crate::runtime::RequestParts::new(reqwest::Method::{{ op.http_method.as_str() }}, {{ operation_id }}, {{ path }}, path);
{% for v in params %}{% let p = v.p %}{% if p.location.as_str() != "path" %}{% if p.required %}        {{ v.send_required }}
{% else %}        if let Some(value) = &self.{{ p.rust_name }} {
            {{ v.send_optional }}
        }
{% endif %}{% endif %}{% endfor %}{% if let Some(b) = op.body %}{% if b.required %}        request.json(&self.body)?;
{% else %}        if let Some(body) = &self.body {
            request.json(body)?;
        }
{% endif %}{% endif %}        request.extend(self.extras);
        Ok(request)
    }
}
