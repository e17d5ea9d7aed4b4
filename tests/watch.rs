//! `cargo fc local start --watch`, end to end: a crate `cargo fc new` made, served, edited while
//! clients keep calling it.
//!
//! The crate is this test's own (not the shared fixture, which other tests read while this one
//! edits): `<target>/tmp/e2e/watch/fcwatch`, made once and kept with its target directory so
//! that only the first run builds the dependencies. Builds are `--debug` with the zig builder,
//! where an edit rebuilds in about a second.

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use support::fixture::{FileLock, ProcessGuard, e2e_dir, http, listening_port, run_bounded};

const NAME: &str = "fcwatch";
/// Every wait of this test: the first run builds the crate's dependencies.
const LIMIT: Duration = Duration::from_secs(15 * 60);
/// A rebuild of one edited file (incremental).
const REBUILD: Duration = Duration::from_secs(5 * 60);

const TEMPLATE: &str = "ROSTemplateFormatVersion: '2015-09-01'
Transform: 'Aliyun::Serverless-2018-04-03'
Resources:
  fcwatch-service:
    Type: 'Aliyun::Serverless::Service'
    Properties:
      Description: 'the watch tests'
    fcwatch:
      Type: 'Aliyun::Serverless::Function'
      Properties:
        Handler: index.handler
        Runtime: custom
        CodeUri: ./target/fc/fcwatch.zip
        MemorySize: 128
        Timeout: 30
        InstanceConcurrency: 10
      Events:
        http:
          Type: HTTP
          Properties:
            AuthType: ANONYMOUS
            Methods: ['GET', 'POST']
";

/// The handler: its version, and the `GREETING` the template sets.
fn source(version: &str) -> String {
    format!(
        r#"use fc_runtime::Context;
use fc_runtime::bytes::Bytes;
use fc_runtime::http::{{Request, Response}};

const VERSION: &str = "{version}";

async fn handler(
    _request: Request<Bytes>,
    _ctx: Context,
) -> Result<Response<String>, fc_runtime::Error> {{
    let greeting = std::env::var("GREETING").unwrap_or_else(|_| "none".to_owned());
    Ok(Response::new(format!("{{VERSION}} {{greeting}}")))
}}

fn main() -> std::process::ExitCode {{
    fc_runtime::run_http(handler)
}}
"#
    )
}

/// The test's crate with the first version of the handler and the template, held by this test
/// until the guard drops.
struct Crate {
    dir: PathBuf,
    _turn: FileLock,
}

impl Crate {
    fn get() -> Option<Crate> {
        if !support::zig_available() {
            return None;
        }
        let base = e2e_dir().join("watch");
        let turn = FileLock::acquire(&base.join("turn.lock"));
        let dir = base.join(NAME);
        if !dir.join("Cargo.toml").is_file() {
            let _ = std::fs::remove_dir_all(&dir);
            let mut new = support::cargo_fc();
            new.args(["new", NAME, "--http", "--path"])
                .arg(&dir)
                .current_dir(&base);
            support::assert_success(&run_bounded(new, Duration::from_secs(60)));
            // One template, so that the one edited is the one read.
            std::fs::remove_file(dir.join("s.yaml")).expect("cargo fc new writes s.yaml");
        }
        let made = Crate { dir, _turn: turn };
        made.write("template.yml", TEMPLATE);
        made.write("src/main.rs", &source("one"));
        Some(made)
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.dir.join(relative);
        // Only a real change is written: an unchanged file keeps cargo's freshness.
        if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
            return;
        }
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
}

/// `cargo fc local start --watch` on a port of its own, stopped with Ctrl-C when dropped.
struct Watching {
    process: ProcessGuard,
    port: u16,
}

impl Watching {
    fn start(dir: &Path) -> Watching {
        let mut command = support::cargo_fc();
        command
            .args([
                "local",
                "start",
                "--watch",
                "--builder",
                "zig",
                "--debug",
                "--port",
                "0",
            ])
            .current_dir(dir);
        let process = ProcessGuard::spawn(command, libc::SIGINT);
        let port = listening_port(&process, LIMIT);
        let watching = process
            .stderr
            .wait_for(LIMIT, |line| line.contains("for changes"))
            .unwrap_or_else(|| panic!("local start did not watch:\n{}", process.stderr.text()));
        // The path dependencies cargo metadata names are watched too: here fc-runtime, which
        // `cargo fc new` patches in from cargo fc's data folder.
        assert!(
            watching.contains("fc-runtime"),
            "path dependencies not watched: {watching}"
        );
        Watching { process, port }
    }

    fn get(&self) -> String {
        let reply = http(self.port, "GET", "/", &[], b"")
            .unwrap_or_else(|e| panic!("GET /: {e}\n{}", self.process.stderr.text()));
        assert_eq!(
            reply.status,
            200,
            "{}\n{}",
            reply.text(),
            self.process.stderr.text()
        );
        reply.text()
    }

