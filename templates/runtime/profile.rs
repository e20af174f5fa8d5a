//! What the runtime needs to know about one vendor, written by the generator from the provider
//! config: the runtime itself names no vendor.

use super::rate_limit::RateLimitHeaders;
use super::vendor::ErrorFormat;

/// Facts about one vendor that the runtime needs, written by the generator from the provider
/// config.
#[derive(Debug, Clone, Copy)]
pub struct Profile {
    /// Provider module name (`okta`).
    pub provider: &'static str,
    /// Header carrying the vendor's request id.
    pub request_id_header: Option<&'static str>,
    /// `<crate>/<version>`, sent as the default `User-Agent`.
    pub user_agent: &'static str,
    /// Where the SDK's identity goes when a call forwards an end user's `User-Agent`.
    pub user_agent_extended_header: Option<&'static str>,
    /// Header naming the request id of the first attempt, on retries.
    pub retry_for_header: Option<&'static str>,
    /// Header carrying the retry number (1 for the first retry), on retries.
    pub retry_count_header: Option<&'static str>,
    /// The vendor's rate-limit headers.
    pub rate_limit: Option<RateLimitHeaders>,
    /// How error bodies are parsed.
    pub error_format: ErrorFormat,
}
