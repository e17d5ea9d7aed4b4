//! Drives the runtime over real HTTP, with the headers Function Compute sends.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use fc_runtime::{Context, Function, Json};
use http::{HeaderMap, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Barrier, oneshot};
use tokio::task::JoinHandle;

const BASE_PATH: &str = "/2016-08-15/proxy/svc/hello/";

/// A server running in this process, its log lines captured.
struct Server {
    addr: SocketAddr,
    lines: Arc<Mutex<Vec<String>>>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl Server {
    async fn start(function: Function) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink_lines = Arc::clone(&lines);
        let function = function.log_sink(move |line| sink_lines.lock().unwrap().push(line.into()));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(function.serve_on(listener, async {
            let _ = stopped.await;
        }));
        Server {
            addr,
            lines,
            stop: Some(stop),
            task,
        }
    }

    fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    /// Log lines of one request written through its logger, without the time prefix.
    fn logged(&self, request_id: &str) -> Vec<String> {
        let prefix = format!("{request_id} [");
        self.lines()
            .iter()
            .filter_map(|line| line.split_once(": ").map(|(_, rest)| rest.to_owned()))
            .filter(|rest| rest.starts_with(&prefix))
            .collect()
    }

    async fn send(&self, request: Request<Full<Bytes>>) -> Reply {
        send(self.addr, request).await
    }

    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        tokio::time::timeout(Duration::from_secs(10), self.task)
            .await
            .expect("the server did not stop")
            .unwrap();
    }
}

#[derive(Debug)]
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|error| panic!("body {:?} is not JSON: {error}", self.body))
    }

    fn fc_status(&self) -> Option<&str> {
        self.headers
            .get("x-fc-status")
            .map(|value| value.to_str().unwrap())
    }

    /// `x-fc-*` response headers other than `x-fc-status`, which FC forbids.
    fn other_fc_headers(&self) -> Vec<String> {
        self.headers
            .keys()
            .map(|name| name.as_str().to_owned())
            .filter(|name| name.starts_with("x-fc-") && name != "x-fc-status")
            .collect()
    }
}

async fn send(addr: SocketAddr, request: Request<Full<Bytes>>) -> Reply {
    let stream = TcpStream::connect(addr).await.unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(connection);
    let response: Response<_> =
        tokio::time::timeout(Duration::from_secs(10), sender.send_request(request))
            .await
            .expect("no answer within 10 s")
            .unwrap();
    let (parts, body) = response.into_parts();
    Reply {
        status: parts.status,
        headers: parts.headers,
        body: body.collect().await.unwrap().to_bytes(),
    }
}

/// A request as FC sends it, with every header it documents.
fn fc_request(
    method: Method,
    uri: &str,
    control_path: &str,
    request_id: &str,
) -> http::request::Builder {
    Request::builder()
        .method(method)
        .uri(uri)
        .header("x-fc-request-id", request_id)
        .header("x-fc-access-key-id", "STS.key-id")
        .header("x-fc-access-key-secret", "key-secret")
        .header("x-fc-security-token", "token")
        .header("x-fc-function-name", "hello")
        .header("x-fc-function-handler", "index.handler")
        .header("x-fc-function-memory", "512")
        .header("x-fc-function-timeout", "60")
        .header("x-fc-function-initializer", "index.initializer")
        .header("x-fc-initialization-timeout", "3")
        .header("x-fc-instance-lifecycle-pre-stop-handler", "index.prestop")
        .header("x-fc-instance-lifecycle-pre-freeze-handler", "")
        .header("x-fc-service-name", "svc")
        .header("x-fc-service-logproject", "log-project")
        .header("x-fc-service-logstore", "log-store")
        .header("x-fc-region", "cn-hangzhou")
        .header("x-fc-account-id", "1234567890")
        .header("x-fc-qualifier", "LATEST")
        .header("x-fc-version-id", "")
        .header("x-fc-retry-count", "0")
        .header("x-fc-control-path", control_path)
}

