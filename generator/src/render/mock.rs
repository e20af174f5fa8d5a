//! The per-provider `mock` module (feature `mock`): one expectation builder per operation,
//! on top of the hand-written `runtime::mock`.

use askama::Template;

use super::{render_err, FileKind, RenderedFile};
use crate::error::GenError;
use crate::ir::{Api, Operation, ResponseBody, SuccessShape};

struct MockParam<'a> {
    rust_name: &'a str,
    wire_name: &'a str,
    arg_type: &'a str,
    rust_type: &'a str,
    convert: String,
    /// `path`, `query` or `header`: the `Expectation` method that records it.
    location: &'static str,
}

struct MockOp<'a> {
    op: &'a Operation,
    params: Vec<MockParam<'a>>,
    /// The status `returns` answers with (single-shape successes).
    status: u16,
}

#[derive(Template)]
#[template(path = "provider_mock.rs", escape = "none")]
struct MockTemplate<'a> {
    title: &'a str,
    example: String,
    ops: Vec<MockOp<'a>>,
}

/// The status a success answer uses: the first declared 2xx with a body (or any 2xx for
/// bodiless operations), else 200.
fn success_status(op: &Operation) -> u16 {
    let statuses = || {
        op.responses
            .iter()
            .filter_map(|r| r.status.parse::<u16>().ok().map(|s| (s, r)))
            .filter(|(s, _)| (200..300).contains(s))
    };
    let wants_body = !matches!(op.success.shape, SuccessShape::Empty);
    statuses()
        .find(|(_, r)| !wants_body || !matches!(r.body, ResponseBody::Empty))
        .or_else(|| statuses().next())
        .map_or(200, |(s, _)| s)
}

pub(super) fn render_mock(api: &Api, crate_ident: &str) -> Result<RenderedFile, GenError> {
    let ops = api
        .operations
        .iter()
        .map(|op| MockOp {
            op,
            params: op
                .params
                .iter()
                .map(|p| MockParam {
                    rust_name: &p.rust_name,
                    wire_name: &p.wire_name,
                    arg_type: &p.arg_type,
                    rust_type: &p.rust_type,
                    convert: p.conversion.apply("value"),
                    location: p.location.as_str(),
                })
                .collect(),
            status: success_status(op),
        })
        .collect();
    let example = [
        format!(
            "let mock = {crate_ident}::{}::mock::MockServer::start().await;",
            api.module
        ),
        "let client = mock.client();".to_owned(),
        "assert!(client.base_url().starts_with(\"http://127.0.0.1\"));".to_owned(),
        "assert!(mock.received().await.is_empty());".to_owned(),
    ]
    .iter()
    .map(|line| format!("//! {line}"))
    .collect::<Vec<_>>()
    .join("\n");
    let view = MockTemplate {
        title: &api.title,
        example,
        ops,
    };
    Ok(RenderedFile {
        path: format!("src/{}/mock.rs", api.module),
        template: "provider_mock.rs",
        text: view.render().map_err(render_err("provider_mock.rs"))?,
        kind: FileKind::Rust,
    })
}
