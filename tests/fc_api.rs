//! cargo fc's FC 3.0 client against `tests/fc_api/fake_fc.py`, which recomputes every
//! signature with the official SDK's signer and round-trips every body through the SDK's
//! models: what passes here is what the SDK itself would send.

mod support;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cargo_fc::deploy::api::apply::{self, ApplyFailure, ApplyOptions};
use cargo_fc::deploy::api::client::{ApiError, ClientOptions, Endpoint, FcClient, RetryPolicy};
use cargo_fc::deploy::api::credentials::{Credentials, Secret, Source};
use cargo_fc::deploy::api::model::{
    CodePackage, CustomRuntimeConfig, FunctionConfig, FunctionSpec, HttpTriggerConfig,
    TimerTriggerConfig, TriggerConfig, TriggerSpec,
};
use cargo_fc::error::Failure;
use serde_json::Value;
use support::fake_fc::{self, ACCESS_KEY_ID, ACCESS_KEY_SECRET, FakeFc};

fn credentials(secret: &str, token: Option<&str>) -> Credentials {
    Credentials {
        access_key_id: ACCESS_KEY_ID.into(),
        access_key_secret: Secret::new(secret),
        security_token: token.map(Secret::new),
        source: Source::Environment,
    }
}

fn client_with(fake: &FakeFc, credentials: Credentials) -> FcClient {
    let mut options = ClientOptions::new(Endpoint::parse(&fake.endpoint()).unwrap(), credentials);
    options.retry = RetryPolicy {
        attempts: 4,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(100),
    };
    if fake.tls {
        options.ca_file = Some(fake.ca_file());
    }
    FcClient::new(options).unwrap()
}

fn client(fake: &FakeFc) -> FcClient {
    client_with(fake, credentials(ACCESS_KEY_SECRET, None))
}

