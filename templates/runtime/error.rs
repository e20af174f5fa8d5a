use std::fmt;
use std::time::Duration;

use super::rate_limit::RateLimit;
use super::vendor::VendorError;

/// Everything that can go wrong with a call.
///
/// Messages never contain credentials, query strings or request bodies: they are safe to log.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// An argument was rejected before any request was sent (a CR/LF in a header value, a bad
    /// base URL, a path id that is a dot segment).
    InvalidInput(String),
    /// The request could not be sent or the response not read (DNS, TLS, connection reset).
    /// The URL is stripped from the inner error: it may carry ids and query values.
    Transport(reqwest::Error),
    /// An attempt timed out, or the overall deadline (retry waits included) passed.
    Timeout(Box<TimeoutError>),
    /// The server answered with an error status (after any retries), or OneLogin answered 2xx
    /// with `status.error: true`.
    Api(Box<ApiError>),
    /// A success response whose body does not match the expected type. The body is kept.
    Decode(Box<DecodeError>),
    /// The OAuth 2.0 token endpoint refused to issue a token.
    Token(Box<TokenError>),
    /// The server broke the protocol in a way the client will not follow (for example a
    /// pagination link or a redirect to another host).
    Protocol(String),
    /// The response body was longer than the client's limit (see
    /// `ClientBuilder::max_response_body`); reading stopped at the limit.
    ResponseTooLarge {
        operation_id: &'static str,
        status: u16,
        /// The limit, in bytes.
        limit: usize,
    },
}

/// A non-success response, with what a support ticket and a throttled caller need.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    pub operation_id: &'static str,
    /// Method and path template (`POST /api/v1/users/{userId}/factors`), never the real ids.
    pub endpoint: String,
    pub status: u16,
    /// The vendor's request id (for Okta, `X-Okta-Request-Id`).
    pub request_id: Option<String>,
    /// Rate-limit headers of this response.
    pub rate_limit: RateLimit,
    /// The vendor's error body, when it parses as one.
    pub vendor: Option<VendorError>,
    pub headers: reqwest::header::HeaderMap,
    /// The raw body, as received.
    pub body: String,
    /// How many attempts were made (retries included).
    pub attempts: u32,
}

impl ApiError {
    /// How long this response asked the caller to wait ([`RateLimit::retry_after`]).
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        self.rate_limit.retry_after()
    }
}

/// A success response whose body does not decode.
#[derive(Debug)]
#[non_exhaustive]
pub struct DecodeError {
    pub operation_id: &'static str,
    pub status: u16,
    pub request_id: Option<String>,
    pub body: String,
    pub source: serde_json::Error,
}

/// Which time limit ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// One attempt took longer than the per-attempt timeout.
    Attempt,
    /// The overall deadline of the call (attempts and retry waits) passed.
    Deadline,
    /// The response body stopped arriving for longer than the idle timeout
    /// (`ClientBuilder::body_idle_timeout`).
    BodyIdle,
}

#[derive(Debug)]
#[non_exhaustive]
pub struct TimeoutError {
    pub operation_id: &'static str,
    pub kind: TimeoutKind,
    pub attempts: u32,
    pub elapsed: Duration,
    pub source: Option<reqwest::Error>,
}

/// An OAuth 2.0 token endpoint error (RFC 6749 section 5.2, or the vendor's own envelope).
///
/// It keeps no part of the response body but these two fields: a token response that does not
/// parse (truncated, a field of the wrong type) may still hold an access or refresh token, and
/// this error is made to be logged.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TokenError {
    /// HTTP status of the token response (0 when the request itself failed).
    pub status: u16,
    /// The `error` code (`invalid_client`, `use_dpop_nonce`, ...), when the body had one.
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// Longest server-sent text kept in a [`TokenError`]: enough for any real description, short
/// enough that a hostile server cannot flood the logs through it.
const MAX_SERVER_TEXT: usize = 300;

impl TokenError {
    /// Server-sent texts are kept printable (no line breaks to forge log lines) and short.
    pub(crate) fn new(status: u16, error: Option<&str>, description: Option<&str>) -> Self {
        Self {
            status,
            error: error.map(server_text),
            error_description: description.map(server_text),
        }
    }
}

fn server_text(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(MAX_SERVER_TEXT)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(MAX_SERVER_TEXT).is_some() {
        out.push('…');
    }
    out
}

impl Error {
    pub(crate) fn invalid_input(message: impl Into<String>) -> Self {
        Self::InvalidInput(message.into())
    }

