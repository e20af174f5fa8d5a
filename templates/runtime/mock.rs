//! Test doubles: a loopback server that answers like a provider, built on
//! `wiremock`. Each provider module's generated `mock` module adds one typed expectation
//! builder per operation on top of this.
//!
//! A request that matches no expectation is answered `418` with a message naming the operation
//! (found by method and path template) and how it differs from each expectation of that
//! operation; the test then fails when the mock server is dropped, listing those requests.
//!
//! Available with the `mock` feature.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use wiremock::{Match, Mock, Request, Respond, ResponseTemplate};

use super::rate_limit::{RateLimitHeaders, ResetClock};
use super::{Auth, Profile};

// the parameter expectations, serialised as the client serialises them
mod params;

/// An operation as the mock knows it: id, method and path template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MockOperation {
    pub operation_id: &'static str,
    pub method: &'static str,
    pub path: &'static str,
}

impl MockOperation {
    /// Does `request` have this operation's method and path shape?
    fn matches(&self, request: &Request) -> bool {
        request.method.as_str().eq_ignore_ascii_case(self.method)
            && path_matches(self.path, &[], request.url.path())
    }
}

/// The query of `request` as `(name, value)` pairs, still percent-encoded.
fn raw_query_pairs(request: &Request) -> impl Iterator<Item = (&str, &str)> {
    request
        .url
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
}

/// `/api/v1/users/{userId}` against a request path; `fixed` pins some `{params}` to encoded
/// values, the others match any one non-empty segment.
fn path_matches(template: &str, fixed: &[(&'static str, String)], actual: &str) -> bool {
    let expected: Vec<&str> = template.split('/').collect();
    let actual: Vec<&str> = actual.split('/').collect();
    expected.len() == actual.len()
        && expected.iter().zip(&actual).all(|(want, got)| {
            match want.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
                Some(name) => match fixed.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => value == got,
                    None => !got.is_empty(),
                },
                None => want == got,
            }
        })
}

#[derive(Default)]
struct Ledger {
    expectations: Vec<Arc<Expectation>>,
    unexpected: Vec<String>,
}

/// A provider's mock server. Dropping it checks that every expectation was met and that no
/// request went unanswered; failures panic with the operation and the difference.
pub struct MockCore {
    server: wiremock::MockServer,
    ledger: Arc<Mutex<Ledger>>,
    profile: Profile,
}

impl fmt::Debug for MockCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockCore")
            .field("uri", &self.server.uri())
            .field("provider", &self.profile.provider)
            .finish_non_exhaustive()
    }
}

impl MockCore {
    /// Starts a server on a loopback port that knows `operations`.
    pub async fn start(profile: Profile, operations: &'static [MockOperation]) -> Self {
        let server = wiremock::MockServer::start().await;
        let ledger = Arc::new(Mutex::new(Ledger::default()));
        Mock::given(AnyRequest)
            .respond_with(Unexpected {
                ledger: ledger.clone(),
                operations,
            })
            .with_priority(u8::MAX)
            .named("unexpected requests")
            .mount(&server)
            .await;
        Self {
            server,
            ledger,
            profile,
        }
    }

    /// `http://127.0.0.1:<port>`: the base URL to give the client under test.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A client builder for this server: plain HTTP allowed, no retry waits longer than the
    /// server's answers ask for.
    pub fn client_builder<C: From<super::ClientCore>>(&self) -> super::ClientBuilder<C> {
        super::ClientBuilder::new(self.uri(), self.profile)
            .allow_http(true)
            .auth(Auth::bearer("mock-token"))
    }

    /// Every request the server received, in order.
    pub async fn received(&self) -> Vec<Request> {
        self.server.received_requests().await.unwrap_or_default()
    }

    /// The underlying wiremock server, for expectations the typed builders cannot express.
    pub fn wiremock(&self) -> &wiremock::MockServer {
        &self.server
    }

