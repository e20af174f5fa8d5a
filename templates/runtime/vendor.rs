//! Everything the runtime knows about particular vendors, apart from the vendor-neutral core:
//! their error bodies (here and in `okta`, `onelogin`) and their token grants
//! (`onelogin_auth`, `okta_oauth`). The core reaches a vendor's error format only through
//! [`ErrorFormat`] in the generated `Profile`; the grants are reached only through their `Auth`
//! constructors.
//!
//! Two layers share this folder: the error bodies are leaves (the error type holds them), the
//! grants sit above `auth` and `token`. This file uses only the former, so the folder adds no
//! import cycle; the grants are re-exported from the runtime root, not from here.
//!
//! Error bodies are parsed leniently: every field is optional, unknown fields are kept, and a
//! body that does not parse is still available raw on the error.

use std::fmt;

// client settings from each vendor's environment variables
pub(super) mod env;
// Okta's error body
mod okta;
// Okta private_key_jwt and DPoP: the only runtime code that needs signing keys, so teams on
// API tokens can leave its crypto dependencies out (feature `okta-oauth`).
#[cfg(feature = "okta-oauth")]
pub(super) mod okta_oauth;
// OneLogin's error bodies
mod onelogin;
// OneLogin's client-credentials grant
pub(super) mod onelogin_auth;

pub use okta::{OktaErrorBody, OktaErrorCause};
pub use onelogin::OneLoginErrorBody;

/// How a provider shapes its error bodies (from the provider config).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorFormat {
    /// `{errorCode, errorSummary, errorLink, errorId, errorCauses}`.
    Okta,
    /// `{"status": {error, code, type, message}}`, the flat form of the same, or the v2 form
    /// `{statusCode, name, message}`.
    OneLogin,
    /// Bodies are kept raw only.
    Unparsed,
}

/// A parsed vendor error body.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum VendorError {
    Okta(OktaErrorBody),
    OneLogin(OneLoginErrorBody),
}

impl VendorError {
    /// The vendor's error code as text: Okta `errorCode` (`E0000011`), OneLogin `code` (`400`).
    pub fn code(&self) -> Option<String> {
        match self {
            Self::Okta(e) => e.error_code.clone(),
            Self::OneLogin(e) => e.code.map(|c| c.to_string()),
        }
    }

    /// The human-readable message.
    pub fn message(&self) -> Option<String> {
        match self {
            Self::Okta(e) => e.error_summary.clone(),
            Self::OneLogin(e) => e.message_text(),
        }
    }
}

impl fmt::Display for VendorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.code(), self.message()) {
            (Some(code), Some(message)) => write!(f, "{code} {message}"),
            (Some(code), None) => f.write_str(&code),
            (None, Some(message)) => f.write_str(&message),
            (None, None) => f.write_str("(no code or message)"),
        }
    }
}

/// Parses an error body in the provider's format; `None` when it is not one.
pub(crate) fn parse_error(format: ErrorFormat, body: &[u8]) -> Option<VendorError> {
    match format {
        ErrorFormat::Okta => okta::parse_error(body).map(VendorError::Okta),
        ErrorFormat::OneLogin => onelogin::parse_error(body).map(VendorError::OneLogin),
        ErrorFormat::Unparsed => None,
    }
}

/// OneLogin v1 answers some failures with HTTP 200 and `{"status": {"error": true, ...}}`.
pub(crate) fn error_in_success(format: ErrorFormat, body: &[u8]) -> Option<VendorError> {
    match format {
        ErrorFormat::OneLogin => onelogin::error_in_success(body).map(VendorError::OneLogin),
        ErrorFormat::Okta | ErrorFormat::Unparsed => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn okta_error_keeps_every_field() {
        let body = br#"{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oaeX","errorCauses":[{"errorSummary":"x"}],"extra":1}"#;
        let Some(VendorError::Okta(e)) = parse_error(ErrorFormat::Okta, body) else {
            panic!("an Okta error body");
        };
        assert_eq!(e.error_code.as_deref(), Some("E0000011"));
        assert_eq!(e.error_id.as_deref(), Some("oaeX"));
        assert_eq!(e.error_causes[0].error_summary.as_deref(), Some("x"));
        assert_eq!(e.other["extra"], 1);
        assert!(parse_error(ErrorFormat::Okta, b"<html>").is_none());
        assert!(parse_error(ErrorFormat::Okta, b"{}").is_none());
    }

    #[test]
    fn onelogin_errors_in_all_three_shapes() {
        let wrapped = br#"{"status":{"error":true,"code":400,"type":"bad request","message":{"otp_token":"is invalid"}}}"#;
        let flat = br#"{"error":true,"code":"401","type":"Unauthorized","message":"Authentication Failure"}"#;
        let v2 = br#"{"statusCode":404,"name":"NotFound","message":"no user"}"#;
        let parsed: Vec<_> = [&wrapped[..], flat, v2]
            .iter()
            .map(|b| parse_error(ErrorFormat::OneLogin, b))
            .collect();
        let codes: Vec<_> = parsed
            .iter()
            .map(|p| p.as_ref().and_then(VendorError::code))
            .collect();
        assert_eq!(
            codes,
            [Some("400".into()), Some("401".into()), Some("404".into())]
        );
        assert_eq!(
            parsed[0].as_ref().and_then(VendorError::message).as_deref(),
            Some(r#"{"otp_token":"is invalid"}"#)
        );
    }

    #[test]
    fn onelogin_success_with_error_flag_is_an_error() {
        let failed = br#"{"status":{"error":true,"code":200,"type":"success","message":"bad otp"},"data":null}"#;
        let fine = br#"{"status":{"error":false,"code":200,"type":"success","message":"Success"}}"#;
        assert!(error_in_success(ErrorFormat::OneLogin, failed).is_some());
        assert!(error_in_success(ErrorFormat::OneLogin, fine).is_none());
        assert!(error_in_success(ErrorFormat::Okta, failed).is_none());
    }
}
