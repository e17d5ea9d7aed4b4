//! The event of a Simple Log Service (SLS) trigger: which block of a logstore to read.
//!
//! The event carries no log data: the function reads the shard from `beginCursor` to
//! `endCursor` with an SLS SDK.
//!
//! ```
//! use fc_runtime::events::sls::SlsEvent;
//!
//! let event: SlsEvent = serde_json::from_str(r#"{"parameter": {"mode": "full"},
//!     "source": {"endpoint": "http://cn-hangzhou-intranet.log.aliyuncs.com",
//!                "projectName": "p", "logstoreName": "s", "shardId": 0,
//!                "beginCursor": "MTU=", "endCursor": "MTY="},
//!     "jobName": "j", "taskId": "t", "cursorTime": 1529486425}"#)?;
//! assert_eq!(event.source.logstore_name, "s");
//! assert_eq!(event.parameter["mode"], "full");
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::lenient;

/// What an SLS trigger sends.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SlsEvent {
    /// The invocation parameter configured on the trigger (`functionParameter`), as JSON.
    #[serde(default)]
    pub parameter: serde_json::Value,
    /// The block of logs to read.
    pub source: SlsSource,
    /// The SLS ETL job behind the trigger.
    #[serde(default)]
    pub job_name: String,
    /// The invocation's task id in that job.
    #[serde(default)]
    pub task_id: String,
    /// When the last log of the block reached SLS, in Unix seconds.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub cursor_time: i64,
}

impl SlsEvent {
    /// The trigger's invocation parameter as a typed value.
    pub fn parameter_as<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        T::deserialize(&self.parameter)
    }
}

/// Where the logs are: a shard of a logstore, between two cursors.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SlsSource {
    /// The project's endpoint, such as `http://cn-hangzhou-intranet.log.aliyuncs.com`.
    pub endpoint: String,
    /// The SLS project.
    pub project_name: String,
    /// The logstore.
    pub logstore_name: String,
    /// The shard.
    #[serde(deserialize_with = "lenient::integer")]
    pub shard_id: i64,
    /// Where to start reading.
    pub begin_cursor: String,
    /// Where to stop.
    pub end_cursor: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::fixtures::fixture;

    #[test]
    fn reads_the_documented_sample() {
        let event: SlsEvent = serde_json::from_str(fixture!("sls.json")).unwrap();
        assert_eq!(event.source.project_name, "fc-test-project");
        assert_eq!(event.source.logstore_name, "fc-test-logstore");
        assert_eq!(event.source.shard_id, 0);
        assert_eq!(event.source.begin_cursor, "MTUyOTQ4MDIwOTY1NTk3ODQ2Mw==");
        assert_eq!(event.cursor_time, 1_529_486_425);
        assert_eq!(event.parameter, serde_json::json!({}));
        #[derive(Deserialize)]
        struct Nothing {}
        event.parameter_as::<Nothing>().unwrap();
    }
}
