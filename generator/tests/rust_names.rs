//! Type names follow the Rust API guidelines (acronyms as words: `UserFactorSms`), and the
//! vendor's schema name stays findable: each renamed model's doc names the schema and carries
//! it as `#[doc(alias)]`.

#[path = "support/common.rs"]
mod common;

use std::path::Path;

use heck::ToUpperCamelCase;
use mfa_codegen::ProviderConfig;

/// Every type a generated file declares (structs, enums, aliases), with its `doc(alias)`.
fn declared_types(path: &Path) -> Vec<(String, Option<String>)> {
    let text = std::fs::read_to_string(path).expect("generated file");
    let file = syn::parse_file(&text).expect("generated file parses");
    let alias = |attrs: &[syn::Attribute]| {
        attrs.iter().find_map(|attr| {
            let mut found = None;
            if attr.path().is_ident("doc") {
                let _ = attr.parse_nested_meta(|meta| {
                    if meta.path.is_ident("alias") {
                        let lit: syn::LitStr = meta.value()?.parse()?;
                        found = Some(lit.value());
                    }
                    Ok(())
                });
            }
            found
        })
    };
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some((s.ident.to_string(), alias(&s.attrs))),
            syn::Item::Enum(e) => Some((e.ident.to_string(), alias(&e.attrs))),
            syn::Item::Type(t) => Some((t.ident.to_string(), alias(&t.attrs))),
            _ => None,
        })
        .collect()
}

#[test]
fn every_generated_type_name_is_its_own_upper_camel_case() {
    let root = common::workspace_root();
    let mut seen = 0;
    for provider in ["okta", "onelogin"] {
        let dir = root.join("generated/src").join(provider);
        for entry in std::fs::read_dir(&dir).expect("provider dir") {
            let path = entry.expect("entry").path();
            for (name, _) in declared_types(&path) {
                assert_eq!(
                    name.to_upper_camel_case(),
                    name,
                    "{}: `{name}` is not UpperCamelCase per the API guidelines",
                    path.display()
                );
                seen += 1;
            }
        }
    }
    assert!(seen > 100, "only {seen} types found");
}

#[test]
fn renamed_types_keep_the_vendor_name_as_doc_alias() {
    let models = common::workspace_root().join("generated/src/okta/models.rs");
    let types = declared_types(&models);
    let alias_of = |rust: &str| {
        types
            .iter()
            .find(|(name, _)| name == rust)
            .unwrap_or_else(|| panic!("{rust} is generated"))
            .1
            .clone()
    };
    assert_eq!(alias_of("UserFactorSms").as_deref(), Some("UserFactorSMS"));
    assert_eq!(
        alias_of("UserFactorTokenHotp").as_deref(),
        Some("UserFactorTokenHOTP")
    );
    // a name that needed no change gets no alias
    assert_eq!(alias_of("UserFactor"), None);
    let text = std::fs::read_to_string(&models).expect("models.rs");
    assert!(text.contains("/// Schema `UserFactorSMS` in the vendor's spec."));
}

/// The whole newest Okta spec (1,600+ models): every type name is a fixed point of heck.
#[test]
fn whole_upstream_okta_type_names_follow_the_guidelines() {
    let Some(spec) = common::upstream("okta/2026.06.3/management-minimal.yaml") else {
        return;
    };
    let config = ProviderConfig::everything(&spec);
    let api = mfa_codegen::build_provider(&config, &spec)
        .expect("upstream okta")
        .api;
    let odd: Vec<&str> = api
        .models
        .iter()
        .map(|m| m.rust_name.as_str())
        .filter(|name| name.to_upper_camel_case() != *name)
        .collect();
    assert!(odd.is_empty(), "{} names: {odd:?}", odd.len());
    assert!(api.models.len() > 1000);
}
