//! The shapes of handlers: what an event can be read as, what a handler can return.
//!
//! Rust has no specialization, so "any `Deserialize` type" cannot sit beside `Bytes` and `String`
//! in one trait: typed JSON goes through the [`Json`] wrapper, as in axum.

use std::any::type_name;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderValue, Request, Response, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::context::Context;
use crate::error::{Error, short_type_name};

/// A boxed future that can move between threads.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

pub(crate) type EventFn =
    Arc<dyn Fn(Bytes, Context) -> BoxFuture<Result<Bytes, Error>> + Send + Sync>;
pub(crate) type HttpFn =
    Arc<dyn Fn(Request<Bytes>, Context) -> BoxFuture<Result<Response<Bytes>, Error>> + Send + Sync>;
pub(crate) type HookFn = Arc<dyn Fn(Context) -> BoxFuture<Result<Bytes, Error>> + Send + Sync>;

/// JSON in or out: `Json<T>` reads the event as a `T: Deserialize`, or writes a `T: Serialize`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Json<T>(pub T);

/// What an event handler's first argument can be: `Json<T>`, `serde_json::Value`, `Bytes`,
/// `Vec<u8>`, `String` (UTF-8 checked) or `()` (the event is ignored).
pub trait FromEvent: Sized {
    /// Reads the event payload; an error is answered as a failed invocation.
    fn from_event(event: Bytes) -> Result<Self, Error>;
}

impl FromEvent for Bytes {
    fn from_event(event: Bytes) -> Result<Self, Error> {
        Ok(event)
    }
}

impl FromEvent for Vec<u8> {
    fn from_event(event: Bytes) -> Result<Self, Error> {
        Ok(event.into())
    }
}

impl FromEvent for String {
    fn from_event(event: Bytes) -> Result<Self, Error> {
        String::from_utf8(event.into())
            .map_err(|error| Error::new("InvalidEvent", format!("the event is not UTF-8: {error}")))
    }
}

impl FromEvent for () {
    fn from_event(_: Bytes) -> Result<Self, Error> {
        Ok(())
    }
}

impl FromEvent for serde_json::Value {
    fn from_event(event: Bytes) -> Result<Self, Error> {
        Json::<serde_json::Value>::from_event(event).map(|Json(value)| value)
    }
}

impl<T: DeserializeOwned> FromEvent for Json<T> {
    fn from_event(event: Bytes) -> Result<Self, Error> {
        serde_json::from_slice(&event).map(Json).map_err(|error| {
            Error::new(
                "InvalidEvent",
                format!(
                    "the event is not valid JSON for `{}`: {error}",
                    short_type_name(type_name::<T>())
                ),
            )
        })
    }
}

/// What an event handler (or a hook) can return: `Json<T>`, `serde_json::Value`, `Bytes`,
/// `Vec<u8>`, `String`, `&'static str`, `()` (empty answer), or `Result<T, E>` of those with any
/// `E` that converts into [`Error`] (every `Display` type does).
pub trait IntoOutput {
    /// The answer body, or the error to report.
    fn into_output(self) -> Result<Bytes, Error>;
}

impl IntoOutput for Bytes {
    fn into_output(self) -> Result<Bytes, Error> {
        Ok(self)
    }
}

impl IntoOutput for Vec<u8> {
    fn into_output(self) -> Result<Bytes, Error> {
        Ok(self.into())
    }
}

impl IntoOutput for String {
    fn into_output(self) -> Result<Bytes, Error> {
        Ok(self.into())
    }
}

impl IntoOutput for &'static str {
    fn into_output(self) -> Result<Bytes, Error> {
        Ok(Bytes::from_static(self.as_bytes()))
    }
}

impl IntoOutput for () {
    fn into_output(self) -> Result<Bytes, Error> {
        Ok(Bytes::new())
    }
}

impl IntoOutput for serde_json::Value {
    fn into_output(self) -> Result<Bytes, Error> {
        Json(self).into_output()
    }
}

impl<T: Serialize> IntoOutput for Json<T> {
    fn into_output(self) -> Result<Bytes, Error> {
        serde_json::to_vec(&self.0)
            .map(Bytes::from)
            .map_err(|error| {
                Error::new(
                    "SerializeError",
                    format!(
                        "cannot serialize `{}` as JSON: {error}",
                        short_type_name(type_name::<T>())
                    ),
                )
            })
    }
}

