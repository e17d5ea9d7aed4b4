//! `cargo fc local`: run what `pack` made the way FC runs it — unpacked into a `/code`-like
//! folder, started with FC's environment, called with FC's headers — so that a missing asset or a
//! wrong port fails here, not in the cloud.

pub mod instance;
pub mod settings;
mod trigger;

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use base64::Engine;
use bytes::Bytes;
use http_body_util::Full;
use hyper::Request;

use crate::cli::{LocalArgs, LocalCommand, LocalCommon, PackArgs};
use crate::error::{Error, ErrorKind, Result};
use crate::project::{self, Project, Selection};
use crate::ui::Ui;
use instance::{CallFailure, CodeDir, Instance};
use settings::Settings;

pub fn command(selection: &Selection, args: &LocalArgs, ui: &Ui) -> Result<()> {
    match &args.command {
        LocalCommand::Invoke(invoke) => {
            let event = read_event(invoke.event.as_deref(), invoke.data.as_deref())?;
            let prepared = prepare(selection, &invoke.common, ui)?;
            runtime()?.block_on(invoke_once(prepared, event, invoke.tail, ui))
        }
        LocalCommand::Start(start) => {
            let prepared = prepare(selection, &start.common, ui)?;
            runtime()?.block_on(trigger::serve(prepared, start.port, ui))
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            Error::new(
                ErrorKind::Io,
                format!("could not start the async runtime: {e}"),
            )
        })
}

/// A function packed, unpacked and described, ready to start.
pub struct Prepared {
    pub code_dir: PathBuf,
    // Keeps the code folder this run's until the run ends (and removes a private one).
    _code: CodeDir,
    pub settings: Settings,
    pub runtime_id: &'static str,
}

impl Prepared {
    /// Starts the bootstrap and waits until it listens, then runs the initializer if there is one.
    pub async fn start_instance(&self, ui: &Ui) -> Result<Instance> {
        let port = match self.settings.port {
            Some(port) => port,
            None => instance::free_port()?,
        };
        let mut instance = Instance::start(&self.code_dir, &self.settings, port)?;
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
            let timeout =
                Duration::from_secs_f64(self.settings.initialization_timeout_s.max(0.001));
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
                    return Err(Error::new(
                        ErrorKind::Function,
                        format!(
                            "the initializer failed (HTTP {}): {}",
                            answer.status,
                            String::from_utf8_lossy(&answer.body)
                        ),
                    )
                    .help("FC retries the initializer before the next request; its log is above"));
                }
                Err(failure) => {
                    instance.kill().await;
                    return Err(failure_error("the initializer", failure, &self.settings));
                }
            }
        }
        Ok(instance)
    }
}

fn prepare(selection: &Selection, common: &LocalCommon, ui: &Ui) -> Result<Prepared> {
    let mut project = project::load(selection)?;
    pick_function(&mut project, common.function.as_deref())?;
    let pack_args = PackArgs {
        build: common.build.clone(),
        no_build: common.no_build,
        output: None,
        includes: Vec::new(),
    };
    let packed = crate::pack_functions(&project, &pack_args, ui)?
        .pop()
        .expect("one function was packed");
    let function = &packed.built.function;
    let mut settings = None;
    for found in crate::deployment::find_templates(&project)? {
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
    if let Some(timeout) = common.timeout {
        settings.timeout_s = timeout;
    }
    if let Some(memory) = common.memory {
        settings.memory_mb = memory;
    }
    for pair in &common.env {
        let (key, value) = pair.split_once('=').ok_or_else(|| {
            Error::config(format!("--env `{pair}` is not KEY=VALUE"))
                .help("write it as --env RUST_LOG=debug")
        })?;
        settings
            .environment
            .insert(key.to_string(), value.to_string());
    }
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
        _code: code,
        settings,
        runtime_id: packed.built.runtime.id,
    })
}

