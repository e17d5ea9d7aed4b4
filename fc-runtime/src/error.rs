//! The error a failed invocation reports to Function Compute.

use std::any::type_name;
use std::fmt::Display;

use bytes::Bytes;
use serde::Serialize;

/// A failed invocation: answered with HTTP 404, `x-fc-status: 404` and the JSON body
/// `{"errorMessage": …, "errorType": …, "stackTrace": […]}` that FC's built-in runtimes use.
///
/// Any [`Display`] value converts into it, so handlers can return `Result<T, E>` with
/// `std::io::Error`, `String`, `Box<dyn std::error::Error + Send + Sync>`, `anyhow::Error`, …
/// and use `?` freely. The error type reported is the Rust type name without module paths
/// (`Error`, `String`, `ParseIntError`); use [`Error::new`] to choose it.
///
/// `Error` deliberately does not implement `Display` or `std::error::Error`: if it did, the
/// blanket conversion from every `Display` type would collide with the standard library's
/// `impl From<T> for T`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    error_type: String,
    message: String,
    stack_trace: Vec<String>,
}

impl Error {
    /// An error with the `errorType` and `errorMessage` FC reports.
    ///
    /// ```
    /// let error = fc_runtime::Error::new("InvalidName", "`name` must not be empty");
    /// assert_eq!(error.error_type(), "InvalidName");
    /// assert_eq!(
    ///     error.to_json(),
    ///     r#"{"errorMessage":"`name` must not be empty","errorType":"InvalidName","stackTrace":[]}"#
    /// );
    /// ```
    pub fn new(error_type: impl Into<String>, message: impl Into<String>) -> Error {
        Error {
            error_type: error_type.into(),
            message: message.into(),
            stack_trace: Vec::new(),
        }
    }

    /// Replaces the `stackTrace` entries (by default empty, or the location of a panic).
    pub fn with_stack_trace(mut self, frames: Vec<String>) -> Error {
        self.stack_trace = frames;
        self
    }

    /// The `errorType` reported.
    pub fn error_type(&self) -> &str {
        &self.error_type
    }

    /// The `errorMessage` reported.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The `stackTrace` entries reported.
    pub fn stack_trace(&self) -> &[String] {
        &self.stack_trace
    }

    /// The JSON body FC's built-in runtimes answer errors with.
    pub fn to_json(&self) -> Bytes {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Body<'a> {
            error_message: &'a str,
            error_type: &'a str,
            stack_trace: &'a [String],
        }
        let body = Body {
            error_message: &self.message,
            error_type: &self.error_type,
            stack_trace: &self.stack_trace,
        };
        // Serializing strings into a Vec cannot fail; an empty object is a safe fallback anyway.
        serde_json::to_vec(&body)
            .map(Bytes::from)
            .unwrap_or_else(|_| Bytes::from_static(b"{}"))
    }
}

impl<E: Display> From<E> for Error {
    fn from(error: E) -> Error {
        Error::new(short_type_name(type_name::<E>()), error.to_string())
    }
}

/// Drops module paths from a type name, generics included:
/// `alloc::boxed::Box<dyn core::error::Error>` becomes `Box<dyn Error>`.
pub(crate) fn short_type_name(full: &str) -> String {
    let mut out = String::with_capacity(full.len());
    // Where the path being written started in `out`; a `::` cuts everything since then.
    let mut path_start = 0;
    let mut rest = full;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("::") {
            out.truncate(path_start);
            rest = after;
            continue;
        }
        out.push(c);
        if !(c.is_alphanumeric() || c == '_') {
            path_start = out.len();
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_type_names() {
        assert_eq!(short_type_name("std::io::error::Error"), "Error");
        assert_eq!(short_type_name("alloc::string::String"), "String");
        assert_eq!(
            short_type_name(
                "alloc::boxed::Box<dyn core::error::Error + core::marker::Send + core::marker::Sync>"
            ),
            "Box<dyn Error + Send + Sync>"
        );
        assert_eq!(short_type_name("&str"), "&str");
        assert_eq!(
            short_type_name("hello::Outer<hello::inner::T, u8>"),
            "Outer<T, u8>"
        );
    }

    #[test]
    fn converts_any_display_type() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let error = Error::from(io);
        assert_eq!(error.error_type(), "Error");
        assert_eq!(error.message(), "no such file");

        let error = Error::from("plain text".to_string());
        assert_eq!(error.error_type(), "String");
        assert_eq!(error.message(), "plain text");

        let parse = "x".parse::<u32>().unwrap_err();
        assert_eq!(Error::from(parse).error_type(), "ParseIntError");

        let boxed: Box<dyn std::error::Error + Send + Sync> = "boxed".into();
        let error = Error::from(boxed);
        assert_eq!(error.error_type(), "Box<dyn Error + Send + Sync>");
        assert_eq!(error.message(), "boxed");
    }

    #[test]
    fn serializes_the_fc_error_shape() {
        let error = Error::new("Panic", "boom \"quoted\"").with_stack_trace(vec!["at x".into()]);
        let json: serde_json::Value = serde_json::from_slice(&error.to_json()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "errorMessage": "boom \"quoted\"",
                "errorType": "Panic",
                "stackTrace": ["at x"],
            })
        );
        let empty: serde_json::Value =
            serde_json::from_slice(&Error::new("T", "m").to_json()).unwrap();
        assert_eq!(empty["stackTrace"], serde_json::json!([]));
    }
}
