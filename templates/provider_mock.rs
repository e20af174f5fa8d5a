//! Test doubles for the {{ title }} client: a loopback server with one typed
//! expectation builder per operation. Point the real client at it with
//! [`MockServer::client`] or [`MockServer::uri`].
//!
//! Available with the `mock` feature.
//!
//! ```
//! # async fn example() {
{% for line in example %}{{ line }}
{% endfor %}//! # }
//! ```
//!
//! Each expectation names the operation; path ids, query and header parameters and the body
//! are each optional (unset means "any"). A request that matches no expectation gets a `418`
//! whose body names the operation and the differences, and the test fails when the server is
//! dropped; so does an expectation that was never met.

#[allow(unused_imports)]
use super::models::*;

/// Every operation of this module, so an unexpected request can be named.
pub const OPERATIONS: &[crate::runtime::mock::MockOperation] = &[
{% for o in ops %}    crate::runtime::mock::MockOperation { operation_id: {{ o.operation_id }}, method: "{{ o.op.http_method.as_str() }}", path: {{ o.path }} },
{% endfor %}];

/// A loopback {{ title }} server for tests.
#[derive(Debug)]
pub struct MockServer {
    core: crate::runtime::mock::MockCore,
}

impl MockServer {
    /// Starts the server on a free loopback port.
    pub async fn start() -> Self {
        Self { core: crate::runtime::mock::MockCore::start(super::PROFILE, OPERATIONS).await }
    }

    /// The base URL to give the client under test.
    pub fn uri(&self) -> String {
        self.core.uri()
    }

    /// A builder for a client of this server (plain HTTP allowed, `Bearer mock-token`), to
    /// set timeouts or retries before `.build()`.
    pub fn client_builder(&self) -> crate::runtime::ClientBuilder<super::Client> {
        self.core.client_builder()
    }

    /// A client of this server with default settings.
    pub fn client(&self) -> super::Client {
        match self.client_builder().build() {
            Ok(client) => client,
            Err(e) => panic!("a client for the loopback mock server: {e}"),
        }
    }

    /// Every request received so far, in order.
    pub async fn received(&self) -> Vec<wiremock::Request> {
        self.core.received().await
    }

    /// The shared machinery, including the underlying wiremock server.
    pub fn core(&self) -> &crate::runtime::mock::MockCore {
        &self.core
    }
{% for o in ops %}
    /// Expects a [`{{ o.op.method_name }}`](super::Client::{{ o.op.method_name }}) call: `{{ o.path_doc }}`.
    {{ o.cfg }}pub fn {{ o.op.method_name }}(&self) -> {{ o.op.builder_name }}Expectation<'_> {
        {{ o.op.builder_name }}Expectation {
            mock: self,
            inner: crate::runtime::mock::Expectation::new(OPERATIONS[{{ loop.index0 }}]),
        }
    }
{% endfor %}}
{% for item in items %}
{{ item|safe }}
{% endfor %}
