//! One function crate made by `cargo fc new` and packed for `custom` with zig, shared by every
//! end-to-end test of the runtime and of `cargo fc local`.
//!
//! A release build of hyper + tokio with LTO takes minutes on a small machine, and nextest runs
//! each test in its own process, so the crate is built once under a file lock in
//! `<target>/tmp/e2e/` and reused while neither cargo fc (which embeds the template) nor the
//! fixture's sources change.

use std::fs::File;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::{assert_success, cargo_fc, stderr};

/// The crate's package name; its bin of that name is the template's untouched event function.
pub const PACKAGE: &str = "fcfix";
/// The second bin, `tests/fixtures/local/fixture.rs`, and its FC function.
pub const FIXTURE: &str = "fixture";
/// The third bin, `tests/fixtures/local/raw.rs`: it answers with the event's bytes in hex.
pub const RAW: &str = "raw";
/// What `assets/greeting.txt` holds (packed through `include`).
pub const ASSET: &str = "hello from an asset\n";

const FIXTURE_SOURCE: &str = include_str!("../fixtures/local/fixture.rs");
const RAW_SOURCE: &str = include_str!("../fixtures/local/raw.rs");

/// The custom domain appended to the template's `Resources`: `local start` serves its route.
const DOMAIN_ADDITION: &str = "  fixture.example.test:
    Type: 'Aliyun::Serverless::CustomDomain'
    Properties:
      Protocol: HTTP
      RouteConfig:
        Routes:
          '/site/*':
            ServiceName: fcfix-service
            FunctionName: fixture
";

/// The template's function plus the fixture's, with the settings the tests check.
const TEMPLATE_ADDITION: &str = "    fixture:
      Type: 'Aliyun::Serverless::Function'
      Properties:
        Handler: index.handler
        Runtime: custom
        CodeUri: ./target/fc/fixture.zip
        MemorySize: 256
        Timeout: 5
        Initializer: index.init
        InitializationTimeout: 4
        InstanceConcurrency: 20
        EnvironmentVariables:
          FIXTURE_GREETING: hola
      Events:
        web:
          Type: HTTP
          Properties:
            AuthType: anonymous
            Methods: [GET, POST, PUT, DELETE]
    raw:
      Type: 'Aliyun::Serverless::Function'
      Properties:
        Handler: index.handler
        Runtime: custom
        CodeUri: ./target/fc/raw.zip
";

pub struct Fixture {
    /// The crate's folder.
    pub dir: PathBuf,
}

impl Fixture {
    pub fn bootstrap(&self, bin: &str) -> PathBuf {
        self.dir.join("target/fc").join(bin).join("bootstrap")
    }

    pub fn zip(&self, bin: &str) -> PathBuf {
        self.dir.join(format!("target/fc/{bin}.zip"))
    }

    /// Where `cargo fc local` unpacks a function.
    pub fn code_dir(&self, bin: &str) -> PathBuf {
        self.dir.join("target/fc/local").join(bin).join("code")
    }

    /// `cargo fc local` unpacks into one folder per function, and a run that overlaps another
    /// gets a private folder instead. Tests look at the usual folder (and count lines in one
    /// emulator's log), so they take turns: the guard this returns keeps the others out.
    pub fn local_lock(&self) -> FileLock {
        FileLock::acquire(&e2e_dir().join("local.lock"))
    }

    /// `cargo-fc fc ARGS` in the crate, killed if it outlives `limit`.
    pub fn cargo_fc(&self, args: &[&str], limit: Duration) -> Output {
        let mut command = cargo_fc();
        command.args(args).current_dir(&self.dir);
        run_bounded(command, limit)
    }
}

/// The shared folder of the end-to-end fixture.
pub fn e2e_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e")
}

/// The fixture, built if needed. `None` when zig is missing outside CI (the test is skipped).
pub fn fixture() -> Option<&'static Fixture> {
    static FIXTURE: OnceLock<Option<Fixture>> = OnceLock::new();
    FIXTURE
        .get_or_init(|| super::zig_available().then(prepare))
        .as_ref()
}

/// An exclusive `flock` on a file, released when dropped.
pub struct FileLock {
    _file: File,
}

impl FileLock {
    pub fn acquire(path: &Path) -> FileLock {
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .expect("the lock file opens");
        // flock(2) rather than `File::lock`, which is newer than the crate's MSRV (1.85).
        // SAFETY: flock on a descriptor this function owns; it is released when `file` closes.
        let locked = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
        assert_eq!(
            locked,
            0,
            "flock {}: {}",
            path.display(),
            std::io::Error::last_os_error()
        );
        FileLock { _file: file }
    }
}

