//! `cargo fc deploy` end to end, with stand-in `s` and `fun` executables on PATH that record
//! their arguments and working folder and exit with a chosen status.
//!
//! Most tests deploy with `--no-build` from a prebuilt bootstrap (a static executable built by
//! the test, which verifies for every runtime); one builds for real with
//! the zig builder from `.tools/venv/bin` (`scripts/install-tools`), and skips loudly when the
//! tools are missing, unless `CI` is set, where that is a failure.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const S_YAML: &str = "edition: 3.0.0
name: hello-app
resources:
  hello:
    component: fc3
    props:
      region: cn-hangzhou
      functionName: hello
      runtime: custom.debian12
      code: ./target/fc/hello.zip
      handler: index.handler
";

const TEMPLATE_YML: &str = "ROSTemplateFormatVersion: '2015-09-01'
Transform: 'Aliyun::Serverless-2018-04-03'
Resources:
  demo:
    Type: 'Aliyun::Serverless::Service'
    hello:
      Type: 'Aliyun::Serverless::Function'
      Properties:
        Handler: index.handler
        Runtime: custom
        CodeUri: ./target/fc/hello.zip
";

/// Shell built-ins only: the tests' PATH holds nothing but the stand-ins and cargo.
const STAND_IN: &str = "#!/bin/sh
name=${0##*/}
printf '%s\\n' \"$@\" > \"$RECORD_DIR/$name.args\"
pwd > \"$RECORD_DIR/$name.cwd\"
echo \"stand-in $name deploying\"
exit \"${STAND_IN_EXIT:-0}\"
";

struct Fixture {
    dir: tempfile::TempDir,
    bin: PathBuf,
    record: PathBuf,
}

impl Fixture {
    /// A project `hello` for `runtime`, with `template` written as `template_name`, and the
    /// stand-in tools `tools` in a PATH folder.
    fn new(runtime: &str, template_name: &str, template: &str, tools: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(
            root.join("Cargo.toml"),
            format!("[package]\nname = \"hello\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[package.metadata.fc]\nruntime = \"{runtime}\"\n\n[workspace]\n"),
        )
        .unwrap();
        std::fs::create_dir(root.join("src")).unwrap();
        std::fs::write(root.join("src/main.rs"), "fn main() {}\n").unwrap();
        std::fs::write(root.join(template_name), template).unwrap();
        let bin = root.join("stand-in-bin");
        let record = root.join("record");
        std::fs::create_dir(&bin).unwrap();
        std::fs::create_dir(&record).unwrap();
        for tool in tools {
            let path = bin.join(tool);
            std::fs::write(&path, STAND_IN).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        Self { dir, bin, record }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Puts an executable where `cargo fc build` leaves the bootstrap, for `--no-build`.
    fn prebuilt_bootstrap(&self) {
        let dir = self.root().join("target/fc/hello");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(support::static_bootstrap(), dir.join("bootstrap")).unwrap();
    }

    fn command(&self, args: &[&str]) -> Command {
        // Only the stand-ins and cargo's own folder: a real `s` or `fun` must never be found.
        let cargo = PathBuf::from(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        let mut path = vec![self.bin.clone()];
        if let Some(dir) = cargo.parent().filter(|d| !d.as_os_str().is_empty()) {
            path.push(dir.to_path_buf());
        }
        let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-fc"));
        command
            .arg("fc")
            .args(args)
            .current_dir(self.root())
            .env("PATH", std::env::join_paths(path).unwrap())
            .env("RECORD_DIR", &self.record)
            .env("NO_COLOR", "1")
            .env_remove("CARGO_TARGET_DIR");
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("cargo-fc runs")
    }

    fn recorded(&self, tool: &str) -> Option<(Vec<String>, PathBuf)> {
        let args = std::fs::read_to_string(self.record.join(format!("{tool}.args"))).ok()?;
        let cwd = std::fs::read_to_string(self.record.join(format!("{tool}.cwd"))).unwrap();
        Some((
            args.lines().map(String::from).collect(),
            PathBuf::from(cwd.trim()),
        ))
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap()
}

#[test]
fn dry_run_prints_the_command_and_the_zip_and_runs_nothing() {
    let fx = Fixture::new("custom.debian12", "s.yaml", S_YAML, &["s"]);
    let out = fx.run(&["deploy", "--dry-run", "--", "--skip-push"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let root = canonical(fx.root());
    assert!(
        stdout.contains(&format!("cd {} && s deploy -y --skip-push", root.display())),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "package: {} (not built yet)",
            root.join("target/fc/hello.zip").display()
        )),
        "{stdout}"
    );
    assert!(fx.recorded("s").is_none(), "the dry run ran the tool");
    assert!(
        !fx.root().join("target/fc/hello.zip").exists(),
        "the dry run packed"
    );
}

#[test]
fn deploy_runs_s_in_the_template_folder_with_the_extra_arguments() {
    let fx = Fixture::new("custom.debian12", "s.yaml", S_YAML, &["s", "fun"]);
    fx.prebuilt_bootstrap();
    let out = fx.run(&["deploy", "--no-build", "--", "--function", "code"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (args, cwd) = fx.recorded("s").expect("s ran");
    assert_eq!(args, ["deploy", "-y", "--function", "code"]);
    assert_eq!(canonical(&cwd), canonical(fx.root()));
    assert!(fx.recorded("fun").is_none());
    // The tool's own output streams through.
    assert!(text(&out.stdout).contains("stand-in s deploying"));
    assert!(
        fx.root().join("target/fc/hello.zip").is_file(),
        "deploy packed first"
    );
    let stderr = text(&out.stderr);
    assert!(stderr.contains("Checked"), "{stderr}");
    assert!(stderr.contains("Packed"), "{stderr}");
    assert!(stderr.contains("Deployed"), "{stderr}");
}

#[test]
fn a_fun_template_is_deployed_with_fun() {
    let fx = Fixture::new("custom", "template.yml", TEMPLATE_YML, &["s", "fun"]);
    // A dry run: the command fun would get.
    let out = fx.run(&["deploy", "--dry-run"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("&& fun deploy -y -t template.yml"));
}

#[test]
fn a_tool_is_never_handed_a_format_it_cannot_read() {
    let fx = Fixture::new("custom.debian12", "s.yaml", S_YAML, &["s", "fun"]);
    fx.prebuilt_bootstrap();
    let out = fx.run(&["deploy", "--no-build", "--tool", "fun"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("`fun` cannot deploy s.yaml"), "{stderr}");
    assert!(stderr.contains("--tool s"), "{stderr}");
    assert!(fx.recorded("fun").is_none(), "fun ran on an s.yaml");
}

#[test]
fn a_failing_tool_fails_the_deployment_with_its_status_in_the_message() {
    let fx = Fixture::new("custom.debian12", "s.yaml", S_YAML, &["s"]);
    fx.prebuilt_bootstrap();
    let out = fx
        .command(&["deploy", "--no-build"])
        .env("STAND_IN_EXIT", "7")
        .output()
        .unwrap();
    // 7 is cargo fc's own "the function failed" status: the tool's must not be taken for it.
    assert_eq!(out.status.code(), Some(8), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("`s deploy -y` failed with exit status 7"),
        "{stderr}"
    );
}

#[test]
fn a_missing_tool_is_reported_before_the_build_with_how_to_install_it() {
    let fx = Fixture::new("custom.debian12", "s.yaml", S_YAML, &[]);
    fx.prebuilt_bootstrap();
    let out = fx.run(&["deploy", "--no-build"]);
    assert_eq!(out.status.code(), Some(5), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("`s` is not on PATH"), "{stderr}");
    assert!(
        stderr.contains("npm install -g @serverless-devs/s"),
        "{stderr}"
    );
    assert!(!stderr.contains("Packed"), "{stderr}");
    assert!(
        !fx.root().join("target/fc/hello.zip").exists(),
        "it packed before finding out that nothing could deploy the package"
    );
}

#[test]
fn template_errors_stop_the_deployment_before_the_build() {
    let broken = S_YAML.replace("handler: index.handler", "handler: in dex");
    let fx = Fixture::new("custom.debian12", "s.yaml", &broken, &["s"]);
    let out = fx.run(&["deploy"]);
    assert_eq!(out.status.code(), Some(6), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("s.yaml:11:18: error: handler \"in dex\" contains a space"),
        "{stderr}"
    );
    assert!(stderr.contains("not deploying"), "{stderr}");
    assert!(fx.recorded("s").is_none());
    assert!(
        !fx.root().join("target").exists(),
        "it built despite the errors"
    );
}

/// The folder with zig and cargo-zigbuild, or `None` after saying loudly why the test skips.
fn zig_tools() -> Option<PathBuf> {
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/venv/bin");
    if bin.join("cargo-zigbuild").is_file() {
        return Some(bin);
    }
    let message = format!(
        "zig builder tools not found in {}: run scripts/install-tools",
        bin.display()
    );
    support::skip(&message);
    None
}

#[test]
fn deploy_builds_packs_and_ships_with_the_zig_builder() {
    let Some(tools) = zig_tools() else {
        return;
    };
    let fx = Fixture::new("custom.debian12", "s.yaml", S_YAML, &["s"]);
    let path = std::env::join_paths([fx.bin.clone(), tools].into_iter().chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let out = fx
        .command(&["deploy", "--builder", "zig"])
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (args, _) = fx.recorded("s").expect("s ran");
    assert_eq!(args, ["deploy", "-y"]);
    let zip = fx.root().join("target/fc/hello.zip");
    assert!(zip.is_file());
    let bytes = std::fs::read(&zip).unwrap();
    assert!(
        bytes.windows(9).any(|w| w == b"bootstrap"),
        "the zip holds the bootstrap"
    );
}

#[test]
fn with_both_formats_present_s_yaml_is_deployed() {
    // `cargo fc new` writes a template.yml and an s.yaml.
    let fx = Fixture::new("custom.debian12", "s.yaml", S_YAML, &["s", "fun"]);
    std::fs::write(
        fx.root().join("template.yml"),
        TEMPLATE_YML.replace("Runtime: custom", "Runtime: custom.debian12"),
    )
    .unwrap();
    let out = fx.run(&["deploy", "--dry-run"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("&& s deploy -y\n"),
        "{}",
        text(&out.stdout)
    );
    let out = fx.run(&["deploy", "--dry-run", "--template", "template.yml"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("&& fun deploy -y -t template.yml"));
    // Asking for a tool picks the file it reads.
    let out = fx.run(&["deploy", "--dry-run", "--tool", "fun"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("&& fun deploy -y -t template.yml"));
    let out = fx.run(&["deploy", "--dry-run", "--tool", "s"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("&& s deploy -y\n"));
}
