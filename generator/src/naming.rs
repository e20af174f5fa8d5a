//! Rust names for spec names: snake_case for functions and fields, UpperCamel for types and
//! variants, raw identifiers for keywords, and deterministic suffixes on collisions.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Strict and reserved keywords of Rust 2021 (raw identifiers make them usable).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NON_RAW_KEYWORDS: &[&str] = &["crate", "self", "super", "Self", "_"];

/// Splits on anything that is not alphanumeric, so `X-Forwarded-For`, `token:software:totp`
/// and `WAITING (with number matching challenge)` all become clean words before heck runs.
fn words(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.trim().to_owned()
}

/// `generateMFAtoken` would become `generate_mf_atoken` here; such ids are fixed up in the
/// provider config, not by guessing.
pub fn snake(name: &str) -> String {
    identifier(words(name).to_snake_case(), "value", "n")
}

pub fn upper_camel(name: &str) -> String {
    identifier(words(name).to_upper_camel_case(), "Value", "Value")
}

/// A usable identifier from a cased name: `empty` when nothing is left, `digit_prefix` before
/// a leading digit, keywords escaped.
fn identifier(cased: String, empty: &str, digit_prefix: &str) -> String {
    let name = if cased.is_empty() {
        empty.to_owned()
    } else if cased.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{digit_prefix}{cased}")
    } else {
        cased
    };
    escape_keyword(name)
}

/// A type name per the Rust API guidelines: acronyms are words (`UserFactorSMS` becomes
/// `UserFactorSms`, `getMFAFactors_200_response` becomes `GetMfaFactors200Response`), so every
/// type name is heck's UpperCamelCase of itself. The vendor's spelling stays findable: each
/// model's doc names its schema and carries it as a `#[doc(alias)]`.
pub fn type_name(name: &str) -> String {
    identifier(words(name).to_upper_camel_case(), "Type", "Type")
}

