//! The Docker builder: cargo runs inside a container whose Debian release, and so whose C library,
//! is the FC runtime's, driven through the Docker engine API (bollard), never the `docker` CLI.
//!
//! The container sees the workspace at the same absolute path as the host, so cargo's messages
//! and the artifact paths in its JSON output mean the same on both sides. Its target directory
//! is `<target-dir>/fc/docker/<image>`, so host and container builds never invalidate each
//! other's fingerprints. It runs as the caller's uid:gid, so everything it writes belongs to the
//! caller. The container is removed on every way out of [`DockerBuilder::run`]: success, a failed
//! build, an engine error, Ctrl-C (SIGINT/SIGTERM, exit 130) and even a panic.

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bollard::Docker;
use bollard::container::LogOutput;
use bollard::models::{ContainerCreateBody, HostConfig, ImageInspect, Mount, MountType};
use bollard::query_parameters::{
    AttachContainerOptionsBuilder, CreateContainerOptionsBuilder, RemoveContainerOptionsBuilder,
};
use futures_util::StreamExt;

use super::{Builder, BuilderKind, CargoOutput, finish_status};
use crate::error::{Error, ErrorKind, Result};
use crate::ui::Ui;

/// The label every container and builder image of cargo fc carries, so they can be found.
pub const LABEL: &str = "cargo-fc";

/// How long to wait for an engine to answer before calling it unreachable.
const PING_TIMEOUT: Duration = Duration::from_secs(3);

/// Where Docker's engine listens unless DOCKER_HOST says otherwise.
const DEFAULT_HOST: &str = "unix:///var/run/docker.sock";

const ZIG_HINT: &str = "or build without Docker: --builder zig";

/// A connection to a Docker engine, with the async runtime that drives it.
///
/// cargo fc is synchronous; a small current-thread runtime is enough for one engine connection.
pub struct Engine {
    docker: Docker,
    runtime: tokio::runtime::Runtime,
    host: String,
    /// Images inspected so far, so that looking at an image again costs no engine round trip.
    inspected: RefCell<HashMap<String, ImageInspect>>,
    /// The host Rust sysroot to mount into the containers of an image, by image name: set by
    /// [`super::image::resolve`] for cargo fc's own images whose toolchain is the host's.
    host_toolchains: RefCell<HashMap<String, PathBuf>>,
}

impl Engine {
    /// Connects to the engine `DOCKER_HOST` names, or the default socket, and checks it answers.
    pub fn connect() -> Result<Engine> {
        let host = engine_host();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::tool(format!("could not start an async runtime: {e}")))?;
        // A Unix socket that is missing or not ours gets a precise message before bollard's
        // generic connection error.
        if let Some(path) = host.strip_prefix("unix://") {
            check_socket(&host, Path::new(path))?;
        }
        let docker =
            Docker::connect_with_host(&host).map_err(|e| unreachable(&host, &root_cause(&e)))?;
        let docker = runtime.block_on(async {
            let answer = tokio::time::timeout(PING_TIMEOUT, docker.ping()).await;
            match answer {
                Err(_) => Err(unreachable(
                    &host,
                    &format!("no answer within {} s", PING_TIMEOUT.as_secs()),
                )),
                Ok(Err(e)) => Err(unreachable(&host, &root_cause(&e))),
                // The engine may speak an older API than bollard's default (20.10 speaks 1.41).
                Ok(Ok(_)) => docker
                    .negotiate_version()
                    .await
                    .map_err(|e| unreachable(&host, &root_cause(&e))),
            }
        })?;
        Ok(Engine {
            docker,
            runtime,
            host,
            inspected: RefCell::default(),
            host_toolchains: RefCell::default(),
        })
    }

    pub fn docker(&self) -> &Docker {
        &self.docker
    }

    /// The engine's address, for messages.
    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// The engine's view of an image, `None` when it has none by that name; asked once per name.
    pub fn inspect_image(
        &self,
        name: &str,
    ) -> std::result::Result<Option<ImageInspect>, bollard::errors::Error> {
        if let Some(image) = self.inspected.borrow().get(name) {
            return Ok(Some(image.clone()));
        }
        match self.block_on(self.docker.inspect_image(name)) {
            Ok(image) => {
                self.inspected
                    .borrow_mut()
                    .insert(name.to_string(), image.clone());
                Ok(Some(image))
            }
            Err(e) if is_not_found(&e) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Says that containers of `image` run the host's own Rust toolchain from `sysroot`.
    pub fn use_host_toolchain(&self, image: &str, sysroot: PathBuf) {
        self.host_toolchains
            .borrow_mut()
            .insert(image.to_string(), sysroot);
    }

    fn host_toolchain(&self, image: &str) -> Option<PathBuf> {
        self.host_toolchains.borrow().get(image).cloned()
    }
}

/// `DOCKER_HOST`, or the default socket.
pub(crate) fn engine_host() -> String {
    match std::env::var("DOCKER_HOST") {
        Ok(host) if !host.is_empty() => host,
        _ => DEFAULT_HOST.to_string(),
    }
}

/// How the engine address was chosen, for error messages.
pub(crate) fn host_origin() -> &'static str {
    match std::env::var("DOCKER_HOST") {
        Ok(host) if !host.is_empty() => "set by DOCKER_HOST",
        _ => "the default; DOCKER_HOST is not set",
    }
}

