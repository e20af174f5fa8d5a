//! Step 4 of the pipeline: parse rendered Rust with syn (so a template bug fails loudly, naming
//! the template) and pretty-print it with prettyplease, then add the `@generated` header.
//!
//! Formatting is most of the pipeline's time (a whole Okta spec renders 9 MB of Rust), so it
//! works item by item: the renderer says where each top-level item of a file starts, every
//! chunk is formatted on its own (on all cores, largest first), and the results are joined in
//! order. prettyplease prints a file's items one after the other with no state carried between
//! them, so the joined text is the text a whole-file run prints (tested below and by
//! `regen --check`). A [`FormatCache`] can remember chunks formatted by earlier runs.

mod cache;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::error::GenError;
use crate::render::{FileKind, RenderedFile};
pub use cache::FormatCache;

/// A finished file of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the crate root, with `/` separators.
    pub path: String,
    pub text: String,
}

/// Formats files, optionally reusing chunks a [`FormatCache`] remembers.
#[derive(Debug, Default)]
pub struct Formatter {
    cache: Option<FormatCache>,
    /// Chunks formatted, and those of them the cache already held.
    chunks: usize,
    hits: usize,
}

impl Formatter {
    /// Formats everything from scratch.
    pub fn plain() -> Self {
        Self::default()
    }

    /// Reuses (and afterwards, with [`Formatter::save`], stores) formatted chunks in `file`.
    pub fn cached(file: PathBuf) -> Self {
        Self {
            cache: Some(FormatCache::open(file)),
            ..Self::default()
        }
    }

    /// With a cache: how many chunks it already held, of all chunks formatted so far.
    pub fn cache_hits(&self) -> Option<(usize, usize)> {
        self.cache.as_ref().map(|_| (self.hits, self.chunks))
    }

    /// Writes the chunks this formatter used back to its cache file (no-op without a cache).
    /// A cache that cannot be written only costs speed next time, so the caller may ignore
    /// the error after reporting it.
    pub fn save(&self) -> Result<(), GenError> {
        match &self.cache {
            Some(cache) => cache.save(),
            None => Ok(()),
        }
    }

    /// Formats every file; the result keeps the input order, so output stays deterministic.
    pub fn format_files(
        &mut self,
        files: Vec<RenderedFile>,
        header: &str,
    ) -> Result<Vec<OutputFile>, GenError> {
        let mut jobs = Vec::new();
        for (file_index, file) in files.iter().enumerate() {
            if file.kind == FileKind::Rust {
                for (chunk, range) in chunk_ranges(file).into_iter().enumerate() {
                    jobs.push(Job {
                        file_index,
                        chunk,
                        range,
                    });
                }
            }
        }
        let texts: Vec<&str> = jobs
            .iter()
            .map(|j| &files[j.file_index].text[j.range.clone()])
            .collect();
        let mut outputs: Vec<Option<String>> = match &mut self.cache {
            Some(cache) => texts
                .iter()
                .map(|t| cache.get(t).map(str::to_owned))
                .collect(),
            None => vec![None; texts.len()],
        };
        let pending: Vec<usize> = (0..jobs.len()).filter(|&i| outputs[i].is_none()).collect();
        let fresh = format_parallel(&pending, &texts);
        self.chunks += jobs.len();
        self.hits += jobs.len() - pending.len();
        for (&index, result) in pending.iter().zip(fresh) {
            let file = &files[jobs[index].file_index];
            outputs[index] = Some(result.map_err(|message| GenError::Render {
                template: file.template.to_owned(),
                message: format!("{} (item {}): {message}", file.path, jobs[index].chunk),
            })?);
        }
        if let Some(cache) = &mut self.cache {
            for &index in &pending {
                if let Some(out) = &outputs[index] {
                    cache.insert(texts[index], out.clone());
                }
            }
        }
        let mut bodies: Vec<String> = vec![String::new(); files.len()];
        for (job, out) in jobs.iter().zip(outputs) {
            bodies[job.file_index].push_str(&out.unwrap_or_default());
        }
        Ok(files
            .into_iter()
            .zip(bodies)
            .map(|(file, body)| finish(file, body, header))
            .collect())
    }
}

