//! Contract tests against Stoplight Prism, a spec-validating mock server.
//!
//! - The project's own specs, with the provider configs' wire patches applied (the spec the
//!   crate is generated from), served with `--errors`: a request that does not match the spec is
//!   refused, so every one of the 20 operations, called through the generated client with
//!   realistic inputs, must get a 2xx whose body decodes.
//! - The upstream UserFactor / MFA v1 slices (cut by `../shared/tools/prune_spec.py`, then
//!   patched the same way), served without `--errors` (upstream examples break their own schemas,
//!   which `--errors` turns into 500s): every documented 2xx example, asked for by name with
//!   `Prefer: code=.., example=..`, must decode.
//!
//! Prism is installed by `.ci/run` into `target/prism` (or set `PRISM_BIN`); without it the tests
//! skip with a printed notice, as the upstream part does without `../shared`.

#[path = "support/conformance.rs"]
mod conformance;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use conformance::{body_sites, provider_config, upstream_specs, workspace_root};
use idp_mfa::okta::{
    self, ResendUserFactor, UploadYubikeyOtpTokenSeedRequest, UserFactor,
    UserFactorActivateRequest, UserFactorSms, UserFactorSmsProfile, UserFactorVerifyRequest,
};
use idp_mfa::onelogin::{
    self, ActivateMfaFactorsRequest, GenerateMfaTokenRequest, OtpDevice, VerifyMfaFactorRequest,
};
use idp_mfa::Auth;

const USER: &str = "00u15s1KDETTQMQYABRL";
const FACTOR: &str = "sms2gt8gzgEBPUWBIFHN";
const TRANSACTION: &str = "mst1eiHghhPxf0yhp0g";
const TOKEN: &str = "ykkxdtCA1fKVxyu6R0g3";
const OL_USER: i64 = 48311542;
const DEVICE: &str = "525509";

const OKTA_OPERATIONS: [&str; 13] = [
    "listYubikeyOtpTokens",
    "uploadYubikeyOtpTokenSeed",
    "getYubikeyOtpTokenById",
    "listFactors",
    "enrollFactor",
    "listSupportedFactors",
    "listSupportedSecurityQuestions",
    "getFactor",
    "unenrollFactor",
    "activateFactor",
    "resendEnrollFactor",
    "getFactorTransactionStatus",
    "verifyFactor",
];

const ONELOGIN_OPERATIONS: [&str; 7] = [
    "getMFAFactors",
    "getEnrolledFactors",
    "enrollMfaFactor",
    "removeMfaFactors",
    "verifyMfaFactor",
    "activateMfaFactors",
    "generateMFAtoken",
];

/// The Prism binary (`PRISM_BIN`, else `target/prism`), or `None` after printing why the
/// calling test skips.
fn prism_or_skip() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PRISM_BIN") {
        return Some(PathBuf::from(path));
    }
    let local = workspace_root().join("target/prism/node_modules/.bin/prism");
    if local.is_file() {
        return Some(local);
    }
    println!("skipped: Prism is not installed (target/prism or PRISM_BIN); .ci/run installs it");
    None
}

/// A Prism process on a loopback port, killed when dropped.
struct Prism {
    child: Child,
    base_url: String,
    log: PathBuf,
}

impl Prism {
    fn start(bin: &Path, spec: &Path, errors: bool) -> Prism {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free loopback port");
        // logs go to the test's scratch dir, never beside the spec (it may be a tracked file)
        let stem = spec.file_stem().unwrap_or_default().to_string_lossy();
        let log = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{stem}-{port}.prism.log"));
        let out = std::fs::File::create(&log).expect("prism log file");
        let err = out.try_clone().expect("prism log file");
        let mut command = Command::new(bin);
        command
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
            .args(errors.then_some("--errors"))
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", bin.display()));
        let mut prism = Prism {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            log,
        };
        prism.wait_until_listening(port);
        prism
    }

    fn wait_until_listening(&mut self, port: u16) {
        let started = Instant::now();
        // Prism logs "listening" only after it has parsed the spec; the port opens then too.
        while started.elapsed() < Duration::from_secs(120) {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("prism exited with {status}:\n{}", self.log_text());
            }
            let listening = self.log_text().contains("listening");
            if listening && TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        panic!("prism did not start within 120 s:\n{}", self.log_text());
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // keep the log of a failed test for reading; drop the others (one per port)
        if !std::thread::panicking() {
            let _ = std::fs::remove_file(&self.log);
        }
    }
}

/// The spec `file` with `provider`'s wire patches applied, written as JSON for Prism.
fn patched_spec(provider: &str, file: &Path, name: &str) -> PathBuf {
    let config = provider_config(provider);
    let (loaded, outcome) = mfa_codegen::load_patched(&config, file)
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    for warning in &outcome.warnings {
        println!("{name}: {}: at {}", warning.message, warning.pointer);
    }
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("prism-{name}.json"));
    let text = serde_json::to_string_pretty(&loaded.raw).expect("spec as JSON");
    std::fs::write(&out, text).expect("write the patched spec");
    out
}

