//! `cargo fc doctor` end to end: the real binary reports the tools of this machine, and what it
//! says matches what the tools themselves say.
//!
//! The Docker engine runs here (under CI its absence fails the test; elsewhere the engine part
//! is skipped loudly); zig and cargo-zigbuild come from `.tools/venv/bin` (scripts/install-tools).

mod support;

use std::ffi::OsString;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use support::{TestCrate, assert_exit, assert_success, cargo_fc, stderr, stdout, tool_path};

/// The engine's version as the docker CLI reports it, when an engine answers at the address
/// cargo fc would use. Without one: `None`, loudly, or a failure under CI.
fn engine_version() -> Option<String> {
    let problem = match Command::new("docker")
        .args(["version", "--format", "{{.Server.Version}}"])
        .stdin(Stdio::null())
        .output()
    {
        Err(e) => format!("the docker CLI does not run: {e}"),
        Ok(out) if out.status.success() => {
            return Some(String::from_utf8_lossy(&out.stdout).trim().to_string());
        }
        Ok(out) => format!(
            "no Docker engine answers: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ),
    };
    support::skip(&format!("the Docker part: {problem}"));
    None
}

/// Whether the Docker builder for `custom` could run here without a registry: its builder image,
/// or the base image it is built from, is present.
fn docker_builder_can_be_had_for_custom() -> bool {
    let present = |image: &str| {
        Command::new("docker")
            .args(["image", "inspect", image])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let version = rustc_version();
    let version = version.split_whitespace().nth(1).unwrap_or("");
    present(&format!("cargo-fc/builder:custom-rust-{version}")) || present("debian:stretch")
}

/// A project whose function builds in the test image: the Docker builder is usable then.
#[test]
fn a_project_whose_image_is_here_has_the_docker_builder() {
    let Some(_) = engine_version() else { return };
    let Ok(image) = std::env::var("CARGO_FC_TEST_IMAGE") else {
        support::skip("CARGO_FC_TEST_IMAGE is not set: scripts/test makes the test image");
        return;
    };
    let crate_ = TestCrate::with_metadata(
        "imaged",
        &format!("[package.metadata.fc]\nruntime = \"custom.debian11\"\nimage = \"{image}\"\n"),
    );
    let output = doctor(crate_.path(), &[], &[]);
    let report = stdout(&output);
    assert!(
        line(&report, "default builder").starts_with("✓ default builder  docker:"),
        "{report}"
    );
}

fn rustc_version() -> String {
    let output = Command::new("rustc")
        .arg("--version")
        .output()
        .expect("rustc runs");
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// Runs doctor in `dir` with `env` set (and `PATH` as given, or the tool PATH).
fn doctor(dir: &Path, args: &[&str], env: &[(&str, OsString)]) -> Output {
    let mut command = cargo_fc();
    command
        .arg("doctor")
        .args(args)
        .current_dir(dir)
        .env_remove("DOCKER_HOST")
        .env_remove("CARGO_ZIGBUILD_ZIG_PATH");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("cargo-fc runs")
}

/// The report line of `label`, e.g. `✓ zig  0.17.1 …`, without the leading spaces.
fn line<'a>(report: &'a str, label: &str) -> &'a str {
    report
        .lines()
        .map(str::trim_start)
        .find(|l| {
            l.split_once(' ')
                .and_then(|(_mark, rest)| rest.strip_prefix(label))
                .is_some_and(|rest| rest.starts_with("  "))
        })
        .unwrap_or_else(|| panic!("no `{label}` line in:\n{report}"))
}

/// A folder that is no cargo project, so doctor reports the machine only.
fn scratch() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("cargo-fc-doctor-")
        .tempdir()
        .expect("a temporary folder")
}

/// The current PATH without the folders that hold zig or cargo-zigbuild (and without the
/// project's tool folder), so the zig builder's tools cannot be found.
fn path_without_zig() -> OsString {
    let kept: Vec<PathBuf> = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .filter(|dir| !dir.join("zig").exists() && !dir.join("cargo-zigbuild").exists())
        .collect();
    std::env::join_paths(kept).expect("PATH entries are joinable")
}

fn write_script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write the stand-in");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path
}

