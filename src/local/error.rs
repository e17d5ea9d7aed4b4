//! What can go wrong running a function the way FC runs it.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use crate::error::{Exit, Failure, failure_any};

#[derive(Debug)]
pub enum LocalError {
    /// A setting from the template or a flag that FC would not take, or that cannot be used.
    BadSetting {
        what: &'static str,
        value: String,
        problem: &'static str,
        /// The template it came from; `None` for a flag.
        source: Option<PathBuf>,
    },
    /// The bootstrap could not be started.
    CannotStart { bootstrap: PathBuf, why: String },
    /// The bootstrap exited before it listened.
    ExitedBeforeListening { status: String, port: u16 },
    /// The bootstrap did not listen in time.
    NotListening { port: u16 },
    /// The initializer answered with a failure.
    InitializerFailed { status: u16, body: String },
    /// A call ran out of time; the process was killed.
    TimedOut {
        what: &'static str,
        after: Duration,
        timeout_s: f64,
    },
    /// A call went over the memory size; the process was killed.
    OutOfMemory {
        what: &'static str,
        used_mb: f64,
        memory_mb: u64,
    },
    /// The process died or the connection broke during a call.
    Crashed { what: &'static str, reason: String },
    /// The function answered with a failure.
    FunctionFailed { status: u16, x_fc_status: String },
    /// A `--route` names a function that is not served.
    UnknownRouteFunction {
        route: String,
        available: Vec<String>,
    },
    /// A `--route` is not `PATH=FUNCTION`.
    BadRoute { route: String },
    /// `local start` cannot listen on its port.
    CannotListen { port: u16, why: String },
    /// The package holds an entry outside its root.
    UnsafeEntry { zip: PathBuf },
    /// The async runtime could not start.
    Runtime { why: String },
    /// The Docker engine failed a request about a function's container.
    Engine { action: String, message: String },
    /// The container has no address the emulator can reach.
    NoAddress { container: String },
    /// A non-web container's event is not text, which an environment variable must be.
    EventNotText,
    /// A non-web container exited with a status other than 0.
    ExitStatus { code: i64 },
}

impl fmt::Display for LocalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LocalError::BadSetting {
                what,
                value,
                problem,
                source,
            } => {
                write!(f, "{what} `{value}` {problem}")?;
                match source {
                    Some(source) => write!(f, " (from {})", source.display()),
                    None => Ok(()),
                }
            }
            LocalError::CannotStart { bootstrap, why } => {
                write!(f, "could not start {}: {why}", bootstrap.display())
            }
            LocalError::ExitedBeforeListening { status, port } => write!(
                f,
                "bootstrap exited ({status}) before it listened on port {port}"
            ),
            LocalError::NotListening { port } => write!(
                f,
                "bootstrap did not listen on port {port} within {} s",
                crate::platform::protocol::START_DEADLINE.as_secs()
            ),
            LocalError::InitializerFailed { status, body } => {
                write!(f, "the initializer failed (HTTP {status}): {body}")
            }
            LocalError::TimedOut { what, after, .. } => write!(
                f,
                "{what} timed out after {:.3} s; the process was killed",
                after.as_secs_f64()
            ),
            LocalError::OutOfMemory {
                what,
                used_mb,
                memory_mb,
            } => write!(
                f,
                "{what} used {used_mb:.1} MB, over the function's {memory_mb} MB; the process was killed"
            ),
            LocalError::Crashed { what, reason } => write!(f, "{what} crashed: {reason}"),
            LocalError::FunctionFailed {
                status,
                x_fc_status,
            } => write!(
                f,
                "the function reported failure (HTTP {status}, x-fc-status {x_fc_status})"
            ),
            LocalError::CannotListen { port, why } => {
                write!(f, "could not listen on 127.0.0.1:{port}: {why}")
            }
            LocalError::UnknownRouteFunction { route, available } => write!(
                f,
                "--route {route} names a function that is not served (served: {})",
                available.join(", ")
            ),
            LocalError::BadRoute { route } => {
                write!(
                    f,
                    "--route `{route}` is not PATH=FUNCTION with PATH starting with /"
                )
            }
            LocalError::UnsafeEntry { zip } => write!(
                f,
                "{} has an entry that escapes the archive root",
                zip.display()
            ),
            LocalError::Runtime { why } => write!(f, "could not start the async runtime: {why}"),
            LocalError::Engine { action, message } => {
                write!(f, "Docker engine error while {action}: {message}")
            }
            LocalError::NoAddress { container } => write!(
                f,
                "the container {container} has no address on the engine's network"
            ),
            LocalError::EventNotText => {
                f.write_str("the event is not UTF-8 text, which an environment variable must be")
            }
            LocalError::ExitStatus { code } => {
                write!(f, "the function exited with status {code}")
            }
        }
    }
}

