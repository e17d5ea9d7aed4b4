//! `cargo fc local`: run what `pack` made the way FC runs it — unpacked into a `/code`-like
//! folder, started with FC's environment, called with FC's headers — so that a missing asset or a
//! wrong port fails here, not in the cloud.

mod api;
mod container;
mod error;
pub use container::ContainerRun;
pub mod instance;
mod pool;
mod router;
mod serve;
pub mod settings;
mod trigger;
pub mod watch;

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use base64::Engine;
use bytes::Bytes;
use http_body_util::Full;
use hyper::Request;

use crate::error::{Result, io};
use crate::pipeline::Packed;
use crate::project::{Function, Project};
use crate::ui::Ui;
pub use error::LocalError;
use instance::{CallFailure, CodeDir, Instance};
use settings::Settings;

pub use router::Route;
pub use serve::{Control, REBUILD_WAIT, ServeOptions, serve};

/// What the command line says over the template's settings.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub timeout_s: Option<f64>,
    pub memory_mb: Option<u64>,
    /// `KEY=VALUE` pairs, over the template's environment.
    pub environment: Vec<(String, String)>,
}

/// The async runtime the emulator runs on.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| LocalError::Runtime { why: e.to_string() }.into())
}

/// A function packed, unpacked and described, ready to start.
pub struct Prepared {
    pub code_dir: PathBuf,
    // Keeps the code folder this run's until the run ends (and removes a private one); shared
    // by the versions of a function that differ only in their settings.
    code: Option<std::sync::Arc<CodeDir>>,
    pub settings: Settings,
    pub runtime_id: &'static str,
    /// The image to run instead of the unpacked bootstrap (a custom container).
    pub container: Option<ContainerRun>,
}

impl Prepared {
    /// A function whose package is already unpacked in `code_dir` (its `bootstrap` at the root),
    /// to run with `settings`; the folder is the caller's to keep.
    pub fn unpacked_in(
        code_dir: PathBuf,
        settings: Settings,
        runtime_id: &'static str,
    ) -> Prepared {
        Prepared {
            code_dir,
            code: None,
            settings,
            runtime_id,
            container: None,
        }
    }

    /// The same code with other settings (a template edit): it shares the code folder, which
    /// stays until the last of them is dropped.
    pub fn reconfigured(&self, settings: Settings) -> Prepared {
        Prepared {
            code_dir: self.code_dir.clone(),
            code: self.code.clone(),
            settings,
            runtime_id: self.runtime_id,
            container: self.container.clone(),
        }
    }

    /// Starts the bootstrap and waits until it listens, then runs the initializer if there is one.
    pub async fn start_instance(&self, ui: &Ui) -> Result<Instance> {
        // Another program listening on the template's port would be sent the function's
        // requests; a free port keeps them apart.
        let (port, held) = instance::choose_port(self.settings.port)?;
        if let Some(held) = held {
            ui.warn(format!(
                "port {held}, the function's in the template, is in use by another program; the bootstrap gets FC_SERVER_PORT={port} instead"
            ));
        }
        self.start_instance_at(port, ui).await
    }

    /// [`Prepared::start_instance`] with the bootstrap on `port` (a container keeps its own).
    pub async fn start_instance_at(&self, port: u16, ui: &Ui) -> Result<Instance> {
        let mut instance = match &self.container {
            Some(run) => Instance::start_container(run, &self.settings).await?,
            None => Instance::start(&self.code_dir, &self.settings, port)?,
        };
        let startup = instance.wait_ready().await?;
        ui.detail(
            "Started",
            format!(
                "bootstrap (pid {}) listening on port {port} after {:.1} ms",
                instance.pid,
                ms(startup)
            ),
        );
        if let Some(initializer) = &self.settings.initializer {
            let id = instance::request_id();
            ui.detail("Initializing", format!("{initializer} (RequestId: {id})"));
            let request = fc_request(
                &self.settings,
                &id,
                "/initialize",
                "POST",
                "/initialize",
                Bytes::new(),
            );
            let timeout = self.settings.initialization_timeout();
            let initializing = Instant::now();
            match instance
                .call(request, timeout, self.settings.memory_mb)
                .await
            {
                Ok(answer) if !answer.failed() => {
                    // The initializer's log is read on another task and can trail its answer;
                    // let it through so that it is not taken for the first invocation's.
                    instance
                        .log
                        .wait_for(initializing, &format!("FC Initialize End RequestId: {id}"))
                        .await;
                }
                Ok(answer) => {
                    instance.stop().await;
                    return Err(LocalError::InitializerFailed {
                        status: answer.status,
                        body: String::from_utf8_lossy(&answer.body).into_owned(),
                    }
                    .into());
                }
                Err(failure) => {
                    instance.kill().await;
                    return Err(failure_error("the initializer", failure, &self.settings).into());
                }
            }
        }
        Ok(instance)
    }
}