/// What the built fixture depends on: cargo fc itself (which embeds the template) and the
/// fixture's own source.
fn fingerprint() -> String {
    let binary = std::fs::metadata(env!("CARGO_BIN_EXE_cargo-fc")).expect("cargo-fc is built");
    let mut hasher = DefaultHasher::new();
    binary.len().hash(&mut hasher);
    binary.modified().expect("an mtime").hash(&mut hasher);
    FIXTURE_SOURCE.hash(&mut hasher);
    RAW_SOURCE.hash(&mut hasher);
    TEMPLATE_ADDITION.hash(&mut hasher);
    DOMAIN_ADDITION.hash(&mut hasher);
    ASSET.hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

fn prepare() -> Fixture {
    let e2e = e2e_dir();
    let dir = e2e.join(PACKAGE);
    let stamp = e2e.join(format!("{PACKAGE}.stamp"));
    let fingerprint = fingerprint();
    let fresh = || std::fs::read_to_string(&stamp).is_ok_and(|s| s == fingerprint);
    // The stamp is written last, under the lock: when it matches, the build is complete.
    if fresh() {
        return Fixture { dir };
    }
    let _lock = FileLock::acquire(&e2e.join("build.lock"));
    if fresh() {
        return Fixture { dir };
    }
    let _ = std::fs::remove_file(&stamp);

    // `cargo fc new` refuses to overwrite, so it writes to a fresh folder; the files are then
    // copied over the previous fixture only where they changed, which keeps cargo's
    // freshness (and a minutes-long LTO build) when nothing did.
    let staging = e2e.join(format!("new-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let mut new = cargo_fc();
    new.args(["new", PACKAGE, "--path"])
        .arg(&staging)
        .current_dir(&e2e);
    let output = run_bounded(new, Duration::from_secs(60));
    assert_success(&output);
    let manifest = std::fs::read_to_string(staging.join("Cargo.toml")).expect("Cargo.toml");
    // The fixture's bin sleeps with tokio; the template's own function needs no tokio.
    let manifest = manifest.replacen(
        "[dependencies]\n",
        "[dependencies]\ntokio = { version = \"1\", features = [\"time\"] }\n",
        1,
    );
    write(
        &staging.join("Cargo.toml"),
        &format!("{manifest}\n[package.metadata.fc]\ninclude = [\"assets\"]\n"),
    );
    let template = std::fs::read_to_string(staging.join("template.yml")).expect("template.yml");
    let anchor = format!("    {PACKAGE}:\n");
    assert!(
        template.contains(&anchor),
        "the generated template.yml has no function `{PACKAGE}`:\n{template}"
    );
    write(
        &staging.join("template.yml"),
        &format!(
            "{}{DOMAIN_ADDITION}",
            template.replacen(&anchor, &format!("{TEMPLATE_ADDITION}{anchor}"), 1)
        ),
    );
    write(&staging.join("src/bin/fixture.rs"), FIXTURE_SOURCE);
    write(&staging.join("src/bin/raw.rs"), RAW_SOURCE);
    write(&staging.join("assets/greeting.txt"), ASSET);
    sync(&staging, &dir);
    std::fs::remove_dir_all(&staging).expect("remove the staging folder");

    let mut pack = cargo_fc();
    pack.args(["pack", "--builder", "zig"]).current_dir(&dir);
    let output = run_bounded(pack, Duration::from_secs(20 * 60));
    assert_success(&output);
    write(&stamp, &fingerprint);
    Fixture { dir }
}

fn write(path: &Path, content: &str) {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    std::fs::write(path, content).expect("write");
}

/// Copies every file of `from` into `to`, leaving files whose contents are the same untouched.
fn sync(from: &Path, to: &Path) {
    // Files an older `cargo fc new` wrote and this one does not must go, or they would still be
    // compiled; the build's own output and lock file stay. A fresh checkout has no fixture yet.
    let stale = walkdir::WalkDir::new(to)
        .contents_first(true)
        .into_iter()
        .filter_entry(|e| !matches!(e.file_name().to_str(), Some("target" | "Cargo.lock")));
    for entry in stale {
        if !to.exists() {
            break;
        }
        let entry = entry.expect("the fixture folder is readable");
        let relative = entry.path().strip_prefix(to).expect("inside");
        if !from.join(relative).exists() {
            if entry.file_type().is_dir() {
                std::fs::remove_dir_all(entry.path()).expect("remove a stale fixture folder");
            } else {
                std::fs::remove_file(entry.path()).expect("remove a stale fixture file");
            }
        }
    }
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("the staging folder is readable");
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(from).expect("inside");
        let target = to.join(relative);
        let content = std::fs::read(entry.path()).expect("read");
        if std::fs::read(&target).is_ok_and(|old| old == content) {
            continue;
        }
        std::fs::create_dir_all(target.parent().expect("a parent")).expect("mkdir");
        std::fs::write(&target, content).expect("write");
    }
}

/// Runs `command` to completion, killing it if it takes longer than `limit`.
pub fn run_bounded(mut command: Command, limit: Duration) -> Output {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let program = format!("{command:?}");
    let mut child = command.spawn().expect("the command starts");
    let out = drain(child.stdout.take().expect("piped"));
    let err = drain(child.stderr.take().expect("piped"));
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            let err = err.join().unwrap_or_default();
            panic!(
                "{program} did not finish within {limit:?}; stderr:\n{}",
                String::from_utf8_lossy(&err)
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Output {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}

fn drain(mut stream: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buffer = Vec::new();
        let _ = stream.read_to_end(&mut buffer);
        buffer
    })
}

/// Lines a child process writes, collected as they come.
#[derive(Clone, Default)]
pub struct Lines(Arc<Mutex<Vec<String>>>);

impl Lines {
    /// Collects `stream` line by line on a thread of its own.
    pub fn collect(stream: impl Read + Send + 'static) -> Lines {
        let lines = Lines::default();
        let sink = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { break };
                sink.0.lock().expect("not poisoned").push(line);
            }
        });
        lines
    }

    pub fn all(&self) -> Vec<String> {
        self.0.lock().expect("not poisoned").clone()
    }

    pub fn text(&self) -> String {
        self.all().join("\n")
    }

    /// Waits until a line satisfies `found`, and returns it; `None` after `limit`.
    pub fn wait_for(&self, limit: Duration, found: impl Fn(&str) -> bool) -> Option<String> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(line) = self.all().into_iter().find(|l| found(l)) {
                return Some(line);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// A process the test started; it is killed (and reaped) on every way out of the test.
pub struct ProcessGuard {
    pub child: Child,
    pub stdout: Lines,
    pub stderr: Lines,
    /// Signal sent first on drop, so that the process can clean up its own children.
    pub polite: libc::c_int,
}

impl ProcessGuard {
    pub fn spawn(mut command: Command, polite: libc::c_int) -> ProcessGuard {
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("the process starts");
        let stdout = Lines::collect(child.stdout.take().expect("piped"));
        let stderr = Lines::collect(child.stderr.take().expect("piped"));
        ProcessGuard {
            child,
            stdout,
            stderr,
            polite,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn signal(&self, signal: libc::c_int) {
        // SAFETY: kill(2) on the pid of a child this guard owns and has not reaped yet.
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, signal);
        }
    }

    /// Waits for the process to exit, at most `limit`.
    pub fn wait(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return Some(status);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for ProcessGuard {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            self.signal(self.polite);
            if self.wait(Duration::from_secs(5)).is_none() {
                let _ = self.child.kill();
                let _ = self.child.wait();
            }
        }
    }
}

/// A free port on loopback (a tiny race with other processes is accepted).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// An HTTP answer, read by hand.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!("not JSON ({e}): {:?} (status {})", self.text(), self.status)
        })
    }
}

