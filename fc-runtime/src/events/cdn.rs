//! The event of a CDN trigger: a log file ready, objects refreshed or pushed, a domain added,
//! removed, started or stopped.
//!
//! The fields of `eventParameter` depend on the event; each is `Option` (or an empty list),
//! set for the events that carry it. The documentation's tables call the times, sizes and task
//! ids strings while its samples send numbers: both are read.
//!
//! ```
//! use fc_runtime::events::cdn::CdnEvent;
//!
//! let event: CdnEvent = serde_json::from_str(r#"{"events": [{"eventName": "LogFileCreated",
//!     "eventSource": "cdn", "region": "cn-hangzhou", "eventVersion": "1.0.0",
//!     "eventTime": "2018-06-14T15:31:49+08:00", "traceId": "c645",
//!     "resource": {"domain": "example.com"}, "userIdentity": {"aliUid": "1649"},
//!     "eventParameter": {"domain": "example.com", "filePath": "http://cdnlog/x.gz",
//!                        "fileSize": "1788115", "startTime": 1528959600, "endTime": 1528959900}}]}"#)?;
//! let parameter = &event.events[0].event_parameter;
//! assert_eq!(parameter.file_size, Some(1788115));
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::lenient;

/// What a CDN trigger sends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CdnEvent {
    /// The events, usually one.
    pub events: Vec<CdnRecord>,
}

/// One CDN event.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CdnRecord {
    /// `LogFileCreated`, `CachedObjectsRefreshed`, `CachedObjectsPushed`, `CdnDomainAdded`,
    /// `CdnDomainDeleted`, `CdnDomainStarted` or `CdnDomainStopped`.
    pub event_name: String,
    /// Always `cdn`.
    #[serde(default)]
    pub event_source: String,
    /// The version of the format, `1.0.0`.
    #[serde(default)]
    pub event_version: String,
    /// The region, such as `cn-hangzhou`.
    #[serde(default)]
    pub region: String,
    /// When it happened, ISO 8601 with an offset (`2018-03-16T14:19:55+08:00`).
    #[serde(default)]
    pub event_time: String,
    /// An id for troubleshooting with CDN.
    #[serde(default)]
    pub trace_id: String,
    /// The domain the event is about.
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub resource: CdnResource,
    /// The event's details.
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub event_parameter: CdnEventParameter,
    /// The account.
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub user_identity: CdnUserIdentity,
}

/// The `resource` of a CDN event.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CdnResource {
    /// The accelerated domain.
    #[serde(default)]
    pub domain: String,
}

/// The `userIdentity` of a CDN event.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CdnUserIdentity {
    /// The Alibaba Cloud account id.
    #[serde(default)]
    pub ali_uid: String,
}

/// The `eventParameter` of a CDN event: the fields of every kind of event, each set when the
/// event carries it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CdnEventParameter {
    /// The domain (every event).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// `online` or `offline` (domain started, stopped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The paths refreshed or pushed (objects refreshed, pushed).
    #[serde(
        default,
        deserialize_with = "lenient::null_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub object_path: Vec<String>,
    /// `File` or `Directory` (objects refreshed, pushed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_type: Option<String>,
    /// The refresh or push task (objects refreshed, pushed).
    #[serde(
        default,
        deserialize_with = "lenient::optional_integer",
        skip_serializing_if = "Option::is_none"
    )]
    pub task_id: Option<i64>,
    /// When the task started, Unix seconds (objects refreshed, pushed).
    #[serde(
        default,
        deserialize_with = "lenient::optional_integer",
        skip_serializing_if = "Option::is_none"
    )]
    pub create_time: Option<i64>,
    /// When it finished, Unix seconds (objects refreshed, pushed).
    #[serde(
        default,
        deserialize_with = "lenient::optional_integer",
        skip_serializing_if = "Option::is_none"
    )]
    pub complete_time: Option<i64>,
    /// Where the log file can be downloaded (log file created).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_path: Option<String>,
    /// The log file's size in bytes (log file created).
    #[serde(
        default,
        deserialize_with = "lenient::optional_integer",
        skip_serializing_if = "Option::is_none"
    )]
    pub file_size: Option<i64>,
    /// The start of the period the log file covers, Unix seconds (log file created).
    #[serde(
        default,
        deserialize_with = "lenient::optional_integer",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_time: Option<i64>,
    /// Its end, Unix seconds (log file created).
    #[serde(
        default,
        deserialize_with = "lenient::optional_integer",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_time: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::fixtures::fixture;

    #[test]
    fn reads_the_documented_samples() {
        let refreshed: CdnEvent = serde_json::from_str(fixture!("cdn.json")).unwrap();
        let record = &refreshed.events[0];
        assert_eq!(record.event_name, "CachedObjectsRefreshed");
        assert_eq!(record.resource.domain, "example.com");
        assert_eq!(record.user_identity.ali_uid, "164901546557****");
        let parameter = &record.event_parameter;
        assert_eq!(parameter.object_path.len(), 2);
        assert_eq!(parameter.task_id, Some(2_089_687_230));
        assert_eq!(parameter.object_type.as_deref(), Some("File"));

        let log: CdnEvent = serde_json::from_str(fixture!("cdn-log-file-created.json")).unwrap();
        let parameter = &log.events[0].event_parameter;
        assert_eq!(parameter.file_size, Some(1_788_115));
        assert_eq!(parameter.end_time, Some(1_528_959_900));
        assert!(
            parameter
                .file_path
                .as_deref()
                .unwrap()
                .starts_with("http://cdnlog.")
        );

        let started: CdnEvent = serde_json::from_str(fixture!("cdn-domain-started.json")).unwrap();
        assert_eq!(
            started.events[0].event_parameter.status.as_deref(),
            Some("online")
        );
    }

    #[test]
    fn null_parts_read_as_empty() {
        let event: CdnEvent = serde_json::from_str(
            r#"{"events":[{"eventName":"CdnDomainDeleted","resource":null,
                "eventParameter":{"domain":"example.com","objectPath":null},"userIdentity":null}]}"#,
        )
        .unwrap();
        let record = &event.events[0];
        assert_eq!(record.resource, CdnResource::default());
        assert!(record.event_parameter.object_path.is_empty());
        assert_eq!(
            record.event_parameter.domain.as_deref(),
            Some("example.com")
        );
    }
}
