//! Swagger 2.0 through the xtask commands: `generate` and `conformance` read it as OpenAPI 3.0
//! (the legacy Okta 2.16.0 file among them); older Swagger is refused with one clear line.

#[path = "support/run.rs"]
mod run;

use run::{root, temp_dir, xtask};

/// The legacy Okta 2.16.0 spec (Swagger 2.0) with the project's Okta config: the nine
/// UserFactor operations of that era, and the `push` extension (written against today's
/// `VerifyFactorResponse`) left out with a warning instead of a crate that does not compile.
#[test]
fn generate_reads_the_legacy_swagger_two_okta_spec_with_the_project_config() {
    let swagger = root().join("../shared/upstream-specs/okta/2.16.0-legacy-swagger2/spec.yaml");
    if !swagger.exists() {
        eprintln!("notice: ../shared/upstream-specs absent; Swagger 2.0 case skipped");
        return;
    }
    let out_dir = temp_dir("swagger2-okta");
    let out = xtask(&[
        "generate",
        "--spec",
        &swagger.to_string_lossy(),
        "--config",
        &root().join("specs/okta.toml").to_string_lossy(),
        "--out",
        &out_dir.to_string_lossy(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("generate: okta 9 ops"), "{stderr}");
    assert!(
        stderr.contains("extension `push`") && stderr.contains("models::VerifyFactorResponse"),
        "{stderr}"
    );
    let module = std::fs::read_to_string(out_dir.join("src/okta/mod.rs")).expect("mod.rs");
    assert!(module.contains("pub fn delete_factor("), "{module}");
    assert!(!module.contains("mod push"), "{module}");
    assert!(!out_dir.join("src/okta/push.rs").exists());
    let _ = std::fs::remove_dir_all(&out_dir);
}

/// Swagger 2.0 (the legacy Okta spec's format) is read as OpenAPI 3.0 by `generate` and
/// `conformance`, whether the version is written as a string or a number, in YAML or JSON;
/// older Swagger is refused with one line naming the file, and `conformance` lists that file as
/// refused (a pass: that is the intended answer).
#[test]
fn swagger_two_is_generated_and_older_swagger_refused_by_generate_and_conformance() {
    let dir = temp_dir("swagger2");
    let okta = dir.join("upstream/okta");
    std::fs::create_dir_all(&okta).expect("mkdir");
    let paths = "{'/a/{id}': {get: {operationId: getA, tags: [UserFactor], parameters: [{name: id, in: path, required: true, type: string}], responses: {'204': {description: gone}}}}}";
    std::fs::write(
        okta.join("legacy.yaml"),
        format!("swagger: '2.0'\ninfo: {{title: t, version: '1'}}\npaths: {paths}\n"),
    )
    .expect("write");
    std::fs::write(
        okta.join("legacy.json"),
        r#"{"swagger": 2.0, "info": {"title": "t", "version": "1"}, "paths": {"/b": {"get": {"operationId": "getB", "tags": ["UserFactor"], "responses": {"204": {"description": "none"}}}}}}"#,
    )
    .expect("write");
    std::fs::write(
        okta.join("older.yaml"),
        "swagger: '1.2'\ninfo: {title: t, version: '1'}\npaths: {}\n",
    )
    .expect("write");
    for file in ["legacy.yaml", "legacy.json"] {
        let spec = okta.join(file);
        let out_dir = dir.join(format!("out-{file}"));
        let out = xtask(&[
            "generate",
            "--spec",
            &spec.display().to_string(),
            "--out",
            &out_dir.display().to_string(),
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(stderr.contains("1 ops"), "{stderr}");
        assert!(out_dir.join("Cargo.toml").exists());
    }
    std::fs::write(
        okta.join("older.json"),
        r#"{"swagger": 1.2, "info": {"title": "t", "version": "1"}, "paths": {}}"#,
    )
    .expect("write");
    for file in ["older.yaml", "older.json"] {
        let spec = okta.join(file);
        let out = xtask(&[
            "generate",
            "--spec",
            &spec.display().to_string(),
            "--out",
            &dir.join("out").display().to_string(),
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with(&format!(
                "error: {}: Swagger 1.2 is not supported",
                spec.display()
            )),
            "{stderr}"
        );
        assert!(stderr.contains("convert it to OpenAPI 3.0"), "{stderr}");
        assert!(!dir.join("out").exists(), "nothing written");
    }

    let out = xtask(&[
        "conformance",
        "--no-check",
        "--upstream",
        &dir.join("upstream").display().to_string(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("| `okta/older.yaml` | | | | | refused: Swagger 1.2 is not supported"),
        "{stdout}"
    );
    assert!(
        stdout.contains("| `okta/older.json` | | | | | refused: Swagger 1.2 is not supported"),
        "{stdout}"
    );
    assert!(stdout.contains("| `okta/legacy.yaml` | 1 |"), "{stdout}");
    assert!(stdout.contains("| `okta/legacy.json` | 1 |"), "{stdout}");
    assert!(
        stdout.contains("notice: no onelogin specs"),
        "a provider without files is a notice: {stdout}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
