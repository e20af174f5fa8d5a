use std::fmt;

/// A credential that never shows up in `Debug` or `Display` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret text, for code that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// How requests are authenticated. Applied to every attempt of every request.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub enum Auth {
    /// No `Authorization` header (tests, or a proxy that adds it).
    #[default]
    None,
    /// Okta API token: `Authorization: SSWS <token>`.
    Ssws(Secret),
    /// OAuth 2.0 access token: `Authorization: Bearer <token>`.
    Bearer(Secret),
}

impl Auth {
    /// Okta API token (`SSWS`).
    pub fn ssws(token: impl Into<Secret>) -> Self {
        Self::Ssws(token.into())
    }

    /// A static OAuth 2.0 bearer token.
    pub fn bearer(token: impl Into<Secret>) -> Self {
        Self::Bearer(token.into())
    }

    pub(crate) fn header_value(&self) -> Option<String> {
        match self {
            Self::None => None,
            Self::Ssws(token) => Some(format!("SSWS {}", token.expose())),
            Self::Bearer(token) => Some(format!("Bearer {}", token.expose())),
        }
    }
}
