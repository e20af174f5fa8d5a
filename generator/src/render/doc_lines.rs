//! Spec prose as doc comment lines that rustdoc renders and never compiles.

use super::escape::{self, DocLine};

/// Doc comment lines (`/// text`) for prose, with bare code fences marked `text` so rustdoc
/// does not compile vendor JSON as Rust doctests.
/// Every line break (CR, CRLF, U+2028 ...) splits a line; other control and bidi characters
/// show as escapes (`escape::doc_line`).
pub(super) fn doc_lines(prefix: &str, text: &str) -> Vec<DocLine> {
    let mut out = Vec::new();
    // the open fence (its character and length), so only a matching line closes it
    let mut fence: Option<(char, usize)> = None;
    // the column an open indented code block's lines start at (see below)
    let mut indented: Option<usize> = None;
    // Vendor prose continues list items and block quotes lazily (Okta: `* <x-lifecycle ..>`,
    // then the sentence on the next line, unindented; `> **Note:** ...` then a plain line).
    // Markdown reads such a line as part of the item or quote either way; saying so
    // explicitly (indent it, or repeat the `>`) keeps the rendering and is what clippy's
    // `doc_lazy_continuation` asks of doc comments.
    let mut list_item: Option<usize> = None; // content column of the open list item
    let mut quote: Option<usize> = None; // indentation of the open block quote
    let mut after_blank = false;
    for line in escape::prose_lines(text.trim()) {
        let line = line.trim_end();
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        // rustdoc compiles an indented code block as a Rust doctest too: vendor text in one
        // is fenced as `text` (it renders the same)
        if let Some(column) = indented {
            if line.is_empty() || indent >= column {
                out.push(escape::doc_line(prefix, line));
                continue;
            }
            out.push(escape::doc_line(
                prefix,
                &format!("{}```", " ".repeat(column - 4)),
            ));
            indented = None;
        }
        let base = match list_item {
            Some(width) if !(after_blank && indent < width) => width,
            _ => 0,
        };
        if fence.is_none() && quote.is_none() && after_blank && indent >= base + 4 {
            out.push(escape::doc_line(
                prefix,
                &format!("{}```text", " ".repeat(base)),
            ));
            out.push(escape::doc_line(prefix, line));
            indented = Some(base + 4);
            continue;
        }
        let line = if let Some((ch, len)) = fence_of(trimmed) {
            match fence {
                Some((open, open_len)) if open == ch && len >= open_len => {
                    fence = None;
                    trimmed.to_owned()
                }
                Some(_) => line.to_owned(),
                None => {
                    fence = Some((ch, len));
                    (list_item, quote) = (None, None);
                    if compiled_by_rustdoc(&trimmed[len..]) {
                        format!("{}text", &trimmed[..len])
                    } else {
                        trimmed.to_owned()
                    }
                }
            }
        } else if fence.is_some() {
            line.to_owned()
        } else if line.is_empty() {
            quote = None;
            line.to_owned()
        } else if trimmed.starts_with('>') {
            quote = Some(indent);
            quote_without_code(line)
        } else if let Some(quote_indent) = quote {
            format!("{}> {trimmed}", " ".repeat(quote_indent))
        } else if let Some(width) = list_marker_width(trimmed) {
            list_item = Some(indent + width);
            line.to_owned()
        } else {
            match list_item {
                // after a blank line, a less indented paragraph ends the list
                Some(width) if after_blank && indent < width => {
                    list_item = None;
                    line.to_owned()
                }
                Some(width) if indent < width => format!("{}{trimmed}", " ".repeat(width)),
                _ => line.to_owned(),
            }
        };
        after_blank = line.is_empty();
        out.push(escape::doc_line(prefix, &line));
    }
    if let Some(column) = indented {
        out.push(escape::doc_line(
            prefix,
            &format!("{}```", " ".repeat(column - 4)),
        ));
    }
    if let Some((ch, len)) = fence {
        out.push(escape::doc_line(prefix, &ch.to_string().repeat(len)));
    }
    out
}

/// The fence character and length when `line` opens or closes a Markdown code fence.
fn fence_of(line: &str) -> Option<(char, usize)> {
    let ch = line.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let len = line.chars().take_while(|&c| c == ch).count();
    (len >= 3).then_some((ch, len))
}