impl<T: IntoOutput, E: Into<Error>> IntoOutput for Result<T, E> {
    fn into_output(self) -> Result<Bytes, Error> {
        self.map_err(Into::into)?.into_output()
    }
}

/// An event handler: an async function `(E, Context) -> R` or `(E) -> R`, where `E` is a
/// [`FromEvent`] type and `R` an [`IntoOutput`] one.
///
/// `Args` only tells the two shapes apart; it is inferred.
pub trait EventHandler<Args>: Send + Sync + 'static {
    /// Reads the event, runs the handler and turns its result into the answer body.
    fn call(self: Arc<Self>, event: Bytes, context: Context) -> BoxFuture<Result<Bytes, Error>>;
}

impl<F, Fut, E> EventHandler<(E, Context)> for F
where
    F: Fn(E, Context) -> Fut + Send + Sync + 'static,
    Fut: Future + Send + 'static,
    Fut::Output: IntoOutput,
    E: FromEvent + 'static,
{
    fn call(self: Arc<Self>, event: Bytes, context: Context) -> BoxFuture<Result<Bytes, Error>> {
        // Everything, even reading the event, happens inside the future, so that a panic in
        // the synchronous part of the handler is caught like any other.
        Box::pin(async move {
            let event = E::from_event(event)?;
            self(event, context).await.into_output()
        })
    }
}

impl<F, Fut, E> EventHandler<(E,)> for F
where
    F: Fn(E) -> Fut + Send + Sync + 'static,
    Fut: Future + Send + 'static,
    Fut::Output: IntoOutput,
    E: FromEvent + 'static,
{
    fn call(self: Arc<Self>, event: Bytes, _: Context) -> BoxFuture<Result<Bytes, Error>> {
        Box::pin(async move {
            let event = E::from_event(event)?;
            self(event).await.into_output()
        })
    }
}

pub(crate) fn erase_event<A, H: EventHandler<A>>(handler: H) -> EventFn {
    let handler = Arc::new(handler);
    Arc::new(move |event, context| Arc::clone(&handler).call(event, context))
}

/// A lifecycle hook (initializer, pre-stop, pre-freeze): an async function `(Context) -> R` or
/// `() -> R` with `R` an [`IntoOutput`] type, typically `Result<(), E>`.
pub trait Hook<Args>: Send + Sync + 'static {
    /// Runs the hook.
    fn call(self: Arc<Self>, context: Context) -> BoxFuture<Result<Bytes, Error>>;
}

impl<F, Fut> Hook<(Context,)> for F
where
    F: Fn(Context) -> Fut + Send + Sync + 'static,
    Fut: Future + Send + 'static,
    Fut::Output: IntoOutput,
{
    fn call(self: Arc<Self>, context: Context) -> BoxFuture<Result<Bytes, Error>> {
        Box::pin(async move { self(context).await.into_output() })
    }
}

impl<F, Fut> Hook<()> for F
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future + Send + 'static,
    Fut::Output: IntoOutput,
{
    fn call(self: Arc<Self>, _: Context) -> BoxFuture<Result<Bytes, Error>> {
        Box::pin(async move { self().await.into_output() })
    }
}

pub(crate) fn erase_hook<A, H: Hook<A>>(hook: H) -> HookFn {
    let hook = Arc::new(hook);
    Arc::new(move |context| Arc::clone(&hook).call(context))
}

/// What an HTTP handler can return: `Response<B>` with a body convertible into `Bytes`
/// (`String`, `Vec<u8>`, `&'static str`, `Bytes`), `String` or `&'static str` (200, text),
/// `Json<T>` (200, JSON), `StatusCode` (empty body), or `Result<T, E>` of those with any
/// `E` that converts into [`Error`].
pub trait IntoHttpResponse {
    /// The response, or the error to report as a failed invocation.
    fn into_http_response(self) -> Result<Response<Bytes>, Error>;
}

impl<B: Into<Bytes>> IntoHttpResponse for Response<B> {
    fn into_http_response(self) -> Result<Response<Bytes>, Error> {
        Ok(self.map(Into::into))
    }
}

fn with_content_type(body: Bytes, content_type: &'static str) -> Response<Bytes> {
    let mut response = Response::new(body);
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

impl IntoHttpResponse for String {
    fn into_http_response(self) -> Result<Response<Bytes>, Error> {
        Ok(with_content_type(self.into(), "text/plain; charset=utf-8"))
    }
}

impl IntoHttpResponse for &'static str {
    fn into_http_response(self) -> Result<Response<Bytes>, Error> {
        self.to_owned().into_http_response()
    }
}