fn write_zip(dir: &Path, content: &[u8]) -> CodePackage {
    let path = dir.join("hello.zip");
    let file = std::fs::File::create(&path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default().unix_permissions(0o755);
    zip.start_file("bootstrap", options).unwrap();
    zip.write_all(content).unwrap();
    zip.finish().unwrap();
    CodePackage::from_file(&path).unwrap()
}

fn spec(code: CodePackage) -> FunctionSpec {
    FunctionSpec {
        name: "hello".into(),
        config: FunctionConfig {
            runtime: Some("custom.debian10".into()),
            handler: Some("index.handler".into()),
            memory_size: Some(512),
            timeout: Some(30),
            instance_concurrency: Some(10),
            environment_variables: Some(BTreeMap::from([("RUST_LOG".into(), "info".into())])),
            custom_runtime_config: Some(CustomRuntimeConfig {
                command: Some(vec!["/code/bootstrap".into()]),
                port: Some(9000),
                ..Default::default()
            }),
            ..Default::default()
        },
        code: Some(code),
        tags: Vec::new(),
        triggers: Some(vec![
            TriggerSpec {
                name: "http".into(),
                config: TriggerConfig::Http(HttpTriggerConfig {
                    auth_type: Some("anonymous".into()),
                    methods: Some(vec!["GET".into(), "POST".into()]),
                    ..Default::default()
                }),
                description: None,
                invocation_role: None,
                qualifier: None,
                source_arn: None,
            },
            TriggerSpec {
                name: "tick".into(),
                config: TriggerConfig::Timer(TimerTriggerConfig {
                    cron_expression: Some("@every 5m".into()),
                    enable: Some(true),
                    payload: Some("{}".into()),
                }),
                description: Some("every five minutes".into()),
                invocation_role: None,
                qualifier: None,
                source_arn: None,
            },
        ]),
    }
}

fn quiet(_: &str) {}

async fn deploy(
    client: &FcClient,
    spec: &FunctionSpec,
) -> Result<apply::Applied, apply::ApplyError> {
    let state = apply::read_state(client, &spec.name).await.unwrap();
    let plan = apply::plan_for(&state, spec);
    apply::apply(
        client,
        spec,
        &state,
        &plan,
        &ApplyOptions::default(),
        &quiet,
    )
    .await
}

/// Every request the fake saw was accepted: its signature matched the SDK's signer's and its
/// body round-tripped through the SDK's models. (A GetFunction of a function not created yet
/// is answered FunctionNotFound, which is the expected answer.)
fn assert_all_accepted(fake: &FakeFc) {
    for request in fake.requests() {
        assert!(
            request["status"].as_u64().unwrap() < 400
                || request["error_code"] == "FunctionNotFound",
            "the fake FC refused a request: {request:#}"
        );
    }
}

#[test]
fn the_official_sdk_talks_to_the_fake() {
    if !fake_fc::sdk_available() {
        return;
    }
    let output = Command::new(fake_fc::python())
        .arg(support::repo_root().join("tests/fc_api/sdk_check.py"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn deploys_create_then_change_only_what_changed() {
    if !fake_fc::sdk_available() {
        return;
    }
    let fake = FakeFc::start(&[]);
    let client = client(&fake);
    let dir = tempfile::tempdir().unwrap();
    let package = write_zip(dir.path(), b"#!/bin/sh\necho hello\n");
    let zip_size = package.size;
    let mut desired = spec(package);

    // First deploy: the function with its code, and both triggers.
    let first = deploy(&client, &desired).await.unwrap();
    assert!(first.created);
    assert_eq!(first.code_uploaded, Some(zip_size));
    assert!(
        first
            .http_url
            .as_deref()
            .unwrap()
            .starts_with("https://hello-")
    );
    assert_all_accepted(&fake);
    assert_eq!(
        fake.actions(),
        [
            "GetFunction",
            "CreateFunction",
            "CreateTrigger",
            "CreateTrigger"
        ]
    );
    let create = &fake.requests()[1];
    assert_eq!(create["code_bytes"], zip_size);
    // Only the signed set, and no secret on the wire.
    let headers = create["headers"].as_object().unwrap();
    assert!(
        headers["authorization"]
            .as_str()
            .unwrap()
            .contains(ACCESS_KEY_ID)
    );
    assert!(
        !headers
            .values()
            .any(|v| v.as_str().unwrap().contains(ACCESS_KEY_SECRET))
    );

    // Second deploy, nothing changed: one GetFunction, one ListTriggers, no code.
    fake.clear();
    let second = deploy(&client, &desired).await.unwrap();
    assert!(!second.changed_anything(), "{second:?}");
    assert_eq!(fake.actions(), ["GetFunction", "ListTriggers"]);
    assert!(
        second.summary().contains("unchanged"),
        "{}",
        second.summary()
    );
    assert!(
        second.http_url.is_some(),
        "an unchanged HTTP trigger still has its URL"
    );

    // A changed memorySize sends only that.
    fake.clear();
    desired.config.memory_size = Some(1024);
    let third = deploy(&client, &desired).await.unwrap();
    assert_eq!(third.updated_fields, ["memorySize"]);
    assert_eq!(third.code_uploaded, None);
    let update = fake
        .requests()
        .into_iter()
        .find(|r| r["action"] == "UpdateFunction")
        .unwrap();
    assert_eq!(update["body_keys"], serde_json::json!(["memorySize"]));
    assert_eq!(update["code_bytes"], 0);

    // New code is sent, and only the code.
    fake.clear();
    desired.code = Some(write_zip(dir.path(), b"#!/bin/sh\necho changed\n"));
    let fourth = deploy(&client, &desired).await.unwrap();
    assert!(fourth.code_uploaded.is_some());
    let update = fake
        .requests()
        .into_iter()
        .find(|r| r["action"] == "UpdateFunction")
        .unwrap();
    assert_eq!(update["body_keys"], serde_json::json!(["code"]));

    // A trigger removed from the template is deleted on FC.
    fake.clear();
    desired
        .triggers
        .as_mut()
        .unwrap()
        .retain(|t| t.name != "tick");
    let fifth = deploy(&client, &desired).await.unwrap();
    assert_eq!(fifth.triggers.len(), 1);
    assert_eq!(
        fake.actions(),
        ["GetFunction", "ListTriggers", "DeleteTrigger"]
    );
    assert!(
        fake.requests()[2]["path"]
            .as_str()
            .unwrap()
            .ends_with("/triggers/tick")
    );
    assert_all_accepted(&fake);
}

#[tokio::test]
async fn a_plan_makes_only_read_calls() {
    if !fake_fc::sdk_available() {
        return;
    }
    let fake = FakeFc::start(&[]);
    let client = client(&fake);
    let dir = tempfile::tempdir().unwrap();
    let desired = spec(write_zip(dir.path(), b"x"));
    deploy(&client, &desired).await.unwrap();
    fake.clear();
    let mut changed = desired.clone();
    changed.config.timeout = Some(60);
    let state = apply::read_state(&client, "hello").await.unwrap();
    let plan = apply::plan_for(&state, &changed);
    assert_eq!(plan.changed_fields(), ["timeout"]);
    for request in fake.requests() {
        assert_eq!(request["method"], "GET", "{request:#}");
    }
}

#[tokio::test]
async fn a_wrong_secret_is_a_signature_mismatch_with_a_fix() {
    if !fake_fc::sdk_available() {
        return;
    }
    let fake = FakeFc::start(&[]);
    let client = client_with(&fake, credentials("not-the-secret", None));
    let error = client.get_function("hello").await.unwrap_err();
    assert!(
        matches!(error, ApiError::SignatureMismatch { .. }),
        "{error:?}"
    );
    assert_eq!(error.kind(), "deploy.signature-mismatch");
    assert!(
        error.help().unwrap().contains("secret"),
        "{:?}",
        error.help()
    );
    assert!(error.notes().iter().any(|n| n.starts_with("request id: ")));
    // Not retried: a signature does not get better by trying again.
    assert_eq!(fake.actions(), ["GetFunction"]);
    let unknown = client_with(
        &fake,
        Credentials {
            access_key_id: "LTAIunknown".into(),
            ..credentials(ACCESS_KEY_SECRET, None)
        },
    );
    let error = unknown.get_function("hello").await.unwrap_err();
    assert_eq!(error.kind(), "deploy.invalid-access-key-id", "{error:?}");
}

#[tokio::test]
async fn access_denied_names_the_missing_ram_action() {
    if !fake_fc::sdk_available() {
        return;
    }
    let fake = FakeFc::start(&["--deny", "CreateTrigger"]);
    let client = client(&fake);
    let dir = tempfile::tempdir().unwrap();
    let error = deploy(&client, &spec(write_zip(dir.path(), b"x")))
        .await
        .unwrap_err();
    let ApplyFailure::Api(ApiError::AccessDenied { ram_action, .. }) = &error.failure else {
        panic!("{error:?}")
    };
    assert_eq!(ram_action, "fc:CreateTrigger");
    assert!(error.help().unwrap().contains("fc:CreateTrigger"));
    // Failing partway names what was already changed.
    let notes = error.notes().join("\n");
    assert!(
        notes.contains("already changed on FC: created function `hello`"),
        "{notes}"
    );
}

#[tokio::test]
async fn throttled_calls_are_retried_and_reads_survive() {
    if !fake_fc::sdk_available() {
        return;
    }
    let fake = FakeFc::start(&[
        "--throttle",
        "GetFunction=2",
        "--throttle",
        "CreateFunction=1",
    ]);
    let client = client(&fake);
    let dir = tempfile::tempdir().unwrap();
    let applied = deploy(&client, &spec(write_zip(dir.path(), b"x")))
        .await
        .unwrap();
    assert!(applied.created);
    let actions = fake.actions();
    assert_eq!(actions.iter().filter(|a| *a == "GetFunction").count(), 3);
    assert_eq!(actions.iter().filter(|a| *a == "CreateFunction").count(), 2);
    let sent = client.sent();
    assert_eq!(sent.iter().filter(|s| s.status == Some(429)).count(), 3);
}

#[tokio::test]
async fn sts_credentials_send_the_token() {
    if !fake_fc::sdk_available() {
        return;
    }
    let fake = FakeFc::start(&["--security-token", "sts-token-value"]);
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = lines.clone();
    let mut options = ClientOptions::new(
        Endpoint::parse(&fake.endpoint()).unwrap(),
        credentials(ACCESS_KEY_SECRET, Some("sts-token-value")),
    );
    options.trace = Some(Arc::new(move |line: &str| {
        sink.lock().unwrap().push(line.to_string())
    }));
    let with = FcClient::new(options).unwrap();
    assert_eq!(with.get_function("nothing").await.unwrap(), None);
    // The -vv trace shows the request but neither the secret, the token nor the signature.
    let trace = lines.lock().unwrap().join("\n");
    assert!(trace.contains("> GET http://127.0.0.1:"), "{trace}");
    assert!(
        trace.contains("x-acs-security-token: <redacted>"),
        "{trace}"
    );
    assert!(trace.contains("Signature=<redacted>"), "{trace}");
    for secret in [ACCESS_KEY_SECRET, "sts-token-value"] {
        assert!(!trace.contains(secret), "{trace}");
    }
    let sent = &fake.requests()[0]["headers"];
    let signature = sent["authorization"]
        .as_str()
        .unwrap()
        .rsplit_once('=')
        .unwrap()
        .1;
    assert!(!trace.contains(signature), "{trace}");
    let without = client(&fake);
    let error = without.get_function("nothing").await.unwrap_err();
    assert_eq!(
        error.code(),
        Some("InvalidSecurityToken.Mismatch"),
        "{error:?}"
    );
}

#[tokio::test]
async fn https_with_a_given_root_certificate() {
    if !fake_fc::sdk_available() {
        return;
    }
    let fake = FakeFc::start(&["--tls"]);
    let client = client(&fake);
    assert_eq!(client.get_function("nothing").await.unwrap(), None);
    // The system's roots do not trust the fake's CA.
    let mut options = ClientOptions::new(
        Endpoint::parse(&fake.endpoint()).unwrap(),
        credentials(ACCESS_KEY_SECRET, None),
    );
    options.retry.attempts = 1;
    let untrusting = FcClient::new(options).unwrap();
    let error = untrusting.get_function("nothing").await.unwrap_err();
    assert_eq!(error.kind(), "deploy.connect", "{error:?}");
    assert!(error.to_string().contains("certificate"), "{error}");
}

#[tokio::test]
async fn deploys_wait_until_fc_reports_the_function_ready() {
    if !fake_fc::sdk_available() {
        return;
    }
    let fake = FakeFc::start(&["--pending-polls", "2"]);
    let client = client(&fake);
    let dir = tempfile::tempdir().unwrap();
    let desired = spec(write_zip(dir.path(), b"x"));
    let state = apply::read_state(&client, "hello").await.unwrap();
    let plan = apply::plan_for(&state, &desired);
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = lines.clone();
    let progress = move |line: &str| sink.lock().unwrap().push(line.to_string());
    let options = ApplyOptions {
        poll_interval: Duration::from_millis(10),
        ..ApplyOptions::default()
    };
    apply::apply(&client, &desired, &state, &plan, &options, &progress)
        .await
        .unwrap();
    let actions = fake.actions();
    let create = actions.iter().position(|a| a == "CreateFunction").unwrap();
    let trigger = actions.iter().position(|a| a == "CreateTrigger").unwrap();
    // Two polls still pending, the third ready; triggers only after that.
    assert_eq!(&actions[create + 1..trigger], ["GetFunction"; 3]);
    let lines = lines.lock().unwrap();
    assert!(
        lines.iter().any(|l| l.contains("state Pending")),
        "{lines:?}"
    );
}

#[tokio::test]
async fn an_oversized_zip_changes_nothing() {
    if !fake_fc::sdk_available() {
        return;
    }
    let fake = FakeFc::start(&[]);
    let client = client(&fake);
    let dir = tempfile::tempdir().unwrap();
    let desired = spec(write_zip(dir.path(), &[7u8; 4096]));
    let state = apply::read_state(&client, "hello").await.unwrap();
    let plan = apply::plan_for(&state, &desired);
    let options = ApplyOptions {
        inline_limit: 100,
        ..ApplyOptions::default()
    };
    let error = apply::apply(&client, &desired, &state, &plan, &options, &quiet)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), "deploy.code-too-large");
    assert!(error.to_string().contains("over the 100 B"), "{error}");
    assert!(
        error
            .notes()
            .join("\n")
            .contains("nothing of `hello` was changed")
    );
    assert_eq!(fake.actions(), ["GetFunction"]);
}

#[tokio::test]
async fn invocations_return_the_result_the_log_and_the_request_id() {
    if !fake_fc::sdk_available() {
        return;
    }
    let fake = FakeFc::start(&[]);
    let client = client(&fake);
    let dir = tempfile::tempdir().unwrap();
    deploy(&client, &spec(write_zip(dir.path(), b"x")))
        .await
        .unwrap();
    let invocation = client
        .invoke_function("hello", br#"{"name":"x"}"#.to_vec(), &Default::default())
        .await
        .unwrap();
    assert_eq!(invocation.body, br#"{"name":"x"}"#);
    assert!(
        invocation
            .log
            .unwrap()
            .contains("FC Invoke Start RequestId")
    );
    assert!(invocation.request_id.is_some());
    assert_eq!(invocation.error_type, None);
    let record = fake.requests().pop().unwrap();
    assert_eq!(record["headers"]["x-fc-log-type"], "Tail");
    assert_eq!(
        record["headers"]["content-type"],
        "application/octet-stream"
    );
    let failing = FakeFc::start(&["--invoke-error", "UnhandledInvocationError"]);
    let client = client_with(&failing, credentials(ACCESS_KEY_SECRET, None));
    deploy(&client, &spec(write_zip(dir.path(), b"x")))
        .await
        .unwrap();
    let invocation = client
        .invoke_function("hello", Vec::new(), &Default::default())
        .await
        .unwrap();
    assert_eq!(
        invocation.error_type.as_deref(),
        Some("UnhandledInvocationError")
    );
    let body: Value = serde_json::from_slice(&invocation.body).unwrap();
    assert_eq!(body["errorType"], "FakeError");
}

#[tokio::test]
async fn a_dead_endpoint_is_a_connection_error_after_retries() {
    // A port nothing listens on: bind one, then let it go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut options = ClientOptions::new(
        Endpoint::parse(&format!("http://127.0.0.1:{port}")).unwrap(),
        credentials("s", None),
    );
    options.retry = RetryPolicy {
        attempts: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(10),
    };
    let client = FcClient::new(options).unwrap();
    let error = client.get_function("x").await.unwrap_err();
    let ApiError::Connect { attempts, .. } = error else {
        panic!("{error:?}")
    };
    assert_eq!(attempts, 3);
    assert_eq!(client.sent().len(), 3);
}

#[tokio::test]
async fn cargo_fc_invoke_prints_the_result_and_reports_a_function_error_with_its_type() {
    if !fake_fc::sdk_available() {
        return;
    }
    for (flags, failing) in [
        (&[][..], false),
        (&["--invoke-error", "UnhandledInvocationError"][..], true),
    ] {
        let fake = FakeFc::start(flags);
        let client = client(&fake);
        let dir = tempfile::tempdir().unwrap();
        deploy(&client, &spec(write_zip(dir.path(), b"x")))
            .await
            .unwrap();
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-fc"))
            .args([
                "fc",
                "invoke",
                "hello",
                "--data",
                r#"{"name":"x"}"#,
                "--endpoint",
            ])
            .arg(fake.endpoint())
            .env("ALIBABA_CLOUD_ACCESS_KEY_ID", ACCESS_KEY_ID)
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ACCESS_KEY_SECRET)
            .env("HOME", dir.path())
            .current_dir(dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("RequestId: "), "{stderr}");
        assert!(
            stderr.contains("FC Invoke Start RequestId"),
            "the log tail: {stderr}"
        );
        if failing {
            assert_eq!(output.status.code(), Some(7), "{stderr}");
            assert!(
                stderr.contains("`hello` failed: UnhandledInvocationError"),
                "{stderr}"
            );
        } else {
            assert!(output.status.success(), "{stderr}");
            assert_eq!(output.stdout, br#"{"name":"x"}"#);
        }
    }
}
