//! The generator's one error type. Every variant names the file, and spec errors name the JSON
//! pointer of the offending node, so a maintainer can jump straight to it.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub enum GenError {
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    Config {
        path: PathBuf,
        message: String,
    },
    /// The file is a kind of document the generator does not read (Swagger 2.0, OpenAPI 3.1).
    Unsupported {
        path: PathBuf,
        message: String,
    },
    /// The file is not valid YAML/JSON at all.
    Syntax {
        path: PathBuf,
        message: String,
    },
    /// A node of the spec is invalid or unsupported.
    Spec {
        path: PathBuf,
        pointer: String,
        message: String,
    },
    /// The generator produced text that is not valid Rust (a template bug).
    Render {
        template: String,
        message: String,
    },
}

impl GenError {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.to_owned(),
            source,
        }
    }

    pub fn config(path: &Path, message: impl Into<String>) -> Self {
        Self::Config {
            path: path.to_owned(),
            message: message.into(),
        }
    }

    pub fn spec(path: &Path, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Spec {
            path: path.to_owned(),
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for GenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Self::Config { path, message } => write!(f, "{}: {message}", path.display()),
            Self::Syntax { path, message } | Self::Unsupported { path, message } => {
                write!(f, "{}: {message}", path.display())
            }
            Self::Spec {
                path,
                pointer,
                message,
            } => {
                let pointer = if pointer.is_empty() { "/" } else { pointer };
                write!(f, "{}: at {pointer}: {message}", path.display())
            }
            Self::Render { template, message } => {
                write!(f, "template {template} rendered invalid Rust: {message}")
            }
        }
    }
}

impl std::error::Error for GenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` (RFC 6901).
pub fn pointer_push(pointer: &str, token: &str) -> String {
    let escaped = token.replace('~', "~0").replace('/', "~1");
    format!("{pointer}/{escaped}")
}

/// A non-fatal finding (a spec bug handled deliberately, a patch that found no target), at the
/// JSON pointer of the node it concerns.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    pub pointer: String,
    pub message: String,
}