impl IntoHttpResponse for StatusCode {
    fn into_http_response(self) -> Result<Response<Bytes>, Error> {
        let mut response = Response::new(Bytes::new());
        *response.status_mut() = self;
        Ok(response)
    }
}

impl<T: Serialize> IntoHttpResponse for Json<T> {
    fn into_http_response(self) -> Result<Response<Bytes>, Error> {
        Ok(with_content_type(self.into_output()?, "application/json"))
    }
}

impl<T: IntoHttpResponse, E: Into<Error>> IntoHttpResponse for Result<T, E> {
    fn into_http_response(self) -> Result<Response<Bytes>, Error> {
        self.map_err(Into::into)?.into_http_response()
    }
}

/// An HTTP handler for HTTP triggers: an async function `(Request<Bytes>, Context) -> R` or
/// `(Request<Bytes>) -> R`, with `R` an [`IntoHttpResponse`] type.
///
/// The request's path is relative to `x-fc-base-path`, its `x-fc-*` headers are removed (the
/// [`Context`] has them, and they include credentials that must not be forwarded by accident),
/// and its extensions hold the [`Context`] too.
pub trait HttpHandler<Args>: Send + Sync + 'static {
    /// Runs the handler.
    fn call(
        self: Arc<Self>,
        request: Request<Bytes>,
        context: Context,
    ) -> BoxFuture<Result<Response<Bytes>, Error>>;
}

impl<F, Fut> HttpHandler<(Request<Bytes>, Context)> for F
where
    F: Fn(Request<Bytes>, Context) -> Fut + Send + Sync + 'static,
    Fut: Future + Send + 'static,
    Fut::Output: IntoHttpResponse,
{
    fn call(
        self: Arc<Self>,
        request: Request<Bytes>,
        context: Context,
    ) -> BoxFuture<Result<Response<Bytes>, Error>> {
        Box::pin(async move { self(request, context).await.into_http_response() })
    }
}

impl<F, Fut> HttpHandler<(Request<Bytes>,)> for F
where
    F: Fn(Request<Bytes>) -> Fut + Send + Sync + 'static,
    Fut: Future + Send + 'static,
    Fut::Output: IntoHttpResponse,
{
    fn call(
        self: Arc<Self>,
        request: Request<Bytes>,
        _: Context,
    ) -> BoxFuture<Result<Response<Bytes>, Error>> {
        Box::pin(async move { self(request).await.into_http_response() })
    }
}

