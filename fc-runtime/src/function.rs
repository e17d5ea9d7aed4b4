//! The function being served: its handlers and hooks, and how it is started.

use std::fmt::Display;
use std::future::Future;
use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::{BodyExt, Full};
use hyper::body::Body;
use tokio::net::{TcpListener, TcpSocket};

use crate::context::Context;
use crate::error::Error;
use crate::guard::Timeouts;
use crate::handler::{
    self, EventFn, EventHandler, Hook, HookFn, HttpFn, HttpHandler, IntoHttpResponse,
};
use crate::log::{Sink, stderr_sink};
use crate::server::{self, Dispatcher};

// cargo fc's docs/platform.md: "body ≤ 32 MB synchronous".
const DEFAULT_BODY_LIMIT: usize = 32 * 1024 * 1024;
// cargo fc's docs/platform.md: "PORT: the function's CAPort / customRuntimeConfig.port, default 9000".
const DEFAULT_PORT: u16 = 9000;
// FC's proxy sends a request whole and at once; these only stop a client that does not.
const DEFAULT_HEAD_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_DRAIN_TIMEOUT: Duration = Duration::from_secs(30);

/// A Function Compute function: the handlers and hooks to serve, built step by step.
///
/// ```no_run
/// # async fn handler(event: fc_runtime::Json<serde_json::Value>) -> fc_runtime::Json<serde_json::Value> { event }
/// # async fn init(ctx: fc_runtime::Context) -> Result<(), std::io::Error> { Ok(()) }
/// fn main() -> std::process::ExitCode {
///     fc_runtime::Function::new().event(handler).initializer(init).run()
/// }
/// ```
#[must_use = "a Function does nothing until it is run or served"]
pub struct Function {
    pub(crate) event: Option<EventFn>,
    pub(crate) http: Option<HttpFn>,
    pub(crate) initializer: Option<HookFn>,
    pub(crate) pre_stop: Option<HookFn>,
    pub(crate) pre_freeze: Option<HookFn>,
    pub(crate) body_limit: usize,
    pub(crate) timeouts: Timeouts,
    pub(crate) drain_timeout: Duration,
    pub(crate) sink: Option<Sink>,
}

impl Default for Function {
    fn default() -> Self {
        Function::new()
    }
}

impl Function {
    /// A function with no handlers yet; add them with [`event`](Function::event),
    /// [`http`](Function::http) or [`service`](Function::service), and hooks.
    pub fn new() -> Function {
        Function {
            event: None,
            http: None,
            initializer: None,
            pre_stop: None,
            pre_freeze: None,
            body_limit: DEFAULT_BODY_LIMIT,
            timeouts: Timeouts {
                head: DEFAULT_HEAD_TIMEOUT,
                body: DEFAULT_BODY_TIMEOUT,
            },
            drain_timeout: DEFAULT_DRAIN_TIMEOUT,
            sink: None,
        }
    }

    /// Handles event invocations (`/invoke`). See [`EventHandler`] for the accepted shapes.
    pub fn event<A>(mut self, handler: impl EventHandler<A>) -> Function {
        self.event = Some(handler::erase_event(handler));
        self
    }

    /// Handles HTTP-trigger requests (`/http-invoke`). See [`HttpHandler`].
    pub fn http<A>(mut self, handler: impl HttpHandler<A>) -> Function {
        self.http = Some(handler::erase_http(handler));
        self
    }

    /// Handles HTTP-trigger requests with an existing hyper service, or any tower service
    /// (an axum `Router`, say) wrapped in `hyper_util::service::TowerToHyperService`.
    ///
    /// The service gets the request as an HTTP trigger handler would (path relative to the
    /// base path, no `x-fc-*` headers, the [`Context`](crate::Context) in its extensions), with
    /// the body buffered as `Full<Bytes>`. Its response body is collected before it is sent.
    pub fn service<S, B>(mut self, service: S) -> Function
    where
        S: hyper::service::Service<Request<Full<Bytes>>, Response = Response<B>>
            + Send
            + Sync
            + 'static,
        S::Future: Send + 'static,
        S::Error: Display,
        B: Body + Send + 'static,
        B::Data: Send,
        B::Error: Display,
    {
        let service = Arc::new(service);
        self.http = Some(Arc::new(move |request: Request<Bytes>, _| {
            let service = Arc::clone(&service);
            Box::pin(async move {
                let response = service.call(request.map(Full::new)).await?;
                let (parts, body) = response.into_parts();
                let body = body.collect().await?.to_bytes();
                Response::from_parts(parts, body).into_http_response()
            })
        }));
        self
    }

