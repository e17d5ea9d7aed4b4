//! The runtime template as FC meets it: a crate made by `cargo fc new`, built with zig for
//! `custom`, its `bootstrap` started directly with `FC_SERVER_PORT` and driven over raw HTTP/1.1
//! with exactly the headers FC sends — no cargo fc in between.

mod support;

use std::process::Command;
use std::time::Duration;

use cargo_fc::platform::SymbolVersion;
use cargo_fc::verify::{self, Family};
use clap::ValueEnum as _;
use support::fixture::*;
use support::*;

/// A bootstrap started as FC starts one, on a port of its own.
struct Bootstrap {
    process: ProcessGuard,
    port: u16,
}

impl Bootstrap {
    fn start(fixture: &Fixture) -> Bootstrap {
        Bootstrap::start_with(fixture, &[])
    }

    fn start_with(fixture: &Fixture, env: &[(&str, &str)]) -> Bootstrap {
        let port = free_port();
        let mut command = Command::new(fixture.bootstrap(FIXTURE));
        command
            .current_dir(fixture.dir.join("target/fc").join(FIXTURE))
            .env_clear()
            .env("FC_SERVER_PORT", port.to_string())
            .env(
                "FC_FUNC_CODE_PATH",
                fixture.dir.join("target/fc").join(FIXTURE),
            )
            .env("FC_FUNCTION_NAME", FIXTURE)
            .env("FIXTURE_GREETING", "direct")
            .envs(env.iter().copied());
        let mut bootstrap = Bootstrap {
            process: ProcessGuard::spawn(command, libc::SIGKILL),
            port,
        };
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = bootstrap.process.child.try_wait().expect("wait") {
                panic!(
                    "bootstrap exited ({status}) before listening:\n{}",
                    bootstrap.process.stderr.text()
                );
            }
            assert!(
                std::time::Instant::now() < deadline,
                "bootstrap did not listen on {port} within 10 s"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        bootstrap
    }

    fn send(&self, control: &str, id: &str, body: &str) -> Reply {
        let method = if control == "/pre-stop" {
            "GET"
        } else {
            "POST"
        };
        let mut headers = fc_headers(id, control);
        if control == "/invoke" {
            headers.push((
                "Content-Type".to_owned(),
                "application/octet-stream".to_owned(),
            ));
        }
        http(self.port, method, control, &headers, body.as_bytes())
            .unwrap_or_else(|e| panic!("{control} {id}: {e}"))
    }

    fn invoke(&self, id: &str, event: &str) -> Reply {
        self.send("/invoke", id, event)
    }

    /// The runtime's stdout once it has written `last` (read on another thread, it can lag
    /// behind the answers): markers and log lines.
    #[track_caller]
    fn log_through(&self, last: &str) -> Vec<String> {
        self.process
            .stdout
            .wait_for(Duration::from_secs(10), |line| line.contains(last))
            .unwrap_or_else(|| panic!("no {last:?} in:\n{}", self.process.stdout.text()));
        self.process.stdout.all()
    }
}

#[track_caller]
fn assert_fc_error(reply: &Reply, error_type: &str, message: &str) {
    assert_eq!(reply.status, 404, "{reply:?}");
    assert_eq!(reply.header("x-fc-status"), Some("404"), "{reply:?}");
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let json = reply.json();
    assert_eq!(json["errorType"], error_type, "{json}");
    let text = json["errorMessage"].as_str().expect("errorMessage");
    assert!(text.contains(message), "{json}");
    assert!(json["stackTrace"].is_array(), "{json}");
}

#[test]
fn template_builds_with_zig_for_custom_within_glibc_2_24() {
    let Some(fixture) = fixture() else { return };
    for bin in [PACKAGE, FIXTURE] {
        let facts = verify::inspect(&fixture.bootstrap(bin)).expect("an ELF");
        let glibc = facts.highest(Family::Glibc).expect("links glibc");
        assert!(
            glibc <= SymbolVersion::new(2, 24, 0),
            "{bin} needs glibc {glibc}, over custom's 2.24"
        );
    }
    let zip = zip::ZipArchive::new(std::fs::File::open(fixture.zip(FIXTURE)).unwrap()).unwrap();
    let mut names: Vec<String> = zip
        .file_names()
        .map(|name| name.expect("a file name").into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["assets/greeting.txt", "bootstrap"]);
}

#[test]
fn generated_crate_passes_its_own_tests() {
    let Some(fixture) = fixture() else { return };
    // A debug build in its own profile folder: the packed release build is not touched.
    let mut fmt = Command::new("cargo");
    fmt.args(["fmt", "--check"]).current_dir(&fixture.dir);
    let output = run_bounded(fmt, Duration::from_secs(60));
    assert!(output.status.success(), "{}", describe(&output));
    let mut test = Command::new("cargo");
    test.args(["test", "--quiet"])
        .current_dir(&fixture.dir)
        .env("PATH", tool_path())
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTFLAGS");
    let output = run_bounded(test, Duration::from_secs(15 * 60));
    assert!(output.status.success(), "{}", describe(&output));
    // The handler's tests in main.rs ran; the runtime's own tests belong to fc-runtime, a
    // dependency, and do not run here (the fixture's bin has none: its line says 0 passed).
    let out = String::from_utf8_lossy(&output.stdout);
    let passed: Vec<usize> = out
        .lines()
        .filter_map(|line| line.strip_prefix("test result: ok. "))
        .filter_map(|rest| rest.split(' ').next()?.parse().ok())
        .collect();
    assert_eq!(
        passed.iter().filter(|&&n| n > 0).count(),
        1,
        "expected 1 test target with tests: {passed:?}\n{out}"
    );
    // No runtime source in the project: fc-runtime comes from cargo fc's data directory.
    assert!(!fixture.dir.join("src/fc").exists());
    let config = std::fs::read_to_string(fixture.dir.join(".cargo/config.toml")).unwrap();
    assert!(config.contains("[patch.crates-io]"), "{config}");
    assert!(!out.contains("FAILED"), "{out}");
}

#[test]
fn every_shape_of_new_passes_fmt_and_its_own_tests() {
    let Some(fixture) = fixture() else { return };
    let scratch = tempfile::Builder::new()
        .prefix("cargo-fc-shapes-")
        .tempdir()
        .unwrap();
    for (name, flags) in [
        ("shape-init", &["--initializer"][..]),
        ("shape-http", &["--http"][..]),
        ("shape-web", &["--http", "--initializer"][..]),
    ] {
        let dir = scratch.path().join(name);
        let mut new = cargo_fc();
        new.args(["new", name, "--path"]).arg(&dir).args(flags);
        let output = run_bounded(new, Duration::from_secs(60));
        assert_success(&output);
        let main = std::fs::read_to_string(dir.join("src/main.rs")).unwrap();
        assert_eq!(
            main.contains("fn initialize("),
            flags.contains(&"--initializer"),
            "{name}"
        );
        assert_eq!(
            main.contains("fc_runtime::run_http(") || main.contains(".http(handler)"),
            flags.contains(&"--http"),
            "{name}"
        );
        let tested = fmt_and_test(fixture, &dir, name);
        assert!(
            !tested.contains("test result: ok. 0 passed"),
            "{name}: {tested}"
        );
    }
}

/// `cargo fmt --check` and `cargo test --bin NAME` in a crate made by `cargo fc new`, in the
/// fixture's target folder so that only the new bin compiles; returns the tests' output.
fn fmt_and_test(fixture: &Fixture, dir: &std::path::Path, name: &str) -> String {
    let mut out = String::new();
    for args in [
        &["fmt", "--check"][..],
        &["test", "--quiet", "--bin", name][..],
    ] {
        let mut cargo = Command::new("cargo");
        cargo
            .args(args)
            .current_dir(dir)
            .env("PATH", tool_path())
            .env("CARGO_TARGET_DIR", fixture.dir.join("target"))
            .env_remove("RUSTFLAGS");
        let output = run_bounded(cargo, Duration::from_secs(10 * 60));
        assert!(
            output.status.success(),
            "{name}: cargo {args:?}\n{}",
            describe(&output)
        );
        out = String::from_utf8_lossy(&output.stdout).into_owned();
    }
    out
}

#[test]
fn initializer_runs_once_then_invocations_see_fcs_headers() {
    let Some(fixture) = fixture() else { return };
    let bootstrap = Bootstrap::start(fixture);
    for id in ["init-1", "init-2"] {
        let reply = bootstrap.send("/initialize", id, "");
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert_eq!(reply.header("x-fc-status"), Some("200"));
    }
    let reply = bootstrap.invoke("invoke-1", r#"{"action":"echo","text":"typed"}"#);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.header("x-fc-status"), Some("200"));
    let seen = reply.json();
    assert_eq!(seen["request_id"], "invoke-1");
    assert_eq!(seen["text"], "typed");
    assert_eq!(seen["initialized"], 1, "the initializer ran once: {seen}");
    assert_eq!(seen["function_name"], FIXTURE);
    assert_eq!(seen["memory_mb"], 256);
    assert_eq!(seen["timeout_s"], 5);
    assert_eq!(seen["initializer"], "index.init");
    assert_eq!(seen["env"]["FIXTURE_GREETING"], "direct");

    let reply = bootstrap.send("/pre-stop", "stop-1", "");
    assert_eq!(reply.status, 200, "{}", reply.text());

    let log = bootstrap.log_through("FC PreStop End RequestId: stop-1");
    let position = |text: &str| {
        log.iter()
            .position(|line| line.contains(text))
            .unwrap_or_else(|| panic!("no {text:?} in the log:\n{}", log.join("\n")))
    };
    assert!(position("FC Initialize Start RequestId: init-1") < position("initializer call 1"));
    assert!(position("initializer call 1") < position("FC Initialize End RequestId: init-1"));
    assert!(
        position("FC Initialize End RequestId: init-2")
            < position("FC Invoke Start RequestId: invoke-1")
    );
    assert!(
        position("FC Invoke End RequestId: invoke-1")
            < position("FC PreStop Start RequestId: stop-1")
    );
    assert!(position("pre-stop hook ran") < position("FC PreStop End RequestId: stop-1"));
    assert!(
        !log.iter().any(|line| line.contains("initializer call 2")),
        "{log:?}"
    );
    let (id, message) = parse_log_line(&log[position("pre-stop hook ran")]);
    assert_eq!((id, message), ("stop-1", "pre-stop hook ran"));
}

#[test]
fn errors_and_panics_answer_404_json_and_the_server_survives() {
    let Some(fixture) = fixture() else { return };
    let bootstrap = Bootstrap::start(fixture);
    assert_fc_error(
        &bootstrap.invoke("fail-1", r#"{"action":"fail","text":"on purpose"}"#),
        "FixtureError",
        "on purpose",
    );
    let panicked = bootstrap.invoke("panic-1", r#"{"action":"panic","text":"boom"}"#);
    assert_fc_error(&panicked, "Panic", "fixture panic: boom");
    assert_fc_error(
        &bootstrap.invoke("bad-1", "{not json"),
        "InvalidEvent",
        "not valid JSON",
    );
    // An HTTP-trigger request whose handler fails is a failed invocation too.
    let reply = http(
        bootstrap.port,
        "GET",
        "/fail",
        &fc_headers("http-fail-1", "/http-invoke"),
        b"",
    )
    .unwrap();
    assert_fc_error(&reply, "FixtureError", "failed on purpose");
    // Without a request id FC's protocol is broken: a clear 400, not a crash.
    let reply = http(
        bootstrap.port,
        "POST",
        "/invoke",
        &[("x-fc-control-path".to_owned(), "/invoke".to_owned())],
        b"{}",
    )
    .unwrap();
    assert_eq!(reply.status, 400, "{}", reply.text());
    assert!(reply.text().contains("x-fc-request-id"), "{}", reply.text());

    let reply = bootstrap.invoke("after-1", r#"{"action":"echo","text":"still here"}"#);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["text"], "still here");
    bootstrap.log_through("FC Invoke End RequestId: after-1");
    let panic_logged = [&bootstrap.process.stdout, &bootstrap.process.stderr]
        .iter()
        .any(|lines| lines.text().contains("fixture panic: boom"));
    assert!(panic_logged, "the panic is not in the log");
}

#[test]
fn concurrent_requests_log_under_their_own_request_ids() {
    let Some(fixture) = fixture() else { return };
    let bootstrap = Bootstrap::start(fixture);
    const LINES: usize = 20;
    let replies: Vec<Reply> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|n| {
                let bootstrap = &bootstrap;
                scope.spawn(move || {
                    let event =
                        format!(r#"{{"action":"log","text":"t{n}","count":{LINES},"ms":3}}"#);
                    bootstrap.invoke(&format!("req-{n}"), &event)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (n, reply) in replies.iter().enumerate() {
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert_eq!(reply.json()["request_id"], format!("req-{n}"));
    }
    for n in 0..8 {
        bootstrap.log_through(&format!("FC Invoke End RequestId: req-{n}"));
    }
    let log = bootstrap.process.stdout.all();
    let mut counts = [0usize; 8];
    for line in log.iter().filter(|line| line.contains("tag=t")) {
        let (id, message) = parse_log_line(line);
        let tag: usize = message["tag=t".len()..]
            .split(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no tag in {line:?}"));
        assert_eq!(id, format!("req-{tag}"), "misattributed: {line:?}");
        counts[tag] += 1;
    }
    assert_eq!(counts, [LINES; 8], "{}", log.join("\n"));
    // The requests really overlapped: some line of one came between two lines of another.
    let first_id = |line: &String| parse_log_line(line).0.to_owned();
    let order: Vec<String> = log
        .iter()
        .filter(|line| line.contains("tag=t"))
        .map(first_id)
        .collect();
    let switches = order.windows(2).filter(|w| w[0] != w[1]).count();
    assert!(
        switches > 7,
        "the 8 requests ran one after another: {order:?}"
    );
}

#[test]
fn sigterm_lets_the_request_in_flight_finish_then_exits_0() {
    let Some(fixture) = fixture() else { return };
    let mut bootstrap = Bootstrap::start(fixture);
    let port = bootstrap.port;
    let in_flight = std::thread::spawn(move || {
        http(
            port,
            "POST",
            "/invoke",
            &fc_headers("slow-1", "/invoke"),
            br#"{"action":"sleep","ms":1500,"text":"slow"}"#,
        )
    });
    bootstrap
        .process
        .stdout
        .wait_for(Duration::from_secs(10), |line| {
            line.contains("sleeping 1500 ms")
        })
        .expect("the request started");
    bootstrap.process.signal(libc::SIGTERM);
    let reply = in_flight
        .join()
        .unwrap()
        .expect("the request in flight is answered");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["text"], "slow");
    let status = bootstrap
        .process
        .wait(Duration::from_secs(10))
        .expect("the process exits after draining");
    assert_eq!(status.code(), Some(0), "{status}");
    bootstrap.log_through("FC Invoke End RequestId: slow-1");
}

#[test]
fn a_panic_backtrace_names_the_functions_code_not_libc() {
    let Some(fixture) = fixture() else { return };
    let bootstrap = Bootstrap::start_with(fixture, &[("RUST_BACKTRACE", "1")]);
    let reply = bootstrap.invoke("bt-1", r#"{"action":"panic","text":"boom"}"#);
    assert_fc_error(&reply, "Panic", "fixture panic: boom");
    let trace: Vec<String> = reply.json()["stackTrace"]
        .as_array()
        .expect("a stackTrace")
        .iter()
        .map(|frame| frame.as_str().expect("a string").to_owned())
        .collect();
    assert!(
        trace[0].starts_with("at ") && trace[0].contains("fixture.rs:"),
        "{trace:?}"
    );
    // The release build is stripped: the function's own frames have no names, and the C
    // library's (which has them) are not the function's.
    for frame in &trace {
        for libc in ["clone", "start_thread", "__libc_start", "<unknown>"] {
            assert!(!frame.contains(libc), "{libc} in {trace:?}");
        }
    }
}

/// Runs the template's own function (a bin of the fixture) once, as a custom container in
/// non-web mode runs it.
fn run_container_event(fixture: &Fixture, event: &str) -> std::process::Output {
    let mut command = Command::new(fixture.bootstrap(PACKAGE));
    command
        .env_clear()
        .env("FC_CUSTOM_CONTAINER_EVENT", event)
        .env("FC_REQUEST_ID", "container-1")
        // A port nobody could serve on: the process must not try.
        .env("FC_SERVER_PORT", "1");
    run_bounded(command, Duration::from_secs(30))
}

#[test]
fn a_container_event_writes_the_result_alone_to_stdout() {
    let Some(fixture) = fixture() else { return };
    let output = run_container_event(fixture, r#"{"name":"container"}"#);
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        r#"{"message":"Hello, container!"}"#,
        "stdout carries the result byte for byte"
    );
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(
        log.contains("FC Invoke Start RequestId: container-1"),
        "{log}"
    );
    assert!(
        log.contains("container-1 [INFO] greeting container"),
        "{log}"
    );

    // An empty variable is an event too (an empty one, which this handler cannot read): the
    // process answers it and exits rather than starting a server.
    let output = run_container_event(fixture, "");
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let error: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not the error's JSON ({e}): {}",
            describe(&output)
        )
    });
    assert_eq!(error["errorType"], "InvalidEvent", "{error}");
}

#[test]
fn every_event_kind_of_new_passes_its_own_tests_and_check() {
    let Some(fixture) = fixture() else { return };
    let scratch = tempfile::Builder::new()
        .prefix("cargo-fc-events-")
        .tempdir()
        .unwrap();
    for kind in cargo_fc::events::EventKind::value_variants() {
        let kind = kind.name();
        let name = format!("on-{kind}");
        let dir = scratch.path().join(&name);
        let mut new = cargo_fc();
        new.args(["new", &name, "--event", kind, "--path"])
            .arg(&dir);
        let output = run_bounded(new, Duration::from_secs(60));
        assert_success(&output);
        assert!(
            std::fs::read_dir(dir.join("events")).unwrap().count() == 1,
            "{kind}: one sample event"
        );
        // The deployment templates pass cargo fc's own check, warnings included.
        let mut check = cargo_fc();
        check.args(["check", "--deny-warnings"]).current_dir(&dir);
        let output = run_bounded(check, Duration::from_secs(60));
        assert!(output.status.success(), "{kind}: {}", describe(&output));
        // The handler's test, which feeds it the sample, passes.
        let tested = fmt_and_test(fixture, &dir, &name);
        assert!(
            tested.contains("test result: ok. 1 passed"),
            "{kind}: {tested}"
        );
    }
}
