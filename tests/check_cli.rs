//! `cargo fc check` end to end: the real binary on throwaway cargo projects.

mod support;

use std::path::Path;
use std::process::{Command, Output};

const MAIN: &str = "fn main() {}\n";

fn project(metadata: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        format!(
            "[package]\nname = \"hello\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[package.metadata.fc]\n{metadata}\n"
        ),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/main.rs"), MAIN).unwrap();
    dir
}

fn cargo_fc(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-fc"))
        .arg("fc")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .expect("cargo-fc runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const S_YAML: &str = "edition: 3.0.0
name: hello-app
resources:
  hello:
    component: fc3
    props:
      region: cn-hangzhou
      functionName: hello
      runtime: custom.debian10
      code: ./target/fc/hello.zip
      handler: index.handler
      memorySize: 512
";

#[test]
fn a_valid_template_passes() {
    let dir = project("runtime = \"custom.debian10\"");
    std::fs::write(dir.path().join("s.yaml"), S_YAML).unwrap();
    let out = cargo_fc(dir.path(), &["check"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("Checked"), "{stderr}");
    assert!(stderr.contains("0 errors, 0 warnings"), "{stderr}");
}

#[test]
fn errors_point_at_the_value_and_exit_6() {
    let dir = project("runtime = \"custom.debian10\"");
    let broken = S_YAML
        .replace("handler: index.handler", "handler: in dex")
        .replace("./target/fc/hello.zip", "./dist/hello.zip")
        .replace("memorySize: 512", "memorySize: 100");
    std::fs::write(dir.path().join("s.yaml"), broken).unwrap();
    let out = cargo_fc(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(6), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    // All three problems, each with file:line:column, the line, a caret and a help line.
    assert!(
        stderr.contains("s.yaml:10:13: error: code `./dist/hello.zip` is not the package"),
        "{stderr}"
    );
    assert!(
        stderr.contains("set code to `./target/fc/hello.zip`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("s.yaml:11:18: error: handler \"in dex\" contains a space at column 18"),
        "{stderr}"
    );
    assert!(
        stderr.contains("11 |       handler: in dex\n   |                  ^\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("s.yaml:12:19: error: memorySize 100 is out of range"),
        "{stderr}"
    );
    assert!(stderr.contains("3 errors, 0 warnings"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn the_runtime_must_agree_with_the_build() {
    let dir = project("runtime = \"custom.debian11\"");
    std::fs::write(dir.path().join("s.yaml"), S_YAML).unwrap();
    let out = cargo_fc(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(6));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "cargo fc builds `hello` for `custom.debian11` (glibc 2.31): it would fail to start"
        ),
        "{stderr}"
    );
}

#[test]
fn json_messages_go_to_stdout_one_per_diagnostic() {
    let dir = project("runtime = \"custom.debian10\"");
    let broken = S_YAML.replace("memorySize: 512", "memorySize: 100\n      memorysize: 1");
    std::fs::write(dir.path().join("s.yaml"), broken).unwrap();
    let out = cargo_fc(dir.path(), &["check", "--message-format", "json"]);
    assert_eq!(out.status.code(), Some(6));
    let messages: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(messages.len(), 4, "{messages:#?}");
    assert_eq!(messages[0]["reason"], "template-diagnostic");
    assert_eq!(messages[0]["severity"], "error");
    assert_eq!(messages[0]["rule"], "memory-size");
    assert_eq!(messages[0]["line"], 12);
    assert_eq!(messages[0]["column"], 19);
    assert_eq!(messages[1]["severity"], "warning");
    assert_eq!(messages[2]["reason"], "template-checked");
    assert_eq!(messages[2]["format"], "serverless-devs-3");
    assert_eq!(messages[2]["errors"], 1);
    assert_eq!(messages[2]["warnings"], 1);
    // The error that ends the command is a JSON message too.
    assert_eq!(messages[3]["reason"], "error");
    assert_eq!(messages[3]["exit_code"], 6);
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let dir = project("runtime = \"custom.debian10\"");
    let warned = S_YAML.replace("memorySize: 512", "memorySize: 512\n      memorysize: 1");
    std::fs::write(dir.path().join("s.yaml"), warned).unwrap();
    let out = cargo_fc(dir.path(), &["check"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("warning: unknown key `memorysize`"));
    let out = cargo_fc(dir.path(), &["check", "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(6));
    assert!(text(&out.stderr).contains("--deny-warnings"));
}

#[test]
fn the_configured_template_is_used() {
    let dir = project("runtime = \"custom.debian10\"\ntemplate = \"deploy/prod.s.yaml\"");
    std::fs::create_dir(dir.path().join("deploy")).unwrap();
    std::fs::write(
        dir.path().join("deploy/prod.s.yaml"),
        S_YAML.replace("./target/fc/hello.zip", "../target/fc/hello.zip"),
    )
    .unwrap();
    let out = cargo_fc(dir.path(), &["check"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("prod.s.yaml"));
}

#[test]
fn a_template_outside_any_project_is_checked_on_its_own() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("template.yml"),
        "ROSTemplateFormatVersion: '2015-09-01'\nTransform: 'Aliyun::Serverless-2018-04-03'\nResources:\n  svc:\n    Type: 'Aliyun::Serverless::Service'\n    f:\n      Type: 'Aliyun::Serverless::Function'\n      Properties: { Handler: index.handler, Runtime: custom, CodeUri: ./code, Timeout: 0 }\n",
    )
    .unwrap();
    let out = cargo_fc(dir.path(), &["check", "--template", "template.yml"]);
    assert_eq!(out.status.code(), Some(6));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("template.yml:8:88: error: Timeout 0 is out of range"),
        "{stderr}"
    );
    // Without a project there is nothing to compare the code path with.
    assert!(!stderr.contains("is not the package"), "{stderr}");
}

#[test]
fn a_broken_project_is_named_when_its_template_is_checked_on_its_own() {
    let dir = project("runtime = \"nope\"");
    std::fs::write(dir.path().join("s.yaml"), S_YAML).unwrap();
    let out = cargo_fc(dir.path(), &["check", "--template", "s.yaml"]);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("Cargo.toml:7: `runtime = \"nope\"` in [package.metadata.fc]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("checked without the project's Rust-specific rules"),
        "{stderr}"
    );
}

#[test]
fn no_template_is_a_configuration_error() {
    let dir = project("");
    let out = cargo_fc(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("no template found: looked for template.yml, template.yaml, s.yaml, s.yml"),
        "{stderr}"
    );
    assert!(stderr.contains("--template FILE"), "{stderr}");
}

#[test]
fn a_missing_template_flag_file_is_reported() {
    let dir = project("");
    let out = cargo_fc(dir.path(), &["check", "--template", "nope.yml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("template nope.yml does not exist"));
}

#[test]
fn a_template_that_is_not_utf8_is_an_error_not_a_panic() {
    let dir = project("");
    std::fs::write(dir.path().join("s.yaml"), b"edition: \xff\xfe\n").unwrap();
    let out = cargo_fc(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(6));
    assert!(text(&out.stderr).contains("is not UTF-8"));
}

#[test]
fn the_pack_hook_reports_without_failing() {
    let dir = project("runtime = \"custom.debian10\"");
    std::fs::write(
        dir.path().join("s.yaml"),
        S_YAML.replace("handler: index.handler", "handler: in dex"),
    )
    .unwrap();
    let selection = cargo_fc::project::Selection {
        manifest_path: Some(dir.path().join("Cargo.toml")),
        ..Default::default()
    };
    let project = cargo_fc::project::load(&selection).unwrap();
    // Template errors are findings for pack, not failures; deploy is where they stop things.
    cargo_fc::check::findings_for_pack(&project, &cargo_fc::ui::Ui::silent()).unwrap();
    // A project without a template has nothing to report.
    std::fs::remove_file(dir.path().join("s.yaml")).unwrap();
    cargo_fc::check::findings_for_pack(&project, &cargo_fc::ui::Ui::silent()).unwrap();
}

#[test]
fn pack_prints_the_template_findings_and_still_packs() {
    let dir = project("runtime = \"custom.debian12\"");
    std::fs::write(
        dir.path().join("s.yaml"),
        S_YAML
            .replace("runtime: custom.debian10", "runtime: custom.debian12")
            .replace("handler: index.handler", "handler: in dex"),
    )
    .unwrap();
    // A prebuilt bootstrap that verifies for every runtime.
    std::fs::create_dir_all(dir.path().join("target/fc/hello")).unwrap();
    std::fs::copy(
        support::static_bootstrap(),
        dir.path().join("target/fc/hello/bootstrap"),
    )
    .unwrap();
    let out = cargo_fc(dir.path(), &["pack", "--no-build"]);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(dir.path().join("target/fc/hello.zip").is_file());
    assert!(
        stderr.contains("s.yaml:11:18: error: handler \"in dex\" contains a space"),
        "{stderr}"
    );
    assert!(
        stderr.contains("fix these before `cargo fc deploy`"),
        "{stderr}"
    );
}

#[test]
fn outside_a_project_templates_of_any_language_pass() {
    // Issue 8 §1: cargo fc's Rust rules are not FC's; FC's still apply.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("s.yaml"),
        "edition: 3.0.0
name: shop
resources:
  api:
    component: fc3
    props:
      region: cn-hangzhou
      functionName: api
      runtime: nodejs18
      handler: src/index.handler
      code: ./api
  web:
    component: fc3
    props:
      region: cn-hangzhou
      functionName: web
      runtime: custom.debian10
      code: ./web
      customRuntimeConfig: { command: [python3, app.py], port: 8000 }
",
    )
    .unwrap();
    let out = cargo_fc(dir.path(), &["check", "--template", "s.yaml"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("0 errors, 0 warnings"));
    let broken = std::fs::read_to_string(dir.path().join("s.yaml"))
        .unwrap()
        .replace("port: 8000", "port: 80000");
    std::fs::write(dir.path().join("s.yaml"), broken).unwrap();
    let out = cargo_fc(dir.path(), &["check", "--template", "s.yaml"]);
    assert_eq!(out.status.code(), Some(6));
    assert!(
        text(&out.stderr).contains("customRuntimeConfig.port 80000 is out of range"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn inside_a_project_the_rust_rules_apply_to_its_functions_only() {
    let dir = project("runtime = \"custom.debian10\"");
    std::fs::write(
        dir.path().join("s.yaml"),
        format!(
            "{S_YAML}      customRuntimeConfig: {{ command: [node, main.js] }}
  api:
    component: fc3
    props:
      region: cn-hangzhou
      functionName: api
      runtime: nodejs18
      handler: index.handler
      code: ./api
  tool:
    component: fc3
    props:
      region: cn-hangzhou
      functionName: tool
      runtime: custom.debian10
      code: ./pkg
      customRuntimeConfig: {{ command: [./tool] }}
  stale:
    component: fc3
    props:
      region: cn-hangzhou
      functionName: stale
      runtime: custom.debian10
      code: ./target/fc/old.zip
"
        ),
    )
    .unwrap();
    let out = cargo_fc(dir.path(), &["check"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    // The project's own function must start its bootstrap.
    assert!(
        stderr.contains("customRuntimeConfig.command starts `node`"),
        "{stderr}"
    );
    assert!(!stderr.contains("starts `./tool`"), "{stderr}");
    assert!(
        !stderr.contains("`nodejs18` is not a custom runtime"),
        "{stderr}"
    );
    // A hand-made package is uploaded as it is; a zip cargo fc does not pack is an error.
    assert!(
        stderr.contains("deploying it uploads `./pkg` as it is, not anything cargo fc builds"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "code `./target/fc/old.zip` is in cargo fc's package folder, but cargo fc packs nothing there"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("2 errors, 1 warning"), "{stderr}");
}

#[test]
fn a_template_path_that_is_no_file_is_named_for_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str| {
        let out = cargo_fc(dir.path(), &["check", "--template", name]);
        (out.status.code(), text(&out.stderr))
    };
    std::fs::create_dir(dir.path().join("folder.yml")).unwrap();
    let (code, stderr) = run("folder.yml");
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("template folder.yml is a directory, not a file"),
        "{stderr}"
    );
    // A FIFO is refused without being opened: opening it would wait for a writer forever.
    let fifo = dir.path().join("pipe.yml");
    let status = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    let (code, stderr) = run("pipe.yml");
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("is a FIFO (named pipe), not a file"),
        "{stderr}"
    );
    std::os::unix::fs::symlink("b.yml", dir.path().join("a.yml")).unwrap();
    std::os::unix::fs::symlink("a.yml", dir.path().join("b.yml")).unwrap();
    let (code, stderr) = run("a.yml");
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("a.yml is a symbolic link that loops back on itself"),
        "{stderr}"
    );
    let (_, stderr) = run("missing.yml");
    assert!(
        stderr.contains("template missing.yml does not exist"),
        "{stderr}"
    );
    // Found next to a package the same way: a folder named s.yaml is not skipped silently.
    let project = project("");
    std::fs::create_dir(project.path().join("s.yaml")).unwrap();
    let out = cargo_fc(project.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("s.yaml is a directory"),
        "{}",
        text(&out.stderr)
    );
}
