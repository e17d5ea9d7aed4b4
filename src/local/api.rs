//! FC 3.0's InvokeFunction, served by `local start` as FC answers it
//! (docs/platform.md#invokefunction): `POST /2023-03-30/functions/{functionName}/invocations`,
//! `x-fc-invocation-type: Sync|Async`, `x-fc-log-type: Tail`, the `qualifier` query parameter.
//! The signature is not checked, so FC's SDKs work pointed at `127.0.0.1:PORT` over http.

use std::time::Instant;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use serde_json::json;

use super::pool::Lease;
use super::serve::Server;
use super::{fc_request, summary};
use crate::platform::protocol;

/// FC 3.0's error shape for the API's own errors: `{"Code", "Message", "RequestId"}`.
pub(super) fn error(
    status: StatusCode,
    code: &str,
    message: &str,
    id: &str,
) -> Response<Full<Bytes>> {
    let body = json!({"Code": code, "Message": message, "RequestId": id}).to_string();
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header(protocol::REQUEST_ID, id)
        .body(Full::new(Bytes::from(body)))
        .expect("the response's parts are valid")
}

fn header<'r>(request: &'r Request<Incoming>, name: &str) -> Option<&'r str> {
    request.headers().get(name).and_then(|v| v.to_str().ok())
}

pub(super) async fn invoke(
    server: &Server,
    function: &str,
    request: Request<Incoming>,
    id: &str,
) -> Response<Full<Bytes>> {
    if request.method() != Method::POST {
        return error(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            "InvokeFunction is POST",
            id,
        );
    }
    let asynchronous = match header(&request, protocol::INVOCATION_TYPE) {
        None => false,
        Some(kind) if kind.eq_ignore_ascii_case("Sync") => false,
        Some(kind) if kind.eq_ignore_ascii_case("Async") => true,
        Some(other) => {
            return error(
                StatusCode::BAD_REQUEST,
                "InvalidArgument",
                &format!("x-fc-invocation-type `{other}` is neither Sync nor Async"),
                id,
            );
        }
    };
    let tail = header(&request, protocol::LOG_TYPE).is_some_and(|v| v.eq_ignore_ascii_case("Tail"));
    let qualifier = request
        .uri()
        .query()
        .into_iter()
        .flat_map(|q| q.split('&'))
        .find_map(|pair| pair.strip_prefix("qualifier="))
        .filter(|q| !q.is_empty())
        .unwrap_or("LATEST")
        .to_string();
    let limit = if asynchronous {
        protocol::ASYNC_BODY_LIMIT
    } else {
        protocol::SYNC_BODY_LIMIT
    };
    let Some(event) = super::serve::body(request.into_body(), limit).await else {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "EntityTooLarge",
            &format!(
                "the payload is over FC's {} KB limit for this invocation type",
                limit / 1024
            ),
            id,
        );
    };
    let Some(lease) = server
        .lease(|generation| generation.pool(function).cloned())
        .await
    else {
        return error(
            StatusCode::NOT_FOUND,
            "FunctionNotFound",
            &format!("function '{function}' does not exist"),
            id,
        );
    };
    if asynchronous {
        let ui = server.ui.clone();
        let request_id = id.to_string();
        tokio::spawn(async move {
            let id = request_id;
            let outcome = run(&lease, event, &id, &qualifier, false).await;
            let verdict = outcome.error_type.as_deref().unwrap_or("succeeded");
            ui.status(
                "Async",
                format!(
                    "{id} of {} {verdict}",
                    lease.prepared().settings.function_name
                ),
            );
        });
        return Response::builder()
            .status(StatusCode::ACCEPTED)
            .header(protocol::REQUEST_ID, id)
            .body(Full::new(Bytes::new()))
            .expect("the response's parts are valid");
    }
    let outcome = run(&lease, event, id, &qualifier, tail).await;
    let mut response = Response::builder()
        .status(StatusCode::OK)
        .header(protocol::REQUEST_ID, id);
    if let Some(content_type) = outcome.content_type {
        response = response.header(hyper::header::CONTENT_TYPE, content_type);
    }
    if let Some(error_type) = &outcome.error_type {
        response = response.header(protocol::ERROR_TYPE, error_type.as_str());
    }
    if let Some(log) = outcome.log {
        response = response.header(protocol::LOG_RESULT, log);
    }
    response
        .body(Full::new(outcome.body))
        .expect("the response's parts are valid")
}

/// What one invocation gave.
struct Outcome {
    body: Bytes,
    content_type: Option<hyper::header::HeaderValue>,
    /// `x-fc-error-type` when the function failed.
    error_type: Option<String>,
    /// The base64 log tail, when asked for.
    log: Option<String>,
}

