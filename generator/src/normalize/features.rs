//! Cargo features per tag (`[features] per_tag` in the provider config): each operation is
//! compiled under its tags' features, each model under the features of every operation that
//! reaches it, so a dependent that turns on one tag compiles that tag's operations and the
//! models they use, nothing else, and a model shared by two tags is still emitted once.
//!
//! Reachability is read from the finished IR (parameters, bodies and responses of an
//! operation; fields, union variants and members of a model), the same references the
//! generated code names, so a gate can never leave out a type that compiled code uses.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::config::TagFeatures;
use crate::error::{GenError, Warning, WarningKind};
use crate::ir::{Api, Gate, ModelKind, Operation, ResponseBody, TagFeature, TypeRef};

/// The crate's own features (see the Cargo.toml template): a tag feature never takes one of
/// these names. `<module>-all` is the per-provider switch for every tag.
const RESERVED: &[&str] = &[
    "default",
    "rustls",
    "rustls-ring",
    "native-tls",
    "okta-oauth",
    "aws-lc-rs",
    "ring",
    "exact-numbers",
    "mock",
];

/// The feature that turns on every tag feature of `module`.
pub fn all_feature(module: &str) -> String {
    format!("{module}-all")
}

/// Sets every gate of `api` (operations, models, typed error bodies) and lists its features.
/// `config_path` names the provider config in errors.
pub fn gate(api: &mut Api, config: &TagFeatures, config_path: &Path) -> Result<(), GenError> {
    if !config.per_tag {
        return Ok(());
    }
    let tags: BTreeSet<&str> = api
        .operations
        .iter()
        .flat_map(|op| op.tags.iter().map(String::as_str))
        .collect();
    let feature_of = feature_names(&api.module, &tags, config, config_path)?;
    for (group, members) in &config.groups {
        for tag in members.iter().filter(|t| !tags.contains(t.as_str())) {
            api.warnings.push(Warning {
                pointer: String::new(),
                message: format!(
                    "[features.groups] {group} names tag `{tag}`, which no selected operation has"
                ),
                kind: WarningKind::FeatureTagUnused,
            });
        }
    }

    for op in &mut api.operations {
        op.gate = Gate::new(op.tags.iter().filter_map(|t| feature_of.get(t)).cloned());
    }
    gate_models(api);
    if let Some(runtime) = &mut api.spec_runtime {
        let by_method: BTreeMap<&str, &Gate> = api
            .operations
            .iter()
            .map(|op| (op.method_name.as_str(), &op.gate))
            .collect();
        for errors in &mut runtime.errors {
            if let Some(gate) = by_method.get(errors.fn_name.as_str()) {
                errors.gate = (*gate).clone();
            }
        }
    }

    let mut features: BTreeMap<String, TagFeature> = BTreeMap::new();
    for (tag, name) in &feature_of {
        let entry = features.entry(name.clone()).or_insert_with(|| TagFeature {
            name: name.clone(),
            tags: Vec::new(),
            operations: 0,
        });
        entry.tags.push(tag.clone());
    }
    for op in &api.operations {
        for name in &op.gate.any_of {
            if let Some(feature) = features.get_mut(name) {
                feature.operations += 1;
            }
        }
    }
    api.tag_features = features.into_values().collect();
    Ok(())
}

/// Tag -> feature name: `<module>-<group>` for a grouped tag, else `<module>-<tag in kebab
/// case>`. Two tags (outside one group) that spell the same feature, or a feature that takes
/// one of the crate's own names, are an error naming them: a group in the config settles it.
fn feature_names(
    module: &str,
    tags: &BTreeSet<&str>,
    config: &TagFeatures,
    config_path: &Path,
) -> Result<BTreeMap<String, String>, GenError> {
    let error = |message: String| GenError::config(config_path, message);
    let mut grouped: BTreeMap<&str, &str> = BTreeMap::new();
    for (group, members) in &config.groups {
        for tag in members {
            if let Some(other) = grouped.insert(tag, group) {
                return Err(error(format!(
                    "[features.groups]: tag `{tag}` is in both `{other}` and `{group}`"
                )));
            }
        }
    }
    let mut out = BTreeMap::new();
    // feature -> the tag (or group) that claimed it, to name both sides of a clash
    let mut claimed: BTreeMap<String, String> = BTreeMap::new();
    let reserved: BTreeSet<String> = RESERVED
        .iter()
        .map(|r| (*r).to_owned())
        .chain([module.to_owned(), all_feature(module)])
        .collect();
    for tag in tags {
        let (source, word) = match grouped.get(tag) {
            Some(group) => (format!("group `{group}`"), *group),
            None => (format!("tag `{tag}`"), *tag),
        };
        let suffix = kebab(word);
        if suffix.is_empty() {
            return Err(error(format!(
                "{source} gives no feature name (no ASCII letter or digit): put it in a \
                 [features.groups] entry"
            )));
        }
        let name = format!("{module}-{suffix}");
        if reserved.contains(&name) {
            return Err(error(format!(
                "{source} would be feature `{name}`, which the crate already has: put it in a \
                 [features.groups] entry with another name"
            )));
        }
        match claimed.get(&name) {
            Some(first) if *first != source => {
                return Err(error(format!(
                    "{first} and {source} both give feature `{name}`: put them in one \
                     [features.groups] entry"
                )));
            }
            _ => {
                claimed.insert(name.clone(), source);
            }
        }
        out.insert((*tag).to_owned(), name);
    }
    Ok(out)
}

