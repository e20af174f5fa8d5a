//! `components/securitySchemes` -> the auth helpers of a provider (`<module>::auth`): one per
//! scheme the runtime supports, each unsupported scheme a warning with its pointer (the caller
//! still has `Auth::custom` and the builders' `.header()` / `.query()`).

use openapiv3::{APIKeyLocation, SecurityScheme};

use crate::error::{pointer_push, GenError, Warning, WarningKind};
use crate::ir::{ApiKeyIn, AuthKind, AuthOption, Operation, SecurityRequirement};
use crate::load::LoadedSpec;
use crate::naming::{self, Scope};

use super::refs;

/// The auth options of `spec`, in spec order, with a warning per scheme left out. `required`
/// are the security requirements of the selected operations: a client-credentials helper asks
/// for the scopes they name.
pub(super) fn auth_options(
    spec: &LoadedSpec,
    required: &[&SecurityRequirement],
    warnings: &mut Vec<Warning>,
) -> Result<Vec<AuthOption>, GenError> {
    let Some(components) = &spec.api.components else {
        return Ok(Vec::new());
    };
    let mut names = Scope::with_reserved(&[]);
    let mut out = Vec::new();
    for (name, node) in &components.security_schemes {
        let at = pointer_push("/components/securitySchemes", name);
        let (scheme, pointer) = refs::item(spec, node, &at)?;
        let (kind, description) = match auth_kind(scheme, name, required) {
            Ok(found) => found,
            Err(reason) => {
                warnings.push(Warning {
                    pointer,
                    message: format!(
                        "security scheme `{name}` has no generated helper: {reason}; \
                         authenticate with `Auth::custom` or the builders' `.header()`/`.query()`"
                    ),
                    kind: WarningKind::UnsupportedSecurityScheme,
                });
                continue;
            }
        };
        out.push(AuthOption {
            scheme: name.clone(),
            fn_name: names.claim(naming::snake(name)),
            description: description.clone(),
            kind,
        });
    }
    Ok(out)
}

/// Names each operation's schemes by their helper in its "Authentication" docs, unless the
/// config's `[auth.schemes]` already says how a caller provides them.
pub(super) fn document_usage(operations: &mut [Operation], options: &[AuthOption]) {
    let requirements = operations
        .iter_mut()
        .flat_map(|op| op.security.iter_mut().chain(op.refused_security.iter_mut()));
    for requirement in requirements.filter(|r| r.usage.is_none()) {
        if let Some(option) = options.iter().find(|o| o.scheme == requirement.scheme) {
            // a Rust identifier from naming: nothing to escape in a code span
            requirement.usage = Some(format!("`auth::{}`", option.fn_name));
        }
    }
}

/// What the runtime does for one scheme, or why it does nothing.
fn auth_kind(
    scheme: &SecurityScheme,
    name: &str,
    required: &[&SecurityRequirement],
) -> Result<(AuthKind, Option<String>), String> {
    match scheme {
        SecurityScheme::APIKey {
            location,
            name: key_name,
            description,
            ..
        } => {
            let location = match location {
                APIKeyLocation::Header => ApiKeyIn::Header,
                APIKeyLocation::Query => ApiKeyIn::Query,
                APIKeyLocation::Cookie => ApiKeyIn::Cookie,
            };
            let kind = AuthKind::ApiKey {
                location,
                name: key_name.clone(),
            };
            Ok((kind, description.clone()))
        }
        SecurityScheme::HTTP {
            scheme,
            description,
            ..
        } => match scheme.to_ascii_lowercase().as_str() {
            "basic" => Ok((AuthKind::Basic, description.clone())),
            "bearer" => Ok((AuthKind::Bearer, description.clone())),
            other => Err(format!("HTTP scheme `{other}` (only basic and bearer are)")),
        },
        SecurityScheme::OAuth2 {
            flows, description, ..
        } => match &flows.client_credentials {
            Some(flow) => {
                let mut scopes: Vec<String> = required
                    .iter()
                    .filter(|req| req.scheme == name)
                    .flat_map(|req| req.scopes.iter().cloned())
                    .collect();
                scopes.sort();
                scopes.dedup();
                let kind = AuthKind::ClientCredentials {
                    token_url: flow.token_url.clone(),
                    scopes,
                };
                Ok((kind, description.clone()))
            }
            None => Err(
                "OAuth 2.0 without a clientCredentials flow (implicit, password and \
                         authorizationCode need a user or a browser)"
                    .to_owned(),
            ),
        },
        SecurityScheme::OpenIDConnect { .. } => {
            Err("OpenID Connect discovery is not supported".to_owned())
        }
    }
}

#[cfg(test)]
mod tests;
