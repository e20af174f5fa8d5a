//! The xtask commands as a maintainer runs them: exit codes, stderr, diffs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("run xtask")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

#[test]
fn regen_check_passes_then_fails_with_a_diff_after_an_edit() {
    let copy = temp_dir("drift");
    copy_tree(&root().join("generated"), &copy);
    let dir = copy.to_string_lossy().into_owned();

    let clean = xtask(&["regen", "--check", "--generated-dir", &dir]);
    assert!(
        clean.status.success(),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );

    let models = copy.join("src/okta/models.rs");
    let text = std::fs::read_to_string(&models).expect("read");
    std::fs::write(
        &models,
        text.replacen(
            "pub struct UserFactorCall",
            "pub struct UserFactorCallEdited",
            1,
        ),
    )
    .expect("edit");
    std::fs::write(
        copy.join("src/okta/leftover.rs"),
        "// no longer generated\n",
    )
    .expect("stale file");

    let dirty = xtask(&["regen", "--check", "--generated-dir", &dir]);
    assert_eq!(dirty.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&dirty.stdout);
    let stderr = String::from_utf8_lossy(&dirty.stderr);
    assert!(stdout.contains("--- a/src/okta/models.rs"), "{stdout}");
    assert!(
        stdout.contains("-pub struct UserFactorCallEdited"),
        "{stdout}"
    );
    assert!(stdout.contains("+pub struct UserFactorCall "), "{stdout}");
    assert!(
        stdout.contains("--- a/src/okta/leftover.rs"),
        "stale files are reported: {stdout}"
    );
    assert!(stderr.contains("src/okta/models.rs"), "{stderr}");

    // regen (write mode) repairs the copy, removing the stale file
    let fix = xtask(&["regen", "--generated-dir", &dir]);
    assert!(fix.status.success());
    assert!(!copy.join("src/okta/leftover.rs").exists());
    assert!(xtask(&["regen", "--check", "--generated-dir", &dir])
        .status
        .success());
    let _ = std::fs::remove_dir_all(&copy);
}

#[test]
fn regen_reports_progress_on_stderr() {
    let copy = temp_dir("progress");
    let out = xtask(&["regen", "--generated-dir", &copy.to_string_lossy()]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("regen: okta 13 ops"), "{stderr}");
    assert!(stderr.contains("regen: onelogin 7 ops"), "{stderr}");
    let _ = std::fs::remove_dir_all(&copy);
}

