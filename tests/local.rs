//! `cargo fc local` end to end: a crate made by `cargo fc new`, packed with zig for `custom`,
//! run by `local invoke` and `local start` as FC would run it.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::process::Output;
use std::time::Duration;

use base64::Engine;
use clap::ValueEnum as _;
use support::fixture::*;
use support::*;

const LIMIT: Duration = Duration::from_secs(120);

/// `cargo fc local invoke --no-build --function BIN ARGS` (the fixture setup already ran
/// `new` and `pack`).
fn invoke(fixture: &Fixture, bin: &str, args: &[&str]) -> Output {
    let mut all = vec!["local", "invoke", "--no-build", "--function", bin];
    all.extend_from_slice(args);
    fixture.cargo_fc(&all, LIMIT)
}

fn stdout_json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", describe(output)))
}

/// The request id and FC's report from the `RequestId: <id>  Duration: …` line.
#[track_caller]
fn summary(output: &Output) -> (String, String) {
    let text = stderr(output);
    let line = text
        .lines()
        .find(|line| line.starts_with("RequestId: "))
        .unwrap_or_else(|| panic!("no summary line:\n{text}"));
    let (id, report) = line["RequestId: ".len()..]
        .split_once("  ")
        .unwrap_or_else(|| panic!("odd summary line {line:?}"));
    (id.to_owned(), report.to_owned())
}