pub(crate) fn erase_http<A, H: HttpHandler<A>>(handler: H) -> HttpFn {
    let handler = Arc::new(handler);
    Arc::new(move |request, context| Arc::clone(&handler).call(request, context))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq, Serialize)]
    struct Greeting {
        name: String,
    }

    #[test]
    fn reads_events() {
        let body = Bytes::from_static(br#"{"name":"x"}"#);
        assert_eq!(
            Json::<Greeting>::from_event(body.clone()).unwrap().0,
            Greeting { name: "x".into() }
        );
        assert_eq!(
            serde_json::Value::from_event(body.clone()).unwrap()["name"],
            "x"
        );
        assert_eq!(String::from_event(body.clone()).unwrap(), r#"{"name":"x"}"#);
        assert_eq!(Vec::<u8>::from_event(body.clone()).unwrap(), body.to_vec());
        assert_eq!(Bytes::from_event(body.clone()).unwrap(), body);
        <()>::from_event(Bytes::from_static(b"\xff")).unwrap();
    }

    #[test]
    fn bad_events_are_invalid_event_errors() {
        let error = Json::<Greeting>::from_event(Bytes::from_static(b"{\"name\":")).unwrap_err();
        assert_eq!(error.error_type(), "InvalidEvent");
        assert!(
            error
                .message()
                .starts_with("the event is not valid JSON for `Greeting`: "),
            "{}",
            error.message()
        );
        let error = Json::<Greeting>::from_event(Bytes::from_static(b"{}")).unwrap_err();
        assert!(
            error.message().contains("missing field `name`"),
            "{}",
            error.message()
        );
        let error = String::from_event(Bytes::from_static(b"\xff\xfe")).unwrap_err();
        assert_eq!(error.error_type(), "InvalidEvent");
    }

    #[test]
    fn writes_outputs() {
        assert_eq!(
            Json(Greeting { name: "y".into() }).into_output().unwrap(),
            Bytes::from_static(br#"{"name":"y"}"#)
        );
        assert_eq!(serde_json::json!([1, 2]).into_output().unwrap(), "[1,2]");
        assert_eq!("text".into_output().unwrap(), "text");
        assert_eq!(String::from("owned").into_output().unwrap(), "owned");
        assert_eq!(
            vec![1_u8, 2].into_output().unwrap(),
            Bytes::from_static(&[1, 2])
        );
        assert_eq!(().into_output().unwrap(), Bytes::new());
    }

    #[test]
    fn results_carry_errors() {
        let ok: Result<&str, std::io::Error> = Ok("fine");
        assert_eq!(ok.into_output().unwrap(), "fine");
        let failed: Result<String, String> = Err("bad input".into());
        let error = failed.into_output().unwrap_err();
        assert_eq!(
            (error.error_type(), error.message()),
            ("String", "bad input")
        );
        let custom: Result<(), Error> = Err(Error::new("Custom", "why"));
        assert_eq!(custom.into_output().unwrap_err().error_type(), "Custom");
    }

    #[test]
    fn unserializable_output_is_an_error() {
        let mut map = std::collections::HashMap::new();
        map.insert((1, 2), "tuple keys are not JSON object keys");
        let error = Json(map).into_output().unwrap_err();
        assert_eq!(error.error_type(), "SerializeError");
    }

    #[test]
    fn http_responses() {
        let response = "hi".into_http_response().unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers()[CONTENT_TYPE],
            "text/plain; charset=utf-8"
        );
        assert_eq!(response.body(), "hi");

        let response = Json(Greeting { name: "z".into() })
            .into_http_response()
            .unwrap();
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
        assert_eq!(response.body(), r#"{"name":"z"}"#);

        let response = StatusCode::NO_CONTENT.into_http_response().unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT);

        let built = Response::builder().status(201).body(vec![7_u8]).unwrap();
        let response = built.into_http_response().unwrap();
        assert_eq!(
            (response.status().as_u16(), response.body().as_ref()),
            (201, &[7_u8][..])
        );

        let failed: Result<Response<String>, String> = Err("nope".into());
        assert_eq!(failed.into_http_response().unwrap_err().message(), "nope");
    }

    fn run<T>(future: BoxFuture<T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    }

    #[test]
    fn event_handler_shapes_are_accepted() {
        async fn typed(Json(g): Json<Greeting>, ctx: Context) -> Json<String> {
            Json(format!("{} from {}", g.name, ctx.request_id))
        }
        async fn raw(event: Bytes) -> Result<Vec<u8>, std::io::Error> {
            Ok(event.iter().rev().copied().collect())
        }
        let typed = erase_event(typed);
        let out = run(typed(
            Bytes::from_static(br#"{"name":"a"}"#),
            Context::new("r1"),
        ));
        assert_eq!(out.unwrap(), r#""a from r1""#);
        let err = run(typed(Bytes::from_static(b"nope"), Context::new("r1"))).unwrap_err();
        assert_eq!(err.error_type(), "InvalidEvent");

        let raw = erase_event(raw);
        assert_eq!(
            run(raw(Bytes::from_static(b"abc"), Context::new("r"))).unwrap(),
            "cba"
        );

        let closure =
            erase_event(|text: String, _ctx: Context| async move { text.len().to_string() });
        assert_eq!(
            run(closure(Bytes::from_static(b"four"), Context::new("r"))).unwrap(),
            "4"
        );
    }

    #[test]
    fn hook_and_http_shapes_are_accepted() {
        let hook = erase_hook(|| async { Ok::<(), String>(()) });
        assert_eq!(run(hook(Context::new("r"))).unwrap(), Bytes::new());
        let hook = erase_hook(|ctx: Context| async move { Err::<(), _>(ctx.request_id) });
        assert_eq!(run(hook(Context::new("r9"))).unwrap_err().message(), "r9");

        let http = erase_http(|request: Request<Bytes>| async move {
            format!("{} {}", request.method(), request.uri())
        });
        let request = Request::post("/a?b=1").body(Bytes::new()).unwrap();
        let response = run(http(request, Context::new("r"))).unwrap();
        assert_eq!(response.body(), "POST /a?b=1");
    }
}
