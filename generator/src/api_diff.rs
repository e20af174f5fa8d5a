//! The API change report: what changed between two surfaces, in the vendor's terms, and what
//! it means for code that uses the generated crate.
//!
//! The rules follow how the generator renders each item, classified by the typed surface key
//! ([`crate::surface::Item`]) and the IR's decisions carried on each line:
//! - operations, parameters, bodies, models, fields, enum values, union mappings removed:
//!   breaking (code naming them stops compiling);
//! - an operation added, an optional parameter or optional body added (builder setters), a
//!   model added, an optional field added (structs are `#[non_exhaustive]`), an enum value or a
//!   union mapping added (enums are `#[non_exhaustive]` with an `Unknown` variant): additive;
//! - a required parameter or required body added (a new positional argument), a field added
//!   that the struct's `new` takes as an argument (required and not nullable: the IR's
//!   `FieldInit::Argument`; a required nullable field is `None` in `new`, so additive),
//!   anything retyped or renamed: breaking;
//! - a 2xx response added, removed or retyped: breaking (the return type changes); other
//!   statuses are not part of the Rust API: documentation;
//! - text only (summaries, descriptions): documentation;
//! - an operation removed and another added with the same method and path: one change, a
//!   rename (`deleteFactor -> unenrollFactor`), still breaking (the method name changes).

mod type_renames;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::ir::Api;
use crate::surface::{Item, SurfaceKey, SurfaceLine};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    Breaking,
    Additive,
    Documentation,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Breaking => "breaking",
            Self::Additive => "additive",
            Self::Documentation => "documentation",
        }
    }
}

/// The version bump a change set calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    None,
    Patch,
    Minor,
    Major,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Patch => "patch",
            Self::Minor => "minor",
            Self::Major => "major",
        }
    }

    /// `version` bumped per the verdict, with Cargo's rule for 0.x: a breaking change bumps
    /// the minor number, anything else the patch number.
    pub fn bump(self, version: &str) -> Option<String> {
        let mut parts = version
            .split('.')
            .map(|p| p.parse::<u64>().ok())
            .collect::<Option<Vec<u64>>>()?;
        if parts.len() != 3 {
            return None;
        }
        let (major, minor, patch) = (parts[0], parts[1], parts[2]);
        parts = match (self, major) {
            (Self::None, _) => vec![major, minor, patch],
            (Self::Major, 0) => vec![0, minor + 1, 0],
            (Self::Major, _) => vec![major + 1, 0, 0],
            (Self::Minor, 0) | (Self::Patch, _) => vec![major, minor, patch + 1],
            (Self::Minor, _) => vec![major, minor + 1, 0],
        };
        Some(format!("{}.{}.{}", parts[0], parts[1], parts[2]))
    }
}

/// One classified change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub class: Class,
    /// The surface key (`okta op verifyFactor response 201`).
    pub key: SurfaceKey,
    pub old: Option<String>,
    pub new: Option<String>,
    /// Why it is classified so, in one phrase.
    pub reason: String,
    /// For an operation renamed (same method and path, a new operationId): the old
    /// operationId; `key` names the new one. For a model whose Rust type was renamed: the
    /// old Rust name.
    pub renamed_from: Option<String>,
    /// The only difference is the new spelling of renamed types this item names (a field of
    /// type `UserFactorSms`): an echo of a rename, listed in the full report and counted, not
    /// repeated, in the changelog.
    pub follows_rename: bool,
}

impl Change {
    /// `added`, `removed`, `renamed` or `changed`.
    pub fn action(&self) -> &'static str {
        if self.renamed_from.is_some() {
            return "renamed";
        }
        match (&self.old, &self.new) {
            (None, Some(_)) => "added",
            (Some(_), None) => "removed",
            _ => "changed",
        }
    }
}