#[test]
fn doctor_reports_the_tools_of_this_machine() {
    let dir = scratch();
    let output = doctor(dir.path(), &[], &[]);
    assert_success(&output);
    let report = stdout(&output);

    let rustc = line(&report, "rustc");
    assert_eq!(
        rustc,
        format!("✓ rustc{}{}", &" ".repeat(12), rustc_version()),
        "{report}"
    );
    assert!(line(&report, "cargo").starts_with("✓"), "{report}");

    if support::zig_available() {
        let zig = line(&report, "zig");
        assert!(zig.starts_with("✓"), "{report}");
        assert!(zig.contains("0."), "zig's version is missing: {zig}");
        let cargo_zigbuild = line(&report, "cargo-zigbuild");
        assert!(cargo_zigbuild.starts_with("✓"), "{report}");
        assert!(
            cargo_zigbuild.contains(".tools/venv/bin/cargo-zigbuild"),
            "{cargo_zigbuild}"
        );
        // zig is not on PATH here; the venv has it as the `ziglang` package.
        if which::which_in("zig", Some(tool_path()), dir.path()).is_err() {
            assert!(zig.contains("from the `ziglang` Python package"), "{zig}");
        }
    }

    if let Some(version) = engine_version() {
        let engine = line(&report, "Docker engine");
        assert!(engine.starts_with("✓"), "{report}");
        assert!(
            engine.contains(&format!(" {version} ")),
            "the engine's version {version} is missing: {engine}"
        );
        assert!(
            engine.contains("unix:///var/run/docker.sock (the default; DOCKER_HOST is not set)"),
            "{engine}"
        );
        // An engine alone is not a Docker builder: its image must be here, buildable from a
        // base that is here, or pullable (there is no registry on this kind of machine).
        let builder = line(&report, "default builder");
        if docker_builder_can_be_had_for_custom() {
            assert!(
                builder.starts_with("✓ default builder  docker:"),
                "{builder}"
            );
        } else {
            assert!(
                builder.contains("zig: Docker is not usable (the builder image for `custom` cannot be built: its base image debian:stretch is not present locally and could not be pulled"),
                "{builder}"
            );
        }
        assert!(line(&report, "builder images").contains("cargo-fc/builder:custom-rust-"));
    }
    assert!(line(&report, "project").contains("none here"), "{report}");
}

#[test]
fn json_output_is_one_object_with_every_check() {
    let dir = scratch();
    let output = doctor(dir.path(), &["--message-format", "json"], &[]);
    assert_success(&output);
    let text = stdout(&output);
    assert_eq!(text.trim().lines().count(), 1, "one JSON object: {text}");
    let report: serde_json::Value = serde_json::from_str(&text).expect("stdout is JSON");
    assert_eq!(report["reason"], "doctor");
    assert_eq!(report["can_build"], true);
    let checks = &report["checks"];
    for key in [
        "docker",
        "builder_images",
        "zig",
        "cargo_zigbuild",
        "rustc",
        "cargo",
        "s",
        "fun",
        "project",
        "builder",
    ] {
        let check = &checks[key];
        assert!(
            check["status"].is_string() && check["summary"].is_string(),
            "check `{key}` lacks status or summary: {report:#}"
        );
    }
    assert_eq!(checks["rustc"]["version"], rustc_version().as_str());
    assert_eq!(checks["rustc"]["ok"], true);
    assert_eq!(checks["project"]["ok"], serde_json::Value::Null);
    if support::zig_available() {
        assert_eq!(checks["zig"]["ok"], true, "{report:#}");
        assert!(
            ["path", "ziglang", "CARGO_ZIGBUILD_ZIG_PATH"]
                .contains(&checks["zig"]["source"].as_str().unwrap_or("")),
            "{report:#}"
        );
        assert!(
            checks["cargo_zigbuild"]["version"].is_string(),
            "{report:#}"
        );
    }
    if let Some(version) = engine_version() {
        assert_eq!(checks["docker"]["version"], version.as_str());
        assert_eq!(checks["docker"]["host"], "unix:///var/run/docker.sock");
        let expected = if docker_builder_can_be_had_for_custom() {
            "docker"
        } else {
            "zig"
        };
        assert_eq!(checks["builder"]["builder"], expected, "{report:#}");
        assert!(checks["builder_images"]["images"].is_array());
    }
}

#[test]
fn without_the_zig_tools_doctor_shows_the_pip_fix() {
    let dir = scratch();
    let output = doctor(dir.path(), &[], &[("PATH", path_without_zig())]);
    let report = stdout(&output);
    let cargo_zigbuild = line(&report, "cargo-zigbuild");
    assert!(cargo_zigbuild.starts_with("✗"), "{report}");
    assert!(
        report.contains("fix: install both with `pip install ziglang cargo-zigbuild`"),
        "{report}"
    );
    // Where Docker can still build, doctor does not fail; otherwise nothing can build.
    if engine_version().is_some() && docker_builder_can_be_had_for_custom() {
        assert_success(&output);
        assert!(
            line(&report, "default builder").contains("the build fails: zig is not usable either"),
            "{report}"
        );
    } else {
        assert_exit(&output, 5);
    }
}

