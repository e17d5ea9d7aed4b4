//! A custom-container function's container, run through the Docker engine as FC runs it: FC's
//! environment, the function's memory size as the container's memory limit (swap included, so
//! the limit is real), its output followed into the log. The container is labelled
//! `cargo-fc=local` and `cargo-fc.pid`, and removed on every way out: stopped, killed, dropped
//! (a panic, an error, Ctrl-C).
//!
//! The emulator runs on its own multi-threaded runtime, so this talks to the engine through a
//! client made on that runtime rather than the [`crate::engine::Engine`] the image was made with.

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use bollard::Docker;
use bollard::container::LogOutput;
use bollard::models::{ContainerCreateBody, HostConfig};
use bollard::query_parameters::{
    AttachContainerOptionsBuilder, CreateContainerOptionsBuilder, KillContainerOptionsBuilder,
    RemoveContainerOptionsBuilder, StopContainerOptionsBuilder,
};
use futures_util::StreamExt;

use super::LocalError;
use super::instance::Log;
use crate::engine::{LABEL, describe, engine_host};
use crate::error::Result;

/// The image to run and the port its server listens on inside the container.
#[derive(Debug, Clone)]
pub struct ContainerRun {
    pub image: String,
    pub port: u16,
}

/// Where the container's output goes besides the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Echo {
    /// Everything to stderr, as a process instance's output.
    Stderr,
    /// stdout to stdout (the result of a one-shot run), stderr to stderr.
    Split,
}

pub struct Running {
    docker: Docker,
    pub name: String,
    /// The server's address on the container's network.
    pub address: Option<SocketAddr>,
    /// The container's main process as the host sees it, for messages.
    pub pid: u32,
    /// The task that copies the container's output; it ends when the container does.
    output: Option<tokio::task::JoinHandle<()>>,
    removed: bool,
}

/// How the container ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exit {
    pub code: i64,
    /// Killed by the kernel for going over its memory limit.
    pub out_of_memory: bool,
}

fn engine_failure(action: &str, error: &bollard::errors::Error) -> LocalError {
    LocalError::Engine {
        action: action.to_string(),
        message: describe(error),
    }
}

async fn connect() -> Result<Docker> {
    let host = engine_host();
    let docker = Docker::connect_with_host(&host).map_err(|e| engine_failure("connecting", &e))?;
    Ok(docker
        .negotiate_version()
        .await
        .map_err(|e| engine_failure("connecting", &e))?)
}

