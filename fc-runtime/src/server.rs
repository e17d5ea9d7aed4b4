//! The HTTP server FC talks to, and the dispatch on `x-fc-control-path`.

use std::convert::Infallible;
use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE, TRANSFER_ENCODING};
use http::uri::PathAndQuery;
use http::{HeaderMap, HeaderValue, Request, Response, StatusCode, Uri};
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Mutex;

use crate::context::{Context, Environment, LogConfig};
use crate::error::Error;
use crate::function::Function;
use crate::guard::{Guarded, Timeouts};
use crate::handler::{BoxFuture, EventFn, HookFn, HttpFn};
use crate::log::{Level, stdout_sink};
use crate::panic::{self, CatchPanic};

const X_FC_STATUS: &str = "x-fc-status";

/// What FC asks for, from `x-fc-control-path` (cargo fc's docs/platform.md: the HTTP protocol).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ControlPath {
    Invoke,
    HttpInvoke,
    Initialize,
    PreStop,
    PreFreeze,
}

impl ControlPath {
    /// From the header, or the request path when the header is absent (local tools that speak
    /// the protocol loosely).
    fn of(headers: &HeaderMap, uri: &Uri) -> Option<ControlPath> {
        let path = match headers.get("x-fc-control-path") {
            Some(value) => value.to_str().ok()?,
            None => uri.path(),
        };
        Some(match path.trim() {
            "/invoke" => ControlPath::Invoke,
            "/http-invoke" => ControlPath::HttpInvoke,
            "/initialize" => ControlPath::Initialize,
            "/pre-stop" => ControlPath::PreStop,
            "/pre-freeze" => ControlPath::PreFreeze,
            _ => return None,
        })
    }

    /// The phase named in the `FC <phase> Start/End RequestId: …` markers.
    fn phase(self) -> &'static str {
        match self {
            ControlPath::Invoke | ControlPath::HttpInvoke => "Invoke",
            ControlPath::Initialize => "Initialize",
            ControlPath::PreStop => "PreStop",
            ControlPath::PreFreeze => "PreFreeze",
        }
    }
}

/// A function ready to answer requests, shared by all connections.
pub(crate) struct Dispatcher {
    event: Option<EventFn>,
    http: Option<HttpFn>,
    initializer: Option<HookFn>,
    pre_stop: Option<HookFn>,
    pre_freeze: Option<HookFn>,
    body_limit: usize,
    timeouts: Timeouts,
    drain_timeout: Duration,
    env: Environment,
    log: LogConfig,
    // Whether the initializer has succeeded; the lock also keeps two `/initialize` from running
    // it at the same time.
    initialized: Mutex<bool>,
}

impl Dispatcher {
    pub(crate) fn new(function: Function) -> Dispatcher {
        panic::install_hook();
        Dispatcher {
            event: function.event,
            http: function.http,
            initializer: function.initializer,
            pre_stop: function.pre_stop,
            pre_freeze: function.pre_freeze,
            body_limit: function.body_limit,
            timeouts: function.timeouts,
            drain_timeout: function.drain_timeout,
            env: Environment::from_process(),
            log: LogConfig {
                level: Level::from_env(),
                sink: function.sink.unwrap_or_else(stdout_sink),
            },
            initialized: Mutex::new(false),
        }
    }

    async fn handle(&self, request: Request<Incoming>) -> Response<Full<Bytes>> {
        let received = Instant::now();
        let Some(control) = ControlPath::of(request.headers(), request.uri()) else {
            eprintln!(
                "fc: refused {} {}: unknown control path",
                request.method(),
                request.uri()
            );
            return error_response(
                StatusCode::BAD_REQUEST,
                &Error::new(
                    "BadRequest",
                    "unknown x-fc-control-path: expected /invoke, /http-invoke, /initialize, \
                     /pre-stop or /pre-freeze",
                ),
            );
        };
        let Some(context) = Context::from_headers(
            request.headers(),
            &self.env,
            &self.log,
            received,
            control == ControlPath::Initialize,
        ) else {
            eprintln!(
                "fc: refused {} {}: no x-fc-request-id",
                request.method(),
                request.uri()
            );
            return error_response(
                StatusCode::BAD_REQUEST,
                &Error::new(
                    "BadRequest",
                    "the x-fc-request-id header is missing or empty",
                ),
            );
        };
        let logger = context.logger().clone();
        logger.marker(control.phase(), "Start");
        let response = match control {
            ControlPath::Invoke => self.invoke(request, context).await,
            ControlPath::HttpInvoke => self.http_invoke(request, context).await,
            ControlPath::Initialize => self.initialize(context).await,
            ControlPath::PreStop => hook_response(run_hook(self.pre_stop.as_ref(), context).await),
            ControlPath::PreFreeze => {
                hook_response(run_hook(self.pre_freeze.as_ref(), context).await)
            }
        };
        logger.marker(control.phase(), "End");
        response
    }