#[test]
fn a_template_port_held_by_another_program_does_not_get_the_invocation() {
    let Some(fixture) = fixture() else { return };
    let _lock = fixture.local_lock();
    // The template says CAPort 9000. A program that listens there and never answers must not be
    // sent the event: the bootstrap gets another port, and the user is told.
    let squatter = std::net::TcpListener::bind(("0.0.0.0", 9000)).ok();
    let output = invoke(fixture, PACKAGE, &["--data", r#"{"name":"x"}"#]);
    assert_success(&output);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        r#"{"message":"Hello, x!"}"#
    );
    if squatter.is_some() {
        assert!(
            stderr(&output).contains("port 9000, the function's in the template, is in use"),
            "{}",
            describe(&output)
        );
    }
}

#[test]
fn new_pack_invoke_answers_typed_json_with_fcs_report() {
    let Some(fixture) = fixture() else { return };
    let _lock = fixture.local_lock();
    let output = invoke(fixture, PACKAGE, &["--data", r#"{"name":"x"}"#]);
    assert_success(&output);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        r#"{"message":"Hello, x!"}"#
    );
    let (id, report) = summary(&output);
    assert_eq!(id.len(), 36, "{id}");
    for part in [
        "Duration: ",
        " ms, Billed Duration: ",
        " ms, Memory Size: 128 MB, Max Memory Used: ",
    ] {
        assert!(report.contains(part), "{report}");
    }
    let max_used: f64 = report
        .rsplit("Max Memory Used: ")
        .next()
        .and_then(|v| v.strip_suffix(" MB"))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{report}"));
    assert!(max_used > 0.0, "{report}");
    let log = stderr(&output);
    assert!(
        log.contains(&format!("FC Invoke Start RequestId: {id}")),
        "{log}"
    );
    assert!(log.contains(&format!("{id} [INFO] greeting x")), "{log}");
    assert!(
        log.contains(&format!("FC Invoke End RequestId: {id}")),
        "{log}"
    );

    // The event on stdin, and the template's own error for an empty name.
    let event = fixture.dir.join("target/empty-name.json");
    std::fs::write(&event, r#"{"name":" "}"#).unwrap();
    let event = event.to_str().unwrap();
    let output = invoke(fixture, PACKAGE, &["--event", event]);
    assert_exit(&output, 7);
    assert_eq!(stdout_json(&output)["errorType"], "InvalidName");
    assert_stderr_contains(
        &output,
        "the function reported failure (HTTP 404, x-fc-status 404)",
    );
}

#[test]
fn template_settings_and_included_assets_reach_the_function() {
    let Some(fixture) = fixture() else { return };
    let _lock = fixture.local_lock();
    let output = invoke(
        fixture,
        FIXTURE,
        &["--data", r#"{"action":"echo","text":"hi"}"#],
    );
    assert_success(&output);
    let seen = stdout_json(&output);
    let (id, report) = summary(&output);
    assert_eq!(seen["request_id"], id.as_str());
    assert_eq!(seen["text"], "hi");
    assert_eq!(seen["function_name"], FIXTURE);
    assert_eq!(seen["memory_mb"], 256, "MemorySize: {seen}");
    assert_eq!(seen["timeout_s"], 5, "Timeout: {seen}");
    assert_eq!(seen["initializer"], "index.init", "Initializer: {seen}");
    assert_eq!(seen["initialized"], 1, "the initializer ran first: {seen}");
    assert_eq!(seen["env"]["FIXTURE_GREETING"], "hola", "{seen}");
    assert_eq!(seen["env"]["FC_FUNCTION_MEMORY_SIZE"], "256", "{seen}");
    assert_eq!(seen["asset"], ASSET, "the included asset: {seen}");
    assert!(report.contains("Memory Size: 256 MB"), "{report}");
    let log = stderr(&output);
    let initialized = log.find("initializer call 1").expect("the initializer ran");
    let invoked = log
        .find(&format!("FC Invoke Start RequestId: {id}"))
        .expect("the invocation");
    assert!(initialized < invoked, "{log}");

    // FC unpacks the zip into /code: the asset and an executable bootstrap are there.
    let code = fixture.code_dir(FIXTURE);
    assert_eq!(
        std::fs::read_to_string(code.join("assets/greeting.txt")).unwrap(),
        ASSET
    );
    let mode = std::fs::metadata(code.join("bootstrap"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o755);
    assert_eq!(
        seen["env"]["FC_FUNC_CODE_PATH"],
        code.to_str().unwrap(),
        "{seen}"
    );

    // Flags override the template.
    let output = invoke(
        fixture,
        FIXTURE,
        &[
            "--memory",
            "512",
            "--timeout",
            "9",
            "--env",
            "FIXTURE_GREETING=hei",
            "--data",
            r#"{"action":"echo"}"#,
        ],
    );
    assert_success(&output);
    let seen = stdout_json(&output);
    assert_eq!(seen["memory_mb"], 512, "{seen}");
    assert_eq!(seen["timeout_s"], 9, "{seen}");
    assert_eq!(seen["env"]["FIXTURE_GREETING"], "hei", "{seen}");
}

#[test]
fn handler_errors_and_panics_fail_with_fcs_json_and_exit_7() {
    let Some(fixture) = fixture() else { return };
    let _lock = fixture.local_lock();
    let output = invoke(
        fixture,
        FIXTURE,
        &["--data", r#"{"action":"fail","text":"no luck"}"#],
    );
    assert_exit(&output, 7);
    let error = stdout_json(&output);
    assert_eq!(error["errorType"], "FixtureError", "{error}");
    assert_eq!(error["errorMessage"], "no luck", "{error}");
    assert!(error["stackTrace"].is_array(), "{error}");
    assert_stderr_contains(
        &output,
        "the function reported failure (HTTP 404, x-fc-status 404)",
    );

    let output = invoke(
        fixture,
        FIXTURE,
        &["--data", r#"{"action":"panic","text":"kaboom"}"#],
    );
    assert_exit(&output, 7);
    let error = stdout_json(&output);
    assert_eq!(error["errorType"], "Panic", "{error}");
    assert!(
        error["errorMessage"]
            .as_str()
            .unwrap()
            .contains("fixture panic: kaboom"),
        "{error}"
    );
    assert!(error["stackTrace"].is_array(), "{error}");
}

#[test]
fn a_timeout_kills_the_function_and_exits_7() {
    let Some(fixture) = fixture() else { return };
    let _lock = fixture.local_lock();
    let output = invoke(
        fixture,
        FIXTURE,
        &[
            "--timeout",
            "1",
            "--tail",
            "--data",
            r#"{"action":"sleep","ms":4000}"#,
        ],
    );
    assert_exit(&output, 7);
    assert_stderr_contains(&output, "the invocation timed out after 1.000 s");
    // FC reports a timed-out invocation like any other: the summary line and the log tail.
    let (id, report) = summary(&output);
    assert!(!id.is_empty(), "{}", describe(&output));
    assert!(report.contains("Memory Size: 256 MB"), "{report}");
    assert!(
        decoded_tail(&output).contains("sleeping 4000 ms"),
        "{}",
        describe(&output)
    );
    assert_stderr_contains(&output, "raise Timeout (or --timeout)");
    // It started sleeping and never woke up: it was killed, not waited for.
    assert_stderr_contains(&output, "sleeping 4000 ms");
    assert!(
        !stderr(&output).contains("woke up"),
        "{}",
        describe(&output)
    );
}

#[test]
fn a_crash_or_too_much_memory_exits_7() {
    let Some(fixture) = fixture() else { return };
    let _lock = fixture.local_lock();
    let output = invoke(fixture, FIXTURE, &["--data", r#"{"action":"exit"}"#]);
    assert_exit(&output, 7);
    assert_stderr_contains(
        &output,
        "the invocation crashed: the function's process exited",
    );

    let output = invoke(
        fixture,
        FIXTURE,
        &[
            "--memory",
            "128",
            "--data",
            r#"{"action":"alloc","count":200,"ms":3000}"#,
        ],
    );
    assert_exit(&output, 7);
    assert_stderr_contains(
        &output,
        "over the function's 128 MB; the process was killed",
    );
}

#[test]
fn tail_is_the_invocations_log_ending_with_the_report() {
    let Some(fixture) = fixture() else { return };
    let _lock = fixture.local_lock();
    let output = invoke(
        fixture,
        FIXTURE,
        &[
            "--tail",
            "--data",
            r#"{"action":"log","text":"a","count":3}"#,
        ],
    );
    assert_success(&output);
    let (id, report) = summary(&output);
    let tail = decoded_tail(&output);
    let lines: Vec<&str> = tail.lines().collect();
    assert_eq!(
        lines.first(),
        Some(&&*format!("FC Invoke Start RequestId: {id}")),
        "{tail}"
    );
    for n in 0..3 {
        let line = lines
            .iter()
            .find(|l| l.ends_with(&format!("tag=a line {n} of 3")))
            .unwrap_or_else(|| panic!("line {n} missing:\n{tail}"));
        assert_eq!(parse_log_line(line).0, id);
    }
    assert!(
        lines.contains(&&*format!("FC Invoke End RequestId: {id}")),
        "{tail}"
    );
    assert_eq!(lines.last(), Some(&report.as_str()), "{tail}");
    // The initializer's log belongs to another request.
    assert!(!tail.contains("initializer call"), "{tail}");

    // FC returns at most the last 4 KB.
    let output = invoke(
        fixture,
        FIXTURE,
        &[
            "--tail",
            "--data",
            r#"{"action":"log","text":"long","count":200}"#,
        ],
    );
    assert_success(&output);
    let (_, report) = summary(&output);
    let tail = decoded_tail(&output);
    assert!(tail.len() <= 4096, "{} bytes", tail.len());
    assert!(tail.len() > 3000, "{} bytes", tail.len());
    assert!(tail.contains("tag=long line 199 of 200"), "{tail}");
    assert_eq!(tail.lines().last(), Some(report.as_str()));
}

fn decoded_tail(output: &Output) -> String {
    let text = stderr(output);
    let encoded = text
        .lines()
        .find_map(|line| line.strip_prefix("x-fc-log-result: "))
        .unwrap_or_else(|| panic!("no x-fc-log-result:\n{text}"));
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .expect("valid base64");
    String::from_utf8(bytes).expect("UTF-8")
}

/// `cargo fc local start --function fixture` on a port of its own.
struct Trigger;

impl Trigger {
    fn start(fixture: &Fixture) -> LocalStart {
        Self::start_with(fixture, &[])
    }

    fn start_with(fixture: &Fixture, extra: &[&str]) -> LocalStart {
        let mut args = vec!["--function", FIXTURE];
        args.extend_from_slice(extra);
        LocalStart::spawn(fixture, &args)
    }
}

#[test]
fn local_start_round_trips_method_path_query_headers_and_body() {
    let Some(fixture) = fixture() else { return };
    let _lock = fixture.local_lock();
    let trigger = Trigger::start(fixture);
    let reply = trigger.request(
        "POST",
        "/some/path?x=1&y=two",
        &[("X-Custom", "abc"), ("Content-Type", "text/plain")],
        "hello body",
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.header("x-fixture"), Some("echo"));
    let echo = reply.json();
    assert_eq!(echo["method"], "POST");
    assert_eq!(echo["path"], "/some/path");
    assert_eq!(echo["query"], "x=1&y=two");
    assert_eq!(echo["body"], "hello body");
    assert_eq!(echo["headers"]["x-custom"], "abc");
    assert_eq!(echo["headers"]["content-type"], "text/plain");
    assert_eq!(
        echo["initialized"], 1,
        "the initializer ran at start: {echo}"
    );
    let fc_headers: Vec<&String> = echo["headers"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|name| name.starts_with("x-fc-"))
        .collect();
    assert!(
        fc_headers.is_empty(),
        "the handler sees no x-fc-* headers: {fc_headers:?}"
    );
    let id = reply
        .header("x-fc-request-id")
        .expect("a request id")
        .to_owned();
    assert_eq!(echo["request_id"], id.as_str());
    let line = trigger.request_line(&id);
    assert!(line.contains("POST /some/path?x=1&y=two → 200"), "{line}");

    for method in ["GET", "PUT", "DELETE"] {
        let reply = trigger.request(method, "/m?status=201", &[], "");
        assert_eq!(reply.status, 201, "{}", reply.text());
        assert_eq!(reply.json()["method"], method);
    }
}

#[test]
fn local_start_reports_errors_survives_panics_and_restarts_a_dead_bootstrap() {
    let Some(fixture) = fixture() else { return };
    let _lock = fixture.local_lock();
    let trigger = Trigger::start(fixture);
    let reply = trigger.request("GET", "/fail", &[], "");
    assert_eq!(reply.status, 404, "{}", reply.text());
    assert_eq!(reply.json()["errorType"], "FixtureError");
    let reply = trigger.request("GET", "/panic", &[], "");
    assert_eq!(reply.status, 404, "{}", reply.text());
    let error = reply.json();
    assert_eq!(error["errorType"], "Panic", "{error}");
    assert!(error["stackTrace"].is_array(), "{error}");
    let id = reply.header("x-fc-request-id").unwrap().to_owned();
    assert!(trigger.request_line(&id).contains("GET /panic → 404"));

    let reply = trigger.request("GET", "/after-panic", &[], "");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["path"], "/after-panic");
    assert!(!trigger.process.stderr.text().contains("starting it again"));

    // The process dies: that request fails, the next one gets a new bootstrap (initialized
    // again, as FC initializes every new instance).
    let reply = trigger.request("GET", "/exit", &[], "");
    assert_eq!(reply.status, 502, "{}", reply.text());
    assert_eq!(reply.json()["errorType"], "FunctionCrashed");
    let reply = trigger.request("GET", "/back", &[], "");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["initialized"], 1);
    let id = reply.header("x-fc-request-id").unwrap().to_owned();
    trigger.function_log_through(&id);
    let log = trigger.process.stderr.text();
    assert!(
        log.contains("the bootstrap exited; starting it again"),
        "{log}"
    );
    assert_eq!(log.matches("initializer call 1").count(), 2, "{log}");
}

#[test]
fn local_start_attributes_concurrent_requests_logs() {
    let Some(fixture) = fixture() else { return };
    let _lock = fixture.local_lock();
    let trigger = Trigger::start(fixture);
    const LINES: usize = 10;
    let ids: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|n| {
                let trigger = &trigger;
                scope.spawn(move || {
                    let reply = trigger.request(
                        "GET",
                        &format!("/log?tag=t{n}&count={LINES}&ms=3"),
                        &[],
                        "",
                    );
                    assert_eq!(reply.status, 200, "{}", reply.text());
                    let id = reply.header("x-fc-request-id").unwrap().to_owned();
                    assert_eq!(reply.json()["request_id"], id.as_str());
                    id
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (n, id) in ids.iter().enumerate() {
        trigger.function_log_through(id);
        let lines: Vec<String> = trigger
            .process
            .stderr
            .all()
            .into_iter()
            .filter(|line| line.contains(&format!("tag=t{n} ")))
            .collect();
        assert_eq!(lines.len(), LINES, "{lines:?}");
        for line in &lines {
            assert_eq!(parse_log_line(line).0, id, "misattributed: {line:?}");
        }
    }
}

#[test]
fn runs_of_one_function_can_overlap() {
    let Some(fixture) = fixture() else { return };
    let _lock = fixture.local_lock();
    let trigger = Trigger::start(fixture);
    let outputs: Vec<Output> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| invoke(fixture, FIXTURE, &["--data", r#"{"action":"echo"}"#])))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for output in &outputs {
        assert_success(output);
        let seen = stdout_json(output);
        assert_eq!(seen["asset"], ASSET, "{seen}");
        // local start holds the usual code folder: these ran from private ones, now gone.
        let code = seen["env"]["FC_FUNC_CODE_PATH"].as_str().unwrap();
        assert_ne!(code, fixture.code_dir(FIXTURE).to_str().unwrap());
        assert!(
            !std::path::Path::new(code).exists(),
            "{code} was left behind"
        );
    }
    // The running trigger's folder was left alone.
    assert_eq!(
        std::fs::read_to_string(fixture.code_dir(FIXTURE).join("assets/greeting.txt")).unwrap(),
        ASSET
    );
    assert_eq!(trigger.request("GET", "/", &[], "").status, 200);
}

/// The pid of the bootstrap a `-v` run of `cargo fc local` started.
fn bootstrap_pid(process: &ProcessGuard) -> i32 {
    let line = process
        .stderr
        .wait_for(LIMIT, |line| line.contains("bootstrap (pid "))
        .unwrap_or_else(|| panic!("no bootstrap pid:\n{}", process.stderr.text()));
    line.split("bootstrap (pid ")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .and_then(|pid| pid.parse().ok())
        .unwrap_or_else(|| panic!("no pid in {line:?}"))
}

/// Whether `pid` is gone (or a zombie), waiting up to 3 s for it to go.
fn gone(pid: i32) -> bool {
    let deadline = std::time::Instant::now() + Duration::from_secs(3);
    loop {
        let state = std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("State:"))
                    .map(str::to_owned)
            });
        match state {
            None => return true,
            Some(state) if state.contains("zombie") => return true,
            Some(_) if std::time::Instant::now() > deadline => return false,
            Some(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

/// Kills a process this test started (its bootstrap, by pid) if it outlived the test.
struct Orphan(i32);

impl Drop for Orphan {
    fn drop(&mut self) {
        if !gone(self.0) {
            // SAFETY: kill(2) on the pid of the bootstrap this test started.
            unsafe {
                libc::kill(self.0, libc::SIGKILL);
            }
        }
    }
}

#[test]
fn sigterm_to_local_start_stops_its_bootstrap_too() {
    let Some(fixture) = fixture() else { return };
    let _lock = fixture.local_lock();
    let mut trigger = Trigger::start(fixture);
    // Instances start on first use.
    assert_eq!(trigger.request("GET", "/", &[], "").status, 200);
    let pid = bootstrap_pid(&trigger.process);
    let _orphan = Orphan(pid);
    trigger.process.signal(libc::SIGTERM);
    trigger
        .process
        .wait(Duration::from_secs(10))
        .expect("local start exits on SIGTERM");
    assert!(gone(pid), "the bootstrap (pid {pid}) outlived local start");
}

#[test]
fn sigterm_to_local_invoke_stops_its_bootstrap_too() {
    let Some(fixture) = fixture() else { return };
    let _lock = fixture.local_lock();
    let mut command = cargo_fc();
    command
        .args(["-v", "local", "invoke", "--no-build", "--function", FIXTURE])
        .args(["--data", r#"{"action":"sleep","ms":4000}"#])
        .current_dir(&fixture.dir);
    let mut process = ProcessGuard::spawn(command, libc::SIGKILL);
    let pid = bootstrap_pid(&process);
    let _orphan = Orphan(pid);
    process
        .stderr
        .wait_for(LIMIT, |line| line.contains("sleeping 4000 ms"))
        .expect("the invocation started");
    process.signal(libc::SIGTERM);
    process
        .wait(Duration::from_secs(10))
        .expect("local invoke exits on SIGTERM");
    assert!(gone(pid), "the bootstrap (pid {pid}) outlived local invoke");
}

#[test]
fn values_a_user_gives_are_refused_clearly_never_with_a_panic() {
    let Some(fixture) = fixture() else { return };
    for timeout in ["inf", "1e30", "-1", "NaN", "0"] {
        let flag = format!("--timeout={timeout}");
        let output = invoke(fixture, FIXTURE, &[&flag, "--data", "{}"]);
        assert_exit(&output, 2);
        assert_stderr_contains(&output, "is not a number of seconds FC takes");
        assert!(
            !stderr(&output).contains("panicked"),
            "{}",
            describe(&output)
        );
    }
}

#[test]
fn local_start_passes_the_clients_host_and_kills_a_timed_out_function() {
    let Some(fixture) = fixture() else { return };
    let _lock = fixture.local_lock();
    let trigger = Trigger::start(fixture);
    let reply = trigger.request("GET", "/", &[("Host", "api.example.test:8080")], "");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["headers"]["host"], "api.example.test:8080");
    let before = bootstrap_pid(&trigger.process);
    // The fixture's template timeout is 5 s.
    let reply = trigger.request("GET", "/sleep?ms=8000", &[], "");
    assert_eq!(reply.status, 504, "{}", reply.text());
    assert_eq!(reply.json()["errorType"], "FunctionTimeout");
    trigger
        .process
        .stderr
        .wait_for(LIMIT, |line| {
            line.contains("timed out; the bootstrap was killed")
        })
        .unwrap_or_else(|| panic!("no kill:\n{}", trigger.process.stderr.text()));
    assert!(
        gone(before),
        "the timed-out bootstrap (pid {before}) lives on"
    );
    // A new instance answers.
    let reply = trigger.request("GET", "/", &[], "");
    assert_eq!(reply.status, 200, "{}", reply.text());
}

#[test]
fn local_start_enforces_the_memory_size_as_local_invoke_does() {
    let Some(fixture) = fixture() else { return };
    let _lock = fixture.local_lock();
    let trigger = Trigger::start_with(fixture, &["--memory", "128"]);
    assert_eq!(trigger.request("GET", "/", &[], "").status, 200);
    let before = bootstrap_pid(&trigger.process);
    let reply = trigger.request("GET", "/alloc?mb=200&ms=3000", &[], "");
    assert!(reply.status >= 500, "{}", reply.text());
    trigger
        .process
        .stderr
        .wait_for(LIMIT, |line| {
            line.contains("over its 128 MB; the bootstrap was killed")
        })
        .unwrap_or_else(|| panic!("no kill:\n{}", trigger.process.stderr.text()));
    assert!(
        gone(before),
        "the bootstrap over its memory (pid {before}) lives on"
    );
    let reply = trigger.request("GET", "/", &[], "");
    assert_eq!(reply.status, 200, "{}", reply.text());
}

#[test]
fn examples_send_the_samples_cargo_fc_carries_byte_for_byte() {
    let Some(fixture) = fixture() else { return };
    // Listing needs no package: it answers before anything is built or run.
    let output = fixture.cargo_fc(&["local", "invoke", "--example", "list"], LIMIT);
    assert_success(&output);
    let listing = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        listing.lines().count(),
        cargo_fc::events::EXAMPLES.len(),
        "{listing}"
    );
    for kind in cargo_fc::events::EventKind::value_variants() {
        let kind = kind.name();
        assert!(
            listing
                .lines()
                .any(|line| line.split_whitespace().next() == Some(kind)),
            "{kind} is not listed:\n{listing}"
        );
    }

    let _lock = fixture.local_lock();
    for name in ["oss", "tablestore", "mns-stream-text"] {
        let output = invoke(fixture, RAW, &["--example", name]);
        assert_success(&output);
        let expected: String = cargo_fc::events::example(name)
            .unwrap()
            .payload
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            expected,
            "{name}: the function received other bytes"
        );
    }

    let output = invoke(fixture, RAW, &["--example", "osss"]);
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    let text = stderr(&output);
    assert!(
        text.contains("no sample event `osss`") && text.contains("did you mean `oss`?"),
        "{text}"
    );
}
