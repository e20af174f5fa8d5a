{% for line in doc %}{{ line }}
{% endfor %}
// Vendor prose is copied into rustdoc as written; it is not checked for rustdoc's lints.
#![allow(rustdoc::bare_urls, rustdoc::invalid_html_tags, rustdoc::broken_intra_doc_links)]

pub mod builders;
pub mod models;
#[cfg(feature = "mock")]
#[rustfmt::skip]
pub mod mock;
{% for e in api.extensions %}#[rustfmt::skip]
pub mod {{ e.module }};
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

    /// The validated base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.core.base_url()
    }

{% if core_used %}    pub(crate) fn core(&self) -> &crate::runtime::ClientCore {
        &self.core
    }
{% endif %}{% for o in ops %}
{% for line in o.doc %}    {{ line }}
{% endfor %}{# required parameters are positional (OneLogin has operations with 7 of them plus &self) #}{% if o.args.len() >= 7 %}    #[allow(clippy::too_many_arguments)]
{% endif %}    pub fn {{ o.op.method_name }}(&self{% for a in o.args %}, {{ a.name }}: {{ a.ty }}{% endfor %}) -> builders::{{ o.op.builder_name }} {
        builders::{{ o.op.builder_name }}::new(self.clone(){% for a in o.args %}, {{ a.convert }}{% endfor %})
    }
{% endfor %}
}
