//! Okta's error body: `{errorCode, errorSummary, errorLink, errorId, errorCauses}`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

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

/// An Okta error body; `None` when the body is not one (no code and no summary).
pub(super) fn parse_error(body: &[u8]) -> Option<OktaErrorBody> {
    let parsed: OktaErrorBody = serde_json::from_slice(body).ok()?;
    let meaningful = parsed.error_code.is_some() || parsed.error_summary.is_some();
    meaningful.then_some(parsed)
}