fn okta_client(prism: &Prism) -> okta::Client {
    okta::Client::builder(prism.base_url.clone())
        .auth(Auth::ssws("00abc-contract-test"))
        .allow_http(true)
        .build()
        .expect("client")
}

fn onelogin_client(prism: &Prism) -> onelogin::Client {
    onelogin::Client::builder(prism.base_url.clone())
        .auth(Auth::bearer("ol-contract-test"))
        .allow_http(true)
        .build()
        .expect("client")
}

/// Sends a builder, with a `Prefer` header when given, and keeps only whether it decoded.
macro_rules! send {
    ($builder:expr, $prefer:expr) => {{
        let builder = $builder;
        let builder = match $prefer {
            Some(prefer) => builder.header("Prefer", prefer),
            None => builder,
        };
        builder.send().await.map(|_| ())
    }};
}

fn sms_factor() -> UserFactorSms {
    UserFactorSms::new()
        .provider("OKTA")
        .profile(UserFactorSmsProfile::new().phone_number("+15554151337"))
}

/// Calls one Okta operation through the generated client with realistic inputs.
async fn call_okta(
    client: &okta::Client,
    operation_id: &str,
    prefer: Option<String>,
) -> Result<(), idp_mfa::Error> {
    match operation_id {
        "listYubikeyOtpTokens" => send!(client.list_yubikey_otp_tokens(), prefer),
        "uploadYubikeyOtpTokenSeed" => send!(
            client.upload_yubikey_otp_token_seed(
                UploadYubikeyOtpTokenSeedRequest::new()
                    .serial_number("7886622")
                    .public_id("ccccccijgibu")
                    .private_id("b74be6169486")
                    .aes_key("1fcc6d8ce39bf1604e0b17f3e0a11067"),
            ),
            prefer
        ),
        "getYubikeyOtpTokenById" => send!(client.get_yubikey_otp_token_by_id(TOKEN), prefer),
        "listFactors" => send!(client.list_factors(USER), prefer),
        "enrollFactor" => send!(
            client.enroll_factor(USER, UserFactor::Sms(sms_factor())),
            prefer
        ),
        "listSupportedFactors" => send!(client.list_supported_factors(USER), prefer),
        "listSupportedSecurityQuestions" => {
            send!(client.list_supported_security_questions(USER), prefer)
        }
        "getFactor" => send!(client.get_factor(USER, FACTOR), prefer),
        "unenrollFactor" => send!(client.unenroll_factor(USER, FACTOR), prefer),
        "activateFactor" => send!(
            client
                .activate_factor(USER, FACTOR)
                .body(UserFactorActivateRequest::new().pass_code("123456")),
            prefer
        ),
        "resendEnrollFactor" => send!(
            client.resend_enroll_factor(USER, FACTOR, ResendUserFactor::Sms(sms_factor())),
            prefer
        ),
        "getFactorTransactionStatus" => send!(
            client.get_factor_transaction_status(USER, FACTOR, TRANSACTION),
            prefer
        ),
        "verifyFactor" => send!(
            client
                .verify_factor(USER, FACTOR)
                .x_forwarded_for("203.0.113.7")
                .body(UserFactorVerifyRequest::new().pass_code("123456")),
            prefer
        ),
        other => panic!("no call for Okta operation {other}"),
    }
}

/// Calls one OneLogin operation through the generated client with realistic inputs.
async fn call_onelogin(
    client: &onelogin::Client,
    operation_id: &str,
    prefer: Option<String>,
) -> Result<(), idp_mfa::Error> {
    match operation_id {
        "getMFAFactors" => send!(client.get_mfa_factors(OL_USER), prefer),
        "getEnrolledFactors" => send!(client.get_enrolled_factors(OL_USER), prefer),
        "enrollMfaFactor" => send!(
            client
                .enroll_mfa_factor(OL_USER)
                .body(OtpDevice::new("Rich's Phone", "+15554151337").factor_id(1234)),
            prefer
        ),
        "removeMfaFactors" => send!(client.remove_mfa_factors(OL_USER, DEVICE), prefer),
        "verifyMfaFactor" => send!(
            client.verify_mfa_factor(OL_USER, DEVICE).body(
                VerifyMfaFactorRequest::new()
                    .state_token("f2402de2b446abd86ea5aa1f79b3fa72b4befacd")
                    .otp_token("123456")
            ),
            prefer
        ),
        "activateMfaFactors" => send!(
            client
                .activate_mfa_factors(OL_USER, DEVICE)
                .body(ActivateMfaFactorsRequest::new().state_token_expires_in(120)),
            prefer
        ),
        "generateMFAtoken" => send!(
            client.generate_mfa_token(OL_USER).body(
                GenerateMfaTokenRequest::new()
                    .expires_in(300)
                    .reusable(true)
            ),
            prefer
        ),
        other => panic!("no call for OneLogin operation {other}"),
    }
}

fn describe(error: &idp_mfa::Error) -> String {
    match error {
        idp_mfa::Error::Api(api) => format!(
            "HTTP {}: {}",
            api.status,
            String::from_utf8_lossy(api.body.as_ref())
        ),
        other => other.to_string(),
    }
}

