//! The event API Gateway sends a function behind it (an event function), and the answer it
//! expects.
//!
//! ```
//! use fc_runtime::events::apigw::ApiGatewayEvent;
//!
//! let event: ApiGatewayEvent = serde_json::from_str(r#"{"path": "/users/42",
//!     "httpMethod": "GET", "headers": {}, "queryParameters": {}, "pathParameters": {"id": "42"},
//!     "body": "", "isBase64Encoded": "false"}"#)?;
//! assert_eq!(event.path_parameters["id"], "42");
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{BodyError, lenient};

/// The answer API Gateway expects from a function: the same shape as an HTTP trigger's.
pub type ApiGatewayResponse = super::http::HttpTriggerResponse;

/// An API request, as API Gateway passes it to a function.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiGatewayEvent {
    /// The request path.
    #[serde(default)]
    pub path: String,
    /// `GET`, `POST`, `PUT`, `DELETE`, …
    #[serde(default)]
    pub http_method: String,
    /// Every header, API Gateway's own (`X-Ca-*`) included.
    #[serde(default, deserialize_with = "lenient::string_map")]
    pub headers: BTreeMap<String, String>,
    /// The query parameters.
    #[serde(default, deserialize_with = "lenient::string_map")]
    pub query_parameters: BTreeMap<String, String>,
    /// The path parameters the API defines.
    #[serde(default, deserialize_with = "lenient::string_map")]
    pub path_parameters: BTreeMap<String, String>,
    /// The body: text, or base64 when `is_base64_encoded`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Whether `body` is base64; documented as a boolean and shown as a string, so both are read.
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub is_base64_encoded: bool,
}

impl ApiGatewayEvent {
    /// The body's bytes, decoded from base64 when the event says it is encoded.
    pub fn body_bytes(&self) -> Result<Vec<u8>, BodyError> {
        super::body_bytes(self.body.as_deref(), self.is_base64_encoded)
    }

    /// A header by name, whatever its case.
    pub fn header(&self, name: &str) -> Option<&str> {
        super::header(&self.headers, name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::fixtures::fixture;

    #[test]
    fn reads_a_sample_with_a_base64_body() {
        let event: ApiGatewayEvent = serde_json::from_str(fixture!("apigw.json")).unwrap();
        assert_eq!(event.http_method, "POST");
        assert_eq!(event.path_parameters["id"], "42");
        assert!(event.is_base64_encoded);
        assert_eq!(event.body_bytes().unwrap(), br#"{"name":"fc"}"#);
        assert_eq!(event.header("content-type"), Some("application/json"));
        let plain: ApiGatewayEvent = serde_json::from_str(
            r#"{"path":"/","httpMethod":"GET","body":"x","isBase64Encoded":false}"#,
        )
        .unwrap();
        assert_eq!(plain.body_bytes().unwrap(), b"x");
    }

    #[test]
    fn reads_a_get_with_a_boolean_flag_and_an_empty_body() {
        let event: ApiGatewayEvent = serde_json::from_str(fixture!("apigw-get.json")).unwrap();
        assert_eq!(event.http_method, "GET");
        assert!(!event.is_base64_encoded);
        assert_eq!(event.body_bytes().unwrap(), b"");
        assert_eq!(event.query_parameters["q"], "fc runtime");
        assert!(event.path_parameters.is_empty());
        assert_eq!(
            event.header("x-ca-request-id"),
            Some("7A1C3E5B-9D2F-4B6A-8C0E-1F3A5B7C9D2E")
        );
    }
}