/// Classifies one added (`old` is `None`), removed (`new` is `None`) or changed line.
fn classify(old: Option<&SurfaceLine>, new: Option<&SurfaceLine>) -> (Class, &'static str) {
    use Class::*;
    let Some(line) = new.or(old) else {
        return (Documentation, "no change");
    };
    match (&line.key.item, old, new) {
        (Item::Response { status, .. }, ..) if !status.starts_with('2') => {
            (Documentation, "error statuses are not part of the Rust API")
        }
        (Item::Returns(_), ..) => (Breaking, "the method's return type changes"),
        (Item::OpFeatures(_) | Item::ModelFeatures(_), ..) => features_change(old, new),
        (Item::Body(_), Some(o), Some(n)) if takes_into(&o.value, &n.value) => (
            Breaking,
            "now takes `impl Into<T>`: passing a `T` still compiles, a bare `.into()` must name its target",
        ),
        (Item::Response { .. }, ..) => (Breaking, "a 2xx body change changes the return type"),
        (_, Some(_), Some(_)) => (Breaking, "retyped or renamed"),
        (_, Some(_), None) => (Breaking, "code that names it stops compiling"),
        (Item::Param { .. } | Item::Body(_), None, Some(n)) if n.new_argument => {
            (Breaking, "a new positional argument")
        }
        (Item::Field { .. }, None, Some(n)) if n.new_argument => {
            (Breaking, "a new argument of the struct's `new`")
        }
        (Item::Param { .. } | Item::Body(_), None, Some(_)) => (Additive, "a new optional setter"),
        (Item::Field { .. }, None, Some(_)) => (Additive, "structs are #[non_exhaustive]"),
        (Item::EnumValue { .. } | Item::UnionMapping { .. }, None, Some(_)) => (
            Additive,
            "enums are #[non_exhaustive] with an Unknown variant",
        ),
        (_, None, _) => (Additive, "new item"),
    }
}

/// `required T` -> `required impl Into<T>`: the argument accepts more, and only type inference
/// through it breaks.
fn takes_into(old: &str, new: &str) -> bool {
    match (old.split_once(' '), new.split_once(' ')) {
        (Some((old_req, old_ty)), Some((new_req, new_ty))) => {
            old_req == new_req && new_ty == format!("impl Into<{old_ty}>")
        }
        _ => false,
    }
}

/// A change of the Cargo features that compile an item (no line: compiled with its module).
/// Breaking when some build that compiled the item no longer does: a feature dropped from
/// its set, or a gate where there was none.
fn features_change(old: Option<&SurfaceLine>, new: Option<&SurfaceLine>) -> (Class, &'static str) {
    let set = |line: &SurfaceLine| -> Vec<String> {
        line.value.split(" | ").map(str::to_owned).collect()
    };
    match (old, new) {
        (None, _) => (
            Class::Breaking,
            "now behind a feature: a build without it stops compiling",
        ),
        (Some(_), None) => (Class::Additive, "compiled with its module now"),
        (Some(o), Some(n)) => {
            let kept = set(o).iter().all(|f| set(n).contains(f));
            if kept {
                (Class::Additive, "more features compile it")
            } else {
                (
                    Class::Breaking,
                    "moved to another feature: a build with only the old one stops compiling",
                )
            }
        }
    }
}

/// The changes from `old` to `new`, sorted by class then key.
pub fn diff(old: &[SurfaceLine], new: &[SurfaceLine]) -> Vec<Change> {
    let old: BTreeMap<&SurfaceKey, &SurfaceLine> = old.iter().map(|l| (&l.key, l)).collect();
    let new: BTreeMap<&SurfaceKey, &SurfaceLine> = new.iter().map(|l| (&l.key, l)).collect();
    let mut keys: Vec<&SurfaceKey> = old.keys().chain(new.keys()).copied().collect();
    keys.sort_unstable();
    keys.dedup();
    let mut changes = Vec::new();
    for key in keys {
        let (o, n) = (old.get(key).copied(), new.get(key).copied());
        if o.map(|l| &l.value) == n.map(|l| &l.value) {
            continue;
        }
        // A removed operation or model also removes its parameters, fields, values: report
        // the parent only.
        let parent_gone = key
            .parent()
            .is_some_and(|parent| old.contains_key(&parent) != new.contains_key(&parent));
        if parent_gone {
            continue;
        }
        let (class, reason) = classify(o, n);
        changes.push(Change {
            class,
            key: key.clone(),
            old: o.map(|l| l.value.clone()),
            new: n.map(|l| l.value.clone()),
            reason: reason.to_owned(),
            renamed_from: None,
            follows_rename: false,
        });
    }
    let mut changes = pair_renames(changes, &old, &new);
    type_renames::explain(&mut changes, &old, &new);
    changes.sort();
    changes
}