    /// Runs once per instance before any invocation (`/initialize`). If it fails, FC is told
    /// so (404) and retries with the next `/initialize`; once it succeeds it is not run again.
    pub fn initializer<A>(mut self, hook: impl Hook<A>) -> Function {
        self.initializer = Some(handler::erase_hook(hook));
        self
    }

    /// Runs before FC stops the instance (`/pre-stop`, at most 90 s).
    pub fn pre_stop<A>(mut self, hook: impl Hook<A>) -> Function {
        self.pre_stop = Some(handler::erase_hook(hook));
        self
    }

    /// Runs before FC freezes the instance (`/pre-freeze`, FC 2.0 only).
    pub fn pre_freeze<A>(mut self, hook: impl Hook<A>) -> Function {
        self.pre_freeze = Some(handler::erase_hook(hook));
        self
    }

    /// The largest request body accepted; larger ones get 413. Default: FC's 32 MB.
    pub fn body_limit(mut self, bytes: usize) -> Function {
        self.body_limit = bytes;
        self
    }

    /// How long a request head may take to arrive once its first byte has come; a client that
    /// is slower is answered 408 and the connection closed. An idle connection between
    /// requests is not timed. Default: 10 s.
    pub fn head_timeout(mut self, timeout: Duration) -> Function {
        self.timeouts.head = timeout;
        self
    }

    /// How long a request body may pause; a request whose body stops arriving fails with 400.
    /// Default: 10 s.
    pub fn body_timeout(mut self, timeout: Duration) -> Function {
        self.timeouts.body = timeout;
        self
    }

    /// How long the server waits, once told to stop, for the requests in flight to finish;
    /// connections still open then are closed. Default: 30 s.
    pub fn drain_timeout(mut self, timeout: Duration) -> Function {
        self.drain_timeout = timeout;
        self
    }

    /// Sends every log line (without its newline) to `sink` instead of stdout; for tests.
    pub fn log_sink(mut self, sink: impl Fn(&str) + Send + Sync + 'static) -> Function {
        self.sink = Some(Arc::new(sink));
        self
    }