fn container_name() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    format!(
        "cargo-fc-{}-local-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

impl Running {
    /// The container called `name`, which exists: dropping this removes it.
    fn named(docker: Docker, name: String) -> Running {
        Running {
            docker,
            name,
            address: None,
            pid: 0,
            output: None,
            removed: false,
        }
    }

    /// Creates and starts the container with `env`, following its output into `log`. With
    /// `listen`, its server is reached at the container's own address, as FC reaches it.
    pub async fn start(
        run: &ContainerRun,
        env: &BTreeMap<String, String>,
        memory_mb: u64,
        listen: bool,
        log: Arc<Log>,
        echo: Echo,
    ) -> Result<Running> {
        let docker = connect().await?;
        let name = container_name();
        let labels = HashMap::from([
            (LABEL.to_string(), "local".to_string()),
            (format!("{LABEL}.pid"), std::process::id().to_string()),
        ]);
        let bytes = i64::try_from(memory_mb.saturating_mul(1024 * 1024)).unwrap_or(i64::MAX);
        let config = ContainerCreateBody {
            image: Some(run.image.clone()),
            env: Some(env.iter().map(|(k, v)| format!("{k}={v}")).collect()),
            labels: Some(labels),
            attach_stdout: Some(true),
            attach_stderr: Some(true),
            tty: Some(false),
            host_config: Some(HostConfig {
                memory: Some(bytes),
                memory_swap: Some(bytes),
                ..HostConfig::default()
            }),
            ..ContainerCreateBody::default()
        };
        let options = CreateContainerOptionsBuilder::new().name(&name).build();
        docker
            .create_container(Some(options), config)
            .await
            .map_err(|e| engine_failure(&format!("creating a container of {}", run.image), &e))?;
        // From here the container exists: dropping `running` removes it.
        let mut running = Running::named(docker, name);
        let attach = running
            .docker
            .attach_container(
                &running.name,
                Some(
                    AttachContainerOptionsBuilder::new()
                        .stream(true)
                        .stdout(true)
                        .stderr(true)
                        .build(),
                ),
            )
            .await
            .map_err(|e| engine_failure("attaching to the container", &e))?;
        running.output = Some(tokio::spawn(follow(attach.output, log, echo)));
        running
            .docker
            .start_container(&running.name, None)
            .await
            .map_err(|e| engine_failure("starting the container", &e))?;
        let inspect = running
            .docker
            .inspect_container(&running.name, None)
            .await
            .map_err(|e| engine_failure("looking at the container", &e))?;
        running.pid = inspect
            .state
            .as_ref()
            .and_then(|s| s.pid)
            .and_then(|p| u32::try_from(p).ok())
            .unwrap_or(0);
        if listen {
            let ip = inspect
                .network_settings
                .as_ref()
                .and_then(|n| n.networks.as_ref())
                .and_then(|networks| {
                    networks
                        .values()
                        .filter_map(|endpoint| endpoint.ip_address.as_deref())
                        .find_map(|ip| ip.parse::<IpAddr>().ok())
                });
            let Some(ip) = ip else {
                return Err(LocalError::NoAddress {
                    container: running.name.clone(),
                }
                .into());
            };
            running.address = Some(SocketAddr::new(ip, run.port));
        }
        Ok(running)
    }

    /// How the container ended, once it has.
    pub async fn exited(&self) -> Option<Exit> {
        let inspect = self.docker.inspect_container(&self.name, None).await.ok()?;
        let state = inspect.state?;
        if state.running == Some(true) {
            return None;
        }
        Some(Exit {
            code: state.exit_code.unwrap_or(-1),
            out_of_memory: state.oom_killed == Some(true),
        })
    }

    /// Waits for the container to end.
    pub async fn wait(&self) -> Result<Exit> {
        let mut stream = self.docker.wait_container(&self.name, None);
        match stream.next().await {
            Some(Ok(_)) | Some(Err(bollard::errors::Error::DockerContainerWaitError { .. })) => {}
            Some(Err(e)) => return Err(engine_failure("waiting for the container", &e).into()),
            None => {}
        }
        self.exited().await.ok_or_else(|| {
            LocalError::Engine {
                action: format!("waiting for the container {}", self.name),
                message: "the engine did not say how it ended".into(),
            }
            .into()
        })
    }

    /// Waits until the container's output has all been read (it ends with the container), for
    /// at most a second.
    pub async fn drain(&mut self) {
        if let Some(output) = self.output.take() {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(1), output).await;
        }
    }

    /// Stops the container as FC stops an instance (SIGTERM, then SIGKILL after 3 s) and removes it.
    pub async fn stop(mut self) {
        let options = StopContainerOptionsBuilder::new().t(3).build();
        let _ = self.docker.stop_container(&self.name, Some(options)).await;
        self.remove().await;
    }

    /// Kills the container at once (a timeout) and removes it.
    pub async fn kill(mut self) {
        let options = KillContainerOptionsBuilder::new().signal("SIGKILL").build();
        let _ = self.docker.kill_container(&self.name, Some(options)).await;
        self.remove().await;
    }

    async fn remove(&mut self) {
        let options = RemoveContainerOptionsBuilder::new()
            .force(true)
            .v(true)
            .build();
        match self
            .docker
            .remove_container(&self.name, Some(options))
            .await
        {
            Ok(())
            | Err(bollard::errors::Error::DockerResponseServerError {
                status_code: 404, ..
            }) => {
                self.removed = true;
            }
            Err(e) => eprintln!(
                "warning: could not remove container {}: {}; remove it with `docker rm -f {}`",
                self.name,
                describe(&e),
                self.name
            ),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if self.removed {
            return;
        }
        // Drop may run on the emulator's runtime, which cannot block on itself: remove the
        // container from a thread with a runtime of its own, and wait for it.
        let name = self.name.clone();
        let removal = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async {
                if let Ok(docker) = connect().await {
                    let mut running = Running::named(docker, name);
                    running.remove().await;
                    running.removed = true;
                }
            });
        });
        let _ = removal.join();
    }
}

/// Splits the container's output into lines for the log and the terminal.
async fn follow(
    mut output: std::pin::Pin<
        Box<
            dyn futures_util::Stream<Item = std::result::Result<LogOutput, bollard::errors::Error>>
                + Send,
        >,
    >,
    log: Arc<Log>,
    echo: Echo,
) {
    let mut pending: [Vec<u8>; 2] = [Vec::new(), Vec::new()];
    let emit = |stream: usize, bytes: &[u8], pending: &mut [Vec<u8>; 2]| {
        pending[stream].extend_from_slice(bytes);
        while let Some(end) = pending[stream].iter().position(|&b| b == b'\n') {
            let line = String::from_utf8_lossy(&pending[stream][..end])
                .trim_end_matches('\r')
                .to_string();
            pending[stream].drain(..=end);
            if stream == 0 && echo == Echo::Split {
                println!("{line}");
            } else {
                eprintln!("{line}");
            }
            log.push(line);
        }
    };
    while let Some(Ok(chunk)) = output.next().await {
        match chunk {
            LogOutput::StdOut { message } | LogOutput::Console { message } => {
                emit(0, &message, &mut pending)
            }
            LogOutput::StdErr { message } => emit(1, &message, &mut pending),
            LogOutput::StdIn { .. } => {}
        }
    }
    for stream in 0..2 {
        if !pending[stream].is_empty() {
            let mut rest = std::mem::take(&mut pending[stream]);
            rest.push(b'\n');
            emit(stream, &rest, &mut pending);
        }
    }
}
