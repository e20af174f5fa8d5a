//! Per-call overhead of the generated client: `get_factor` through `idp_mfa` vs the same
//! request written by hand with reqwest and decoded into the same type, against one loopback
//! server. Run: `cargo bench -p xtask --bench per_call` (or `cargo xtask bench`).

use std::sync::LazyLock;

use idp_mfa::okta::{self, UserFactor};
use idp_mfa::Auth;
use reqwest::header::{ACCEPT, AUTHORIZATION, USER_AGENT};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const USER: &str = "00u1abcd2EFGHIJ3k4l5";
const FACTOR: &str = "mbl1nz9JHJGHWJ0xp0g4";

struct Fixture {
    runtime: tokio::runtime::Runtime,
    _server: MockServer,
    client: okta::Client,
    http: reqwest::Client,
    url: String,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "id": FACTOR,
                "factorType": "sms",
                "provider": "OKTA",
                "status": "ACTIVE",
                "created": "2014-08-06T16:56:31.000Z",
                "lastUpdated": "2014-08-06T16:56:31.000Z",
                "profile": {"phoneNumber": "+1-555-415-1337"},
                "_links": {"self": {"href": "https://acme.okta.com/api/v1/users/u/factors/f"}}
            })))
            .mount(&server)
            .await;
        server
    });
    let client = okta::Client::builder(server.uri())
        .auth(Auth::ssws("bench-token"))
        .allow_http(true)
        .build()
        .expect("client");
    let url = format!("{}/api/v1/users/{USER}/factors/{FACTOR}", server.uri());
    Fixture {
        runtime,
        _server: server,
        client,
        http: reqwest::Client::new(),
        url,
    }
});

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 200)]
fn generated_client() -> UserFactor {
    let f = &*FIXTURE;
    f.runtime
        .block_on(f.client.get_factor(USER, FACTOR).send())
        .expect("get_factor")
}

#[divan::bench(sample_count = 200)]
fn hand_written_reqwest() -> UserFactor {
    let f = &*FIXTURE;
    f.runtime
        .block_on(async {
            f.http
                .get(&f.url)
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