fn invoke(request_id: &str, event: &str) -> Request<Full<Bytes>> {
    fc_request(Method::POST, "/invoke", "/invoke", request_id)
        .header("content-type", "application/octet-stream")
        .body(Full::new(Bytes::copy_from_slice(event.as_bytes())))
        .unwrap()
}

fn control(method: Method, path: &str, request_id: &str) -> Request<Full<Bytes>> {
    fc_request(method, path, path, request_id)
        .body(Full::new(Bytes::new()))
        .unwrap()
}

#[derive(Deserialize)]
struct Greet {
    name: String,
}

#[derive(Serialize)]
struct Greeting {
    message: String,
    function: String,
    memory: Option<u32>,
    region: String,
    has_deadline: bool,
}

async fn greet(
    Json(event): Json<Greet>,
    ctx: Context,
) -> Result<Json<Greeting>, fc_runtime::Error> {
    match event.name.as_str() {
        "error" => return Err(fc_runtime::Error::new("NameError", "error is not a name")),
        "boom" => panic!("boom!"),
        _ => {}
    }
    ctx.logger().info(format_args!("greeting {}", event.name));
    Ok(Json(Greeting {
        message: format!("Hello, {}!", event.name),
        function: ctx.function.name.clone(),
        memory: ctx.function.memory_mb,
        region: ctx.region.clone(),
        has_deadline: ctx.deadline.is_some(),
    }))
}

#[tokio::test]
async fn typed_event_round_trip() {
    let server = Server::start(Function::new().event(greet)).await;
    let reply = server.send(invoke("req-1", r#"{"name":"x"}"#)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.fc_status(), Some("200"));
    assert_eq!(reply.other_fc_headers(), Vec::<String>::new());
    assert_eq!(
        reply.json(),
        json!({
            "message": "Hello, x!",
            "function": "hello",
            "memory": 512,
            "region": "cn-hangzhou",
            "has_deadline": true,
        })
    );
    let lines = server.lines();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0], "FC Invoke Start RequestId: req-1");
    assert!(
        lines[1].ends_with("Z: req-1 [INFO] greeting x"),
        "{}",
        lines[1]
    );
    assert_eq!(lines[2], "FC Invoke End RequestId: req-1");
    server.stop().await;
}

