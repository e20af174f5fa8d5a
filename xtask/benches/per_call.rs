//! Per-call overhead of the generated client: `get_factor` through `idp_mfa` vs the same
//! request written by hand with reqwest and decoded into the same type, against one loopback
//! server. Run: `cargo bench -p xtask --bench per_call` (or `cargo xtask bench`).

use std::convert::Infallible;
use std::sync::LazyLock;
use std::time::Duration;

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use idp_mfa::okta::{self, UserFactor};
use idp_mfa::Auth;
use reqwest::header::{ACCEPT, AUTHORIZATION, USER_AGENT};

const USER: &str = "00u1abcd2EFGHIJ3k4l5";
const FACTOR: &str = "mbl1nz9JHJGHWJ0xp0g4";

struct Fixture {
    runtime: tokio::runtime::Runtime,
    client: okta::Client,
    http: reqwest::Client,
    base: String,
    url: String,
}

/// Answers every request on every connection with the same factor. It runs as tasks of the
/// benchmark's single-threaded runtime: client and server take turns on one thread, so what
/// varies between the two benchmarks is the client code, not the scheduling of a server thread.
async fn serve(listener: tokio::net::TcpListener, body: Bytes) {
    while let Ok((stream, _)) = listener.accept().await {
        let body = body.clone();
        let service = service_fn(move |_request| {
            let response = hyper::Response::builder()
                .header("content-type", "application/json")
                .body(Full::new(body.clone()))
                .expect("a static response");
            async move { Ok::<_, Infallible>(response) }
        });
        tokio::spawn(async move {
            // a connection closed by the client ends here; nothing to report
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let body = serde_json::json!({
        "id": FACTOR,
        "factorType": "sms",
        "provider": "OKTA",
        "status": "ACTIVE",
        "created": "2014-08-06T16:56:31.000Z",
        "lastUpdated": "2014-08-06T16:56:31.000Z",
        "profile": {"phoneNumber": "+1-555-415-1337"},
        "_links": {"self": {"href": "https://acme.okta.com/api/v1/users/u/factors/f"}}
    });
    let base = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let address = listener.local_addr().expect("its address");
        tokio::spawn(serve(listener, Bytes::from(body.to_string())));
        format!("http://{address}")
    });
    let client = okta::Client::builder(base.clone())
        .auth(Auth::ssws("bench-token"))
        .allow_http(true)
        .build()
        .expect("client");
    let url = format!("{base}/api/v1/users/{USER}/factors/{FACTOR}");
    Fixture {
        runtime,
        client,
        http: reqwest::Client::new(),
        base,
        url,
    }
});

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 500, sample_size = 10)]
fn generated_client() -> UserFactor {
    let f = &*FIXTURE;
    f.runtime
        .block_on(f.client.get_factor(USER, FACTOR).send())
        .expect("get_factor")
}

/// The same call as a careful hand-written client makes it: the URL built from the call's
/// arguments, and a time limit on the attempt (the generated client's default is 30 s).
#[divan::bench(sample_count = 500, sample_size = 10)]
fn hand_written_reqwest() -> UserFactor {
    let f = &*FIXTURE;
    let url = format!("{}/api/v1/users/{USER}/factors/{FACTOR}", f.base);
    hand_written(f.http.get(url).timeout(Duration::from_secs(30)))
}

/// The floor: the URL prepared once, no time limit.
#[divan::bench(sample_count = 500, sample_size = 10)]
fn hand_written_reqwest_minimal() -> UserFactor {
    let f = &*FIXTURE;
    hand_written(f.http.get(&f.url))
}

/// Sends `request` with the headers the generated client sends and decodes the factor.
fn hand_written(request: reqwest::RequestBuilder) -> UserFactor {
    FIXTURE
        .runtime
        .block_on(async {
            request
                .header(AUTHORIZATION, "SSWS bench-token")
                .header(ACCEPT, "application/json")
                .header(USER_AGENT, "bench/0")
                .send()
                .await?
                .error_for_status()?
                .json::<UserFactor>()
                .await
        })
        .expect("hand-written call")
}