/// Unpacks a packed function as FC would and reads how FC would run it.
pub fn prepare(
    project: &Project,
    packed: Packed,
    overrides: &Overrides,
    ui: &Ui,
) -> Result<Prepared> {
    let settings = settings_for(project, &packed.built.function, overrides, ui)?;
    unpacked(project, packed, settings, ui)
}

fn unpacked(project: &Project, packed: Packed, settings: Settings, ui: &Ui) -> Result<Prepared> {
    let function = &packed.built.function;
    let code = CodeDir::claim(&project.fc_dir().join("local").join(&function.bin))?;
    let code_dir = code.path.clone();
    instance::unpack(&packed.package.path, &code_dir)?;
    ui.detail(
        "Unpacked",
        format!(
            "{} into {}",
            packed.package.path.display(),
            code_dir.display()
        ),
    );
    Ok(Prepared {
        code_dir,
        code: Some(std::sync::Arc::new(code)),
        settings,
        runtime_id: packed.built.runtime.id,
        container: None,
    })
}

/// Every packed function a template describes (or all of them when no template describes any),
/// unpacked as FC would: what `local start` serves.
pub fn prepare_all(
    project: &Project,
    packed: Vec<Packed>,
    overrides: &Overrides,
    ui: &Ui,
) -> Result<Vec<Prepared>> {
    let mut described = Vec::new();
    for packed in packed {
        let settings = settings_for(project, &packed.built.function, overrides, ui)?;
        described.push((packed, settings));
    }
    let any_template = described.iter().any(|(_, s)| s.source.is_some());
    let mut prepared = Vec::new();
    for (packed, settings) in described {
        if any_template && settings.source.is_none() {
            ui.detail(
                "Skipping",
                format!(
                    "bin `{}`: no template declares it as a function",
                    packed.built.function.bin
                ),
            );
            continue;
        }
        prepared.push(unpacked(project, packed, settings, ui)?);
    }
    Ok(prepared)
}

/// A custom container's image described as FC would run it.
pub fn prepare_container(
    project: &Project,
    function: &Function,
    run: ContainerRun,
    overrides: &Overrides,
    ui: &Ui,
) -> Result<Prepared> {
    let settings = settings_for(project, function, overrides, ui)?;
    Ok(Prepared {
        code_dir: PathBuf::from(crate::platform::CODE_DIR),
        code: None,
        settings,
        runtime_id: crate::platform::CONTAINER_RUNTIME,
        container: Some(run),
    })
}

/// How FC would run `function`: its template's settings, or FC's defaults, under `overrides`.
pub fn settings_for(
    project: &Project,
    function: &Function,
    overrides: &Overrides,
    ui: &Ui,
) -> Result<Settings> {
    let mut settings = None;
    for found in crate::deployment::find_templates(project)? {
        settings = settings::load(function, &found.path)?;
        if settings.is_some() {
            break;
        }
    }
    let mut settings = settings.unwrap_or_else(|| {
        ui.detail(
            "Settings",
            "no template describes the function: FC's defaults apply",
        );
        Settings::defaults(function)
    });
    if !settings.computed.is_empty() {
        ui.warn(format!(
            "the template leaves {} to the deploy tool; FC's defaults stand in for them here",
            settings.computed.join(", ")
        ));
    }
    if let Some(timeout) = overrides.timeout_s {
        settings.timeout_s = timeout;
    }
    if let Some(memory) = overrides.memory_mb {
        settings.memory_mb = memory;
    }
    for (key, value) in &overrides.environment {
        settings.environment.insert(key.clone(), value.clone());
    }
    check_settings(&settings, overrides)?;
    Ok(settings)
}

/// The event of `local invoke`: `--data`, `--event FILE`, or standard input.
pub fn read_event(file: Option<&std::path::Path>, data: Option<&str>) -> Result<Bytes> {
    if let Some(data) = data {
        return Ok(Bytes::copy_from_slice(data.as_bytes()));
    }
    if let Some(path) = file {
        return std::fs::read(path)
            .map(Bytes::from)
            .map_err(io("read the event from", path));
    }
    let mut stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Ok(Bytes::new());
    }
    let mut event = Vec::new();
    stdin
        .read_to_end(&mut event)
        .map_err(io("read the event from", std::path::Path::new("stdin")))?;
    Ok(Bytes::from(event))
}