#[tokio::test]
async fn handler_error_is_404_with_json() {
    let server = Server::start(
        Function::new()
            .event(greet)
            .pre_freeze(|| async { Err::<(), _>(std::io::Error::other("disk full")) }),
    )
    .await;
    let reply = server.send(invoke("req-err", r#"{"name":"error"}"#)).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.fc_status(), Some("404"));
    assert_eq!(reply.headers["content-type"], "application/json");
    assert_eq!(
        reply.json(),
        json!({"errorMessage": "error is not a name", "errorType": "NameError", "stackTrace": []})
    );
    assert_eq!(
        server.logged("req-err"),
        ["req-err [ERROR] NameError: error is not a name"]
    );
    assert!(
        server
            .lines()
            .contains(&"FC Invoke End RequestId: req-err".to_owned())
    );

    // Any Display error works, named after its type.
    let reply = server
        .send(control(Method::GET, "/pre-freeze", "req-io"))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.json()["errorType"], "Error");
    assert_eq!(reply.json()["errorMessage"], "disk full");
    server.stop().await;
}

#[tokio::test]
async fn panic_is_404_with_json_and_the_server_survives() {
    let server = Server::start(Function::new().event(greet)).await;
    let reply = server.send(invoke("req-panic", r#"{"name":"boom"}"#)).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.fc_status(), Some("404"));
    let body = reply.json();
    assert_eq!(body["errorType"], "Panic");
    assert_eq!(body["errorMessage"], "boom!");
    let frame = body["stackTrace"][0].as_str().unwrap();
    // The path is relative to the workspace root when the crate is built in one.
    assert!(
        frame.starts_with("at ") && frame.contains("tests/server.rs:"),
        "{frame}"
    );
    let logged = server.logged("req-panic");
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert!(
        logged[0].starts_with("req-panic [ERROR] panicked at ")
            && logged[0].contains("tests/server.rs:")
            && logged[0].ends_with(": boom!"),
        "{logged:?}"
    );
    assert!(
        server
            .lines()
            .contains(&"FC Invoke End RequestId: req-panic".to_owned())
    );

    let reply = server.send(invoke("req-after", r#"{"name":"y"}"#)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["message"], "Hello, y!");
    server.stop().await;
}

#[tokio::test]
async fn malformed_json_is_a_json_error() {
    let server = Server::start(Function::new().event(greet)).await;
    for (request_id, event) in [("bad-1", "{\"name\":"), ("bad-2", "{}"), ("bad-3", "")] {
        let reply = server.send(invoke(request_id, event)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{event:?}");
        assert_eq!(reply.fc_status(), Some("404"));
        let body = reply.json();
        assert_eq!(body["errorType"], "InvalidEvent", "{event:?}");
        let message = body["errorMessage"].as_str().unwrap();
        assert!(
            message.starts_with("the event is not valid JSON for `Greet`: "),
            "{message}"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn missing_request_id_is_400() {
    let server = Server::start(Function::new().event(greet)).await;
    let request = Request::post("/invoke")
        .header("x-fc-control-path", "/invoke")
        .body(Full::new(Bytes::from_static(b"{\"name\":\"x\"}")))
        .unwrap();
    let reply = server.send(request).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.fc_status(), Some("404"));
    assert_eq!(reply.json()["errorType"], "BadRequest");
    assert!(
        reply.json()["errorMessage"]
            .as_str()
            .unwrap()
            .contains("x-fc-request-id")
    );

    let reply = server
        .send(control(Method::POST, "/nowhere", "req-x"))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.json()["errorType"], "BadRequest");
    // Nothing was invoked, so no markers.
    assert_eq!(server.lines(), Vec::<String>::new());
    server.stop().await;
}

#[tokio::test]
async fn control_path_falls_back_to_the_request_path() {
    let server = Server::start(Function::new().event(|text: String| async move { text })).await;
    let request = Request::post("/invoke")
        .header("x-fc-request-id", "req-path")
        .body(Full::new(Bytes::from_static(b"plain")))
        .unwrap();
    let reply = server.send(request).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body, "plain");
    server.stop().await;
}

#[tokio::test]
async fn oversized_body_is_413() {
    let server = Server::start(
        Function::new()
            .event(|event: Bytes| async move { event.len().to_string() })
            .body_limit(1024),
    )
    .await;
    let reply = server.send(invoke("req-big", &"x".repeat(2048))).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.fc_status(), Some("404"));
    assert_eq!(reply.json()["errorType"], "PayloadTooLarge");

    let reply = server.send(invoke("req-fits", &"x".repeat(1024))).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body, "1024");
    server.stop().await;
}

#[tokio::test]
async fn initializer_runs_once_and_is_retried_after_failure() {
    let calls = Arc::new(AtomicUsize::new(0));
    let init_calls = Arc::clone(&calls);
    let initializer = move |ctx: Context| {
        let calls = Arc::clone(&init_calls);
        async move {
            let call = calls.fetch_add(1, Ordering::SeqCst) + 1;
            ctx.logger().info(format_args!("initializer call {call}"));
            assert_eq!(
                ctx.function.initialization_timeout,
                Some(Duration::from_secs(3))
            );
            if call == 1 {
                Err(format!("database not ready (call {call})"))
            } else {
                Ok(())
            }
        }
    };
    let server = Server::start(Function::new().event(greet).initializer(initializer)).await;

    let reply = server
        .send(control(Method::POST, "/initialize", "init-1"))
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.fc_status(), Some("404"));
    assert_eq!(reply.json()["errorMessage"], "database not ready (call 1)");
    assert_eq!(reply.json()["errorType"], "String");

    let reply = server
        .send(control(Method::POST, "/initialize", "init-2"))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.fc_status(), Some("200"));

    let reply = server
        .send(control(Method::POST, "/initialize", "init-3"))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(calls.load(Ordering::SeqCst), 2);

    let lines = server.lines();
    for id in ["init-1", "init-2", "init-3"] {
        let start = format!("FC Initialize Start RequestId: {id}");
        let end = format!("FC Initialize End RequestId: {id}");
        let start = lines.iter().position(|line| *line == start).unwrap();
        let end = lines.iter().position(|line| *line == end).unwrap();
        assert!(start < end, "{lines:?}");
    }
    assert_eq!(
        server.logged("init-2"),
        ["init-2 [INFO] initializer call 2"]
    );
    server.stop().await;
}

#[tokio::test]
async fn lifecycle_hooks_run_with_markers() {
    let stops = Arc::new(AtomicUsize::new(0));
    let hook_stops = Arc::clone(&stops);
    let server = Server::start(Function::new().event(greet).pre_stop(move |ctx: Context| {
        let stops = Arc::clone(&hook_stops);
        async move {
            stops.fetch_add(1, Ordering::SeqCst);
            ctx.logger().info("stopping");
        }
    }))
    .await;
    let reply = server
        .send(control(Method::GET, "/pre-stop", "stop-1"))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(stops.load(Ordering::SeqCst), 1);
    // No pre-freeze hook: still a success, as FC only calls hooks it was told about.
    let reply = server
        .send(control(Method::GET, "/pre-freeze", "freeze-1"))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let lines = server.lines();
    assert_eq!(lines[0], "FC PreStop Start RequestId: stop-1");
    assert!(lines[1].ends_with(": stop-1 [INFO] stopping"));
    assert_eq!(lines[2], "FC PreStop End RequestId: stop-1");
    assert_eq!(lines[3], "FC PreFreeze Start RequestId: freeze-1");
    assert_eq!(lines[4], "FC PreFreeze End RequestId: freeze-1");
    server.stop().await;
}

async fn echo(request: Request<Bytes>, ctx: Context) -> Response<String> {
    let fc_headers: Vec<&str> = request
        .headers()
        .keys()
        .map(|name| name.as_str())
        .filter(|name| name.starts_with("x-fc-"))
        .collect();
    let from_extensions = request
        .extensions()
        .get::<Context>()
        .map(|c| c.request_id.clone());
    let body = json!({
        "method": request.method().as_str(),
        "uri": request.uri().to_string(),
        "header": request.headers().get("x-client").map(|v| v.to_str().unwrap()),
        "body": String::from_utf8_lossy(request.body()),
        "fc_headers": fc_headers,
        "request_id": ctx.request_id,
        "extension_request_id": from_extensions,
        "base_path": ctx.base_path,
    });
    Response::builder()
        .status(StatusCode::CREATED)
        .header("content-type", "application/json")
        .header("x-reply", "yes")
        .header("x-fc-leak", "must not reach FC")
        .body(body.to_string())
        .unwrap()
}

fn http_invoke(
    method: Method,
    path: &str,
    request_id: &str,
    body: &'static str,
) -> Request<Full<Bytes>> {
    fc_request(method, path, "/http-invoke", request_id)
        .header("x-fc-base-path", BASE_PATH)
        .header("x-client", "client-value")
        .body(Full::new(Bytes::from_static(body.as_bytes())))
        .unwrap()
}

#[tokio::test]
async fn http_invoke_round_trip() {
    let server = Server::start(Function::new().http(echo)).await;
    let path = format!("{BASE_PATH}items/7?sort=asc&tag=a%20b");
    let reply = server
        .send(http_invoke(Method::PUT, &path, "http-1", "payload"))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.headers["x-reply"], "yes");
    assert_eq!(reply.other_fc_headers(), Vec::<String>::new());
    assert_eq!(reply.fc_status(), None);
    assert_eq!(
        reply.json(),
        json!({
            "method": "PUT",
            "uri": "/items/7?sort=asc&tag=a%20b",
            "header": "client-value",
            "body": "payload",
            "fc_headers": [],
            "request_id": "http-1",
            "extension_request_id": "http-1",
            "base_path": BASE_PATH,
        })
    );
    assert_eq!(
        server.lines(),
        [
            "FC Invoke Start RequestId: http-1",
            "FC Invoke End RequestId: http-1"
        ]
    );

    // A custom domain: no base path, the path is passed as is.
    let request = fc_request(Method::GET, "/a/b", "/http-invoke", "http-2")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let reply = server.send(request).await;
    assert_eq!(reply.json()["uri"], "/a/b");
    assert_eq!(reply.json()["method"], "GET");

    // An event invocation of an HTTP-only function is refused clearly.
    let reply = server.send(invoke("http-3", "{}")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.json()["errorType"], "NoHandler");
    assert_eq!(
        reply.json()["errorMessage"],
        "this function has no event handler (Function::event) for this kind of request"
    );
    server.stop().await;
}

#[tokio::test]
async fn http_handler_errors_and_panics_are_404() {
    let server = Server::start(Function::new().http(|request: Request<Bytes>| async move {
        match request.uri().path() {
            "/panic" => panic!("http boom"),
            "/error" => Err("no such thing".to_owned()),
            _ => Ok("fine"),
        }
    }))
    .await;
    let reply = server
        .send(http_invoke(
            Method::GET,
            &format!("{BASE_PATH}panic"),
            "h-1",
            "",
        ))
        .await;
    assert_eq!(
        (reply.status, reply.fc_status()),
        (StatusCode::NOT_FOUND, Some("404"))
    );
    assert_eq!(reply.json()["errorType"], "Panic");
    let reply = server
        .send(http_invoke(
            Method::GET,
            &format!("{BASE_PATH}error"),
            "h-2",
            "",
        ))
        .await;
    assert_eq!(reply.json()["errorMessage"], "no such thing");
    let reply = server
        .send(http_invoke(
            Method::GET,
            &format!("{BASE_PATH}ok"),
            "h-3",
            "",
        ))
        .await;
    assert_eq!(
        (reply.status, reply.body),
        (StatusCode::OK, Bytes::from_static(b"fine"))
    );
    server.stop().await;
}

#[tokio::test]
async fn hyper_service_plugs_in() {
    let service = hyper::service::service_fn(|request: Request<Full<Bytes>>| async move {
        let ctx = request.extensions().get::<Context>().cloned();
        let path = request.uri().path().to_owned();
        let body = request.into_body().collect().await.unwrap().to_bytes();
        let text = format!(
            "{path} {} {}",
            String::from_utf8_lossy(&body),
            ctx.map(|ctx| ctx.request_id).unwrap_or_default()
        );
        Ok::<_, std::convert::Infallible>(Response::new(Full::new(Bytes::from(text))))
    });
    let server = Server::start(Function::new().service(service)).await;
    let reply = server
        .send(http_invoke(
            Method::POST,
            &format!("{BASE_PATH}svc"),
            "svc-1",
            "data",
        ))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body, "/svc data svc-1");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_have_attributed_logs() {
    const N: usize = 8;
    let barrier = Arc::new(Barrier::new(N));
    let handler_barrier = Arc::clone(&barrier);
    let handler = move |Json(event): Json<Greet>, ctx: Context| {
        let barrier = Arc::clone(&handler_barrier);
        async move {
            ctx.logger().info(format_args!("begin {}", event.name));
            // Every request waits here until all N are in flight: this only finishes if the
            // server really runs them concurrently.
            barrier.wait().await;
            ctx.logger().info(format_args!("finish {}", event.name));
            format!("done {}", event.name)
        }
    };
    let server = Server::start(Function::new().event(handler)).await;
    let addr = server.addr;
    let replies: Vec<_> = (0..N)
        .map(|i| {
            tokio::spawn(async move {
                send(
                    addr,
                    invoke(&format!("rid-{i}"), &format!(r#"{{"name":"n{i}"}}"#)),
                )
                .await
            })
        })
        .collect();
    for (i, reply) in replies.into_iter().enumerate() {
        let reply = reply.await.unwrap();
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.body, format!("done n{i}"));
    }
    for i in 0..N {
        assert_eq!(
            server.logged(&format!("rid-{i}")),
            [
                format!("rid-{i} [INFO] begin n{i}"),
                format!("rid-{i} [INFO] finish n{i}")
            ]
        );
    }
    let lines = server.lines();
    let last_begin = lines
        .iter()
        .rposition(|line| line.contains("] begin "))
        .unwrap();
    let first_finish = lines
        .iter()
        .position(|line| line.contains("] finish "))
        .unwrap();
    assert!(
        last_begin < first_finish,
        "requests did not interleave: {lines:?}"
    );
    server.stop().await;
}

#[tokio::test]
async fn shutdown_drains_requests_in_flight() {
    let (entered, entered_rx) = oneshot::channel::<()>();
    let entered = Arc::new(Mutex::new(Some(entered)));
    let (release, released) = oneshot::channel::<()>();
    let released = Arc::new(tokio::sync::Mutex::new(Some(released)));
    let handler = move |_: ()| {
        let entered = Arc::clone(&entered);
        let released = Arc::clone(&released);
        async move {
            if let Some(entered) = entered.lock().unwrap().take() {
                let _ = entered.send(());
            }
            if let Some(released) = released.lock().await.take() {
                let _ = released.await;
            }
            "drained"
        }
    };
    let mut server = Server::start(Function::new().event(handler)).await;
    let addr = server.addr;
    let in_flight = tokio::spawn(async move { send(addr, invoke("slow-1", "")).await });
    entered_rx.await.unwrap();

    let _ = server.stop.take().unwrap().send(());
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        !server.task.is_finished(),
        "the server quit with a request in flight"
    );
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "the server still accepts connections after shutdown"
    );

    release.send(()).unwrap();
    let reply = in_flight.await.unwrap();
    assert_eq!(
        (reply.status, reply.body),
        (StatusCode::OK, Bytes::from_static(b"drained"))
    );
    server.stop().await;
}

