//! The Docker builder: cargo runs inside a container whose Debian release, and so whose C library,
//! is the FC runtime's, driven through the Docker engine API (bollard), never the `docker` CLI.
//!
//! The container sees the workspace at the same absolute path as the host, so cargo's messages
//! and the artifact paths in its JSON output mean the same on both sides. Its target directory
//! is `<target-dir>/fc/docker/<image>`, so host and container builds never invalidate each
//! other's fingerprints. It runs as the caller's uid:gid, so everything it writes belongs to the
//! caller. The container is removed on every way out of [`DockerBuilder::run`]: success, a failed
//! build, an engine error, Ctrl-C (SIGINT/SIGTERM, exit 130) and even a panic.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bollard::container::LogOutput;
use bollard::models::{ContainerCreateBody, HostConfig, Mount, MountType};
use bollard::query_parameters::{
    AttachContainerOptionsBuilder, CreateContainerOptionsBuilder, RemoveContainerOptionsBuilder,
};
use futures_util::StreamExt;

use super::image::BuildImage;
use super::{BuildError, Builder, BuilderKind, CargoOutput, finish_status};
use crate::engine::{Engine, LABEL, api_error, describe, is_not_found};
use crate::error::{Interrupted, Result, io};
use crate::interrupt;
use crate::ui::Ui;

/// Where a build in a given image keeps its files on the host (and, at the same path, in the
/// container).
#[derive(Debug, Clone)]
pub struct Layout {
    pub workspace_root: PathBuf,
    /// `<target-dir>/fc/docker`: everything the containers write outside the workspace sources.
    pub docker_dir: PathBuf,
    /// `<target-dir>/fc/docker/<image>`: cargo's target directory in the container.
    pub target_dir: PathBuf,
    /// A HOME the container user can write (some build scripts write there).
    pub home: PathBuf,
    /// The container's CARGO_HOME: writable, with the host's registry and git caches mounted in.
    pub cargo_home: PathBuf,
    /// The host's CARGO_HOME, whose `registry` and `git` are shared.
    pub host_cargo_home: PathBuf,
}

impl Layout {
    pub fn new(workspace_root: &Path, host_target_dir: &Path, image: &str) -> Result<Self> {
        let docker_dir = host_target_dir.join("fc").join("docker");
        Ok(Self {
            workspace_root: workspace_root.to_path_buf(),
            target_dir: docker_dir.join(image_dir_name(image)),
            home: docker_dir.join("home"),
            cargo_home: docker_dir.join("cargo-home"),
            docker_dir,
            host_cargo_home: host_cargo_home()?,
        })
    }

    /// Creates every directory the container mounts or writes, owned by the caller: a bind mount
    /// of a missing path would otherwise be created by the engine, owned by root.
    fn create(&self) -> Result<()> {
        let dirs = [
            self.target_dir.clone(),
            self.home.clone(),
            self.cargo_home.join("registry"),
            self.cargo_home.join("git"),
            self.host_cargo_home.join("registry"),
            self.host_cargo_home.join("git"),
        ];
        for dir in &dirs {
            std::fs::create_dir_all(dir).map_err(io("create", dir))?;
        }
        Ok(())
    }

    /// The bind mounts of a build container; `toolchain` is a host Rust sysroot to mount
    /// read-only at its own path.
    fn mounts(&self, toolchain: Option<&Path>) -> Vec<Mount> {
        let mut mounts = vec![bind(&self.workspace_root, &self.workspace_root, false)];
        // A target directory outside the workspace (CARGO_TARGET_DIR, build.target-dir) is
        // not visible through the workspace mount.
        if !self.docker_dir.starts_with(&self.workspace_root) {
            mounts.push(bind(&self.docker_dir, &self.docker_dir, false));
        }
        for cache in ["registry", "git"] {
            mounts.push(bind(
                &self.host_cargo_home.join(cache),
                &self.cargo_home.join(cache),
                false,
            ));
        }
        // The host's cargo configuration may replace sources (a mirror, vendored crates), which
        // the container must see for `--offline` builds to resolve the same way.
        for config in ["config.toml", "config"] {
            let file = self.host_cargo_home.join(config);
            if file.is_file() {
                mounts.push(bind(&file, &self.cargo_home.join(config), true));
            }
        }
        if let Some(bundle) = ca_bundle() {
            mounts.push(bind(&bundle, &bundle, true));
        }
        // The fc-runtime copy that projects made by `cargo fc new` patch crates.io with, at the
        // path their .cargo/config.toml names.
        if let Ok(data) = crate::runtime_source::data_dir()
            && data.is_dir()
            && !data.starts_with(&self.workspace_root)
        {
            mounts.push(bind(&data, &data, true));
        }
        if let Some(sysroot) = toolchain {
            mounts.push(bind(sysroot, sysroot, true));
        }
        mounts
    }
}

