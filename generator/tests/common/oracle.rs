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
    let parsed = match syn::parse_file(&text) {
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
    for code in doctest_blocks(&parsed) {
        match syn::parse_file(&code) {
            Ok(block) => {
                let mut idents = Vec::new();
                marker_idents(block.to_token_stream(), &mut idents);
                for context in idents {
                    found.push(format!("{}: marker in doctest code: {context}", path));
                }
            }
            Err(e) => found.push(format!("{}: doctest does not parse: {e}\n{code}", path)),
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
pub fn doctest_blocks(file: &syn::File) -> Vec<String> {
    let mut docs = Vec::new();
    collect_docs(file.to_token_stream(), &mut docs);
    let mut blocks = Vec::new();
    for doc in docs {
        // `Some(Some(code))`: in a compiled block; `Some(None)`: in another fence
        let mut fence: Option<Option<String>> = None;
        for line in doc.lines() {
            let line = line.strip_prefix(' ').unwrap_or(line);
            if let Some(lang) = line.trim_start().strip_prefix("```") {
                match fence.take() {
                    Some(Some(code)) => blocks.push(code),
                    Some(None) => {}
                    None => {
                        let compiled = lang.split(',').map(str::trim).all(|w| {
                            matches!(w, "" | "rust" | "no_run" | "should_panic" | "edition2021")
                        });
                        fence = Some(compiled.then(String::new));
                    }
                }
            } else if let Some(Some(code)) = &mut fence {
                let line = if line == "#" {
                    ""
                } else {
                    line.strip_prefix("# ").unwrap_or(line)
                };
                code.push_str(line);
                code.push('\n');
            }
        }
    }
    blocks
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