    async fn invoke(&self, request: Request<Incoming>, context: Context) -> Response<Full<Bytes>> {
        let event = match self.read_body(request).await {
            Ok((_, body)) => body,
            Err(response) => return response,
        };
        match self.run_event(event, context).await {
            Ok(output) => success(output),
            Err(error) => error_response(StatusCode::NOT_FOUND, &error),
        }
    }

    async fn run_event(&self, event: Bytes, context: Context) -> Result<Bytes, Error> {
        let Some(handler) = &self.event else {
            return Err(no_handler("event handler (Function::event)"));
        };
        run_catching(handler(event, context.clone()), &context).await
    }

    async fn http_invoke(
        &self,
        request: Request<Incoming>,
        context: Context,
    ) -> Response<Full<Bytes>> {
        let Some(handler) = &self.http else {
            return error_response(
                StatusCode::NOT_FOUND,
                &no_handler("HTTP handler (Function::http or Function::service)"),
            );
        };
        let (mut parts, body) = match self.read_body(request).await {
            Ok(read) => read,
            Err(response) => return response,
        };
        let mut context = context;
        if context.base_path.is_empty() {
            // Older emulators and Fun's local start send FC 2.0's proxy path without saying
            // which part of it is the base path.
            context.base_path = proxy_prefix(parts.uri.path()).to_owned();
        }
        parts.uri = strip_base_path(&parts.uri, &context.base_path);
        remove_fc_headers(&mut parts.headers);
        describe_buffered_body(&mut parts.headers, body.len());
        parts.extensions.insert(context.clone());
        let head = parts.method == http::Method::HEAD;
        let request = Request::from_parts(parts, body);
        match run_catching(handler(request, context.clone()), &context).await {
            Ok(response) => {
                let (mut parts, body) = response.into_parts();
                // cargo fc's docs/platform.md: responses may not carry custom x-fc-* headers.
                remove_fc_headers(&mut parts.headers);
                // hyper frames the buffered body itself; a HEAD answer keeps the length of
                // what a GET would send.
                parts.headers.remove(TRANSFER_ENCODING);
                if !head {
                    parts.headers.remove(CONTENT_LENGTH);
                }
                Response::from_parts(parts, Full::new(body))
            }
            Err(error) => error_response(StatusCode::NOT_FOUND, &error),
        }
    }

    async fn initialize(&self, context: Context) -> Response<Full<Bytes>> {
        let mut initialized = self.initialized.lock().await;
        if *initialized {
            context
                .logger()
                .info("the initializer already succeeded; not running it again");
            return success(Bytes::new());
        }
        let result = run_hook(self.initializer.as_ref(), context).await;
        *initialized = result.is_ok();
        hook_response(result)
    }

    /// Handles the single event of a custom container in non-web mode: the initializer first
    /// (if any), then the event handler.
    pub(crate) async fn invoke_once(&self, event: Bytes) -> Result<Bytes, Error> {
        let context = Context::from_environment(&self.env, &self.log);
        let logger = context.logger().clone();
        if self.initializer.is_some() {
            logger.marker("Initialize", "Start");
            let initialized = run_hook(self.initializer.as_ref(), context.clone()).await;
            logger.marker("Initialize", "End");
            initialized?;
        }
        logger.marker("Invoke", "Start");
        let output = self.run_event(event, context).await;
        logger.marker("Invoke", "End");
        output
    }

