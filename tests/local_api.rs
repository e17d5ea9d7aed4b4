//! `cargo fc local start` serving every function of the end-to-end fixture on one port: FC 3.0's
//! InvokeFunction as the official Python SDK and `cargo fc invoke --local` call it, the HTTP
//! trigger at FC 2.0's system path and at the template's custom-domain route, instances started
//! on first use and scaled up to `--concurrency`.

mod support;

use std::process::{Command, Output};
use std::time::Duration;

use support::fixture::*;
use support::*;

const LIMIT: Duration = Duration::from_secs(120);

/// Every function of the fixture: `fcfix` (the template's), `fixture`, `raw`.
fn serve_all(fixture: &Fixture, extra: &[&str]) -> LocalStart {
    LocalStart::spawn(fixture, extra)
}

/// How many bootstraps the server has started so far.
fn started(server: &LocalStart) -> usize {
    server
        .process
        .stderr
        .all()
        .iter()
        .filter(|line| line.contains("Started bootstrap (pid "))
        .count()
}

/// Waits for the server's line saying that the asynchronous invocation `id` of `fixture` ran.
fn async_ran(server: &LocalStart, id: &str) {
    let line = format!("Async {id} of fixture succeeded");
    server
        .process
        .stderr
        .wait_for(LIMIT, |l| l.contains(&line))
        .unwrap_or_else(|| panic!("no {line:?}:\n{}", server.process.stderr.text()));
}

fn invoke_api(server: &LocalStart, function: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    server.request(
        "POST",
        &format!("/2023-03-30/functions/{function}/invocations"),
        headers,
        body,
    )
}

#[test]
fn the_official_python_sdk_invokes_functions_served_locally() {
    let Some(fixture) = fixture() else { return };
    if !fake_fc::sdk_available() {
        return skip("the FC 3.0 Python SDK is not installed (scripts/install-tools)");
    }
    let _lock = fixture.local_lock();
    let server = serve_all(fixture, &[]);
    let output = Command::new(fake_fc::python())
        .arg(repo_root().join("tests/local_api/sdk_invoke.py"))
        .arg(server.port.to_string())
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "{}\nserver:\n{}",
        describe(&output),
        server.process.stderr.text()
    );
    let seen: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let async_id = seen["async_request_id"].as_str().expect("an async id");
    // The asynchronous invocation ran, in the background, after its 202.
    async_ran(&server, async_id);
    let sync_id = seen["request_id"].as_str().unwrap();
    assert!(
        server
            .request_line(sync_id)
            .contains("POST /2023-03-30/functions/fixture/invocations?qualifier=LATEST → 200"),
        "{}",
        server.process.stderr.text()
    );
}

#[test]
fn two_functions_of_one_project_are_each_reached_by_their_own_route() {
    let Some(fixture) = fixture() else { return };
    let _lock = fixture.local_lock();
    let server = serve_all(fixture, &[]);
    // Nothing starts before it is used.
    assert_eq!(started(&server), 0, "{}", server.process.stderr.text());

    // The HTTP trigger at FC 2.0's system path: the runtime strips x-fc-base-path.
    let reply = server.request(
        "GET",
        "/2016-08-15/proxy/fcfix-service/fixture/users/7?x=1",
        &[],
        "",
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let echo = reply.json();
    assert_eq!(
        (echo["path"].as_str(), echo["query"].as_str()),
        (Some("/users/7"), Some("x=1"))
    );
    // The template's custom domain routes /site/* to it, path as sent.
    let reply = server.request("PUT", "/site/page", &[], "body");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["path"], "/site/page");
    assert_eq!(reply.json()["method"], "PUT");
    // The trigger's methods are enforced.
    let reply = server.request("PATCH", "/site/page", &[], "");
    assert_eq!(reply.status, 405, "{}", reply.text());
    // It is the only function with an HTTP trigger: it takes every other path.
    assert_eq!(server.request("GET", "/", &[], "").json()["path"], "/");
    assert_eq!(started(&server), 1, "{}", server.process.stderr.text());

    // The event functions, through the API.
    let reply = invoke_api(&server, "raw", &[], "ab");
    assert_eq!((reply.status, reply.text().as_str()), (200, "6162"));
    let reply = invoke_api(&server, PACKAGE, &[], r#"{"name":"api"}"#);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(reply.text().contains("api"), "{}", reply.text());
    assert!(reply.header("x-fc-request-id").is_some());
    assert_eq!(started(&server), 3, "{}", server.process.stderr.text());
    // An event function has no HTTP trigger; a function no one serves is FC's 404.
    let reply = server.request("GET", "/2016-08-15/proxy/fcfix-service/raw/", &[], "");
    assert_eq!(reply.status, 404, "{}", reply.text());
    let reply = invoke_api(&server, "nope", &[], "{}");
    assert_eq!(reply.status, 404);
    assert_eq!(reply.json()["Code"], "FunctionNotFound");
    assert!(reply.json()["RequestId"].is_string());

    // A timeout is the function's error, the FC 3.0 way.
    let reply = invoke_api(&server, FIXTURE, &[], r#"{"action":"sleep","ms":8000}"#);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.header("x-fc-error-type"),
        Some("UnhandledInvocationError")
    );
    assert_eq!(reply.json()["errorType"], "FunctionTimeout");
    // …and FC ends the instance: the next invocation gets a new one.
    let reply = invoke_api(&server, FIXTURE, &[], r#"{"action":"echo"}"#);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.header("x-fc-error-type"), None);
}

#[test]
fn a_route_flag_maps_paths_and_bad_ones_are_refused() {
    let Some(fixture) = fixture() else { return };
    let _lock = fixture.local_lock();
    let server = serve_all(fixture, &["--route", "/api/*=fixture"]);
    let reply = server.request("GET", "/api/v1?q=2", &[], "");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["path"], "/api/v1");
    drop(server);
    for (route, message) in [
        ("/x=nobody", "names a function that is not served"),
        ("nopath=fixture", "is not PATH=FUNCTION"),
    ] {
        let output = fixture.cargo_fc(
            &[
                "local",
                "start",
                "--no-build",
                "--port",
                "0",
                "--route",
                route,
            ],
            LIMIT,
        );
        assert_exit(&output, 2);
        assert_stderr_contains(&output, message);
    }
}

/// Sends `count` requests for `target` at once; every one must succeed.
fn all_answer(server: &LocalStart, count: usize, target: &str) {
    let replies: Vec<Reply> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..count)
            .map(|_| scope.spawn(|| server.request("GET", target, &[], "")))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for reply in replies {
        assert_eq!(reply.status, 200, "{}", reply.text());
    }
}

