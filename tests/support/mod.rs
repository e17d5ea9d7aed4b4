//! Throwaway crates and the real `cargo-fc` binary, for end-to-end tests.
#![allow(dead_code)] // Each test binary uses a different part of this module.

pub mod fake_fc;
pub mod fixture;
pub mod registry;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// PATH with the project-local tools (`scripts/install-tools`) first.
pub fn tool_path() -> OsString {
    let tools = repo_root().join(".tools/venv/bin");
    let mut paths = vec![tools];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).expect("PATH entries are joinable")
}

pub fn under_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
}

/// Says that the calling test cannot run here, and why. Under CI that fails the test. Elsewhere
/// the test returns as a pass would, so the skip is also written to `<target>/tmp/skipped/`,
/// which `scripts/test` lists after the summary: a skipped suite must not read as a green one.
#[track_caller]
pub fn skip(reason: &str) {
    assert!(!under_ci(), "cannot run under CI: {reason}");
    let test = std::thread::current()
        .name()
        .unwrap_or("unnamed test")
        .to_string();
    eprintln!("SKIPPED: {test}: {reason}");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("skipped");
    let file: String = format!("{}::{test}", env!("CARGO_CRATE_NAME"))
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_-.:".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if std::fs::create_dir_all(&dir).is_ok() {
        let _ = std::fs::write(dir.join(file), format!("{reason}\n"));
    }
}

/// Whether the zig builder's tools are here; if not, the test is skipped (see [`skip`]).
pub fn zig_available() -> bool {
    let found = which::which_in("cargo-zigbuild", Some(tool_path()), repo_root()).is_ok();
    if !found {
        skip("cargo-zigbuild is not installed: run scripts/install-tools");
    }
    found
}

/// Whether a Docker engine answers the docker CLI; if not, the test is skipped (see [`skip`]).
pub fn engine_available() -> bool {
    let answers = Command::new("docker")
        .args(["version", "--format", "{{.Server.Version}}"])
        .stdin(std::process::Stdio::null())
        .output()
        .is_ok_and(|out| out.status.success());
    if !answers {
        skip("no Docker engine answers the docker CLI");
    }
    answers
}

/// A statically linked executable that exits 0, built here once with gcc: a bootstrap that
/// verifies for every runtime whatever this host's glibc is (the host's own programs need the
/// host's glibc version, which says nothing about FC's).
pub fn static_bootstrap() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("static-bootstrap");
    let executable = dir.join(format!("true-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let source = dir.join(format!("true-{}.c", std::process::id()));
    std::fs::write(&source, "int main(void) { return 0; }\n").expect("write");
    let status = Command::new("gcc")
        .args(["-static", "-O2", "-o"])
        .arg(&executable)
        .arg(&source)
        .status()
        .expect("gcc runs");
    assert!(status.success(), "gcc -static failed");
    executable
}

/// A cargo package in a temporary folder.
pub struct TestCrate {
    dir: tempfile::TempDir,
    pub name: String,
}

impl TestCrate {
    /// A bin crate whose `main` prints `hello from NAME` (and, with feature `loud`, shouts).
    pub fn new(name: &str) -> Self {
        Self::with_metadata(name, "")
    }

    /// Same, with `extra` appended to Cargo.toml (e.g. a `[package.metadata.fc]` table).
    pub fn with_metadata(name: &str, extra: &str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix("cargo-fc-test-")
            .tempdir()
            .expect("a temporary folder");
        let crate_ = Self {
            dir,
            name: name.to_string(),
        };
        crate_.write(
            "Cargo.toml",
            &format!(
                "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[features]\nloud = []\n\n{extra}"
            ),
        );
        crate_.write(
            "src/main.rs",
            &format!(
                "fn main() {{\n    let greeting = if cfg!(feature = \"loud\") {{ \"HELLO\" }} else {{ \"hello\" }};\n    println!(\"{{greeting}} from {name}\");\n}}\n"
            ),
        );
        crate_
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, relative: &str, content: &str) {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(path, content).expect("write");
    }

    pub fn bootstrap(&self) -> PathBuf {
        self.path()
            .join(format!("target/fc/{}/bootstrap", self.name))
    }

    pub fn zip(&self) -> PathBuf {
        self.path().join(format!("target/fc/{}.zip", self.name))
    }

    /// Runs `cargo-fc fc ARGS` in the crate's folder.
    pub fn cargo_fc(&self, args: &[&str]) -> Output {
        self.cargo_fc_with(args, &[])
    }

    pub fn cargo_fc_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = cargo_fc();
        command.args(args).current_dir(self.path());
        for (key, value) in env {
            command.env(key, value);
        }
        command.output().expect("cargo-fc runs")
    }
}

/// Where the tests' cargo fc keeps its data (the fc-runtime source that `cargo fc new` points
/// projects at), so that tests never write into the home folder.
pub fn data_home() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("xdg-data")
}

/// The real binary, as cargo would run it for `cargo fc`.
pub fn cargo_fc() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-fc"));
    command
        .arg("fc")
        .env("XDG_DATA_HOME", data_home())
        .env("PATH", tool_path())
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("RUSTFLAGS");
    command
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Asserts success, showing cargo fc's stderr when it failed.
#[track_caller]
pub fn assert_success(output: &Output) {
    assert!(
        output.status.success(),
        "cargo fc failed with {:?}:\n{}",
        output.status.code(),
        stderr(output)
    );
}

#[track_caller]
pub fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "unexpected exit status; stderr:\n{}",
        stderr(output)
    );
}

/// Asserts that cargo fc's stderr mentions `expected`, showing all of it when it does not.
#[track_caller]
pub fn assert_stderr_contains(output: &Output, expected: &str) {
    let text = stderr(output);
    assert!(
        text.contains(expected),
        "missing {expected:?} in stderr:\n{text}"
    );
}