/// One HTTP/1.1 exchange over a plain TCP connection: exactly the bytes given, nothing added
/// but `Host`, `Content-Length` and `Connection: close`.
pub fn http(
    port: u16,
    method: &str,
    target: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_reply(&raw).ok_or_else(|| {
        std::io::Error::other(format!(
            "not an HTTP answer: {:?}",
            String::from_utf8_lossy(&raw)
        ))
    })
}

fn parse_reply(raw: &[u8]) -> Option<Reply> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..split]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            Some((name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        })
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
    if chunked {
        body = dechunk(&body)?;
    }
    Some(Reply {
        status,
        headers,
        body,
    })
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[end + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}

/// Every header FC sends a custom runtime (docs/platform.md#the-http-protocol), as FC 2.0 sends them
/// for the fixture function.
pub fn fc_headers(request_id: &str, control_path: &str) -> Vec<(String, String)> {
    [
        ("x-fc-request-id", request_id),
        ("x-fc-access-key-id", "STS.test-key-id"),
        ("x-fc-access-key-secret", "test-secret"),
        ("x-fc-security-token", "test-token"),
        ("x-fc-function-name", FIXTURE),
        ("x-fc-function-handler", "index.handler"),
        ("x-fc-function-memory", "256"),
        ("x-fc-function-timeout", "5"),
        ("x-fc-function-initializer", "index.init"),
        ("x-fc-initialization-timeout", "4"),
        ("x-fc-instance-lifecycle-pre-stop-handler", "index.preStop"),
        ("x-fc-instance-lifecycle-pre-freeze-handler", ""),
        ("x-fc-service-name", "fixture-service"),
        ("x-fc-service-logproject", ""),
        ("x-fc-service-logstore", ""),
        ("x-fc-region", "cn-hangzhou"),
        ("x-fc-account-id", "1234567890123456"),
        ("x-fc-qualifier", "LATEST"),
        ("x-fc-version-id", ""),
        ("x-fc-retry-count", "0"),
        ("x-fc-control-path", control_path),
    ]
    .into_iter()
    .map(|(n, v)| (n.to_owned(), v.to_owned()))
    .collect()
}