#[test]
fn concurrency_bounds_the_instances_each_taking_instance_concurrency_requests() {
    let Some(fixture) = fixture() else { return };
    let _lock = fixture.local_lock();
    // The fixture's InstanceConcurrency is 20: 25 requests at once need a second instance.
    let server = serve_all(fixture, &["--function", FIXTURE, "--concurrency", "2"]);
    all_answer(&server, 25, "/sleep?ms=1500");
    assert_eq!(started(&server), 2, "{}", server.process.stderr.text());
    drop(server);

    // With one instance, the five over its concurrency wait their turn rather than fail.
    let server = serve_all(fixture, &["--function", FIXTURE]);
    all_answer(&server, 25, "/sleep?ms=300");
    assert_eq!(started(&server), 1, "{}", server.process.stderr.text());
}

/// `cargo fc invoke fixture --local PORT --data DATA ARGS`.
fn invoke_local(fixture: &Fixture, server: &LocalStart, data: &str, args: &[&str]) -> Output {
    let port = server.port.to_string();
    let mut all = vec!["invoke", FIXTURE, "--local", &port, "--data", data];
    all.extend_from_slice(args);
    fixture.cargo_fc(&all, LIMIT)
}

#[test]
fn cargo_fc_invoke_local_reaches_the_server() {
    let Some(fixture) = fixture() else { return };
    let _lock = fixture.local_lock();
    let server = serve_all(fixture, &[]);
    let output = invoke_local(
        fixture,
        &server,
        r#"{"action":"echo","text":"cli"}"#,
        &["--qualifier", "LATEST"],
    );
    assert_success(&output);
    let seen: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the body on stdout");
    assert_eq!(seen["text"], "cli");
    let text = stderr(&output);
    let id = seen["request_id"].as_str().unwrap();
    assert!(
        text.contains(&format!("FC Invoke Start RequestId: {id}")),
        "{text}"
    );
    assert!(text.contains(&format!("RequestId: {id}")), "{text}");
    assert!(
        server
            .request_line(id)
            .contains("/invocations?qualifier=LATEST → 200")
    );

    let output = invoke_local(fixture, &server, r#"{"action":"fail","text":"bad"}"#, &[]);
    assert_exit(&output, 7);
    assert_stderr_contains(&output, "UnhandledInvocationError: bad");

    // Queued: the answer comes at once, the function runs after it.
    let output = invoke_local(fixture, &server, r#"{"action":"echo"}"#, &["--async"]);
    assert_success(&output);
    assert!(output.stdout.is_empty(), "{}", describe(&output));
    let text = stderr(&output);
    let id = text
        .split("(HTTP 202) RequestId: ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no queued request id:\n{text}"));
    async_ran(&server, id);
}

/// The fixture's function as `local start` would prepare it, with its greeting set to `greeting`
/// (a template edit, as watch mode sends it).
fn fixture_function(fixture: &Fixture, greeting: &str) -> cargo_fc::local::Prepared {
    use cargo_fc::local::settings::{HttpTrigger, Settings};
    let settings = Settings {
        function_name: FIXTURE.into(),
        service_name: "fcfix-service".into(),
        handler: "index.handler".into(),
        memory_mb: 256,
        timeout_s: 5.0,
        initializer: Some("index.init".into()),
        initialization_timeout_s: 4.0,
        environment: [("FIXTURE_GREETING".to_string(), greeting.to_string())].into(),
        port: None,
        region: "cn-hangzhou".into(),
        source: None,
        computed: Vec::new(),
        instance_concurrency: 20,
        http: Some(HttpTrigger::default()),
        routes: Vec::new(),
    };
    // `pack` leaves the bootstrap there; nothing else is needed for these requests.
    cargo_fc::local::Prepared::unpacked_in(
        fixture.dir.join("target/fc").join(FIXTURE),
        settings,
        "custom",
    )
}

/// The greeting the function answered an API invocation with; panics on any failure.
#[track_caller]
fn greeting_of(reply: std::io::Result<Reply>) -> String {
    let reply = reply.expect("an answer");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.header("x-fc-error-type"), None, "{}", reply.text());
    reply.json()["env"]["FIXTURE_GREETING"]
        .as_str()
        .expect("the greeting")
        .to_owned()
}