/// Invokes the lease's function once with `event`, as FC invokes an event function.
async fn run(lease: &Lease, event: Bytes, id: &str, qualifier: &str, tail: bool) -> Outcome {
    let settings = &lease.prepared().settings;
    let failed = |message: String, kind: &str| Outcome {
        body: Bytes::from(
            json!({"errorMessage": message, "errorType": kind, "stackTrace": []}).to_string(),
        ),
        content_type: Some(hyper::header::HeaderValue::from_static("application/json")),
        error_type: Some(protocol::UNHANDLED_ERROR.to_string()),
        log: None,
    };
    let address = match lease.address().await {
        Ok(address) => address,
        Err(error) => return failed(error.to_string(), "FunctionNotStarted"),
    };
    let mut request = fc_request(
        settings,
        id,
        protocol::INVOKE,
        "POST",
        protocol::INVOKE,
        event,
    );
    if let Ok(value) = hyper::header::HeaderValue::from_str(qualifier) {
        request.headers_mut().insert("x-fc-qualifier", value);
    }
    let log = lease.log().await;
    let started = Instant::now();
    let answer = tokio::time::timeout(settings.timeout(), lease.send(address, request)).await;
    let duration = started.elapsed();
    let mut outcome = match answer {
        Ok(Ok(answer)) => {
            let failed = answer.failed();
            Outcome {
                content_type: answer.headers.get(hyper::header::CONTENT_TYPE).cloned(),
                body: answer.body,
                error_type: failed.then(|| protocol::UNHANDLED_ERROR.to_string()),
                log: None,
            }
        }
        Ok(Err(reason)) => failed(reason, "FunctionCrashed"),
        Err(_) => {
            lease.kill(&format!("request {id} timed out")).await;
            failed(
                format!("Function timed out after {} seconds", settings.timeout_s),
                "FunctionTimeout",
            )
        }
    };
    let report = summary(duration, settings, lease.max_memory_mb());
    eprintln!("RequestId: {id}  {report}");
    if tail && let Some(log) = log {
        // The End marker may trail the response by a moment; FC's tail includes it.
        log.wait_for(started, &format!("FC Invoke End RequestId: {id}"))
            .await;
        let mut lines = log.since(started);
        // With instance concurrency, other requests' lines interleave: keep this one's.
        if lease.shared() {
            lines.retain(|line| line.contains(id));
        }
        outcome.log = Some(log_tail(&lines, id, &report));
    }
    outcome
}

/// FC's `x-fc-log-result`: base64 of the invocation's log — between FC's Start and End markers,
/// which cargo fc adds when the runtime wrote none — and the report line, at most 4 KB.
fn log_tail(lines: &[String], id: &str, report: &str) -> String {
    let start = format!("FC Invoke Start RequestId: {id}");
    let end = format!("FC Invoke End RequestId: {id}");
    let mut text = String::new();
    if !lines.iter().any(|l| l.contains(&start)) {
        text.push_str(&start);
        text.push('\n');
    }
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    if !lines.iter().any(|l| l.contains(&end)) {
        text.push_str(&end);
        text.push('\n');
    }
    text.push_str(report);
    text.push('\n');
    super::encode_tail(&text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    #[test]
    fn the_tail_has_fcs_markers_whether_or_not_the_runtime_wrote_them() {
        let decode = |tail: String| {
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(tail)
                    .unwrap(),
            )
            .unwrap()
        };
        let bare = decode(log_tail(&["hello".into()], "r1", "Duration: 1 ms"));
        assert_eq!(
            bare,
            "FC Invoke Start RequestId: r1\nhello\nFC Invoke End RequestId: r1\nDuration: 1 ms\n"
        );
        let marked = decode(log_tail(
            &[
                "FC Invoke Start RequestId: r2".into(),
                "x".into(),
                "FC Invoke End RequestId: r2".into(),
            ],
            "r2",
            "D",
        ));
        assert_eq!(marked.matches("FC Invoke Start").count(), 1, "{marked}");
        assert_eq!(marked.matches("FC Invoke End").count(), 1, "{marked}");
        // At most 4 KB, cut at a character boundary, the report kept.
        let long: Vec<String> = (0..2000).map(|n| format!("é line {n}")).collect();
        let cut = decode(log_tail(&long, "r3", "REPORT"));
        assert!(cut.len() <= protocol::LOG_TAIL_LIMIT);
        assert!(cut.ends_with("REPORT\n"));
    }
}
