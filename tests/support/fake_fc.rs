//! `tests/fc_api/fake_fc.py`, the stand-in for FC 3.0's API that checks every request with the
//! official Python SDK, run for one test.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};

use super::{repo_root, under_ci};

/// The project venv's Python (scripts/install-tools).
pub fn python() -> PathBuf {
    repo_root().join(".tools/venv/bin/python")
}

/// Whether the official SDK is installed. Under CI its absence fails the test; elsewhere the
/// test says loudly that it is skipped.
pub fn sdk_available() -> bool {
    let found = Command::new(python())
        .args([
            "-c",
            "import alibabacloud_fc20230330, alibabacloud_tea_openapi",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        let message =
            "the FC SDK (alibabacloud-fc20230330) is not in .tools/venv: run scripts/install-tools";
        assert!(!under_ci(), "{message}");
        eprintln!("SKIPPED: {message}");
    }
    found
}

pub const ACCESS_KEY_ID: &str = "LTAI5tFakeFcTestKey";
pub const ACCESS_KEY_SECRET: &str = "fake-fc-secret-0123456789abcdef";

/// A running fake. Dropping it stops it.
pub struct FakeFc {
    child: Child,
    stdin: Option<ChildStdin>,
    pub port: u16,
    dir: tempfile::TempDir,
    pub tls: bool,
}

impl FakeFc {
    /// A fake that knows [`ACCESS_KEY_ID`]/[`ACCESS_KEY_SECRET`]; `extra` adds its flags
    /// (`--deny ACTION`, `--throttle ACTION=N`, `--pending-polls N`, `--security-token T`…).
    pub fn start(extra: &[&str]) -> Self {
        let dir = tempfile::Builder::new()
            .prefix("cargo-fc-fake-fc-")
            .tempdir()
            .expect("a temporary folder");
        let record = dir.path().join("requests.jsonl");
        let tls = extra.contains(&"--tls");
        let mut command = Command::new(python());
        command
            .arg(repo_root().join("tests/fc_api/fake_fc.py"))
            .args(["--access-key-id", ACCESS_KEY_ID])
            .args(["--access-key-secret", ACCESS_KEY_SECRET])
            .arg("--record")
            .arg(&record)
            .args(["--lifetime", "300"]);
        for arg in extra {
            if *arg == "--tls" {
                command.arg("--tls").arg(dir.path().join("tls"));
            } else {
                command.arg(arg);
            }
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the fake FC starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped"))
            .read_line(&mut line)
            .expect("the fake FC says where it listens");
        let port = line
            .strip_prefix("LISTENING ")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| panic!("the fake FC did not start: {line:?}"));
        let stdin = child.stdin.take();
        Self {
            child,
            stdin,
            port,
            dir,
            tls,
        }
    }

    pub fn endpoint(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    /// The root certificate to trust for `--tls`.
    pub fn ca_file(&self) -> PathBuf {
        self.dir.path().join("tls/ca.pem")
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<serde_json::Value> {
        let path = self.dir.path().join("requests.jsonl");
        let text = std::fs::read_to_string(path).unwrap_or_default();
        text.lines()
            .map(|line| serde_json::from_str(line).expect("a JSON record"))
            .collect()
    }

    /// The actions of the requests so far.
    pub fn actions(&self) -> Vec<String> {
        self.requests()
            .iter()
            .map(|r| r["action"].as_str().unwrap_or("").to_string())
            .collect()
    }

    /// Forgets the requests so far.
    pub fn clear(&self) {
        let _ = std::fs::remove_file(self.dir.path().join("requests.jsonl"));
    }
}

impl Drop for FakeFc {
    fn drop(&mut self) {
        // Closing stdin stops it; kill in case it is stuck.
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
