//! `cargo fc local start`: an HTTP trigger on localhost. Every request goes to the running
//! bootstrap as FC forwards an HTTP trigger's: the client's method, path, query, headers and body,
//! with `x-fc-control-path: /http-invoke` and FC's headers. The bootstrap is restarted if it dies.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::json;
use tokio::sync::Mutex;

use super::LocalError;
use super::instance::{self, Instance};
use super::{Prepared, fc_request};
use crate::error::Result;
use crate::platform::protocol;
use crate::ui::Ui;

struct State {
    prepared: Prepared,
    instance: Mutex<Option<Instance>>,
    ui: Ui,
}

impl State {
    /// The running instance's address, restarting the bootstrap first if it has died.
    async fn address(&self) -> Result<SocketAddr> {
        let mut current = self.instance.lock().await;
        if let Some(instance) = current.as_mut()
            && instance.is_running().await
        {
            return Ok(instance.address);
        }
        if current.is_some() {
            self.ui.warn("the bootstrap exited; starting it again");
        }
        let started = self.prepared.start_instance(&self.ui).await?;
        let address = started.address;
        *current = Some(started);
        Ok(address)
    }

    /// Kills the running instance, as FC does after a timeout or when it runs out of memory;
    /// the supervisor starts a new one.
    async fn kill(&self, why: &str) {
        if let Some(instance) = self.instance.lock().await.take() {
            self.ui
                .warn(format!("{why}; the bootstrap was killed and starts again"));
            instance.kill().await;
        }
    }

    /// The running instance's resident memory, when it is over the function's memory size.
    async fn over_memory(&self) -> Option<f64> {
        let current = self.instance.lock().await;
        let used = current.as_ref()?.memory_mb()?;
        (used > self.prepared.settings.memory_mb as f64).then_some(used)
    }
}

/// Serves the function's HTTP trigger on 127.0.0.1:`port` until Ctrl-C.
pub async fn serve(prepared: Prepared, port: u16, ui: &Ui) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|e| LocalError::CannotListen {
            port,
            why: crate::error::describe_io(&e),
        })?;
    let state = Arc::new(State {
        prepared,
        instance: Mutex::new(None),
        ui: ui.clone(),
    });
    state.address().await?;
    let local = listener.local_addr().map(|a| a.port()).unwrap_or(port);
    ui.status(
        "Listening",
        format!(
            "on http://127.0.0.1:{local}/ as the HTTP trigger of {} (Ctrl-C stops)",
            state.prepared.settings.function_name
        ),
    );
    let supervisor = {
        let state = state.clone();
        tokio::spawn(async move {
            // Memory is watched as often as `local invoke` watches it; a dead bootstrap is
            // restarted on the slower beat.
            let mut tick = tokio::time::interval(Duration::from_millis(10));
            let mut ticks: u64 = 0;
            loop {
                tick.tick().await;
                ticks += 1;
                if let Some(used) = state.over_memory().await {
                    let limit = state.prepared.settings.memory_mb;
                    state
                        .kill(&format!(
                            "the function used {used:.1} MB, over its {limit} MB"
                        ))
                        .await;
                }
                if ticks.is_multiple_of(20)
                    && let Err(error) = state.address().await
                {
                    state.ui.error(&error);
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        })
    };
    // Ctrl-C, or a supervisor's SIGTERM, stops the bootstrap with the emulator.
    let _deferred = crate::interrupt::Guard::new();
    let interrupted = crate::interrupt::wait();
    tokio::pin!(interrupted);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let state = state.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| {
                        let state = state.clone();
                        async move { Ok::<_, Infallible>(forward(&state, request).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
            () = &mut interrupted => {
                crate::interrupt::handled();
                break;
            }
        }
    }
    supervisor.abort();
    if let Some(instance) = state.instance.lock().await.take() {
        instance.stop().await;
    }
    ui.status("Stopped", "the HTTP trigger and the bootstrap");
    Ok(())
}

fn json_error(status: StatusCode, kind: &str, message: &str, id: &str) -> Response<Full<Bytes>> {
    let body = json!({"errorMessage": message, "errorType": kind, "stackTrace": []}).to_string();
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("x-fc-request-id", id)
        .body(Full::new(Bytes::from(body)))
        .expect("the response's parts are valid")
}

async fn forward(state: &State, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let id = instance::request_id();
    let started = Instant::now();
    let method = request.method().clone();
    let target = request
        .uri()
        .path_and_query()
        .map_or("/".to_string(), |p| p.as_str().to_string());
    let response = exchange(state, request, &id).await;
    state.ui.status(
        "Request",
        format!(
            "{id} {method} {target} → {} ({:.1} ms)",
            response.status().as_u16(),
            started.elapsed().as_secs_f64() * 1000.0
        ),
    );
    response
}

async fn exchange(state: &State, request: Request<Incoming>, id: &str) -> Response<Full<Bytes>> {
    let settings = &state.prepared.settings;
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, protocol::SYNC_BODY_LIMIT)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            return json_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "RequestTooLarge",
                "the request body is over FC's 32 MB limit",
                id,
            );
        }
    };
    let target = parts
        .uri
        .path_and_query()
        .map_or("/".to_string(), |p| p.as_str().to_string());
    let mut forwarded = fc_request(
        settings,
        id,
        "/http-invoke",
        parts.method.as_str(),
        &target,
        body,
    );
    // docs/platform.md#the-http-protocol: clients may not send x-fc-* headers; FC's own replace
    // them. The Host header is the client's, as FC passes it on.
    for (name, value) in &parts.headers {
        let name_text = name.as_str();
        if name_text.starts_with("x-fc-") {
            continue;
        }
        if name == hyper::header::HOST {
            forwarded.headers_mut().insert(name.clone(), value.clone());
            continue;
        }
        forwarded.headers_mut().append(name.clone(), value.clone());
    }
    let address = match state.address().await {
        Ok(address) => address,
        Err(error) => {
            return json_error(
                StatusCode::BAD_GATEWAY,
                "FunctionNotStarted",
                &error.to_string(),
                id,
            );
        }
    };
    let timeout = settings.timeout();
    let answer = match tokio::time::timeout(timeout, instance::send(address, forwarded)).await {
        Ok(Ok(answer)) => answer,
        Ok(Err(reason)) => {
            return json_error(StatusCode::BAD_GATEWAY, "FunctionCrashed", &reason, id);
        }
        Err(_) => {
            let message = format!("Function timed out after {} seconds", settings.timeout_s);
            // The request would run on inside the process: FC ends the instance.
            state.kill(&format!("request {id} timed out")).await;
            return json_error(StatusCode::GATEWAY_TIMEOUT, "FunctionTimeout", &message, id);
        }
    };
    let mut response = Response::builder().status(answer.status);
    for (name, value) in &answer.headers {
        if name.as_str().starts_with("x-fc-") {
            continue;
        }
        response = response.header(name, value);
    }
    response
        .header("x-fc-request-id", id)
        .body(Full::new(answer.body))
        .unwrap_or_else(|_| {
            json_error(
                StatusCode::BAD_GATEWAY,
                "InvalidResponse",
                "the function's response headers are invalid",
                id,
            )
        })
}