#[test]
fn bad_specs_exit_1_with_one_clear_line() {
    let out_dir = temp_dir("bad");
    let out = out_dir.to_string_lossy().into_owned();
    let missing = xtask(&["generate", "--spec", "/no/such/spec.yaml", "--out", &out]);
    assert_eq!(missing.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(
        stderr.starts_with("error: /no/such/spec.yaml: "),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");

    let swagger = root().join("../shared/upstream-specs/okta/2.16.0-legacy-swagger2/spec.yaml");
    if swagger.exists() {
        let spec = swagger.to_string_lossy().into_owned();
        let out = xtask(&["generate", "--spec", &spec, "--out", &out]);
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.trim(), format!("error: {spec}: Swagger 2.0 is not supported; convert it to OpenAPI 3.0 first (for example with swagger2openapi) or use an OpenAPI 3.0 release of the spec"));
    } else {
        eprintln!("notice: ../shared/upstream-specs absent; Swagger 2.0 case skipped");
    }
    let _ = std::fs::remove_dir_all(&out_dir);
}

#[test]
fn generate_writes_a_standalone_crate() {
    let dir = temp_dir("generate");
    let spec = root().join("specs/onelogin-mfa-v1.yaml");
    let config = root().join("specs/onelogin.toml");
    let out = xtask(&[
        "generate",
        "--spec",
        &spec.to_string_lossy(),
        "--config",
        &config.to_string_lossy(),
        "--out",
        &dir.to_string_lossy(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("Cargo.toml");
    assert!(
        manifest.contains("[workspace]"),
        "a standalone crate is its own workspace"
    );
    assert!(
        dir.join("src/runtime/client.rs").exists(),
        "the runtime travels with the crate"
    );
    assert!(dir.join("src/onelogin/builders.rs").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

const OLD_SPEC: &str = "openapi: 3.0.3
info: {title: Diff, version: '1'}
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
components:
  schemas:
    Thing:
      type: object
      properties:
        color: {type: string, enum: [red, green]}
";

#[test]
fn api_diff_reports_a_verdict_and_denies_breaking_changes_on_request() {
    let dir = temp_dir("api-diff");
    let old = dir.join("old.yaml");
    let added_value = dir.join("added.yaml");
    let removed_op = dir.join("removed.yaml");
    std::fs::write(&old, OLD_SPEC).expect("old");
    std::fs::write(
        &added_value,
        OLD_SPEC.replace("[red, green]", "[red, green, blue]"),
    )
    .expect("new");
    let without_op = OLD_SPEC.replace("paths:\n  /things/{id}:", "paths:\n  /v2/things/{id}:");
    std::fs::write(&removed_op, without_op).expect("new");
    let path = |p: &Path| p.display().to_string();

    let same = xtask(&["api-diff", &path(&old), &path(&old), "--deny", "breaking"]);
    let stdout = String::from_utf8_lossy(&same.stdout);
    assert!(same.status.success(), "{stdout}");
    assert!(
        stdout.contains("semver verdict: none (no changes)"),
        "{stdout}"
    );

    let minor = xtask(&[
        "api-diff",
        &path(&old),
        &path(&added_value),
        "--format",
        "json",
    ]);
    assert!(minor.status.success());
    let report: serde_json::Value =
        serde_json::from_slice(&minor.stdout).expect("--format json prints JSON");
    assert_eq!(report["verdict"], "minor");
    assert_eq!(report["changes"][0]["class"], "additive");

    let breaking = xtask(&[
        "api-diff",
        &path(&old),
        &path(&removed_op),
        "--format",
        "markdown",
    ]);
    let stdout = String::from_utf8_lossy(&breaking.stdout);
    assert!(breaking.status.success(), "exit 0 without --deny");
    assert!(stdout.contains("**Semver verdict: major**"), "{stdout}");
    let denied = xtask(&[
        "api-diff",
        &path(&old),
        &path(&removed_op),
        "--deny",
        "breaking",
    ]);
    assert_eq!(denied.status.code(), Some(1));
}

#[test]
fn api_diff_reads_the_old_spec_from_a_git_revision() {
    let root = root();
    if !root.join(".git").exists() {
        println!("skipped: not a git checkout");
        return;
    }
    let out = xtask(&[
        "api-diff",
        "git:HEAD",
        &root
            .join("specs/okta-userfactor.yaml")
            .display()
            .to_string(),
        "--config",
        &root.join("specs/okta.toml").display().to_string(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("API changes: Okta"), "{stdout}");
    assert!(stdout.contains("semver verdict:"), "{stdout}");
}

/// Swagger 2.0 (the legacy Okta spec's format): `generate` exits 1 with one line naming the
/// file, and `conformance` lists the file as refused (a pass: that is the intended answer),
/// whether the version is written as a string or a number, in YAML or JSON.
#[test]
fn swagger_two_is_refused_clearly_by_generate_and_conformance() {
    let dir = temp_dir("swagger2");
    let okta = dir.join("upstream/okta");
    std::fs::create_dir_all(&okta).expect("mkdir");
    std::fs::write(
        okta.join("legacy.yaml"),
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
    )
    .expect("write");
    std::fs::write(
        okta.join("legacy.json"),
        r#"{"swagger": 2.0, "info": {"title": "t", "version": "1"}, "paths": {}}"#,
    )
    .expect("write");
    for file in ["legacy.yaml", "legacy.json"] {
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
                "error: {}: Swagger 2 is not supported",
                spec.display()
            )) || stderr.starts_with(&format!(
                "error: {}: Swagger 2.0 is not supported",
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
        stdout.contains("| `okta/legacy.yaml` | | | | | refused: Swagger 2.0 is not supported"),
        "{stdout}"
    );
    assert!(stdout.contains("| `okta/legacy.json` |"), "{stdout}");
    assert!(
        stdout.contains("notice: no onelogin specs"),
        "a provider without files is a notice: {stdout}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Without the upstream folder the command says so and passes (CI without ../shared).
#[test]
fn conformance_without_upstream_specs_is_a_notice() {
    let out = xtask(&["conformance", "--upstream", "/definitely/not/here"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        stdout.starts_with("notice: /definitely/not/here not found"),
        "{stdout}"
    );
}

/// A parameter `$ref` cycle: `generate` and `api-diff` both exit 1 with one short line naming
/// the cycle's pointers (on the old resolver, a stack overflow: exit 134).
#[test]
fn parameter_ref_cycle_exits_1_with_one_short_line_in_generate_and_api_diff() {
    let dir = temp_dir("ref-cycle");
    let spec = dir.join("cycle.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      parameters:\n        - $ref: '#/components/parameters/P'\n      responses: {'204': {description: ok}}\ncomponents:\n  parameters:\n    P: {$ref: '#/components/parameters/Q'}\n    Q: {$ref: '#/components/parameters/P'}\n",
    )
    .expect("write spec");
    let spec = spec.to_string_lossy().into_owned();
    let out = dir.join("out").to_string_lossy().into_owned();
    let generate = xtask(&["generate", "--spec", &spec, "--out", &out]);
    let diff = xtask(&["api-diff", &spec, &spec]);
    for (command, output) in [("generate", generate), ("api-diff", diff)] {
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{command}: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{command}: {stderr}");
        assert!(stderr.len() < 400, "{command}: {stderr}");
        assert!(
            stderr.contains("at /paths/~1a/get/parameters/0: $ref cycle of 2 component(s): /components/parameters/P -> /components/parameters/Q -> /components/parameters/P"),
            "{command}: {stderr}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `git:<rev>` with a slash in the revision (`origin/main`, `refs/heads/x`): the revision must
/// not leak into a temporary file name, where the slash named a folder that does not exist.
#[test]
fn api_diff_reads_a_git_revision_whose_name_has_a_slash() {
    let root = root();
    if !root.join(".git").exists() {
        println!("skipped: not a git checkout");
        return;
    }
    let branch = Command::new("git")
        .arg("-C")
        .arg(&root)
        .args(["rev-parse", "--symbolic-full-name", "HEAD"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    // `refs/heads/<branch>` on a branch; `HEAD^{/.}` (the newest commit with a message, so
    // HEAD itself) when detached, as CI checkouts are
    let mut revisions = vec!["HEAD^{/.}".to_owned()];
    if branch.starts_with("refs/") {
        revisions.push(branch);
    }
    for rev in revisions {
        let out = xtask(&[
            "api-diff",
            &format!("git:{rev}"),
            &root
                .join("specs/okta-userfactor.yaml")
                .display()
                .to_string(),
            "--config",
            &root.join("specs/okta.toml").display().to_string(),
        ]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "git:{rev}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains("semver verdict:"), "git:{rev}: {stdout}");
    }
}
