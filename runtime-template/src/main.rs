//! An event function: FC hands it a JSON event, it answers with JSON.
//!
//! Try it: `cargo fc local invoke --data '{"name":"x"}'` answers `{"message":"Hello, x!"}`.

use std::process::ExitCode;

use fc_runtime::{Context, Json};
use serde::{Deserialize, Serialize};

/// The event this function expects.
#[derive(Debug, Deserialize)]
struct Request {
    name: String,
}

/// What it answers.
#[derive(Debug, PartialEq, Serialize)]
struct Response {
    message: String,
}

/// Called once per event. An `Err` (or a panic) is reported to FC as a failed invocation.
async fn handler(
    Json(request): Json<Request>,
    ctx: Context,
) -> Result<Json<Response>, fc_runtime::Error> {
    if request.name.trim().is_empty() {
        return Err(fc_runtime::Error::new(
            "InvalidName",
            "`name` must not be empty",
        ));
    }
    ctx.logger().info(format_args!("greeting {}", request.name));
    Ok(Json(Response {
        message: format!("Hello, {}!", request.name),
    }))
}

fn main() -> ExitCode {
    fc_runtime::run(handler)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn greets_by_name() {
        let request = Request { name: "x".into() };
        let Json(response) = handler(Json(request), Context::new("test")).await.unwrap();
        assert_eq!(response.message, "Hello, x!");
    }

    #[tokio::test]
    async fn refuses_an_empty_name() {
        let request = Request { name: " ".into() };
        let error = handler(Json(request), Context::new("test"))
            .await
            .unwrap_err();
        assert_eq!(error.error_type(), "InvalidName");
    }
}
