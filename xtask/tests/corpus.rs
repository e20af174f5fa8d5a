//! `cargo xtask corpus`: the printed rows, the skip notice, and the exit code when a spec
//! fails that is not an expected failure (a listed spec that passes: a unit test of
//! `corpus::expected`).

#[path = "support/run.rs"]
mod run;

use run::{root, temp_dir, xtask};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn one_small_spec_generates_compiles_and_prints_its_row() {
    if !root().join("../shared/openapi-corpus/corpus.tsv").is_file() {
        eprintln!("notice: ../shared/openapi-corpus absent; corpus row test skipped");
        return;
    }
    // a 3.1 spec with only a webhook: no operations, which used to leave a dead method
    let out = xtask(&[
        "corpus",
        "--only",
        "oai-examples-3.1/webhook-example.yaml",
        "--markdown",
    ]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains(
            "| `oai-examples-3.1/webhook-example.yaml` | 3.1.0 | 0/0 | yes | yes | 0 | Conversion 1 |"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("| **total: 1 specs** | | | 1 | 1 | 0 |"),
        "{stdout}"
    );
    // the progress line, as the spec finishes
    assert!(
        stderr.contains("corpus: [1/1] oai-examples-3.1/webhook-example.yaml | 3.1.0 | ops 0/0 | generated yes | compiled yes | untyped 0"),
        "{stderr}"
    );
}

#[test]
fn a_missing_corpus_is_a_notice() {
    let out = xtask(&["corpus", "--corpus", "/nonexistent/openapi-corpus"]);
    assert!(out.status.success());
    assert!(
        text(&out.stdout).contains("notice:"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn an_unexpected_failure_fails_the_run() {
    let corpus = temp_dir("corpus");
    std::fs::create_dir_all(&corpus).expect("mkdir");
    std::fs::write(
        corpus.join("fine.yaml"),
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses: {'204': {description: ok}}\n",
    )
    .expect("spec");
    // not listed, and refused: an OpenAPI version the generator does not read
    std::fs::write(
        corpus.join("broken.yaml"),
        "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
    )
    .expect("spec");
    std::fs::write(
        corpus.join("corpus.tsv"),
        "file\tversion\toperations\tbytes\nfine.yaml\t3.0.3\t1\t0\nbroken.yaml\t4.0.0\t0\t0\n",
    )
    .expect("tsv");
    let dir = corpus.to_string_lossy().into_owned();
    let out = xtask(&["corpus", "--corpus", &dir, "--no-check"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(!out.status.success(), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("broken.yaml fails and is not an expected failure"),
        "{stderr}"
    );
    assert!(!stderr.contains("fine.yaml fails"), "{stderr}");
    assert!(
        stdout.contains("broken.yaml | 4.0.0 | ops -/0 | generated no: broken.yaml: at /openapi: unsupported OpenAPI version"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&corpus);
}