fn bind(source: &Path, target: &Path, read_only: bool) -> Mount {
    Mount {
        source: Some(source.display().to_string()),
        target: Some(target.display().to_string()),
        typ: Some(MountType::BIND),
        read_only: Some(read_only),
        ..Mount::default()
    }
}

/// The PATH of Debian images, for an image that does not set one.
const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// The CA bundle the host tells TLS clients to trust, when it names one: behind an intercepting
/// proxy it holds the proxy's CA, which the image's own bundle lacks, so cargo in the container
/// could not fetch crates without it. It is mounted at the same path and named to cargo.
fn ca_bundle() -> Option<PathBuf> {
    ["CARGO_HTTP_CAINFO", "SSL_CERT_FILE"]
        .iter()
        .filter_map(std::env::var_os)
        .map(PathBuf::from)
        .find(|path| path.is_absolute() && path.is_file())
}

/// An image name as one directory name: `cargo-fc/builder:custom-rust-1.95.0` →
/// `cargo-fc-builder-custom-rust-1.95.0`.
pub fn image_dir_name(image: &str) -> String {
    image
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// `CARGO_HOME`, or `~/.cargo`, as cargo itself finds it.
fn host_cargo_home() -> Result<PathBuf, BuildError> {
    if let Some(home) = std::env::var_os("CARGO_HOME").filter(|h| !h.is_empty()) {
        return Ok(PathBuf::from(home));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|home| PathBuf::from(home).join(".cargo"))
        .ok_or(BuildError::NoCargoHome)
}

/// Whether a host environment variable reaches cargo in the container: the settings that change
/// how cargo builds, but none that name host paths of cargo itself or the crate being built by
/// an outer cargo (`CARGO`, `CARGO_HOME`, `CARGO_MANIFEST_DIR`, `CARGO_PKG_*`, …).
pub fn passes_through(name: &str) -> bool {
    const EXACT: &[&str] = &[
        "RUSTFLAGS",
        "RUSTDOCFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_ENCODED_RUSTDOCFLAGS",
        "CARGO_INCREMENTAL",
        "CARGO_LOG",
        "RUST_BACKTRACE",
        "SOURCE_DATE_EPOCH",
        // A proxy the host needs to reach crates.io, the container needs too.
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "NO_PROXY",
        "http_proxy",
        "https_proxy",
        "no_proxy",
    ];
    const PREFIXES: &[&str] = &[
        "CARGO_BUILD_",
        "CARGO_PROFILE_",
        "CARGO_NET_",
        "CARGO_HTTP_",
        "CARGO_REGISTRIES_",
        "CARGO_REGISTRY_",
        "CARGO_UNSTABLE_",
        "CARGO_TERM_",
        "CARGO_FUTURE_INCOMPAT_",
    ];
    // The container's target directory is cargo fc's choice.
    if name == "CARGO_BUILD_TARGET_DIR" {
        return false;
    }
    EXACT.contains(&name) || PREFIXES.iter().any(|p| name.starts_with(p))
}

/// The caller's uid:gid, which the container runs as.
fn caller() -> String {
    // SAFETY: getuid and getgid cannot fail and touch no memory.
    let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
    format!("{uid}:{gid}")
}

/// A name no other container has: cargo fc's process id, the time, and a counter.
fn container_name() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "cargo-fc-{}-{nanos:08x}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// With `-vv`, how long each step of a Docker build took, so its overhead can be seen and
/// measured (BENCHMARKS.md); silent otherwise.
struct Stopwatch<'u> {
    ui: &'u Ui,
    start: Instant,
    last: std::cell::Cell<Instant>,
}