    /// Wraps a reqwest error, dropping its URL (ids and query values stay out of logs).
    pub(crate) fn transport(
        operation_id: &'static str,
        error: reqwest::Error,
        attempts: u32,
        elapsed: Duration,
    ) -> Self {
        let error = error.without_url();
        if error.is_timeout() {
            Self::Timeout(Box::new(TimeoutError {
                operation_id,
                kind: TimeoutKind::Attempt,
                attempts,
                elapsed,
                source: Some(error),
            }))
        } else {
            Self::Transport(error)
        }
    }

    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api(e) => Some(e.status),
            Self::Decode(e) => Some(e.status),
            Self::Token(e) if e.status != 0 => Some(e.status),
            Self::ResponseTooLarge { status, .. } => Some(*status),
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

    /// The vendor's error body (Okta `errorCode`..., OneLogin `status`), when one was parsed.
    pub fn vendor(&self) -> Option<&VendorError> {
        match self {
            Self::Api(e) => e.vendor.as_ref(),
            _ => None,
        }
    }

    /// Rate-limit headers of the (last) error response.
    pub fn rate_limit(&self) -> Option<&RateLimit> {
        match self {
            Self::Api(e) => Some(&e.rate_limit),
            _ => None,
        }
    }

    /// How long the (last) error response asked the caller to wait
    /// ([`RateLimit::retry_after`]): for a 429 the client gave up on, when to try again.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        self.rate_limit().and_then(RateLimit::retry_after)
    }

    /// A copy of this error for each caller that waited on one shared operation (a token
    /// fetch). Errors that hold a non-cloneable source keep its message instead.
    pub(crate) fn duplicate(&self) -> Self {
        match self {
            Self::InvalidInput(message) => Self::InvalidInput(message.clone()),
            Self::Transport(e) => Self::Token(Box::new(TokenError::new(
                0,
                Some("transport"),
                Some(&e.to_string()),
            ))),
            Self::Timeout(e) => Self::Timeout(Box::new(TimeoutError {
                operation_id: e.operation_id,
                kind: e.kind,
                attempts: e.attempts,
                elapsed: e.elapsed,
                source: None,
            })),
            Self::Api(e) => Self::Api(e.clone()),
            Self::Decode(e) => Self::Decode(Box::new(DecodeError {
                operation_id: e.operation_id,
                status: e.status,
                request_id: e.request_id.clone(),
                body: e.body.clone(),
                source: serde::de::Error::custom(&e.source),
            })),
            Self::Token(e) => Self::Token(e.clone()),
            Self::Protocol(message) => Self::Protocol(message.clone()),
            Self::ResponseTooLarge {
                operation_id,
                status,
                limit,
            } => Self::ResponseTooLarge {
                operation_id,
                status: *status,
                limit: *limit,
            },
        }
    }

    /// True for a timeout of either kind.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout(_))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidInput(message) => write!(f, "invalid input: {message}"),
            Self::Transport(e) => write!(f, "transport error: {e}"),
            Self::Timeout(e) => {
                let what = match e.kind {
                    TimeoutKind::Attempt => "an attempt timed out",
                    TimeoutKind::Deadline => "the call's deadline passed",
                    TimeoutKind::BodyIdle => "the response body stopped arriving",
                };
                write!(
                    f,
                    "{}: {what} after {} attempt(s), {} ms",
                    e.operation_id,
                    e.attempts,
                    e.elapsed.as_millis()
                )
            }
            Self::Api(e) => {
                write!(
                    f,
                    "{} ({}) failed with HTTP {}",
                    e.operation_id, e.endpoint, e.status
                )?;
                if let Some(vendor) = &e.vendor {
                    write!(f, ": {vendor}")?;
                }
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
            Self::Token(e) => {
                write!(f, "token request failed")?;
                if e.status != 0 {
                    write!(f, " with HTTP {}", e.status)?;
                }
                if let Some(code) = &e.error {
                    write!(f, ": {code}")?;
                }
                if let Some(text) = &e.error_description {
                    write!(f, " ({text})")?;
                }
                Ok(())
            }
            Self::Protocol(message) => write!(f, "protocol error: {message}"),
            Self::ResponseTooLarge {
                operation_id,
                status,
                limit,
            } => write!(
                f,
                "{operation_id}: the HTTP {status} response body is longer than the limit of {limit} bytes"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Transport(e) => Some(e),
            Self::Timeout(e) => e
                .source
                .as_ref()
                .map(|s| s as &(dyn std::error::Error + 'static)),
            Self::Decode(e) => Some(&e.source),
            _ => None,
        }
    }
}
