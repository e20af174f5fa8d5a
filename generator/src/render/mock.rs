//! The per-provider `mock` module (feature `mock`): one expectation builder per operation,
//! on top of the hand-written `runtime::mock`.

use askama::Template;

use super::escape::{self, DocLine, DocText, RustCode, RustStr};
use super::operations::param_call;
use super::{render_err, RenderedFile};
use crate::error::GenError;
use crate::ir::{Api, Operation, SuccessShape};

struct MockParam<'a> {
    rust_name: &'a str,
    /// The wire name as a code span for docs.
    wire_doc: DocText,
    arg_type: &'a str,
    rust_type: &'a str,
    convert: String,
    /// `self.inner.query("name", &value);`: the `Expectation` call that records it, serialised
    /// as the builder serialises it.
    expect: RustCode,
    /// `path`, `query`, `header` or `cookie`, for docs.
    location: &'static str,
}

struct MockOp<'a> {
    op: &'a Operation,
    /// The operation's `#[cfg]`, with per-tag features.
    cfg: RustCode,
    operation_id: RustStr,
    operation_id_doc: DocText,
    path: RustStr,
    /// `GET /path` for docs.
    path_doc: DocText,
    params: Vec<MockParam<'a>>,
    /// The `.body(value)` argument as the typed body (`value.into()` for `impl Into<T>`).
    body_convert: String,
}

#[derive(Template)]
#[template(path = "provider_mock.rs")]
struct MockTemplate<'a> {
    title: DocText,
    example: Vec<DocLine>,
    ops: &'a [MockOp<'a>],
    /// One expectation builder per operation, rendered by `mock_operation.rs`.
    items: &'a [String],
}

#[derive(Template)]
#[template(path = "mock_operation.rs")]
struct MockOperation<'a> {
    o: &'a MockOp<'a>,
}

pub(super) fn render_mock(api: &Api, crate_ident: &str) -> Result<RenderedFile, GenError> {
    let ops: Vec<MockOp<'_>> = api
        .operations
        .iter()
        .map(|op| MockOp {
            op,
            cfg: super::gates::cfg(&op.gate),
            operation_id: escape::rust_str(&op.operation_id),
            operation_id_doc: escape::doc_code(&op.operation_id),
            path: escape::rust_str(&op.path),
            path_doc: escape::doc_text(&format!("{} {}", op.http_method.as_str(), op.path)),
            params: op
                .params
                .iter()
                .map(|p| MockParam {
                    rust_name: &p.rust_name,
                    wire_doc: escape::doc_code(&p.wire_name),
                    arg_type: &p.arg_type,
                    rust_type: &p.rust_type,
                    convert: p.conversion.apply("value"),
                    expect: param_call("self.inner", p, "&value", false),
                    location: p.location.as_str(),
                })
                .collect(),
            body_convert: op
                .body
                .as_ref()
                .map(|b| b.conversion.apply("value"))
                .unwrap_or_default(),
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
    .map(|line| escape::doc_line("//!", line))
    .collect();
    let items = ops
        .iter()
        .map(|o| {
            MockOperation { o }
                .render()
                .map_err(render_err("mock_operation.rs"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let view = MockTemplate {
        title: escape::doc_text(&api.title),
        example,
        ops: &ops,
        items: &items,
    };
    Ok(RenderedFile::rust_items(
        format!("src/{}/mock.rs", api.module),
        "provider_mock.rs",
        view.render().map_err(render_err("provider_mock.rs"))?,
        &items,
    ))
}
