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
// The crates and traits the public API names, re-exported so a downstream crate needs no
// version-matched dependency of its own: `reqwest` (a custom `http_client`, header names,
// `Method`), `serde_json` (untyped values are `serde_json::Value`), and the `Stream` trait (with
// its `StreamExt` helpers) that `pages()` and `items()` return.
pub use futures_util::stream::{Stream, StreamExt};
pub use reqwest;
pub use runtime::{ApiError, ApiResponse, Auth, CallOptions, Error, RateLimit, RetryPolicy, Secret};
pub use serde_json;

/// The request a mock server received (`MockServer::received`).
///
/// Available with the `mock` feature.
#[cfg(feature = "mock")]
pub use wiremock::Request as MockRequest;
