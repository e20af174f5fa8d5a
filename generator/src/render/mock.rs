//! The per-provider `mock` module (feature `mock`): one expectation builder per operation,
//! on top of the hand-written `runtime::mock`.

use askama::Template;

use super::{render_err, RenderedFile};
use crate::error::GenError;
use crate::ir::{Api, Operation, SuccessShape};

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
}

#[derive(Template)]
#[template(path = "provider_mock.rs", escape = "none")]
struct MockTemplate<'a> {
    title: &'a str,
    example: String,
    ops: &'a [MockOp<'a>],
    /// One expectation builder per operation, rendered by `mock_operation.rs`.
    items: &'a [String],
}

#[derive(Template)]
#[template(path = "mock_operation.rs", escape = "none")]
struct MockOperation<'a> {
    o: &'a MockOp<'a>,
}

pub(super) fn render_mock(api: &Api, crate_ident: &str) -> Result<RenderedFile, GenError> {
    let ops: Vec<MockOp<'_>> = api
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
    let items = ops
        .iter()
        .map(|o| {
            MockOperation { o }
                .render()
                .map_err(render_err("mock_operation.rs"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let view = MockTemplate {
        title: &api.title,
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
