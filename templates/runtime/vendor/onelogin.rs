//! OneLogin's error bodies: `{"status": {error, code, type, message}}`, the flat form of the
//! same, or the v2 form `{statusCode, name, message}`.

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

/// A OneLogin error body in any of its shapes; `None` when the body is not one.
pub(super) fn parse_error(body: &[u8]) -> Option<OneLoginErrorBody> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let object = value.as_object()?;
    let inner = match object.get("status") {
        Some(serde_json::Value::Object(status)) => status,
        _ => object,
    };
    OneLoginErrorBody::from_object(inner)
}

/// OneLogin v1 answers some failures with HTTP 200 and `{"status": {"error": true, ...}}`.
pub(super) fn error_in_success(body: &[u8]) -> Option<OneLoginErrorBody> {
    if !body.windows(7).any(|w| w == b"\"error\"") {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let status = value.get("status")?.as_object()?;
    if status.get("error").and_then(serde_json::Value::as_bool) != Some(true) {
        return None;
    }
    OneLoginErrorBody::from_object(status)
}