impl<'u> Stopwatch<'u> {
    fn new(ui: &'u Ui) -> Self {
        let now = Instant::now();
        Self {
            ui,
            start: now,
            last: std::cell::Cell::new(now),
        }
    }

    fn lap(&self, step: &str) {
        if self.ui.verbosity() < 2 {
            return;
        }
        let now = Instant::now();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        self.ui.detail(
            "Timing",
            format!(
                "{step}: {:.1} ms (at {:.1} ms)",
                ms(now - self.last.get()),
                ms(now - self.start)
            ),
        );
        self.last.set(now);
    }
}

/// Builds with cargo inside a container of `image`.
pub struct DockerBuilder {
    engine: Engine,
    image: BuildImage,
    layout: Layout,
    ui: Ui,
}

impl DockerBuilder {
    pub fn new(engine: Engine, image: BuildImage, layout: Layout, ui: &Ui) -> Self {
        Self {
            engine,
            image,
            layout,
            ui: ui.clone(),
        }
    }

    pub fn image(&self) -> &str {
        &self.image.name
    }

    /// The container to create; with `toolchain`, cargo and rustc come from that host sysroot,
    /// mounted at its own path and first on PATH, instead of from the image's layers.
    fn container_config(&self, args: &[String], toolchain: Option<&Path>) -> ContainerCreateBody {
        let layout = &self.layout;
        let mut cmd = vec![
            "cargo".to_string(),
            "build".to_string(),
            "--target-dir".to_string(),
            layout.target_dir.display().to_string(),
        ];
        cmd.extend(args.iter().cloned());
        let mut env = vec![
            format!("HOME={}", layout.home.display()),
            format!("CARGO_HOME={}", layout.cargo_home.display()),
        ];
        env.extend(
            std::env::vars()
                .filter(|(name, _)| passes_through(name) && name != "CARGO_HTTP_CAINFO")
                .map(|(name, value)| format!("{name}={value}")),
        );
        if let Some(bundle) = ca_bundle() {
            env.push(format!("CARGO_HTTP_CAINFO={}", bundle.display()));
        }
        if let Some(sysroot) = toolchain {
            // The image's own PATH after the toolchain's bin, so everything else (cc, the
            // linker wrapper of old releases) is found where the image put it.
            let image_path = self.image.path.as_deref().unwrap_or(DEFAULT_PATH);
            env.push(format!(
                "PATH={}:{image_path}",
                sysroot.join("bin").display()
            ));
        }
        let labels = HashMap::from([
            (LABEL.to_string(), "build".to_string()),
            (format!("{LABEL}.pid"), std::process::id().to_string()),
            (
                format!("{LABEL}.workspace"),
                layout.workspace_root.display().to_string(),
            ),
        ]);
        ContainerCreateBody {
            image: Some(self.image.name.clone()),
            cmd: Some(cmd),
            // The image's entrypoint, if any, is not ours to run.
            entrypoint: Some(Vec::new()),
            env: Some(env),
            user: Some(caller()),
            working_dir: Some(layout.workspace_root.display().to_string()),
            labels: Some(labels),
            attach_stdout: Some(true),
            attach_stderr: Some(true),
            // Without a TTY the engine keeps stdout (JSON messages) and stderr (what people
            // read) apart; cargo still colours stderr because `--color=always` says so.
            tty: Some(false),
            host_config: Some(HostConfig {
                mounts: Some(layout.mounts(toolchain)),
                // The host's network, as a host build has: proxies on localhost and the host's
                // DNS work, and no bridge interface has to be set up for every build, which
                // is a good part of a container's start time.
                network_mode: Some("host".to_string()),
                ..HostConfig::default()
            }),
            ..ContainerCreateBody::default()
        }
    }

