//! Rust type names that changed while the vendor's schema stayed (0.2.0 spelled acronyms as
//! words: `UserFactorSMS` became `UserFactorSms`). Each such model becomes one `renamed` change,
//! and every other line whose only difference is the new spelling of renamed types says so: a
//! reader sees one rename and its echoes instead of dozens of unexplained retypes. All stay
//! breaking: code that names the old type stops compiling.

use std::collections::BTreeMap;

use super::Change;
use crate::surface::{Item, SurfaceKey, SurfaceLine};

pub(super) fn explain(
    changes: &mut [Change],
    old: &BTreeMap<&SurfaceKey, &SurfaceLine>,
    new: &BTreeMap<&SurfaceKey, &SurfaceLine>,
) {
    let rust_name = |side: &BTreeMap<&SurfaceKey, &SurfaceLine>, key: &SurfaceKey| {
        side.get(key).and_then(|line| line.rust_name.clone())
    };
    // first the renames themselves: same schema, same kind of model, another Rust name
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    for change in changes.iter() {
        if !matches!(change.key.item, Item::Model(_)) {
            continue;
        }
        let (Some(from), Some(to)) = (rust_name(old, &change.key), rust_name(new, &change.key))
        else {
            continue;
        };
        let one = BTreeMap::from([(from.clone(), to.clone())]);
        let same_kind = change.old.as_deref().map(|o| substitute(o, &one)) == change.new;
        if from != to && same_kind {
            renames.insert(from, to);
        }
    }
    if renames.is_empty() {
        return;
    }
    for change in changes.iter_mut() {
        let (Some(before), Some(after)) = (&change.old, &change.new) else {
            continue;
        };
        if substitute(before, &renames) != *after {
            continue; // retyped for another reason too: the generic reason stands
        }
        let named: Vec<String> = identifiers(before)
            .filter_map(|word| renames.get_key_value(word))
            .map(|(from, to)| format!("{from} -> {to}"))
            .collect();
        if named.is_empty() {
            continue;
        }
        if matches!(change.key.item, Item::Model(_)) {
            let from = rust_name(old, &change.key).unwrap_or_default();
            let to = rust_name(new, &change.key).unwrap_or_default();
            change.reason = format!(
                "Rust type `{from}` is now `{to}`; the wire is unchanged, code naming the old type stops compiling"
            );
            change.renamed_from = Some(from);
        } else {
            change.reason = format!(
                "names a renamed type ({}); the wire is unchanged",
                named.join(", ")
            );
            change.follows_rename = true;
        }
    }
}

/// The identifier tokens of a surface value (`Option<Vec<UserFactorSMS>>` gives `Option`,
/// `Vec`, `UserFactorSMS`).
fn identifiers(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|word| !word.is_empty())
}

/// `text` with every identifier token that `renames` maps replaced; everything else as is.
fn substitute(text: &str, renames: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(renames.get(word.as_str()).unwrap_or(word));
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::super::{diff, summary, Class};
    use super::*;
    use crate::surface::SurfaceLine;

    fn lines(text: &str) -> Vec<SurfaceLine> {
        text.lines()
            .filter_map(|l| l.split_once(" => "))
            .map(|(k, v)| SurfaceLine::from_text(k, v))
            .collect()
    }

    #[test]
    fn substitution_is_by_whole_identifier() {
        let renames = BTreeMap::from([("UserFactorSMS".to_owned(), "UserFactorSms".to_owned())]);
        assert_eq!(
            substitute("Option<Vec<UserFactorSMS>> -> sms", &renames),
            "Option<Vec<UserFactorSms>> -> sms"
        );
        // a longer name that merely starts the same is another type
        assert_eq!(
            substitute("UserFactorSMSProfile", &renames),
            "UserFactorSMSProfile"
        );
    }

    #[test]
    fn a_renamed_rust_type_is_one_rename_and_its_uses_say_why() {
        let old = lines(
            "okta model UserFactorSMS => struct -> UserFactorSMS\n\
             okta model UserFactor maps sms => UserFactorSMS -> Sms\n\
             okta model Other field sms => optional Option<UserFactorSMS> -> sms\n\
             okta model Other field n => optional Option<i64> -> n\n",
        );
        let new = lines(
            "okta model UserFactorSMS => struct -> UserFactorSms\n\
             okta model UserFactor maps sms => UserFactorSms -> Sms\n\
             okta model Other field sms => optional Option<UserFactorSms> -> sms\n\
             okta model Other field n => optional Option<String> -> n\n",
        );
        let changes = diff(&old, &new);
        assert_eq!(changes.len(), 4, "{changes:#?}");
        assert!(changes.iter().all(|c| c.class == Class::Breaking));
        let model = changes
            .iter()
            .find(|c| c.key.to_string() == "okta model UserFactorSMS")
            .expect("the model's change");
        assert_eq!(model.action(), "renamed");
        assert_eq!(model.renamed_from.as_deref(), Some("UserFactorSMS"));
        let echoes = changes
            .iter()
            .filter(|c| {
                c.reason
                    .starts_with("names a renamed type (UserFactorSMS -> UserFactorSms)")
            })
            .count();
        assert_eq!(echoes, 2, "{changes:#?}");
        assert_eq!(changes.iter().filter(|c| c.follows_rename).count(), 2);
        // a real retype keeps its own reason
        let retyped = changes
            .iter()
            .find(|c| c.key.to_string() == "okta model Other field n")
            .expect("the retyped field");
        assert_eq!(retyped.reason, "retyped or renamed");
        assert!(
            summary(&changes).contains("1 types renamed"),
            "{}",
            summary(&changes)
        );
    }

    #[test]
    fn a_model_that_changed_kind_is_not_a_rename() {
        let old = lines("okta model A => struct -> A\n");
        let new = lines("okta model A => enum -> AEnum\n");
        let changes = diff(&old, &new);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].action(), "changed");
        assert_eq!(changes[0].reason, "retyped or renamed");
    }
}
