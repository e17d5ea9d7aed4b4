//! A function behind API Gateway: the gateway hands it each API request as an event and turns
//! its answer into the HTTP response. Point an API at this function in API Gateway.
//!
//! Try it: `cargo fc local invoke --example apigw`, or `--event events/apigw.json`.

use std::process::ExitCode;

use fc_runtime::events::apigw::{ApiGatewayEvent, ApiGatewayResponse};
use fc_runtime::{Context, Json};

/// Called with each API request. An `Err` (or a panic) is a failed invocation; answer client
/// mistakes with a 4xx response instead.
async fn handler(
    Json(request): Json<ApiGatewayEvent>,
    ctx: Context,
) -> Result<Json<ApiGatewayResponse>, fc_runtime::Error> {
    ctx.logger()
        .info(format_args!("{} {}", request.http_method, request.path));
    // `body_bytes` decodes the body when the gateway sent it as base64.
    let body = request.body_bytes()?;
    let id = request
        .path_parameters
        .get("id")
        .cloned()
        .unwrap_or_default();
    Ok(Json(ApiGatewayResponse::text(
        200,
        format!("{id}: {}", String::from_utf8_lossy(&body)),
    )))
}

fn main() -> ExitCode {
    fc_runtime::run(handler)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An API request with a path parameter and a base64 body.
    const SAMPLE: &str = include_str!("../events/apigw.json");

    #[tokio::test]
    async fn answers_an_api_request() {
        let function = fc_runtime::Function::new().event(handler);
        let answer = function.invoke(SAMPLE).await.unwrap();
        let response: ApiGatewayResponse = serde_json::from_slice(&answer).unwrap();
        assert_eq!(response.body, r#"42: {"name":"fc"}"#);
    }
}
