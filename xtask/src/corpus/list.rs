//! Which specs a run reads: the rows of the corpus's `corpus.tsv`, narrowed by `--only` and
//! `--subset`.

use std::path::Path;

use mfa_codegen::GenError;

/// One line of corpus.tsv: `file  version  operations  bytes`.
pub(super) struct Entry {
    pub file: String,
    pub version: String,
    pub operations: usize,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Subset {
    /// A handful of small specs covering Swagger 2.0, OpenAPI 3.0 and 3.1 (for CI).
    Fast,
}

/// The fast subset: small files that together cover the three input versions, a spec with no
/// operations, object unions and polymorphism; about two minutes cold on two cores.
const FAST: &[&str] = &[
    "oai-examples-2.0/petstore.yaml",
    "oai-examples-2.0/uber.yaml",
    "swagger-parser/oneof-anyof.yaml",
    "readmeio-oas-examples-3.0/polymorphism.yaml",
    "oai-examples-3.1/webhook-example.yaml",
    "oai-learn-3.1/tictactoe.yaml",
    "museum/openapi.yaml",
];

pub(super) fn read(index: &Path) -> Result<Vec<Entry>, GenError> {
    let text = std::fs::read_to_string(index).map_err(|e| GenError::io(index, e))?;
    Ok(text
        .lines()
        .skip(1) // the header
        .filter_map(|line| {
            let mut cells = line.split('\t');
            let file = cells.next()?.trim();
            let version = cells.next()?.trim();
            let operations = cells.next()?.trim().parse().ok()?;
            (!file.is_empty()).then(|| Entry {
                file: file.to_owned(),
                version: version.to_owned(),
                operations,
            })
        })
        .collect())
}

pub(super) fn choose<'a>(
    entries: &'a [Entry],
    only: &[String],
    subset: Option<Subset>,
) -> Vec<&'a Entry> {
    entries
        .iter()
        .filter(|e| match subset {
            Some(Subset::Fast) => FAST.contains(&e.file.as_str()),
            None => true,
        })
        .filter(|e| only.is_empty() || only.iter().any(|o| e.file.contains(o.as_str())))
        .collect()
}

/// The crate folder of a spec: its path with separators and dots made `_`.
pub(super) fn slug(file: &str) -> String {
    file.replace(['/', '.', '-'], "_")
}
