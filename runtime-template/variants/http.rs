//! An HTTP function: FC forwards each request to its HTTP trigger here.
//!
//! The path is relative to the trigger's base path and `x-fc-*` headers are removed; the
//! request's details from FC are in the `Context`. To use a router instead (axum, or any hyper
//! service), see `fc_runtime::Function::service`.

use std::process::ExitCode;

use fc_runtime::bytes::Bytes;
use fc_runtime::http::{Method, Request, Response, StatusCode};
use fc_runtime::{Context, Json};
use serde::{Deserialize, Serialize};

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
            json(StatusCode::OK, &greeting(name))
        }
        (&Method::POST, "/") => match serde_json::from_slice::<Greet>(request.body()) {
            Ok(greet) => json(StatusCode::OK, &greeting(&greet.name)),
            Err(error) => text(StatusCode::BAD_REQUEST, format!("bad JSON body: {error}")),
        },
        _ => text(StatusCode::NOT_FOUND, "not found".to_owned()),
    }
}

fn greeting(name: &str) -> Json<Greeting> {
    Json(Greeting {
        message: format!("Hello, {name}!"),
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
    fc_runtime::run_http(handler)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn call(method: Method, uri: &str, body: &'static str) -> Response<String> {
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
        assert_eq!(response.body(), r#"{"message":"Hello, x!"}"#);
        let response = call(Method::POST, "/", r#"{"name":"y"}"#).await;
        assert_eq!(response.body(), r#"{"message":"Hello, y!"}"#);
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
