//! Throwaway crates and the real `cargo-fc` binary, for end-to-end tests.
#![allow(dead_code)] // Each test binary uses a different part of this module.

pub mod fixture;

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

fn under_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
}

/// Whether the zig builder's tools are here. Under CI their absence fails the test; elsewhere
/// the test says loudly that it is skipped.
pub fn zig_available() -> bool {
    let found = which::which_in("cargo-zigbuild", Some(tool_path()), repo_root()).is_ok();
    if !found {
        let message = "cargo-zigbuild is not installed: run scripts/install-tools";
        assert!(!under_ci(), "{message}");
        eprintln!("SKIPPED: {message}");
    }
    found
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
