//! The one place spec, config and file-name text is made safe for the output it lands in.
//!
//! Two layers, so that a template cannot forget:
//!
//! - Typed values. Each output context has a type whose only constructors are here: a doc
//!   comment line ([`DocLine`]), inline doc text ([`DocText`]), a Rust string literal
//!   ([`RustStr`]), Rust code assembled from those ([`RustCode`]), a TOML string or key
//!   ([`TomlStr`], [`TomlKey`]). They are `askama::filters::Safe` wrappers around types with
//!   private fields, so a view field of one of these types cannot be filled with raw text
//!   (a type error), and the template prints it as is.
//! - Default escaping. The templates are rendered with the escapers below (configured per file
//!   extension in `generator/askama.toml`), not with `escape = "none"`. Any other value a
//!   template prints (an IR string the view forgot to type) is escaped: it can neither end a
//!   line (so not a `///` comment) nor a string literal, and a bidi control shows as
//!   `\u{202e}` text. Opting out takes a visible `|safe`, used only for code this module or a
//!   template produced.
//!
//! Markdown outputs (API.md, the changelog) use [`md_code_span`], [`md_code_line`] and
//! [`md_inline`].

use std::fmt::{self, Write as _};

use askama::filters::Safe;

/// A character that must not appear raw in a one-line context: it ends the line (so a `///`
/// comment), is rejected by rustc in source or comments (bare CR, bidi controls), or is
/// invisible in review.
fn is_hazard(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' // line / paragraph separators
            | '\u{200e}' | '\u{200f}' | '\u{061c}' // directional marks
            | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' // embeddings, isolates
            | '\u{feff}' // byte order mark / zero-width no-break space
        )
}

