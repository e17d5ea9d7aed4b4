//! The Docker builder end to end: real crates built by the real `cargo-fc` in containers of a
//! local builder image, made without any registry by `scripts/make-test-image` (debootstrap
//! bullseye plus the host's Rust toolchain, `docker import`).
//!
//! The image's tag is `CARGO_FC_TEST_IMAGE`, or `cargo-fc-test:bullseye-rust-<host rustc
//! version>` as the script names it. Without an engine or the image the tests say so loudly and
//! skip; under CI (`CI` set) they fail instead.
//!
//! The docker CLI is used here only to look at what cargo fc did (containers left, running the
//! bootstrap); cargo fc itself talks to the engine through its API.

mod support;

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use cargo_fc::platform::SymbolVersion;
use cargo_fc::verify::{self, Family};
use support::{TestCrate, assert_success};

fn docker(args: &[&str]) -> Output {
    Command::new("docker")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("the docker CLI runs (it is only used to check on cargo fc)")
}

/// The test image, if an engine answers and the image is there; otherwise skips loudly, or fails
/// under CI.
fn test_image() -> Option<String> {
    let tag = std::env::var("CARGO_FC_TEST_IMAGE").unwrap_or_else(|_| {
        let version = Command::new("rustc")
            .arg("--version")
            .output()
            .expect("rustc runs");
        let version = String::from_utf8_lossy(&version.stdout)
            .split_whitespace()
            .nth(1)
            .expect("rustc --version names a version")
            .to_string();
        format!("cargo-fc-test:bullseye-rust-{version}")
    });
    let problem = match Command::new("docker")
        .args(["image", "inspect", "--format", "{{.Id}}", &tag])
        .stdin(Stdio::null())
        .output()
    {
        Err(e) => Some(format!("the docker CLI does not run: {e}")),
        Ok(out) if out.status.success() => None,
        Ok(out) => Some(format!(
            "the test image {tag} is not available ({}): run scripts/make-test-image",
            String::from_utf8_lossy(&out.stderr).trim()
        )),
    };
    match problem {
        None => Some(tag),
        Some(problem) => {
            support::skip(&problem);
            None
        }
    }
}

struct Crate {
    dir: tempfile::TempDir,
}