/// An operation removed and one added with the same method and path (and no other operation
/// removed or added there) become one breaking `renamed` change keyed by the new operation.
fn pair_renames(
    changes: Vec<Change>,
    old: &BTreeMap<&SurfaceKey, &SurfaceLine>,
    new: &BTreeMap<&SurfaceKey, &SurfaceLine>,
) -> Vec<Change> {
    let route_of = |change: &Change| -> Option<(String, bool)> {
        if !matches!(change.key.item, Item::Operation(_)) {
            return None;
        }
        let (line, added) = match (change.action(), old.get(&change.key), new.get(&change.key)) {
            ("removed", Some(line), _) => (line, false),
            ("added", _, Some(line)) => (line, true),
            _ => return None,
        };
        let route = line.route.clone()?;
        Some((format!("{} {route}", change.key.module), added))
    };
    // route -> (removed indexes, added indexes)
    let mut routes: BTreeMap<String, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for (i, change) in changes.iter().enumerate() {
        if let Some((route, added)) = route_of(change) {
            let entry = routes.entry(route).or_default();
            if added { &mut entry.1 } else { &mut entry.0 }.push(i);
        }
    }
    let mut renamed: BTreeMap<usize, usize> = BTreeMap::new(); // added index -> removed index
    for (removed, added) in routes.values() {
        if let ([r], [a]) = (removed.as_slice(), added.as_slice()) {
            renamed.insert(*a, *r);
        }
    }
    let dropped: Vec<usize> = renamed.values().copied().collect();
    changes
        .iter()
        .enumerate()
        .filter(|(i, _)| !dropped.contains(i))
        .map(|(i, change)| match renamed.get(&i) {
            Some(&r) => {
                let before = &changes[r];
                let old_id = match &before.key.item {
                    Item::Operation(id) => id.clone(),
                    _ => before.key.to_string(),
                };
                Change {
                    class: Class::Breaking,
                    key: change.key.clone(),
                    old: before.old.clone(),
                    new: change.new.clone(),
                    reason: format!(
                        "renamed from {old_id} (same method and path): code naming the old method stops compiling"
                    ),
                    renamed_from: Some(old_id),
                    follows_rename: false,
                }
            }
            None => change.clone(),
        })
        .collect()
}

/// Text-only changes (summaries and descriptions of operations, parameters, models and
/// fields) between two normalized APIs of the same provider.
pub fn documentation_changes(old: &Api, new: &Api) -> Vec<Change> {
    fn texts(api: &Api) -> BTreeMap<SurfaceKey, String> {
        let mut out = BTreeMap::new();
        let key = |item| SurfaceKey::new(&api.module, item);
        for op in &api.operations {
            let text = format!(
                "{}\n{}",
                op.summary.as_deref().unwrap_or_default(),
                op.description.as_deref().unwrap_or_default()
            );
            out.insert(key(Item::Operation(op.operation_id.clone())), text);
            for p in &op.params {
                let item = Item::Param {
                    op: op.operation_id.clone(),
                    location: p.location,
                    name: p.wire_name.clone(),
                };
                out.insert(key(item), p.description.clone().unwrap_or_default());
            }
        }
        for model in &api.models {
            out.insert(
                key(Item::Model(model.spec_name.clone())),
                model.description.clone().unwrap_or_default(),
            );
            if let crate::ir::ModelKind::Struct(s) = &model.kind {
                for f in &s.fields {
                    let item = Item::Field {
                        model: model.spec_name.clone(),
                        name: f.wire_name.clone(),
                    };
                    out.insert(key(item), f.description.clone().unwrap_or_default());
                }
            }
        }
        out
    }
    let (old, new) = (texts(old), texts(new));
    let mut changes: Vec<Change> = old
        .iter()
        .filter_map(|(key, text)| {
            let other = new.get(key)?;
            (other != text).then(|| Change {
                class: Class::Documentation,
                key: key.clone(),
                old: None,
                new: None,
                reason: "description changed".to_owned(),
                renamed_from: None,
                follows_rename: false,
            })
        })
        .collect();
    changes.sort();
    changes
}

/// The bump the changes call for.
pub fn verdict(changes: &[Change]) -> Verdict {
    changes
        .iter()
        .map(|c| match c.class {
            Class::Breaking => Verdict::Major,
            Class::Additive => Verdict::Minor,
            Class::Documentation => Verdict::Patch,
        })
        .max()
        .unwrap_or(Verdict::None)
}