    /// The answers the server gave to requests no expectation matched, so far.
    pub fn unexpected(&self) -> Vec<String> {
        self.ledger
            .lock()
            .map(|l| l.unexpected.clone())
            .unwrap_or_default()
    }

    pub(crate) fn profile(&self) -> &Profile {
        &self.profile
    }
}

impl Drop for MockCore {
    fn drop(&mut self) {
        let unexpected = self.unexpected();
        if !unexpected.is_empty() && !std::thread::panicking() {
            panic!(
                "the {} mock received {} request(s) that no expectation matched:\n- {}",
                self.profile.provider,
                unexpected.len(),
                unexpected.join("\n- ")
            );
        }
    }
}

/// What a test expects of one request. Every part is optional: an expectation without path
/// ids matches any ids, one without a body matches any body.
#[derive(Debug, Clone)]
pub struct Expectation {
    operation: MockOperation,
    path: Vec<(&'static str, String)>,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    /// `name=value` pairs the `Cookie` header must carry (encoded, as the client sends them).
    cookies: Vec<String>,
    body: Option<serde_json::Value>,
    /// Values that cannot be sent at all (e.g. a `..` path id): reported at mount.
    invalid: Vec<String>,
}

impl Expectation {
    pub fn new(operation: MockOperation) -> Self {
        Self {
            operation,
            path: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            invalid: Vec::new(),
        }
    }

    /// Expects this JSON body (compared as JSON values, so key order does not matter).
    pub fn json_body(&mut self, body: &impl serde::Serialize) {
        match serde_json::to_value(body) {
            Ok(value) => self.body = Some(value),
            Err(e) => self.invalid.push(format!("body cannot be serialised: {e}")),
        }
    }

    /// Why `request` does not match, one line per difference; empty when it matches.
    pub fn differences(&self, request: &Request) -> Vec<String> {
        let mut out = Vec::new();
        if !self.operation.matches(request) {
            out.push(format!(
                "expected {} {}, got {} {}",
                self.operation.method,
                self.operation.path,
                request.method,
                request.url.path()
            ));
            return out;
        }
        if !path_matches(self.operation.path, &self.path, request.url.path()) {
            let wanted: Vec<String> = self.path.iter().map(|(n, v)| format!("{n}={v}")).collect();
            out.push(format!(
                "path ids differ: expected {}, got {}",
                wanted.join(", "),
                request.url.path()
            ));
        }
        let mut names: Vec<&str> = self.query.iter().map(|(n, _)| n.as_str()).collect();
        names.dedup();
        for name in names {
            let want: Vec<&str> = self
                .query
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
                .collect();
            // compared as sent (still percent-encoded): a style's delimiters are significant
            let got: Vec<&str> = raw_query_pairs(request)
                .filter(|(n, _)| *n == name)
                .map(|(_, v)| v)
                .collect();
            if want != got {
                out.push(format!("query `{name}`: expected {want:?}, got {got:?}"));
            }
        }
        if !self.cookies.is_empty() {
            let got: Vec<&str> = request
                .headers
                .get_all("cookie")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split("; "))
                .collect();
            for want in &self.cookies {
                if !got.contains(&want.as_str()) {
                    out.push(format!("cookie `{want}`: not in {got:?}"));
                }
            }
        }
        for (name, want) in &self.headers {
            let got: Vec<&str> = request
                .headers
                .get_all(name.as_str())
                .iter()
                .map(|v| v.to_str().unwrap_or("<not text>"))
                .collect();
            if got != [want.as_str()] {
                out.push(format!("header `{name}`: expected {want:?}, got {got:?}"));
            }
        }
        if let Some(want) = &self.body {
            match serde_json::from_slice::<serde_json::Value>(&request.body) {
                Ok(got) => {
                    if let Some(diff) = first_difference(want, &got, String::new()) {
                        out.push(format!("body: {diff}"));
                    }
                }
                Err(_) if request.body.is_empty() => {
                    out.push("body: expected JSON, got no body".to_owned())
                }
                Err(_) => out.push("body: expected JSON, got something else".to_owned()),
            }
        }
        out
    }

