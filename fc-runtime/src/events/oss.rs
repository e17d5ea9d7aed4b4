//! The event of an OSS trigger (FC's native one; through EventBridge, OSS events come as
//! [`CloudEvent<OssData>`](super::eventbridge::OssData)).
//!
//! ```
//! use fc_runtime::events::oss::OssEvent;
//!
//! let event: OssEvent = serde_json::from_str(r#"{"events": [{
//!     "eventName": "ObjectCreated:PutObject", "eventSource": "acs:oss",
//!     "eventTime": "2022-08-13T06:45:43.000Z", "eventVersion": "1.0", "region": "cn-hangzhou",
//!     "oss": {"bucket": {"name": "testbucket"}, "object": {"key": "source/a%20b.png", "size": 122539},
//!             "ossSchemaVersion": "1.0"}}]}"#)?;
//! let record = &event.events[0];
//! assert_eq!(record.oss.bucket.name, "testbucket");
//! assert_eq!(record.oss.object.decoded_key(), "source/a b.png");
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::lenient;

/// What an OSS trigger sends: the bucket notifications of one operation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OssEvent {
    /// The notifications, usually one.
    pub events: Vec<OssRecord>,
}

/// One notification: what happened to which object.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OssRecord {
    /// The event type, such as `ObjectCreated:PutObject` or `ObjectRemoved:DeleteObject`.
    #[serde(default)]
    pub event_name: String,
    /// Always `acs:oss`.
    #[serde(default)]
    pub event_source: String,
    /// When it happened, ISO 8601 (`2022-08-13T06:45:43.000Z`).
    #[serde(default)]
    pub event_time: String,
    /// The version of the event format, `1.0`.
    #[serde(default)]
    pub event_version: String,
    /// The bucket and object (empty parts when an event, such as one about the bucket itself
    /// through EventBridge, leaves them out).
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub oss: Oss,
    /// The bucket's region, such as `cn-hangzhou`.
    #[serde(default)]
    pub region: String,
    /// Facts about the request that caused the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_parameters: Option<RequestParameters>,
    /// Facts about OSS's answer to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_elements: Option<ResponseElements>,
    /// Who made the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_identity: Option<UserIdentity>,
}

/// The `oss` part of a notification.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Oss {
    /// The bucket.
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub bucket: Bucket,
    /// The object.
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub object: Object,
    /// The version of the OSS schema, `1.0`.
    #[serde(default)]
    pub oss_schema_version: String,
    /// The ID of the notification rule that matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
}

/// The bucket of a notification.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bucket {
    /// Its name.
    #[serde(default)]
    pub name: String,
    /// `acs:oss:<region>:<account>:<bucket>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// The account that owns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_identity: Option<String>,
    /// Present and empty in older samples.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub virtual_bucket: Option<String>,
}

/// The object of a notification.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Object {
    /// The object's key as OSS sends it: URL-encoded. [`Object::decoded_key`] decodes it.
    #[serde(default)]
    pub key: String,
    /// Size in bytes.
    #[serde(
        default,
        deserialize_with = "lenient::optional_integer",
        skip_serializing_if = "Option::is_none"
    )]
    pub size: Option<i64>,
    /// How much the size changed: the size of a new object, the difference for an overwrite.
    #[serde(
        default,
        deserialize_with = "lenient::optional_integer",
        skip_serializing_if = "Option::is_none"
    )]
    pub delta_size: Option<i64>,
    /// The object's ETag, as `GetObject` returns it.
    #[serde(default, rename = "eTag", skip_serializing_if = "Option::is_none")]
    pub e_tag: Option<String>,
    /// Its type and user metadata, when OSS sends them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_meta: Option<ObjectMeta>,
    /// Where an `AppendObject` wrote, the object's length before it.
    #[serde(
        default,
        deserialize_with = "lenient::optional_integer",
        skip_serializing_if = "Option::is_none"
    )]
    pub position: Option<i64>,
    /// The first byte a ranged download read (`ObjectDownloaded` events).
    #[serde(
        default,
        deserialize_with = "lenient::optional_integer",
        skip_serializing_if = "Option::is_none"
    )]
    pub read_from: Option<i64>,
    /// The last byte it read.
    #[serde(
        default,
        deserialize_with = "lenient::optional_integer",
        skip_serializing_if = "Option::is_none"
    )]
    pub read_to: Option<i64>,
}

impl Object {
    /// The key with its `%XX` escapes decoded: `source/a%20b.png` is `source/a b.png`, which is
    /// the name to pass to an OSS SDK.
    ///
    /// ```
    /// let object = fc_runtime::events::oss::Object { key: "%E5%9B%BE/1.jpg".into(), ..Default::default() };
    /// assert_eq!(object.decoded_key(), "图/1.jpg");
    /// ```
    pub fn decoded_key(&self) -> String {
        super::percent_decode(&self.key)
    }
}

/// An object's metadata.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta {
    /// Its content type, such as `image/png`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// `x-oss-meta-*` user metadata.
    #[serde(default, deserialize_with = "lenient::string_map")]
    pub user_meta: BTreeMap<String, String>,
    /// Metadata that OSS keeps across operations (`x-oss-persistent-headers`).
    #[serde(
        default,
        deserialize_with = "lenient::string_map",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub persistent_meta: BTreeMap<String, String>,
    /// Its `Cache-Control`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_control: Option<String>,
    /// Its `Content-Encoding`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_encoding: Option<String>,
    /// Its `Content-Disposition`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_disposition: Option<String>,
    /// Its `Expires`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Its `Content-Language`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_language: Option<String>,
    /// Its `Access-Control-Allow-Origin`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_control_allow_origin: Option<String>,
}

