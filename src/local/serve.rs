//! `cargo fc local start`: every function of the project on one port of 127.0.0.1 — HTTP
//! triggers at their routes (src/local/router.rs), every function through FC 3.0's
//! InvokeFunction (src/local/api.rs) — each function's instances started on first use
//! (src/local/pool.rs). Watch mode swaps what is served through a [`Control`] channel without
//! failing a request in flight.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::json;
use tokio::sync::{mpsc, watch};

use super::pool::{Lease, MEMORY_WATCH, Pool};
use super::router::{Route, Router, Served, Target};
use super::{LocalError, Prepared, api, instance, trigger};
use crate::error::Result;
use crate::ui::Ui;

/// What watch mode tells a running `local start`.
pub enum Control {
    /// A rebuild started: requests arriving now wait (bounded, up to [`REBUILD_WAIT`]) instead
    /// of starting an instance of the old code.
    Rebuilding,
    /// New code or new settings are ready: serve these from now on; instances of the old code
    /// finish their requests in flight, then stop.
    Replace(Vec<Prepared>),
    /// The rebuild failed: keep serving the previous version; release the waiting requests to it.
    Resume,
}

/// How long a request waits for a rebuild before the previous version answers it.
pub const REBUILD_WAIT: Duration = Duration::from_secs(60);

/// How `local start` serves.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The port on 127.0.0.1 (0: any free one, printed).
    pub port: u16,
    /// At most this many instances of each function run at once (`--concurrency`).
    pub concurrency: usize,
    /// `--route PATH=FUNCTION`: custom-domain-style routes over the template's.
    pub routes: Vec<Route>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            port: 8000,
            concurrency: 1,
            routes: Vec::new(),
        }
    }
}

/// One version of what is served: the functions' pools and the routes to them.
pub(super) struct Generation {
    pub pools: Vec<Arc<Pool>>,
    pub router: Router,
    memory_watch: tokio::task::JoinHandle<()>,
}

impl Generation {
    fn new(functions: Vec<Prepared>, options: &ServeOptions, ui: &Ui) -> Result<Generation> {
        let only = functions.len() == 1;
        let served: Vec<Served> = functions
            .iter()
            .map(|p| Served {
                name: &p.settings.function_name,
                service: &p.settings.service_name,
                http: only || p.settings.http.is_some(),
                routes: p.settings.routes.iter().map(|r| r.path.as_str()).collect(),
            })
            .collect();
        let router = Router::new(&served, &options.routes).map_err(|route| {
            LocalError::UnknownRouteFunction {
                route: format!("{}={}", route.path, route.function),
                available: functions
                    .iter()
                    .map(|p| p.settings.function_name.clone())
                    .collect(),
            }
        })?;
        let pools: Vec<Arc<Pool>> = functions
            .into_iter()
            .map(|prepared| Pool::new(prepared, options.concurrency, ui))
            .collect();
        let memory_watch = {
            let pools = pools.clone();
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(MEMORY_WATCH);
                loop {
                    tick.tick().await;
                    for pool in &pools {
                        pool.enforce_memory().await;
                    }
                }
            })
        };
        Ok(Generation {
            pools,
            router,
            memory_watch,
        })
    }

    pub fn pool(&self, name: &str) -> Option<&Arc<Pool>> {
        self.pools.iter().find(|p| p.name() == name)
    }

    /// Lets the requests in flight finish, then stops every instance.
    async fn retire(&self) {
        futures_join_all(self.pools.iter().map(|p| p.retire())).await;
        self.memory_watch.abort();
    }

    async fn stop(&self) {
        self.memory_watch.abort();
        futures_join_all(self.pools.iter().map(|p| p.stop())).await;
    }

    fn describe(&self, port: u16, ui: &Ui) {
        let base = format!("http://127.0.0.1:{port}");
        for pool in &self.pools {
            let settings = &pool.prepared.settings;
            let name = &settings.function_name;
            let mut ways = vec![format!(
                "POST {base}{}functions/{name}/invocations",
                super::router::API_PREFIX
            )];
            let index = self.pools.iter().position(|p| Arc::ptr_eq(p, pool));
            if self.router.root().is_some() && self.router.root() == index {
                ways.push(format!("{base}/"));
            }
            let http = settings.http.is_some() || self.pools.len() == 1;
            if http {
                ways.push(format!("http://{name}.localhost:{port}/"));
                ways.push(format!(
                    "{base}{}/{}/{name}/",
                    crate::platform::protocol::FC2_PROXY_PREFIX,
                    if settings.service_name.is_empty() {
                        "<service>"
                    } else {
                        &settings.service_name
                    }
                ));
            }
            for (path, i) in self.router.routes() {
                if Some(i) == index {
                    ways.push(format!("{base}{path}"));
                }
            }
            ui.status("Serving", format!("{name}: {}", ways.join(", ")));
        }
    }
}