/// Asserts that `line` is a runtime log line, `<UTC time>: <request id> [LEVEL] <message>`,
/// and returns its request id and message.
#[track_caller]
pub fn parse_log_line(line: &str) -> (&str, &str) {
    let (time, rest) = line
        .split_once(": ")
        .unwrap_or_else(|| panic!("not a log line: {line:?}"));
    // 2006-01-02T15:04:05.999Z
    let bytes = time.as_bytes();
    assert!(
        time.len() >= 20
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes[10] == b'T'
            && bytes[13] == b':'
            && bytes[16] == b':'
            && time.ends_with('Z')
            && time[..4].bytes().all(|b| b.is_ascii_digit()),
        "not a UTC timestamp in {line:?}"
    );
    let (id, rest) = rest
        .split_once(' ')
        .unwrap_or_else(|| panic!("no request id in {line:?}"));
    let (level, message) = rest
        .split_once("] ")
        .unwrap_or_else(|| panic!("no level in {line:?}"));
    assert!(level.starts_with('['), "no level in {line:?}");
    (id, message)
}

/// Shows the output of a failed command.
pub fn describe(output: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        stderr(output)
    )
}

/// `cargo fc -v local start --no-build --port 0 ARGS` in the fixture, on a port of its own,
/// stopped with Ctrl-C (SIGINT) when dropped.
pub struct LocalStart {
    pub process: ProcessGuard,
    pub port: u16,
}

impl LocalStart {
    pub fn spawn(fixture: &Fixture, args: &[&str]) -> LocalStart {
        let mut command = cargo_fc();
        command
            .args(["-v", "local", "start", "--no-build", "--port", "0"])
            .args(args)
            .current_dir(&fixture.dir);
        let process = ProcessGuard::spawn(command, libc::SIGINT);
        let port = listening_port(&process, Duration::from_secs(120));
        LocalStart { process, port }
    }

    pub fn request(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Reply {
        let headers: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        http(self.port, method, target, &headers, body.as_bytes())
            .unwrap_or_else(|e| panic!("{method} {target}: {e}\n{}", self.process.stderr.text()))
    }

    /// Waits until the function's log of request `id` has come through: cargo fc copies it
    /// from the bootstrap's stdout on a task of its own, which can lag behind the answer.
    pub fn function_log_through(&self, id: &str) {
        let end = format!("FC Invoke End RequestId: {id}");
        self.process
            .stderr
            .wait_for(Duration::from_secs(10), |line| line == end)
            .unwrap_or_else(|| panic!("no {end:?}:\n{}", self.process.stderr.text()));
    }

    /// The `Request <id> METHOD TARGET → STATUS` line for request `id`.
    pub fn request_line(&self, id: &str) -> String {
        self.process
            .stderr
            .wait_for(Duration::from_secs(10), |line| {
                line.contains(&format!("Request {id} "))
            })
            .unwrap_or_else(|| panic!("no request line for {id}:\n{}", self.process.stderr.text()))
    }
}

/// The port `cargo fc local start` (`process`) says it listens on, once it does.
pub fn listening_port(process: &ProcessGuard, limit: Duration) -> u16 {
    let listening = process
        .stderr
        .wait_for(limit, |line| {
            line.contains("Listening on http://127.0.0.1:")
        })
        .unwrap_or_else(|| panic!("local start did not listen:\n{}", process.stderr.text()));
    listening
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|port| port.parse().ok())
        .unwrap_or_else(|| panic!("no port in {listening:?}"))
}
