{% for line in doc %}{{ line }}
{% endfor %}
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[rustfmt::skip]
pub mod runtime;
{% for p in providers %}
#[cfg(feature = "{{ p.module }}")]
#[cfg_attr(docsrs, doc(cfg(feature = "{{ p.module }}")))]
#[rustfmt::skip]
pub mod {{ p.module }};
{% endfor %}
pub use runtime::{ApiResponse, Auth, Error, Secret};
