//! One running `bootstrap`, started the way FC starts it, and the HTTP calls FC makes to it.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::Request;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use super::LocalError;
use super::settings::Settings;
use crate::error::{Result, io};
use crate::platform::protocol;

/// How long the log may trail an answer before cargo fc stops waiting for a marker.
pub const MARKER_WAIT: Duration = Duration::from_millis(250);
/// How long a failed connection waits for the process to be seen exiting.
const EXIT_GRACE: Duration = Duration::from_millis(500);

/// Everything the function wrote, line by line, with when it was written (the last
/// [`LOG_KEPT`] lines: a server runs for hours).
#[derive(Debug, Default)]
pub struct Log {
    lines: Mutex<std::collections::VecDeque<(Instant, String)>>,
    /// Told of every new line, for [`Log::wait_for`].
    pushed: tokio::sync::Notify,
}

/// How many lines a [`Log`] keeps: far more than the 4 KB tail FC returns needs.
const LOG_KEPT: usize = 20_000;

impl Log {
    pub(super) fn push(&self, line: String) {
        {
            let mut lines = self.lines.lock().expect("the log lock is never poisoned");
            if lines.len() == LOG_KEPT {
                lines.pop_front();
            }
            lines.push_back((Instant::now(), line));
        }
        self.pushed.notify_waiters();
    }

    /// The lines written since `since`.
    pub fn since(&self, since: Instant) -> Vec<String> {
        self.lines
            .lock()
            .expect("the log lock is never poisoned")
            .iter()
            .filter(|(at, _)| *at >= since)
            .map(|(_, line)| line.clone())
            .collect()
    }

    /// Whether any line since `since` contains `text`.
    pub fn contains_since(&self, since: Instant, text: &str) -> bool {
        self.lines
            .lock()
            .expect("the log lock is never poisoned")
            .iter()
            .rev()
            .take_while(|(at, _)| *at >= since)
            .any(|(_, line)| line.contains(text))
    }

    /// Waits until a line since `since` contains `text` (a marker the runtime writes), for at
    /// most [`MARKER_WAIT`]: a runtime that writes no markers only costs that much.
    pub async fn wait_for(&self, since: Instant, text: &str) {
        let deadline = tokio::time::Instant::now() + MARKER_WAIT;
        loop {
            let pushed = self.pushed.notified();
            tokio::pin!(pushed);
            // Registered before the lines are read, so a line pushed in between wakes it.
            pushed.as_mut().enable();
            if self.contains_since(since, text) {
                return;
            }
            tokio::select! {
                () = pushed => {}
                () = tokio::time::sleep_until(deadline) => return,
            }
        }
    }
}

/// What runs the function: the bootstrap as a process here, or a custom container's image.
enum Process {
    Local(Child),
    Container(super::container::Running),
}

pub struct Instance {
    process: Process,
    pub pid: u32,
    pub address: SocketAddr,
    pub log: Arc<Log>,
    pub started: Instant,
}

/// What the function answered.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: hyper::HeaderMap,
    pub body: Bytes,
}

impl Answer {
    /// docs/platform.md#the-http-protocol: a function reports failure with `x-fc-status: 404`; an absent header counts as
    /// success.
    pub fn failed(&self) -> bool {
        self.headers
            .get("x-fc-status")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() != "200")
            || self.status >= 400
    }
}

/// Why a call did not produce an answer.
#[derive(Debug)]
pub enum CallFailure {
    TimedOut(Duration),
    OutOfMemory { used_mb: f64 },
    Crashed(String),
}