    /// Runs the event handler on one event as an invocation does, without a server: the event
    /// is read, the handler run, and its result, error or panic becomes the answer. For tests
    /// of a handler through the runtime; the context is [`Context::new`]`("test-invoke")`.
    ///
    /// ```
    /// use fc_runtime::{Function, Json};
    ///
    /// async fn double(Json(n): Json<u32>) -> Json<u32> {
    ///     Json(n * 2)
    /// }
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let function = Function::new().event(double);
    /// assert_eq!(function.invoke("21").await.unwrap(), "42");
    /// let error = function.invoke("x").await.unwrap_err();
    /// assert_eq!(error.error_type(), "InvalidEvent");
    /// # });
    /// ```
    pub fn invoke(
        &self,
        event: impl Into<Bytes>,
    ) -> impl Future<Output = Result<Bytes, Error>> + Send + 'static {
        self.invoke_with(event, Context::new("test-invoke"))
    }

    /// Like [`invoke`](Function::invoke), with a context of the caller's.
    pub fn invoke_with(
        &self,
        event: impl Into<Bytes>,
        context: Context,
    ) -> impl Future<Output = Result<Bytes, Error>> + Send + 'static {
        crate::panic::install_hook();
        let handler = self.event.clone();
        let context = match &self.sink {
            Some(sink) => context.with_sink(Arc::clone(sink)),
            None => context,
        };
        let event = event.into();
        async move {
            let Some(handler) = handler else {
                return Err(server::no_handler("event handler (Function::event)"));
            };
            server::run_catching(handler(event, context.clone()), &context).await
        }
    }

    /// Runs the function the way FC starts it, on a new tokio runtime: multi-threaded, or on
    /// this thread alone when the instance has one CPU (`available_parallelism`, which follows
    /// the cgroup's CPU quota).
    ///
    /// With the `tracing` feature, it first installs `fc_runtime::tracing::init`'s subscriber,
    /// unless the program has one.
    ///
    /// With `FC_CUSTOM_CONTAINER_EVENT` set (custom container, non-web mode), even to the empty
    /// string (then the event is empty), it handles that one event and exits: stdout carries
    /// exactly the result, or on failure the error's JSON `{"errorMessage", …}`, with nothing
    /// added (no newline); the log goes to stderr; the exit status is 0 on success and 1 on
    /// failure. Otherwise it serves
    /// `0.0.0.0:$FC_SERVER_PORT` (else `$FC_CUSTOM_LISTEN_PORT`, else 9000) until SIGTERM or
    /// SIGINT, then finishes the requests in flight.
    pub fn run(self) -> ExitCode {
        // One CPU (FC gives small instances a fraction of one, and the cgroup quota says so)
        // gains nothing from worker threads, and starting them costs a cold start about 0.4 ms
        // (BENCHMARKS.md): such an instance runs everything on this thread.
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mut builder = if cpus == 1 {
            tokio::runtime::Builder::new_current_thread()
        } else {
            let mut builder = tokio::runtime::Builder::new_multi_thread();
            // What tokio would choose, unless `TOKIO_WORKER_THREADS` says otherwise; counted
            // here once, where tokio would read the cgroup's files again.
            if std::env::var_os("TOKIO_WORKER_THREADS").is_none() {
                builder.worker_threads(cpus);
            }
            builder
        };
        let runtime = match builder.enable_all().build() {
            Ok(runtime) => runtime,
            Err(error) => return fail(format_args!("cannot start the tokio runtime: {error}")),
        };
        // One future type for both modes: `block_on` is instantiated once per future type and
        // scheduler, and each instance is several KB of start-up code in the binary.
        let work: Pin<Box<dyn Future<Output = ExitCode>>> =
            // cargo fc's docs/platform.md: custom container, non-web-server mode.
            match std::env::var_os("FC_CUSTOM_CONTAINER_EVENT") {
                Some(event) => {
                    // stdout carries the result alone: everything else is log, on stderr.
                    #[cfg(feature = "tracing")]
                    crate::tracing::install(stderr_sink());
                    Box::pin(self.run_event_once(Bytes::from(event.into_encoded_bytes())))
                }
                None => {
                    #[cfg(feature = "tracing")]
                    crate::tracing::init();
                    // Listening here, before the server task reaches a worker: FC connects as
                    // soon as the port listens, and the kernel queues that connection while
                    // the task starts instead of refusing it.
                    // SIGTERM is handled before anyone can connect, so that a stop signal
                    // never finds the process listening but unable to drain.
                    let started = {
                        let _runtime = runtime.enter();
                        signals().and_then(|shutdown| Ok((listen()?, shutdown)))
                    };
                    let (listener, shutdown) = match started {
                        Ok(started) => started,
                        Err(error) => return fail(error),
                    };
                    // The server is a task: with workers, one of them runs it rather than this
                    // thread, and the connections it accepts are then polled first by that
                    // worker, without waking another thread.
                    Box::pin(async {
                        match tokio::spawn(self.serve_on(listener, shutdown)).await {
                            Ok(()) => ExitCode::SUCCESS,
                            Err(error) => fail(format_args!("the server stopped: {error}")),
                        }
                    })
                }
            };
        runtime.block_on(work)
    }

    /// Serves on `0.0.0.0` at the port FC gives until SIGTERM or SIGINT, inside a tokio runtime
    /// of the caller's.
    pub async fn serve(self) -> Result<(), ServeError> {
        let shutdown = signals()?;
        self.serve_on(listen()?, shutdown).await;
        Ok(())
    }

    /// Serves on `listener` until `shutdown` completes, then stops accepting and waits for the
    /// requests in flight. This is the entry point for tests (bind `127.0.0.1:0`).
    pub async fn serve_on(self, listener: TcpListener, shutdown: impl Future<Output = ()>) {
        server::serve(Arc::new(Dispatcher::new(self)), listener, shutdown).await;
    }

    /// The one-shot event of a custom container in non-web mode. stdout carries the outcome
    /// alone, byte for byte: the result, or the error's JSON; the exit status says which. The
    /// log goes to stderr.
    async fn run_event_once(mut self, event: Bytes) -> ExitCode {
        if self.sink.is_none() {
            self.sink = Some(stderr_sink());
        }
        let dispatcher = Dispatcher::new(self);
        let (output, status) = match dispatcher.invoke_once(event).await {
            Ok(output) => (output, ExitCode::SUCCESS),
            Err(error) => (error.to_json(), ExitCode::FAILURE),
        };
        let mut stdout = std::io::stdout().lock();
        // The caller reads the outcome from stdout; if that is gone there is no one to tell.
        let _ = stdout.write_all(&output);
        let _ = stdout.flush();
        status
    }
}

/// Why the server could not start.
#[derive(Debug)]
pub struct ServeError(String);

impl Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ServeError {}

fn fail(message: impl Display) -> ExitCode {
    eprintln!("fc: {message}");
    ExitCode::FAILURE
}

/// cargo fc's docs/platform.md: read FC_SERVER_PORT, then FC_CUSTOM_LISTEN_PORT, then use 9000.
/// SIGTERM's and SIGINT's handlers, inside a tokio runtime: the future completes on either.
fn signals() -> Result<impl Future<Output = ()> + use<>, ServeError> {
    server::termination().map_err(|error| ServeError(format!("cannot listen for SIGTERM: {error}")))
}

