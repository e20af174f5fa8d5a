//! The injection oracle shared by the hostile-spec and fuzz tests: spec text placed a marker
//! identifier after an escape attempt; no output may hold it anywhere but in data (a string
//! literal, a doc comment, a TOML string, a Markdown code span or block).

use std::collections::BTreeSet;

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;

pub const MARKER: &str = "INJECTED_MARKER";

/// What is wrong with one generated Rust file: it does not parse, holds a character rustc
/// refuses, or has the marker as an identifier (outside literals, or in doctest code).
pub fn rust_breaches(path: &str, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    // rustc refuses these anywhere in source, comments included
    let refused = |c: char| matches!(c, '\r' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if let Some(at) = text.find(refused) {
        found.push(format!("{}: raw CR or bidi control at byte {at}", path));
    }
    let parsed = match syn::parse_file(text) {
        Ok(parsed) => parsed,
        Err(e) => {
            found.push(format!("{}: does not parse: {e}", path));
            return found;
        }
    };
    let mut idents = Vec::new();
    marker_idents(parsed.to_token_stream(), &mut idents);
    for context in idents {
        found.push(format!("{}: live marker identifier: {context}", path));
    }
    for block in doctest_blocks(&parsed) {
        let code = match block {
            Block::Indented(code) => {
                if code.contains(MARKER) {
                    found.push(format!(
                        "{path}: marker in an indented (doctest) block:\n{code}"
                    ));
                }
                continue;
            }
            Block::Fenced(code) => code,
        };
        match syn::parse_file(&code) {
            Ok(block) => {
                let mut idents = Vec::new();
                marker_idents(block.to_token_stream(), &mut idents);
                for context in idents {
                    found.push(format!("{path}: marker in doctest code: {context}"));
                }
            }
            Err(e) => found.push(format!("{path}: doctest does not parse: {e}\n{code}")),
        }
    }
    found
}

/// Identifiers (outside literals) that contain the marker, with the tokens around them.
pub fn marker_idents(tokens: TokenStream, out: &mut Vec<String>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Group(group) => marker_idents(group.stream(), out),
            TokenTree::Ident(ident) if ident.to_string().contains(MARKER) => {
                let context: Vec<String> = tokens[i.saturating_sub(3)..(i + 2).min(tokens.len())]
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                out.push(context.join(" "));
            }
            _ => {}
        }
    }
}

/// The Rust code of doc-comment code blocks rustdoc would compile (no language, `rust`,
/// `no_run`, `should_panic`, ...), with rustdoc's `# ` hidden-line prefix removed; each item's
/// docs on their own, as rustdoc reads them.
pub fn doctest_blocks(file: &syn::File) -> Vec<Block> {
    let mut docs = Vec::new();
    collect_docs(file.to_token_stream(), &mut docs);
    let mut blocks = Vec::new();
    for doc in docs {
        // the open fence (char, length) and, when rustdoc compiles it, the code so far
        let mut fence: Option<(char, usize, Option<String>)> = None;
        let mut indented: Option<String> = None;
        let mut after_blank = true;
        for line in doc.lines() {
            let line = line.strip_prefix(' ').unwrap_or(line);
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            if fence.is_none() {
                if let Some(code) = &mut indented {
                    if trimmed.is_empty() || indent >= 4 {
                        code.push_str(line);
                        code.push('\n');
                        continue;
                    }
                    blocks.push(Block::Indented(std::mem::take(code)));
                    indented = None;
                }
                if after_blank && indent >= 4 {
                    indented = Some(format!("{line}\n"));
                    continue;
                }
            }
            after_blank = trimmed.is_empty();
            let run = |ch: char| trimmed.chars().take_while(|&c| c == ch).count();
            let opener = ['`', '~']
                .into_iter()
                .map(|c| (c, run(c)))
                .find(|(_, n)| *n >= 3);
            match (&mut fence, opener) {
                (Some((ch, len, code)), Some((c, n))) if *ch == c && n >= *len => {
                    if let Some(code) = code.take() {
                        blocks.push(Block::Fenced(code));
                    }
                    fence = None;
                }
                (Some((_, _, Some(code))), _) => {
                    let line = if line == "#" {
                        ""
                    } else {
                        line.strip_prefix("# ").unwrap_or(line)
                    };
                    code.push_str(line);
                    code.push('\n');
                }
                (Some(_), _) => {}
                (None, Some((c, n))) => {
                    let compiled = trimmed[n..]
                        .split([',', ' '])
                        .map(|w| w.trim_matches(['{', '}', '.']))
                        .filter(|w| !w.is_empty())
                        .all(|w| {
                            matches!(w, "rust" | "no_run" | "should_panic" | "compile_fail")
                                || w.starts_with("edition")
                        });
                    fence = Some((c, n, compiled.then(String::new)));
                }
                (None, None) => {}
            }
        }
        if let Some(code) = indented {
            blocks.push(Block::Indented(code));
        }
    }
    blocks
}

/// A code block rustdoc compiles as a doctest.
pub enum Block {
    /// Fenced with no language, `rust`, `no_run`, ...: parsed and checked token by token.
    Fenced(String),
    /// Indented by four spaces: any marker in it is a breach (it need not parse to be run).
    Indented(String),
}

/// The text of each run of consecutive `#[doc = "..."]` attributes (one item's docs).
pub fn collect_docs(tokens: TokenStream, out: &mut Vec<String>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut Vec<String>| {
        if !run.is_empty() {
            out.push(std::mem::take(run));
        }
    };
    let mut i = 0;
    while i < tokens.len() {
        if let TokenTree::Punct(hash) = &tokens[i] {
            if hash.as_char() == '#' {
                let mut j = i + 1;
                if matches!(tokens.get(j), Some(TokenTree::Punct(p)) if p.as_char() == '!') {
                    j += 1;
                }
                if let Some(TokenTree::Group(group)) = tokens.get(j) {
                    if let Some(text) = doc_attribute(group.stream()) {
                        run.push_str(&text);
                        run.push('\n');
                        i = j + 1;
                        continue;
                    }
                }
            }
        }
        flush(&mut run, out);
        if let TokenTree::Group(group) = &tokens[i] {
            collect_docs(group.stream(), out);
        }
        i += 1;
    }
    flush(&mut run, out);
}

/// `doc = "text"` inside an attribute's brackets: the text.
pub fn doc_attribute(tokens: TokenStream) -> Option<String> {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    match tokens.as_slice() {
        [TokenTree::Ident(name), TokenTree::Punct(eq), TokenTree::Literal(lit)]
            if name == "doc" && eq.as_char() == '=' =>
        {
            syn::parse_str::<syn::LitStr>(&lit.to_string())
                .ok()
                .map(|l| l.value())
        }
        _ => None,
    }
}

/// Every key path of a TOML table (`package.name`, `features.default`, ...).
pub fn key_paths(table: &toml::Table, prefix: &str, out: &mut BTreeSet<String>) {
    for (key, value) in table {
        let path = format!("{prefix}{key:?}");
        if let toml::Value::Table(inner) = value {
            key_paths(inner, &format!("{path}."), out);
        }
        out.insert(path);
    }
}

/// Lines of Markdown `text` that spec text turned into structure: a line starting with the
/// marker, or a fence the generator did not write (`allowed`).
pub fn markdown_breaches(text: &str, allowed: &[&str]) -> Vec<String> {
    text.lines()
        .filter(|line| {
            let trimmed = line.trim_start();
            trimmed.starts_with(MARKER)
                || ((trimmed.starts_with("```") || trimmed.starts_with("~~~"))
                    && !allowed.contains(line))
        })
        .map(str::to_owned)
        .collect()
}
