//! Step 4 of the pipeline: parse rendered Rust with syn (so a template bug fails loudly, naming
//! the template) and pretty-print it with prettyplease, then add the `@generated` header.

use crate::error::GenError;
use crate::render::{FileKind, RenderedFile};

/// A finished file of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the crate root, with `/` separators.
    pub path: String,
    pub text: String,
}

/// Formats every file, on as many threads as the machine has (formatting is most of the
/// pipeline's time on a large spec); the result keeps the input order, so output stays
/// deterministic.
pub fn format_files(files: Vec<RenderedFile>, header: &str) -> Result<Vec<OutputFile>, GenError> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(files.len());
    if threads <= 1 {
        return files.into_iter().map(|f| format_file(f, header)).collect();
    }
    // largest first, so one big file does not start last
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(files[i].text.len()));
    let slots: Vec<Mutex<Option<RenderedFile>>> =
        files.into_iter().map(|f| Mutex::new(Some(f))).collect();
    let results: Vec<Mutex<Option<Result<OutputFile, GenError>>>> =
        slots.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some(&index) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let file = slots[index].lock().ok().and_then(|mut slot| slot.take());
                    if let (Some(file), Ok(mut out)) = (file, results[index].lock()) {
                        *out = Some(format_file(file, header));
                    }
                }
            });
        }
    });
    results
        .into_iter()
        .map(|slot| {
            slot.into_inner().ok().flatten().unwrap_or_else(|| {
                Err(GenError::Render {
                    template: "format".to_owned(),
                    message: "a formatting thread stopped early".to_owned(),
                })
            })
        })
        .collect()
}

pub fn format_file(file: RenderedFile, header: &str) -> Result<OutputFile, GenError> {
    let text = match file.kind {
        FileKind::Rust => {
            let parsed = syn::parse_file(&file.text).map_err(|e| GenError::Render {
                template: file.template.to_owned(),
                message: format!("{e}\n{}", numbered(&file.text)),
            })?;
            format!("// {header}\n\n{}", prettyplease::unparse(&parsed))
        }
        FileKind::Verbatim { source } => {
            format!("// {header}\n// Source: {source}\n\n{}", file.text)
        }
        FileKind::Text => file.text,
    };
    Ok(OutputFile {
        path: file.path,
        text,
    })
}

fn numbered(text: &str) -> String {
    text.lines()
        .enumerate()
        .map(|(i, line)| format!("{:5} | {line}\n", i + 1))
        .collect()
}