fn escape_keyword(name: String) -> String {
    if NON_RAW_KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// Whether `name` is usable as written where Rust expects an identifier: ASCII letters,
/// digits and `_` (not first a digit, not `_` alone), a keyword only as `r#keyword`, and none
/// of the names a raw identifier cannot take.
pub fn is_rust_ident(name: &str) -> bool {
    let (raw, bare) = match name.strip_prefix("r#") {
        Some(rest) => (true, rest),
        None => (false, name),
    };
    let well_formed = bare.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && bare.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && bare != "_";
    let keyword = KEYWORDS.contains(&bare);
    well_formed && !NON_RAW_KEYWORDS.contains(&bare) && keyword == raw
}

/// `name` if it is a Rust identifier, else one made of it: every run of characters that
/// cannot be in one becomes `_`, a leading digit gets `n`, keywords are escaped. Config names
/// (`naming.types`) reach the IR through here too, so no text becomes an identifier unchecked.
pub fn rust_ident(name: String) -> String {
    if is_rust_ident(&name) {
        return name;
    }
    let bare = name.strip_prefix("r#").unwrap_or(&name);
    let mut out = String::with_capacity(bare.len());
    for c in bare.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_');
    identifier(out.to_owned(), "value", "n")
}

pub fn is_snake_ident(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Where a generated name lives, for [`reserved`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReservedIn {
    /// An operation's request builder: its fields and methods (parameter names become both).
    Builder,
    /// A model struct: its fields and methods (property names become both).
    Model,
    /// A provider's `Client`: its methods (operation names become methods).
    Client,
}

/// The one table of names the templates give their own fields and methods, by where they
/// live. A spec name that would become one of these is renamed (`send_2`), so no parameter,
/// property or operation shadows what the template calls: `generator/tests/shapes.rs` derives
/// the emitted names from the generated code and checks that this table covers them.
pub const RESERVED: &[(ReservedIn, &[&str])] = &[
    (
        ReservedIn::Builder,
        &[
            // fields
            "client",
            "body",
            "extras",
            // methods
            "new",
            "header",
            "query",
            "options",
            "send",
            "send_with_response",
            "into_request",
            "pages",
            "items",
        ],
    ),
    (
        ReservedIn::Model,
        &[
            // field
            "additional_properties",
            // methods; `serialize` is called by method syntax on members of unions, so an
            // inherent setter of that name would shadow the trait method
            "new",
            "serialize",
            "deserialize",
        ],
    ),
    (
        ReservedIn::Client,
        &[
            // field
            "core",
            // methods (`clone` and `from` are called by method syntax in generated code)
            "new",
            "builder",
            "base_url",
            "clone",
            "from",
            // with `[runtime] env`: constructors from the vendor's environment variables
            "from_env",
            "builder_from_env",
        ],
    ),
];

/// The reserved names of one place, from [`RESERVED`].
pub fn reserved(place: ReservedIn) -> &'static [&'static str] {
    RESERVED
        .iter()
        .find(|(p, _)| *p == place)
        .map_or(&[], |(_, names)| names)
}

/// Hands out names unique within one scope, in call order: the second `links` becomes
/// `links_2`. Deterministic because callers iterate in spec order.
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Every IR identifier is claimed from a scope: this is where a name is checked to be one
    /// (see [`rust_ident`]).
    pub fn claim(&mut self, wanted: String) -> String {
        let wanted = rust_ident(wanted);
        if self.taken.insert(wanted.clone()) {
            return wanted;
        }
        // `r#type` taken: `type_2` needs no raw prefix
        let base = wanted.strip_prefix("r#").unwrap_or(&wanted).to_owned();
        let sep = if base.contains('_') || base.chars().all(|c| !c.is_ascii_uppercase()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{base}{sep}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_names() {
        assert_eq!(snake("X-Forwarded-For"), "x_forwarded_for");
        assert_eq!(snake("User-Agent"), "user_agent");
        assert_eq!(snake("Accept-Language"), "accept_language");
        assert_eq!(snake("userId"), "user_id");
        assert_eq!(snake("_links"), "links");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("getMFAFactors"), "get_mfa_factors");
        assert_eq!(snake("2fa"), "n2fa");
        // the reason the provider config carries a rename table:
        assert_eq!(snake("generateMFAtoken"), "generate_mf_atoken");
    }

    #[test]
    fn variant_names_for_odd_enum_values() {
        assert_eq!(upper_camel("token:software:totp"), "TokenSoftwareTotp");
        assert_eq!(upper_camel("1FA"), "Value1fa");
        assert_eq!(
            upper_camel("WAITING (with number matching challenge)"),
            "WaitingWithNumberMatchingChallenge"
        );
        assert_eq!(upper_camel("PASSCODE_REPLAYED"), "PasscodeReplayed");
        assert_eq!(upper_camel(""), "Value");
        assert_eq!(upper_camel("Self"), "Self_");
    }

    #[test]
    fn type_names_follow_rust_casing() {
        let cases = [
            ("UserFactorSMS", "UserFactorSms"),
            ("UserFactorTokenHOTP", "UserFactorTokenHotp"),
            ("UserFactorU2F", "UserFactorU2f"),
            ("getMFAFactors_200_response", "GetMfaFactors200Response"),
            (
                "getEnrolledFactors_200_response",
                "GetEnrolledFactors200Response",
            ),
            ("useNumberMatchingChallenge", "UseNumberMatchingChallenge"),
            ("otp_device", "OtpDevice"),
            ("WebAuthn", "WebAuthn"),
            ("2fa", "Type2fa"),
            ("", "Type"),
        ];
        for (spec, rust) in cases {
            assert_eq!(type_name(spec), rust, "{spec}");
            // a fixed point: heck leaves a generated type name as it is
            assert_eq!(rust.to_upper_camel_case(), rust, "{spec}");
        }
    }

    /// Names from spec text, config text and file names, each with an escape attempt.
    const HOSTILE: &[&str] = &[
        "a\nINJECTED_MARKER",
        "a\rb",
        "a\r\nb",
        "a\u{2028}b",
        "a\u{202e}b\u{2066}",
        "*/ fn x",
        "\"; fn x() {} \"",
        "\"#",
        "\\",
        "#[x]",
        "} fn INJECTED_MARKER() {",
        "\"\n[package]\nbuild = ",
        "```",
        "",
        "_",
        "__",
        "r#",
        "r#self",
        "r#type",
        "type",
        "Self",
        "crate",
        "9lives",
        "é",
        "日本",
        "a-b.c/d",
    ];

    #[test]
    fn every_name_function_gives_a_rust_identifier() {
        for text in HOSTILE {
            let made = [
                snake(text),
                upper_camel(text),
                type_name(text),
                rust_ident((*text).to_owned()),
                Scope::default().claim((*text).to_owned()),
            ];
            for name in made {
                assert!(is_rust_ident(&name), "{text:?} -> {name:?}");
                assert!(
                    syn::parse_str::<syn::Ident>(&name).is_ok(),
                    "{text:?} -> {name:?} does not parse as an identifier"
                );
            }
        }
        assert_eq!(rust_ident("Foo\nBar".into()), "Foo_Bar");
        assert_eq!(rust_ident("r#type".into()), "r#type");
        assert_eq!(rust_ident("type".into()), "r#type");
        assert_eq!(rust_ident("UserFactor".into()), "UserFactor");
    }

    #[test]
    fn scope_resolves_collisions_in_order() {
        let mut scope = Scope::with_reserved(&["Unknown"]);
        assert_eq!(scope.claim("Links".into()), "Links");
        assert_eq!(scope.claim("Links".into()), "Links2");
        assert_eq!(scope.claim("Unknown".into()), "Unknown2");
        let mut fields = Scope::default();
        assert_eq!(fields.claim("links".into()), "links");
        assert_eq!(fields.claim("links".into()), "links_2");
    }
}
