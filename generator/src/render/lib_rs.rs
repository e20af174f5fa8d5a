//! The generated crate's `src/lib.rs`: crate docs (the guide) and one module per provider.

use askama::Template;

use super::doc_lines::doc_lines;
use super::escape::{self, DocLine};
use super::{render_err, CrateInput, FileKind, RenderedFile};
use crate::error::GenError;

struct ProviderEntry<'a> {
    module: &'a str,
}

#[derive(Template)]
#[template(path = "lib.rs")]
struct LibRs<'a> {
    doc: Vec<DocLine>,
    providers: Vec<ProviderEntry<'a>>,
}

pub(super) fn lib_rs(input: &CrateInput<'_>) -> Result<RenderedFile, GenError> {
    let mut text = format!(
        "{}\n\nProviders, each behind a Cargo feature of the same name:\n",
        input.config.package.description
    );
    for api in input.apis {
        text.push_str(&format!(
            "\n- [`{}`]: {} ({} operations, spec {} {}).",
            api.module,
            api.title,
            api.operations.len(),
            api.spec_title,
            api.spec_version
        ));
    }
    let view = LibRs {
        doc: {
            // The guide is the project's own text: its code blocks stay doctests (vendor prose
            // goes through `doc_lines`, which turns bare fences into `text`).
            let mut lines = doc_lines("//!", &text);
            if !input.config.guide_text.trim().is_empty() {
                lines.push(escape::doc_line("//!", ""));
                lines.extend(
                    escape::prose_lines(input.config.guide_text.trim_end())
                        .iter()
                        .map(|line| escape::doc_line("//!", line)),
                );
            }
            lines
        },
        providers: input
            .apis
            .iter()
            .map(|a| ProviderEntry { module: &a.module })
            .collect(),
    };
    Ok(RenderedFile::whole(
        "src/lib.rs".into(),
        "lib.rs",
        view.render().map_err(render_err("lib.rs"))?,
        FileKind::Rust,
    ))
}
