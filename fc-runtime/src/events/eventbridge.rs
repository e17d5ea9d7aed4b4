//! EventBridge's CloudEvents 1.0 envelope, with a typed `data` for the sources FC routes
//! through EventBridge: OSS, MNS queues, RocketMQ, Kafka, RabbitMQ and DTS.
//!
//! An OSS event through EventBridge is one CloudEvent; the message-queue triggers (MNS queue,
//! RocketMQ, RabbitMQ, Kafka, DTS) deliver a batch, a JSON array of them:
//!
//! ```
//! use fc_runtime::Json;
//! use fc_runtime::events::eventbridge::{CloudEvent, KafkaData};
//!
//! async fn handler(Json(batch): Json<Vec<CloudEvent<KafkaData>>>) -> String {
//!     batch.iter().map(|event| event.data.value_text()).collect::<Vec<_>>().join("\n")
//! }
//! # let batch = br#"[{"specversion": "1.0", "id": "1", "source": "acs:alikafka",
//! #   "type": "alikafka:Topic:Message", "data": {"topic": "t", "partition": 0, "offset": 1,
//! #   "timestamp": 1655952591589, "key": "k", "value": "hello kafka msg"}}]"#;
//! # let answer = fc_runtime::Function::new().event(handler).invoke(batch.to_vec());
//! # let answer = tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(answer);
//! # assert_eq!(answer.unwrap(), "hello kafka msg");
//! ```
//!
//! `CloudEvent` without a type parameter keeps `data` as JSON, for sources without a type here;
//! [`CloudEvent::data_as`] reads it later.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::lenient;

/// A CloudEvents 1.0 event as EventBridge delivers it, with Alibaba Cloud's extension
/// attributes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudEvent<T = serde_json::Value> {
    /// The event's id, unique for its source.
    pub id: String,
    /// Where it comes from: `acs.oss`, `acs:alikafka`, the name of a trigger's event source, …
    pub source: String,
    /// `1.0`.
    #[serde(rename = "specversion", default)]
    pub spec_version: String,
    /// What happened: `oss:ObjectCreated:PutObject`, `alikafka:Topic:Message`, …
    #[serde(rename = "type")]
    pub event_type: String,
    /// The media type of `data`, such as `application/json;charset=utf-8`.
    #[serde(
        rename = "datacontenttype",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub data_content_type: Option<String>,
    /// A schema `data` adheres to.
    #[serde(
        rename = "dataschema",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub data_schema: Option<String>,
    /// What the event is about within the source, such as `acs:oss:<region>:<account>:<bucket>/<key>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// When it happened, as the source wrote it (ISO 8601, not always with a UTC offset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// The event's payload.
    pub data: T,
    /// The account the event belongs to.
    #[serde(
        rename = "aliyunaccountid",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub aliyun_account_id: Option<String>,
    /// The account of the event's origin, for cross-account delivery.
    #[serde(
        rename = "aliyunoriginalaccountid",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub aliyun_original_account_id: Option<String>,
    /// When EventBridge received it.
    #[serde(
        rename = "aliyunpublishtime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub aliyun_publish_time: Option<String>,
    /// The event bus it went through.
    #[serde(
        rename = "aliyuneventbusname",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub aliyun_event_bus_name: Option<String>,
    /// The region it was published in.
    #[serde(
        rename = "aliyunregionid",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub aliyun_region_id: Option<String>,
    /// The address it was published from.
    #[serde(
        rename = "aliyunpublishaddr",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub aliyun_publish_addr: Option<String>,
}

impl CloudEvent<serde_json::Value> {
    /// `data` as a typed value.
    ///
    /// ```
    /// use fc_runtime::events::eventbridge::{CloudEvent, MnsQueueData};
    ///
    /// let event: CloudEvent = serde_json::from_str(r#"{"id": "1", "source": "s", "type": "mns:Queue:SendMessage",
    ///     "data": {"requestId": "r", "messageId": "m", "messageBody": "TEST"}}"#)?;
    /// assert_eq!(event.data_as::<MnsQueueData>()?.message_body, "TEST");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn data_as<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        T::deserialize(&self.data)
    }
}

/// The `data` of an OSS event through EventBridge: one OSS notification. Its object key is
/// URL-encoded, as in the native trigger's event.
pub type OssData = super::oss::OssRecord;

/// The `data` of an MNS queue trigger's events.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MnsQueueData {
    /// The id of the request that sent the message.
    #[serde(default)]
    pub request_id: String,
    /// The message's id.
    #[serde(default)]
    pub message_id: String,
    /// The message body.
    #[serde(default)]
    pub message_body: String,
}

/// The `data` of a RocketMQ trigger's events.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RocketMqData {
    /// The topic.
    #[serde(default)]
    pub topic: String,
    /// RocketMQ's properties of the message (`TAGS`, `KEYS`, `MIN_OFFSET`, …), as text.
    #[serde(default, deserialize_with = "lenient::string_map")]
    pub system_properties: BTreeMap<String, String>,
    /// The sender's properties.
    #[serde(default, deserialize_with = "lenient::string_map")]
    pub user_properties: BTreeMap<String, String>,
    /// The message body.
    #[serde(default)]
    pub body: String,
}

/// The `data` of a RabbitMQ trigger's events.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RabbitMqData {
    /// How the message was delivered.
    #[serde(default)]
    pub envelope: RabbitMqEnvelope,
    /// The message body: JSON when it was JSON, else a string.
    #[serde(default)]
    pub body: serde_json::Value,
    /// The message properties (`contentEncoding`, `messageId`, headers, …).
    #[serde(default)]
    pub props: BTreeMap<String, serde_json::Value>,
}

