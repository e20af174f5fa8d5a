//! Bad input gets a one-line error naming the file (and the JSON pointer of the bad node).

#[path = "support/common.rs"]
mod common;

use std::path::Path;

use mfa_codegen::{GenError, ProviderConfig};

fn generate(spec: &Path) -> Result<mfa_codegen::ProviderRun, GenError> {
    mfa_codegen::build_provider(&ProviderConfig::everything(spec), spec)
}

fn write_temp(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("mfa-codegen-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn swagger_other_than_two_gets_a_clear_error() {
    // Swagger 2.0 is read as OpenAPI 3.0 (tests/swagger2.rs); older Swagger is refused
    let spec = write_temp(
        "swagger12.yaml",
        "swagger: '1.2'\ninfo: {title: t, version: '1'}\npaths: {}\n",
    );
    let message = generate(&spec)
        .expect_err("swagger 1.2 must fail")
        .to_string();
    assert!(
        message.starts_with(&format!("{}: Swagger 1.2 is not supported", spec.display())),
        "{message}"
    );
    assert!(message.contains("convert it to OpenAPI 3.0"), "{message}");
}

#[test]
fn missing_file_is_named() {
    let message = generate(Path::new("/definitely/not/here.yaml"))
        .expect_err("missing")
        .to_string();
    assert!(
        message.starts_with("/definitely/not/here.yaml: "),
        "{message}"
    );
}

#[test]
fn invalid_yaml_gives_a_line() {
    let spec = write_temp(
        "broken.yaml",
        "openapi: 3.0.3\ninfo:\n  title: x\n  version: [1\npaths: {}\n",
    );
    let message = generate(&spec).expect_err("invalid yaml").to_string();
    assert!(message.contains("broken.yaml: invalid YAML"), "{message}");
    assert!(message.contains("line"), "{message}");
    assert_eq!(message.lines().count(), 1, "{message}");
}

#[test]
fn dangling_ref_names_its_pointer() {
    let spec = write_temp(
        "dangling.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Missing'}\n",
    );
    let message = generate(&spec).expect_err("dangling").to_string();
    assert!(
        message.contains("at /paths/~1a/get/responses/200/content/application~1json/schema: dangling $ref `#/components/schemas/Missing`"),
        "{message}"
    );
}

#[test]
fn unknown_operation_in_config_is_an_error() {
    let spec = common::fixtures_dir().join("two_success.yaml");
    let mut config = ProviderConfig::everything(&spec);
    config.select.operations = vec!["noSuchOperation".into()];
    let message = mfa_codegen::build_provider(&config, &spec)
        .expect_err("unknown op")
        .to_string();
    assert!(message.contains("noSuchOperation"), "{message}");
}