/// A request as FC makes it: `x-fc-*` headers, then the caller's.
pub fn fc_request(
    settings: &Settings,
    id: &str,
    control_path: &str,
    method: &str,
    path: &str,
    body: Bytes,
) -> Request<Full<Bytes>> {
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header("host", "127.0.0.1");
    for (name, value) in instance::fc_headers(settings, id, control_path) {
        builder = builder.header(name, value);
    }
    if control_path == "/invoke" {
        builder = builder.header("content-type", "application/octet-stream");
    }
    builder
        .body(Full::new(body))
        .expect("the request's parts are valid")
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// FC's report line for an invocation.
pub fn summary(duration: Duration, settings: &Settings, max_memory_mb: Option<f64>) -> String {
    let duration_ms = ms(duration);
    format!(
        "Duration: {duration_ms:.2} ms, Billed Duration: {} ms, Memory Size: {} MB, Max Memory Used: {:.2} MB",
        duration_ms.ceil().max(1.0) as u64,
        settings.memory_mb,
        max_memory_mb.unwrap_or(0.0)
    )
}

fn failure_error(what: &'static str, failure: CallFailure, settings: &Settings) -> LocalError {
    match failure {
        CallFailure::TimedOut(after) => LocalError::TimedOut {
            what,
            after,
            timeout_s: settings.timeout_s,
        },
        CallFailure::OutOfMemory { used_mb } => LocalError::OutOfMemory {
            what,
            used_mb,
            memory_mb: settings.memory_mb,
        },
        CallFailure::Crashed(reason) => LocalError::Crashed { what, reason },
    }
}

impl Settings {
    /// The function's timeout, validated by [`check_settings`].
    pub fn timeout(&self) -> Duration {
        seconds(self.timeout_s)
    }

    pub fn initialization_timeout(&self) -> Duration {
        seconds(self.initialization_timeout_s)
    }
}

fn seconds(value: f64) -> Duration {
    Duration::try_from_secs_f64(value.max(0.001)).unwrap_or(Duration::MAX)
}

/// Refuses settings that FC would refuse, or that could not be sent to the function: from a
/// template or a flag alike, a user's value must never crash the emulator.
fn check_settings(settings: &Settings, flags: &Overrides) -> Result<(), LocalError> {
    let source = |from_flag: bool| {
        if from_flag {
            None
        } else {
            settings.source.clone()
        }
    };
    let limit = crate::platform::TIMEOUT_S;
    for (what, value, from_flag) in [
        ("timeout", settings.timeout_s, flags.timeout_s.is_some()),
        (
            "initializer timeout",
            settings.initialization_timeout_s,
            false,
        ),
    ] {
        if !(value.is_finite() && value > 0.0 && value <= limit.max as f64) {
            return Err(LocalError::BadSetting {
                what,
                value: value.to_string(),
                problem: "is not a number of seconds FC takes (1 to 86400)",
                source: source(from_flag),
            });
        }
    }
    // Every value that travels in one of FC's headers must be one a header can carry.
    for (name, value) in instance::fc_headers(settings, "id", crate::platform::protocol::INVOKE) {
        if hyper::header::HeaderValue::from_str(&value).is_err() {
            return Err(LocalError::BadSetting {
                what: name,
                value: value.escape_debug().to_string(),
                problem: "contains a character an HTTP header cannot carry (a control character or a line break)",
                source: source(false),
            });
        }
    }
    Ok(())
}

/// Starts the function, invokes it once with `event`, prints what FC would, and stops it.
/// A custom container without a web server, run once as FC runs it: the event in
/// `FC_CUSTOM_CONTAINER_EVENT`, its standard output and error passed through, its exit status
/// the verdict.
pub async fn run_once(prepared: Prepared, event: Bytes, ui: &Ui) -> Result<()> {
    let run = prepared
        .container
        .as_ref()
        .expect("a one-shot run is of a container");
    let settings = &prepared.settings;
    let event = String::from_utf8(event.to_vec()).map_err(|_| LocalError::EventNotText)?;
    let mut env = instance::container_environment(settings, run.port);
    env.insert("FC_CUSTOM_CONTAINER_EVENT".into(), event);
    ui.status(
        "Running",
        format!(
            "{} once ({}, {} MB, timeout {} s) with the event in FC_CUSTOM_CONTAINER_EVENT",
            run.image, settings.function_name, settings.memory_mb, settings.timeout_s
        ),
    );
    let log = std::sync::Arc::new(instance::Log::default());
    let started = Instant::now();
    let mut running = container::Running::start(
        run,
        &env,
        settings.memory_mb,
        false,
        log,
        container::Echo::Split,
    )
    .await?;
    let timeout = settings.timeout();
    let exit = match tokio::time::timeout(timeout, running.wait()).await {
        Ok(exit) => exit?,
        Err(_) => {
            running.kill().await;
            return Err(failure_error("the run", CallFailure::TimedOut(timeout), settings).into());
        }
    };
    let duration = started.elapsed();
    running.drain().await;
    running.stop().await;
    eprintln!(
        "exit status {}  {}",
        exit.code,
        summary(duration, settings, None)
    );
    if exit.out_of_memory {
        return Err(failure_error(
            "the run",
            CallFailure::OutOfMemory {
                used_mb: settings.memory_mb as f64,
            },
            settings,
        )
        .into());
    }
    if exit.code != 0 {
        return Err(LocalError::ExitStatus { code: exit.code }.into());
    }
    Ok(())
}

pub async fn invoke_once(prepared: Prepared, event: Bytes, tail: bool, ui: &Ui) -> Result<()> {
    let settings = &prepared.settings;
    let mut instance = prepared.start_instance(ui).await?;
    let id = instance::request_id();
    ui.status(
        "Invoking",
        format!(
            "{} ({}, {} MB, timeout {} s) RequestId: {id}",
            settings.function_name, prepared.runtime_id, settings.memory_mb, settings.timeout_s
        ),
    );
    let request = fc_request(settings, &id, "/invoke", "POST", "/invoke", event);
    let started = Instant::now();
    let outcome = instance
        .call(request, settings.timeout(), settings.memory_mb)
        .await;
    let duration = started.elapsed();
    let answer = match outcome {
        Ok(answer) => {
            // The End marker may trail the response by a moment; FC's tail includes it.
            instance
                .log
                .wait_for(started, &format!("FC Invoke End RequestId: {id}"))
                .await;
            Ok(answer)
        }
        Err(failure) => Err(failure),
    };
    // FC reports the invocation whatever its end: the summary and the tail come after a
    // timeout or a crash too.
    let report = summary(duration, settings, instance.max_memory_mb());
    let log_lines = instance.log.since(started);
    let answer = match answer {
        Ok(answer) => {
            instance.stop().await;
            answer
        }
        Err(failure) => {
            instance.kill().await;
            print_report(&id, &report, &log_lines, tail);
            return Err(failure_error("the invocation", failure, settings).into());
        }
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(&answer.body);
    if stdout.is_terminal() && !answer.body.ends_with(b"\n") {
        let _ = stdout.write_all(b"\n");
    }
    let _ = stdout.flush();
    print_report(&id, &report, &log_lines, tail);
    if answer.failed() {
        let x_fc_status = answer
            .headers
            .get("x-fc-status")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("none")
            .to_string();
        return Err(LocalError::FunctionFailed {
            status: answer.status,
            x_fc_status,
        }
        .into());
    }
    Ok(())
}

/// FC's report line, and with `tail` the base64 log tail a client asking for it gets.
fn print_report(id: &str, report: &str, log_lines: &[String], tail: bool) {
    eprintln!("RequestId: {id}  {report}");
    if tail {
        let mut text = log_lines.join("\n");
        text.push('\n');
        text.push_str(report);
        text.push('\n');
        eprintln!("x-fc-log-result: {}", encode_tail(&text));
    }
}

/// The last 4 KB of `text` (cut at a character boundary), in base64, as `x-fc-log-result`.
fn encode_tail(text: &str) -> String {
    let mut start = text
        .len()
        .saturating_sub(crate::platform::protocol::LOG_TAIL_LIMIT);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    base64::engine::general_purpose::STANDARD.encode(&text.as_bytes()[start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings {
            function_name: "hello".into(),
            service_name: "local".into(),
            handler: "index.handler".into(),
            memory_mb: 128,
            timeout_s: 3.0,
            initializer: None,
            initialization_timeout_s: 3.0,
            environment: Default::default(),
            port: None,
            region: "cn-hangzhou".into(),
            source: Some("template.yml".into()),
            computed: Vec::new(),
            instance_concurrency: 1,
            http: None,
            routes: Vec::new(),
        }
    }

    #[test]
    fn template_values_that_cannot_be_used_are_errors_naming_the_template() {
        let flags = Overrides::default();
        assert!(check_settings(&settings(), &flags).is_ok());
        let huge = Settings {
            timeout_s: 1e30,
            ..settings()
        };
        let error = check_settings(&huge, &flags).unwrap_err().to_string();
        assert!(
            error.contains("timeout `1000000000000000000000000000000`"),
            "{error}"
        );
        assert!(error.contains("(from template.yml)"), "{error}");
        // A `|` block keeps its line break.
        let broken = Settings {
            handler: "index.handler\n".into(),
            ..settings()
        };
        let error = check_settings(&broken, &flags).unwrap_err().to_string();
        assert!(
            error.contains("x-fc-function-handler `index.handler\\n`"),
            "{error}"
        );
        // Never a panic, whatever the value.
        assert_eq!(seconds(f64::INFINITY), Duration::MAX);
        assert_eq!(seconds(f64::NAN), Duration::from_millis(1));
    }
}