/// Listens on `0.0.0.0` at the port FC gives, inside a tokio runtime; synchronous, so that
/// [`Function::run`] can listen before its server task is scheduled.
fn listen() -> Result<TcpListener, ServeError> {
    let port = listen_port(|name| std::env::var(name).ok())?;
    // cargo fc's docs/platform.md: 127.0.0.1 fails with FunctionNotStarted; it must be 0.0.0.0. An address rather
    // than `("0.0.0.0", port)`: a host name would go through tokio's resolver on its blocking
    // pool, which then takes its place in the binary for nothing. Set up as
    // `TcpListener::bind` does (address reuse, so that a restart finds the port free at once,
    // and its backlog).
    let address = SocketAddr::from((Ipv4Addr::UNSPECIFIED, port));
    let bind = || {
        let socket = TcpSocket::new_v4()?;
        socket.set_reuseaddr(true)?;
        socket.bind(address)?;
        socket.listen(1024)
    };
    bind().map_err(|error| ServeError(format!("cannot listen on 0.0.0.0:{port}: {error}")))
}

fn listen_port(var: impl Fn(&str) -> Option<String>) -> Result<u16, ServeError> {
    for name in ["FC_SERVER_PORT", "FC_CUSTOM_LISTEN_PORT"] {
        let Some(value) = var(name).filter(|value| !value.trim().is_empty()) else {
            continue;
        };
        return value
            .trim()
            .parse()
            .map_err(|_| ServeError(format!("{name}={value:?} is not a port number (1-65535)")));
    }
    Ok(DEFAULT_PORT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Error, Json};
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn vars(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    }

    #[test]
    fn port_comes_from_fc_server_port_then_custom_listen_port() {
        assert_eq!(listen_port(vars(&[])).unwrap(), 9000);
        assert_eq!(
            listen_port(vars(&[("FC_CUSTOM_LISTEN_PORT", "8080")])).unwrap(),
            8080
        );
        assert_eq!(
            listen_port(vars(&[
                ("FC_SERVER_PORT", "7000"),
                ("FC_CUSTOM_LISTEN_PORT", "8080")
            ]))
            .unwrap(),
            7000
        );
        assert_eq!(
            listen_port(vars(&[
                ("FC_SERVER_PORT", ""),
                ("FC_CUSTOM_LISTEN_PORT", "8080")
            ]))
            .unwrap(),
            8080
        );
        let error = listen_port(vars(&[("FC_SERVER_PORT", "http")])).unwrap_err();
        assert_eq!(
            error.to_string(),
            "FC_SERVER_PORT=\"http\" is not a port number (1-65535)"
        );
        assert!(listen_port(vars(&[("FC_SERVER_PORT", "70000")])).is_err());
    }

    #[test]
    fn one_shot_event_runs_initializer_then_handler() {
        let calls = Arc::new(AtomicUsize::new(0));
        let init_calls = Arc::clone(&calls);
        let lines = Arc::new(Mutex::new(Vec::<String>::new()));
        let sink_lines = Arc::clone(&lines);
        let function = Function::new()
            .event(|Json(n): Json<u32>| async move { Json(n * 2) })
            .initializer(move || {
                let calls = Arc::clone(&init_calls);
                async move {
                    calls.fetch_add(1, Ordering::SeqCst);
                }
            })
            .log_sink(move |line| sink_lines.lock().unwrap().push(line.to_owned()));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let dispatcher = Dispatcher::new(function);
        let output = runtime
            .block_on(dispatcher.invoke_once(Bytes::from_static(b"21")))
            .unwrap();
        assert_eq!(output, "42");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        let error = runtime
            .block_on(dispatcher.invoke_once(Bytes::from_static(b"x")))
            .unwrap_err();
        assert_eq!(error.error_type(), "InvalidEvent");
        let lines = lines.lock().unwrap();
        assert!(
            lines
                .iter()
                .any(|line| line.starts_with("FC Invoke Start RequestId: ")),
            "{lines:?}"
        );
    }

    #[test]
    fn one_shot_event_without_event_handler_fails() {
        let function = Function::new()
            .http(|_: Request<Bytes>| async { "x" })
            .log_sink(|_| {});
        let dispatcher = Dispatcher::new(function);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let error = runtime
            .block_on(dispatcher.invoke_once(Bytes::new()))
            .unwrap_err();
        assert_eq!(error.error_type(), "NoHandler");
    }

    #[test]
    fn errors_are_reported_as_fc_json() {
        let error: Error = Error::new("X", "y");
        assert_eq!(
            error.to_json(),
            r#"{"errorMessage":"y","errorType":"X","stackTrace":[]}"#
        );
    }
}
