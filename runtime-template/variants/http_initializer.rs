//! An HTTP function with an initializer: FC calls `initialize` once per instance, before the
//! first request, and retries it until it succeeds; then forwards each request to its HTTP
//! trigger here.
//!
//! The path is relative to the trigger's base path and `x-fc-*` headers are removed; the
//! request's details from FC are in the `Context`. To use a router instead (axum, or any hyper
//! service), see `fc_runtime::Function::service`.

use std::process::ExitCode;
use std::sync::OnceLock;

use fc_runtime::bytes::Bytes;
use fc_runtime::http::{Method, Request, Response, StatusCode};
use fc_runtime::{Context, Json};
use serde::{Deserialize, Serialize};

/// State prepared once by the initializer and shared by every request: clients, connection
/// pools, configuration.
struct State {
    greeting: String,
}

static STATE: OnceLock<State> = OnceLock::new();

/// Called once per instance. An `Err` (or a panic) makes FC retry it before the next request.
async fn initialize(ctx: Context) -> Result<(), fc_runtime::Error> {
    ctx.logger().info("initializing");
    let greeting = std::env::var("GREETING").unwrap_or_else(|_| "Hello".to_owned());
    // A retry after a failure may find the state already set; keeping the first one is fine.
    let _ = STATE.set(State { greeting });
    Ok(())
}

#[derive(Debug, Deserialize)]
struct Greet {
    name: String,
}

#[derive(Debug, PartialEq, Serialize)]
struct Greeting {
    message: String,
}

/// Called once per HTTP request. An `Err` (or a panic) is reported to FC as a failed
/// invocation; answer client mistakes with a 4xx response instead.
async fn handler(
    request: Request<Bytes>,
    ctx: Context,
) -> Result<Response<String>, fc_runtime::Error> {
    let Some(state) = STATE.get() else {
        return Err(fc_runtime::Error::new(
            "NotInitialized",
            "the initializer has not run: configure it for this function",
        ));
    };
    ctx.logger().info(format_args!(
        "{} {}",
        request.method(),
        request.uri().path()
    ));
    match (request.method(), request.uri().path()) {
        (&Method::GET, "/") => {
            let name = request
                .uri()
                .query()
                .and_then(|query| query.strip_prefix("name="))
                .unwrap_or("world");
            json(StatusCode::OK, &greeting(state, name))
        }
        (&Method::POST, "/") => match serde_json::from_slice::<Greet>(request.body()) {
            Ok(greet) => json(StatusCode::OK, &greeting(state, &greet.name)),
            Err(error) => text(StatusCode::BAD_REQUEST, format!("bad JSON body: {error}")),
        },
        _ => text(StatusCode::NOT_FOUND, "not found".to_owned()),
    }
}

fn greeting(state: &State, name: &str) -> Json<Greeting> {
    Json(Greeting {
        message: format!("{}, {name}!", state.greeting),
    })
}

fn json(
    status: StatusCode,
    Json(body): &Json<Greeting>,
) -> Result<Response<String>, fc_runtime::Error> {
    Ok(Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(serde_json::to_string(body)?)?)
}

fn text(status: StatusCode, body: String) -> Result<Response<String>, fc_runtime::Error> {
    Ok(Response::builder()
        .status(status)
        .header("content-type", "text/plain; charset=utf-8")
        .body(body)?)
}

fn main() -> ExitCode {
    fc_runtime::Function::new()
        .initializer(initialize)
        .http(handler)
        .run()
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn call(method: Method, uri: &str, body: &'static str) -> Response<String> {
        initialize(Context::new("init")).await.unwrap();
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .body(Bytes::from_static(body.as_bytes()))
            .unwrap();
        handler(request, Context::new("test")).await.unwrap()
    }

    #[tokio::test]
    async fn greets_by_query_and_body() {
        let response = call(Method::GET, "/?name=x", "").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            response.body().ends_with(r#", x!"}"#),
            "{}",
            response.body()
        );
        let response = call(Method::POST, "/", r#"{"name":"y"}"#).await;
        assert!(
            response.body().ends_with(r#", y!"}"#),
            "{}",
            response.body()
        );
    }

    #[tokio::test]
    async fn answers_client_mistakes_with_4xx() {
        assert_eq!(
            call(Method::POST, "/", "{").await.status(),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            call(Method::GET, "/nope", "").await.status(),
            StatusCode::NOT_FOUND
        );
    }
}
