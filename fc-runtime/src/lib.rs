//! A runtime for Rust functions on Alibaba Cloud Function Compute (FC): custom runtimes
//! (`custom`, `custom.debian10/11/12`) and custom containers.
//!
//! FC starts `/code/bootstrap` and talks HTTP to it on `0.0.0.0:$FC_SERVER_PORT` (default
//! 9000); the `x-fc-control-path` header says what each request is. This crate answers that
//! protocol; your `main` only says which handlers to call. `cargo fc new` makes a project that
//! uses it, and `cargo fc pack` builds and packs it for FC.
//!
//! # Event handlers
//!
//! An event handler is an async function taking the event and, optionally, the [`Context`]:
//!
//! ```no_run
//! use fc_runtime::{Context, Json};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Deserialize)]
//! struct Request { name: String }
//!
//! #[derive(Serialize)]
//! struct Response { message: String }
//!
//! async fn handler(Json(request): Json<Request>, ctx: Context) -> Result<Json<Response>, fc_runtime::Error> {
//!     ctx.logger().info(format_args!("greeting {}", request.name));
//!     Ok(Json(Response { message: format!("Hello, {}!", request.name) }))
//! }
//!
//! fn main() -> std::process::ExitCode {
//!     fc_runtime::run(handler)
//! }
//! ```
//!
//! - The event ([`FromEvent`]) is `Json<T>` for any `T: Deserialize`, `serde_json::Value`,
//!   `Bytes`, `Vec<u8>`, `String` or `()`. Typed JSON needs the [`Json`] wrapper because Rust
//!   cannot otherwise tell "a `Deserialize` type" from `String` or `Bytes`.
//! - The result ([`IntoOutput`]) is `Json<T>` for any `T: Serialize`, `serde_json::Value`,
//!   `Bytes`, `Vec<u8>`, `String`, `&'static str`, `()`, or a `Result` of one of those whose
//!   error is any `Display` type (so `?` works with `std::io::Error`, `anyhow::Error`,
//!   `Box<dyn Error + Send + Sync>`, `String`, …) or an [`Error`] with a chosen `errorType`.
//!
//! An error, an event that does not parse, or a panic is answered with HTTP 404,
//! `x-fc-status: 404` and `{"errorMessage", "errorType", "stackTrace"}`; a panic never stops
//! the server. Success is HTTP 200 with `x-fc-status: 200` and the result as the body.
//!
//! # HTTP triggers
//!
//! For HTTP triggers, handle `http::Request<Bytes>` and return an [`IntoHttpResponse`] value
//! (`http::Response<B>`, `String`, `Json<T>`, `StatusCode`, or a `Result` of those):
//!
//! ```no_run
//! use bytes::Bytes;
//! use http::{Request, Response};
//!
//! async fn handler(request: Request<Bytes>, ctx: fc_runtime::Context) -> Response<String> {
//!     Response::new(format!("{} {} ({})", request.method(), request.uri(), ctx.request_id))
//! }
//!
//! fn main() -> std::process::ExitCode {
//!     fc_runtime::run_http(handler)
//! }
//! ```
//!
//! The path is relative to `x-fc-base-path` (the `/2016-08-15/proxy/<service>/<function>`
//! prefix of FC 2.0 URLs), and the `x-fc-*` headers are removed from the request (they carry
//! credentials; the [`Context`] has them all) and from the response.
//!
//! An existing router plugs in with [`Function::service`], which takes any hyper 1 service over
//! `Request<Full<Bytes>>`; the [`Context`] is in the request's extensions. For axum (add `axum`
//! and `hyper-util` with its `service` feature to `Cargo.toml`):
//!
//! ```ignore
//! use axum::{Extension, Router, routing::get};
//! use hyper_util::service::TowerToHyperService;
//!
//! async fn hello(Extension(ctx): Extension<fc_runtime::Context>) -> String {
//!     format!("hello from {}", ctx.request_id)
//! }
//!
//! fn main() -> std::process::ExitCode {
//!     let app = Router::new().route("/hello", get(hello));
//!     fc_runtime::Function::new().service(TowerToHyperService::new(app)).run()
//! }
//! ```
//!
//! # Initializer and lifecycle hooks
//!
//! [`Function`] combines handlers with hooks, each an async function of `Context` (or of
//! nothing) returning an [`IntoOutput`] value, usually `Result<(), E>`:
//!
//! ```no_run
//! # async fn handler(event: String) -> String { event }
//! async fn init(ctx: fc_runtime::Context) -> Result<(), std::io::Error> {
//!     ctx.logger().info("connecting to the database");
//!     Ok(())
//! }
//!
//! fn main() -> std::process::ExitCode {
//!     fc_runtime::Function::new()
//!         .event(handler)
//!         .initializer(init)
//!         .pre_stop(|ctx: fc_runtime::Context| async move { ctx.logger().info("bye") })
//!         .run()
//! }
//! ```
//!
//! The initializer runs once per instance on `/initialize`; if it fails FC gets a 404 and calls
//! `/initialize` again, and after a success further calls do nothing.
//!
//! # Trigger events
//!
//! [`events`] (feature `events`, on by default) has typed events for the triggers an event
//! function meets: `Json<events::oss::OssEvent>`, `Json<events::timer::TimerEvent>`,
//! `events::mns::MnsTopicEvent`, `events::tablestore::TablestoreEvent` (CBOR),
//! `Json<events::eventbridge::CloudEvent<events::eventbridge::KafkaData>>`, … as handler
//! arguments.
//!
//! # Logs
//!
//! FC collects stdout. Each request gets `FC Invoke Start RequestId: …` / `FC Invoke End …`
//! markers (`Initialize`, `PreStop`, `PreFreeze` likewise), and [`Context::logger`] writes
//! `2006-01-02T15:04:05.999Z: <request id> [INFO] message` lines. Loggers belong to requests, so
//! lines stay attributable when the instance concurrency is above 1. `FC_LOG_LEVEL`
//! (`debug`, `info`, `warn`, `error`; default `info`) filters them.
//!
//! With the feature `tracing`, `tracing` events and the `log` records of every dependency are
//! written the same way, with the request id inside a request; `RUST_LOG`-style directives
//! choose the levels. See the `fc_runtime::tracing` module (documented when the feature is
//! on, as on docs.rs).
//!
//! # Running
//!
//! [`run`] and [`Function::run`] listen on `0.0.0.0` at `FC_SERVER_PORT`, else
//! `FC_CUSTOM_LISTEN_PORT`, else 9000, and drain requests in flight on SIGTERM (for at most
//! [`Function::drain_timeout`]). A request head must arrive whole within
//! [`Function::head_timeout`] of its first byte and a body may pause at most
//! [`Function::body_timeout`], so a client that stops half-way cannot hold a connection; a
//! request hyper could not read (too many headers, bad framing) is answered with
//! `x-fc-status: 404` and FC's JSON error like any other failure.
//!
//! # Custom containers without a web server
//!
//! With `FC_CUSTOM_CONTAINER_EVENT` set (custom container, non-web mode), [`Function::run`]
//! handles that one event and exits. Set to the empty string, the event is empty: the variable
//! being set is what selects the mode. The contract, for the program that reads the result:
//!
//! - **stdout** carries the outcome and nothing else, byte for byte: the handler's result, or
//!   on failure the error's JSON `{"errorMessage", "errorType", "stackTrace"}`;
//! - **stderr** carries the log (markers, logger lines, `tracing` events);
//! - the **exit status** is 0 on success, 1 on failure.
//!
//! `FC_REQUEST_ID`, when set, is the event's request id.
//!
//! # Testing handlers
//!
//! A handler is an async function: call it. To run it through the runtime (the event read
//! from bytes, errors and panics turned into FC's answer), [`Function::invoke`] takes the
//! bytes FC would send, and [`Function::serve_on`] serves on a listener of the test's own.

#![warn(missing_docs)]

mod context;
mod error;
#[cfg(feature = "events")]
pub mod events;
mod function;
mod guard;
mod handler;
mod log;
mod panic;
mod server;
#[cfg(feature = "tracing")]
pub mod tracing;

pub use context::{Context, Credentials, FunctionInfo, ServiceInfo};
pub use error::Error;
pub use function::{Function, ServeError};
pub use handler::{
    BoxFuture, EventHandler, FromEvent, Hook, HttpHandler, IntoHttpResponse, IntoOutput, Json,
};
pub use log::{Level, Logger};

// The versions of these crates the runtime's API speaks, so that a function needs no
// dependencies of its own to name `Bytes` or `http::Request` and can never pick another major
// version by accident.
pub use bytes;
pub use http;

use std::process::ExitCode;

/// Serves an event handler: `fn main() -> ExitCode { fc_runtime::run(handler) }`.
pub fn run<A>(handler: impl EventHandler<A>) -> ExitCode {
    Function::new().event(handler).run()
}

/// Serves an HTTP-trigger handler: `fn main() -> ExitCode { fc_runtime::run_http(handler) }`.
pub fn run_http<A>(handler: impl HttpHandler<A>) -> ExitCode {
    Function::new().http(handler).run()
}