impl Drop for Generation {
    fn drop(&mut self) {
        // The watch holds the pools (and so their instances) until it is stopped.
        self.memory_watch.abort();
    }
}

/// `join_all` without the futures crate: the futures run one after the other, which for
/// stopping instances (each waits for its own process) is what a user sees anyway.
async fn futures_join_all<F: std::future::Future<Output = ()>>(futures: impl Iterator<Item = F>) {
    for future in futures {
        future.await;
    }
}

/// What requests are answered from now: a version, or a version standing by while a rebuild
/// runs.
#[derive(Clone)]
enum Phase {
    Serving(Arc<Generation>),
    Rebuilding(Arc<Generation>),
}

pub(super) struct Server {
    phase: watch::Sender<Phase>,
    pub ui: Ui,
}

impl Server {
    /// The version a request arriving now is for: during a rebuild it waits for the new one,
    /// for at most [`REBUILD_WAIT`], then takes the previous.
    async fn generation(&self) -> Arc<Generation> {
        let mut phase = self.phase.subscribe();
        let deadline = tokio::time::sleep(REBUILD_WAIT);
        tokio::pin!(deadline);
        loop {
            let previous = match &*phase.borrow_and_update() {
                Phase::Serving(generation) => return generation.clone(),
                Phase::Rebuilding(previous) => previous.clone(),
            };
            tokio::select! {
                changed = phase.changed() => if changed.is_err() { return previous },
                () = &mut deadline => return previous,
            }
        }
    }

    /// A lease on an instance of `name`'s function in the version serving now.
    pub async fn lease(&self, pick: impl Fn(&Generation) -> Option<Arc<Pool>>) -> Option<Lease> {
        loop {
            let generation = self.generation().await;
            let pool = pick(&generation)?;
            // A pool retired between the two steps is of the old version: ask the new one.
            if let Ok(lease) = pool.lease().await {
                return Some(lease);
            }
        }
    }

    pub async fn current(&self) -> Arc<Generation> {
        self.generation().await
    }
}

