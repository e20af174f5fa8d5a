//! The hand-written HTTP runtime shared by every provider module: client construction, auth,
//! request assembly and validation, response metadata and errors.
//!
//! The generator copies these files verbatim into each generated crate, so a crate written by
//! `cargo xtask generate --out DIR` compiles on its own, anywhere.

mod auth;
mod client;
mod error;
mod params;
mod request;
mod response;

pub use auth::{Auth, Secret};
pub use client::{ClientBuilder, ClientCore, Profile};
pub use error::{ApiError, DecodeError, Error};
pub use params::ParamValue;
pub use request::{encode_path_segment, Extras, RequestParts};
pub use response::{ApiResponse, RawResponse};