/// Characters that end a line of text, for prose that keeps its lines.
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// `text` with every hazard written as a visible Rust-style escape (`\u{202e}`): one line.
pub(crate) fn visible(text: &str) -> String {
    if !text.chars().any(is_hazard) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_hazard(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Prose split into lines at every kind of line break (CRLF, lone CR, U+2028 ...), each line
/// with its remaining hazards made visible.
/// Like `str::lines`, no line for the end of the text.
pub fn prose_lines(text: &str) -> Vec<String> {
    let normalized = text.replace("\r\n", "\n");
    let mut lines: Vec<String> = normalized.split(is_line_break).map(visible).collect();
    if normalized.ends_with(is_line_break) || normalized.is_empty() {
        lines.pop();
    }
    lines
}

/// Prose on one line: whitespace runs (line breaks included) become one space.
pub fn one_line(text: &str) -> String {
    let joined = text
        .split(|c: char| c.is_whitespace() || is_line_break(c))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    visible(&joined)
}

macro_rules! sealed_text {
    ($($(#[$doc:meta])* $name:ident;)*) => {
        /// The escaped texts; private fields, so only this module makes them.
        pub mod sealed {
            $(
                $(#[$doc])*
                #[derive(Debug, Clone, PartialEq, Eq)]
                pub struct $name(pub(super) String);

                impl std::fmt::Display for $name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(&self.0)
                    }
                }

                impl $name {
                    pub fn as_str(&self) -> &str {
                        &self.0
                    }
                }
            )*
        }
    };
}

sealed_text! {
    /// One whole doc comment line, prefix included (`/// text`, `//!`).
    DocLine;
    /// Text for inside a doc comment line: no line break, no hazard.
    DocText;
    /// A Rust string literal, quotes included.
    RustStr;
    /// Rust code built by the render stage from identifiers, types and [`RustStr`]s.
    RustCode;
    /// A TOML value (a basic string, quotes included, or an inline table / array).
    TomlStr;
    /// A TOML key: bare when it may be, quoted otherwise.
    TomlKey;
}

pub type DocLine = Safe<sealed::DocLine>;
pub type DocText = Safe<sealed::DocText>;
pub type RustStr = Safe<sealed::RustStr>;
pub type RustCode = Safe<sealed::RustCode>;
pub type TomlStr = Safe<sealed::TomlStr>;
pub type TomlKey = Safe<sealed::TomlKey>;

/// A doc comment line: `prefix` (`///`, `//!`) and `text`, which must hold no line break
/// (callers split prose with [`prose_lines`]; any left is made visible here).
pub fn doc_line(prefix: &str, text: &str) -> DocLine {
    let text = visible(text);
    Safe(sealed::DocLine(if text.is_empty() {
        prefix.to_owned()
    } else {
        format!("{prefix} {text}")
    }))
}

/// Spec text inside one doc line (whitespace runs collapsed).
pub fn doc_text(text: &str) -> DocText {
    Safe(sealed::DocText(one_line(text)))
}

/// A Markdown inline code span on one doc line (`` `x` ``), backticks in the value kept by a
/// longer fence.
pub fn doc_code(text: &str) -> DocText {
    Safe(sealed::DocText(md_code_span(&one_line(text))))
}

/// The Rust string literal for `text`, written by proc-macro2 (every quote, backslash, line
/// break and control character escaped).
pub fn rust_str(text: &str) -> RustStr {
    Safe(sealed::RustStr(rust_str_text(text)))
}

pub(crate) fn rust_str_text(text: &str) -> String {
    proc_macro2::Literal::string(text).to_string()
}

/// Code the render stage assembled. Its callers put spec text into it only through
/// [`rust_str`] (or [`rust_str_text`]) and identifiers from `naming`.
pub(crate) fn code(text: String) -> RustCode {
    Safe(sealed::RustCode(text))
}

/// A TOML basic string for `text`, written by the `toml` crate.
pub fn toml_str(text: &str) -> TomlStr {
    Safe(sealed::TomlStr(
        toml::Value::String(text.to_owned()).to_string(),
    ))
}

/// A TOML value written by the `toml` crate, inline (`{ version = "1" }`).
pub fn toml_inline(value: &toml::Value) -> TomlStr {
    Safe(sealed::TomlStr(inline_toml(value)))
}

fn inline_toml(value: &toml::Value) -> String {
    match value {
        toml::Value::Table(table) => {
            let entries: Vec<String> = table
                .iter()
                .map(|(k, v)| format!("{} = {}", toml_key_text(k), inline_toml(v)))
                .collect();
            format!("{{ {} }}", entries.join(", "))
        }
        toml::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(inline_toml).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

/// A TOML key: bare when TOML allows (`A-Za-z0-9_-`), else a one-line basic string (the
/// `toml` crate writes a value with a line break as a multi-line string, which a key cannot be).
pub fn toml_key(key: &str) -> TomlKey {
    Safe(sealed::TomlKey(toml_key_text(key)))
}

fn toml_key_text(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        key.to_owned()
    } else {
        let mut out = String::from("\"");
        let _ = askama::filters::Escaper::write_escaped_str(&Toml, &mut out, key);
        out.push('"');
        out
    }
}

/// A Markdown inline code span holding `text` on one line: the fence is one backtick longer
/// than the longest backtick run inside (CommonMark), padded when the text starts or ends
/// with a backtick.
pub fn md_code_span(text: &str) -> String {
    let text = one_line(text);
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    if text.starts_with('`') || text.ends_with('`') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// One line inside a fenced Markdown code block: no line break, no hazard, and it cannot
/// close the fence (a line that would start with backticks or tildes gets a visible `\`).
pub fn md_code_line(text: &str) -> String {
    let text = visible(text);
    if text.trim_start().starts_with("```") || text.trim_start().starts_with("~~~") {
        format!("\\{text}")
    } else {
        text
    }
}

/// Text in Markdown prose (a heading, a list item): one line, Markdown punctuation
/// backslash-escaped so spec text cannot open a code block, a link or HTML.
pub fn md_inline(text: &str) -> String {
    let text = one_line(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escaper for raw values in `.rs` templates: as if inside a Rust string literal (quote and
/// backslash escaped) and on one line (line breaks and other hazards as `\u{..}`). Identifiers
/// and type names pass unchanged; spec text cannot leave a comment or a literal.
#[derive(Debug, Clone, Copy)]
pub struct Rust;

impl askama::filters::Escaper for Rust {
    fn write_escaped_str<W: fmt::Write>(&self, mut dest: W, string: &str) -> fmt::Result {
        for c in string.chars() {
            match c {
                '"' => dest.write_str("\\\"")?,
                '\\' => dest.write_str("\\\\")?,
                c if is_hazard(c) => write!(dest, "\\u{{{:x}}}", u32::from(c))?,
                c => dest.write_char(c)?,
            }
        }
        Ok(())
    }
}

/// Escaper for raw values in `.toml` templates: TOML basic-string content (quote, backslash
/// and control characters escaped), so a value can neither end its string nor its line.
#[derive(Debug, Clone, Copy)]
pub struct Toml;

impl askama::filters::Escaper for Toml {
    fn write_escaped_str<W: fmt::Write>(&self, mut dest: W, string: &str) -> fmt::Result {
        for c in string.chars() {
            match c {
                '"' => dest.write_str("\\\"")?,
                '\\' => dest.write_str("\\\\")?,
                c if is_hazard(c) => write!(dest, "\\u{:04X}", u32::from(c))?,
                c => dest.write_char(c)?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &[&str] = &[
        "a\nb",
        "a\rb",
        "a\r\nb",
        "a\u{2028}b",
        "a\u{2029}b",
        "a\u{85}b",
        "a\u{202e}b",
        "a\u{2066}b\u{2069}",
        "a\u{200e}\u{200f}\u{61c}b",
        "*/ b",
        "\" b",
        "\"# b",
        "\\ b \\\\",
        "#[b]",
        "} fn b() {",
        "\"\n[package]\nbuild = \"x\"",
        "```\nb\n```",
        "\u{0}\u{1b}[31m",
    ];

    fn escaped(escaper: impl askama::filters::Escaper, text: &str) -> String {
        let mut out = String::new();
        escaper.write_escaped_str(&mut out, text).unwrap();
        out
    }

    /// A template that prints raw text by mistake (no typed value) still cannot be escaped
    /// from: the `.rs` escaper is the default.
    #[derive(askama::Template)]
    #[template(
        source = "/// Sets `{{ raw }}`.\npub fn f() -> &'static str { \"{{ raw }}\" }\n",
        ext = "rs"
    )]
    struct Forgetful<'a> {
        raw: &'a str,
    }

    #[test]
    fn raw_text_a_template_forgot_to_type_is_escaped_by_default() {
        use askama::Template as _;
        for text in HOSTILE {
            let raw = format!("{text} pub fn INJECTED_MARKER() {{}} //");
            let out = Forgetful { raw: &raw }.render().unwrap();
            let file = syn::parse_file(&out).unwrap_or_else(|e| panic!("{out}: {e}"));
            assert_eq!(file.items.len(), 1, "{out}");
            assert_eq!(out.split(is_hazard).count(), 3, "{out:?}");
        }
    }

    #[test]
    fn doc_lines_never_break_and_show_hazards() {
        for text in HOSTILE {
            let line = doc_line("///", text).0.to_string();
            assert!(!line.contains(is_hazard), "{line:?}");
            let text = doc_text(text).0.to_string();
            assert!(!text.contains(is_hazard), "{text:?}");
        }
        assert_eq!(doc_line("///", "a\u{202e}b").0.as_str(), "/// a\\u{202e}b");
        assert_eq!(
            prose_lines("a\rb\r\nc\u{2028}d\ne"),
            ["a", "b", "c", "d", "e"]
        );
    }

    #[test]
    fn rust_literals_parse_back_to_the_text() {
        for text in HOSTILE {
            let literal = rust_str(text).0.to_string();
            let parsed: syn::LitStr = syn::parse_str(&literal).unwrap();
            assert_eq!(&parsed.value(), text);
            // the default escaper, inside quotes, gives the same string
            let quoted = format!("\"{}\"", escaped(Rust, text));
            let parsed: syn::LitStr = syn::parse_str(&quoted).unwrap();
            assert_eq!(&parsed.value(), text);
            assert!(!quoted.contains(is_hazard));
        }
    }

    #[test]
    fn toml_strings_and_keys_round_trip() {
        for text in HOSTILE {
            let doc = format!(
                "{} = {}\nnext = {}\n",
                toml_key(text).0,
                toml_str(text).0,
                format_args!("\"{}\"", escaped(Toml, text))
            );
            let table: toml::Table = toml::from_str(&doc).unwrap();
            assert_eq!(table.len(), 2, "{doc}");
            assert_eq!(table[*text].as_str(), Some(*text));
            assert_eq!(table["next"].as_str(), Some(*text));
        }
        assert_eq!(toml_key("okta").0.as_str(), "okta");
    }

    #[test]
    fn markdown_stays_on_its_line_and_in_its_span() {
        for text in HOSTILE {
            assert!(!md_code_span(text).contains(is_hazard));
            for out in [md_code_line(text), md_inline(text)] {
                assert!(!out.contains(is_hazard), "{out:?}");
                assert!(!out.starts_with("```"), "{out:?}");
            }
        }
        assert_eq!(md_code_span("a`b"), "``a`b``");
        assert_eq!(md_code_span("`a"), "`` `a ``");
        assert_eq!(md_inline("*x* [y](z)"), "\\*x\\* \\[y\\](z)");
    }
}
