//! The hand-written HTTP runtime shared by every provider module: client construction, auth,
//! retries, request assembly and validation, pagination, response metadata and errors.
//!
//! The generator copies these files verbatim into each generated crate, so a crate written by
//! `cargo xtask generate --out DIR` compiles on its own, anywhere.

mod auth;
mod client;
mod error;
// the compact `Deserialize` of generated structs (see the module doc for why not the derive)
mod fields;
// holds an endpoint's calls while its rate-limit bucket is empty
mod gate;
#[cfg(feature = "mock")]
pub mod mock;
// Okta private_key_jwt and DPoP: the only runtime code that needs signing keys, so teams on
// API tokens can leave its crypto dependencies out (feature `okta-oauth`).
#[cfg(feature = "okta-oauth")]
mod okta_oauth;
mod pagination;
mod params;
mod request;
mod response;
mod retry;
// the single-flight token cache behind every token-based auth
mod token_cache;
// token endpoint requests under the same retry rule and limits as API calls
mod token_request;
mod vendor;

pub use auth::{
    Auth, AuthAction, AuthContext, Authenticate, Credentials, Secret, Token, TokenSource,
    MAX_NONCE_RETRIES,
};
pub use client::{
    http_client_builder, ClientBuilder, ClientCore, Profile, DEFAULT_BODY_IDLE_TIMEOUT,
    DEFAULT_MAX_RESPONSE_BODY,
};
pub use error::{ApiError, DecodeError, Error, TimeoutError, TimeoutKind, TokenError};
#[doc(hidden)]
pub use fields::{decode_struct, Fields, Json};
#[cfg(feature = "okta-oauth")]
pub use okta_oauth::{OktaPrivateKeyJwt, PrivateKey};
pub use pagination::{items, pages};
pub use params::ParamValue;
pub use request::{encode_path_segment, Extras, RequestParts};
pub use response::{ApiResponse, RawResponse};
pub use retry::{RateLimit, RateLimitHeaders, ResetClock, RetryPolicy, Sleeper, TokioSleeper};
pub use vendor::{ErrorFormat, OktaErrorBody, OktaErrorCause, OneLoginErrorBody, VendorError};

/// A boxed, sendable future: what auth hooks and sleepers return (object-safe async).
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;
