use super::error::Error;
use super::params::style::{self, encode};
use super::params::{joined, ParamError, ParamValue, Style};
use super::url::check_same_origin;

impl From<ParamError> for Error {
    fn from(e: ParamError) -> Self {
        Error::invalid_input(e.0)
    }
}

/// Encodes a value as exactly one path segment (`simple` style, the default). Every character
/// but RFC 3986 unreserved ones is percent-encoded, `/` included, so a parameter can never
/// change which resource the path names. An empty value, `.` or `..` is refused: URL parsers
/// resolve them (even percent-encoded) and the request would reach another resource, e.g.
/// `DELETE /users/{id}/factors/..` becomes `DELETE /users/{id}/`.
pub fn encode_path_segment(value: &(impl ParamValue + ?Sized)) -> Result<String, Error> {
    let text = joined(value);
    if text.is_empty() || text == "." || text == ".." {
        return Err(Error::invalid_input(format!(
            "path parameter `{text}` is empty or a dot segment"
        )));
    }
    // most ids need no escaping: then the joined text is the segment, with no second copy
    let encoded: std::borrow::Cow<'_, str> =
        percent_encoding::utf8_percent_encode(&text, style::UNRESERVED).into();
    Ok(match encoded {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(encoded) => encoded,
    })
}

/// A path parameter in a `style` other than the default (`label`, `matrix`, or `simple` with
/// an object or `explode`): one segment, encoded as [`encode_path_segment`] does.
pub fn encode_path_param(
    name: &str,
    style: Style,
    explode: bool,
    value: &(impl ParamValue + ?Sized),
) -> Result<String, Error> {
    Ok(style::path_segment(name, style, explode, &value.shape()?)?)
}

/// Extra headers and query pairs a caller adds to one request (the escape hatch for what the
/// spec does not describe).
#[derive(Debug, Clone, Default)]
pub struct Extras {
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) query: Vec<(String, String)>,
}

impl Extras {
    pub fn header(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.headers.push((name.into(), value.into()));
    }

    pub fn query(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.query.push((name.into(), value.into()));
    }
}

/// One request as the generated code describes it, before the runtime sends it.
///
/// `Debug` shows the operation and the path template only: ids, query values and bodies can be
/// personal data or one-time codes.
#[derive(Clone)]
pub struct RequestParts {
    pub(crate) method: reqwest::Method,
    pub(crate) operation_id: &'static str,
    pub(crate) path_template: &'static str,
    pub(crate) path: String,
    /// Query pairs, name and value already percent-encoded: a style's delimiters (`,`, `|`,
    /// `[`/`]`) are written as they are, everything from a value is encoded.
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Option<Vec<u8>>,
    /// A URL the server handed out (a next-page or poll link), used as it is.
    pub(crate) absolute_url: Option<reqwest::Url>,
}

impl std::fmt::Debug for RequestParts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestParts")
            .field("operation_id", &self.operation_id)
            .field("method", &self.method)
            .field("path_template", &self.path_template)
            .finish_non_exhaustive()
    }
}

impl RequestParts {
    pub fn new(
        method: reqwest::Method,
        operation_id: &'static str,
        path_template: &'static str,
        path: String,
    ) -> Self {
        Self {
            method,
            operation_id,
            path_template,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            absolute_url: None,
        }
    }

    /// A request to a URL the server handed out, such as the `_links.poll.href` of a push
    /// transaction. The URL is used exactly as given (it is never rebuilt from ids); it must be
    /// on the client's host, which the runtime checks before sending.
    pub fn absolute(
        method: reqwest::Method,
        operation_id: &'static str,
        path_template: &'static str,
        url: &str,
    ) -> Result<Self, Error> {
        let url = reqwest::Url::parse(url)
            .map_err(|e| Error::Protocol(format!("link from the server is not a URL: {e}")))?;
        let mut parts = Self::new(method, operation_id, path_template, String::new());
        parts.absolute_url = Some(url);
        Ok(parts)
    }

    /// Adds `name=value` pairs (one per value: form style, exploded, the default).
    pub fn query(&mut self, name: &str, value: &(impl ParamValue + ?Sized)) {
        let mut values = Vec::new();
        value.push_values(&mut values);
        for value in values {
            self.query.push((encode(name), encode(&value)));
        }
    }

    /// Adds a query parameter in the given `style` (`form`, `spaceDelimited`,
    /// `pipeDelimited`, `deepObject`) and `explode`.
    pub fn query_styled(
        &mut self,
        name: &str,
        style: Style,
        explode: bool,
        value: &(impl ParamValue + ?Sized),
    ) -> Result<(), Error> {
        let pairs = style::query_pairs(name, style, explode, &value.shape()?)?;
        self.query.extend(pairs);
        Ok(())
    }

    /// Sets a header parameter. Values are validated when the request is sent.
    pub fn header(&mut self, name: &str, value: &(impl ParamValue + ?Sized)) {
        self.headers.push((name.to_owned(), joined(value)));
    }