    /// Reads the whole body, refusing more than the limit (cargo fc's docs/platform.md: body ≤ 32 MB).
    async fn read_body(
        &self,
        request: Request<Incoming>,
    ) -> Result<(http::request::Parts, Bytes), Response<Full<Bytes>>> {
        let too_large = || {
            error_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                &Error::new(
                    "PayloadTooLarge",
                    format!("the request body is larger than {} bytes", self.body_limit),
                ),
            )
        };
        let (parts, body) = request.into_parts();
        let declared = parts
            .headers
            .get(CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<u64>().ok());
        // Refuse up front rather than after reading 32 MB.
        if declared.is_some_and(|length| length > self.body_limit as u64) {
            return Err(too_large());
        }
        match Limited::new(body, self.body_limit).collect().await {
            Ok(collected) => Ok((parts, collected.to_bytes())),
            Err(error) if error.is::<LengthLimitError>() => Err(too_large()),
            Err(error) => {
                // hyper's own message is generic; the cause (a timeout, a cut-off body) is below.
                let mut message = format!("cannot read the request body: {error}");
                let mut source = std::error::Error::source(&*error);
                while let Some(cause) = source {
                    message.push_str(&format!(": {cause}"));
                    source = cause.source();
                }
                Err(error_response(
                    StatusCode::BAD_REQUEST,
                    &Error::new("BadRequest", message),
                ))
            }
        }
    }
}

pub(crate) fn no_handler(what: &str) -> Error {
    Error::new(
        "NoHandler",
        format!("this function has no {what} for this kind of request"),
    )
}

/// Runs a handler's future, turning a panic into an error, and logs any error with the request.
pub(crate) async fn run_catching<T>(
    future: BoxFuture<Result<T, Error>>,
    context: &Context,
) -> Result<T, Error> {
    #[cfg(feature = "tracing")]
    let future = ::tracing::Instrument::instrument(future, crate::tracing::request_span(context));
    let result = CatchPanic::new(future).await.and_then(|result| result);
    if let Err(error) = &result {
        let logger = context.logger();
        if error.error_type() == "Panic" {
            let location = error.stack_trace().first().map(String::as_str);
            logger.error(format_args!(
                "panicked {}: {}",
                location.unwrap_or("at an unknown location"),
                error.message()
            ));
        } else {
            logger.error(format_args!("{}: {}", error.error_type(), error.message()));
        }
    }
    result
}

/// A missing hook is a success: FC only calls hooks the function's configuration names, and a
/// configured but unimplemented hook must not keep the instance from starting.
async fn run_hook(hook: Option<&HookFn>, context: Context) -> Result<Bytes, Error> {
    match hook {
        Some(hook) => run_catching(hook(context.clone()), &context).await,
        None => Ok(Bytes::new()),
    }
}

fn hook_response(result: Result<Bytes, Error>) -> Response<Full<Bytes>> {
    match result {
        Ok(body) => success(body),
        Err(error) => error_response(StatusCode::NOT_FOUND, &error),
    }
}

fn success(body: Bytes) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body));
    response
        .headers_mut()
        .insert(X_FC_STATUS, HeaderValue::from_static("200"));
    response
}

/// Every failure carries `x-fc-status: 404`, whatever its HTTP status: FC counts an answer
/// without it as a success (cargo fc's docs/platform.md: the HTTP protocol).
fn error_response(status: StatusCode, error: &Error) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(error.to_json()));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(X_FC_STATUS, HeaderValue::from_static("404"));
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

fn remove_fc_headers(headers: &mut HeaderMap) {
    let names: Vec<_> = headers
        .keys()
        .filter(|name| name.as_str().starts_with("x-fc-"))
        .cloned()
        .collect();
    for name in names {
        headers.remove(name);
    }
}

/// The body reached the handler whole: the framing it came with (chunked, or a length that a
/// transfer-encoding overrode) no longer describes it.
fn describe_buffered_body(headers: &mut HeaderMap, length: usize) {
    let framed =
        headers.remove(TRANSFER_ENCODING).is_some() | headers.remove(CONTENT_LENGTH).is_some();
    if framed || length > 0 {
        headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
    }
}

/// The FC 2.0 proxy prefix `/2016-08-15/proxy/<service>/<function>` that starts `path`, or "".
fn proxy_prefix(path: &str) -> &str {
    const PROXY: &str = "/2016-08-15/proxy/";
    let Some(rest) = path.strip_prefix(PROXY) else {
        return "";
    };
    let mut segments = rest.splitn(3, '/');
    match (segments.next(), segments.next()) {
        (Some(service), Some(function)) if !service.is_empty() && !function.is_empty() => {
            &path[..PROXY.len() + service.len() + 1 + function.len()]
        }
        _ => "",
    }
}

