//! Header names and values a caller or a provider config supplies: checked before they reach
//! the wire (no line breaks, no message-framing headers).

use reqwest::header::{
    HeaderName, HeaderValue, CONNECTION, CONTENT_LENGTH, HOST, TE, TRAILER, TRANSFER_ENCODING,
    UPGRADE,
};

use super::error::Error;

/// Header values must be visible ASCII, space or tab: a CR or LF could smuggle a second header.
pub(crate) fn header_value(name: &str, value: &str) -> Result<HeaderValue, Error> {
    let clean = value
        .bytes()
        .all(|b| b == b'\t' || (0x20..0x7f).contains(&b));
    if !clean {
        return Err(Error::invalid_input(format!(
            "header `{name}` contains a control or non-ASCII character"
        )));
    }
    HeaderValue::from_str(value)
        .map_err(|_| Error::invalid_input(format!("header `{name}` has an invalid value")))
}

/// Headers that frame the message or steer the connection, not the API call: a caller's
/// `Content-Length: 1` truncates the body on the wire, `Host` or `Connection` change where and
/// how it is sent. The HTTP client sets them; a request carrying them is refused before it is
/// sent. `Authorization` stays allowed: with `Auth::none()` it is the way to send a scheme the
/// crate does not know, and any configured auth replaces it on every attempt.
const FRAMING_HEADERS: [HeaderName; 9] = [
    CONTENT_LENGTH,
    TRANSFER_ENCODING,
    HOST,
    CONNECTION,
    HeaderName::from_static("keep-alive"),
    HeaderName::from_static("proxy-connection"),
    TE,
    TRAILER,
    UPGRADE,
];

pub(crate) fn refuse_framing_header(name: &HeaderName) -> Result<(), Error> {
    if FRAMING_HEADERS.contains(name) {
        return Err(Error::invalid_input(format!(
            "header `{name}` frames the HTTP message and is set by the client; it cannot be set per call"
        )));
    }
    Ok(())
}

pub(crate) fn header_name(name: &str) -> Result<HeaderName, Error> {
    HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid_header_name(name))
}

pub(crate) fn invalid_header_name(name: &str) -> Error {
    Error::invalid_input(format!("`{name}` is not a valid header name"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_reject_line_breaks() {
        assert!(header_value("X-Forwarded-For", "1.2.3.4\r\nX-Evil: 1").is_err());
        assert!(header_value("X-Forwarded-For", "1.2.3.4\n").is_err());
        assert!(header_value("User-Agent", "caf\u{e9}").is_err());
        assert!(header_value("User-Agent", "Mozilla/5.0 (X11)").is_ok());
    }
}