    /// Creates, starts and follows the container; returns cargo's exit status.
    async fn run_container(
        &self,
        name: &str,
        config: ContainerCreateBody,
        fallback: Option<ContainerCreateBody>,
        created: &std::cell::Cell<bool>,
        output: &mut CargoOutput<'_>,
        clock: &Stopwatch<'_>,
    ) -> Result<Option<i32>> {
        let docker = self.engine.docker();
        let options = || Some(CreateContainerOptionsBuilder::new().name(name).build());
        let mut creation = docker.create_container(options(), config).await;
        // An engine that cannot see the host toolchain's folder (a remote engine, or one in a VM
        // sharing only some folders) still has the image's own copy of the same toolchain.
        if let (Err(e), Some(fallback)) = (&creation, fallback)
            && describe(e).contains("bind source path does not exist")
        {
            self.ui.detail(
                "Toolchain",
                "the engine cannot see the host's Rust toolchain; using the image's own copy",
            );
            creation = docker.create_container(options(), fallback).await;
        }
        creation.map_err(|e| -> crate::error::Error {
            if is_not_found(&e) {
                BuildError::ImageVanished {
                    image: self.image.name.clone(),
                }
                .into()
            } else {
                api_error("creating the build container", e).into()
            }
        })?;
        created.set(true);
        clock.lap("create");
        // Attach before starting, so not a byte of output is missed.
        let attach = docker
            .attach_container(
                name,
                Some(
                    AttachContainerOptionsBuilder::new()
                        .stream(true)
                        .stdout(true)
                        .stderr(true)
                        .build(),
                ),
            )
            .await
            .map_err(|e| api_error("attaching to the build container", e))?;
        clock.lap("attach");
        docker
            .start_container(name, None)
            .await
            .map_err(|e| api_error("starting the build container", e))?;
        clock.lap("start");
        let mut stream = attach.output;
        let mut stdout = LineBuffer::default();
        let mut stderr = LineBuffer::default();
        let mut first = true;
        while let Some(chunk) = stream.next().await {
            if first {
                clock.lap("first output");
                first = false;
            }
            match chunk.map_err(|e| api_error("reading cargo's output", e))? {
                LogOutput::StdOut { message } => {
                    stdout.push(&message, |line| output.stdout_line(line));
                }
                LogOutput::StdErr { message } | LogOutput::Console { message } => {
                    stderr.push(&message, |line| output.stderr_line(line));
                }
                LogOutput::StdIn { .. } => {}
            }
        }
        stdout.finish(|line| output.stdout_line(line));
        stderr.finish(|line| output.stderr_line(line));
        clock.lap("output ends");
        let status = docker.wait_container(name, None).next().await;
        let status = match status {
            Some(Ok(response)) => Ok(Some(clamp_status(response.status_code))),
            // bollard turns a non-zero exit into an error; it is cargo's status, not a failure.
            Some(Err(bollard::errors::Error::DockerContainerWaitError { code, .. })) => {
                Ok(Some(clamp_status(code)))
            }
            Some(Err(e)) => Err(api_error("waiting for the build container", e).into()),
            None => Ok(None),
        };
        clock.lap("wait");
        status
    }
}

fn clamp_status(code: i64) -> i32 {
    i32::try_from(code).unwrap_or(1)
}

/// Splits a byte stream that arrives in arbitrary chunks into lines.
#[derive(Default)]
struct LineBuffer(Vec<u8>);

impl LineBuffer {
    fn push(&mut self, bytes: &[u8], mut line: impl FnMut(&str)) {
        self.0.extend_from_slice(bytes);
        while let Some(end) = self.0.iter().position(|&b| b == b'\n') {
            let text = String::from_utf8_lossy(&self.0[..end]);
            line(text.trim_end_matches('\r'));
            self.0.drain(..=end);
        }
    }

    fn finish(&mut self, mut line: impl FnMut(&str)) {
        if !self.0.is_empty() {
            line(&String::from_utf8_lossy(&self.0));
            self.0.clear();
        }
    }
}

/// Removes the build container when dropped, whatever way the build ended.
struct ContainerGuard<'e> {
    engine: &'e Engine,
    name: String,
    created: std::cell::Cell<bool>,
    ui: &'e Ui,
    clock: &'e Stopwatch<'e>,
}