impl Crate {
    /// A bin crate named `name` depending on `itoa`, which building cargo fc itself put in the
    /// host's registry cache, so `--offline` builds prove the cache is shared.
    fn new(name: &str, metadata: &str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix("cargo-fc-docker-")
            .tempdir()
            .expect("a temporary folder");
        let crate_ = Crate { dir };
        crate_.write(
            "Cargo.toml",
            &format!(
                "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nitoa = \"1\"\n\n{metadata}\n[workspace]\n"
            ),
        );
        crate_.write(
            "src/main.rs",
            &format!(
                "fn main() {{\n    let mut buffer = itoa::Buffer::new();\n    println!(\"hello from {name} {{}}\", buffer.format(42));\n}}\n"
            ),
        );
        crate_
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-fc"));
        command
            .arg("fc")
            .args(args)
            .current_dir(self.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    /// Runs cargo fc to the end; returns its output and process id (which labels its containers).
    fn cargo_fc(&self, args: &[&str]) -> (Output, u32) {
        let child = self.command(args).spawn().expect("cargo-fc starts");
        let pid = child.id();
        (child.wait_with_output().expect("cargo-fc finishes"), pid)
    }

    fn bootstrap(&self, bin: &str) -> PathBuf {
        self.path().join("target/fc").join(bin).join("bootstrap")
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The containers, running or not, that the cargo fc process `pid` made.
fn containers_of(pid: u32) -> Vec<String> {
    let out = docker(&[
        "ps",
        "--all",
        "--quiet",
        "--filter",
        &format!("label=cargo-fc.pid={pid}"),
    ]);
    assert!(out.status.success(), "docker ps: {}", stderr(&out));
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(String::from)
        .collect()
}

fn caller_uid() -> u32 {
    // SAFETY: getuid cannot fail and touches no memory.
    unsafe { libc::getuid() }
}

#[test]
fn builds_for_debian11_runs_there_and_rebuilds_nothing() {
    let Some(image) = test_image() else { return };
    let crate_ = Crate::new("dockerhello", "");
    let build = [
        "build",
        "--builder",
        "docker",
        "--image",
        &image,
        "--runtime",
        "custom.debian11",
        "--offline",
    ];
    let (output, pid) = crate_.cargo_fc(&build);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(containers_of(pid).is_empty(), "a container was left");

    let bootstrap = crate_.bootstrap("dockerhello");
    let metadata = std::fs::metadata(&bootstrap).expect("the bootstrap exists");
    assert_eq!(
        metadata.uid(),
        caller_uid(),
        "the bootstrap belongs to the caller"
    );
    let target = crate_.path().join("target/fc/docker");
    let in_container_target = std::fs::read_dir(&target).unwrap().count();
    assert!(
        in_container_target >= 1,
        "the container's target dir is under target/fc/docker"
    );
    for entry in walk(&target) {
        let owner = std::fs::symlink_metadata(&entry).unwrap().uid();
        assert_eq!(
            owner,
            caller_uid(),
            "{} belongs to uid {owner}",
            entry.display()
        );
    }
    let facts = verify::inspect(&bootstrap).unwrap();
    let glibc = facts
        .highest(Family::Glibc)
        .expect("a glibc-linked executable");
    assert!(glibc <= SymbolVersion::new(2, 31, 0), "needs glibc {glibc}");

    // It runs where it was built for: a container of the same image, as FC runs it from /code.
    let mount = format!("{}:/code/bootstrap:ro", bootstrap.display());
    let run = docker(&["run", "--rm", "-v", &mount, &image, "/code/bootstrap"]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(
        String::from_utf8_lossy(&run.stdout).trim(),
        "hello from dockerhello 42"
    );

    // A second build with no change: cargo reports everything fresh and fetches nothing.
    let modified = metadata.modified().unwrap();
    let mut again: Vec<&str> = vec!["-vv"];
    again.extend(&build[..build.len() - 1]);
    let (output, pid) = crate_.cargo_fc(&again);
    let text = stderr(&output);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("Fresh dockerhello"), "{text}");
    // The test image is cargo fc's own, with the host's Rust: containers run the host's copy.
    let sysroot = host_sysroot();
    assert!(
        text.contains(&format!(
            "running it from {} (mounted read-only)",
            sysroot.display()
        )),
        "{text}"
    );
    for busy in [
        "Compiling",
        "Downloading",
        "Downloaded",
        "Updating",
        "Locking",
    ] {
        assert!(
            !text.contains(busy),
            "`{busy}` in a no-change rebuild:\n{text}"
        );
    }
    assert_eq!(
        std::fs::metadata(&bootstrap).unwrap().modified().unwrap(),
        modified
    );
    assert!(containers_of(pid).is_empty(), "a container was left");

    // The same image's output is too new for `custom` (Debian 9): verify says so.
    let mut custom = build.to_vec();
    custom[6] = "custom";
    let (output, _) = crate_.cargo_fc(&custom);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(3), "{text}");
    assert!(
        text.contains("will not start on FC runtime `custom`"),
        "{text}"
    );
    assert!(
        text.contains("newer than the 2.24 the runtime has"),
        "{text}"
    );
}

fn host_sysroot() -> PathBuf {
    let out = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .expect("rustc runs");
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

/// Removes a test's own image when dropped.
struct ImageGuard(String);

impl Drop for ImageGuard {
    fn drop(&mut self) {
        docker(&["rmi", "--force", &self.0]);
    }
}

#[test]
fn another_image_of_the_same_rust_runs_its_own_toolchain() {
    let Some(image) = test_image() else { return };
    // The test image with a label that no longer says it is cargo fc's: someone else's image,
    // though its Rust has the host's version, tag and files.
    let other = ImageGuard(format!("cargo-fc-test-other:{}", std::process::id()));
    let mut child = Command::new("docker")
        .args(["build", "--quiet", "--tag", &other.0, "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("docker build starts");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("FROM {image}\nLABEL cargo-fc.test-image=0\n").as_bytes())
        .unwrap();
    let built = child.wait_with_output().unwrap();
    assert!(built.status.success(), "docker build: {}", stderr(&built));

    let crate_ = Crate::new("otherimage", "");
    let (output, pid) = crate_.cargo_fc(&[
        "-v",
        "build",
        "--builder",
        "docker",
        "--image",
        &other.0,
        "--runtime",
        "custom.debian11",
        "--offline",
    ]);
    let text = stderr(&output);
    assert!(output.status.success(), "{text}");
    assert!(!text.contains("Toolchain"), "{text}");
    assert!(crate_.bootstrap("otherimage").is_file());
    assert!(containers_of(pid).is_empty(), "a container was left");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() && !path.is_symlink() {
            found.extend(walk(&path));
        }
        found.push(path);
    }
    found
}

#[test]
fn compile_errors_fail_with_cargos_message_and_leave_no_container() {
    let Some(image) = test_image() else { return };
    // The builder and image come from the configuration this time.
    let crate_ = Crate::new(
        "dockerbroken",
        &format!(
            "[package.metadata.fc]\nbuilder = \"docker\"\nimage = \"{image}\"\nruntime = \"custom.debian11\"\n"
        ),
    );
    crate_.write("src/main.rs", "fn main() { let x: u32 = \"text\"; }\n");
    let (output, pid) = crate_.cargo_fc(&["build", "--offline"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(101), "{text}");
    assert!(text.contains("error[E0308]: mismatched types"), "{text}");
    assert!(
        text.contains("cargo build in the Docker container failed"),
        "{text}"
    );
    assert!(text.contains("with the docker builder"), "{text}");
    assert!(containers_of(pid).is_empty(), "a container was left");
}

#[test]
fn sigint_removes_the_container_and_exits_130() {
    let Some(image) = test_image() else { return };
    let crate_ = Crate::new("dockerslow", "");
    // A build script that takes long enough to be interrupted mid-build.
    crate_.write(
        "build.rs",
        "fn main() { std::thread::sleep(std::time::Duration::from_secs(300)); }\n",
    );
    let child = crate_
        .command(&[
            "build",
            "--builder",
            "docker",
            "--image",
            &image,
            "--runtime",
            "custom.debian11",
            "--offline",
        ])
        .spawn()
        .expect("cargo-fc starts");
    let pid = child.id();
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut running = false;
    while Instant::now() < deadline {
        let out = docker(&[
            "ps",
            "--quiet",
            "--filter",
            &format!("label=cargo-fc.pid={pid}"),
            "--filter",
            "status=running",
        ]);
        if !String::from_utf8_lossy(&out.stdout).trim().is_empty() {
            running = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(running, "the build container never ran");
    // Let cargo get going inside.
    std::thread::sleep(Duration::from_secs(2));
    let pid_t = libc::pid_t::try_from(pid).unwrap();
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(pid_t, libc::SIGINT) }, 0);
    // The build script sleeps for 300 s: an exit at all means the interrupt stopped the build.
    let output = child.wait_with_output().unwrap();
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(130), "{text}");
    assert!(text.contains("interrupted"), "{text}");
    assert!(containers_of(pid).is_empty(), "a container was left");
}

#[test]
fn an_unreachable_engine_names_docker_host_and_suggests_zig() {
    let crate_ = Crate::new("dockernone", "");
    let missing = crate_.path().join("no-docker.sock");
    let host = format!("unix://{}", missing.display());
    let output = crate_
        .command(&["build", "--builder", "docker"])
        .env("DOCKER_HOST", &host)
        .output()
        .unwrap();
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(5), "{text}");
    assert!(text.contains(&host), "{text}");
    assert!(text.contains("DOCKER_HOST"), "{text}");
    assert!(text.contains("--builder zig"), "{text}");
    assert!(!text.contains("panicked"), "{text}");
}

#[test]
fn a_missing_image_that_cannot_be_pulled_is_a_clear_error() {
    if test_image().is_none() {
        return;
    }
    let crate_ = Crate::new("dockernoimage", "");
    let (output, pid) = crate_.cargo_fc(&[
        "build",
        "--builder",
        "docker",
        "--image",
        "localhost:1/cargo-fc/absent:never",
    ]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(5), "{text}");
    assert!(
        text.contains("image `localhost:1/cargo-fc/absent:never` is not present locally and could not be pulled"),
        "{text}"
    );
    assert!(containers_of(pid).is_empty(), "a container was left");
}

#[test]
fn the_default_builder_is_docker_when_an_engine_answers() {
    let Some(image) = test_image() else { return };
    let crate_ = Crate::new(
        "dockerdefault",
        &format!("[package.metadata.fc]\nimage = \"{image}\"\nruntime = \"custom.debian11\"\n"),
    );
    let (output, pid) = crate_.cargo_fc(&["build", "--offline"]);
    let text = stderr(&output);
    assert!(output.status.success(), "{text}");
    let choices: Vec<&str> = text.lines().filter(|l| l.contains("Builder ")).collect();
    assert_eq!(choices.len(), 1, "{text}");
    assert!(
        choices[0].contains("docker (the Docker engine at"),
        "{text}"
    );
    assert!(crate_.bootstrap("dockerdefault").is_file());
    assert!(containers_of(pid).is_empty(), "a container was left");
}

#[test]
fn without_docker_or_zig_the_error_names_both() {
    let crate_ = Crate::new("dockernobuilder", "");
    let missing = crate_.path().join("no-docker.sock");
    // PATH without cargo-zigbuild (scripts/test puts it first), but with cargo.
    let path = std::env::var_os("PATH").unwrap_or_default();
    let path = std::env::join_paths(
        std::env::split_paths(&path).filter(|dir| !dir.join("cargo-zigbuild").exists()),
    )
    .unwrap();
    let output = crate_
        .command(&["build"])
        .env("DOCKER_HOST", format!("unix://{}", missing.display()))
        .env("PATH", path)
        .output()
        .unwrap();
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(5), "{text}");
    assert!(text.contains("neither Docker nor zig"), "{text}");
    assert!(
        text.contains("docker: cannot reach a Docker engine"),
        "{text}"
    );
    assert!(text.contains("zig: "), "{text}");
}

/// `cargo fc image build` through the engine with the embedded bullseye recipe, then `image list`
/// and `image rm`. Without a registry the recipe's base image `debian:bullseye` is missing, so the
/// registry-free test image (itself a debootstrapped bullseye) stands in for it under that tag,
/// for the length of the test; apt-get in the recipe still needs Debian's mirror.
#[test]
fn image_build_list_and_rm_work_through_the_engine() {
    let Some(test_image) = test_image() else {
        return;
    };
    let base = "debian:bullseye";
    let stand_in = !docker(&["image", "inspect", base]).status.success();
    if stand_in {
        assert!(docker(&["tag", &test_image, base]).status.success());
    }
    let crate_ = Crate::new("dockerimage", "");
    let (output, _) = crate_.cargo_fc(&["image", "build", "--runtime", "custom.debian11"]);
    let text = stderr(&output);
    if stand_in {
        docker(&["rmi", base]);
    }
    assert!(output.status.success(), "{text}");
    assert!(
        text.contains("Step 1/"),
        "the build steps are shown:\n{text}"
    );
    let version = text
        .split("Rust ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the Rust version is named")
        .to_string();
    let tag = format!("cargo-fc/builder:custom.debian11-rust-{version}");
    assert!(text.contains(&format!("Built image {tag}")), "{text}");

    // The image has the recipe's packages and the host's Rust.
    let check = docker(&[
        "run",
        "--rm",
        &tag,
        "sh",
        "-c",
        "rustc --version && dpkg -s pkg-config gcc libc6-dev ca-certificates >/dev/null && echo ok",
    ]);
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(
        said.contains(&format!("rustc {version}")) && said.contains("ok"),
        "{said}{}",
        stderr(&check)
    );

    let (output, _) = crate_.cargo_fc(&["image", "list"]);
    let listed = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success() && listed.contains(&tag), "{listed}");
    let (output, _) = crate_.cargo_fc(&["image", "rm", &tag]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        !docker(&["image", "inspect", &tag]).status.success(),
        "{tag} is still there"
    );
}

#[test]
fn features_rustflags_and_cargo_args_reach_cargo_in_the_container() {
    let Some(image) = test_image() else { return };
    let crate_ = Crate::new("dockerflags", "[features]\nloud = []\n");
    crate_.write(
        "src/main.rs",
        "fn main() {\n    println!(\"loud={} flag={} opt={}\", cfg!(feature = \"loud\"), cfg!(fc_flag), cfg!(debug_assertions));\n}\n",
    );
    let output = crate_
        .command(&[
            "build",
            "--builder",
            "docker",
            "--image",
            &image,
            "--runtime",
            "custom.debian11",
            "--offline",
            "--features",
            "loud",
            "--debug",
            "--",
            "--timings",
        ])
        .env("RUSTFLAGS", "--cfg fc_flag")
        .env("CARGO_PROFILE_DEV_DEBUG_ASSERTIONS", "false")
        .output()
        .unwrap();
    let text = stderr(&output);
    assert!(output.status.success(), "{text}");
    // The bullseye binary runs on any newer glibc, so this host runs it too.
    let run = Command::new(crate_.bootstrap("dockerflags"))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&run.stdout).trim(),
        "loud=true flag=true opt=false"
    );
    // `--timings` (after `--`) wrote its report into the container's target dir.
    let timings = crate_
        .path()
        .join("target/fc/docker")
        .join(cargo_fc::build::docker::image_dir_name(&image))
        .join("cargo-timings/cargo-timing.html");
    assert!(
        timings.is_file(),
        "{} is missing:\n{text}",
        timings.display()
    );
}