/// The bootstraps this test process runs (its children named `bootstrap`, zombies aside).
fn bootstraps() -> usize {
    let me = std::process::id().to_string();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .flatten()
        .filter_map(|entry| std::fs::read_to_string(entry.path().join("stat")).ok())
        .filter(|stat| {
            // pid (comm) state ppid …
            let Some((comm, rest)) = stat.split_once(") ") else {
                return false;
            };
            let mut fields = rest.split(' ');
            let (state, ppid) = (fields.next(), fields.next());
            comm.ends_with("(bootstrap") && state != Some("Z") && ppid == Some(me.as_str())
        })
        .count()
}

#[test]
fn replacing_what_is_served_fails_no_request_in_flight_and_waiting_ones_get_the_new_version() {
    use cargo_fc::local::{Control, ServeOptions, serve};
    use cargo_fc::ui::{ColorChoice, MessageFormat, Ui};
    let Some(fixture) = fixture() else { return };
    let _lock = fixture.local_lock();
    let port = free_port();
    let runtime = cargo_fc::local::runtime().unwrap();
    let (control, receiver) = tokio::sync::mpsc::channel(4);
    let ui = Ui::new(0, true, ColorChoice::Never, MessageFormat::Human);
    let options = ServeOptions {
        port,
        ..ServeOptions::default()
    };
    let first = fixture_function(fixture, "v1");
    let server =
        runtime.spawn(async move { serve(vec![first], options, &ui, Some(receiver)).await });
    let invoke = |data: &str| {
        http(
            port,
            "POST",
            "/2023-03-30/functions/fixture/invocations",
            &[],
            data.as_bytes(),
        )
    };
    let deadline = std::time::Instant::now() + LIMIT;
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "the server did not listen"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(greeting_of(invoke(r#"{"action":"echo"}"#)), "v1");

    let (in_flight, waited) = std::thread::scope(|scope| {
        let sleepers: Vec<_> = (0..8)
            .map(|_| scope.spawn(|| invoke(r#"{"action":"sleep","ms":1500}"#)))
            .collect();
        // Sequencing only: the sleepers reach the running instance before the rebuild starts.
        std::thread::sleep(Duration::from_millis(400));
        control.blocking_send(Control::Rebuilding).unwrap();
        let waiters: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| invoke(r#"{"action":"echo"}"#)))
            .collect();
        std::thread::sleep(Duration::from_millis(200));
        control
            .blocking_send(Control::Replace(vec![fixture_function(fixture, "v2")]))
            .unwrap();
        let in_flight: Vec<String> = sleepers
            .into_iter()
            .map(|h| greeting_of(h.join().unwrap()))
            .collect();
        let waited: Vec<String> = waiters
            .into_iter()
            .map(|h| greeting_of(h.join().unwrap()))
            .collect();
        (in_flight, waited)
    });
    // Every request succeeded; those running when the new version came finished on the old one.
    assert!(in_flight.iter().any(|g| g == "v1"), "{in_flight:?}");
    // Those that arrived during the rebuild waited for it rather than start the old code.
    assert_eq!(waited, ["v2"; 4]);
    // The old version's instance stopped once its requests were done: one bootstrap is left.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while bootstraps() != 1 {
        assert!(
            std::time::Instant::now() < deadline,
            "{} bootstraps run",
            bootstraps()
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    // A failed rebuild: the waiting request is released to the version there is.
    let answer = std::thread::scope(|scope| {
        control.blocking_send(Control::Rebuilding).unwrap();
        let waiter = scope.spawn(|| invoke(r#"{"action":"echo"}"#));
        std::thread::sleep(Duration::from_millis(100));
        control.blocking_send(Control::Resume).unwrap();
        greeting_of(waiter.join().unwrap())
    });
    assert_eq!(answer, "v2");
    server.abort();
}
