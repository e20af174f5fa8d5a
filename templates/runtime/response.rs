use std::time::Duration;

use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::error::{ApiError, DecodeError, Error};
use super::rate_limit::RateLimit;
use super::vendor::VendorError;

/// Default largest response body: far above any MFA API answer (a page of 200 factors is
/// under 1 MiB), small enough that a hostile or broken server cannot exhaust memory.
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 16 * 1024 * 1024;
/// Default longest pause between two pieces of a response body.
pub const DEFAULT_BODY_IDLE_TIMEOUT: Duration = Duration::from_secs(10);

/// A decoded success response with its metadata (status, request id, rate-limit headers).
#[derive(Debug, Clone)]
pub struct ApiResponse<T> {
    status: u16,
    headers: HeaderMap,
    request_id: Option<String>,
    rate_limit: RateLimit,
    body: T,
}

impl<T> ApiResponse<T> {
    pub fn status(&self) -> u16 {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The vendor's request id, for support tickets.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The rate-limit headers of the response, for callers that pace themselves.
    pub fn rate_limit(&self) -> &RateLimit {
        &self.rate_limit
    }

    pub fn body(&self) -> &T {
        &self.body
    }

    pub fn into_inner(self) -> T {
        self.body
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ApiResponse<U> {
        ApiResponse {
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
            rate_limit: self.rate_limit,
            body: f(self.body),
        }
    }
}

/// A success response before decoding.
#[derive(Debug)]
pub struct RawResponse {
    pub(crate) operation_id: &'static str,
    /// With `path_template`, the endpoint named in an error (formatted only then).
    pub(crate) method: reqwest::Method,
    pub(crate) path_template: &'static str,
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) request_id: Option<String>,
    pub(crate) rate_limit: RateLimit,
    pub(crate) body: Vec<u8>,
    pub(crate) attempts: u32,
}

impl RawResponse {
    pub fn status(&self) -> u16 {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw body bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.body
    }

    /// Decodes the JSON body. An empty body decodes as JSON `null`, so operations whose
    /// success body is optional (or `serde_json::Value`) accept a bodiless answer.
    pub fn decode<T: DeserializeOwned>(self) -> Result<ApiResponse<T>, Error> {
        let bytes: &[u8] = if self.body.iter().all(u8::is_ascii_whitespace) {
            b"null"
        } else {
            &self.body
        };
        match serde_json::from_slice(bytes) {
            Ok(body) => Ok(self.with_body(body)),
            Err(source) => Err(Error::Decode(Box::new(DecodeError {
                operation_id: self.operation_id,
                status: self.status,
                request_id: self.request_id,
                body: String::from_utf8_lossy(&self.body).into_owned(),
                source,
            }))),
        }
    }

    /// For operations without a success body: the body, if any, is not read.
    pub fn decode_empty(self) -> Result<ApiResponse<()>, Error> {
        Ok(self.with_body(()))
    }

    /// A 2xx status the spec does not list for an operation whose bodies differ by status.
    pub fn unexpected_status(self) -> Error {
        self.into_api_error(None)
    }

    /// The response as an [`Error::Api`], with the vendor's error body when it parsed.
    pub(crate) fn into_api_error(self, vendor: Option<VendorError>) -> Error {
        Error::Api(Box::new(ApiError {
            operation_id: self.operation_id,
            endpoint: format!("{} {}", self.method, self.path_template),
            status: self.status,
            request_id: self.request_id,
            rate_limit: self.rate_limit,
            vendor,
            headers: self.headers,
            body: String::from_utf8_lossy(&self.body).into_owned(),
            attempts: self.attempts,
        }))
    }

    fn with_body<T>(self, body: T) -> ApiResponse<T> {
        ApiResponse {
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
            rate_limit: self.rate_limit,
            body,
        }
    }
}

/// How much of a response body the client reads, and how long it waits for the next piece.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BodyLimits {
    pub(crate) max_bytes: usize,
    pub(crate) idle_timeout: Option<Duration>,
}

impl Default for BodyLimits {
    fn default() -> Self {
        Self {
            max_bytes: DEFAULT_MAX_RESPONSE_BODY,
            idle_timeout: Some(DEFAULT_BODY_IDLE_TIMEOUT),
        }
    }
}

/// Why a body could not be read.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// More than the limit was announced or arrived; reading stopped there.
    TooLarge,
    /// No piece arrived within the idle timeout.
    Stalled,
    Transport(reqwest::Error),
}

/// Reads a body piece by piece, never holding more than `limits.max_bytes` of it: a body
/// announced or found to be longer is refused at that point, and a pause longer than the idle
/// timeout ends the read.
pub(crate) async fn read_body(
    response: &mut reqwest::Response,
    limits: BodyLimits,
) -> Result<Vec<u8>, BodyError> {
    if response
        .content_length()
        .is_some_and(|announced| announced > limits.max_bytes as u64)
    {
        return Err(BodyError::TooLarge);
    }
    let mut body: Vec<u8> = Vec::new();
    loop {
        let piece = match limits.idle_timeout {
            Some(idle) => tokio::time::timeout(idle, response.chunk())
                .await
                .map_err(|_| BodyError::Stalled)?,
            None => response.chunk().await,
        };
        let Some(piece) = piece.map_err(BodyError::Transport)? else {
            return Ok(body);
        };
        if body.len().saturating_add(piece.len()) > limits.max_bytes {
            return Err(BodyError::TooLarge);
        }
        if body.is_empty() {
            // without a copy when the response arrives in one piece
            body = Vec::from(piece);
        } else {
            body.extend_from_slice(&piece);
        }
    }
}
