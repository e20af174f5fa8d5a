//! The runtime is compiled and tested where it lives (`templates/runtime/`, crate `idp-runtime`)
//! and copied verbatim into every generated crate through the generator's `RUNTIME_FILES` list.
//! These tests keep the two in step: a runtime source missing from the list would compile in
//! place but not in a generated crate (or silently drop a module), and an edited copy would
//! ship code the runtime's own tests never ran.

#[path = "support/common.rs"]
mod common;

use std::collections::BTreeMap;
use std::path::Path;

/// Every `.rs` file under `dir`, by path relative to it with `/` separators.
fn rust_sources(dir: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).expect("read runtime dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(root).expect("under root");
                let rel = rel.to_string_lossy().replace('\\', "/");
                out.insert(rel, std::fs::read_to_string(&path).expect("read source"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The generated crate's runtime files, as the generator renders them now, with the header
/// that marks a verbatim copy checked and stripped.
fn rendered_runtime() -> BTreeMap<String, String> {
    let root = common::workspace_root();
    let (files, _) = mfa_codegen::generate_workspace_crate(
        &root.join("specs/crate.toml"),
        false,
        &mut mfa_codegen::Formatter::plain(),
    )
    .expect("generate");
    files
        .into_iter()
        .filter_map(|file| {
            let rel = file.path.strip_prefix("src/runtime/")?.to_owned();
            let (header, body) = file.text.split_once("\n\n").expect("header then body");
            let mut lines = header.lines();
            assert!(
                lines.next().is_some_and(|l| l.starts_with("// @generated")),
                "{rel}: no @generated line"
            );
            assert_eq!(
                lines.next(),
                Some(format!("// Source: templates/runtime/{rel}").as_str()),
                "{rel}: the copy must name its source"
            );
            assert_eq!(lines.next(), None, "{rel}: unexpected header line");
            Some((rel, body.to_owned()))
        })
        .collect()
}

#[test]
fn every_runtime_source_is_copied_verbatim_and_nothing_else() {
    let sources = rust_sources(&common::workspace_root().join("templates/runtime"));
    let copies = rendered_runtime();
    let source_names: Vec<&String> = sources.keys().collect();
    let copy_names: Vec<&String> = copies.keys().collect();
    assert_eq!(
        source_names, copy_names,
        "RUNTIME_FILES in generator/src/render/runtime_copy.rs must list every file under templates/runtime/"
    );
    for (name, text) in &sources {
        assert!(
            copies[name] == *text,
            "src/runtime/{name} is not a byte-identical copy of templates/runtime/{name}"
        );
    }
}

#[test]
fn the_committed_copies_match_the_sources() {
    let root = common::workspace_root();
    let sources = rust_sources(&root.join("templates/runtime"));
    let committed = rust_sources(&root.join("generated/src/runtime"));
    assert_eq!(
        sources.keys().collect::<Vec<_>>(),
        committed.keys().collect::<Vec<_>>(),
        "generated/src/runtime is stale; run `cargo xtask regen`"
    );
    for (name, text) in &sources {
        let copy = &committed[name];
        let body = copy.split_once("\n\n").map(|(_, body)| body);
        assert!(
            body == Some(text.as_str()),
            "generated/src/runtime/{name} differs from templates/runtime/{name}; run `cargo xtask regen`"
        );
    }
}