#[test]
fn an_unusable_docker_builder_is_decided_once_and_remembered() {
    let Some(_image) = test_image() else { return };
    if !support::zig_available() {
        return;
    }
    let present = |image: &str| docker(&["image", "inspect", image]).status.success();
    let rust = support_rust_version();
    if present("debian:stretch") || present(&format!("cargo-fc/builder:custom-rust-{rust}")) {
        support::skip("the Docker builder for `custom` can be had here, so it is not unusable");
        return;
    }
    let crate_ = TestCrate::new("remembers");
    let path = support::tool_path();
    let first = crate_.cargo_fc_with(&["build"], &[("PATH", path.to_str().unwrap())]);
    assert_success(&first);
    let text = stderr(&first);
    assert!(
        text.contains(
            "Builder zig (Docker is not usable: the builder image for `custom` cannot be built"
        ),
        "{text}"
    );
    // The second build takes the remembered answer: one line, no new attempt at a pull.
    let second = crate_.cargo_fc_with(&["build"], &[("PATH", path.to_str().unwrap())]);
    assert_success(&second);
    let text = stderr(&second);
    let builder_lines: Vec<&str> = text.lines().filter(|l| l.contains("Builder")).collect();
    assert_eq!(builder_lines.len(), 1, "{text}");
    assert!(
        builder_lines[0]
            .contains("min ago; `cargo fc image build` or --builder docker tries again"),
        "{text}"
    );
    assert!(
        !text.contains("Pulling"),
        "it tried the registry again:\n{text}"
    );
}

fn support_rust_version() -> String {
    let out = Command::new("rustc").arg("--version").output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .nth(1)
        .unwrap_or("")
        .to_string()
}
