//! Step 3 of the pipeline: IR -> Rust source text through the askama templates in
//! `templates/`. The views built here only shape IR data for layout (doc lines, argument
//! lists, string literals); no naming or typing decision is made in this module. Spec text
//! reaches a view only through `escape` (see there for why a template cannot forget).
//!
//! One submodule per output kind: `cargo_toml`, `lib_rs`, `runtime_copy` (the verbatim
//! runtime), `provider` (a provider's `mod.rs`, which calls `operations` for `builders.rs`,
//! `models` for `models.rs` and `mock` for `mock.rs`), `api_md`; `doc_lines` and `examples`
//! write doc comments.

mod api_md;
mod cargo_toml;
mod doc_lines;
pub mod escape;
mod examples;
mod gates;
mod lib_rs;
mod mock;
mod models;
mod operations;
mod provider;
mod readme;
mod runtime_copy;

pub use runtime_copy::sources as runtime_sources;

use crate::config::CrateConfig;
use crate::error::GenError;
use crate::ir::Api;

/// One rendered (not yet formatted) file of the generated crate, path relative to its root.
#[derive(Debug, Clone)]
pub struct RenderedFile {
    pub path: String,
    pub template: &'static str,
    pub text: String,
    pub kind: FileKind,
    /// Byte offsets in `text` where top-level items start, so the formatter can work item by
    /// item (empty: the file is one chunk).
    pub item_starts: Vec<usize>,
}

impl RenderedFile {
    /// A file formatted (if Rust) as one chunk.
    pub(crate) fn whole(
        path: String,
        template: &'static str,
        text: String,
        kind: FileKind,
    ) -> Self {
        Self {
            path,
            template,
            text,
            kind,
            item_starts: Vec::new(),
        }
    }

    /// A Rust file whose template placed `items` into `text` in order; records where each
    /// starts, so formatting can split the file there.
    pub(crate) fn rust_items(
        path: String,
        template: &'static str,
        text: String,
        items: &[String],
    ) -> Self {
        let mut item_starts = Vec::with_capacity(items.len());
        let mut from = 0;
        for item in items {
            let Some(at) = find_from(&text, item, from) else {
                break;
            };
            item_starts.push(at);
            from = at + item.len();
        }
        Self {
            path,
            template,
            text,
            kind: FileKind::Rust,
            item_starts,
        }
    }
}

/// Where `needle` next occurs in `text` at or after `from`. Searches for a short prefix and
/// compares the rest: a searcher over a whole multi-kilobyte item costs more to set up than
/// the search itself, and the item is almost always right where the search starts.
fn find_from(text: &str, needle: &str, mut from: usize) -> Option<usize> {
    let mut prefix_len = needle.len().min(64);
    while !needle.is_char_boundary(prefix_len) {
        prefix_len -= 1;
    }
    let prefix = &needle[..prefix_len];
    loop {
        let at = from + text.get(from..)?.find(prefix)?;
        if text[at..].starts_with(needle) {
            return Some(at);
        }
        from = at + text[at..].chars().next().map_or(1, char::len_utf8);
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    /// Rust produced by templates: parsed and pretty-printed.
    Rust,
    /// Hand-written Rust (runtime, extensions), copied verbatim; `source` names the original.
    Verbatim { source: String },
    /// Cargo.toml and other text.
    Text,
}

pub struct CrateInput<'a> {
    pub config: &'a CrateConfig,
    pub apis: &'a [Api],
    /// Written outside this workspace: the crate is its own workspace root.
    pub standalone: bool,
    /// The command that regenerates the crate, named in each file's header.
    pub command: &'a str,
}

pub fn render_crate(input: &CrateInput<'_>) -> Result<Vec<RenderedFile>, GenError> {
    let mut files = vec![cargo_toml::cargo_toml(input)?, lib_rs::lib_rs(input)?];
    files.extend(runtime_copy::runtime_files());
    for api in input.apis {
        files.extend(provider::render_provider(
            api,
            &input.config.package.name.replace('-', "_"),
        )?);
    }
    files.push(api_md::api_md(input));
    files.push(readme::readme(input));
    Ok(files)
}

fn render_err(template: &'static str) -> impl Fn(askama::Error) -> GenError {
    move |e| GenError::Render {
        template: template.to_owned(),
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_found_in_order_past_lookalike_prefixes() {
        let long = format!("/// é{}\nstruct A;", "x".repeat(80));
        let decoy = format!("/// é{}\nstruct B;", "x".repeat(80));
        let text = format!("//! head\n{decoy}\n{long}\n{long}\ntail");
        let first = find_from(&text, &long, 0).unwrap();
        assert_eq!(&text[first..first + long.len()], long);
        assert!(first > text.find(&decoy).unwrap());
        let second = find_from(&text, &long, first + long.len()).unwrap();
        assert!(second > first);
        assert_eq!(find_from(&text, &long, second + 1), None);
        assert_eq!(find_from(&text, "", 3), Some(3));
        let file = RenderedFile::rust_items(
            "x.rs".into(),
            "t",
            text.clone(),
            &[
                decoy.clone(),
                long.clone(),
                long.clone(),
                "missing".into(),
                "tail".into(),
            ],
        );
        // stops at the first item it cannot place: later starts would be guesses
        assert_eq!(
            file.item_starts,
            vec![text.find(&decoy).unwrap(), first, second]
        );
    }
}
