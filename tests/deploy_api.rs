//! `cargo fc deploy` through FC 3.0's API, end to end: the real binary, a real cargo project, and
//! a local endpoint (tests/fc_api/fake_fc.py) that checks every request with the official SDK's
//! signer and models and answers in FC 3.0's shapes.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use support::fake_fc::{self, ACCESS_KEY_ID, ACCESS_KEY_SECRET, FakeFc};

const S_YAML: &str = "edition: 3.0.0
name: hello-app
access: default
resources:
  hello:
    component: fc3
    props:
      region: cn-hangzhou
      functionName: hello
      runtime: custom.debian12
      code: ./target/fc/hello.zip
      handler: index.handler
      memorySize: 128
      timeout: 30
      environmentVariables:
        RUST_LOG: info
      customRuntimeConfig:
        command: ['/code/bootstrap']
        port: 9000
      triggers:
        - triggerName: http
          triggerType: http
          triggerConfig:
            authType: anonymous
            methods: [GET, POST]
        - triggerName: nightly
          triggerType: timer
          triggerConfig:
            cronExpression: '0 0 2 * * *'
            enable: true
";

struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new(template: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Cargo.toml"),
            "[package]\nname = \"hello\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[package.metadata.fc]\nruntime = \"custom.debian12\"\n",
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join("src/main.rs"), "fn main() {}\n").unwrap();
        std::fs::write(dir.path().join("s.yaml"), template).unwrap();
        let bootstrap = dir.path().join("target/fc/hello");
        std::fs::create_dir_all(&bootstrap).unwrap();
        std::fs::copy(support::static_bootstrap(), bootstrap.join("bootstrap")).unwrap();
        Self { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn set_template(&self, template: &str) {
        std::fs::write(self.path().join("s.yaml"), template).unwrap();
    }

    /// `cargo fc deploy --no-build ARGS` against `fake`, with credentials in the environment and
    /// a home of the project's own (no aliyun or Serverless Devs configuration).
    fn deploy(&self, fake: &FakeFc, args: &[&str]) -> Output {
        self.command(fake, args)
            .env("ALIBABA_CLOUD_ACCESS_KEY_ID", ACCESS_KEY_ID)
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ACCESS_KEY_SECRET)
            .output()
            .unwrap()
    }

    fn command(&self, fake: &FakeFc, args: &[&str]) -> Command {
        let mut command = support::cargo_fc();
        command
            .args(["deploy", "--no-build", "--endpoint", &fake.endpoint()])
            .args(args)
            .current_dir(self.path())
            .env("HOME", self.path())
            .env_remove("ALIBABA_CLOUD_ACCESS_KEY_ID")
            .env_remove("ALIBABA_CLOUD_ACCESS_KEY_SECRET")
            .env_remove("ALIBABA_CLOUD_SECURITY_TOKEN");
        command
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn writes(fake: &FakeFc) -> Vec<String> {
    fake.actions()
        .into_iter()
        .filter(|a| !a.starts_with("Get") && !a.starts_with("List"))
        .collect()
}

#[test]
fn deploys_create_then_change_nothing_then_only_what_changed() {
    if !fake_fc::sdk_available() {
        return;
    }
    let fake = FakeFc::start(&[]);
    let project = Project::new(S_YAML);

    // First: the function with its code, and both triggers.
    let out = project.deploy(&fake, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("hello: created"), "{stderr}");
    let mut created = writes(&fake);
    created.sort();
    assert_eq!(
        created,
        ["CreateFunction", "CreateTrigger", "CreateTrigger"]
    );
    let create = fake
        .requests()
        .into_iter()
        .find(|r| r["action"] == "CreateFunction")
        .unwrap();
    assert!(
        create["code_bytes"].as_u64().unwrap() > 0,
        "the zip went inline: {create:#}"
    );
    // Every request matched the SDK's signature and models.
    assert!(
        fake.requests()
            .iter()
            .all(|r| r["status"].as_u64().unwrap() < 400 || r["error_code"] == "FunctionNotFound")
    );

    // Second, with nothing changed: one GetFunction and one ListTriggers, no code, no write.
    fake.clear();
    let out = project.deploy(&fake, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(fake.actions(), ["GetFunction", "ListTriggers"]);
    assert!(
        text(&out.stderr).contains("hello: unchanged, code unchanged"),
        "{}",
        text(&out.stderr)
    );

    // A changed memory size is sent alone.
    fake.clear();
    project.set_template(&S_YAML.replace("memorySize: 128", "memorySize: 256"));
    let out = project.deploy(&fake, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(writes(&fake), ["UpdateFunction"]);
    let update = fake
        .requests()
        .into_iter()
        .find(|r| r["action"] == "UpdateFunction")
        .unwrap();
    assert_eq!(
        update["body_keys"],
        serde_json::json!(["memorySize"]),
        "{update:#}"
    );

    // A trigger the template no longer names is deleted.
    fake.clear();
    let without_timer = S_YAML
        .replace("memorySize: 128", "memorySize: 256")
        .split("        - triggerName: nightly")
        .next()
        .unwrap()
        .to_string();
    project.set_template(&without_timer);
    let out = project.deploy(&fake, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(writes(&fake), ["DeleteTrigger"]);
    assert!(
        text(&out.stderr).contains("trigger `nightly` deleted"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_plan_reads_and_says_what_would_change_and_writes_nothing() {
    if !fake_fc::sdk_available() {
        return;
    }
    let fake = FakeFc::start(&[]);
    let project = Project::new(S_YAML);
    let out = project.deploy(&fake, &["--plan"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("hello: create\n"), "{stdout}");
    assert!(stdout.contains("trigger `http`: create (http)"), "{stdout}");
    assert!(writes(&fake).is_empty(), "{:?}", fake.actions());
    // JSON: one plan object per function on stdout.
    let out = project.deploy(&fake, &["--plan", "--message-format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let plans: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON lines only"))
        .filter(|m: &serde_json::Value| m["reason"] == "deploy-plan")
        .collect();
    assert_eq!(plans.len(), 1);
    assert_eq!(plans[0]["change"]["action"], "create");
    assert!(writes(&fake).is_empty());
}

#[test]
fn refused_credentials_say_what_to_fix_and_secrets_never_show() {
    if !fake_fc::sdk_available() {
        return;
    }
    let fake = FakeFc::start(&[]);
    let project = Project::new(S_YAML);
    let out = project
        .command(&fake, &["-vv"])
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", ACCESS_KEY_ID)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "not-the-secret-at-all")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(8), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("SignatureNotMatch") || stderr.contains("signature"),
        "{stderr}"
    );
    assert!(
        stderr.contains("secret"),
        "the fix names the secret: {stderr}"
    );
    assert!(
        !stderr.contains("not-the-secret-at-all"),
        "the secret was printed: {stderr}"
    );
    assert!(!text(&out.stdout).contains("not-the-secret-at-all"));
    // The right secret, traced at -vv: it never appears either.
    let out = project.deploy(&fake, &["-vv"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(all.contains("Trace"), "-vv traces requests: {all}");
    assert!(
        !all.contains(ACCESS_KEY_SECRET),
        "the secret was printed:\n{all}"
    );
    assert!(
        all.contains("the environment (ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET)"),
        "-v names the source: {all}"
    );
}

#[test]
fn access_denied_names_the_missing_permission() {
    if !fake_fc::sdk_available() {
        return;
    }
    let fake = FakeFc::start(&["--deny", "CreateTrigger"]);
    let project = Project::new(S_YAML);
    let out = project.deploy(&fake, &[]);
    assert_eq!(out.status.code(), Some(8), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("fc:CreateTrigger"), "{stderr}");
    // The function was created before the refusal: that is said, not hidden.
    assert!(stderr.contains("created"), "{stderr}");
}

#[test]
fn credentials_come_from_the_aliyun_cli_and_serverless_devs_too() {
    if !fake_fc::sdk_available() {
        return;
    }
    let fake = FakeFc::start(&[]);
    let project = Project::new(S_YAML);
    // The aliyun CLI's configuration, current profile.
    let aliyun = project.path().join(".aliyun");
    std::fs::create_dir_all(&aliyun).unwrap();
    std::fs::write(
        aliyun.join("config.json"),
        serde_json::json!({
            "current": "work",
            "profiles": [{"name": "work", "mode": "AK", "access_key_id": ACCESS_KEY_ID, "access_key_secret": ACCESS_KEY_SECRET, "region_id": "cn-hangzhou"}],
        })
        .to_string(),
    )
    .unwrap();
    let out = project.command(&fake, &["-v", "--plan"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("profile `work` (AK) of the aliyun CLI's"),
        "{}",
        text(&out.stderr)
    );
    std::fs::remove_dir_all(&aliyun).unwrap();
    // Serverless Devs' access.yaml, the entry the template's `access:` names, values as
    // written (Serverless Devs takes a value that does not decrypt as it is).
    let s = project.path().join(".s");
    std::fs::create_dir_all(&s).unwrap();
    std::fs::write(
        s.join("access.yaml"),
        format!(
            "default:\n  AccessKeyID: {ACCESS_KEY_ID}\n  AccessKeySecret: {ACCESS_KEY_SECRET}\n"
        ),
    )
    .unwrap();
    let out = project.command(&fake, &["-v", "--plan"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("access `default` of Serverless Devs'"),
        "{}",
        text(&out.stderr)
    );
    // None at all: the three ways are listed.
    std::fs::remove_dir_all(&s).unwrap();
    let out = project.command(&fake, &["--plan"]).output().unwrap();
    assert_eq!(out.status.code(), Some(8), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("ALIBABA_CLOUD_ACCESS_KEY_ID"), "{stderr}");
    assert!(stderr.contains("aliyun"), "{stderr}");
    assert!(stderr.contains("access.yaml"), "{stderr}");
}

#[test]
fn what_cannot_be_sent_stops_the_deployment_before_any_call() {
    if !fake_fc::sdk_available() {
        return;
    }
    let fake = FakeFc::start(&[]);
    let project = Project::new(&S_YAML.replace(
        "memorySize: 128",
        "memorySize: ${vars.memory}\n      logConfig: auto",
    ));
    let out = project.deploy(&fake, &[]);
    assert_eq!(out.status.code(), Some(6), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("s.yaml:13:"), "{stderr}");
    assert!(stderr.contains("`${vars.memory}` is computed"), "{stderr}");
    assert!(stderr.contains("logConfig"), "{stderr}");
    assert!(stderr.contains("--tool s"), "{stderr}");
    assert!(fake.actions().is_empty(), "{:?}", fake.actions());
}

#[test]
fn fc2_templates_point_at_their_tool() {
    let project = Project::new(S_YAML);
    std::fs::remove_file(project.path().join("s.yaml")).unwrap();
    std::fs::write(
        project.path().join("template.yml"),
        "ROSTemplateFormatVersion: '2015-09-01'\nTransform: 'Aliyun::Serverless-2018-04-03'\nResources:\n  svc:\n    Type: 'Aliyun::Serverless::Service'\n    hello:\n      Type: 'Aliyun::Serverless::Function'\n      Properties:\n        Handler: index.handler\n        Runtime: custom.debian12\n        CodeUri: ./target/fc/hello.zip\n",
    )
    .unwrap();
    let out = support::cargo_fc()
        .args(["deploy", "--no-build"])
        .current_dir(project.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("FC 2.0"), "{stderr}");
    assert!(stderr.contains("--tool fun"), "{stderr}");
}