    /// Answers with `status` and `body` as JSON.
    pub fn json_answer<'m>(
        mut self,
        mock: &'m MockCore,
        status: u16,
        body: &impl serde::Serialize,
    ) -> Mocked<'m> {
        let template = match serde_json::to_value(body) {
            Ok(serde_json::Value::Null) => ResponseTemplate::new(status),
            Ok(value) => ResponseTemplate::new(status).set_body_json(value),
            Err(e) => {
                self.invalid
                    .push(format!("answer cannot be serialised: {e}"));
                ResponseTemplate::new(500)
            }
        };
        Mocked::new(mock, self, template)
    }

    /// Answers with `status` and no body.
    pub fn empty_answer(self, mock: &MockCore, status: u16) -> Mocked<'_> {
        Mocked::new(mock, self, ResponseTemplate::new(status))
    }

    /// Answers 429 with the provider's rate-limit headers, the window resetting after `reset`.
    pub fn rate_limited_answer(self, mock: &MockCore, reset: Duration) -> Mocked<'_> {
        let mut template = ResponseTemplate::new(429);
        if let Some(RateLimitHeaders {
            limit,
            remaining,
            reset: reset_header,
            clock,
        }) = mock.profile().rate_limit
        {
            let reset_value = match clock {
                ResetClock::EpochSeconds => SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs())
                    .saturating_add(reset.as_secs()),
                ResetClock::DeltaSeconds => reset.as_secs(),
            };
            template = template
                .insert_header(limit, "50")
                .insert_header(remaining, "0")
                .insert_header(reset_header, reset_value.to_string().as_str());
        } else {
            template = template.insert_header("Retry-After", reset.as_secs().to_string().as_str());
        }
        Mocked::new(mock, self, template)
    }

    /// Answers with a raw wiremock template.
    pub fn raw_answer(self, mock: &MockCore, template: ResponseTemplate) -> Mocked<'_> {
        Mocked::new(mock, self, template)
    }
}

/// The first place where `got` differs from `want`, as a JSON pointer and both values.
fn first_difference(
    want: &serde_json::Value,
    got: &serde_json::Value,
    at: String,
) -> Option<String> {
    use serde_json::Value;
    let here = || {
        if at.is_empty() {
            "/".to_owned()
        } else {
            at.clone()
        }
    };
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (key, wv) in w {
                match g.get(key) {
                    Some(gv) => {
                        if let Some(d) = first_difference(wv, gv, format!("{at}/{key}")) {
                            return Some(d);
                        }
                    }
                    None => return Some(format!("{at}/{key}: expected {wv}, missing")),
                }
            }
            g.keys()
                .find(|k| !w.contains_key(*k))
                .map(|k| format!("{at}/{k}: not expected, got {}", g[k.as_str()]))
        }
        (Value::Array(w), Value::Array(g)) if w.len() == g.len() => w
            .iter()
            .zip(g)
            .enumerate()
            .find_map(|(i, (wv, gv))| first_difference(wv, gv, format!("{at}/{i}"))),
        _ if want == got => None,
        _ => Some(format!("{}: expected {want}, got {got}", here())),
    }
}

/// An expectation with its answer, ready to mount.
#[must_use = "an expectation does nothing until `.mount().await`"]
pub struct Mocked<'a> {
    mock: &'a MockCore,
    expectation: Expectation,
    template: ResponseTemplate,
    times: Option<u64>,
}

impl fmt::Debug for Mocked<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mocked")
            .field("expectation", &self.expectation)
            .field("times", &self.times)
            .finish_non_exhaustive()
    }
}

impl<'a> Mocked<'a> {
    fn new(mock: &'a MockCore, expectation: Expectation, template: ResponseTemplate) -> Self {
        Self {
            mock,
            expectation,
            template,
            times: None,
        }
    }

