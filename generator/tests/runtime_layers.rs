//! The runtime's modules import each other without cycles: every `super::` path of a runtime
//! module (outside its tests and comments) points at a module below it. A cycle means two
//! modules can only be understood, split or replaced together; this test names it when one
//! comes back.
//!
//! A module split over files (`client.rs` with `client/attempt.rs`) is one module to its
//! readers: a child reaching back into its parent (to implement the parent's type) is not an
//! edge. A parent's use of its child is: `error -> vendor -> vendor::onelogin -> auth -> error`
//! would be a cycle even though each file alone looks layered.

#[path = "support/common.rs"]
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Runtime modules by path (`retry`, `vendor::okta`) with their non-test source.
fn modules(root: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).expect("read runtime dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                walk(root, &path, out);
                continue;
            }
            let rel = path
                .strip_prefix(root)
                .expect("under root")
                .with_extension("");
            let rel = rel.to_string_lossy().replace(['/', '\\'], "::");
            let is_test = rel == "tests" || rel.ends_with("::tests");
            if path.extension().is_none_or(|e| e != "rs") || rel == "mod" || is_test {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("read source");
            let code = match text.find("#[cfg(test)]\nmod tests") {
                Some(at) => &text[..at],
                None => &text,
            };
            // comments may name paths (doc links) without importing anything
            let code: String = code
                .lines()
                .filter(|line| !line.trim_start().starts_with("//"))
                .map(|line| format!("{line}\n"))
                .collect();
            out.insert(rel, code);
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// Items the runtime root re-exports, by name, with the module that defines them.
fn root_reexports(mod_rs: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for statement in mod_rs.split("pub use ").skip(1) {
        let statement = &statement[..statement.find(';').unwrap_or(statement.len())];
        // `module::{A, B}` or `module::path::A`
        let (module, items) = match statement.split_once("::{") {
            Some((module, group)) => (module, group.trim_end_matches('}')),
            None => match statement.rsplit_once("::") {
                Some(split) => split,
                None => continue,
            },
        };
        for item in items.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            out.insert(item.to_owned(), module.trim().to_owned());
        }
    }
    out
}

/// The identifier that starts `text`.
fn ident(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// Whether `code` has a path starting with `child::` (not `super::child::`, not `x_child::`).
fn names_child(code: &str, child: &str) -> bool {
    let needle = format!("{child}::");
    code.match_indices(&needle).any(|(at, _)| {
        code[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == ':'))
    })
}

/// Modules each module imports through `super::` paths (a `use super::{a, b}` group included).
fn import_graph(root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules(root);
    let reexports = root_reexports(&std::fs::read_to_string(root.join("mod.rs")).expect("mod.rs"));
    let mut graph = BTreeMap::new();
    for (name, code) in &modules {
        let parent: Vec<&str> = name.split("::").collect();
        let mut deps = BTreeSet::new();
        let mut rest = code.as_str();
        while let Some(at) = rest.find("super::") {
            // the whole `super::super::...` run, then what it names
            let mut ups = 0;
            let mut tail = &rest[at..];
            while let Some(next) = tail.strip_prefix("super::") {
                ups += 1;
                tail = next;
            }
            rest = tail;
            let base = &parent[..parent.len().saturating_sub(ups)];
            let paths: Vec<&str> = match tail.strip_prefix('{') {
                Some(group) => group[..group.find('}').unwrap_or(group.len())]
                    .split(',')
                    .map(str::trim)
                    .collect(),
                None => vec![tail],
            };
            for path in paths {
                // the longest module the path names (`vendor::onelogin_auth::X` is that module)
                let mut module: Vec<&str> = base.to_vec();
                let mut segments = path.split("::");
                let first_raw = segments.next().unwrap_or("");
                let first = ident(first_raw);
                if first.is_empty() || first == "self" {
                    continue;
                }
                module.push(first);
                let target = if modules.contains_key(&module.join("::")) {
                    let mut found = module.join("::");
                    // a path goes on only while each segment is a bare identifier
                    let mut goes_on = first_raw == first;
                    for segment in segments {
                        let next = ident(segment);
                        module.push(next);
                        if !goes_on || !modules.contains_key(&module.join("::")) {
                            break;
                        }
                        found = module.join("::");
                        goes_on = segment == next;
                    }
                    Some(found)
                } else if base.is_empty() {
                    reexports.get(first).cloned()
                } else {
                    Some(base.join("::"))
                };
                deps.extend(target.filter(|t| t != name));
            }
        }
        // a child reaching back into its own parent is part of one split module, not an edge
        deps.retain(|dep| !name.starts_with(&format!("{dep}::")));
        // a parent that uses its own child (`use node::Node`, `okta::parse_error(..)`) depends
        // on what the child imports
        let prefix = format!("{name}::");
        for child in modules.keys() {
            let Some(local) = child.strip_prefix(&prefix) else {
                continue;
            };
            if !local.contains("::") && names_child(code, local) {
                deps.insert(child.clone());
            }
        }
        graph.insert(name.clone(), deps);
    }
    graph
}

/// One cycle of the graph, as the modules along it, if there is any.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn runtime_modules_import_each_other_without_cycles() {
    let graph = import_graph(&common::workspace_root().join("templates/runtime"));
    let listing: String = graph
        .iter()
        .map(|(m, deps)| {
            format!(
                "{m} -> {}\n",
                deps.iter().cloned().collect::<Vec<_>>().join(", ")
            )
        })
        .collect();
    if let Some(cycle) = find_cycle(&graph) {
        panic!(
            "runtime import cycle: {}\nmove what the lower module needs into a leaf module\n{listing}",
            cycle.join(" -> ")
        );
    }
}

#[test]
fn the_cycle_finder_finds_one() {
    let mut graph = BTreeMap::new();
    graph.insert("a".to_owned(), BTreeSet::from(["b".to_owned()]));
    graph.insert("b".to_owned(), BTreeSet::from(["c".to_owned()]));
    graph.insert("c".to_owned(), BTreeSet::from(["a".to_owned()]));
    assert_eq!(
        find_cycle(&graph),
        Some(
            vec!["a", "b", "c", "a"]
                .into_iter()
                .map(String::from)
                .collect()
        )
    );
    graph.get_mut("c").expect("c").clear();
    assert_eq!(find_cycle(&graph), None);
}