fn check_socket(host: &str, path: &Path) -> Result<()> {
    match std::os::unix::net::UnixStream::connect(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Err(Error::tool(format!(
            "permission denied on the Docker socket {} ({})",
            path.display(),
            host_origin()
        ))
        .help(format!(
            "add yourself to the socket's group (usually `sudo usermod -aG docker $USER`, then log in again), or point DOCKER_HOST at an engine you may use; {ZIG_HINT}"
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(unreachable(host, &"no such socket"))
        }
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            Err(unreachable(host, &"connection refused: the engine is not running"))
        }
        Err(e) => Err(unreachable(host, &e)),
    }
}

fn unreachable(host: &str, why: &dyn std::fmt::Display) -> Error {
    Error::tool(format!(
        "cannot reach a Docker engine at {host} ({}): {why}",
        host_origin()
    ))
    .help(format!(
        "start Docker, or set DOCKER_HOST to the engine's address; {ZIG_HINT}"
    ))
}

/// The innermost cause of an error: "Connection refused", not "client error (Connect)".
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    let text = cause.to_string();
    // io::Error's "(os error 111)" tells a user nothing.
    match text.find(" (os error") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}

/// An engine error while doing `what`, as one line.
pub fn engine_error(what: &str, error: bollard::errors::Error) -> Error {
    Error::tool(format!(
        "Docker engine error while {what}: {}",
        describe(&error)
    ))
}

/// The engine's own message, without bollard's wrapping.
pub fn describe(error: &bollard::errors::Error) -> String {
    use bollard::errors::Error as E;
    match error {
        E::DockerResponseServerError { message, .. } => message.trim().to_string(),
        E::DockerStreamError { error } => error.trim().to_string(),
        other => other.to_string(),
    }
}

fn is_not_found(error: &bollard::errors::Error) -> bool {
    matches!(
        error,
        bollard::errors::Error::DockerResponseServerError {
            status_code: 404,
            ..
        }
    )
}

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
            std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
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
fn host_cargo_home() -> Result<PathBuf> {
    if let Some(home) = std::env::var_os("CARGO_HOME").filter(|h| !h.is_empty()) {
        return Ok(PathBuf::from(home));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|home| PathBuf::from(home).join(".cargo"))
        .ok_or_else(|| {
            Error::config("neither CARGO_HOME nor HOME is set, so cargo's caches cannot be found")
                .help("set CARGO_HOME to cargo's home directory (usually ~/.cargo)")
        })
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
    image: String,
    layout: Layout,
    ui: Ui,
}

impl DockerBuilder {
    pub fn new(engine: Engine, image: String, layout: Layout, ui: &Ui) -> Self {
        Self {
            engine,
            image,
            layout,
            ui: ui.clone(),
        }
    }

    pub fn image(&self) -> &str {
        &self.image
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
            let image_path = self
                .engine
                .inspect_image(&self.image)
                .ok()
                .flatten()
                .and_then(|image| image.config?.env)
                .and_then(|env| {
                    env.into_iter()
                        .find_map(|var| var.strip_prefix("PATH=").map(str::to_string))
                })
                .unwrap_or_else(|| DEFAULT_PATH.to_string());
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
            image: Some(self.image.clone()),
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
        creation.map_err(|e| match &e {
            e if is_not_found(e) => Error::tool(format!(
                "image `{}` disappeared before the build started",
                self.image
            ))
            .help("run the build again; cargo fc makes or pulls the image first"),
            _ => engine_error("creating the build container", e),
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
            .map_err(|e| engine_error("attaching to the build container", e))?;
        clock.lap("attach");
        docker
            .start_container(name, None)
            .await
            .map_err(|e| engine_error("starting the build container", e))?;
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
            match chunk.map_err(|e| engine_error("reading cargo's output", e))? {
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
            Some(Err(e)) => Err(engine_error("waiting for the build container", e)),
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
        Some(&self.image)
    }

    fn run(&self, args: &[String], output: &mut CargoOutput) -> Result<()> {
        let clock = Stopwatch::new(&self.ui);
        self.layout.create()?;
        let toolchain = self.engine.host_toolchain(&self.image);
        let config = self.container_config(args, toolchain.as_deref());
        let fallback = toolchain
            .is_some()
            .then(|| self.container_config(args, None));
        self.ui.detail(
            "Running",
            format!(
                "{} in a container of {} (target dir {})",
                config.cmd.as_deref().unwrap_or_default().join(" "),
                self.image,
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
        let code = self.engine.block_on(async {
            use tokio::signal::unix::{SignalKind, signal};
            // Registered before the container exists, so an early Ctrl-C still cleans up.
            let mut interrupt = signal(SignalKind::interrupt())
                .map_err(|e| Error::tool(format!("could not watch for Ctrl-C: {e}")))?;
            let mut terminate = signal(SignalKind::terminate())
                .map_err(|e| Error::tool(format!("could not watch for SIGTERM: {e}")))?;
            let interrupted = || {
                Err(Error::new(
                    ErrorKind::Interrupted,
                    "interrupted; the build container was removed",
                ))
            };
            tokio::select! {
                code = self.run_container(&guard.name, config, fallback, &guard.created, output, &clock) => code,
                _ = interrupt.recv() => interrupted(),
                _ = terminate.recv() => interrupted(),
            }
        });
        // The guard removes the container now, before cargo fc reports anything.
        drop(guard);
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
