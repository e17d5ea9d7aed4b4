//! The Docker engine, driven through its API (bollard), never the `docker` CLI: the connection,
//! image look-ups and pulls, and the engine's failures as the user reads them. The builder, the
//! builder images, the container packager and `doctor` all reach the engine through here.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::path::Path;
use std::time::Duration;

use bollard::Docker;
use bollard::models::ImageInspect;
use bollard::query_parameters::CreateImageOptionsBuilder;
use futures_util::StreamExt;

use crate::error::{Exit, Failure, Result, failure_any, strip_os_error};
use crate::ui::Ui;

/// The label every container and image cargo fc makes carries, so they can be found.
pub const LABEL: &str = "cargo-fc";

/// How long to wait for an engine to answer before calling it unreachable.
const PING_TIMEOUT: Duration = Duration::from_secs(3);

/// Where Docker's engine listens unless DOCKER_HOST says otherwise.
const DEFAULT_HOST: &str = "unix:///var/run/docker.sock";

/// What the engine did not do, and why.
#[derive(Debug)]
pub enum EngineError {
    /// No engine answers at `host`.
    Unreachable { host: String, why: String },
    /// The socket exists but the caller may not use it.
    PermissionDenied { socket: String },
    /// The engine answered an API call with an error.
    Api { action: String, message: String },
    /// An image is neither present nor pullable.
    ImageUnavailable { image: String, why: String },
    /// Creating the async runtime that drives the connection failed.
    Runtime { why: String },
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EngineError::Unreachable { host, why } => write!(
                f,
                "cannot reach a Docker engine at {host} ({}): {why}",
                host_origin()
            ),
            EngineError::PermissionDenied { socket } => write!(
                f,
                "permission denied on the Docker socket {socket} ({})",
                host_origin()
            ),
            EngineError::Api { action, message } => {
                write!(f, "Docker engine error while {action}: {message}")
            }
            EngineError::ImageUnavailable { image, why } => write!(
                f,
                "image `{image}` is not present locally and could not be pulled: {why}"
            ),
            EngineError::Runtime { why } => write!(f, "could not start an async runtime: {why}"),
        }
    }
}

/// The way out that every engine problem shares.
const ZIG_HINT: &str = "or build without Docker: --builder zig";

impl Failure for EngineError {
    fn exit(&self) -> Exit {
        Exit::Tool
    }

    fn kind(&self) -> &'static str {
        match self {
            EngineError::Unreachable { .. } => "engine.unreachable",
            EngineError::PermissionDenied { .. } => "engine.permission-denied",
            EngineError::Api { .. } => "engine.api",
            EngineError::ImageUnavailable { .. } => "engine.image-unavailable",
            EngineError::Runtime { .. } => "engine.runtime",
        }
    }

    fn help(&self) -> Option<String> {
        match self {
            EngineError::Unreachable { .. } => Some(format!(
                "start Docker, or set DOCKER_HOST to the engine's address; {ZIG_HINT}"
            )),
            EngineError::PermissionDenied { .. } => Some(format!(
                "add yourself to the socket's group (usually `sudo usermod -aG docker $USER`, then log in again), or point DOCKER_HOST at an engine you may use; {ZIG_HINT}"
            )),
            EngineError::ImageUnavailable { .. } => Some(
                "check the name with `docker images`, load it with `docker load`, or make a registry reachable"
                    .into(),
            ),
            EngineError::Api { .. } | EngineError::Runtime { .. } => None,
        }
    }

    fn details(&self) -> serde_json::Value {
        match self {
            EngineError::Unreachable { host, why } => {
                serde_json::json!({ "host": host, "why": why })
            }
            EngineError::PermissionDenied { socket } => serde_json::json!({ "socket": socket }),
            EngineError::Api { action, message } => {
                serde_json::json!({ "action": action, "message": message })
            }
            EngineError::ImageUnavailable { image, why } => {
                serde_json::json!({ "image": image, "why": why })
            }
            EngineError::Runtime { why } => serde_json::json!({ "why": why }),
        }
    }

    failure_any!();
}

/// A connection to a Docker engine, with the async runtime that drives it.
///
/// cargo fc is synchronous; a small current-thread runtime is enough for one engine connection.
pub struct Engine {
    docker: Docker,
    runtime: tokio::runtime::Runtime,
    host: String,
}

