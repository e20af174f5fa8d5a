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
    "client.rs",
    "error.rs",
    "fields.rs",
    "gate.rs",
    "mock.rs",
    "okta_oauth.rs",
    "pagination.rs",
    "params.rs",
    "request.rs",
    "response.rs",
    "retry.rs",
    "token_cache.rs",
    "token_request.rs",
    "vendor.rs",
);

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