/// The request's path relative to `x-fc-base-path`, keeping the query: with base path
/// `/2016-08-15/proxy/svc/fn/`, `/2016-08-15/proxy/svc/fn/users?id=1` becomes `/users?id=1`.
/// Paths outside the base path are left alone.
fn strip_base_path(uri: &Uri, base_path: &str) -> Uri {
    let base = base_path.trim_end_matches('/');
    if base.is_empty() {
        return uri.clone();
    }
    let path = uri.path();
    let relative = match path.strip_prefix(base) {
        Some("") => "/",
        Some(rest) if rest.starts_with('/') => rest,
        _ => return uri.clone(),
    };
    let path_and_query = match uri.query() {
        Some(query) => format!("{relative}?{query}"),
        None => relative.to_owned(),
    };
    match PathAndQuery::try_from(path_and_query) {
        Ok(path_and_query) => {
            let mut parts = uri.clone().into_parts();
            parts.path_and_query = Some(path_and_query);
            Uri::from_parts(parts).unwrap_or_else(|_| uri.clone())
        }
        Err(_) => uri.clone(),
    }
}

/// Completes on the first SIGTERM (how FC stops an instance) or SIGINT (Ctrl-C when run locally).
pub(crate) fn termination() -> std::io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    Ok(std::future::poll_fn(move |cx| {
        if terminate.poll_recv(cx).is_ready() || interrupt.poll_recv(cx).is_ready() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }))
}