#[test]
fn with_nothing_to_build_with_doctor_fails_after_reporting() {
    let dir = scratch();
    let output = doctor(
        dir.path(),
        &[],
        &[
            ("PATH", path_without_zig()),
            ("DOCKER_HOST", "unix:///nonexistent/docker.sock".into()),
        ],
    );
    assert_exit(&output, 5);
    let report = stdout(&output);
    let engine = line(&report, "Docker engine");
    assert!(
        engine.starts_with("✗ Docker engine    cannot reach a Docker engine at unix:///nonexistent/docker.sock (set by DOCKER_HOST)"),
        "{report}"
    );
    assert!(
        report.contains("fix: start Docker, or set DOCKER_HOST"),
        "{report}"
    );
    assert!(
        line(&report, "default builder").starts_with("✗ default builder  none"),
        "{report}"
    );
    assert!(
        stderr(&output).contains("error: cargo fc cannot build here"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn passwords_in_docker_host_are_never_printed() {
    let dir = scratch();
    for format in ["human", "json"] {
        let output = doctor(
            dir.path(),
            &["--message-format", format],
            &[("DOCKER_HOST", "tcp://ops:hunter2@127.0.0.1:9".into())],
        );
        let all = format!("{}{}", stdout(&output), stderr(&output));
        assert!(!all.contains("hunter2"), "the password leaked:\n{all}");
        assert!(all.contains("tcp://ops:***@127.0.0.1:9"), "{all}");
    }
}

#[test]
fn deploy_tools_on_path_are_shown_with_their_versions() {
    let dir = scratch();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).expect("mkdir");
    let s = write_script(
        &bin,
        "s",
        "echo '@serverless-devs/s: 3.1.1, s-home: /root/.s, linux-x64'",
    );
    // A `fun` that never answers: doctor must not wait for it, so it stops it.
    let pid_file = dir.path().join("fun.pid");
    let fun = write_script(
        &bin,
        "fun",
        &format!("echo $$ > {}\nexec sleep 600", pid_file.display()),
    );
    let mut path = OsString::from(&bin);
    path.push(":");
    path.push(tool_path());
    let output = doctor(dir.path(), &[], &[("PATH", path)]);
    assert_success(&output);
    let fun_pid: libc::pid_t = std::fs::read_to_string(&pid_file)
        .expect("doctor ran `fun`")
        .trim()
        .parse()
        .unwrap();
    // SAFETY: signal 0 only asks whether the process exists.
    let alive = unsafe { libc::kill(fun_pid, 0) } == 0;
    assert!(
        !alive,
        "doctor left the hanging `fun` (pid {fun_pid}) running"
    );
    let report = stdout(&output);
    assert_eq!(
        line(&report, "s"),
        format!(
            "✓ s{}@serverless-devs/s: 3.1.1, s-home: /root/.s, linux-x64: {}",
            " ".repeat(16),
            s.display()
        ),
        "{report}"
    );
    let fun_line = line(&report, "fun");
    assert!(fun_line.starts_with("✓"), "{report}");
    assert!(fun_line.contains(&fun.display().to_string()), "{fun_line}");
    assert!(fun_line.contains("no answer within 3 s"), "{fun_line}");
}

#[test]
fn missing_deploy_tools_are_reported_with_their_npm_package() {
    let dir = scratch();
    let output = doctor(dir.path(), &[], &[("PATH", tool_path())]);
    let report = stdout(&output);
    for (tool, package) in [("s", "@serverless-devs/s"), ("fun", "@alicloud/fun")] {
        if which::which_in(tool, Some(tool_path()), dir.path()).is_ok() {
            support::skip(&format!("`{tool}` is installed here"));
            continue;
        }
        assert!(line(&report, tool).starts_with("✗"), "{report}");
        assert!(
            report.contains(&format!("fix: `npm install -g {package}`")),
            "{report}"
        );
    }
}

#[test]
fn a_builder_set_in_the_project_is_the_one_reported() {
    let project = TestCrate::with_metadata(
        "doctored",
        "[package.metadata.fc]\nbuilder = \"zig\"\nruntime = \"custom.debian11\"\n",
    );
    let output = doctor(project.path(), &[], &[]);
    let report = stdout(&output);
    assert!(
        line(&report, "project").contains("(doctored; runtime custom.debian11)"),
        "{report}"
    );
    let builder = line(&report, "builder");
    assert!(
        builder.contains("zig (set by `builder = \"zig\"` in Cargo.toml)"),
        "{report}"
    );
    if support::zig_available() {
        assert_success(&output);
        assert!(builder.starts_with("✓"), "{builder}");
    }
    if engine_version().is_some() {
        assert!(
            line(&report, "builder images").contains("cargo-fc/builder:custom.debian11-rust-"),
            "{report}"
        );
    }
    // The same project without zig: the configured builder cannot run, so nothing builds.
    let output = doctor(project.path(), &[], &[("PATH", path_without_zig())]);
    assert_exit(&output, 5);
    assert!(
        line(&stdout(&output), "builder").starts_with("✗"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_project_that_does_not_load_is_marked_with_its_error() {
    let project =
        TestCrate::with_metadata("broken", "[package.metadata.fc]\nruntim = \"custom\"\n");
    let output = doctor(project.path(), &[], &[]);
    let report = stdout(&output);
    let line = line(&report, "project");
    assert!(line.starts_with("✗"), "{report}");
    assert!(
        line.contains("Cargo.toml:10: unknown key `runtim`"),
        "the error names the file, line and key: {line}"
    );
    assert!(report.contains("fix: did you mean `runtime`?"), "{report}");
}
