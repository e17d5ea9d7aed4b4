//! The reference container registry (Debian's `docker-registry`, distribution 2.8), started on
//! 127.0.0.1 at a free port with a throwaway configuration and storage, and stopped when dropped.
//! `scripts/install-tools` unpacks it into `.tools/registry`.
//!
//! The Docker engine treats registries on 127.0.0.0/8 as insecure (plain HTTP) by default, so it
//! pushes to and pulls from this one without TLS; [`Registry::start`] checks the engine says so.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use super::fixture::{ProcessGuard, free_port, http};
use super::{repo_root, skip};

pub struct Registry {
    /// `127.0.0.1:PORT`.
    pub address: String,
    _process: ProcessGuard,
    _storage: tempfile::TempDir,
}

fn binary() -> Option<PathBuf> {
    let local = repo_root().join(".tools/registry/usr/bin/docker-registry");
    if local.is_file() {
        return Some(local);
    }
    which::which("docker-registry").ok()
}

impl Registry {
    /// A running registry, or `None` (the test is skipped loudly; under CI it fails).
    pub fn start() -> Option<Registry> {
        let Some(binary) = binary() else {
            skip("docker-registry is not installed: run scripts/install-tools");
            return None;
        };
        let info = Command::new("docker")
            .args([
                "info",
                "--format",
                "{{json .RegistryConfig.InsecureRegistryCIDRs}}",
            ])
            .output()
            .expect("the docker CLI runs");
        let cidrs = String::from_utf8_lossy(&info.stdout);
        assert!(
            cidrs.contains("127.0.0.0/8"),
            "the engine does not treat loopback registries as insecure: {cidrs}"
        );
        let storage = tempfile::Builder::new()
            .prefix("cargo-fc-registry-")
            .tempdir()
            .expect("a temporary folder");
        let port = free_port();
        let address = format!("127.0.0.1:{port}");
        let config = storage.path().join("config.yml");
        std::fs::write(
            &config,
            format!(
                "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: {address}\n",
                storage.path().join("data").display()
            ),
        )
        .expect("write the registry's configuration");
        let mut command = Command::new(binary);
        command.arg("serve").arg(&config);
        let process = ProcessGuard::spawn(command, libc::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(reply) = http(port, "GET", "/v2/", &[], b"")
                && reply.status == 200
            {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the registry did not answer on {address}: {}",
                process.stderr.text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(Registry {
            address,
            _process: process,
            _storage: storage,
        })
    }
}
