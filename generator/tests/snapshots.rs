//! Snapshot tests: one small fixture spec per hard case, rendered through the whole pipeline.
//! Review changes with `cargo insta review`.

#[path = "support/common.rs"]
mod common;

fn provider_source(name: &str) -> String {
    let api = common::fixture_api(name);
    let files = common::standalone_files(&api);
    let prefix = format!("src/{}/", api.module);
    let mut out = String::new();
    for warning in &api.warnings {
        out.push_str(&format!(
            "// warning: at {}: {}\n",
            warning.pointer, warning.message
        ));
    }
    for file in files.iter().filter(|f| f.path.starts_with(&prefix)) {
        out.push_str(&format!("// ==== {} ====\n{}\n", file.path, file.text));
    }
    out
}

macro_rules! fixture_snapshot {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), provider_source(stringify!($name)));
        }
    )*};
}

fixture_snapshot!(
    all_of,
    discriminated_union,
    header_params,
    keywords_acronyms,
    no_content,
    nullable,
    odd_enums,
    one_of,
    path_param_merge,
    spec_bugs,
    two_success,
    wire_patch,
);

#[test]
fn every_fixture_has_a_snapshot_test() {
    let covered = [
        "all_of",
        "discriminated_union",
        "header_params",
        "keywords_acronyms",
        "no_content",
        "nullable",
        "odd_enums",
        "one_of",
        "path_param_merge",
        "spec_bugs",
        "two_success",
        "wire_patch",
    ];
    assert_eq!(common::fixture_names(), covered);
}