impl Drop for ContainerGuard<'_> {
    fn drop(&mut self) {
        if !self.created.get() {
            return;
        }
        let options = RemoveContainerOptionsBuilder::new()
            .force(true)
            .v(true)
            .build();
        let removed = self.engine.block_on(
            self.engine
                .docker()
                .remove_container(&self.name, Some(options)),
        );
        match removed {
            Ok(()) => {}
            Err(e) if is_not_found(&e) => {}
            Err(e) => self.ui.warn(format!(
                "could not remove build container {}: {}; remove it with `docker rm -f {}`",
                self.name,
                describe(&e),
                self.name
            )),
        }
        self.clock.lap("remove");
    }
}

impl Builder for DockerBuilder {
    fn kind(&self) -> BuilderKind {
        BuilderKind::Docker
    }

    fn image(&self) -> Option<&str> {
        Some(&self.image.name)
    }

    fn run(&self, args: &[String], output: &mut CargoOutput, _ui: &Ui) -> Result<()> {
        let clock = Stopwatch::new(&self.ui);
        self.layout.create()?;
        let toolchain = self.image.host_toolchain.clone();
        let config = self.container_config(args, toolchain.as_deref());
        let fallback = toolchain
            .is_some()
            .then(|| self.container_config(args, None));
        self.ui.detail(
            "Running",
            format!(
                "{} in a container of {} (target dir {})",
                config.cmd.as_deref().unwrap_or_default().join(" "),
                self.image.name,
                self.layout.target_dir.display()
            ),
        );
        if let Some(sysroot) = &toolchain {
            self.ui.detail(
                "Toolchain",
                format!(
                    "the image's Rust is the host's: running it from {} (mounted read-only)",
                    sysroot.display()
                ),
            );
        }
        let guard = ContainerGuard {
            engine: &self.engine,
            name: container_name(),
            created: std::cell::Cell::new(false),
            ui: &self.ui,
            clock: &clock,
        };
        // Held before the container exists, so an early Ctrl-C still cleans up.
        let deferred = interrupt::Guard::new();
        let code = self.engine.block_on(async {
            tokio::select! {
                code = self.run_container(&guard.name, config, fallback, &guard.created, output, &clock) => code,
                () = interrupt::wait() => Err(Interrupted {
                    cleaned_up: Some("the build container was removed".into()),
                }
                .into()),
            }
        });
        // The guard removes the container now, before cargo fc reports anything.
        drop(guard);
        drop(deferred);
        finish_status(code?, output, "cargo build in the Docker container")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_names_become_directory_names() {
        assert_eq!(
            image_dir_name("cargo-fc/builder:custom-rust-1.95.0"),
            "cargo-fc-builder-custom-rust-1.95.0"
        );
        assert_eq!(
            image_dir_name("registry:5000/a/b@sha256:00"),
            "registry-5000-a-b-sha256-00"
        );
    }

    #[test]
    fn only_build_settings_pass_through() {
        for name in [
            "RUSTFLAGS",
            "CARGO_PROFILE_RELEASE_LTO",
            "CARGO_BUILD_JOBS",
            "CARGO_NET_OFFLINE",
        ] {
            assert!(passes_through(name), "{name}");
        }
        for name in [
            "CARGO",
            "CARGO_HOME",
            "CARGO_TARGET_DIR",
            "CARGO_BUILD_TARGET_DIR",
            "CARGO_MANIFEST_DIR",
            "CARGO_PKG_NAME",
            "PATH",
            "HOME",
        ] {
            assert!(!passes_through(name), "{name}");
        }
    }

    #[test]
    fn lines_are_reassembled_across_chunks() {
        let mut buffer = LineBuffer::default();
        let mut lines = Vec::new();
        buffer.push(b"{\"a\":", |l| lines.push(l.to_string()));
        buffer.push(b"1}\nsecond\r\nthi", |l| lines.push(l.to_string()));
        buffer.finish(|l| lines.push(l.to_string()));
        assert_eq!(lines, ["{\"a\":1}", "second", "thi"]);
    }
}
