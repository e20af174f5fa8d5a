//! Which hand-written extensions a generated API can carry: an extension is written against
//! the project's API (`okta::push` imports `VerifyFactorResponse`), and a spec release without
//! the types it imports would give a crate that does not compile. Such an extension is left
//! out with a warning instead; `generate`, `regen` and `conformance` share this rule.

use std::collections::BTreeSet;

use crate::error::{Warning, WarningKind};
use crate::ir::Api;

/// Removes from `api.extensions` each extension that imports a model or builder `api` does not
/// generate, and says so in `api.warnings`.
pub fn leave_out_unmet_extensions(api: &mut Api) {
    // the models module holds the schemas' types and the by-status success enums
    let models: BTreeSet<&str> = api
        .models
        .iter()
        .map(|m| m.rust_name.as_str())
        .chain(api.operations.iter().filter_map(|o| match o.success.shape {
            crate::ir::SuccessShape::ByStatus(_) => Some(o.success.rust_type.as_str()),
            _ => None,
        }))
        .collect();
    let builders: BTreeSet<&str> = api
        .operations
        .iter()
        .map(|o| o.builder_name.as_str())
        .collect();
    let mut warnings = Vec::new();
    api.extensions.retain(|extension| {
        let missing: Vec<String> = imports(&extension.source)
            .into_iter()
            .filter(|(module, name)| {
                let known = if module == "models" {
                    &models
                } else {
                    &builders
                };
                !known.contains(name.as_str())
            })
            .map(|(module, name)| format!("{module}::{name}"))
            .collect();
        if missing.is_empty() {
            return true;
        }
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
        false
    });
    api.warnings.extend(warnings);
    gate_extensions(api);
}

/// With per-tag features, an extension is compiled when every generated item it imports is:
/// one gate per distinct gate of those items (`push` needs `verifyFactor`'s builder and the
/// models of its answer, so it comes with `okta-user-factor`).
fn gate_extensions(api: &mut Api) {
    if api.tag_features.is_empty() {
        return;
    }
    let mut gates: std::collections::BTreeMap<&str, &crate::ir::Gate> =
        std::collections::BTreeMap::new();
    for model in &api.models {
        gates.insert(&model.rust_name, &model.gate);
    }
    for op in &api.operations {
        gates.insert(&op.builder_name, &op.gate);
        if let crate::ir::SuccessShape::ByStatus(_) = op.success.shape {
            gates.insert(&op.success.rust_type, &op.gate);
        }
    }
    let needed: Vec<Vec<crate::ir::Gate>> = api
        .extensions
        .iter()
        .map(|extension| {
            let mut own: Vec<crate::ir::Gate> = imports(&extension.source)
                .iter()
                .filter_map(|(_, name)| gates.get(name.as_str()))
                .filter(|g| !g.is_open())
                .map(|g| (*g).clone())
                .collect();
            own.sort();
            own.dedup();
            own
        })
        .collect();
    for (extension, own) in api.extensions.iter_mut().zip(needed) {
        extension.gates = own;
    }
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