/// A one-line summary: `+4 operations, 2 breaking, 3 additive, 1 documentation`.
pub fn summary(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "no changes".to_owned();
    }
    let count = |class| changes.iter().filter(|c| c.class == class).count();
    let ops = |action: &str| {
        changes
            .iter()
            .filter(|c| matches!(c.key.item, Item::Operation(_)))
            .filter(|c| c.action() == action)
            .count()
    };
    let mut parts = Vec::new();
    if ops("added") > 0 {
        parts.push(format!("+{} operations", ops("added")));
    }
    if ops("removed") > 0 {
        parts.push(format!("-{} operations", ops("removed")));
    }
    if ops("renamed") > 0 {
        parts.push(format!("{} operations renamed", ops("renamed")));
    }
    let types_renamed = changes
        .iter()
        .filter(|c| matches!(c.key.item, Item::Model(_)) && c.action() == "renamed")
        .count();
    if types_renamed > 0 {
        parts.push(format!("{types_renamed} types renamed"));
    }
    for class in [Class::Breaking, Class::Additive, Class::Documentation] {
        if count(class) > 0 {
            parts.push(format!("{} {}", count(class), class.as_str()));
        }
    }
    parts.join(", ")
}

/// Output formats of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

fn describe(change: &Change) -> String {
    if let (Some(from), Some(old), Some(new)) = (&change.renamed_from, &change.old, &change.new) {
        return format!("{} renamed from {from}: {old} => {new}", change.key);
    }
    match (&change.old, &change.new) {
        (None, Some(new)) => format!("{} added: {new}", change.key),
        (Some(old), None) => format!("{} removed (was: {old})", change.key),
        (Some(old), Some(new)) => format!("{} changed: {old} => {new}", change.key),
        (None, None) => format!("{}: {}", change.key, change.reason),
    }
}

/// The report: changes grouped by class, then the verdict.
/// The changes of one class as a reader wants them: renames first, then the changes of their
/// own, then the lines that only name a renamed type (the echoes of a rename); by key within
/// each.
fn reading_order(changes: &[Change], class: Class) -> Vec<&Change> {
    let mut group: Vec<&Change> = changes.iter().filter(|c| c.class == class).collect();
    group.sort_by_key(|c| match (c.action(), c.follows_rename) {
        ("renamed", _) => 0,
        (_, false) => 1,
        (_, true) => 2,
    });
    group
}