impl Instance {
    /// Starts `bootstrap` in `code_dir` with FC's environment, its output going to stderr and to
    /// the log.
    pub fn start(code_dir: &Path, settings: &Settings, port: u16) -> Result<Self> {
        let bootstrap = code_dir.join("bootstrap");
        let mut command = Command::new(&bootstrap);
        command
            .current_dir(code_dir)
            .env_clear()
            .envs(environment(code_dir, settings, port))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        // kill_on_drop needs cargo fc to unwind; when it is killed instead (SIGKILL, or a
        // SIGTERM from a supervisor), the bootstrap would live on holding its port. The kernel
        // kills it with its parent. This is tied to the spawning thread, which is the main
        // thread or a tokio worker, and both live as long as the emulator.
        #[cfg(target_os = "linux")]
        // SAFETY: the closure runs between fork and exec and only calls prctl(2), which is
        // async-signal-safe.
        unsafe {
            command.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let mut child = command.spawn().map_err(|e| LocalError::CannotStart {
            bootstrap: bootstrap.clone(),
            why: crate::error::describe_io(&e),
        })?;
        let pid = child.id().unwrap_or_default();
        let log = Arc::new(Log::default());
        for stream in [
            child
                .stdout
                .take()
                .map(|s| Box::new(s) as Box<dyn tokio::io::AsyncRead + Send + Unpin>),
            child
                .stderr
                .take()
                .map(|s| Box::new(s) as Box<dyn tokio::io::AsyncRead + Send + Unpin>),
        ]
        .into_iter()
        .flatten()
        {
            let log = log.clone();
            tokio::spawn(async move {
                let mut lines = BufReader::new(stream).lines();
                while let Ok(Some(line)) = lines.next_line().await {
                    eprintln!("{line}");
                    log.push(line);
                }
            });
        }
        Ok(Self {
            process: Process::Local(child),
            pid,
            address: SocketAddr::from(([127, 0, 0, 1], port)),
            log,
            started: Instant::now(),
        })
    }

    /// Starts a custom container's image in the engine with FC's environment and the function's
    /// memory size as its memory limit.
    pub async fn start_container(
        run: &super::container::ContainerRun,
        settings: &Settings,
    ) -> Result<Self> {
        let log = Arc::new(Log::default());
        let running = super::container::Running::start(
            run,
            &container_environment(settings, run.port),
            settings.memory_mb,
            true,
            log.clone(),
            super::container::Echo::Stderr,
        )
        .await?;
        let address = running
            .address
            .expect("a listening container has an address");
        Ok(Self {
            pid: running.pid,
            process: Process::Container(running),
            address,
            log,
            started: Instant::now(),
        })
    }

    /// How the function's process ended, if it has.
    async fn exited(&mut self) -> Option<String> {
        match &mut self.process {
            Process::Local(child) => child.try_wait().ok().flatten().map(|s| s.to_string()),
            Process::Container(running) => running.exited().await.map(|exit| {
                if exit.out_of_memory {
                    format!("exit status {}, out of memory", exit.code)
                } else {
                    format!("exit status {}", exit.code)
                }
            }),
        }
    }

    /// Waits until the function accepts connections, as FC does before the first request.
    pub async fn wait_ready(&mut self) -> Result<Duration> {
        let deadline = self.started + protocol::START_DEADLINE;
        let mut last_look = Instant::now();
        loop {
            if tokio::net::TcpStream::connect(self.address).await.is_ok() {
                return Ok(self.started.elapsed());
            }
            // Asking the engine costs a round trip: a container is looked at every 50 ms.
            let look = matches!(self.process, Process::Local(_))
                || last_look.elapsed() > Duration::from_millis(50);
            if look && let Some(status) = self.exited().await {
                return Err(LocalError::ExitedBeforeListening {
                    status,
                    port: self.address.port(),
                }
                .into());
            }
            if Instant::now() > deadline {
                return Err(LocalError::NotListening {
                    port: self.address.port(),
                }
                .into());
            }
            if look {
                last_look = Instant::now();
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }

    /// The pid of a process started here; 0 for a container, whose process lives in another
    /// pid namespace.
    pub fn local_pid(&self) -> u32 {
        match self.process {
            Process::Local(_) => self.pid,
            Process::Container(_) => 0,
        }
    }

    /// Whether the process is still running.
    pub async fn is_running(&mut self) -> bool {
        self.exited().await.is_none()
    }

    /// Makes one request, enforcing the timeout and the memory size.
    pub async fn call(
        &mut self,
        request: Request<Full<Bytes>>,
        timeout: Duration,
        memory_mb: u64,
    ) -> std::result::Result<Answer, CallFailure> {
        let address = self.address;
        let pid = self.pid;
        let exchange = send(address, request);
        tokio::pin!(exchange);
        let deadline = tokio::time::sleep(timeout);
        tokio::pin!(deadline);
        let mut watch = tokio::time::interval(Duration::from_millis(10));
        loop {
            tokio::select! {
                answer = &mut exchange => {
                    let error = match answer {
                        Ok(answer) => return Ok(answer),
                        Err(error) => error,
                    };
                    // A dying process closes its sockets before it can be reaped, so the
                    // connection usually fails first: give the exit a moment to show.
                    let exited = match &mut self.process {
                        Process::Local(child) => tokio::time::timeout(EXIT_GRACE, child.wait())
                            .await
                            .ok()
                            .and_then(Result::ok)
                            .map(|status| (status.to_string(), false)),
                        Process::Container(running) => {
                            tokio::time::timeout(EXIT_GRACE, running.wait())
                                .await
                                .ok()
                                .and_then(Result::ok)
                                .map(|exit| (format!("exit status {}", exit.code), exit.out_of_memory))
                        }
                    };
                    return Err(match exited {
                        // The container's memory limit is the kernel's: it kills the process.
                        Some((_, true)) => CallFailure::OutOfMemory { used_mb: memory_mb as f64 },
                        Some((status, false)) => {
                            CallFailure::Crashed(format!("the function's process exited ({status})"))
                        }
                        None => CallFailure::Crashed(format!("the connection failed: {error}")),
                    });
                }
                _ = &mut deadline => return Err(CallFailure::TimedOut(timeout)),
                // A container's memory is limited by the engine; a process's is watched here.
                _ = watch.tick(), if matches!(self.process, Process::Local(_)) => {
                    if let Some(used) = memory_of(pid, "VmRSS:")
                        && used > memory_mb as f64
                    {
                        return Err(CallFailure::OutOfMemory { used_mb: used });
                    }
                }
            }
        }
    }

    /// Resident memory of the process now, in MB; unknown for a container, whose process
    /// lives in another pid namespace (the engine limits its memory instead).
    pub fn memory_mb(&self) -> Option<f64> {
        match self.process {
            Process::Local(_) => memory_of(self.pid, "VmRSS:"),
            Process::Container(_) => None,
        }
    }

    /// Peak resident memory of the process so far, in MB; unknown for a container.
    pub fn max_memory_mb(&self) -> Option<f64> {
        match self.process {
            Process::Local(_) => memory_of(self.pid, "VmHWM:"),
            Process::Container(_) => None,
        }
    }

    /// Stops the process as FC does: SIGTERM, then SIGKILL if it lingers.
    pub async fn stop(mut self) {
        if !self.is_running().await {
            if let Process::Container(running) = self.process {
                running.stop().await;
            }
            return;
        }
        match self.process {
            Process::Local(mut child) => {
                // SAFETY: kill(2) with a pid we spawned and still own; the worst case is ESRCH.
                unsafe {
                    libc::kill(self.pid as libc::pid_t, libc::SIGTERM);
                }
                if tokio::time::timeout(Duration::from_secs(3), child.wait())
                    .await
                    .is_err()
                {
                    let _ = child.kill().await;
                }
            }
            Process::Container(running) => running.stop().await,
        }
    }

    /// Kills the process at once (after a timeout or out of memory).
    pub async fn kill(self) {
        match self.process {
            Process::Local(mut child) => {
                let _ = child.kill().await;
            }
            Process::Container(running) => running.kill().await,
        }
    }
}

/// One request on a connection of its own.
pub async fn send(
    address: SocketAddr,
    request: Request<Full<Bytes>>,
) -> std::result::Result<Answer, String> {
    let mut sender = connect(address).await?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| e.to_string())?;
    answer(response).await
}

type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

async fn connect(address: SocketAddr) -> std::result::Result<Sender, String> {
    let stream = tokio::net::TcpStream::connect(address)
        .await
        .map_err(|e| e.to_string())?;
    let _ = stream.set_nodelay(true);
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(connection);
    Ok(sender)
}

async fn answer(
    response: hyper::Response<hyper::body::Incoming>,
) -> std::result::Result<Answer, String> {
    let (parts, body) = response.into_parts();
    let body = Limited::new(body, protocol::SYNC_BODY_LIMIT)
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok(Answer {
        status: parts.status.as_u16(),
        headers: parts.headers,
        body,
    })
}

/// Keep-alive connections to one instance, as FC's front end keeps them: a request takes an
/// idle one (or opens one) and gives it back once its answer is read. Opening a connection per
/// request cost about a third of a trivial invocation through `local start`.
#[derive(Default)]
pub struct Connections {
    idle: Mutex<Vec<Sender>>,
}

impl Connections {
    pub async fn send(
        &self,
        address: SocketAddr,
        mut request: Request<Full<Bytes>>,
    ) -> std::result::Result<Answer, String> {
        loop {
            let idle = self
                .idle
                .lock()
                .expect("the connections lock is never poisoned")
                .pop();
            let Some(mut sender) = idle else { break };
            // A connection the function closed is dropped; one that took the request is used.
            match sender.try_send_request(request).await {
                Ok(response) => {
                    let answer = answer(response).await?;
                    self.keep(sender, &answer);
                    return Ok(answer);
                }
                Err(mut error) => match error.take_message() {
                    // Never sent: try the next connection.
                    Some(unsent) => request = unsent,
                    None => return Err(error.into_error().to_string()),
                },
            }
        }
        let mut sender = connect(address).await?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| e.to_string())?;
        let answer = answer(response).await?;
        self.keep(sender, &answer);
        Ok(answer)
    }

    fn keep(&self, sender: Sender, answer: &Answer) {
        let closing = answer
            .headers
            .get(hyper::header::CONNECTION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        if !closing && !sender.is_closed() {
            self.idle
                .lock()
                .expect("the connections lock is never poisoned")
                .push(sender);
        }
    }

    /// Forgets every connection: the instance they lead to is gone.
    pub fn clear(&self) {
        self.idle
            .lock()
            .expect("the connections lock is never poisoned")
            .clear();
    }
}

/// A `/proc/PID/status` memory field in MB.
pub(super) fn memory_of(pid: u32, field: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// docs/platform.md#the-http-protocol: the environment FC gives a custom runtime. Credentials are never set: cargo fc
/// does not handle them.
pub fn environment(code_dir: &Path, settings: &Settings, port: u16) -> BTreeMap<String, String> {
    let code = code_dir.display().to_string();
    let mut env: BTreeMap<String, String> = [
        ("FC_SERVER_PORT", port.to_string()),
        ("FC_CUSTOM_LISTEN_PORT", port.to_string()),
        ("FC_FUNC_CODE_PATH", code.clone()),
        ("FC_FUNCTION_NAME", settings.function_name.clone()),
        ("FC_FUNCTION_HANDLER", settings.handler.clone()),
        ("FC_FUNCTION_MEMORY_SIZE", settings.memory_mb.to_string()),
        ("FC_REGION", settings.region.clone()),
        ("FC_ACCOUNT_ID", "0000000000000000".to_string()),
        ("FC_INSTANCE_ID", request_id()),
        ("FC_SERVICE_NAME", settings.service_name.clone()),
        (
            "LD_LIBRARY_PATH",
            format!("{code}:{code}/lib:/usr/local/lib"),
        ),
        (
            "PATH",
            "/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin".to_string(),
        ),
        ("HOME", std::env::temp_dir().display().to_string()),
        ("LANG", "C.UTF-8".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    env.extend(settings.environment.clone());
    env
}

/// The environment of a custom container: FC's variables and the function's, over the image's
/// own (its PATH, HOME and library path stay what the image says).
pub fn container_environment(settings: &Settings, port: u16) -> BTreeMap<String, String> {
    let mut env = environment(Path::new(crate::platform::CODE_DIR), settings, port);
    for image_owned in ["LD_LIBRARY_PATH", "PATH", "HOME", "LANG"] {
        if !settings.environment.contains_key(image_owned) {
            env.remove(image_owned);
        }
    }
    env
}

/// docs/platform.md#the-http-protocol: the headers FC sends with every request to a custom runtime.
pub fn fc_headers(
    settings: &Settings,
    request_id: &str,
    control_path: &str,
) -> Vec<(&'static str, String)> {
    let initializer = settings.initializer.clone().unwrap_or_default();
    vec![
        ("x-fc-request-id", request_id.to_string()),
        ("x-fc-access-key-id", String::new()),
        ("x-fc-access-key-secret", String::new()),
        ("x-fc-security-token", String::new()),
        ("x-fc-function-name", settings.function_name.clone()),
        ("x-fc-function-handler", settings.handler.clone()),
        ("x-fc-function-memory", settings.memory_mb.to_string()),
        (
            "x-fc-function-timeout",
            format!("{}", settings.timeout_s.ceil() as u64),
        ),
        ("x-fc-function-initializer", initializer),
        (
            "x-fc-initialization-timeout",
            format!("{}", settings.initialization_timeout_s.ceil() as u64),
        ),
        ("x-fc-instance-lifecycle-pre-stop-handler", String::new()),
        ("x-fc-instance-lifecycle-pre-freeze-handler", String::new()),
        ("x-fc-service-name", settings.service_name.clone()),
        ("x-fc-service-logproject", String::new()),
        ("x-fc-service-logstore", String::new()),
        ("x-fc-region", settings.region.clone()),
        ("x-fc-account-id", "0000000000000000".to_string()),
        ("x-fc-qualifier", "LATEST".to_string()),
        ("x-fc-version-id", String::new()),
        ("x-fc-retry-count", "0".to_string()),
        ("x-fc-control-path", control_path.to_string()),
    ]
}

/// A fresh request id in FC's UUID shape.
pub fn request_id() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // No entropy source: still unique within this process and across processes.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        bytes = (nanos ^ u128::from(std::process::id())).to_le_bytes();
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// Whether nothing listens on `port` (any address), so an instance can take it.
fn port_is_free(port: u16) -> bool {
    std::net::TcpListener::bind(("0.0.0.0", port)).is_ok()
}

/// The port a new instance listens on: `wanted` (the template's, for a bootstrap that listens
/// there whatever FC_SERVER_PORT says) unless something holds it, then a free one; with the
/// wanted port when it was held, for the caller to say so.
pub fn choose_port(wanted: Option<u16>) -> Result<(u16, Option<u16>)> {
    match wanted {
        Some(port) if port_is_free(port) => Ok((port, None)),
        held => Ok((free_port()?, held)),
    }
}

/// A free TCP port on the loopback interface for the function to listen on.
pub fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(io("open a port on", Path::new("127.0.0.1")))?;
    Ok(listener.local_addr().map(|a| a.port()).unwrap_or(9000))
}

/// The folder a run unpacks the package into and starts `bootstrap` from.
///
/// Normally `<target-dir>/fc/local/<bin>/code`, held with a lock for the whole run. Unpacking
/// replaces the folder, so a second `cargo fc local` of the same function at the same time
/// (`local start` in one terminal, `local invoke` in another, or invocations in parallel) gets
/// a private folder beside it instead, removed when it ends.
pub struct CodeDir {
    pub path: PathBuf,
    _lock: Option<std::fs::File>,
    _private: Option<tempfile::TempDir>,
}

impl CodeDir {
    pub fn claim(local: &Path) -> Result<CodeDir> {
        std::fs::create_dir_all(local).map_err(io("create", local))?;
        let lock_path = local.join("code.lock");
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io("open", &lock_path))?;
        // Closing the file releases the lock. Any failure (held elsewhere, or no locks on this
        // file system) means a private folder.
        let held = lock.try_lock().is_ok();
        if held {
            return Ok(CodeDir {
                path: local.join("code"),
                _lock: Some(lock),
                _private: None,
            });
        }
        let private = tempfile::Builder::new()
            .prefix("code-")
            .tempdir_in(local)
            .map_err(io("create a folder in", local))?;
        Ok(CodeDir {
            path: private.path().to_path_buf(),
            _lock: None,
            _private: Some(private),
        })
    }
}

/// Unpacks a package into `dir` as FC unpacks it into /code, keeping each entry's mode.
pub fn unpack(zip_path: &Path, dir: &Path) -> Result<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(io("clear", dir))?;
    }
    std::fs::create_dir_all(dir).map_err(io("create", dir))?;
    let file = std::fs::File::open(zip_path).map_err(io("read", zip_path))?;
    let bad = |e: zip::result::ZipError| {
        crate::error::IoError::new("unpack", zip_path, std::io::Error::other(e))
    };
    let mut archive = zip::ZipArchive::new(file).map_err(bad)?;
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(bad)?;
        let Some(relative) = entry.enclosed_name() else {
            return Err(LocalError::UnsafeEntry {
                zip: zip_path.to_path_buf(),
            }
            .into());
        };
        let path = dir.join(relative);
        if entry.is_dir() {
            std::fs::create_dir_all(&path).map_err(io("create", &path))?;
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io("create", parent))?;
        }
        let mut out = std::fs::File::create(&path).map_err(io("write", &path))?;
        std::io::copy(&mut entry, &mut out).map_err(io("write", &path))?;
        let mode = entry.unix_mode().unwrap_or(0o644) & 0o777;
        out.set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(io("set the mode of", &path))?;
    }
    Ok(dir.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_look_like_fcs() {
        let id = request_id();
        assert_eq!(id.len(), 36);
        assert_eq!(id.matches('-').count(), 4);
        assert_ne!(id, request_id());
    }

    #[test]
    fn failure_is_x_fc_status_404_or_an_error_status() {
        let mut headers = hyper::HeaderMap::new();
        let ok = Answer {
            status: 200,
            headers: headers.clone(),
            body: Bytes::new(),
        };
        assert!(!ok.failed());
        headers.insert("x-fc-status", "404".parse().unwrap());
        let failed = Answer {
            status: 200,
            headers,
            body: Bytes::new(),
        };
        assert!(failed.failed());
    }
}