    /// Answer exactly `n` matching requests, then let later expectations answer (default: any
    /// number, at least one).
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// Waits this long before answering (to test timeouts).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.template = self.template.set_delay(delay);
        self
    }

    /// Adds a response header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.template = self.template.insert_header(name, value);
        self
    }

    /// Registers the expectation. Panics if it holds a value the client could never send.
    pub async fn mount(self) {
        let Mocked {
            mock,
            expectation,
            template,
            times,
        } = self;
        if !expectation.invalid.is_empty() {
            panic!(
                "{}: invalid expectation: {}",
                expectation.operation.operation_id,
                expectation.invalid.join("; ")
            );
        }
        let expectation = Arc::new(expectation);
        if let Ok(mut ledger) = mock.ledger.lock() {
            ledger.expectations.push(expectation.clone());
        }
        let name = expectation.operation.operation_id;
        let mut wire = Mock::given(Matches(expectation))
            .respond_with(template)
            .named(name);
        wire = match times {
            Some(n) => wire.up_to_n_times(n).expect(n),
            None => wire.expect(1..),
        };
        wire.mount(&mock.server).await;
    }
}

struct Matches(Arc<Expectation>);

impl Match for Matches {
    fn matches(&self, request: &Request) -> bool {
        self.0.differences(request).is_empty()
    }
}

struct AnyRequest;

impl Match for AnyRequest {
    fn matches(&self, _request: &Request) -> bool {
        true
    }
}

/// Answers requests no expectation matched, and records why.
struct Unexpected {
    ledger: Arc<Mutex<Ledger>>,
    operations: &'static [MockOperation],
}

impl Respond for Unexpected {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let operation = self.operations.iter().find(|op| op.matches(request));
        let mut message = match operation {
            Some(op) => format!(
                "{} ({} {}): no expectation matched",
                op.operation_id, request.method, op.path
            ),
            None => format!(
                "{} {}: not an operation of this provider",
                request.method,
                request.url.path()
            ),
        };
        if let (Some(op), Ok(mut ledger)) = (operation, self.ledger.lock()) {
            let candidates: Vec<String> = ledger
                .expectations
                .iter()
                .filter(|e| e.operation == *op)
                .map(|e| e.differences(request).join("; "))
                .collect();
            if candidates.is_empty() {
                message.push_str(" (none registered for it)");
            }
            for (i, diff) in candidates.iter().enumerate() {
                message.push_str(&format!("\n  expectation {}: {diff}", i + 1));
            }
            ledger.unexpected.push(message.clone());
        } else if let Ok(mut ledger) = self.ledger.lock() {
            ledger.unexpected.push(message.clone());
        }
        ResponseTemplate::new(418).set_body_string(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn path_templates_match_segments() {
        let t = "/api/v1/users/{userId}/factors/{factorId}";
        assert!(path_matches(t, &[], "/api/v1/users/u1/factors/f1"));
        assert!(!path_matches(t, &[], "/api/v1/users/u1/factors"));
        assert!(!path_matches(t, &[], "/api/v1/users//factors/f1"));
        let fixed = [("userId", "u1".to_owned())];
        assert!(path_matches(t, &fixed, "/api/v1/users/u1/factors/f9"));
        assert!(!path_matches(t, &fixed, "/api/v1/users/u2/factors/f9"));
    }

    #[test]
    fn json_differences_name_the_pointer() {
        let want = json!({"passCode": "123456", "a": [1, 2]});
        assert_eq!(first_difference(&want, &want.clone(), String::new()), None);
        let got = json!({"passCode": "000000", "a": [1, 2]});
        assert_eq!(
            first_difference(&want, &got, String::new()).as_deref(),
            Some(r#"/passCode: expected "123456", got "000000""#)
        );
        let extra = json!({"passCode": "123456", "a": [1, 2], "b": true});
        assert_eq!(
            first_difference(&want, &extra, String::new()).as_deref(),
            Some("/b: not expected, got true")
        );
    }
}
