//! `servers[0]` -> the provider's default base URL (`DEFAULT_BASE_URL`) and, when the URL has
//! variables, `server_url(..)` with one argument per variable. A relative server, or a variable
//! the spec does not define, is a warning: the caller gives the base URL.

use std::collections::BTreeSet;

use crate::error::{Warning, WarningKind};
use crate::ir::{Server, ServerVariable};
use crate::load::LoadedSpec;
use crate::naming::{self, Scope};

pub(super) fn default_server(spec: &LoadedSpec, warnings: &mut Vec<Warning>) -> Option<Server> {
    let server = spec.api.servers.first()?;
    let mut warn = |message: String| {
        warnings.push(Warning {
            pointer: "/servers/0".to_owned(),
            message: format!("{message}; the caller gives the base URL (no DEFAULT_BASE_URL)"),
            kind: WarningKind::ServerNotDefault,
        });
    };
    let url = server.url.trim_end_matches('/');
    let defined = server.variables.as_ref();
    let mut names = Scope::with_reserved(&[]);
    let mut variables = Vec::new();
    let mut seen = BTreeSet::new();
    for name in template_names(url) {
        let Some(variable) = defined.and_then(|d| d.get(name)) else {
            warn(format!(
                "server URL `{url}` uses `{{{name}}}`, which it does not define"
            ));
            return None;
        };
        if seen.insert(name) {
            variables.push(ServerVariable {
                name: name.to_owned(),
                arg_name: names.claim(naming::snake(name)),
                default: variable.default.clone(),
                values: variable.enumeration.clone(),
                description: variable.description.clone(),
            });
        }
    }
    let default_url = variables.iter().fold(url.to_owned(), |url, v| {
        url.replace(&format!("{{{}}}", v.name), &v.default)
    });
    let lower = default_url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        warn(format!("server URL `{url}` is not absolute"));
        return None;
    }
    Some(Server {
        url: url.to_owned(),
        default_url,
        description: server.description.clone(),
        variables,
    })
}

/// The `{name}`s of a server URL template, in order (repeats included).
fn template_names(url: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = url;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        out.push(&after[..close]);
        rest = &after[close + 1..];
    }
    out
}