/// Every operation of the project's specs is accepted by Prism with `--errors` and decodes.
#[tokio::test(flavor = "multi_thread")]
async fn project_specs_accept_every_operation() {
    let Some(bin) = prism_or_skip() else {
        return;
    };
    let okta_spec = patched_spec("okta", &provider_config("okta").spec_path(), "project-okta");
    let onelogin_spec = patched_spec(
        "onelogin",
        &provider_config("onelogin").spec_path(),
        "project-onelogin",
    );
    let okta_prism = Prism::start(&bin, &okta_spec, true);
    let onelogin_prism = Prism::start(&bin, &onelogin_spec, true);
    let mut failures = Vec::new();
    let okta = okta_client(&okta_prism);
    for op in OKTA_OPERATIONS {
        if let Err(e) = call_okta(&okta, op, None).await {
            failures.push(format!("okta {op}: {}", describe(&e)));
        }
    }
    let onelogin = onelogin_client(&onelogin_prism);
    for op in ONELOGIN_OPERATIONS {
        if let Err(e) = call_onelogin(&onelogin, op, None).await {
            failures.push(format!("onelogin {op}: {}", describe(&e)));
        }
    }
    // The server really validates: the unpatched spec's `oneOf` verify body (several `{passCode}`
    // members) refuses the same request, which is why `verify-body-any-of` exists.
    let unpatched = Prism::start(&bin, &provider_config("okta").spec_path(), true);
    let refused = call_okta(&okta_client(&unpatched), "verifyFactor", None).await;
    match &refused {
        Err(idp_mfa::Error::Api(api)) if (400..500).contains(&api.status) => {}
        other => failures.push(format!(
            "unpatched okta spec: verifyFactor with a passCode should be refused, got {other:?}"
        )),
    }
    let total = OKTA_OPERATIONS.len() + ONELOGIN_OPERATIONS.len();
    println!(
        "prism --errors, project specs: {} of {total} operations accepted (2xx) and decoded",
        total - failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The upstream slice of `provider`, cut with `prune_spec.py` and patched, or None (with the
/// reason printed) when the tools or files are missing.
fn upstream_slice(provider: &str, upstream: &Path, tag: &str) -> Option<PathBuf> {
    let script = conformance::upstream_specs()?.join("../tools/prune_spec.py");
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("upstream-{provider}.yaml"));
    let status = Command::new("python3")
        .arg(&script)
        .arg(upstream)
        .arg(&out)
        .arg(tag)
        .stdout(Stdio::null())
        .status();
    if !matches!(status, Ok(s) if s.success()) {
        println!(
            "skipped {provider}: {} failed (needs python3 with PyYAML)",
            script.display()
        );
        return None;
    }
    Some(patched_spec(
        provider,
        &out,
        &format!("upstream-{provider}"),
    ))
}

/// Every documented 2xx example of the upstream slices, served by Prism, decodes.
#[tokio::test(flavor = "multi_thread")]
async fn upstream_examples_served_by_prism_decode() {
    let Some(bin) = prism_or_skip() else {
        return;
    };
    let Some(root) = upstream_specs() else {
        println!("skipped: ../shared/upstream-specs is absent");
        return;
    };
    let mut failures = Vec::new();
    let mut decoded = 0;

    let okta_file = root.join("okta/2026.06.3/management-minimal.yaml");
    if let Some(spec) = upstream_slice("okta", &okta_file, "UserFactor") {
        let raw: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&spec).expect("slice")).expect("JSON");
        let prism = Prism::start(&bin, &spec, false);
        let client = okta_client(&prism);
        let ids: Vec<String> = OKTA_OPERATIONS.iter().map(|s| s.to_string()).collect();
        for site in body_sites(&raw, &ids) {
            let Some(status) = site.status.as_deref().filter(|s| s.starts_with('2')) else {
                continue;
            };
            for (name, _) in site.examples(&raw) {
                // a lone `example` has no name: asking for the status is enough
                let named = site
                    .media
                    .get("examples")
                    .and_then(|e| e.get(&name))
                    .is_some();
                let prefer = if named {
                    format!("code={status}, example={name}")
                } else {
                    format!("code={status}")
                };
                match call_okta(&client, &site.operation_id, Some(prefer)).await {
                    Ok(()) => decoded += 1,
                    Err(e) => failures.push(format!(
                        "okta {} {status} example `{name}`: {}",
                        site.operation_id,
                        describe(&e)
                    )),
                }
            }
        }
    }

    // OneLogin documents its success bodies as schema-level examples only: Prism serves those.
    let onelogin_file = conformance::upstream_files("onelogin").into_iter().next();
    if let Some(spec) =
        onelogin_file.and_then(|f| upstream_slice("onelogin", &f, "Multi Factor Authentication V1"))
    {
        let prism = Prism::start(&bin, &spec, false);
        let client = onelogin_client(&prism);
        for op in ONELOGIN_OPERATIONS {
            match call_onelogin(&client, op, None).await {
                Ok(()) => decoded += 1,
                Err(e) => failures.push(format!("onelogin {op}: {}", describe(&e))),
            }
        }
    }
    println!(
        "prism, upstream slices: {decoded} responses decoded, {} failed",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