/// Narrows the project to the one function to run.
fn pick_function(project: &mut Project, wanted: Option<&str>) -> Result<()> {
    let names = || project_names(project);
    match wanted {
        Some(name) => {
            let available = names();
            project
                .functions
                .retain(|f| f.name == name || f.bin == name);
            if project.functions.is_empty() {
                return Err(Error::config(format!("no function named `{name}`"))
                    .help(format!("functions here: {available}")));
            }
            project.functions.truncate(1);
        }
        None if project.functions.len() > 1 => {
            return Err(
                Error::config("several functions are selected; local runs one at a time")
                    .help(format!("choose one with --function NAME: {}", names())),
            );
        }
        None => {}
    }
    Ok(())
}

fn project_names(project: &Project) -> String {
    project
        .functions
        .iter()
        .map(|f| f.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn read_event(file: Option<&std::path::Path>, data: Option<&str>) -> Result<Bytes> {
    if let Some(data) = data {
        return Ok(Bytes::copy_from_slice(data.as_bytes()));
    }
    if let Some(path) = file {
        return std::fs::read(path)
            .map(Bytes::from)
            .map_err(|e| Error::io("read the event from", path, e));
    }
    let mut stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Ok(Bytes::new());
    }
    let mut event = Vec::new();
    stdin
        .read_to_end(&mut event)
        .map_err(|e| Error::io("read the event from", std::path::Path::new("stdin"), e))?;
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

fn failure_error(what: &str, failure: CallFailure, settings: &Settings) -> Error {
    match failure {
        CallFailure::TimedOut(after) => Error::new(
            ErrorKind::Function,
            format!("{what} timed out after {:.3} s; the process was killed", after.as_secs_f64()),
        )
        .help(format!(
            "the function's timeout is {} s: raise Timeout (or --timeout) or make the handler finish sooner",
            settings.timeout_s
        )),
        CallFailure::OutOfMemory { used_mb } => Error::new(
            ErrorKind::Function,
            format!("{what} used {used_mb:.1} MB, over the function's {} MB; the process was killed", settings.memory_mb),
        )
        .help("raise MemorySize (or --memory)"),
        CallFailure::Crashed(reason) => Error::new(ErrorKind::Function, format!("{what} crashed: {reason}"))
            .help("its output is above"),
    }
}

async fn invoke_once(prepared: Prepared, event: Bytes, tail: bool, ui: &Ui) -> Result<()> {
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
        .call(
            request,
            Duration::from_secs_f64(settings.timeout_s.max(0.001)),
            settings.memory_mb,
        )
        .await;
    let duration = started.elapsed();
    let answer = match outcome {
        Ok(answer) => answer,
        Err(failure) => {
            instance.kill().await;
            return Err(failure_error("the invocation", failure, settings));
        }
    };
    // The End marker may trail the response by a moment; FC's tail includes it.
    instance
        .log
        .wait_for(started, &format!("FC Invoke End RequestId: {id}"))
        .await;
    let report = summary(duration, settings, instance.max_memory_mb());
    let log_lines = instance.log.since(started);
    instance.stop().await;

    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(&answer.body);
    if stdout.is_terminal() && !answer.body.ends_with(b"\n") {
        let _ = stdout.write_all(b"\n");
    }
    let _ = stdout.flush();
    eprintln!("RequestId: {id}  {report}");
    if tail {
        let mut text = log_lines.join("\n");
        text.push('\n');
        text.push_str(&report);
        text.push('\n');
        let mut start = text
            .len()
            .saturating_sub(crate::platform::protocol::LOG_TAIL_LIMIT);
        while !text.is_char_boundary(start) {
            start += 1;
        }
        let encoded = base64::engine::general_purpose::STANDARD.encode(&text.as_bytes()[start..]);
        eprintln!("x-fc-log-result: {encoded}");
    }
    if answer.failed() {
        let status = answer
            .headers
            .get("x-fc-status")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("none");
        return Err(Error::new(
            ErrorKind::Function,
            format!(
                "the function reported failure (HTTP {}, x-fc-status {status})",
                answer.status
            ),
        ));
    }
    Ok(())
}
