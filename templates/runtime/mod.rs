//! The hand-written HTTP runtime shared by every provider module: client construction, auth,
//! retries, request assembly and validation, pagination, response metadata and errors.
//!
//! The generator copies these files verbatim into each generated crate, so a crate written by
//! `cargo xtask generate --out DIR` compiles on its own, anywhere.

mod auth;
mod call_options;
mod client;
mod error;
// the compact `Deserialize` of generated structs (see the module doc for why not the derive)
mod fields;
// holds an endpoint's calls while its rate-limit bucket is empty
mod gate;
// header names and values from callers and configs, checked before they reach the wire
mod headers;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
mod pagination;
mod params;
mod profile;
// rate-limit headers: below the error type, which carries the numbers they hold
mod rate_limit;
mod request;
mod response;
mod retry;
// the secret, token and attempt context every token-based auth builds on
mod token;
// the single-flight token cache behind every token-based auth
mod token_cache;
// token endpoint requests under the same retry rule and limits as API calls
mod token_request;
// the base URL and server-sent links (same-origin rule)
mod url;
// what is particular to Okta or OneLogin: error bodies, token grants (Okta OAuth behind the
// `okta-oauth` feature); the rest of the runtime is vendor-neutral
mod vendor;

pub use auth::{
    ApiKeyLocation, Auth, AuthAction, Authenticate, ClientCredentials, Credentials,
    MAX_NONCE_RETRIES,
};
pub use call_options::CallOptions;
pub use client::{http_client_builder, ClientBuilder, ClientCore};
pub use error::{ApiError, DecodeError, Error, TimeoutError, TimeoutKind, TokenError};
#[doc(hidden)]
pub use fields::{decode_struct, Fields, Json, JsonKind};
pub use pagination::{items, pages};
pub use params::{ParamValue, Serialized, Shape, Style};
pub use profile::Profile;
pub use rate_limit::{RateLimit, RateLimitHeaders, ResetClock};
pub use request::{encode_path_param, encode_path_segment, Extras, RequestParts};
pub use response::{
    ApiResponse, RawResponse, DEFAULT_BODY_IDLE_TIMEOUT, DEFAULT_MAX_RESPONSE_BODY,
};
pub use retry::{RetryPolicy, Sleeper, TokioSleeper};
pub use token::{AuthContext, Secret, Token, TokenSource};
pub use url::expand_server_url;
pub use vendor::env::{settings_from_env, EnvVendor};
#[cfg(feature = "okta-oauth")]
#[cfg_attr(docsrs, doc(cfg(feature = "okta-oauth")))]
pub use vendor::okta_oauth::{OktaPrivateKeyJwt, PrivateKey};
pub use vendor::{ErrorFormat, OktaErrorBody, OktaErrorCause, OneLoginErrorBody, VendorError};

/// A boxed, sendable future: what auth hooks and sleepers return (object-safe async).
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;