    /// Sets a header parameter in the `simple` style with `explode` (objects: `k,v` or `k=v`).
    pub fn header_styled(
        &mut self,
        name: &str,
        style: Style,
        explode: bool,
        value: &(impl ParamValue + ?Sized),
    ) -> Result<(), Error> {
        let text = style::header_value(style, explode, &value.shape()?)?;
        self.headers.push((name.to_owned(), text));
        Ok(())
    }

    /// Adds a cookie parameter (`form` style): its pairs join the request's one `Cookie`
    /// header, `; ` between pairs.
    pub fn cookie_styled(
        &mut self,
        name: &str,
        style: Style,
        explode: bool,
        value: &(impl ParamValue + ?Sized),
    ) -> Result<(), Error> {
        let pairs = style::cookie_pairs(name, style, explode, &value.shape()?)?.join("; ");
        if pairs.is_empty() {
            return Ok(());
        }
        match self
            .headers
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case("cookie"))
        {
            Some((_, cookie)) => {
                cookie.push_str("; ");
                cookie.push_str(&pairs);
            }
            None => self.headers.push(("Cookie".to_owned(), pairs)),
        }
        Ok(())
    }

    /// Serialises the JSON body.
    pub fn json(&mut self, body: &impl serde::Serialize) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::invalid_input(format!("request body cannot be serialised: {e}")))?;
        self.body = Some(bytes);
        Ok(())
    }

    pub fn extend(&mut self, extras: Extras) {
        self.headers.extend(extras.headers);
        let encoded = extras
            .query
            .into_iter()
            .map(|(name, value)| (encode(&name), encode(&value)));
        self.query.extend(encoded);
    }

    /// The same request for the next page: the link replaces path and query.
    pub(crate) fn clone_for_next_page(&self) -> Self {
        let mut next = self.clone();
        next.query.clear();
        next
    }

    pub(crate) fn with_absolute_url(mut self, url: reqwest::Url) -> Self {
        self.absolute_url = Some(url);
        self
    }

    /// The URL to send to: the server-given one, or base URL + encoded path + query.
    pub(crate) fn resolved_url(&self, base_url: &str) -> Result<reqwest::Url, Error> {
        if let Some(url) = &self.absolute_url {
            check_same_origin(url, base_url)?;
            return Ok(url.clone());
        }
        reqwest::Url::parse(&self.url(base_url))
            .map_err(|e| Error::invalid_input(format!("request URL does not parse: {e}")))
    }

    pub(crate) fn url(&self, base_url: &str) -> String {
        let mut url = String::with_capacity(base_url.len() + self.path.len() + 32);
        url.push_str(base_url);
        url.push_str(&self.path);
        for (i, (name, value)) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(name);
            url.push('=');
            url.push_str(value);
        }
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_cannot_escape() {
        let encode = |v: &str| encode_path_segment(v).ok();
        assert_eq!(encode("../admin").as_deref(), Some("..%2Fadmin"));
        assert_eq!(encode("a b/c?d#e").as_deref(), Some("a%20b%2Fc%3Fd%23e"));
        assert_eq!(encode("ftxyz.abc-1_~").as_deref(), Some("ftxyz.abc-1_~"));
        assert_eq!(encode_path_segment(&42i64).ok().as_deref(), Some("42"));
        for dot in ["", ".", ".."] {
            assert!(
                matches!(encode_path_segment(dot), Err(Error::InvalidInput(_))),
                "{dot:?}"
            );
        }
    }

    #[test]
    fn query_pairs_are_encoded_and_exploded() {
        let mut parts = RequestParts::new(reqwest::Method::GET, "op", "/x", "/x".into());
        parts.query("filter", "status eq \"ACTIVE\"&x");
        parts.query("id", &vec![1i64, 2]);
        parts.query("flag", &true);
        assert_eq!(
            parts.url("https://h"),
            "https://h/x?filter=status%20eq%20%22ACTIVE%22%26x&id=1&id=2&flag=true"
        );
    }

    #[test]
    fn styled_parameters_keep_their_delimiters_and_share_one_cookie_header() {
        let mut parts = RequestParts::new(reqwest::Method::GET, "op", "/x", "/x".into());
        let colors = vec!["blue".to_owned(), "a|b".to_owned()];
        let ok = parts.query_styled("c", Style::PipeDelimited, false, &colors);
        assert!(ok.is_ok());
        let object = super::super::params::Serialized(&serde_json::json!({"R": 100}));
        assert!(parts
            .query_styled("o", Style::DeepObject, true, &object)
            .is_ok());
        parts.extend(Extras {
            headers: Vec::new(),
            query: vec![("x y".into(), "1&2".into())],
        });
        assert_eq!(
            parts.url("https://h"),
            "https://h/x?c=blue|a%7Cb&o[R]=100&x%20y=1%262"
        );
        assert!(parts.cookie_styled("a", Style::Form, true, "1").is_ok());
        assert!(parts
            .cookie_styled("b", Style::Form, false, &colors)
            .is_ok());
        assert_eq!(
            parts.headers,
            vec![("Cookie".to_owned(), "a=1; b=blue,a%7Cb".to_owned())]
        );
        let nested = super::super::params::Serialized(&serde_json::json!({"R": [1]}));
        assert!(matches!(
            parts.query_styled("n", Style::Form, true, &nested),
            Err(Error::InvalidInput(_))
        ));
    }
}
