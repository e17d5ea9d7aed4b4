//! An event function behind an FC 3.0 HTTP trigger: FC hands it each request as an event and
//! turns its answer into the HTTP response (the trigger is in s.yaml). For a function that
//! serves HTTP itself, see `cargo fc new --http`.
//!
//! Try it: `cargo fc local invoke --example http`, or `--event events/http.json`.

use std::process::ExitCode;

use fc_runtime::events::http::{HttpTriggerEvent, HttpTriggerResponse};
use fc_runtime::{Context, Json};

/// Called with each request. An `Err` (or a panic) is a failed invocation, which FC answers
/// with an error of its own; answer client mistakes with a 4xx response instead.
async fn handler(
    Json(request): Json<HttpTriggerEvent>,
    ctx: Context,
) -> Result<Json<HttpTriggerResponse>, fc_runtime::Error> {
    let http = &request.request_context.http;
    ctx.logger()
        .info(format_args!("{} {}", http.method, http.path));
    // `body_bytes` decodes the body when FC sent it as base64 (binary content types).
    let body = request.body_bytes()?;
    Ok(Json(HttpTriggerResponse::text(
        200,
        format!("{} {} ({} bytes)", http.method, http.path, body.len()),
    )))
}

fn main() -> ExitCode {
    fc_runtime::run(handler)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What FC sends for a GET request (the sample of FC's documentation).
    const SAMPLE: &str = include_str!("../events/http.json");

    #[tokio::test]
    async fn answers_a_request() {
        let function = fc_runtime::Function::new().event(handler);
        let answer = function.invoke(SAMPLE).await.unwrap();
        let response: HttpTriggerResponse = serde_json::from_slice(&answer).unwrap();
        assert_eq!(response.status_code, 200);
        assert_eq!(response.body, "GET /example (9 bytes)");
    }
}