/// Writes `request` as is on a fresh connection and reads until the server closes it (at most
/// 10 s; a server that keeps the connection open fails the test).
async fn raw_exchange(addr: SocketAddr, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    read_to_close(&mut stream).await
}

async fn read_to_close(stream: &mut TcpStream) -> String {
    let mut reply = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut reply))
        .await
        .expect("the server did not close the connection within 10 s")
        .unwrap();
    String::from_utf8_lossy(&reply).into_owned()
}

/// The status, headers (lower-case names) and body of the last response in `raw`.
fn parse_last_response(raw: &str) -> (u16, Vec<(String, String)>, String) {
    let start = raw
        .rfind("HTTP/1.1 ")
        .unwrap_or_else(|| panic!("no response in {raw:?}"));
    let (head, body) = raw[start..]
        .split_once("\r\n\r\n")
        .expect("a complete head");
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap()[9..12].parse().unwrap();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    (status, headers, body.to_owned())
}

#[track_caller]
fn assert_fc_error(raw: &str, status: u16, error_type: &str) -> Value {
    let (got, headers, body) = parse_last_response(raw);
    assert_eq!(got, status, "{raw}");
    assert!(
        headers.contains(&("x-fc-status".to_owned(), "404".to_owned())),
        "no x-fc-status: 404 in {raw}"
    );
    let json: Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {raw}"));
    assert_eq!(json["errorType"], error_type, "{raw}");
    json
}

