//! The spec-derived runtime items of a provider module as views: `DEFAULT_BASE_URL` and
//! `server_url` from the IR's server, one function of `auth` per auth option. Spec strings
//! reach the code only as [`RustStr`] literals and doc text.

use super::super::doc_lines::doc_lines;
use crate::ir::{AuthKind, AuthOption, ErrorBodies, Server, SpecRuntime, StatusMatch};
use crate::render::escape::{self, DocLine, DocText, RustCode, RustStr};

pub(super) struct SpecRuntimeView {
    pub server: Option<ServerView>,
    pub auth: Vec<AuthView>,
    pub errors: Vec<ErrorsView>,
}

/// `<module>::errors`: an enum of one operation's error bodies and the function that decodes
/// an `ApiError` into it.
pub(super) struct ErrorsView {
    pub fn_name: String,
    pub enum_name: String,
    /// (doc text of the status, variant, Rust type, match pattern)
    pub cases: Vec<(DocText, String, String, RustCode)>,
    /// A `default` case matches every status: no catch-all `None` arm after it.
    pub has_default: bool,
    /// The operation's `#[cfg]`, with per-tag features.
    pub cfg: RustCode,
}

pub(super) struct ServerView {
    pub doc: Vec<DocLine>,
    pub default_url: RustStr,
    /// Doc of `server_url`, empty when the URL has no variables (and there is no function).
    pub fn_doc: Vec<DocLine>,
    pub template: RustStr,
    /// (argument, the variable's name as a literal)
    pub args: Vec<(String, RustStr)>,
}

pub(super) struct AuthView {
    pub doc: Vec<DocLine>,
    pub fn_name: String,
    pub params: RustCode,
    pub returns: RustCode,
    pub body: RustCode,
}

impl SpecRuntimeView {
    pub(super) fn new(runtime: &SpecRuntime) -> Self {
        Self {
            server: runtime.server.as_ref().map(server_view),
            auth: runtime.auth.iter().map(auth_view).collect(),
            errors: runtime.errors.iter().map(errors_view).collect(),
        }
    }
}

fn server_view(server: &Server) -> ServerView {
    let mut doc = format!(
        "The spec's first server, `{}`, with every variable at its default.",
        server.default_url
    );
    if let Some(description) = &server.description {
        doc.push_str(&format!("\n\n{description}"));
    }
    let fn_doc = if server.variables.is_empty() {
        Vec::new()
    } else {
        let mut text = format!(
            "The spec's first server, `{}`, for these variables (each value fills one host label \
             or path segment; it is percent-encoded):\n",
            server.url
        );
        for v in &server.variables {
            text.push_str(&format!("\n- `{}`: default `{}`", v.arg_name, v.default));
            if !v.values.is_empty() {
                text.push_str(&format!(", one of `{}`", v.values.join("`, `")));
            }
            if let Some(description) = &v.description {
                text.push_str(&format!(". {}", escape::one_line(description)));
            }
        }
        doc_lines("///", &text)
    };
    ServerView {
        doc: doc_lines("///", &doc),
        default_url: escape::rust_str(&server.default_url),
        fn_doc,
        template: escape::rust_str(&server.url),
        args: server
            .variables
            .iter()
            .map(|v| (v.arg_name.clone(), escape::rust_str(&v.name)))
            .collect(),
    }
}

fn auth_view(option: &AuthOption) -> AuthView {
    const SECRET: &str = "impl Into<crate::runtime::Secret>";
    const AUTH: &str = "crate::runtime::Auth";
    let scheme = escape::md_code_span(&option.scheme);
    let (what, params, returns, body) = match &option.kind {
        AuthKind::ApiKey { location, name } => (
            format!(
                "An API key in the {} {}.",
                match location {
                    crate::ir::ApiKeyIn::Header => "header",
                    crate::ir::ApiKeyIn::Query => "query parameter",
                    crate::ir::ApiKeyIn::Cookie => "cookie",
                },
                escape::md_code_span(name)
            ),
            format!("key: {SECRET}"),
            AUTH.to_owned(),
            format!(
                "crate::runtime::Auth::api_key(crate::runtime::ApiKeyLocation::{}, {}, key)",
                location.variant(),
                escape::rust_str_text(name)
            ),
        ),
        AuthKind::Basic => (
            "HTTP Basic: `Authorization: Basic base64(user:password)`.".to_owned(),
            format!("user: impl Into<String>, password: {SECRET}"),
            AUTH.to_owned(),
            "crate::runtime::Auth::basic(user, password)".to_owned(),
        ),
        AuthKind::Bearer => (
            "A bearer token: `Authorization: Bearer <token>`.".to_owned(),
            format!("token: {SECRET}"),
            AUTH.to_owned(),
            "crate::runtime::Auth::bearer(token)".to_owned(),
        ),
        AuthKind::ClientCredentials { token_url, scopes } => {
            let mut body = format!(
                "crate::runtime::ClientCredentials::new({}, client_id, client_secret)",
                escape::rust_str_text(token_url)
            );
            for scope in scopes {
                body.push_str(&format!(".scope({})", escape::rust_str_text(scope)));
            }
            let asks = if scopes.is_empty() {
                "no scope".to_owned()
            } else {
                format!(
                    "the scopes {}",
                    scopes
                        .iter()
                        .map(|s| escape::md_code_span(s))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            (
                format!(
                    "The OAuth 2.0 client-credentials grant at {} (relative URLs are \
                     resolved against the client's base URL), asking for {asks} (what the \
                     generated operations require); tokens are cached and refreshed. Converts \
                     into an `Auth`; `.token_url()` and `.scope()` change the request.",
                    escape::md_code_span(token_url)
                ),
                format!("client_id: impl Into<String>, client_secret: {SECRET}"),
                "crate::runtime::ClientCredentials".to_owned(),
                body,
            )
        }
    };
    let mut doc = format!("Security scheme {scheme}. {what}");
    if let Some(description) = &option.description {
        doc.push_str(&format!("\n\n{description}"));
    }
    AuthView {
        doc: doc_lines("///", &doc),
        fn_name: option.fn_name.clone(),
        params: escape::code(params),
        returns: escape::code(returns),
        body: escape::code(body),
    }
}

fn errors_view(bodies: &ErrorBodies) -> ErrorsView {
    ErrorsView {
        cfg: super::super::gates::cfg(&bodies.gate),
        fn_name: bodies.fn_name.clone(),
        enum_name: bodies.enum_name.clone(),
        cases: bodies
            .cases
            .iter()
            .map(|c| {
                let pattern = match c.matches {
                    StatusMatch::Exact(code) => code.to_string(),
                    StatusMatch::Class(class) => format!("{}..={}", class * 100, class * 100 + 99),
                    StatusMatch::Default => "_".to_owned(),
                };
                (
                    escape::doc_code(&c.status),
                    c.variant.clone(),
                    c.rust_type.clone(),
                    escape::code(pattern),
                )
            })
            .collect(),
        has_default: bodies
            .cases
            .iter()
            .any(|c| c.matches == StatusMatch::Default),
    }
}
