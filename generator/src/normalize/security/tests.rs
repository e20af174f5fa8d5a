use std::path::Path;

use super::*;
use crate::ir::{SecurityRequirement, Server, ServerVariable, WarningEffect};
use crate::load::parse_spec;

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
servers:
  - url: https://{region}.example.com/{version}/
    variables:
      region: {default: eu, enum: [eu, us], description: Where}
      version: {default: v2}
paths: {}
components:
  securitySchemes:
    key-in-header: {type: apiKey, in: header, name: X-Api-Key}
    keyInQuery: {type: apiKey, in: query, name: api_key}
    session: {type: apiKey, in: cookie, name: sid}
    basic: {type: http, scheme: Basic}
    jwt: {type: http, scheme: bearer, bearerFormat: JWT}
    digest: {type: http, scheme: digest}
    machine:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: /oauth/token
          scopes: {read: r, write: w, admin: a}
    user:
      type: oauth2
      flows:
        authorizationCode: {authorizationUrl: /a, tokenUrl: /t, scopes: {}}
    oidc: {type: openIdConnect, openIdConnectUrl: https://example.com/.well-known}
    alias: {$ref: '#/components/securitySchemes/basic'}
"#;

fn requiring(scheme: &str, scopes: &[&str]) -> SecurityRequirement {
    SecurityRequirement {
        scheme: scheme.into(),
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        usage: None,
    }
}

#[test]
fn each_supported_scheme_becomes_one_auth_option() {
    let spec = parse_spec(Path::new("t.yaml"), SPEC).expect("spec");
    let required = [
        requiring("machine", &["write", "read"]),
        requiring("machine", &["read"]),
        requiring("basic", &["ignored"]),
    ];
    let required: Vec<&SecurityRequirement> = required.iter().collect();
    let mut warnings = Vec::new();
    let options = auth_options(&spec, &required, &mut warnings).expect("options");
    let got: Vec<(&str, &str, &AuthKind)> = options
        .iter()
        .map(|o| (o.scheme.as_str(), o.fn_name.as_str(), &o.kind))
        .collect();
    let key = |location, name: &str| AuthKind::ApiKey {
        location,
        name: name.into(),
    };
    assert_eq!(
        got,
        [
            (
                "key-in-header",
                "key_in_header",
                &key(ApiKeyIn::Header, "X-Api-Key")
            ),
            (
                "keyInQuery",
                "key_in_query",
                &key(ApiKeyIn::Query, "api_key")
            ),
            ("session", "session", &key(ApiKeyIn::Cookie, "sid")),
            ("basic", "basic", &AuthKind::Basic),
            ("jwt", "jwt", &AuthKind::Bearer),
            (
                "machine",
                "machine",
                &AuthKind::ClientCredentials {
                    token_url: "/oauth/token".into(),
                    // the scopes the operations require, not every scope the flow defines
                    scopes: vec!["read".into(), "write".into()],
                }
            ),
            ("alias", "alias", &AuthKind::Basic),
        ]
    );
    let mut skipped: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
    skipped.sort();
    assert_eq!(
        skipped,
        [
            "/components/securitySchemes/digest",
            "/components/securitySchemes/oidc",
            "/components/securitySchemes/user",
        ]
    );
    assert!(warnings
        .iter()
        .all(|w| w.kind == WarningKind::UnsupportedSecurityScheme
            && w.kind.effect() == WarningEffect::Skipped));
}

#[test]
fn the_first_server_is_the_default_and_its_variables_are_arguments() {
    let spec = parse_spec(Path::new("t.yaml"), SPEC).expect("spec");
    let mut warnings = Vec::new();
    let server = super::super::servers::default_server(&spec, &mut warnings);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        server,
        Some(Server {
            url: "https://{region}.example.com/{version}".into(),
            default_url: "https://eu.example.com/v2".into(),
            description: None,
            variables: vec![
                ServerVariable {
                    name: "region".into(),
                    arg_name: "region".into(),
                    default: "eu".into(),
                    values: vec!["eu".into(), "us".into()],
                    description: Some("Where".into()),
                },
                ServerVariable {
                    name: "version".into(),
                    arg_name: "version".into(),
                    default: "v2".into(),
                    values: vec![],
                    description: None,
                },
            ],
        })
    );
}

#[test]
fn relative_or_undefined_servers_are_warnings_and_no_default() {
    for (servers, said) in [
        ("servers: [{url: /api/v1}]", "is not absolute"),
        (
            "servers: [{url: 'https://{tenant}.example.com'}]",
            "does not define",
        ),
    ] {
        let text =
            format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{servers}\npaths: {{}}\n");
        let spec = parse_spec(Path::new("t.yaml"), &text).expect("spec");
        let mut warnings = Vec::new();
        assert_eq!(
            super::super::servers::default_server(&spec, &mut warnings),
            None
        );
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].pointer, "/servers/0");
        assert_eq!(warnings[0].kind, WarningKind::ServerNotDefault);
        assert!(
            warnings[0].message.contains(said),
            "{}",
            warnings[0].message
        );
    }
}
