//! `cargo fc invoke`: InvokeFunction on FC (or on `cargo fc local start`), and what a function's
//! failure means to the caller.

use std::fmt;

use super::client::FcClient;
use super::model::{Invocation, InvokeOptions};
use crate::error::{Exit, Failure, Result, failure_any};

/// The function ran and reported failure: FC 3.0 answers 2xx with `x-fc-error-type` and the
/// function's error JSON as the body.
#[derive(Debug)]
pub struct FunctionFailed {
    pub function: String,
    pub error_type: String,
    /// The function's `errorMessage`, when its body says.
    pub message: Option<String>,
    pub request_id: Option<String>,
}

impl fmt::Display for FunctionFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` failed: {}", self.function, self.error_type)?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

impl Failure for FunctionFailed {
    fn exit(&self) -> Exit {
        Exit::Function
    }

    fn kind(&self) -> &'static str {
        "invoke.function-failed"
    }

    fn notes(&self) -> Vec<String> {
        self.request_id
            .iter()
            .map(|id| format!("RequestId: {id}"))
            .collect()
    }

    fn details(&self) -> serde_json::Value {
        serde_json::json!({
            "function": self.function,
            "error_type": self.error_type,
            "message": self.message,
            "request_id": self.request_id,
        })
    }

    failure_any!();
}

/// Invokes `function` once (synchronously with the log tail, or queued with `--async`); a function's failure is an error
/// after the invocation, which the caller still gets to show.
pub async fn invoke(
    client: &FcClient,
    function: &str,
    payload: Vec<u8>,
    options: &InvokeOptions,
) -> Result<(Invocation, Option<FunctionFailed>)> {
    let invocation = client.invoke_function(function, payload, options).await?;
    let failed = invocation.error_type.as_ref().map(|error_type| {
        let message = serde_json::from_slice::<serde_json::Value>(&invocation.body)
            .ok()
            .and_then(|body| body.get("errorMessage")?.as_str().map(str::to_string));
        FunctionFailed {
            function: function.to_string(),
            error_type: error_type.clone(),
            message,
            request_id: invocation.request_id.clone(),
        }
    });
    Ok((invocation, failed))
}
