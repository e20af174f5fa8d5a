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
