//! Per-tag features as `#[cfg]` attributes: the one place a [`Gate`] becomes code. Feature
//! names are Cargo names checked by normalize; they still reach the code as string literals.

use std::collections::BTreeMap;

use askama::Template;

use super::escape::{self, DocText, RustCode, RustStr};
use super::{render_err, RenderedFile};
use crate::error::GenError;
use crate::ir::Gate;

/// The `cfg` predicate of a gate (`feature = "a"`, `any(feature = "a", feature = "b")`), or
/// `None` for an open gate.
fn predicate(gate: &Gate) -> Option<String> {
    let terms: Vec<String> = gate
        .any_of
        .iter()
        .map(|f| format!("feature = {}", escape::rust_str_text(f)))
        .collect();
    match terms.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        _ => Some(format!("any({})", terms.join(", "))),
    }
}

/// `#[cfg(..)]` and a line break for an item behind `gate`; nothing for an open gate.
pub(super) fn cfg(gate: &Gate) -> RustCode {
    cfg_all(std::slice::from_ref(gate))
}

/// `#[cfg(..)]` for an item that needs every one of `gates` (an extension that uses items
/// of several tags).
pub(super) fn cfg_all(gates: &[Gate]) -> RustCode {
    let terms: Vec<String> = gates.iter().filter_map(predicate).collect();
    escape::code(match terms.as_slice() {
        [] => String::new(),
        [one] => format!("#[cfg({one})]\n"),
        _ => format!("#[cfg(all({}))]\n", terms.join(", ")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(features: &[&str]) -> Gate {
        Gate::new(features.iter().map(|f| (*f).to_owned()))
    }

    #[test]
    fn open_one_several_and_combined_gates() {
        assert_eq!(cfg(&Gate::default()).0.as_str(), "");
        assert_eq!(
            cfg(&gate(&["okta-a"])).0.as_str(),
            "#[cfg(feature = \"okta-a\")]\n"
        );
        assert_eq!(
            cfg(&gate(&["okta-b", "okta-a"])).0.as_str(),
            "#[cfg(any(feature = \"okta-a\", feature = \"okta-b\"))]\n"
        );
        assert_eq!(
            cfg_all(&[
                gate(&["okta-a"]),
                Gate::default(),
                gate(&["okta-b", "okta-c"])
            ])
            .0
            .as_str(),
            "#[cfg(all(feature = \"okta-a\", any(feature = \"okta-b\", feature = \"okta-c\")))]\n"
        );
    }
}

/// A file of gated items: `<dir>/<name>.rs` beside the parent file, included there behind
/// `cfg`.
pub(super) struct GateFile {
    /// The path relative to the provider module's folder (`models/tag_user.rs`).
    pub relative: String,
    /// The same as the string literal the parent's `include!` names.
    pub include: RustStr,
    pub cfg: RustCode,
    /// The features, for the file's doc line.
    pub features: String,
    pub items: Vec<String>,
}

/// The file an item behind `gate` goes to: `tag_<feature>` for one feature (`tag_user_factor`),
/// `shared_<hash>` for a set (a stable FNV-1a hash of the names: the same set gives the same
/// file on every machine and run).
fn file_name(module: &str, gate: &Gate) -> String {
    match gate.any_of.as_slice() {
        [one] => {
            let word = one.strip_prefix(&format!("{module}-")).unwrap_or(one);
            format!("tag_{}", word.replace('-', "_"))
        }
        many => {
            let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
            for byte in many.join(",").bytes() {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
            format!("shared_{hash:016x}")
        }
    }
}

/// Splits rendered items by gate: the open ones stay in the parent file (returned first, in
/// order), the gated ones go to one file per distinct gate, in gate order. With per-tag
/// features this is what lets the compiler skip a tag's code without reading it: a `#[cfg]`
/// on `mod x;` means the file is never parsed.
pub(super) fn split(
    module: &str,
    dir: &str,
    items: Vec<(&Gate, String)>,
) -> Result<(Vec<String>, Vec<GateFile>), GenError> {
    let mut open = Vec::new();
    let mut files: BTreeMap<&Gate, Vec<String>> = BTreeMap::new();
    for (gate, item) in items {
        if gate.is_open() {
            open.push(item);
        } else {
            files.entry(gate).or_default().push(item);
        }
    }
    let mut out: Vec<GateFile> = Vec::with_capacity(files.len());
    let mut names: BTreeMap<String, &Gate> = BTreeMap::new();
    for (gate, items) in files {
        let name = file_name(module, gate);
        if let Some(other) = names.insert(name.clone(), gate) {
            return Err(GenError::Render {
                template: "gated_items.rs".to_owned(),
                message: format!(
                    "features {} and {} map to one file `{name}`",
                    other.describe(),
                    gate.describe()
                ),
            });
        }
        let relative = format!("{dir}/{name}.rs");
        out.push(GateFile {
            include: escape::rust_str(&relative),
            relative,
            cfg: cfg(gate),
            features: gate.describe(),
            items,
        });
    }
    Ok((open, out))
}

#[derive(Template)]
#[template(path = "gated_items.rs")]
struct GatedItems<'a> {
    doc: DocText,
    items: &'a [String],
}

/// The rendered file of one [`GateFile`] in the folder of module `module`.
pub(super) fn gate_file(
    module: &str,
    what: &str,
    file: &GateFile,
) -> Result<RenderedFile, GenError> {
    let text = GatedItems {
        doc: escape::doc_text(&format!(
            "{what} compiled with the feature(s) {}.",
            file.features
        )),
        items: &file.items,
    }
    .render()
    .map_err(render_err("gated_items.rs"))?;
    Ok(RenderedFile::rust_items(
        format!("src/{module}/{}", file.relative),
        "gated_items.rs",
        text,
        &file.items,
    ))
}