/// A Cargo feature word: heck's kebab case, only `[a-z0-9-]`, no doubled or edge `-`.
fn kebab(word: &str) -> String {
    let raw = heck::ToKebabCase::to_kebab_case(word);
    let kept: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                c
            } else {
                '-'
            }
        })
        .collect();
    kept.split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Each model's gate: the union of the gates of the operations that reach it. A model reached
/// by an operation without a tag (open gate), or by none at all, is compiled with the module,
/// and so is everything it reaches.
fn gate_models(api: &mut Api) {
    let index: BTreeMap<&str, usize> = api
        .models
        .iter()
        .enumerate()
        .map(|(i, m)| (m.rust_name.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = api
        .models
        .iter()
        .map(|m| {
            let mut names = Vec::new();
            match &m.kind {
                ModelKind::Struct(s) => {
                    s.fields.iter().for_each(|f| model_names(&f.ty, &mut names));
                    model_names(&s.extra_ty, &mut names);
                }
                ModelKind::Union(u) => {
                    names.extend(u.variants.iter().map(|v| v.rust_type.clone()));
                }
                ModelKind::Untagged(u) => {
                    u.variants
                        .iter()
                        .for_each(|v| model_names(&v.ty, &mut names));
                }
                ModelKind::Enum(_) => {}
            }
            names
                .iter()
                .filter_map(|n| index.get(n.as_str()).copied())
                .collect()
        })
        .collect();

    // `None`: compiled with the module; `Some(features)`: under any of them
    let mut reach: Vec<Option<BTreeSet<String>>> = vec![Some(BTreeSet::new()); api.models.len()];
    let mut reached = vec![false; api.models.len()];
    let spread = |roots: Vec<usize>,
                  gate: &Gate,
                  reach: &mut Vec<Option<BTreeSet<String>>>,
                  reached: &mut Vec<bool>| {
        let mut stack = roots;
        let mut seen = BTreeSet::new();
        while let Some(i) = stack.pop() {
            if !seen.insert(i) {
                continue;
            }
            reached[i] = true;
            match (&mut reach[i], gate.is_open()) {
                (slot @ Some(_), true) => *slot = None,
                (Some(features), false) => features.extend(gate.any_of.iter().cloned()),
                (None, _) => {}
            }
            stack.extend(edges[i].iter().copied());
        }
    };
    for op in &api.operations {
        let roots: Vec<usize> = operation_models(op)
            .iter()
            .filter_map(|n| index.get(n.as_str()).copied())
            .collect();
        spread(roots, &op.gate, &mut reach, &mut reached);
    }
    // not reached by any operation (none today: models are made as operations reach them)
    let orphans: Vec<usize> = (0..api.models.len()).filter(|i| !reached[*i]).collect();
    for i in orphans {
        spread(vec![i], &Gate::default(), &mut reach, &mut reached);
    }
    for (model, features) in api.models.iter_mut().zip(reach) {
        model.gate = features.map(Gate::new).unwrap_or_default();
    }
}

/// The models an operation's signature and answers name directly.
fn operation_models(op: &Operation) -> Vec<String> {
    let mut names = Vec::new();
    op.params
        .iter()
        .for_each(|p| model_names(&p.ty, &mut names));
    if let Some(body) = &op.body {
        model_names(&body.ty, &mut names);
    }
    for case in &op.responses {
        if let ResponseBody::Typed { ty, .. } = &case.body {
            model_names(ty, &mut names);
        }
    }
    names
}

fn model_names(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Model(name) => out.push(name.clone()),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::OneOrMany(inner) => {
            model_names(inner, out)
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_words_are_cargo_names() {
        assert_eq!(kebab("UserFactor"), "user-factor");
        assert_eq!(kebab("Org Setting"), "org-setting");
        assert_eq!(kebab("API_Token"), "api-token");
        assert_eq!(kebab("Ünïcode & more"), "n-code-more");
        assert_eq!(kebab("½"), "");
    }

    #[test]
    fn clashes_and_reserved_names_are_errors_naming_both_sides() {
        let path = Path::new("p.toml");
        let config = TagFeatures {
            per_tag: true,
            groups: BTreeMap::new(),
        };
        let clash: BTreeSet<&str> = ["User Factor", "UserFactor"].into();
        let message = feature_names("okta", &clash, &config, path)
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("`User Factor`") && message.contains("`UserFactor`"),
            "{message}"
        );
        let reserved: BTreeSet<&str> = ["All"].into();
        let message = feature_names("okta", &reserved, &config, path)
            .unwrap_err()
            .to_string();
        assert!(message.contains("okta-all"), "{message}");
        // a group settles both
        let grouped = TagFeatures {
            per_tag: true,
            groups: [(
                "users".to_owned(),
                vec!["User Factor".to_owned(), "UserFactor".to_owned()],
            )]
            .into(),
        };
        let names = feature_names("okta", &clash, &grouped, path).expect("grouped");
        assert!(names.values().all(|n| n == "okta-users"));
    }
}
