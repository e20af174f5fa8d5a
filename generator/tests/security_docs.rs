//! What each operation's docs say about authentication: the spec's `security` blocks, with the
//! provider config's words for each scheme, and the schemes an operation does not accept.

#[path = "support/common.rs"]
mod common;

use mfa_codegen::ir::{HttpMethod, Operation};

fn schemes(op: &Operation) -> Vec<(&str, Vec<&str>)> {
    op.security
        .iter()
        .map(|s| {
            (
                s.scheme.as_str(),
                s.scopes.iter().map(String::as_str).collect(),
            )
        })
        .collect()
}

#[test]
fn okta_reads_need_users_read_and_writes_users_manage() {
    let okta = common::project_api("okta");
    for op in &okta.operations {
        if op.operation_id == "listSupportedSecurityQuestions" {
            continue;
        }
        let scope = if op.http_method == HttpMethod::Get {
            "okta.users.read"
        } else {
            "okta.users.manage"
        };
        assert_eq!(
            schemes(op),
            [("apiToken", vec![]), ("oauth2", vec![scope])],
            "{}",
            op.operation_id
        );
        assert!(op.refused_security.is_empty(), "{}", op.operation_id);
    }
}

#[test]
fn security_questions_take_an_api_token_only() {
    let okta = common::project_api("okta");
    let op = okta
        .operations
        .iter()
        .find(|o| o.operation_id == "listSupportedSecurityQuestions")
        .expect("operation");
    assert_eq!(schemes(op), [("apiToken", vec![])]);
    let refused: Vec<&str> = op
        .refused_security
        .iter()
        .map(|s| s.scheme.as_str())
        .collect();
    assert_eq!(refused, ["oauth2"]);
}

#[test]
fn schemes_no_operation_uses_are_not_called_refused() {
    // OneLogin declares `basicAuth` for its token endpoint, which no selected operation lists.
    let onelogin = common::project_api("onelogin");
    for op in &onelogin.operations {
        assert_eq!(schemes(op)[0].0, "OAuth2", "{}", op.operation_id);
        assert!(op.refused_security.is_empty(), "{}", op.operation_id);
    }
}

#[test]
fn rendered_docs_name_the_auth_constructor_and_scope() {
    let okta = common::project_api("okta");
    let files = common::standalone_files(&okta);
    let module = files
        .iter()
        .find(|f| f.path == "src/okta/mod.rs")
        .expect("okta/mod.rs");
    for (method, expected) in [
        ("list_factors", "/// Authentication: an API token (`Auth::ssws`), or an OAuth 2.0 access token (`Auth::okta_private_key`, `Auth::bearer`) with scope `okta.users.read`."),
        ("enroll_factor", "/// Authentication: an API token (`Auth::ssws`), or an OAuth 2.0 access token (`Auth::okta_private_key`, `Auth::bearer`) with scope `okta.users.manage`."),
        ("list_supported_security_questions", "/// Authentication: an API token (`Auth::ssws`) only; an OAuth 2.0 access token (`Auth::okta_private_key`, `Auth::bearer`) is not accepted by this operation."),
    ] {
        // the doc block of `method`: from the end of the previous item to its signature
        let end = module
            .text
            .find(&format!("pub fn {method}("))
            .unwrap_or_else(|| panic!("no {method}"));
        let start = module.text[..end].rfind("\n    }\n").unwrap_or(0);
        let docs = &module.text[start..end];
        assert!(docs.contains(expected), "{method}: missing {expected}");
    }
}