    /// Calls until the answer is `expected`, as a developer reloading the page would.
    fn until(&self, expected: &str) {
        let deadline = Instant::now() + REBUILD;
        loop {
            let answer = self.get();
            if answer == expected {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "still {answer:?}, not {expected:?}:\n{}",
                self.process.stderr.text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The lines of stderr from line `from` on.
    fn since(&self, from: usize) -> Vec<String> {
        self.process.stderr.all().split_off(from)
    }

    fn mark(&self) -> usize {
        self.process.stderr.all().len()
    }
}

/// Clients calling the server in a loop, counting answers and failures.
struct Clients {
    stop: Arc<AtomicBool>,
    answered: Arc<AtomicUsize>,
    failures: Arc<std::sync::Mutex<Vec<String>>>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Clients {
    fn start(port: u16, count: usize) -> Clients {
        let stop = Arc::new(AtomicBool::new(false));
        let answered = Arc::new(AtomicUsize::new(0));
        let failures = Arc::new(std::sync::Mutex::new(Vec::new()));
        let threads = (0..count)
            .map(|_| {
                let (stop, answered, failures) = (stop.clone(), answered.clone(), failures.clone());
                std::thread::spawn(move || {
                    while !stop.load(Ordering::SeqCst) {
                        match http(port, "GET", "/", &[], b"") {
                            Ok(reply) if reply.status == 200 => {
                                answered.fetch_add(1, Ordering::SeqCst);
                            }
                            Ok(reply) => failures.lock().unwrap().push(format!(
                                "{}: {}",
                                reply.status,
                                reply.text()
                            )),
                            Err(error) => failures.lock().unwrap().push(error.to_string()),
                        }
                        // Each request is a few lines of the server's log, which the test reads.
                        std::thread::sleep(Duration::from_millis(50));
                    }
                })
            })
            .collect();
        Clients {
            stop,
            answered,
            failures,
            threads,
        }
    }

    /// Stops the clients; how many answers came, and what failed.
    fn finish(self) -> (usize, Vec<String>) {
        self.stop.store(true, Ordering::SeqCst);
        for thread in self.threads {
            thread.join().expect("a client thread");
        }
        let failures = self.failures.lock().unwrap().clone();
        (self.answered.load(Ordering::SeqCst), failures)
    }
}

#[test]
fn saves_serve_new_code_a_broken_build_keeps_the_old_and_template_edits_need_no_build() {
    let Some(project) = Crate::get() else { return };
    let mut server = Watching::start(&project.dir);
    assert_eq!(server.get(), "one none");
    // Clients call all along: requests that arrive during a rebuild wait for it, and those in
    // flight when the new version takes over finish on the old one. None fails.
    let clients = Clients::start(server.port, 2);

    let before = server.mark();
    project.write("src/main.rs", &source("two"));
    server.until("two none");
    let rebuild = server.since(before);
    // Incremental: only the function's own crate is compiled again.
    let compiled: Vec<&String> = rebuild
        .iter()
        .filter(|line| line.trim_start().starts_with("Compiling "))
        .collect();
    assert!(
        compiled.len() == 1 && compiled[0].contains(&format!("Compiling {NAME} ")),
        "the rebuild compiled {compiled:?}:\n{}",
        rebuild.join("\n")
    );

    // A broken build: cargo's error is shown, and the previous version keeps answering.
    let before = server.mark();
    project.write(
        "src/main.rs",
        &source("three").replace("const VERSION", "const VERSION: u8 = 1;\nconst VERSION"),
    );
    server
        .process
        .stderr
        .wait_for(REBUILD, |line| {
            line.contains("the previous version keeps serving")
        })
        .unwrap_or_else(|| panic!("no failed build:\n{}", server.since(before).join("\n")));
    let failed = server.since(before).join("\n");
    assert!(
        failed.contains("error[E0428]") && failed.contains("src/main.rs"),
        "cargo's error is not shown:\n{failed}"
    );
    assert_eq!(server.get(), "two none");

    // Fixed: the new version answers.
    project.write("src/main.rs", &source("four"));
    server.until("four none");

    // A template edit applies without a build.
    let before = server.mark();
    project.write(
        "template.yml",
        &TEMPLATE.replace(
            "        InstanceConcurrency: 10\n",
            "        InstanceConcurrency: 10\n        EnvironmentVariables:\n          GREETING: hola\n",
        ),
    );
    server.until("four hola");
    let reloaded = server.since(before);
    assert!(
        !reloaded.iter().any(|line| line.contains("Building")),
        "the template edit built:\n{}",
        reloaded.join("\n")
    );

    let (answered, failures) = clients.finish();
    assert!(answered > 0, "the clients got no answer");
    assert!(
        failures.is_empty(),
        "{} of {} requests failed during the rebuilds: {failures:?}",
        failures.len(),
        answered + failures.len()
    );

    // Ctrl-C stops the server, its instances and the watching, as a success.
    server.process.signal(libc::SIGINT);
    let status = server.process.wait(LIMIT).unwrap_or_else(|| {
        panic!(
            "still running after Ctrl-C:\n{}",
            server.process.stderr.text()
        )
    });
    assert!(
        status.success(),
        "{status:?}:\n{}",
        server.process.stderr.text()
    );
}
