//! An HTTP trigger served by `local start`: every request goes to an instance of the function as
//! FC forwards an HTTP trigger's: the client's method, path, query, headers and body, with
//! `x-fc-control-path: /http-invoke`, FC's headers, and `x-fc-base-path` when it is reached at
//! FC 2.0's system path.

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};

use super::fc_request;
use super::serve::{Server, json_error};
use crate::platform::protocol;

pub(super) async fn forward(
    server: &Server,
    function: &str,
    base_path: &str,
    request: Request<Incoming>,
    id: &str,
) -> Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let Some(body) = super::serve::body(body, protocol::SYNC_BODY_LIMIT).await else {
        return json_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestTooLarge",
            "the request body is over FC's 32 MB limit",
            id,
        );
    };
    let Some(lease) = server
        .lease(|generation| generation.pool(function).cloned())
        .await
    else {
        return json_error(
            StatusCode::NOT_FOUND,
            "FunctionNotFound",
            &format!("function `{function}` is no longer served"),
            id,
        );
    };
    let settings = &lease.prepared().settings;
    if let Some(http) = &settings.http
        && !http.methods.is_empty()
        && !http.methods.iter().any(|m| m == parts.method.as_str())
    {
        return json_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            &format!(
                "the HTTP trigger of `{function}` takes {}, not {}",
                http.methods.join(", "),
                parts.method
            ),
            id,
        );
    }
    let target = parts
        .uri
        .path_and_query()
        .map_or("/".to_string(), |p| p.as_str().to_string());
    let mut forwarded = fc_request(
        settings,
        id,
        protocol::HTTP_INVOKE,
        parts.method.as_str(),
        &target,
        body,
    );
    if !base_path.is_empty()
        && let Ok(value) = hyper::header::HeaderValue::from_str(base_path)
    {
        forwarded.headers_mut().insert(protocol::BASE_PATH, value);
    }
    // docs/platform.md#the-http-protocol: clients may not send x-fc-* headers; FC's own replace
    // them. The Host header is the client's, as FC passes it on.
    for (name, value) in &parts.headers {
        // The client's connection is not the function's (hop-by-hop headers stay here).
        if name.as_str().starts_with("x-fc-")
            || name == hyper::header::CONNECTION
            || name.as_str() == "keep-alive"
        {
            continue;
        }
        if name == hyper::header::HOST {
            forwarded.headers_mut().insert(name.clone(), value.clone());
            continue;
        }
        forwarded.headers_mut().append(name.clone(), value.clone());
    }
    let address = match lease.address().await {
        Ok(address) => address,
        Err(error) => {
            return json_error(
                StatusCode::BAD_GATEWAY,
                "FunctionNotStarted",
                &error.to_string(),
                id,
            );
        }
    };
    let timeout = settings.timeout();
    let answer = match tokio::time::timeout(timeout, lease.send(address, forwarded)).await {
        Ok(Ok(answer)) => answer,
        Ok(Err(reason)) => {
            return json_error(StatusCode::BAD_GATEWAY, "FunctionCrashed", &reason, id);
        }
        Err(_) => {
            let message = format!("Function timed out after {} seconds", settings.timeout_s);
            // The request would run on inside the process: FC ends the instance.
            lease.kill(&format!("request {id} timed out")).await;
            return json_error(StatusCode::GATEWAY_TIMEOUT, "FunctionTimeout", &message, id);
        }
    };
    let mut response = Response::builder().status(answer.status);
    for (name, value) in &answer.headers {
        if name.as_str().starts_with("x-fc-") {
            continue;
        }
        response = response.header(name, value);
    }
    response
        .header("x-fc-request-id", id)
        .body(Full::new(answer.body))
        .unwrap_or_else(|_| {
            json_error(
                StatusCode::BAD_GATEWAY,
                "InvalidResponse",
                "the function's response headers are invalid",
                id,
            )
        })
}
