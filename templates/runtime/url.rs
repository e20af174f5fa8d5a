//! The base URL a client is built with and the URLs a server hands back: which are accepted,
//! and whether a link stays on the API's origin (following it sends the credentials along).

use super::error::Error;

pub(crate) fn validate_base_url(raw: &str, allow_http: bool) -> Result<String, Error> {
    if raw.contains(['{', '}']) {
        return Err(Error::invalid_input(format!(
            "base URL `{raw}` still contains a placeholder such as {{yourOktaDomain}}"
        )));
    }
    let url = reqwest::Url::parse(raw)
        .map_err(|e| Error::invalid_input(format!("base URL `{raw}` is not a valid URL: {e}")))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_http => {}
        "http" => {
            return Err(Error::invalid_input(format!(
                "base URL `{raw}` is not https; use allow_http(true) only for local test servers"
            )))
        }
        other => {
            return Err(Error::invalid_input(format!(
                "base URL scheme `{other}` is not supported"
            )))
        }
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid_input(format!(
            "base URL `{raw}` must not have a query or fragment"
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::invalid_input(format!(
            "base URL `{raw}` has no host"
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid_input(
            "base URL must not contain credentials; use the client's auth".to_owned(),
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// A URL handed out by the server (next page, poll link) must point at the API's own origin:
/// following it sends the credentials along.
pub(crate) fn check_same_origin(url: &reqwest::Url, base_url: &str) -> Result<(), Error> {
    let base = reqwest::Url::parse(base_url)
        .map_err(|e| Error::invalid_input(format!("base URL does not parse: {e}")))?;
    if url.origin() == base.origin() {
        Ok(())
    } else {
        Err(Error::Protocol(format!(
            "the server linked to another origin ({}); not following it with this client's credentials",
            url.origin().ascii_serialization()
        )))
    }
}

/// Scheme, host and port equal (the URL origin of an `http(s)` URL), compared without the
/// allocations of `Url::origin` on the path every response takes.
pub(crate) fn same_origin(a: &reqwest::Url, b: &reqwest::Url) -> bool {
    a.scheme() == b.scheme()
        && a.host() == b.host()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// A spec's server URL template with each `{name}` replaced by its value, percent-encoded
/// except for letters, digits and `-._~`: a value names one host label or path segment and
/// cannot add a path, a port, a user or another host. The result is checked like any base URL
/// when the client is built.
pub fn expand_server_url(template: &str, values: &[(&str, &str)]) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    values
        .iter()
        .fold(template.to_owned(), |url, (name, value)| {
            let encoded = percent_encoding::utf8_percent_encode(value, KEEP).to_string();
            url.replace(&format!("{{{name}}}"), &encoded)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_rules() {
        assert_eq!(
            validate_base_url("https://acme.okta.com/", false)
                .ok()
                .as_deref(),
            Some("https://acme.okta.com")
        );
        assert!(validate_base_url("https://{yourOktaDomain}", false).is_err());
        assert!(validate_base_url("http://127.0.0.1:8080", false).is_err());
        assert_eq!(
            validate_base_url("http://127.0.0.1:8080", true)
                .ok()
                .as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert!(validate_base_url("ftp://x", true).is_err());
        assert!(validate_base_url("https://x/?a=b", false).is_err());
        assert!(validate_base_url("https://user:pw@x", false).is_err());
    }

    #[test]
    fn links_must_stay_on_the_api_origin() {
        let same = reqwest::Url::parse("https://acme.okta.com/api/v1/x?after=1").expect("url");
        let other = reqwest::Url::parse("https://acme.okta.com.evil.io/api").expect("url");
        let port = reqwest::Url::parse("https://acme.okta.com:8443/api").expect("url");
        assert!(check_same_origin(&same, "https://acme.okta.com").is_ok());
        assert!(check_same_origin(&other, "https://acme.okta.com").is_err());
        assert!(check_same_origin(&port, "https://acme.okta.com").is_err());
    }

    #[test]
    fn server_variables_fill_one_label_or_segment() {
        let template = "https://{region}.example.com/{version}";
        assert_eq!(
            expand_server_url(template, &[("region", "eu"), ("version", "v2")]),
            "https://eu.example.com/v2"
        );
        assert_eq!(
            expand_server_url(template, &[("region", "evil.com/x?"), ("version", "a@b:1")]),
            "https://evil.com%2Fx%3F.example.com/a%40b%3A1"
        );
    }
}
