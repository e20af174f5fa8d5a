use std::fmt;

/// Everything that can go wrong with a call.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// An argument was rejected before any request was sent (a CR/LF in a header value, a bad
    /// base URL).
    InvalidInput(String),
    /// The request could not be sent or the response not read (DNS, TLS, connection reset).
    Transport(reqwest::Error),
    /// The per-attempt timeout elapsed.
    Timeout(reqwest::Error),
    /// The server answered with a non-success status.
    Api(Box<ApiError>),
    /// A success response whose body does not match the expected type. The body is kept.
    Decode(Box<DecodeError>),
}

/// A non-success response, with what a support ticket needs.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub operation_id: &'static str,
    /// Method and path template (`POST /api/v1/users/{userId}/factors`), never the real ids.
    pub endpoint: String,
    pub status: u16,
    /// The vendor's request id (for Okta, `X-Okta-Request-Id`).
    pub request_id: Option<String>,
    pub headers: reqwest::header::HeaderMap,
    /// The raw body, as received.
    pub body: String,
}

#[derive(Debug)]
pub struct DecodeError {
    pub operation_id: &'static str,
    pub status: u16,
    pub request_id: Option<String>,
    pub body: String,
    pub source: serde_json::Error,
}

impl Error {
    pub(crate) fn invalid_input(message: impl Into<String>) -> Self {
        Self::InvalidInput(message.into())
    }

    pub(crate) fn transport(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            Self::Timeout(error)
        } else {
            Self::Transport(error)
        }
    }

    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api(e) => Some(e.status),
            Self::Decode(e) => Some(e.status),
            _ => None,
        }
    }

    /// The vendor's request id, when a response carried one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Api(e) => e.request_id.as_deref(),
            Self::Decode(e) => e.request_id.as_deref(),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidInput(message) => write!(f, "invalid input: {message}"),
            Self::Transport(e) => write!(f, "transport error: {e}"),
            Self::Timeout(e) => write!(f, "timed out: {e}"),
            Self::Api(e) => {
                write!(
                    f,
                    "{} ({}) failed with HTTP {}",
                    e.operation_id, e.endpoint, e.status
                )?;
                if let Some(id) = &e.request_id {
                    write!(f, " (request id {id})")?;
                }
                Ok(())
            }
            Self::Decode(e) => write!(
                f,
                "{}: HTTP {} response body does not match the expected type: {}",
                e.operation_id, e.status, e.source
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Transport(e) | Self::Timeout(e) => Some(e),
            Self::Decode(e) => Some(&e.source),
            _ => None,
        }
    }
}
