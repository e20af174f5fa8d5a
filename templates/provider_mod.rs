{% for line in doc %}{{ line }}
{% endfor %}
// Vendor prose is copied into rustdoc as written; it is not checked for rustdoc's lints.
#![allow(rustdoc::bare_urls, rustdoc::invalid_html_tags, rustdoc::broken_intra_doc_links)]

pub mod builders;
pub mod models;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
#[rustfmt::skip]
pub mod mock;
{% for e in extensions %}{{ e.cfg }}#[rustfmt::skip]
pub mod {{ e.ext.module }};
{% endfor %}
#[allow(unused_imports)]
pub use models::*;

const PROFILE: crate::runtime::Profile = crate::runtime::Profile {
    provider: "{{ api.module }}",
    request_id_header: {{ profile.request_id_header }},
    user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
    user_agent_extended_header: {{ profile.user_agent_extended_header }},
    retry_for_header: {{ profile.retry_for_header }},
    retry_count_header: {{ profile.retry_count_header }},
    rate_limit: {% if let Some(r) = profile.rate_limit %}Some(crate::runtime::RateLimitHeaders {
        limit: {{ r.limit }},
        remaining: {{ r.remaining }},
        reset: {{ r.reset }},
        clock: crate::runtime::ResetClock::{{ r.clock }},
    }){% else %}None{% endif %},
    error_format: crate::runtime::ErrorFormat::{{ profile.error_format }},
};

{% if let Some(rt) = spec_runtime %}{% if let Some(s) = rt.server %}
{% for line in s.doc %}{{ line }}
{% endfor %}pub const DEFAULT_BASE_URL: &str = {{ s.default_url }};
{% if !s.args.is_empty() %}
{% for line in s.fn_doc %}{{ line }}
{% endfor %}pub fn server_url({% for (arg, _) in s.args %}{{ arg }}: &str, {% endfor %}) -> String {
    crate::runtime::expand_server_url({{ s.template }}, &[{% for (arg, name) in s.args %}({{ name }}, {{ arg }}), {% endfor %}])
}
{% endif %}{% endif %}{% if !rt.auth.is_empty() %}
/// The spec's security schemes, one function each: pass the result to `Client::new` or
/// `ClientBuilder::auth`.
pub mod auth {
{% for a in rt.auth %}
{% for line in a.doc %}    {{ line }}
{% endfor %}    pub fn {{ a.fn_name }}({{ a.params }}) -> {{ a.returns }} {
        {{ a.body }}
    }
{% endfor %}}
{% endif %}{% if !rt.errors.is_empty() %}
/// Typed error bodies: for each operation whose 4xx, 5xx or `default` responses name a schema,
/// an enum of those bodies and a function that decodes the body of an
/// [`ApiError`](crate::runtime::ApiError) of that operation as its status says.
pub mod errors {
    #[allow(unused_imports)]
    use super::models::*;
{% for e in rt.errors %}
    /// The error bodies of [`Client::{{ e.fn_name }}`](super::Client::{{ e.fn_name }}), by response status.
    {{ e.cfg }}#[derive(Debug, Clone)]
    pub enum {{ e.enum_name }} {
{% for (status, variant, ty, _) in e.cases %}        /// Status {{ status }}.
        {{ variant }}({{ ty }}),
{% endfor %}    }

    /// The body of `error` (from [`Client::{{ e.fn_name }}`](super::Client::{{ e.fn_name }})) as the spec types it for its status:
    /// `None` when it names no schema for that status, `Some(Err(..))` when the body does not decode.
    {{ e.cfg }}pub fn {{ e.fn_name }}(error: &crate::runtime::ApiError) -> Option<Result<{{ e.enum_name }}, serde_json::Error>> {
{% if e.cases.len() == 1 && e.has_default %}        Some(error.decode_body().map({{ e.enum_name }}::Default))
{% else %}        match error.status {
{% for (_, variant, _, pattern) in e.cases %}            {{ pattern }} => Some(error.decode_body().map({{ e.enum_name }}::{{ variant }})),
{% endfor %}{% if !e.has_default %}            _ => None,
{% endif %}        }
{% endif %}    }
{% endfor %}}
{% endif %}{% endif %}
/// {{ title }} client. Cheap to clone: clones share one connection pool.
#[derive(Clone, Debug)]
pub struct Client {
    core: crate::runtime::ClientCore,
}

impl From<crate::runtime::ClientCore> for Client {
    fn from(core: crate::runtime::ClientCore) -> Self {
        Self { core }
    }
}

impl Client {
    /// A client for `base_url` (for example `{{ example_base_url }}`) with default settings.
    pub fn new(base_url: impl Into<String>, auth: impl Into<crate::runtime::Auth>) -> Result<Self, crate::runtime::Error> {
        Self::builder(base_url).auth(auth).build()
    }

    /// Starts configuring a client: auth, timeouts, a custom `reqwest::Client`.
    pub fn builder(base_url: impl Into<String>) -> crate::runtime::ClientBuilder<Self> {
        crate::runtime::ClientBuilder::new(base_url, PROFILE)
    }

{% if let Some(env) = profile.env %}    /// A client configured from the environment, with the variable names {{ title }}'s own SDKs
    /// read (see [`EnvVendor::{{ env }}`](crate::runtime::EnvVendor::{{ env }})); the error names a
    /// missing variable.
    pub fn from_env() -> Result<Self, crate::runtime::Error> {
        Self::builder_from_env()?.build()
    }

    /// Like [`from_env`](Self::from_env), returning the builder for more settings.
    pub fn builder_from_env() -> Result<crate::runtime::ClientBuilder<Self>, crate::runtime::Error> {
        let (base_url, auth) = crate::runtime::settings_from_env(
            crate::runtime::EnvVendor::{{ env }},
            &|name| std::env::var(name).ok(),
        )?;
        Ok(Self::builder(base_url).auth(auth))
    }

{% endif %}    /// The validated base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.core.base_url()
    }

{% if core_used %}{% if gated %}    // with no tag feature on, no builder calls it
    #[allow(dead_code)]
{% endif %}    pub(crate) fn core(&self) -> &crate::runtime::ClientCore {
        &self.core
    }
{% endif %}{% for o in ops %}
{% for line in o.doc %}    {{ line }}
{% endfor %}{# required parameters are positional (OneLogin has operations with 7 of them plus &self) #}{% if o.args.len() >= 7 %}    #[allow(clippy::too_many_arguments)]
{% endif %}    {{ o.cfg }}pub fn {{ o.op.method_name }}(&self{% for a in o.args %}, {{ a.name }}: {{ a.ty }}{% endfor %}) -> builders::{{ o.op.builder_name }} {
        builders::{{ o.op.builder_name }}::new(self.clone(){% for a in o.args %}, {{ a.convert }}{% endfor %})
    }
{% endfor %}
}