impl Failure for LocalError {
    fn exit(&self) -> Exit {
        match self {
            LocalError::BadSetting { .. }
            | LocalError::CannotListen { .. }
            | LocalError::UnknownRouteFunction { .. }
            | LocalError::BadRoute { .. } => Exit::Usage,
            LocalError::UnsafeEntry { .. } => Exit::Pack,
            LocalError::Runtime { .. } => Exit::Io,
            LocalError::Engine { .. } | LocalError::NoAddress { .. } => Exit::Tool,
            LocalError::EventNotText => Exit::Usage,
            _ => Exit::Function,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            LocalError::BadSetting { .. } => "local.bad-setting",
            LocalError::CannotStart { .. } => "local.cannot-start",
            LocalError::ExitedBeforeListening { .. } => "local.exited-before-listening",
            LocalError::NotListening { .. } => "local.not-listening",
            LocalError::InitializerFailed { .. } => "local.initializer-failed",
            LocalError::TimedOut { .. } => "local.timed-out",
            LocalError::OutOfMemory { .. } => "local.out-of-memory",
            LocalError::Crashed { .. } => "local.crashed",
            LocalError::FunctionFailed { .. } => "local.function-failed",
            LocalError::CannotListen { .. } => "local.cannot-listen",
            LocalError::UnknownRouteFunction { .. } => "local.unknown-route-function",
            LocalError::BadRoute { .. } => "local.bad-route",
            LocalError::UnsafeEntry { .. } => "local.unsafe-entry",
            LocalError::Runtime { .. } => "local.runtime",
            LocalError::Engine { .. } => "local.engine",
            LocalError::NoAddress { .. } => "local.no-address",
            LocalError::EventNotText => "local.event-not-text",
            LocalError::ExitStatus { .. } => "local.exit-status",
        }
    }

    fn help(&self) -> Option<String> {
        Some(match self {
            LocalError::BadSetting { .. } => {
                "timeouts are seconds from 1 to 86400, and header values FC sends must be printable text".into()
            }
            LocalError::CannotStart { .. } => {
                "the package's bootstrap must be an executable for this machine".into()
            }
            LocalError::ExitedBeforeListening { .. } => {
                "its output is above; a custom runtime must serve HTTP on 0.0.0.0:$FC_SERVER_PORT"
                    .into()
            }
            LocalError::NotListening { .. } => "listen on 0.0.0.0 at FC_SERVER_PORT (or the template's CAPort / customRuntimeConfig.port)".into(),
            LocalError::InitializerFailed { .. } => {
                "FC retries the initializer before the next request; its log is above".into()
            }
            LocalError::TimedOut { timeout_s, .. } => format!(
                "the function's timeout is {timeout_s} s: raise Timeout (or --timeout) or make the handler finish sooner"
            ),
            LocalError::OutOfMemory { .. } => "raise MemorySize (or --memory)".into(),
            LocalError::Crashed { .. } => "its output is above".into(),
            LocalError::CannotListen { .. } => "choose another port with --port".into(),
            LocalError::UnknownRouteFunction { .. } => {
                "name one of the served functions (without --function, every function of the project is served)".into()
            }
            LocalError::BadRoute { .. } => {
                "for example --route '/api/*=web' (everything under /api) or --route /health=web".into()
            }
            LocalError::Engine { .. } => {
                "check that the engine runs (`cargo fc doctor`) and that the image is there".into()
            }
            LocalError::NoAddress { .. } => "run it where the engine's default bridge network is reachable (a Linux host with a local engine)".into(),
            LocalError::EventNotText => "FC hands a non-web container its event in FC_CUSTOM_CONTAINER_EVENT: send text (JSON)".into(),
            LocalError::ExitStatus { .. } => {
                "its output is above; a non-web container reports failure with a non-zero exit status".into()
            }
            LocalError::FunctionFailed { .. }
            | LocalError::UnsafeEntry { .. }
            | LocalError::Runtime { .. } => return None,
        })
    }

    fn details(&self) -> serde_json::Value {
        match self {
            LocalError::FunctionFailed {
                status,
                x_fc_status,
            } => serde_json::json!({ "status": status, "x_fc_status": x_fc_status }),
            LocalError::TimedOut { after, .. } => {
                serde_json::json!({ "after_s": after.as_secs_f64() })
            }
            LocalError::OutOfMemory {
                used_mb, memory_mb, ..
            } => serde_json::json!({ "used_mb": used_mb, "memory_mb": memory_mb }),
            LocalError::ExitStatus { code } => serde_json::json!({ "code": code }),
            _ => serde_json::Value::Null,
        }
    }

    failure_any!();
}
