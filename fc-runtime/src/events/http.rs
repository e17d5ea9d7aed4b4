//! The event an HTTP trigger hands an *event* function in FC 3.0, and the answer it expects.
//!
//! A custom runtime usually serves HTTP triggers as a web function instead
//! ([`Function::http`](crate::Function::http)): FC then forwards the request itself. This event
//! is what a function gets when the trigger invokes it as an event function.
//!
//! ```
//! use fc_runtime::events::http::{HttpTriggerEvent, HttpTriggerResponse};
//!
//! let event: HttpTriggerEvent = serde_json::from_str(r#"{"version": "v1", "rawPath": "/a%20b",
//!     "body": "aGk=", "isBase64Encoded": true, "headers": {"Accept": "*/*"},
//!     "queryParameters": {"q": "1"},
//!     "requestContext": {"accountId": "1", "domainName": "x.fcapp.run", "domainPrefix": "x",
//!         "http": {"method": "POST", "path": "/a b", "protocol": "HTTP/1.1",
//!                  "sourceIp": "1.2.3.4", "userAgent": "curl"},
//!         "requestId": "r", "time": "2023-09-05T06:41:11Z", "timeEpoch": "1693896071895"}}"#)?;
//! assert_eq!(event.body_bytes()?, b"hi");
//! assert_eq!(event.request_context.http.path, "/a b");
//! let answer = HttpTriggerResponse::text(200, "hello");
//! assert_eq!(serde_json::to_value(&answer)?["statusCode"], 200);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{BodyError, lenient};

/// An HTTP request, as an HTTP trigger passes it to an event function.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpTriggerEvent {
    /// The format's version, `v1`.
    #[serde(default)]
    pub version: String,
    /// The path as the client sent it, URL-encoded; `request_context.http.path` is decoded.
    #[serde(default)]
    pub raw_path: String,
    /// The body: text, or base64 when `is_base64_encoded` (binary content types).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Whether `body` is base64.
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub is_base64_encoded: bool,
    /// The headers; a header sent more than once has its values joined with commas.
    #[serde(default, deserialize_with = "lenient::string_map")]
    pub headers: BTreeMap<String, String>,
    /// The query parameters; repeated ones are joined with commas.
    #[serde(default, deserialize_with = "lenient::string_map")]
    pub query_parameters: BTreeMap<String, String>,
    /// Facts about the request and the trigger.
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub request_context: HttpRequestContext,
}

impl HttpTriggerEvent {
    /// The body's bytes, decoded from base64 when the event says it is encoded.
    pub fn body_bytes(&self) -> Result<Vec<u8>, BodyError> {
        super::body_bytes(self.body.as_deref(), self.is_base64_encoded)
    }

    /// A header by name, whatever its case.
    pub fn header(&self, name: &str) -> Option<&str> {
        super::header(&self.headers, name)
    }
}

/// The `requestContext` of an HTTP trigger event.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpRequestContext {
    /// The account that owns the function.
    #[serde(default)]
    pub account_id: String,
    /// The trigger's id (FC 3.0 sends it when the function is invoked through the API).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger_id: Option<String>,
    /// The domain the request was sent to, `<trigger id>.<region>.fcapp.run` or a custom one.
    #[serde(default)]
    pub domain_name: String,
    /// The first label of that domain.
    #[serde(default)]
    pub domain_prefix: String,
    /// The request line and client.
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub http: HttpDescription,
    /// FC's id of the request.
    #[serde(default)]
    pub request_id: String,
    /// When it arrived, ISO 8601 (`2023-09-05T06:41:11Z`).
    #[serde(default)]
    pub time: String,
    /// When it arrived, in Unix milliseconds (sent as a string).
    #[serde(default, deserialize_with = "lenient::optional_integer")]
    pub time_epoch: Option<i64>,
}

/// The `requestContext.http` of an HTTP trigger event.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpDescription {
    /// `GET`, `POST`, …
    #[serde(default)]
    pub method: String,
    /// The path, URL-decoded.
    #[serde(default)]
    pub path: String,
    /// `HTTP/1.1`.
    #[serde(default)]
    pub protocol: String,
    /// The client's address.
    #[serde(default)]
    pub source_ip: String,
    /// The client's `User-Agent`.
    #[serde(default)]
    pub user_agent: String,
}

/// What an event function answers an HTTP trigger (or API Gateway) with, for FC to turn into
/// the HTTP response. A function may also answer with any other JSON or text, which FC sends
/// as a 200 body.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpTriggerResponse {
    /// The HTTP status.
    pub status_code: u16,
    /// Response headers.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// Whether `body` is base64 (for binary bodies).
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub is_base64_encoded: bool,
    /// The body.
    #[serde(default)]
    pub body: String,
}

impl HttpTriggerResponse {
    /// A text answer with `content-type: text/plain; charset=utf-8`.
    pub fn text(status_code: u16, body: impl Into<String>) -> HttpTriggerResponse {
        HttpTriggerResponse {
            status_code,
            headers: BTreeMap::from([(
                "content-type".to_owned(),
                "text/plain; charset=utf-8".to_owned(),
            )]),
            is_base64_encoded: false,
            body: body.into(),
        }
    }

    /// A binary answer, base64-encoded for FC, with the given content type.
    pub fn binary(status_code: u16, content_type: &str, body: &[u8]) -> HttpTriggerResponse {
        use base64::Engine as _;
        HttpTriggerResponse {
            status_code,
            headers: BTreeMap::from([("content-type".to_owned(), content_type.to_owned())]),
            is_base64_encoded: true,
            body: base64::engine::general_purpose::STANDARD.encode(body),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::fixtures::fixture;

    #[test]
    fn reads_the_documented_sample() {
        let event: HttpTriggerEvent = serde_json::from_str(fixture!("http.json")).unwrap();
        assert_eq!(event.version, "v1");
        assert_eq!(event.raw_path, "/example");
        assert_eq!(event.body_bytes().unwrap(), b"Hello FC!");
        assert_eq!(event.header("HEADER2"), Some("value1,value2"));
        assert_eq!(event.query_parameters["parameter1"], "value1");
        let context = &event.request_context;
        assert_eq!(context.http.method, "GET");
        assert_eq!(context.http.user_agent, "PostmanRuntime/7.32.3");
        assert_eq!(context.time_epoch, Some(1_693_896_071_895));
    }

    #[test]
    fn reads_an_api_invocation_with_a_binary_body() {
        let event: HttpTriggerEvent =
            serde_json::from_str(fixture!("http-api-invoke.json")).unwrap();
        assert_eq!(event.body_bytes().unwrap(), [0, 1, 2, 255]);
        assert_eq!(
            event.request_context.trigger_id.as_deref(),
            Some("7d1f6a52-3b8e-4c0d-9a61-2f5e8b4c7a90")
        );
        assert_eq!(event.header("x-fc-log-type"), Some("Tail"));
    }

    #[test]
    fn answers_serialize_as_fc_reads_them() {
        let answer = HttpTriggerResponse::binary(201, "image/png", &[0x89, b'P']);
        assert_eq!(
            serde_json::to_value(&answer).unwrap(),
            serde_json::json!({
                "statusCode": 201,
                "headers": {"content-type": "image/png"},
                "isBase64Encoded": true,
                "body": "iVA=",
            })
        );
    }
}
