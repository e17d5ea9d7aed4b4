//! Custom-container functions end to end: the real `cargo-fc` makes images of the shared
//! fixture (built once with zig, see tests/support/fixture.rs), loads them into the Docker
//! engine, pushes them to a real registry on loopback, and the images are run for real.
//!
//! The docker CLI is used here only to look at and run what cargo fc made; cargo fc itself
//! talks to the engine through its API.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::engine_available;
use support::fixture::{self, Fixture, describe, free_port, http};
use support::registry::Registry;

fn docker(args: &[&str]) -> Output {
    Command::new("docker")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("the docker CLI runs (it only looks at what cargo fc did)")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The fixture, when zig and an engine are here (else the test is skipped, or fails under CI).
fn setup() -> Option<&'static Fixture> {
    if !engine_available() {
        return None;
    }
    fixture::fixture()
}

/// A private copy of the fixture's sources and built bootstraps, for tests that change files.
fn private_copy(fixture: &Fixture) -> tempfile::TempDir {
    let copy = tempfile::Builder::new()
        .prefix("cargo-fc-container-")
        .tempdir()
        .expect("a temporary folder");
    for entry in walkdir::WalkDir::new(&fixture.dir)
        .into_iter()
        .filter_entry(|e| e.file_name() != "target")
    {
        let entry = entry.expect("the fixture is readable");
        let relative = entry.path().strip_prefix(&fixture.dir).expect("inside");
        let target = copy.path().join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
    for bin in [fixture::PACKAGE, fixture::FIXTURE] {
        let target = copy.path().join("target/fc").join(bin);
        std::fs::create_dir_all(&target).expect("mkdir");
        std::fs::copy(fixture.bootstrap(bin), target.join("bootstrap")).expect("copy");
    }
    copy
}

/// Tags the test made, removed from the engine when the test ends however it ends.
struct Tags(Vec<String>);

impl Drop for Tags {
    fn drop(&mut self) {
        for tag in &self.0 {
            let _ = docker(&["rmi", tag]);
        }
    }
}

/// A tag in a namespace of this test process's own.
fn tag(name: &str) -> String {
    format!("cargo-fc-e2e-{}/{name}", std::process::id())
}

/// `cargo fc pack --container --no-build ARGS` in `dir`: its output, pid and image message.
fn pack(dir: &Path, args: &[&str], stdin: Option<&str>) -> (Output, u32, Option<Value>) {
    let mut command = support::cargo_fc();
    command
        .args([
            "pack",
            "--container",
            "--no-build",
            "--message-format",
            "json",
        ])
        .args(args)
        .current_dir(dir)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("cargo-fc starts");
    let pid = child.id();
    if let Some(input) = stdin {
        use std::io::Write;
        let mut pipe = child.stdin.take().expect("piped");
        pipe.write_all(input.as_bytes()).expect("write stdin");
    }
    let output = child.wait_with_output().expect("cargo-fc finishes");
    let image = text(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .find(|message| message["reason"] == "function-image");
    (output, pid, image)
}

/// The containers, running or not, the process `pid` made.
fn containers_of(pid: u32) -> Vec<String> {
    let out = docker(&[
        "ps",
        "--all",
        "--quiet",
        "--filter",
        &format!("label=cargo-fc.pid={pid}"),
    ]);
    assert!(out.status.success(), "docker ps: {}", text(&out.stderr));
    text(&out.stdout)
        .split_whitespace()
        .map(String::from)
        .collect()
}

/// Runs an image once in non-web mode with `event`: its exit status and standard output.
fn run_once(image: &str, event: &str) -> (Option<i32>, String, String) {
    let out = docker(&[
        "run",
        "--rm",
        "--label",
        &format!("cargo-fc-test={}", std::process::id()),
        "-e",
        &format!("FC_CUSTOM_CONTAINER_EVENT={event}"),
        image,
    ]);
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

#[test]
fn the_image_is_reproducible_and_carries_the_bootstrap_and_assets() {
    let Some(fixture) = setup() else { return };
    let name = tag("fixture:repro");
    let _tags = Tags(vec![name.clone()]);
    let (first, pid, image) = pack(
        &fixture.dir,
        &["--bin", fixture::FIXTURE, "--tag", &name],
        None,
    );
    assert!(first.status.success(), "{}", describe(&first));
    let image = image.expect("a function-image message");
    assert_eq!(image["image"], name);
    let id = image["id"].as_str().expect("an id").to_string();
    assert_eq!(image["base"], "minimal");
    assert!(containers_of(pid).is_empty(), "containers left behind");

    let (second, _, again) = pack(
        &fixture.dir,
        &["--bin", fixture::FIXTURE, "--tag", &name],
        None,
    );
    assert!(second.status.success(), "{}", describe(&second));
    assert_eq!(
        again.expect("a message")["id"],
        id.as_str(),
        "same inputs, same image id"
    );

    // A different time is a different image: the time is an input, nothing else is.
    let mut command = support::cargo_fc();
    command
        .args([
            "pack",
            "--container",
            "--no-build",
            "--bin",
            fixture::FIXTURE,
            "--tag",
            &name,
        ])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .current_dir(&fixture.dir);
    let later = command.output().expect("cargo-fc runs");
    assert!(later.status.success(), "{}", describe(&later));
    let inspect = docker(&[
        "image",
        "inspect",
        "--format",
        "{{.Id}} {{.Created}}",
        &name,
    ]);
    let inspected = text(&inspect.stdout);
    assert!(!inspected.starts_with(&id), "{inspected}");
    assert!(inspected.contains("2023-11-14T22:13:20Z"), "{inspected}");

    let inspect = docker(&["image", "inspect", "--format", "{{json .}}", &name]);
    let details: Value = serde_json::from_slice(&inspect.stdout).expect("inspect gives JSON");
    assert_eq!(details["Architecture"], "amd64");
    assert_eq!(details["Os"], "linux");
    let config = &details["Config"];
    assert_eq!(config["Entrypoint"], serde_json::json!(["/code/bootstrap"]));
    assert_eq!(config["WorkingDir"], "/code");
    assert!(config["ExposedPorts"].get("9000/tcp").is_some(), "{config}");
    let env: Vec<&str> = config["Env"]
        .as_array()
        .expect("an environment")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(env.contains(&"FC_SERVER_PORT=9000"), "{env:?}");
    assert!(env.contains(&"LD_LIBRARY_PATH=/code:/code/lib"), "{env:?}");
    assert_eq!(config["Labels"]["cargo-fc.function"], fixture::FIXTURE);
    assert_eq!(config["Labels"]["cargo-fc.crate-version"], "0.1.0");

    // The files as a container sees them: the asset where the zip puts it, /tmp writable by all.
    let listing = docker(&[
        "create",
        "--label",
        &format!("cargo-fc-test={}", std::process::id()),
        &name,
    ]);
    assert!(listing.status.success(), "{}", text(&listing.stderr));
    let container = text(&listing.stdout).trim().to_string();
    let exported = Command::new("docker")
        .args(["export", &container])
        .output()
        .expect("docker export runs");
    let _ = docker(&["rm", "-f", &container]);
    let mut archive = tar::Archive::new(exported.stdout.as_slice());
    let mut seen = std::collections::BTreeMap::new();
    for entry in archive.entries().expect("a tar") {
        let mut entry = entry.expect("an entry");
        let path = entry.path().expect("a path").display().to_string();
        let mode = entry.header().mode().expect("a mode");
        let mut content = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut content).expect("read");
        seen.insert(path.trim_end_matches('/').to_string(), (mode, content));
    }
    assert_eq!(seen["code/bootstrap"].0 & 0o777, 0o755);
    assert_eq!(
        seen["code/assets/greeting.txt"].1,
        fixture::ASSET.as_bytes(),
        "{:?}",
        seen.keys().collect::<Vec<_>>()
    );
    assert_eq!(seen["tmp"].0 & 0o7777, 0o1777);
    assert!(seen.contains_key("lib64/ld-linux-x86-64.so.2"));
    assert!(seen.contains_key("etc/ssl/certs/ca-certificates.crt"));
}

#[test]
fn non_web_mode_exits_0_with_the_result_and_non_zero_for_a_failing_event() {
    let Some(fixture) = setup() else { return };
    let name = tag("fcfix:once");
    let _tags = Tags(vec![name.clone()]);
    let (output, _, _) = pack(
        &fixture.dir,
        &["--bin", fixture::PACKAGE, "--tag", &name],
        None,
    );
    assert!(output.status.success(), "{}", describe(&output));
    let (code, stdout, stderr) = run_once(&name, r#"{"name":"x"}"#);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    // One-shot mode's contract: the result alone on stdout, the log on stderr.
    assert_eq!(stdout.trim_end(), r#"{"message":"Hello, x!"}"#, "{stdout}");
    assert!(stderr.contains("FC Invoke Start RequestId:"), "{stderr}");
    let (code, stdout, stderr) = run_once(&name, r#"{"name":" "}"#);
    assert_ne!(code, Some(0), "{stdout}{stderr}");
    assert!(stderr.contains("InvalidName"), "{stderr}");
}

/// A container the test started, removed however the test ends.
struct Running(String);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = docker(&["rm", "-f", &self.0]);
    }
}

#[test]
fn web_mode_answers_invoke_with_markers_and_404_json_errors() {
    let Some(fixture) = setup() else { return };
    let name = tag("fcfix:web");
    let _tags = Tags(vec![name.clone()]);
    let (output, _, _) = pack(
        &fixture.dir,
        &["--bin", fixture::PACKAGE, "--tag", &name],
        None,
    );
    assert!(output.status.success(), "{}", describe(&output));
    let port = free_port();
    let started = docker(&[
        "run",
        "--detach",
        "--label",
        &format!("cargo-fc-test={}", std::process::id()),
        "--publish",
        &format!("127.0.0.1:{port}:9000"),
        &name,
    ]);
    assert!(started.status.success(), "{}", text(&started.stderr));
    let container = Running(text(&started.stdout).trim().to_string());
    let invoke = |id: &str, body: &str| {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match http(
                port,
                "POST",
                "/invoke",
                &fixture::fc_headers(id, "/invoke"),
                body.as_bytes(),
            ) {
                Ok(reply) => return reply,
                Err(e) if Instant::now() > deadline => panic!("the container did not answer: {e}"),
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    };
    let good = invoke("req-good", r#"{"name":"x"}"#);
    assert_eq!(good.status, 200, "{}", good.text());
    assert_eq!(good.text(), r#"{"message":"Hello, x!"}"#);
    let bad = invoke("req-bad", r#"{"name":" "}"#);
    assert_eq!(bad.status, 404, "{}", bad.text());
    assert_eq!(bad.header("x-fc-status"), Some("404"));
    assert_eq!(bad.json()["errorType"], "InvalidName");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let logs = docker(&["logs", &container.0]);
        let all = format!("{}{}", text(&logs.stdout), text(&logs.stderr));
        if all.contains("FC Invoke End RequestId: req-bad") {
            assert!(all.contains("FC Invoke Start RequestId: req-good"), "{all}");
            assert!(all.contains("FC Invoke End RequestId: req-good"), "{all}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no End marker in the log:\n{all}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Writes an fc3 s.yaml for the fixture's event function as a custom container.
fn container_template(dir: &Path, image: &str) -> PathBuf {
    let _ = std::fs::remove_file(dir.join("template.yml"));
    let path = dir.join("s.yaml");
    std::fs::write(
        &path,
        format!(
            "edition: 3.0.0\nname: fcfix-app\naccess: default\n\nresources:\n  fcfix:\n    component: fc3\n    props:\n      region: cn-hangzhou\n      functionName: fcfix\n      runtime: custom-container\n      memorySize: 128\n      timeout: 3\n      # the image cargo fc pushes\n      customContainerConfig:\n        image: \"{image}\"\n        port: 9000\n"
        ),
    )
    .expect("write s.yaml");
    path
}

#[test]
fn pushed_to_a_loopback_registry_pulled_back_by_digest_it_answers_the_same() {
    let Some(fixture) = setup() else { return };
    let Some(registry) = Registry::start() else {
        return;
    };
    let copy = private_copy(fixture);
    let remote = format!("{}/e2e-{}/fcfix:v1", registry.address, std::process::id());
    let template = container_template(copy.path(), &remote);
    let before = std::fs::read_to_string(&template).expect("read s.yaml");
    let _tags = Tags(vec![remote.clone()]);
    let (output, pid, image) = pack(
        copy.path(),
        &[
            "--bin",
            fixture::PACKAGE,
            "--push",
            "--write-template",
            "-v",
        ],
        None,
    );
    assert!(output.status.success(), "{}", describe(&output));
    assert!(containers_of(pid).is_empty());
    let image = image.expect("a function-image message");
    assert_eq!(
        image["image"], remote,
        "the template's image is the default tag"
    );
    let digest = image["digest"].as_str().expect("a digest").to_string();
    assert!(
        digest.starts_with("sha256:") && digest.len() == 71,
        "{digest}"
    );
    let by_digest = image["pushed"]
        .as_str()
        .expect("the pushed reference")
        .to_string();
    assert_eq!(
        by_digest,
        format!(
            "{}/e2e-{}/fcfix@{digest}",
            registry.address,
            std::process::id()
        )
    );
    let stderr = text(&output.stderr);
    assert!(stderr.contains(&by_digest), "{stderr}");
    assert!(stderr.contains("Pushed layer 1 of 2"), "{stderr}");

    // Only the image's value changed in the user's file.
    let after = std::fs::read_to_string(&template).expect("read s.yaml");
    assert_eq!(after, before.replace(&remote, &by_digest));

    let (first_code, first_out, _) = run_once(&remote, r#"{"name":"registry"}"#);
    assert_eq!(first_code, Some(0), "{first_out}");
    assert!(docker(&["rmi", &remote]).status.success());
    assert!(
        !docker(&["image", "inspect", &remote]).status.success(),
        "the local image is gone"
    );
    let pulled = docker(&["pull", &by_digest]);
    assert!(pulled.status.success(), "{}", text(&pulled.stderr));
    let _pulled = Tags(vec![by_digest.clone()]);
    let (code, out, err) = run_once(&by_digest, r#"{"name":"registry"}"#);
    assert_eq!(code, Some(0), "{out}{err}");
    assert_eq!(out.lines().last(), first_out.lines().last());
    assert_eq!(
        out.lines().last(),
        Some(r#"{"message":"Hello, registry!"}"#)
    );

    // A second push of the same image sends nothing new.
    let (again, _, image) = pack(
        copy.path(),
        &["--bin", fixture::PACKAGE, "--tag", &remote, "--push"],
        None,
    );
    assert!(again.status.success(), "{}", describe(&again));
    assert_eq!(image.expect("a message")["digest"], digest.as_str());
}

#[test]
fn registry_credentials_come_from_the_command_line_or_the_docker_config() {
    let Some(fixture) = setup() else { return };
    let copy = private_copy(fixture);
    // No registry listens there: what matters is that the credentials are found and sent.
    let address = format!("127.0.0.1:{}", free_port());
    let remote = format!("{address}/ns/fcfix:v1");
    let _tags = Tags(vec![remote.clone()]);
    let (output, _, _) = pack(
        copy.path(),
        &[
            "--bin",
            fixture::PACKAGE,
            "--tag",
            &remote,
            "--push",
            "--registry-user",
            "alice",
        ],
        Some(""),
    );
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    assert!(text(&output.stderr).contains("needs the password on standard input"));

    let (output, _, _) = pack(
        copy.path(),
        &[
            "--bin",
            fixture::PACKAGE,
            "--tag",
            &remote,
            "--push",
            "--registry-user",
            "alice",
            "-v",
        ],
        Some("s3cret\n"),
    );
    let stderr = text(&output.stderr);
    assert!(stderr.contains("from --registry-user"), "{stderr}");
    assert_eq!(
        output.status.code(),
        Some(8),
        "a registry that is not there: {stderr}"
    );
    assert!(
        stderr.contains("pushing") && stderr.contains("failed"),
        "{stderr}"
    );

    let config = tempfile::tempdir().expect("a folder");
    std::fs::write(
        config.path().join("config.json"),
        format!(r#"{{"credHelpers": {{"{address}": "cargo-fc-test"}}, "auths": {{}}}}"#),
    )
    .expect("write config.json");
    // A credential helper that is not installed is a clear error naming it.
    let mut command = support::cargo_fc();
    command
        .args([
            "pack",
            "--container",
            "--no-build",
            "--bin",
            fixture::PACKAGE,
            "--tag",
            &remote,
            "--push",
        ])
        .env("DOCKER_CONFIG", config.path())
        .current_dir(copy.path());
    let output = command.output().expect("cargo-fc runs");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(5), "{stderr}");
    assert!(
        stderr.contains("docker-credential-cargo-fc-test"),
        "{stderr}"
    );
}

#[test]
fn a_base_without_the_loader_is_refused_before_anything_is_tagged_and_nothing_is_left() {
    let Some(fixture) = setup() else { return };
    let empty = tag("empty-base:1");
    let name = tag("fcfix:on-empty");
    let _tags = Tags(vec![empty.clone(), name.clone()]);
    // An image with one file and no C library, made without a registry.
    let mut root = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(5);
    header.set_mode(0o644);
    header.set_cksum();
    root.append_data(&mut header, "etc/hostname", b"base\n".as_slice())
        .expect("a tar");
    let root = root.into_inner().expect("a tar");
    let mut import = Command::new("docker")
        .args(["import", "-", &empty])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("docker import runs");
    std::io::Write::write_all(&mut import.stdin.take().expect("piped"), &root).expect("write");
    assert!(import.wait().expect("docker import ends").success());

    let (output, pid, _) = pack(
        &fixture.dir,
        &["--bin", fixture::PACKAGE, "--tag", &name, "--base", &empty],
        None,
    );
    assert_eq!(output.status.code(), Some(3), "{}", describe(&output));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("will not start in"), "{stderr}");
    assert!(
        stderr.contains("the dynamic loader /lib64/ld-linux-x86-64.so.2 is not in the image"),
        "{stderr}"
    );
    assert!(
        containers_of(pid).is_empty(),
        "the inspection container was left"
    );
    assert!(
        !docker(&["image", "inspect", &name]).status.success(),
        "a refused image was loaded"
    );

    let (output, _, _) = pack(
        &fixture.dir,
        &[
            "--bin",
            fixture::PACKAGE,
            "--tag",
            &name,
            "--base",
            "cargo-fc-absent-base:0",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(5), "{}", describe(&output));
    assert!(text(&output.stderr).contains("never pulls a base"));
}

#[test]
fn ctrl_c_while_exporting_a_base_exits_130_and_leaves_nothing() {
    let Some(fixture) = setup() else { return };
    let copy = private_copy(fixture);
    // The largest image this machine surely has: the builder image the fixture tests use, or
    // the test image scripts/make-test-image makes. Its export takes long enough to interrupt.
    let images = docker(&[
        "images",
        "--format",
        "{{.Repository}}:{{.Tag}} {{.Size}}",
        "cargo-fc-test",
    ]);
    let Some(base) = text(&images.stdout)
        .lines()
        .next()
        .map(|l| l.split(' ').next().unwrap_or_default().to_string())
    else {
        support::skip("no cargo-fc-test image: run scripts/make-test-image");
        return;
    };
    let name = tag("fcfix:interrupted");
    let _tags = Tags(vec![name.clone()]);
    let mut command = support::cargo_fc();
    command
        .args([
            "pack",
            "--container",
            "--no-build",
            "--bin",
            fixture::PACKAGE,
            "--tag",
            &name,
            "--base",
            &base,
        ])
        .current_dir(copy.path());
    let mut guard = fixture::ProcessGuard::spawn(command, libc::SIGKILL);
    let line = guard
        .stderr
        .wait_for(Duration::from_secs(60), |l| l.contains("Exporting"));
    assert!(line.is_some(), "{}", guard.stderr.text());
    std::thread::sleep(Duration::from_millis(200));
    guard.signal(libc::SIGINT);
    let status = guard.wait(Duration::from_secs(60)).expect("cargo fc stops");
    assert_eq!(status.code(), Some(130), "{}", guard.stderr.text());
    // The reader thread may trail the exit by a moment.
    let said = guard
        .stderr
        .wait_for(Duration::from_secs(5), |l| l.contains("interrupted"));
    assert!(said.is_some(), "{}", guard.stderr.text());
    assert!(containers_of(guard.pid()).is_empty());
    assert!(!docker(&["image", "inspect", &name]).status.success());
    let scratch = copy.path().join("target/fc/container");
    let left: Vec<_> = std::fs::read_dir(&scratch)
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "scratch files left: {left:?}");
}

/// `cargo fc local invoke --container --no-build --bin BIN ARGS` in the shared fixture: its
/// output and process id.
fn invoke(fixture: &Fixture, bin: &str, args: &[&str]) -> (Output, u32) {
    let mut command = support::cargo_fc();
    command
        .args(["local", "invoke", "--container", "--no-build", "--bin", bin])
        .args(args)
        .current_dir(&fixture.dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = command.spawn().expect("cargo-fc starts");
    let pid = child.id();
    (child.wait_with_output().expect("cargo-fc finishes"), pid)
}

#[test]
fn local_invoke_in_a_container_initializes_invokes_and_reports_failures_as_fc_does() {
    let Some(fixture) = setup() else { return };
    // The local tests share the fixture's default image tags: they take turns.
    let _turn = fixture.local_lock();
    let _tags = Tags(vec![format!("{}:0.1.0", fixture::FIXTURE)]);
    let (output, pid) = invoke(
        fixture,
        fixture::FIXTURE,
        &["--data", r#"{"action":"echo","text":"hi"}"#],
    );
    assert!(output.status.success(), "{}", describe(&output));
    let answer: Value = serde_json::from_slice(&output.stdout).expect("the answer is JSON");
    assert_eq!(answer["text"], "hi");
    assert_eq!(
        answer["initialized"], 1,
        "the template's initializer ran first"
    );
    assert_eq!(answer["memory_mb"], 256);
    assert_eq!(
        answer["env"]["FIXTURE_GREETING"], "hola",
        "the template's environment"
    );
    assert_eq!(answer["env"]["FC_FUNC_CODE_PATH"], "/code");
    assert_eq!(
        answer["asset"],
        fixture::ASSET,
        "the asset is where the zip puts it"
    );
    let stderr = text(&output.stderr);
    let id = answer["request_id"].as_str().expect("a request id");
    assert!(
        stderr.contains(&format!("FC Invoke Start RequestId: {id}")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("FC Invoke End RequestId: {id}")),
        "{stderr}"
    );
    assert!(
        stderr.contains("FC Initialize Start RequestId:"),
        "{stderr}"
    );
    assert!(containers_of(pid).is_empty(), "the container was left");

    let (output, pid) = invoke(
        fixture,
        fixture::FIXTURE,
        &["--data", r#"{"action":"fail","text":"no"}"#],
    );
    assert_eq!(output.status.code(), Some(7), "{}", describe(&output));
    let answer: Value = serde_json::from_slice(&output.stdout).expect("the error is JSON");
    assert_eq!(answer["errorType"], "FixtureError");
    assert!(
        text(&output.stderr).contains("x-fc-status 404"),
        "{}",
        describe(&output)
    );
    assert!(containers_of(pid).is_empty());

    // The memory size is the container's limit: the kernel stops a function that goes over it.
    let (output, pid) = invoke(
        fixture,
        fixture::FIXTURE,
        &["--data", r#"{"action":"alloc","count":400}"#],
    );
    assert_eq!(output.status.code(), Some(7), "{}", describe(&output));
    assert!(
        text(&output.stderr).contains("256 MB"),
        "{}",
        describe(&output)
    );
    assert!(containers_of(pid).is_empty());

    let (output, pid) = invoke(
        fixture,
        fixture::FIXTURE,
        &[
            "--timeout",
            "1",
            "--data",
            r#"{"action":"sleep","ms":5000}"#,
        ],
    );
    assert_eq!(output.status.code(), Some(7), "{}", describe(&output));
    assert!(
        text(&output.stderr).contains("timed out"),
        "{}",
        describe(&output)
    );
    assert!(containers_of(pid).is_empty());
}

#[test]
fn local_non_web_runs_once_and_its_exit_status_is_the_verdict() {
    let Some(fixture) = setup() else { return };
    // The local tests share the fixture's default image tags: they take turns.
    let _turn = fixture.local_lock();
    let _tags = Tags(vec![format!("{}:0.1.0", fixture::PACKAGE)]);
    let (output, pid) = invoke(
        fixture,
        fixture::PACKAGE,
        &["--non-web", "--data", r#"{"name":"x"}"#],
    );
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(
        text(&output.stdout).lines().last(),
        Some(r#"{"message":"Hello, x!"}"#),
        "{}",
        describe(&output)
    );
    assert!(
        text(&output.stderr).contains("exit status 0"),
        "{}",
        describe(&output)
    );
    assert!(containers_of(pid).is_empty());

    let (output, pid) = invoke(
        fixture,
        fixture::PACKAGE,
        &["--non-web", "--data", r#"{"name":" "}"#],
    );
    assert_eq!(output.status.code(), Some(7), "{}", describe(&output));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("exited with status 1"), "{stderr}");
    assert!(stderr.contains("InvalidName"), "{stderr}");
    assert!(containers_of(pid).is_empty());
}

#[test]
fn local_start_in_a_container_serves_http_and_ctrl_c_removes_the_container() {
    let Some(fixture) = setup() else { return };
    // The local tests share the fixture's default image tags: they take turns.
    let _turn = fixture.local_lock();
    let _tags = Tags(vec![format!("{}:0.1.0", fixture::FIXTURE)]);
    let port = free_port();
    let mut command = support::cargo_fc();
    command
        .args([
            "local",
            "start",
            "--container",
            "--no-build",
            "--bin",
            fixture::FIXTURE,
            "--port",
        ])
        .arg(port.to_string())
        .current_dir(&fixture.dir);
    let mut guard = fixture::ProcessGuard::spawn(command, libc::SIGINT);
    let listening = guard
        .stderr
        .wait_for(Duration::from_secs(120), |l| l.contains("Listening"));
    assert!(listening.is_some(), "{}", guard.stderr.text());
    // The instance starts on first use.
    assert!(containers_of(guard.pid()).is_empty(), "no container yet");
    let reply = http(port, "GET", "/hello?x=1", &[], b"").expect("the trigger answers");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(reply.text().contains("/hello"), "{}", reply.text());
    assert_eq!(containers_of(guard.pid()).len(), 1, "one container serves");
    guard.signal(libc::SIGINT);
    let status = guard.wait(Duration::from_secs(30)).expect("cargo fc stops");
    // Ctrl-C is how a server is stopped: a clean stop.
    assert_eq!(status.code(), Some(0), "{}", guard.stderr.text());
    assert!(
        containers_of(guard.pid()).is_empty(),
        "the container was left"
    );
}

#[test]
fn ctrl_c_during_a_container_invocation_exits_130_and_removes_the_container() {
    let Some(fixture) = setup() else { return };
    // The local tests share the fixture's default image tags: they take turns.
    let _turn = fixture.local_lock();
    let _tags = Tags(vec![format!("{}:0.1.0", fixture::FIXTURE)]);
    let mut command = support::cargo_fc();
    command
        .args([
            "local",
            "invoke",
            "--container",
            "--no-build",
            "--bin",
            fixture::FIXTURE,
            "--timeout",
            "120",
            "--data",
            r#"{"action":"sleep","ms":60000}"#,
        ])
        .current_dir(&fixture.dir);
    let mut guard = fixture::ProcessGuard::spawn(command, libc::SIGKILL);
    let sleeping = guard.stderr.wait_for(Duration::from_secs(120), |l| {
        l.contains("sleeping 60000 ms")
    });
    assert!(sleeping.is_some(), "{}", guard.stderr.text());
    assert_eq!(containers_of(guard.pid()).len(), 1);
    guard.signal(libc::SIGINT);
    let status = guard.wait(Duration::from_secs(30)).expect("cargo fc stops");
    assert_eq!(status.code(), Some(130), "{}", guard.stderr.text());
    assert!(
        containers_of(guard.pid()).is_empty(),
        "the container was left"
    );
}
