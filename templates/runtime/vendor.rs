//! Vendor error bodies. They are parsed leniently: every field is optional, unknown fields are
//! kept, and a body that does not parse is still available raw on the error.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

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

/// Okta's error body. `errorCode` stays an open string: Okta adds codes without notice.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OktaErrorBody {
    #[serde(rename = "errorCode", default)]
    pub error_code: Option<String>,
    #[serde(rename = "errorSummary", default)]
    pub error_summary: Option<String>,
    #[serde(rename = "errorLink", default)]
    pub error_link: Option<String>,
    #[serde(rename = "errorId", default)]
    pub error_id: Option<String>,
    #[serde(rename = "errorCauses", default)]
    pub error_causes: Vec<OktaErrorCause>,
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OktaErrorCause {
    #[serde(rename = "errorSummary", default)]
    pub error_summary: Option<String>,
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

/// OneLogin's error, whichever of its three shapes arrived.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct OneLoginErrorBody {
    /// `status.error` (v1); `None` for v2 bodies.
    pub error: Option<bool>,
    /// `code` (v1) or `statusCode` (v2).
    pub code: Option<i64>,
    /// `type` (v1) or `name` (v2), e.g. `bad request`.
    pub kind: Option<String>,
    /// `message`: usually a string, sometimes an object of field errors.
    pub message: Option<serde_json::Value>,
}

impl OneLoginErrorBody {
    /// The message as text; an object message is rendered as compact JSON.
    pub fn message_text(&self) -> Option<String> {
        match &self.message {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(text)) => Some(text.clone()),
            Some(other) => Some(other.to_string()),
        }
    }

    fn from_object(object: &serde_json::Map<String, serde_json::Value>) -> Option<Self> {
        let code = object
            .get("code")
            .or_else(|| object.get("statusCode"))
            .and_then(integer);
        let kind = object
            .get("type")
            .or_else(|| object.get("name"))
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned);
        let error = object.get("error").and_then(serde_json::Value::as_bool);
        let message = object.get("message").cloned();
        if code.is_none() && kind.is_none() && error.is_none() && message.is_none() {
            return None;
        }
        Some(Self {
            error,
            code,
            kind,
            message,
        })
    }
}

/// OneLogin sends codes as numbers, and sometimes as numeric strings.
fn integer(value: &serde_json::Value) -> Option<i64> {
    value
        .as_i64()
        .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
}

/// Parses an error body in the provider's format; `None` when it is not one.
pub(crate) fn parse_error(format: ErrorFormat, body: &[u8]) -> Option<VendorError> {
    match format {
        ErrorFormat::Okta => {
            let parsed: OktaErrorBody = serde_json::from_slice(body).ok()?;
            let meaningful = parsed.error_code.is_some() || parsed.error_summary.is_some();
            meaningful.then_some(VendorError::Okta(parsed))
        }
        ErrorFormat::OneLogin => {
            let value: serde_json::Value = serde_json::from_slice(body).ok()?;
            let object = value.as_object()?;
            let inner = match object.get("status") {
                Some(serde_json::Value::Object(status)) => status,
                _ => object,
            };
            OneLoginErrorBody::from_object(inner).map(VendorError::OneLogin)
        }
        ErrorFormat::Unparsed => None,
    }
}

/// OneLogin v1 answers some failures with HTTP 200 and `{"status": {"error": true, ...}}`.
pub(crate) fn error_in_success(format: ErrorFormat, body: &[u8]) -> Option<VendorError> {
    if format != ErrorFormat::OneLogin || !body.windows(7).any(|w| w == b"\"error\"") {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let status = value.get("status")?.as_object()?;
    if status.get("error").and_then(serde_json::Value::as_bool) != Some(true) {
        return None;
    }
    OneLoginErrorBody::from_object(status).map(VendorError::OneLogin)
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