const HEAD: &str =
    "POST /invoke HTTP/1.1\r\nhost: fc\r\nx-fc-request-id: r1\r\nx-fc-control-path: /invoke\r\n";

#[tokio::test]
async fn heads_hyper_would_refuse_get_fc_errors() {
    let server = Server::start(Function::new().event(|event: String| async move { event })).await;
    let many: String = (0..150).map(|i| format!("x-h{i}: v\r\n")).collect();
    let reply = raw_exchange(
        server.addr,
        format!("{HEAD}{many}content-length: 0\r\n\r\n").as_bytes(),
    )
    .await;
    assert_fc_error(&reply, 431, "HeadersTooLarge");
    let reply = raw_exchange(
        server.addr,
        format!("{HEAD}transfer-encoding: gzip\r\n\r\n").as_bytes(),
    )
    .await;
    assert_fc_error(&reply, 400, "BadRequest");
    let reply = raw_exchange(
        server.addr,
        format!("{HEAD}content-length: 2\r\ncontent-length: 3\r\n\r\nab").as_bytes(),
    )
    .await;
    assert_fc_error(&reply, 400, "BadRequest");
    let reply = raw_exchange(server.addr, b"POST /in voke HTTP/1.1\r\n\r\n").await;
    assert_fc_error(&reply, 400, "BadRequest");

    // Heads are judged one by one on a kept-alive connection, bodies (chunked too) skipped.
    let good = format!("{HEAD}transfer-encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n");
    let bad = format!("{HEAD}content-length: x\r\n\r\n");
    let reply = raw_exchange(server.addr, format!("{good}{good}{bad}").as_bytes()).await;
    assert_eq!(reply.matches("HTTP/1.1 200 OK").count(), 2, "{reply}");
    assert!(reply.contains("\r\n\r\nok"), "{reply}");
    assert_fc_error(&reply, 400, "BadRequest");
    server.stop().await;
}