/// Whether rustdoc compiles a fenced block with this info string: when every word is one of
/// its attributes (an empty string included), e.g. ```` ```no_run ````; ```` ```json ```` is
/// not compiled.
fn compiled_by_rustdoc(info: &str) -> bool {
    info.split([',', ' ', '\t'])
        .map(|w| w.trim_matches(['{', '}', '.']))
        .filter(|w| !w.is_empty())
        .all(|w| {
            matches!(
                w,
                "rust"
                    | "no_run"
                    | "ignore"
                    | "should_panic"
                    | "compile_fail"
                    | "test_harness"
                    | "standalone_crate"
            ) || w.starts_with("edition")
                || w.starts_with("ignore-")
        })
}

/// A block quote line whose content is not indented enough to be a code block (which
/// rustdoc would compile): `>     x` becomes `> x`.
fn quote_without_code(line: &str) -> String {
    let markers = line
        .char_indices()
        .take_while(|(_, c)| *c == '>' || *c == ' ')
        .last()
        .map_or(0, |(at, c)| at + c.len_utf8());
    let (head, content) = line.split_at(markers);
    let spaces = head.len() - head.trim_end().len();
    if spaces > 4 && !content.is_empty() {
        format!("{} {content}", head.trim_end())
    } else {
        line.to_owned()
    }
}

/// The width of a Markdown list marker and its space at the start of `line` (`* `, `- `,
/// `+ `, `12. `), or `None` when the line is not a list item.
fn list_marker_width(line: &str) -> Option<usize> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let marker = if digits > 0 {
        line[digits..]
            .starts_with(['.', ')'])
            .then_some(digits + 1)?
    } else {
        line.starts_with(['*', '-', '+']).then_some(1)?
    };
    line[marker..].starts_with(' ').then_some(marker + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lazy_list_continuations_are_indented() {
        let text = "Intro\n* <x-lifecycle class=\"oie\"></x-lifecycle>\nFor Custom TOTP enrollment.\n\nAfter the list.\n1. first\nmore\n   already indented\n- a\n- b\n```\n* not a list\ncode\n```\n  * item\n\n    second paragraph\nlazy\n> **Note:** quoted\nlazy quote\n\nplain";
        assert_eq!(
            doc_lines("///", text)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            [
                "/// Intro",
                "/// * <x-lifecycle class=\"oie\"></x-lifecycle>",
                "///   For Custom TOTP enrollment.",
                "///",
                "/// After the list.",
                "/// 1. first",
                "///    more",
                "///    already indented",
                "/// - a",
                "/// - b",
                "/// ```text",
                "/// * not a list",
                "/// code",
                "/// ```",
                "///   * item",
                "///",
                "///     second paragraph",
                "///     lazy",
                "/// > **Note:** quoted",
                "/// > lazy quote",
                "///",
                "/// plain",
            ]
        );
    }

    /// rustdoc compiles these as doctests; vendor text in them must not be
    #[test]
    fn vendor_code_blocks_are_never_doctests() {
        let text = "Intro\n\n    fn a() {}\n\n    fn b() {}\nafter\n```no_run\nfn c() {}\n```\n~~~rust,ignore\nfn d() {}\n~~~\n```json\n{}\n```\n> quote\n>\n>      fn e() {}\n\n~~~~\nopen";
        let lines: Vec<String> = doc_lines("///", text)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            lines,
            [
                "/// Intro",
                "///",
                "/// ```text",
                "///     fn a() {}",
                "///",
                "///     fn b() {}",
                "/// ```",
                "/// after",
                "/// ```text",
                "/// fn c() {}",
                "/// ```",
                "/// ~~~text",
                "/// fn d() {}",
                "/// ~~~",
                "/// ```json",
                "/// {}",
                "/// ```",
                "/// > quote",
                "/// >",
                "/// > fn e() {}",
                "///",
                "/// ~~~~text",
                "/// open",
                "/// ~~~~",
            ]
        );
    }

    #[test]
    fn list_markers() {
        assert_eq!(list_marker_width("* x"), Some(2));
        assert_eq!(list_marker_width("12. x"), Some(4));
        assert_eq!(list_marker_width("*emphasis*"), None);
        assert_eq!(list_marker_width("2026.04.0 release"), None);
        assert_eq!(list_marker_width("-"), None);
    }
}