/// The `envelope` of a RabbitMQ message.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RabbitMqEnvelope {
    /// The delivery tag.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub delivery_tag: i64,
    /// The exchange, empty for the default one.
    #[serde(default)]
    pub exchange: String,
    /// Whether the message was delivered before.
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub redeliver: bool,
    /// The routing key.
    #[serde(default)]
    pub routing_key: String,
}

/// The `data` of a Kafka trigger's events.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KafkaData {
    /// The topic.
    #[serde(default)]
    pub topic: String,
    /// The partition.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub partition: i64,
    /// The message's offset in it.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub offset: i64,
    /// The message's timestamp, Unix milliseconds.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub timestamp: i64,
    /// The message headers.
    #[serde(default)]
    pub headers: KafkaHeaders,
    /// The message key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The message value, by the trigger's data format: JSON parsed, text as a string, binary
    /// as a base64 string.
    #[serde(default)]
    pub value: serde_json::Value,
}

impl KafkaData {
    /// The value as text: the string itself, or the JSON of a parsed value.
    pub fn value_text(&self) -> String {
        match &self.value {
            serde_json::Value::String(text) => text.clone(),
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        }
    }
}

/// The `headers` of a Kafka message.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KafkaHeaders {
    /// The headers, as the trigger renders them.
    #[serde(default)]
    pub headers: Vec<serde_json::Value>,
    /// Reserved by the trigger.
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub is_read_only: bool,
}

/// The `data` of a DTS (data subscription) trigger's events: one change of a database row.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DtsData {
    /// The change's id in DTS.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub id: i64,
    /// Where DTS stored it.
    #[serde(default)]
    pub topic_partition: DtsTopicPartition,
    /// Its offset there.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub offset: i64,
    /// When the change happened, Unix seconds.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub source_timestamp: i64,
    /// `INSERT`, `UPDATE`, `DELETE`, `DDL`, …
    #[serde(default)]
    pub operation_type: String,
    /// The table's schema: fields, indexes and the database, as DTS describes them.
    #[serde(default)]
    pub schema: serde_json::Value,
    /// The row before the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_image: Option<serde_json::Value>,
    /// The row after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_image: Option<serde_json::Value>,
}

/// The `topicPartition` of a DTS change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DtsTopicPartition {
    /// DTS's storage hash.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub hash: i64,
    /// The partition.
    #[serde(default, deserialize_with = "lenient::integer")]
    pub partition: i64,
    /// The topic.
    #[serde(default)]
    pub topic: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::fixtures::fixture;

    #[test]
    fn reads_an_oss_event_through_eventbridge() {
        let event: CloudEvent<OssData> =
            serde_json::from_str(fixture!("eventbridge-oss.json")).unwrap();
        assert_eq!(event.source, "acs.oss");
        assert_eq!(event.event_type, "oss:ObjectCreated:PostObject");
        assert_eq!(event.spec_version, "1.0");
        assert_eq!(event.aliyun_event_bus_name.as_deref(), Some("default"));
        assert_eq!(event.data.oss.bucket.name, "testbucket");
        assert_eq!(event.data.oss.object.decoded_key(), "input/report 2022.csv");
        assert_eq!(event.data.oss.object.size, Some(59_537));
        // The same event read untyped, then typed.
        let untyped: CloudEvent = serde_json::from_str(fixture!("eventbridge-oss.json")).unwrap();
        assert_eq!(untyped.data_as::<OssData>().unwrap(), event.data);
    }

    #[test]
    fn reads_the_message_queue_batches() {
        let mns: Vec<CloudEvent<MnsQueueData>> =
            serde_json::from_str(fixture!("eventbridge-mns-queue.json")).unwrap();
        assert_eq!(mns[0].data.message_body, "TEST");
        assert_eq!(mns[0].event_type, "mns:Queue:SendMessage");

        let rocketmq: Vec<CloudEvent<RocketMqData>> =
            serde_json::from_str(fixture!("eventbridge-rocketmq.json")).unwrap();
        let data = &rocketmq[0].data;
        assert_eq!(data.topic, "TopicName");
        assert_eq!(
            data.system_properties["CONSUME_START_TIME"],
            "1628577790396"
        );
        assert_eq!(data.system_properties["TAGS"], "systemProperties.TAGS");
        assert_eq!(data.body, "TEST");

        let rabbitmq: Vec<CloudEvent<RabbitMqData>> =
            serde_json::from_str(fixture!("eventbridge-rabbitmq.json")).unwrap();
        let data = &rabbitmq[0].data;
        assert_eq!(data.envelope.delivery_tag, 98);
        assert_eq!(data.envelope.routing_key, "housekeeping");
        assert_eq!(data.body["Hello"], "RabbitMQ");
        assert_eq!(data.props["contentEncoding"], "UTF-8");

        let kafka: Vec<CloudEvent<KafkaData>> =
            serde_json::from_str(fixture!("eventbridge-kafka.json")).unwrap();
        let data = &kafka[0].data;
        assert_eq!((data.partition, data.offset), (7, 25));
        assert_eq!(data.timestamp, 1_655_952_591_589);
        assert_eq!(data.key.as_deref(), Some("keytest"));
        assert_eq!(data.value_text(), "hello kafka msg");
        assert_eq!(kafka[0].aliyun_event_bus_name, None);

        let dts: Vec<CloudEvent<DtsData>> =
            serde_json::from_str(fixture!("eventbridge-dts.json")).unwrap();
        let data = &dts[0].data;
        assert_eq!(data.operation_type, "UPDATE");
        assert_eq!(
            data.topic_partition.topic,
            "cn_hangzhou_rm_1234****_test_version2"
        );
        assert_eq!(data.schema["tableName"], "message_info");
        assert_eq!(data.after_image.as_ref().unwrap()["size"], 47);
    }
}