/// Accepts connections until `shutdown` completes, then waits for the requests in flight.
pub(crate) async fn serve(
    dispatcher: Arc<Dispatcher>,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) {
    let graceful = GracefulShutdown::new();
    // Closes the connections still open when the drain times out.
    let (abandon, abandoned) = tokio::sync::watch::channel(false);
    let mut shutdown = pin!(shutdown);
    loop {
        let accepted = std::future::poll_fn(|cx| {
            if shutdown.as_mut().poll(cx).is_ready() {
                return Poll::Ready(None);
            }
            listener.poll_accept(cx).map(Some)
        })
        .await;
        let stream = match accepted {
            None => break,
            Some(Ok((stream, _))) => stream,
            Some(Err(error)) => {
                // Running out of file descriptors is the usual cause; waiting a little lets
                // connections close instead of spinning on the same error.
                eprintln!("fc: accepting a connection failed: {error}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        // Answers are small and latency counts: do not let Nagle hold them back.
        let _ = stream.set_nodelay(true);
        let stream = Guarded::new(stream, dispatcher.timeouts);
        let dispatcher = Arc::clone(&dispatcher);
        let service = service_fn(move |request| {
            let dispatcher = Arc::clone(&dispatcher);
            async move { Ok::<_, Infallible>(dispatcher.handle(request).await) }
        });
        // The guard ends the input after a refused head: half-close lets hyper answer the
        // requests before it, which it has read already, instead of dropping them.
        let connection = http1::Builder::new()
            .half_close(true)
            .serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        let mut abandoned = abandoned.clone();
        tokio::spawn(async move {
            let mut connection = pin!(connection);
            let mut abandon = pin!(abandoned.wait_for(|abandon| *abandon));
            // A client that goes away mid-request is its own problem, not the server's.
            std::future::poll_fn(|cx| {
                if connection.as_mut().poll(cx).is_ready() || abandon.as_mut().poll(cx).is_ready() {
                    Poll::Ready(())
                } else {
                    Poll::Pending
                }
            })
            .await;
        });
    }
    drop(listener);
    // FC kills an instance that does not exit after SIGTERM: better to leave a stuck request
    // than to be killed with every other one.
    let limit = dispatcher.drain_timeout;
    if tokio::time::timeout(limit, graceful.shutdown())
        .await
        .is_err()
    {
        eprintln!("fc: requests still in flight {limit:?} after the stop signal; stopping anyway");
        let _ = abandon.send(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(text: &str) -> Uri {
        text.parse().unwrap()
    }

    #[test]
    fn strips_the_base_path() {
        let base = "/2016-08-15/proxy/svc/fn/";
        assert_eq!(
            strip_base_path(&uri("/2016-08-15/proxy/svc/fn/users/1?x=1&y"), base),
            "/users/1?x=1&y"
        );
        assert_eq!(
            strip_base_path(&uri("/2016-08-15/proxy/svc/fn/"), base),
            "/"
        );
        assert_eq!(strip_base_path(&uri("/2016-08-15/proxy/svc/fn"), base), "/");
        assert_eq!(
            strip_base_path(&uri("/2016-08-15/proxy/svc/fn?q"), base),
            "/?q"
        );
        // Not on a segment boundary, or elsewhere: untouched.
        assert_eq!(
            strip_base_path(&uri("/2016-08-15/proxy/svc/fnx/a"), base),
            "/2016-08-15/proxy/svc/fnx/a"
        );
        assert_eq!(strip_base_path(&uri("/other"), base), "/other");
        assert_eq!(strip_base_path(&uri("/a/b?c=d"), "/"), "/a/b?c=d");
        assert_eq!(strip_base_path(&uri("/a/b"), ""), "/a/b");
    }

    #[test]
    fn finds_the_fc2_proxy_prefix() {
        assert_eq!(
            proxy_prefix("/2016-08-15/proxy/svc/fn/users/1"),
            "/2016-08-15/proxy/svc/fn"
        );
        assert_eq!(
            proxy_prefix("/2016-08-15/proxy/svc.LATEST/fn"),
            "/2016-08-15/proxy/svc.LATEST/fn"
        );
        assert_eq!(
            proxy_prefix("/2016-08-15/proxy/svc/fn/"),
            "/2016-08-15/proxy/svc/fn"
        );
        assert_eq!(proxy_prefix("/2016-08-15/proxy/svc"), "");
        assert_eq!(proxy_prefix("/2016-08-15/proxy//fn/x"), "");
        assert_eq!(proxy_prefix("/users"), "");
    }

    #[test]
    fn a_buffered_body_is_described_by_its_length() {
        let mut headers = HeaderMap::new();
        headers.insert(TRANSFER_ENCODING, HeaderValue::from_static("chunked"));
        describe_buffered_body(&mut headers, 5);
        assert_eq!(headers.get(TRANSFER_ENCODING), None);
        assert_eq!(headers[CONTENT_LENGTH], "5");
        let mut headers = HeaderMap::new();
        describe_buffered_body(&mut headers, 0);
        assert!(headers.is_empty());
    }

    #[test]
    fn control_path_from_header_or_path() {
        let mut headers = HeaderMap::new();
        assert_eq!(
            ControlPath::of(&headers, &uri("/invoke")),
            Some(ControlPath::Invoke)
        );
        assert_eq!(ControlPath::of(&headers, &uri("/users")), None);
        headers.insert(
            "x-fc-control-path",
            HeaderValue::from_static("/http-invoke"),
        );
        assert_eq!(
            ControlPath::of(&headers, &uri("/invoke")),
            Some(ControlPath::HttpInvoke)
        );
        for (value, expected) in [
            ("/initialize", ControlPath::Initialize),
            ("/pre-stop", ControlPath::PreStop),
            ("/pre-freeze", ControlPath::PreFreeze),
        ] {
            headers.insert("x-fc-control-path", HeaderValue::from_static(value));
            assert_eq!(ControlPath::of(&headers, &uri("/")), Some(expected));
        }
        headers.insert("x-fc-control-path", HeaderValue::from_static("/nope"));
        assert_eq!(ControlPath::of(&headers, &uri("/invoke")), None);
    }

    #[test]
    fn removes_only_fc_headers() {
        let mut headers = HeaderMap::new();
        headers.insert("x-fc-request-id", HeaderValue::from_static("r"));
        headers.insert("x-fc-access-key-secret", HeaderValue::from_static("s"));
        headers.insert("x-fcx", HeaderValue::from_static("kept"));
        headers.insert("content-type", HeaderValue::from_static("text/plain"));
        remove_fc_headers(&mut headers);
        let mut names: Vec<_> = headers.keys().map(|name| name.as_str()).collect();
        names.sort_unstable();
        assert_eq!(names, ["content-type", "x-fcx"]);
    }

    #[test]
    fn error_answers_carry_fc_status() {
        let response = error_response(StatusCode::NOT_FOUND, &Error::new("T", "m"));
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(response.headers()[X_FC_STATUS], "404");
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
        let response = success(Bytes::from_static(b"ok"));
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[X_FC_STATUS], "200");
    }
}
