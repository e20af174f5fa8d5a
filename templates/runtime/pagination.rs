//! Okta-style pagination: each page's `Link: <url>; rel="next"` header names the next page.

use std::collections::HashSet;

use futures_util::stream::{self, Stream, TryStreamExt};
use reqwest::header::{HeaderMap, LINK};
use serde::de::DeserializeOwned;

use super::{ApiResponse, ClientCore, Error, RequestParts};

/// The `rel="next"` target among every `Link` header line (a line may hold several links).
pub(crate) fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(split_links)
        .find(|(_, params)| {
            params.split(';').any(|param| {
                let Some((key, value)) = param.split_once('=') else {
                    return false;
                };
                key.trim().eq_ignore_ascii_case("rel")
                    && value
                        .trim()
                        .trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|rel| rel.eq_ignore_ascii_case("next"))
            })
        })
        .map(|(target, _)| target.to_owned())
}

/// Splits `<a>; rel="x", <b>; rel="y"` into `(target, params)` pairs. Commas inside `<...>`
/// (legal in URLs) do not split.
fn split_links(line: &str) -> Vec<(&str, &str)> {
    let mut links = Vec::new();
    let mut rest = line;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else {
            break;
        };
        let target = &after[..close];
        let tail = &after[close + 1..];
        // the parameters end at the first comma outside a quoted value
        let mut quoted = false;
        let end = tail
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == ',' && !quoted
            })
            .map_or(tail.len(), |(i, _)| i);
        links.push((target, &tail[..end]));
        rest = &tail[end..];
    }
    links
}

/// Where the next page is, checked: resolved against the current URL, same scheme, host and port
/// as the client's base URL (credentials never go to another host), not seen before (a server
/// repeating a cursor must not keep us looping).
pub(crate) fn next_page_url(
    headers: &HeaderMap,
    current: &reqwest::Url,
    base_url: &str,
    seen: &mut HashSet<String>,
) -> Result<Option<reqwest::Url>, Error> {
    let Some(target) = next_link(headers) else {
        return Ok(None);
    };
    let next = current
        .join(&target)
        .map_err(|e| Error::Protocol(format!("next-page link is not a URL: {e}")))?;
    super::url::check_same_origin(&next, base_url)?;
    if !seen.insert(next.as_str().to_owned()) {
        tracing::warn!("next-page link repeats a page already read; stopping");
        return Ok(None);
    }
    Ok(Some(next))
}

/// Every page of a listing, in order, as a stream. Stops after the page without a next link.
/// `first` is the first page's request, or the error that kept it from being built (yielded
/// as the stream's only item).
pub fn pages<T>(
    core: ClientCore,
    first: Result<RequestParts, Error>,
) -> impl Stream<Item = Result<ApiResponse<Vec<T>>, Error>> + Send + 'static
where
    T: DeserializeOwned + Send + 'static,
{
    struct State {
        core: ClientCore,
        parts: Option<Result<RequestParts, Error>>,
        seen: HashSet<String>,
    }
    let state = State {
        core,
        parts: Some(first),
        seen: HashSet::new(),
    };
    stream::try_unfold(state, |mut state| async move {
        let Some(parts) = state.parts.take() else {
            return Ok(None);
        };
        let parts = parts?;
        let template = parts.clone_for_next_page();
        let url = parts.resolved_url(state.core.base_url())?;
        // every page read, the first included: a link back to it is a loop, not a new page
        state.seen.insert(url.as_str().to_owned());
        let raw = state.core.execute(parts).await?;
        let next = next_page_url(raw.headers(), &url, state.core.base_url(), &mut state.seen);
        let page = raw.decode::<Vec<T>>()?;
        // a bad next link is reported after this page, which is good data
        state.parts = next
            .map(|url| url.map(|url| template.with_absolute_url(url)))
            .transpose();
        Ok(Some((page, state)))
    })
}

/// Every item of every page, as a stream.
pub fn items<T>(
    core: ClientCore,
    first: Result<RequestParts, Error>,
) -> impl Stream<Item = Result<T, Error>> + Send + 'static
where
    T: DeserializeOwned + Send + 'static,
{
    pages::<T>(core, first)
        .map_ok(|page| stream::iter(page.into_inner().into_iter().map(Ok)))
        .try_flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn link_headers(lines: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for line in lines {
            map.append(LINK, HeaderValue::from_str(line).expect("test header"));
        }
        map
    }

    #[test]
    fn finds_next_among_lines_and_joined_links() {
        let separate = link_headers(&[
            r#"<https://acme.okta.com/api/v1/x?limit=2>; rel="self""#,
            r#"<https://acme.okta.com/api/v1/x?after=a,b&limit=2>; rel="next""#,
        ]);
        let joined = link_headers(&[
            r#"<https://acme.okta.com/api/v1/x?limit=2>; rel="self", <https://acme.okta.com/api/v1/x?after=a,b&limit=2>; rel="next""#,
        ]);
        for map in [separate, joined] {
            assert_eq!(
                next_link(&map).as_deref(),
                Some("https://acme.okta.com/api/v1/x?after=a,b&limit=2")
            );
        }
        assert_eq!(
            next_link(&link_headers(&[r#"<https://h/x>; rel="self""#])),
            None
        );
        assert_eq!(
            next_link(&link_headers(&[r#"<https://h/x>; title="a, b"; rel=next"#])).as_deref(),
            Some("https://h/x")
        );
    }

    #[test]
    fn next_page_must_stay_on_the_api_host_and_not_repeat() {
        let current = reqwest::Url::parse("https://acme.okta.com/api/v1/x").expect("url");
        let mut seen = HashSet::new();
        let foreign = link_headers(&[r#"<https://evil.example/api/v1/x?after=1>; rel="next""#]);
        assert!(matches!(
            next_page_url(&foreign, &current, "https://acme.okta.com", &mut seen),
            Err(Error::Protocol(_))
        ));
        let relative = link_headers(&[r#"</api/v1/x?after=1>; rel="next""#]);
        let first = next_page_url(&relative, &current, "https://acme.okta.com", &mut seen);
        assert_eq!(
            first.ok().flatten().map(String::from).as_deref(),
            Some("https://acme.okta.com/api/v1/x?after=1")
        );
        let again = next_page_url(&relative, &current, "https://acme.okta.com", &mut seen);
        assert!(matches!(again, Ok(None)));
    }
}