#[tokio::test]
async fn slowloris_clients_are_cut_off_and_others_served() {
    let server = Server::start(
        Function::new()
            .event(|event: String| async move { event })
            .head_timeout(Duration::from_millis(300))
            .body_timeout(Duration::from_millis(300)),
    )
    .await;
    // Ten clients that trickle a head a byte at a time, never finishing it.
    let mut slow = Vec::new();
    for _ in 0..10 {
        let addr = server.addr;
        slow.push(tokio::spawn(async move {
            let mut stream = TcpStream::connect(addr).await.unwrap();
            let (mut reader, mut writer) = stream.split();
            let trickle = async {
                for byte in HEAD.as_bytes() {
                    if writer.write_all(&[*byte]).await.is_err() {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                std::future::pending::<()>().await;
            };
            let mut reply = Vec::new();
            tokio::select! {
                _ = trickle => unreachable!(),
                read = tokio::time::timeout(Duration::from_secs(10), reader.read_to_end(&mut reply)) => {
                    read.expect("a slow client was not cut off within 10 s").unwrap();
                }
            }
            String::from_utf8_lossy(&reply).into_owned()
        }));
    }
    // Meanwhile a normal client is answered.
    let reply = server.send(invoke("normal", "fine")).await;
    assert_eq!(reply.body, "fine");
    for client in slow {
        assert_fc_error(&client.await.unwrap(), 408, "RequestTimeout");
    }

    // A body that stops arriving fails its request.
    let reply = raw_exchange(
        server.addr,
        format!("{HEAD}content-length: 10\r\n\r\nabc").as_bytes(),
    )
    .await;
    let error = assert_fc_error(&reply, 400, "BadRequest");
    assert!(
        error["errorMessage"]
            .as_str()
            .unwrap()
            .contains("no more of the request body arrived"),
        "{error}"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_half_open_connection_does_not_hold_up_the_stop() {
    // Long timeouts: the stop itself must not wait for them.
    let server = Server::start(Function::new().event(|event: String| async move { event })).await;
    let mut half_open = TcpStream::connect(server.addr).await.unwrap();
    half_open.write_all(HEAD.as_bytes()).await.unwrap();
    let mut idle = TcpStream::connect(server.addr).await.unwrap();
    // Both connections are accepted before the stop.
    let reply = server.send(invoke("before-stop", "x")).await;
    assert_eq!(reply.body, "x");
    server.stop().await;
    assert_eq!(read_to_close(&mut half_open).await, "");
    assert_eq!(read_to_close(&mut idle).await, "");
}

#[tokio::test]
async fn the_stop_waits_for_requests_in_flight_at_most_the_drain_timeout() {
    let (entered, entered_rx) = oneshot::channel::<()>();
    let entered = Arc::new(Mutex::new(Some(entered)));
    let handler = move |_: ()| {
        let entered = Arc::clone(&entered);
        async move {
            if let Some(entered) = entered.lock().unwrap().take() {
                let _ = entered.send(());
            }
            std::future::pending::<()>().await;
        }
    };
    let server = Server::start(
        Function::new()
            .event(handler)
            .drain_timeout(Duration::from_millis(200)),
    )
    .await;
    let addr = server.addr;
    let stuck =
        tokio::spawn(async move { raw_exchange(addr, format!("{HEAD}\r\n").as_bytes()).await });
    entered_rx.await.unwrap();
    server.stop().await;
    // The stuck request's connection went with the server.
    assert_eq!(stuck.await.unwrap(), "");
}

#[tokio::test]
async fn the_fc2_proxy_path_is_stripped_without_a_base_path() {
    let server = Server::start(Function::new().http(echo)).await;
    let request = fc_request(
        Method::GET,
        "/2016-08-15/proxy/svc/hello/users/7?x=1",
        "/http-invoke",
        "proxy-1",
    )
    .body(Full::new(Bytes::new()))
    .unwrap();
    let reply = server.send(request).await;
    assert_eq!(reply.json()["uri"], "/users/7?x=1");
    assert_eq!(reply.json()["base_path"], "/2016-08-15/proxy/svc/hello");
    server.stop().await;
}

#[tokio::test]
async fn framing_headers_describe_the_buffered_body() {
    let server = Server::start(Function::new().http(|request: Request<Bytes>| async move {
        let header = |name: &str| {
            request
                .headers()
                .get(name)
                .map(|value| value.to_str().unwrap().to_owned())
        };
        let seen = json!({
            "transfer_encoding": header("transfer-encoding"),
            "content_length": header("content-length"),
            "body": String::from_utf8_lossy(request.body()),
        });
        // A stale length and a transfer-encoding copied from elsewhere must not break framing.
        Response::builder()
            .header("content-length", "1000")
            .header("transfer-encoding", "chunked")
            .body(seen.to_string())
            .unwrap()
    }))
    .await;
    let request = "POST /x HTTP/1.1\r\nhost: fc\r\nx-fc-request-id: te\r\nx-fc-control-path: /http-invoke\r\n\
                   transfer-encoding: chunked\r\nconnection: close\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
    let reply = raw_exchange(server.addr, request.as_bytes()).await;
    let (status, headers, body) = parse_last_response(&reply);
    assert_eq!(status, 200, "{reply}");
    let length = body.len().to_string();
    assert!(
        headers.contains(&("content-length".to_owned(), length)),
        "{reply}"
    );
    assert!(
        !headers.iter().any(|(name, _)| name == "transfer-encoding"),
        "{reply}"
    );
    let seen: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        seen,
        json!({"transfer_encoding": null, "content_length": "5", "body": "abcde"})
    );
    server.stop().await;
}

#[tokio::test]
async fn heads_and_bodies_split_across_reads_are_served() {
    let server = Server::start(Function::new().event(|event: String| async move { event })).await;
    let first = format!("{HEAD}content-length: 5\r\n\r\nhello");
    let second = format!("{HEAD}content-length: 5\r\nconnection: close\r\n\r\nworld");
    let whole = format!("{first}{second}");
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    // The first request whole with half of the second's head, then the rest in small pieces.
    let split = first.len() + 20;
    stream.write_all(&whole.as_bytes()[..split]).await.unwrap();
    for piece in whole.as_bytes()[split..].chunks(7) {
        tokio::time::sleep(Duration::from_millis(5)).await;
        stream.write_all(piece).await.unwrap();
    }
    let reply = read_to_close(&mut stream).await;
    assert_eq!(reply.matches("HTTP/1.1 200 OK").count(), 2, "{reply}");
    assert!(
        reply.contains("\r\n\r\nhello") && reply.ends_with("\r\n\r\nworld"),
        "{reply}"
    );
    server.stop().await;
}