struct Job {
    file_index: usize,
    chunk: usize,
    range: std::ops::Range<usize>,
}

/// Byte ranges of a file's chunks: from each item start the renderer recorded to the next.
fn chunk_ranges(file: &RenderedFile) -> Vec<std::ops::Range<usize>> {
    let mut bounds = vec![0];
    for &at in &file.item_starts {
        let after_last = bounds.last().is_some_and(|&last| at > last);
        if after_last && at < file.text.len() && file.text.is_char_boundary(at) {
            bounds.push(at);
        }
    }
    bounds.push(file.text.len());
    bounds.windows(2).map(|w| w[0]..w[1]).collect()
}

/// The `@generated` header, then the formatted body (Rust) or the text as rendered.
fn finish(file: RenderedFile, body: String, header: &str) -> OutputFile {
    let text = match file.kind {
        FileKind::Rust => format!("// {header}\n\n{body}"),
        FileKind::Verbatim { source } => {
            format!("// {header}\n// Source: {source}\n\n{}", file.text)
        }
        FileKind::Text => file.text,
    };
    OutputFile {
        path: file.path,
        text,
    }
}

/// Formats `texts[i]` for every `i` in `pending` on all cores, largest first (so one big chunk
/// does not start last); results in `pending`'s order.
fn format_parallel(pending: &[usize], texts: &[&str]) -> Vec<Result<String, String>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(pending.len());
    if threads <= 1 {
        return pending.iter().map(|&i| format_chunk(texts[i])).collect();
    }
    let mut order: Vec<usize> = (0..pending.len()).collect();
    order.sort_by_key(|&k| std::cmp::Reverse(texts[pending[k]].len()));
    let results: Vec<Mutex<Option<Result<String, String>>>> =
        pending.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some(&k) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let formatted = format_chunk(texts[pending[k]]);
                    if let Ok(mut slot) = results[k].lock() {
                        *slot = Some(formatted);
                    }
                }
            });
        }
    });
    results
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .ok()
                .flatten()
                .unwrap_or_else(|| Err("a formatting thread stopped early".to_owned()))
        })
        .collect()
}

fn format_chunk(text: &str) -> Result<String, String> {
    let parsed = syn::parse_file(text).map_err(|e| format!("{e}\n{}", numbered(text)))?;
    Ok(prettyplease::unparse(&parsed))
}