pub fn report(title: &str, changes: &[Change], format: Format) -> String {
    let verdict = verdict(changes);
    let groups = [Class::Breaking, Class::Additive, Class::Documentation];
    let mut out = String::new();
    match format {
        Format::Json => {
            let items: Vec<serde_json::Value> = changes
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "class": c.class.as_str(),
                        "action": c.action(),
                        "key": c.key.to_string(),
                        "old": c.old,
                        "new": c.new,
                        "renamed_from": c.renamed_from,
                        "reason": c.reason,
                    })
                })
                .collect();
            let doc = serde_json::json!({
                "title": title,
                "verdict": verdict.as_str(),
                "summary": summary(changes),
                "changes": items,
            });
            out = serde_json::to_string_pretty(&doc).unwrap_or_default();
            out.push('\n');
        }
        Format::Markdown => {
            let _ = writeln!(out, "## API changes: {title}\n");
            let _ = writeln!(
                out,
                "**Semver verdict: {}** ({})\n",
                verdict.as_str(),
                summary(changes)
            );
            for class in groups {
                let group = reading_order(changes, class);
                if group.is_empty() {
                    continue;
                }
                let _ = writeln!(out, "### {} ({})\n", class.as_str(), group.len());
                for c in group {
                    let _ = writeln!(out, "- `{}` {} — {}", c.key, c.action(), c.reason);
                    if let Some(old) = &c.old {
                        let _ = writeln!(out, "  - before: `{old}`");
                    }
                    if let Some(new) = &c.new {
                        let _ = writeln!(out, "  - after: `{new}`");
                    }
                }
                out.push('\n');
            }
        }
        Format::Text => {
            let _ = writeln!(out, "API changes: {title}");
            for class in groups {
                let group = reading_order(changes, class);
                if group.is_empty() {
                    continue;
                }
                let _ = writeln!(out, "\n{} ({}):", class.as_str(), group.len());
                for c in group {
                    let _ = writeln!(out, "  {}  [{}]", describe(c), c.reason);
                }
            }
            let _ = writeln!(
                out,
                "\nsemver verdict: {} ({})",
                verdict.as_str(),
                summary(changes)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(key: &str, value: &str) -> SurfaceLine {
        SurfaceLine::from_text(key, value)
    }

    fn classes(old: &[SurfaceLine], new: &[SurfaceLine]) -> Vec<(Class, String)> {
        diff(old, new)
            .into_iter()
            .map(|c| (c.class, c.key.to_string()))
            .collect()
    }

    #[test]
    fn parameters_follow_the_signature() {
        let op = line("p op get", "GET /x -> Client::get");
        let base = vec![op.clone()];
        let required = vec![
            op.clone(),
            line("p op get param path id", "required String -> id"),
        ];
        let optional = vec![
            op.clone(),
            line("p op get param query q", "optional String -> q"),
        ];
        assert_eq!(classes(&base, &required)[0].0, Class::Breaking);
        assert_eq!(classes(&base, &optional)[0].0, Class::Additive);
        assert_eq!(classes(&optional, &base)[0].0, Class::Breaking);
        let made_required = vec![op, line("p op get param query q", "required String -> q")];
        assert_eq!(classes(&optional, &made_required)[0].0, Class::Breaking);
    }

    #[test]
    fn removed_operation_is_reported_once() {
        let old = vec![
            line("p op get", "GET /x -> Client::get"),
            line("p op get param path id", "required String -> id"),
            line("p op get returns", "Thing"),
        ];
        let changes = diff(&old, &[]);
        assert_eq!(changes.len(), 1);
        assert_eq!(
            (changes[0].class, changes[0].action()),
            (Class::Breaking, "removed")
        );
        assert_eq!(verdict(&changes), Verdict::Major);
    }

    #[test]
    fn responses_fields_values_and_mappings() {
        let model = line("p model E", "enum -> E");
        let old = vec![
            model.clone(),
            line("p model E value A", "-> A"),
            line("p op v response 200", "R"),
        ];
        let new = vec![
            model,
            line("p model E value B", "-> B"),
            line("p op v response 200", "R"),
            line("p op v response 201", "W"),
            line("p op v response 404", "Error"),
        ];
        let got = classes(&old, &new);
        assert!(got.contains(&(Class::Breaking, "p model E value A".into())));
        assert!(got.contains(&(Class::Additive, "p model E value B".into())));
        assert!(got.contains(&(Class::Breaking, "p op v response 201".into())));
        assert!(got.contains(&(Class::Documentation, "p op v response 404".into())));

        let s = line("p model S", "struct -> S");
        let with_optional = vec![
            s.clone(),
            line("p model S field a", "optional Option<String> -> a"),
        ];
        let with_required = vec![s.clone(), line("p model S field a", "required String -> a")];
        assert_eq!(
            classes(std::slice::from_ref(&s), &with_optional)[0].0,
            Class::Additive
        );
        assert_eq!(
            classes(std::slice::from_ref(&s), &with_required)[0].0,
            Class::Breaking
        );
        // required but nullable: `Option<T>`, set to `None` by `new`, so not a new argument
        let with_nullable = vec![
            s.clone(),
            line("p model S field a", "required Option<String> -> a"),
        ];
        assert_eq!(classes(&[s], &with_nullable)[0].0, Class::Additive);
    }

    #[test]
    fn verdicts_and_bumps() {
        assert_eq!(verdict(&[]), Verdict::None);
        assert_eq!(Verdict::Major.bump("0.1.3").as_deref(), Some("0.2.0"));
        assert_eq!(Verdict::Minor.bump("0.1.3").as_deref(), Some("0.1.4"));
        assert_eq!(Verdict::Major.bump("1.2.3").as_deref(), Some("2.0.0"));
        assert_eq!(Verdict::Minor.bump("1.2.3").as_deref(), Some("1.3.0"));
        assert_eq!(Verdict::Patch.bump("1.2.3").as_deref(), Some("1.2.4"));
        assert_eq!(Verdict::Patch.bump("x"), None);
    }
}
