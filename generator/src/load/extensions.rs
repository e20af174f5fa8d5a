//! Which hand-written extensions a generated API can carry: an extension is written against
//! the project's API (`okta::push` imports `VerifyFactorResponse`), and a spec release without
//! the types it imports would give a crate that does not compile. Such an extension is left
//! out with a warning instead; `generate`, `regen` and `conformance` share this rule.

use std::collections::BTreeMap;

use crate::error::{Warning, WarningKind};
use crate::ir::{Api, Gate, SuccessShape};

/// What an extension can import from the generated API, `(module, Rust name)`, with the gate
/// that compiles it: the models module holds the schemas' types and the by-status success
/// enums, the builders module one builder per operation.
fn importable<'a>(
    models: &'a [crate::ir::Model],
    operations: &'a [crate::ir::Operation],
) -> BTreeMap<(&'static str, &'a str), &'a Gate> {
    let mut items = BTreeMap::new();
    for model in models {
        items.insert(("models", model.rust_name.as_str()), &model.gate);
    }
    for op in operations {
        items.insert(("builders", op.builder_name.as_str()), &op.gate);
        if let SuccessShape::ByStatus(_) = op.success.shape {
            items.insert(("models", op.success.rust_type.as_str()), &op.gate);
        }
    }
    items
}

/// Removes from `api.extensions` each extension that imports a model or builder `api` does not
/// generate, and says so in `api.warnings`; with per-tag features, gates the others on the
/// features of what they import.
pub fn leave_out_unmet_extensions(api: &mut Api) {
    let items = importable(&api.models, &api.operations);
    let mut warnings = Vec::new();
    let mut kept = Vec::new();
    for mut extension in std::mem::take(&mut api.extensions) {
        let imported = imports(&extension.source);
        let missing: Vec<String> = imported
            .iter()
            .filter(|(module, name)| !items.contains_key(&(module.as_str(), name.as_str())))
            .map(|(module, name)| format!("{module}::{name}"))
            .collect();
        if !missing.is_empty() {
            warnings.push(Warning {
                pointer: String::new(),
                message: format!(
                    "extension `{}` ({}) left out: it uses {}, which this spec does not generate",
                    extension.module,
                    extension.origin,
                    missing.join(", ")
                ),
                kind: WarningKind::ExtensionLeftOut,
            });
            continue;
        }
        // compiled when every generated item it imports is: one gate per distinct gate
        // (`push` needs `verifyFactor`'s builder and its answer's models: okta-user-factor)
        let mut gates: Vec<Gate> = imported
            .iter()
            .filter_map(|(module, name)| items.get(&(module.as_str(), name.as_str())))
            .filter(|g| !g.is_open())
            .map(|g| (*g).clone())
            .collect();
        gates.sort();
        gates.dedup();
        extension.gates = gates;
        kept.push(extension);
    }
    api.extensions = kept;
    api.warnings.extend(warnings);
}

/// The `(models|builders, Name)` pairs an extension's `use super::...` items import. A source
/// syn cannot parse imports nothing here (rustfmt of the generated crate reports it).
fn imports(source: &str) -> Vec<(String, String)> {
    let Ok(file) = syn::parse_file(source) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in &file.items {
        if let syn::Item::Use(item) = item {
            walk(&item.tree, &mut Vec::new(), &mut out);
        }
    }
    out
}

fn walk(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<(String, String)>) {
    match tree {
        syn::UseTree::Path(path) => {
            prefix.push(path.ident.to_string());
            walk(&path.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(name) => leaf(prefix, &name.ident, out),
        syn::UseTree::Rename(rename) => leaf(prefix, &rename.ident, out),
        syn::UseTree::Group(group) => {
            for tree in &group.items {
                walk(tree, prefix, out);
            }
        }
        syn::UseTree::Glob(_) => {}
    }
}

fn leaf(prefix: &[String], ident: &syn::Ident, out: &mut Vec<(String, String)>) {
    if let [first, module] = prefix {
        if ident != "self" && first == "super" && (module == "models" || module == "builders") {
            out.push((module.clone(), ident.to_string()));
        }
    }
}