fn numbered(text: &str) -> String {
    text.lines()
        .enumerate()
        .map(|(i, line)| format!("{:5} | {line}\n", i + 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rust(path: &str, text: &str, item_starts: Vec<usize>) -> RenderedFile {
        RenderedFile {
            path: path.to_owned(),
            template: "models.rs",
            text: text.to_owned(),
            kind: FileKind::Rust,
            item_starts,
        }
    }

    const SAMPLE: &str = "//! Module doc.\n/// A.\n#[derive(Debug)]\npub struct A { x : i64 }\nimpl A { pub fn new()->Self{ Self{x:1} } }\n/// B.\npub enum B { One, Two(String) }\nfn helper<T: Clone>(t:&T)->T{t.clone()}\n";

    fn starts_of(text: &str, markers: &[&str]) -> Vec<usize> {
        markers.iter().map(|m| text.find(m).unwrap()).collect()
    }

    #[test]
    fn item_by_item_prints_what_a_whole_file_run_prints() {
        let whole = Formatter::plain()
            .format_files(vec![rust("a.rs", SAMPLE, Vec::new())], "h")
            .unwrap();
        let starts = starts_of(SAMPLE, &["/// A.", "impl A", "/// B.", "fn helper"]);
        let chunked = Formatter::plain()
            .format_files(vec![rust("a.rs", SAMPLE, starts)], "h")
            .unwrap();
        assert_eq!(whole, chunked);
        assert!(whole[0]
            .text
            .starts_with("// h\n\n//! Module doc.\n/// A.\n"));
        assert!(whole[0].text.contains("pub struct A {\n    x: i64,\n}\n"));
    }

    #[test]
    fn unusable_item_starts_fall_back_to_larger_chunks() {
        let text = SAMPLE.replace("Module doc.", "Modulé doc.");
        let expected = Formatter::plain()
            .format_files(vec![rust("a.rs", &text, Vec::new())], "h")
            .unwrap();
        let inside_e = text.find('é').unwrap() + 1;
        let b = text.find("/// B.").unwrap();
        // inside a multi-byte character, out of order, past the end: each is skipped
        for odd in [vec![inside_e, b], vec![b, 3], vec![b, text.len() + 10]] {
            let got = Formatter::plain()
                .format_files(vec![rust("a.rs", &text, odd.clone())], "h")
                .unwrap();
            assert_eq!(got, expected, "{odd:?}");
        }
    }

    #[test]
    fn a_warm_cache_gives_the_same_files_and_counts_its_hits() {
        let dir = std::env::temp_dir().join(format!("mfa-formatter-{}", std::process::id()));
        let file = dir.join("cache");
        let _ = std::fs::remove_file(&file);
        let starts = starts_of(SAMPLE, &["/// A.", "/// B."]);
        let files = || {
            vec![
                rust("a.rs", SAMPLE, starts.clone()),
                rust("b.rs", "fn  b ( ) { }", Vec::new()),
            ]
        };
        let plain = Formatter::plain().format_files(files(), "h").unwrap();

        let mut first = Formatter::cached(file.clone());
        assert_eq!(first.format_files(files(), "h").unwrap(), plain);
        assert_eq!(first.cache_hits(), Some((0, 4)));
        first.save().unwrap();

        let mut second = Formatter::cached(file.clone());
        assert_eq!(second.format_files(files(), "h").unwrap(), plain);
        assert_eq!(second.cache_hits(), Some((4, 4)));

        // one item changed: only it is formatted again
        let changed = SAMPLE.replace("One, Two(String)", "One, Three");
        let mut third = Formatter::cached(file);
        let out = third
            .format_files(
                vec![rust(
                    "a.rs",
                    &changed,
                    starts_of(&changed, &["/// A.", "/// B."]),
                )],
                "h",
            )
            .unwrap();
        assert_eq!(third.cache_hits(), Some((2, 3)));
        assert!(out[0]
            .text
            .contains("pub enum B {\n    One,\n    Three,\n}"));
        assert_eq!(Formatter::plain().cache_hits(), None);
    }

    #[test]
    fn a_template_bug_names_the_template_file_and_line() {
        let text = "/// ok\npub struct A;\n/// broken\npub struct B {\n";
        let err = Formatter::plain()
            .format_files(
                vec![rust(
                    "src/x/models.rs",
                    text,
                    starts_of(text, &["/// broken"]),
                )],
                "h",
            )
            .unwrap_err()
            .to_string();
        assert!(err.contains("models.rs"), "{err}");
        assert!(err.contains("src/x/models.rs (item 1)"), "{err}");
        assert!(err.contains("pub struct B {"), "{err}");
    }

    #[test]
    fn verbatim_and_text_files_are_not_formatted() {
        let verbatim = RenderedFile {
            path: "src/runtime/x.rs".into(),
            template: "runtime",
            text: "fn  kept ( ) {}\n".into(),
            kind: FileKind::Verbatim {
                source: "templates/runtime/x.rs".into(),
            },
            item_starts: Vec::new(),
        };
        let text = RenderedFile {
            kind: FileKind::Text,
            path: "API.md".into(),
            text: "as is".into(),
            ..verbatim.clone()
        };
        let out = Formatter::plain()
            .format_files(vec![verbatim, text], "h")
            .unwrap();
        assert_eq!(
            out[0].text,
            "// h\n// Source: templates/runtime/x.rs\n\nfn  kept ( ) {}\n"
        );
        assert_eq!(out[1].text, "as is");
    }
}
