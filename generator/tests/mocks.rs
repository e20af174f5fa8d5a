//! The generated test doubles cover every operation, and each provider is compiled only with
//! its own feature.

#[path = "support/common.rs"]
mod common;

/// The text without whitespace or trailing commas, so line wrapping does not matter.
fn squeeze(text: &str) -> String {
    let dense: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    dense.replace(",)", ")")
}

#[test]
fn every_operation_has_a_mock_method() {
    let root = common::workspace_root();
    let (files, runs) = mfa_codegen::generate_workspace_crate(
        &root.join("specs/crate.toml"),
        false,
        &mut mfa_codegen::Formatter::plain(),
    )
    .expect("generate");
    let mut total = 0;
    let mut mocked = 0;
    for run in &runs {
        let api = &run.api;
        let path = format!("src/{}/mock.rs", api.module);
        let text = files
            .iter()
            .find(|f| f.path == path)
            .map(|f| squeeze(&f.text))
            .unwrap_or_else(|| panic!("{path} is generated"));
        for op in &api.operations {
            total += 1;
            let method = squeeze(&format!(
                "pub fn {}(&self) -> {}Expectation<'_>",
                op.method_name, op.builder_name
            ));
            let listed = squeeze(&format!("operation_id: {:?}", op.operation_id));
            if text.contains(&method) && text.contains(&listed) {
                mocked += 1;
            } else {
                eprintln!("no mock method for {} ({})", op.operation_id, api.module);
            }
        }
    }
    println!("operations with a mock method: {mocked} of {total}");
    assert_eq!(mocked, total);
    assert_eq!(total, 20, "13 Okta + 7 OneLogin operations");
}

#[test]
fn each_provider_module_and_its_mock_sit_behind_features() {
    let root = common::workspace_root();
    let (files, runs) = mfa_codegen::generate_workspace_crate(
        &root.join("specs/crate.toml"),
        false,
        &mut mfa_codegen::Formatter::plain(),
    )
    .expect("generate");
    let lib = files
        .iter()
        .find(|f| f.path == "src/lib.rs")
        .map(|f| squeeze(&f.text))
        .expect("lib.rs");
    for run in &runs {
        let module = &run.api.module;
        let gated = squeeze(&format!(
            "#[cfg(feature = \"{module}\")] #[cfg_attr(docsrs, doc(cfg(feature = \"{module}\")))] \
             #[rustfmt::skip] pub mod {module};"
        ));
        assert!(lib.contains(&gated), "{module} is not behind its feature");
        let provider = files
            .iter()
            .find(|f| f.path == format!("src/{module}/mod.rs"))
            .map(|f| squeeze(&f.text))
            .expect("provider mod.rs");
        assert!(provider.contains(&squeeze(
            "#[cfg(feature = \"mock\")] #[cfg_attr(docsrs, doc(cfg(feature = \"mock\")))] \
             #[rustfmt::skip] pub mod mock;"
        )));
    }
}