/// Serves `functions` on 127.0.0.1 until Ctrl-C; `control` (None when not watching) swaps what
/// is served.
pub async fn serve(
    functions: Vec<Prepared>,
    options: ServeOptions,
    ui: &Ui,
    mut control: Option<mpsc::Receiver<Control>>,
) -> Result<()> {
    let first = Arc::new(Generation::new(functions, &options, ui)?);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", options.port))
        .await
        .map_err(|e| LocalError::CannotListen {
            port: options.port,
            why: crate::error::describe_io(&e),
        })?;
    let port = listener
        .local_addr()
        .map(|a| a.port())
        .unwrap_or(options.port);
    first.describe(port, ui);
    ui.status(
        "Listening",
        format!(
            "on http://127.0.0.1:{port}/ ({} function{}, up to {} instance{} each; Ctrl-C stops)",
            first.pools.len(),
            if first.pools.len() == 1 { "" } else { "s" },
            options.concurrency,
            if options.concurrency == 1 { "" } else { "s" },
        ),
    );
    let server = Arc::new(Server {
        phase: watch::channel(Phase::Serving(first)).0,
        ui: ui.clone(),
    });
    let mut retiring = tokio::task::JoinSet::new();
    // Ctrl-C, or a supervisor's SIGTERM, stops the bootstraps with the emulator.
    let _deferred = crate::interrupt::Guard::new();
    let interrupted = crate::interrupt::wait();
    tokio::pin!(interrupted);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let server = server.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| {
                        let server = server.clone();
                        async move { Ok::<_, Infallible>(handle(&server, request).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
            message = next(&mut control) => match message {
                Some(message) => apply(&server, message, &options, port, &mut retiring),
                // Watch mode ended: serve what there is.
                None => control = None,
            },
            Some(_) = retiring.join_next(), if !retiring.is_empty() => {}
            () = &mut interrupted => {
                crate::interrupt::handled();
                break;
            }
        }
    }
    retiring.abort_all();
    let (Phase::Serving(last) | Phase::Rebuilding(last)) = server.phase.borrow().clone();
    last.stop().await;
    // A version still retiring when Ctrl-C came: its requests are cut short, its instances go.
    while retiring.join_next().await.is_some() {}
    ui.status("Stopped", "the server and every bootstrap");
    Ok(())
}

async fn next(control: &mut Option<mpsc::Receiver<Control>>) -> Option<Control> {
    match control {
        Some(receiver) => receiver.recv().await,
        None => std::future::pending().await,
    }
}

fn apply(
    server: &Arc<Server>,
    message: Control,
    options: &ServeOptions,
    port: u16,
    retiring: &mut tokio::task::JoinSet<()>,
) {
    let current = match &*server.phase.borrow() {
        Phase::Serving(generation) | Phase::Rebuilding(generation) => generation.clone(),
    };
    match message {
        Control::Rebuilding => {
            server.phase.send_replace(Phase::Rebuilding(current));
        }
        Control::Resume => {
            server.phase.send_replace(Phase::Serving(current));
        }
        Control::Replace(functions) => match Generation::new(functions, options, &server.ui) {
            Ok(next) => {
                let next = Arc::new(next);
                next.describe(port, &server.ui);
                server.phase.send_replace(Phase::Serving(next));
                retiring.spawn(async move {
                    current.retire().await;
                    // Stopped even when the retiring task is aborted at Ctrl-C.
                    drop(current);
                });
            }
            Err(error) => {
                // The new settings cannot be served: the previous version goes on.
                server.ui.error(&error);
                server.phase.send_replace(Phase::Serving(current));
            }
        },
    }
}

/// One request: routed, answered, and logged with its request id, status and duration.
async fn handle(server: &Server, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let id = instance::request_id();
    let started = Instant::now();
    let method = request.method().clone();
    let target = request
        .uri()
        .path_and_query()
        .map_or("/".to_string(), |p| p.as_str().to_string());
    let generation = server.current().await;
    let path = request.uri().path().to_string();
    let host = request
        .headers()
        .get(hyper::header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string);
    let response = match generation.router.target(&path, host.as_deref()) {
        Target::Invoke { function } => {
            let function = function.to_string();
            drop(generation);
            api::invoke(server, &function, request, &id).await
        }
        Target::OtherApi => api::error(
            StatusCode::NOT_FOUND,
            "NotImplemented",
            "cargo fc local start serves only InvokeFunction of FC 3.0's API",
            &id,
        ),
        Target::Http { index, base_path } => {
            let name = generation.pools[index].name().to_string();
            drop(generation);
            trigger::forward(server, &name, &base_path, request, &id).await
        }
        Target::NoTrigger { function } => json_error(
            StatusCode::NOT_FOUND,
            "FunctionNotFound",
            &format!(
                "no function `{function}` with an HTTP trigger is served here; invoke any function with POST /2023-03-30/functions/{function}/invocations"
            ),
            &id,
        ),
        Target::NotFound => json_error(
            StatusCode::NOT_FOUND,
            "RouteNotFound",
            &format!(
                "no route takes {path}: several functions are served over HTTP, each at http://<function>.localhost:PORT/, at /2016-08-15/proxy/<service>/<function>/, at the template's custom-domain routes, or at a --route PATH=FUNCTION"
            ),
            &id,
        ),
    };
    server.ui.status(
        "Request",
        format!(
            "{id} {method} {target} → {} ({:.1} ms)",
            response.status().as_u16(),
            started.elapsed().as_secs_f64() * 1000.0
        ),
    );
    response
}

/// A request's body, when it is at most `limit` bytes.
pub(super) async fn body(body: Incoming, limit: usize) -> Option<Bytes> {
    use http_body_util::BodyExt;
    let collected = http_body_util::Limited::new(body, limit).collect().await;
    collected.ok().map(|c| c.to_bytes())
}

/// The error a built-in runtime or FC's HTTP front answers with.
pub(super) fn json_error(
    status: StatusCode,
    kind: &str,
    message: &str,
    id: &str,
) -> Response<Full<Bytes>> {
    let body = json!({"errorMessage": message, "errorType": kind, "stackTrace": []}).to_string();
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("x-fc-request-id", id)
        .body(Full::new(Bytes::from(body)))
        .expect("the response's parts are valid")
}