/// The `requestParameters` of a notification.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestParameters {
    /// The client's IP address.
    #[serde(default, rename = "sourceIPAddress")]
    pub source_ip_address: String,
}

/// The `responseElements` of a notification.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseElements {
    /// The OSS request id of the operation.
    #[serde(default)]
    pub request_id: String,
}

/// The `userIdentity` of a notification.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserIdentity {
    /// The Alibaba Cloud account that made the request.
    #[serde(default)]
    pub principal_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::fixtures::fixture;

    #[test]
    fn reads_the_documented_sample() {
        let event: OssEvent = serde_json::from_str(fixture!("oss.json")).unwrap();
        let record = &event.events[0];
        assert_eq!(record.event_name, "ObjectCreated:PutObject");
        assert_eq!(record.region, "cn-hangzhou");
        assert_eq!(record.oss.bucket.name, "testbucket");
        assert_eq!(record.oss.object.key, "source/a.png");
        assert_eq!(record.oss.object.size, Some(122_539));
        let meta = record.oss.object.object_meta.as_ref().unwrap();
        assert_eq!(meta.mime_type.as_deref(), Some("application/zip"));
        assert_eq!(meta.user_meta["x-oss-meta-last-modified"], "20250213");
        assert_eq!(
            record
                .request_parameters
                .as_ref()
                .unwrap()
                .source_ip_address,
            "140.205.XX.XX"
        );
        assert_eq!(
            record.user_identity.as_ref().unwrap().principal_id,
            "164901546557****"
        );
    }

    #[test]
    fn decodes_an_encoded_key() {
        let event: OssEvent = serde_json::from_str(fixture!("oss-encoded-key.json")).unwrap();
        let object = &event.events[0].oss.object;
        assert_eq!(object.decoded_key(), "image/图片 a.jpg");
        assert_eq!(
            event.events[0].oss.bucket.virtual_bucket.as_deref(),
            Some("")
        );
    }

    #[test]
    fn sizes_may_arrive_as_strings_and_unknown_fields_are_ignored() {
        let event: OssEvent = serde_json::from_str(
            r#"{"events":[{"eventName":"ObjectRemoved:DeleteObject","future":1,
                "oss":{"bucket":{"name":"b"},"object":{"key":"k","size":"7","deltaSize":"-7"}}}]}"#,
        )
        .unwrap();
        let object = &event.events[0].oss.object;
        assert_eq!((object.size, object.delta_size), (Some(7), Some(-7)));
    }

    #[test]
    fn reads_a_post_object_sample_with_an_escaped_plus() {
        let event: OssEvent = serde_json::from_str(fixture!("oss-post-object.json")).unwrap();
        let record = &event.events[0];
        assert_eq!(record.event_name, "ObjectCreated:PostObject");
        let object = &record.oss.object;
        assert_eq!(object.key, "inbox/scan%2B1.jpg");
        // `%2B` is a plus in the key; a literal `+` stays a plus (keys are not form-encoded).
        assert_eq!(object.decoded_key(), "inbox/scan+1.jpg");
        assert_eq!((object.size, object.delta_size), (Some(48_213), Some(0)));
        let meta = object.object_meta.as_ref().unwrap();
        assert_eq!(meta.mime_type.as_deref(), Some("image/jpeg"));
        assert!(meta.user_meta.is_empty());
        assert_eq!(record.oss.bucket.virtual_bucket.as_deref(), Some(""));
    }

    #[test]
    fn an_event_without_an_object_or_with_nulls_still_reads() {
        // EventBridge routes OSS events about buckets too; they name no object.
        let record: OssRecord = serde_json::from_str(
            r#"{"eventName":"BucketCreated","region":"cn-hangzhou","oss":{"bucket":{"name":"b"}}}"#,
        )
        .unwrap();
        assert_eq!(record.oss.bucket.name, "b");
        assert_eq!(record.oss.object, Object::default());
        let record: OssRecord =
            serde_json::from_str(r#"{"eventName":"x","oss":{"bucket":null,"object":null}}"#)
                .unwrap();
        assert_eq!(record.oss, Oss::default());
    }

    #[test]
    fn reads_an_append_with_its_position_and_full_metadata() {
        let event: OssEvent = serde_json::from_str(fixture!("oss-append-object.json")).unwrap();
        let object = &event.events[0].oss.object;
        assert_eq!(event.events[0].event_name, "ObjectCreated:AppendObject");
        assert_eq!((object.position, object.size), (Some(1_024), Some(1_536)));
        assert_eq!(object.delta_size, Some(512));
        let meta = object.object_meta.as_ref().unwrap();
        assert_eq!(meta.mime_type.as_deref(), Some("text/plain"));
        assert_eq!(meta.cache_control.as_deref(), Some("no-cache"));
        assert_eq!(meta.content_encoding.as_deref(), Some("utf-8"));
        assert_eq!(meta.content_disposition.as_deref(), Some("inline"));
        assert_eq!(
            meta.expires.as_deref(),
            Some("Wed, 21 Oct 2026 07:28:00 GMT")
        );
        assert_eq!(meta.content_language.as_deref(), Some("zh-CN"));
        assert_eq!(meta.access_control_allow_origin.as_deref(), Some("*"));
        assert_eq!(meta.user_meta["x-oss-meta-source"], "agent-7");
        assert_eq!(meta.persistent_meta["retention"], "30d");
        let download: Object =
            serde_json::from_str(r#"{"key":"k","readFrom":0,"readTo":"99"}"#).unwrap();
        assert_eq!((download.read_from, download.read_to), (Some(0), Some(99)));
    }
}
