//! The hand-written runtime (`templates/runtime/`), copied verbatim into every generated crate
//! as `src/runtime/` so that a crate written with `generate --out DIR` compiles alone.

use super::{FileKind, RenderedFile};

/// Runtime sources, copied into every generated crate (see `templates/runtime/mod.rs`).
macro_rules! runtime_files {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../../templates/runtime/", $name)))),*]
    };
}
const RUNTIME_FILES: &[(&str, &str)] = runtime_files!(
    "mod.rs",
    "auth.rs",
    "auth/schemes.rs",
    "call_options.rs",
    "client.rs",
    "client/attempt.rs",
    "client/builder.rs",
    "error.rs",
    "fields.rs",
    "fields/node.rs",
    "fields/node_de.rs",
    "fields/tests.rs",
    "gate.rs",
    "headers.rs",
    "mock.rs",
    "mock/params.rs",
    "pagination.rs",
    "params.rs",
    "params/shape.rs",
    "params/style.rs",
    "params/style/tests.rs",
    "params/tests.rs",
    "profile.rs",
    "rate_limit.rs",
    "request.rs",
    "response.rs",
    "retry.rs",
    "retry/tests.rs",
    "token.rs",
    "token_cache.rs",
    "token_request.rs",
    "url.rs",
    "vendor.rs",
    "vendor/env.rs",
    "vendor/okta.rs",
    "vendor/okta_oauth.rs",
    "vendor/okta_oauth/crypto.rs",
    "vendor/okta_oauth/key.rs",
    "vendor/okta_oauth/tests.rs",
    "vendor/onelogin.rs",
    "vendor/onelogin_auth.rs",
);

/// The runtime sources (file name under `src/runtime/`, text), for the API surface.
pub fn sources() -> &'static [(&'static str, &'static str)] {
    RUNTIME_FILES
}

/// The runtime files as rendered files, in `RUNTIME_FILES` order.
pub(super) fn runtime_files() -> Vec<RenderedFile> {
    RUNTIME_FILES
        .iter()
        .map(|(name, text)| {
            RenderedFile::whole(
                format!("src/runtime/{name}"),
                "runtime",
                (*text).to_owned(),
                FileKind::Verbatim {
                    source: format!("templates/runtime/{name}"),
                },
            )
        })
        .collect()
}