impl Engine {
    /// Connects to the engine `DOCKER_HOST` names, or the default socket, and checks it answers.
    pub fn connect() -> Result<Engine, EngineError> {
        let host = engine_host();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| EngineError::Runtime { why: e.to_string() })?;
        // A Unix socket that is missing or not ours gets a precise message before bollard's
        // generic connection error.
        if let Some(path) = host.strip_prefix("unix://") {
            check_socket(&host, Path::new(path))?;
        }
        let unreachable = |why: String| EngineError::Unreachable {
            host: host.clone(),
            why,
        };
        let docker = Docker::connect_with_host(&host).map_err(|e| unreachable(root_cause(&e)))?;
        let docker = runtime.block_on(async {
            match tokio::time::timeout(PING_TIMEOUT, docker.ping()).await {
                Err(_) => Err(unreachable(format!(
                    "no answer within {} s",
                    PING_TIMEOUT.as_secs()
                ))),
                Ok(Err(e)) => Err(unreachable(root_cause(&e))),
                // The engine may speak an older API than bollard's default (20.10 speaks 1.41).
                Ok(Ok(_)) => docker
                    .negotiate_version()
                    .await
                    .map_err(|e| unreachable(root_cause(&e))),
            }
        })?;
        Ok(Engine {
            docker,
            runtime,
            host,
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

    /// The engine's view of an image, `None` when it has none by that name.
    pub fn inspect_image(&self, name: &str) -> Result<Option<ImageInspect>, EngineError> {
        match self.block_on(self.docker.inspect_image(name)) {
            Ok(image) => Ok(Some(image)),
            Err(e) if is_not_found(&e) => Ok(None),
            Err(e) => Err(api_error(&format!("looking for image {name}"), e)),
        }
    }

    /// Makes sure an image is present, pulling it if not; returns what the engine knows of it.
    pub fn ensure_image(&self, name: &str, ui: &Ui) -> Result<ImageInspect, EngineError> {
        if let Some(image) = self.inspect_image(name)? {
            return Ok(image);
        }
        ui.status("Pulling", format!("{name} (not present locally)"));
        let unavailable = |why: String| EngineError::ImageUnavailable {
            image: name.to_string(),
            why,
        };
        self.pull(name, ui).map_err(unavailable)?;
        self.inspect_image(name)?.ok_or_else(|| {
            unavailable("the engine reported the pull done, but has no such image".into())
        })
    }

    /// Pulls an image with a progress display of bytes downloaded over all layers.
    fn pull(&self, name: &str, ui: &Ui) -> std::result::Result<(), String> {
        let (repository, tag) = split_reference(name);
        let options = CreateImageOptionsBuilder::new()
            .from_image(repository)
            .tag(tag)
            .build();
        let progress = ui.spinner(format!("pulling {name}"));
        self.block_on(async {
            let mut stream = self.docker.create_image(Some(options), None, None);
            let mut layers: HashMap<String, (i64, i64)> = HashMap::new();
            while let Some(item) = stream.next().await {
                let info = item.map_err(|e| describe(&e))?;
                if let (Some(id), Some(detail)) = (&info.id, &info.progress_detail)
                    && let (Some(current), Some(total)) = (detail.current, detail.total)
                {
                    layers.insert(id.clone(), (current, total));
                }
                let (done, total) = layers
                    .values()
                    .fold((0, 0), |(d, t), (c, n)| (d + c, t + n));
                progress.set_message(format!(
                    "pulling {name}: {} layers, {} of {} MB",
                    layers.len(),
                    done / 1_000_000,
                    total / 1_000_000
                ));
                if let Some(status) = &info.status
                    && status.starts_with("Status:")
                {
                    progress.println(status);
                }
            }
            Ok(())
        })
    }
}

/// The labels an image carries.
pub fn image_labels(image: &ImageInspect) -> HashMap<String, String> {
    image
        .config
        .as_ref()
        .and_then(|config| config.labels.clone())
        .unwrap_or_default()
}

/// The `PATH` an image's containers start with, when the image sets one.
pub fn image_path_env(image: &ImageInspect) -> Option<String> {
    image
        .config
        .as_ref()?
        .env
        .as_ref()?
        .iter()
        .find_map(|var| var.strip_prefix("PATH=").map(str::to_string))
}

/// Splits `repo[:tag]` (or `repo@digest`) into what the create-image API wants. Without a tag the
/// engine would pull every tag, so `latest` is implied as the CLI does.
pub fn split_reference(name: &str) -> (&str, &str) {
    if name.contains('@') {
        return (name, "");
    }
    let last_segment = name.rfind('/').map_or(0, |i| i + 1);
    match name[last_segment..].rfind(':') {
        Some(colon) => {
            let at = last_segment + colon;
            (&name[..at], &name[at + 1..])
        }
        None => (name, "latest"),
    }
}

/// `DOCKER_HOST`, or the default socket.
pub fn engine_host() -> String {
    match std::env::var("DOCKER_HOST") {
        Ok(host) if !host.is_empty() => host,
        _ => DEFAULT_HOST.to_string(),
    }
}

/// How the engine address was chosen, for messages.
pub fn host_origin() -> &'static str {
    match std::env::var("DOCKER_HOST") {
        Ok(host) if !host.is_empty() => "set by DOCKER_HOST",
        _ => "the default; DOCKER_HOST is not set",
    }
}

fn check_socket(host: &str, path: &Path) -> Result<(), EngineError> {
    let unreachable = |why: &str| EngineError::Unreachable {
        host: host.to_string(),
        why: why.to_string(),
    };
    match std::os::unix::net::UnixStream::connect(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            Err(EngineError::PermissionDenied {
                socket: path.display().to_string(),
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(unreachable("no such socket")),
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            Err(unreachable("connection refused: the engine is not running"))
        }
        Err(e) => Err(unreachable(&crate::error::describe_io(&e))),
    }
}

/// The innermost cause of an error: "Connection refused", not "client error (Connect)".
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    strip_os_error(&cause.to_string())
}

/// An engine error while doing `action`.
pub fn api_error(action: &str, error: bollard::errors::Error) -> EngineError {
    EngineError::Api {
        action: action.to_string(),
        message: describe(&error),
    }
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

pub fn is_not_found(error: &bollard::errors::Error) -> bool {
    matches!(
        error,
        bollard::errors::Error::DockerResponseServerError {
            status_code: 404,
            ..
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_split_into_repository_and_tag() {
        assert_eq!(split_reference("debian:bullseye"), ("debian", "bullseye"));
        assert_eq!(split_reference("debian"), ("debian", "latest"));
        assert_eq!(
            split_reference("localhost:5000/team/rust"),
            ("localhost:5000/team/rust", "latest")
        );
        assert_eq!(
            split_reference("localhost:5000/team/rust:1.95"),
            ("localhost:5000/team/rust", "1.95")
        );
        assert_eq!(split_reference("rust@sha256:abc"), ("rust@sha256:abc", ""));
    }
}
