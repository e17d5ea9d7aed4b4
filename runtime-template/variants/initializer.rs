//! An event function with an initializer: FC calls `initialize` once per instance, before the
//! first event, and retries it until it succeeds.
//!
//! Try it: `cargo fc local invoke --data '{"name":"x"}'` answers `{"message":"Hello, x!"}`.

use std::process::ExitCode;
use std::sync::OnceLock;

use fc_runtime::{Context, Json};
use serde::{Deserialize, Serialize};

/// State prepared once by the initializer and shared by every invocation: clients, connection
/// pools, configuration.
struct State {
    greeting: String,
}

static STATE: OnceLock<State> = OnceLock::new();

/// Called once per instance. An `Err` (or a panic) makes FC retry it before the next event.
async fn initialize(ctx: Context) -> Result<(), fc_runtime::Error> {
    ctx.logger().info("initializing");
    let greeting = std::env::var("GREETING").unwrap_or_else(|_| "Hello".to_owned());
    // A retry after a failure may find the state already set; keeping the first one is fine.
    let _ = STATE.set(State { greeting });
    Ok(())
}

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
    let Some(state) = STATE.get() else {
        return Err(fc_runtime::Error::new(
            "NotInitialized",
            "the initializer has not run: configure it for this function",
        ));
    };
    ctx.logger().info(format_args!("greeting {}", request.name));
    Ok(Json(Response {
        message: format!("{}, {}!", state.greeting, request.name),
    }))
}

fn main() -> ExitCode {
    fc_runtime::Function::new()
        .initializer(initialize)
        .event(handler)
        .run()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn greets_after_initialization() {
        initialize(Context::new("init")).await.unwrap();
        let request = Request { name: "x".into() };
        let Json(response) = handler(Json(request), Context::new("test")).await.unwrap();
        assert!(response.message.ends_with(", x!"), "{}", response.message);
    }
}
