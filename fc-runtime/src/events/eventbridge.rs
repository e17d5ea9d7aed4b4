//! EventBridge's CloudEvents 1.0 envelope, with a typed `data` for the sources FC routes
//! through EventBridge: OSS, MNS queues, RocketMQ, Kafka, RabbitMQ, DTS and Simple Log
//! Service.
//!
//! An OSS event through EventBridge is one CloudEvent; the message-queue triggers (MNS queue,
//! RocketMQ, RabbitMQ, Kafka, DTS) deliver a batch, a JSON array of them, or one alone in the
//! event mode. [`Batch`] reads all of these, and batches of JSON strings too:
//!
//! ```
//! use fc_runtime::Json;
//! use fc_runtime::events::eventbridge::{Batch, KafkaData};
//!
//! async fn handler(Json(batch): Json<Batch<KafkaData>>) -> String {
//!     batch.iter().map(|event| event.data.value_text()).collect::<Vec<_>>().join("\n")
//! }
//! # let event = r#"{"specversion": "1.0", "id": "1", "source": "acs:alikafka",
//! #   "type": "alikafka:Topic:Message", "data": {"topic": "t", "partition": 0, "offset": 1,
//! #   "timestamp": 1655952591589, "key": "k", "value": "hello kafka msg"}}"#;
//! # let run = |payload: String| {
//! #     let answer = fc_runtime::Function::new().event(handler).invoke(payload.into_bytes());
//! #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(answer).unwrap()
//! # };
//! # assert_eq!(run(format!("[{event}]")), "hello kafka msg");
//! # assert_eq!(run(event.to_string()), "hello kafka msg");
//! # assert_eq!(run(serde_json::to_string(&[event, event]).unwrap()), "hello kafka msg\nhello kafka msg");
//! ```
//!
//! A batch typed `Vec<CloudEvent<KafkaData>>` reads the arrays, of objects or of strings.
//!
//! `CloudEvent` without a type parameter keeps `data` as JSON, for sources without a type here;
//! [`CloudEvent::data_as`] reads it later.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::lenient;

/// A CloudEvents 1.0 event as EventBridge delivers it, with Alibaba Cloud's extension
/// attributes.
///
/// It reads from a JSON object, or from a string holding one: the Kafka trigger has delivered
/// its batches as an array of JSON strings (`["{\"data\":…}"]`, as the samples of
/// `fc-runtime-go-sdk` show).
// `remote = "Self"` makes the derives inherent functions, which the trait impls below wrap.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
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

impl<T: Serialize> Serialize for CloudEvent<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        CloudEvent::serialize(self, serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for CloudEvent<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(EventVisitor(PhantomData))
    }
}

struct EventVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for EventVisitor<T> {
    type Value = CloudEvent<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a CloudEvent: a JSON object, or a string holding one")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        CloudEvent::deserialize(de::value::MapAccessDeserializer::new(map))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        // The string's JSON is read into a `Value` first: it owns its text, so `T` may be read
        // from it whatever lifetime it borrows with.
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|error| E::custom(format!("a CloudEvent string that is not JSON: {error}")))?;
        if !value.is_object() {
            return Err(E::custom(format!(
                "a CloudEvent string that holds {value}, not a JSON object"
            )));
        }
        CloudEvent::deserialize(value).map_err(E::custom)
    }
}

/// What a message-queue trigger (MNS queue, RocketMQ, RabbitMQ, Kafka, DTS) hands a function:
/// its CloudEvents, however they arrive: a JSON array of events (the event-stream mode), one
/// event alone (the event mode, which delivers each message by itself), or an array of JSON
/// strings each holding an event.
///
/// ```
/// use fc_runtime::events::eventbridge::{Batch, MnsQueueData};
///
/// let one = r#"{"id": "1", "source": "s", "type": "mns:Queue:SendMessage",
///     "data": {"requestId": "r", "messageId": "m", "messageBody": "TEST"}}"#;
/// let batch: Batch<MnsQueueData> = serde_json::from_str(one)?;
/// assert_eq!(batch.len(), 1);
/// let many: Batch<MnsQueueData> = serde_json::from_str(&format!("[{one}, {one}]"))?;
/// assert_eq!(many.iter().map(|event| event.data.message_body.as_str()).collect::<Vec<_>>(), ["TEST", "TEST"]);
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// A trigger whose event format is *RawData* sends the `data` of each event without its
/// envelope: read that as `Vec<KafkaData>` (or the data type of its source).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Batch<T = serde_json::Value>(pub Vec<CloudEvent<T>>);

impl<T> Batch<T> {
    /// The events, in the order they were delivered.
    pub fn into_events(self) -> Vec<CloudEvent<T>> {
        self.0
    }
}

impl<T> std::ops::Deref for Batch<T> {
    type Target = Vec<CloudEvent<T>>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<T> IntoIterator for Batch<T> {
    type Item = CloudEvent<T>;
    type IntoIter = std::vec::IntoIter<CloudEvent<T>>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Batch<T> {
    type Item = &'a CloudEvent<T>;
    type IntoIter = std::slice::Iter<'a, CloudEvent<T>>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T: Serialize> Serialize for Batch<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Batch<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BatchVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for BatchVisitor<T> {
            type Value = Batch<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("CloudEvents: an array of them, or one alone")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut events = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
                while let Some(event) = seq.next_element()? {
                    events.push(event);
                }
                Ok(Batch(events))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                EventVisitor(PhantomData)
                    .visit_map(map)
                    .map(|event| Batch(vec![event]))
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
                EventVisitor(PhantomData)
                    .visit_str(text)
                    .map(|event| Batch(vec![event]))
            }
        }

        deserializer.deserialize_any(BatchVisitor(PhantomData))
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
    /// The message body. MNS hands over what the sender wrote: SDKs that encode bodies (MNS's
    /// Java SDK does by default) send base64, which [`MnsQueueData::base64_decoded_body`]
    /// decodes.
    #[serde(default, deserialize_with = "lenient::text")]
    pub message_body: String,
}

impl MnsQueueData {
    /// The body decoded from base64, for messages whose sender encoded them.
    ///
    /// ```
    /// let data = fc_runtime::events::eventbridge::MnsQueueData {
    ///     message_body: "aGVsbG8gcXVldWU=".into(),
    ///     ..Default::default()
    /// };
    /// assert_eq!(data.base64_decoded_body()?, b"hello queue");
    /// # Ok::<(), fc_runtime::events::BodyError>(())
    /// ```
    pub fn base64_decoded_body(&self) -> Result<Vec<u8>, super::BodyError> {
        super::body_bytes(Some(&self.message_body), true)
    }
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
    /// The message body (a body EventBridge sends as JSON is kept as its JSON text).
    #[serde(default, deserialize_with = "lenient::text")]
    pub body: String,
}

/// The `data` of a RabbitMQ trigger's events.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RabbitMqData {
    /// How the message was delivered.
    #[serde(default, deserialize_with = "lenient::null_default")]
    pub envelope: RabbitMqEnvelope,
    /// The message body: JSON when it was JSON, else a string.
    #[serde(default)]
    pub body: serde_json::Value,
    /// The message properties (`contentEncoding`, `messageId`, headers, …).
    #[serde(default, deserialize_with = "lenient::null_default")]
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
    #[serde(default, deserialize_with = "lenient::null_default")]
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
        super::value_text(&self.value)
    }
}

/// The `headers` of a Kafka message.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KafkaHeaders {
    /// The headers, as the trigger renders them.
    #[serde(default, deserialize_with = "lenient::null_default")]
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
    #[serde(default, deserialize_with = "lenient::null_default")]
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

/// The `data` of an event from Simple Log Service through EventBridge (an event stream whose
/// source is a logstore): one log, its fields and SLS's reserved `__…__` fields.
///
/// This is not the native SLS trigger's event, which names a block of logs to read:
/// see [`SlsEvent`](super::sls::SlsEvent).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SlsData {
    /// The log's topic (`__topic__`).
    #[serde(
        rename = "__topic__",
        default,
        deserialize_with = "lenient::text",
        skip_serializing_if = "String::is_empty"
    )]
    pub topic: String,
    /// Where the log was collected (`__source__`).
    #[serde(
        rename = "__source__",
        default,
        deserialize_with = "lenient::text",
        skip_serializing_if = "String::is_empty"
    )]
    pub source: String,
    /// The address of the host the log came from (`__client_ip__`).
    #[serde(
        rename = "__client_ip__",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub client_ip: Option<String>,
    /// When the log reached SLS, Unix seconds (`__receive_time__`, sent as a string).
    #[serde(
        rename = "__receive_time__",
        default,
        deserialize_with = "lenient::optional_integer",
        skip_serializing_if = "Option::is_none"
    )]
    pub receive_time: Option<i64>,
    /// The id of the log group the log belongs to (`__pack_id__`).
    #[serde(
        rename = "__pack_id__",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub pack_id: Option<String>,
    /// The log's own fields, and any reserved field not named above.
    #[serde(flatten)]
    pub fields: BTreeMap<String, serde_json::Value>,
}

impl SlsData {
    /// A field of the log by name, as text.
    pub fn field(&self, name: &str) -> Option<String> {
        self.fields.get(name).map(super::value_text)
    }
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

    #[test]
    fn reads_an_mns_queue_event_alone_and_its_base64_body() {
        // The event mode delivers one CloudEvent, not an array.
        let sample = fixture!("eventbridge-mns-queue-event.json");
        let event: CloudEvent<MnsQueueData> = serde_json::from_str(sample).unwrap();
        assert_eq!(event.time.as_deref(), Some("2024-03-11T09:26:41.5Z"));
        assert_eq!(event.aliyun_region_id.as_deref(), Some("cn-hangzhou"));
        assert_eq!(event.data.message_body, "b3JkZXIgNDIgcGFpZA==");
        assert_eq!(event.data.base64_decoded_body().unwrap(), b"order 42 paid");
        let batch: Batch<MnsQueueData> = serde_json::from_str(sample).unwrap();
        assert_eq!(batch.into_events(), vec![event]);
        // A body whose padding was dropped decodes too; one that is not base64 is an error.
        let unpadded = MnsQueueData {
            message_body: "b3JkZXIgNDIgcGFpZA".into(),
            ..Default::default()
        };
        assert_eq!(unpadded.base64_decoded_body().unwrap(), b"order 42 paid");
        let plain = MnsQueueData {
            message_body: "TEST!".into(),
            ..Default::default()
        };
        assert!(plain.base64_decoded_body().is_err());
    }

    #[test]
    fn reads_a_kafka_batch_of_json_strings() {
        let sample = fixture!("eventbridge-kafka-strings.json");
        let batch: Vec<CloudEvent<KafkaData>> = serde_json::from_str(sample).unwrap();
        assert_eq!(batch.len(), 2);
        let first = &batch[0];
        assert_eq!(first.event_type, "alikafka:Topic:Message");
        assert_eq!(
            first.data_content_type.as_deref(),
            Some("application/json; charset=utf-8")
        );
        assert_eq!((first.data.partition, first.data.offset), (3, 1187));
        assert_eq!(first.data.key, None);
        assert_eq!(
            first.data.value_text(),
            r#"b'{\n    "page": "/pricing"\n}'"#
        );
        assert_eq!(batch[1].data.value_text(), "second");
        let through_batch: Batch<KafkaData> = serde_json::from_str(sample).unwrap();
        assert_eq!(through_batch.0, batch);
        // Untyped too, and a string that holds no event is an error that says so.
        let untyped: Batch = serde_json::from_str(sample).unwrap();
        assert_eq!(untyped[1].data["offset"], 1188);
        let error = serde_json::from_str::<Vec<CloudEvent>>(r#"["[1]"]"#).unwrap_err();
        assert!(error.to_string().contains("not a JSON object"), "{error}");
        let error = serde_json::from_str::<Vec<CloudEvent>>(r#"["{"]"#).unwrap_err();
        assert!(error.to_string().contains("not JSON"), "{error}");
    }

    #[test]
    fn reads_raw_data_batches_without_the_envelope() {
        let batch: Vec<KafkaData> =
            serde_json::from_str(fixture!("eventbridge-kafka-rawdata.json")).unwrap();
        assert_eq!(batch[0].key.as_deref(), Some("visitor-9"));
        assert_eq!(batch[0].value_text(), r#"{"page":"/docs"}"#);
        assert!(!batch[0].headers.is_read_only);
    }

    #[test]
    fn reads_a_rabbitmq_text_body_and_null_properties() {
        let batch: Batch<RabbitMqData> =
            serde_json::from_str(fixture!("eventbridge-rabbitmq-text.json")).unwrap();
        let event = &batch[0];
        assert_eq!(event.source, "acs:amqp");
        assert_eq!(event.data.body, "订单已创建 #42");
        assert_eq!(event.data.envelope.exchange, "orders-exchange");
        assert_eq!(
            event.data.props["messageId"],
            "3e1f0c9a-7b6d-4a2e-9c8b-5d4f3e2a1b0c"
        );
        let data: RabbitMqData =
            serde_json::from_str(r#"{"envelope": null, "props": null, "body": "x"}"#).unwrap();
        assert!(data.props.is_empty());
        assert_eq!(data.envelope, RabbitMqEnvelope::default());
    }

    #[test]
    fn reads_rocketmq_events_from_the_event_bus() {
        let event: CloudEvent<RocketMqData> =
            serde_json::from_str(fixture!("eventbridge-rocketmq-event.json")).unwrap();
        assert_eq!(event.aliyun_account_id, None);
        assert_eq!(
            event.data.system_properties["UNIQ_KEY"],
            "0A1B2C3D4E5F60718293A4B5C6D7E8F9"
        );
        assert_eq!(
            event.data.system_properties["CONSUME_START_TIME"],
            "1710149201537"
        );
        assert_eq!(event.data.body, "order 42 paid");
        // A body EventBridge hands over as JSON is kept as its text.
        let data: RocketMqData =
            serde_json::from_str(r#"{"topic": "t", "body": {"order": 42}}"#).unwrap();
        assert_eq!(data.body, r#"{"order":42}"#);
    }

    #[test]
    fn reads_simple_log_service_logs_through_an_event_stream() {
        let batch: Batch<SlsData> = serde_json::from_str(fixture!("eventbridge-sls.json")).unwrap();
        let event = &batch[0];
        assert_eq!(event.event_type, "sls:connector");
        let log = &event.data;
        assert_eq!(log.topic, "payments");
        assert_eq!(log.source, "checkout-7f9c");
        assert_eq!(log.client_ip.as_deref(), Some("198.51.100.61"));
        assert_eq!(log.receive_time, Some(1_710_149_201));
        assert_eq!(log.pack_id.as_deref(), Some("6A7B8C9D0E1F2A3B-1F"));
        assert_eq!(log.field("level").as_deref(), Some("ERROR"));
        assert_eq!(log.fields.len(), 2, "{:?}", log.fields);
    }

    #[test]
    fn reads_a_custom_event_without_optional_attributes() {
        let event: CloudEvent = serde_json::from_str(fixture!("eventbridge-custom.json")).unwrap();
        assert_eq!(event.spec_version, "");
        assert_eq!(event.time, None);
        assert_eq!(
            event.data_schema.as_deref(),
            Some("https://example.com/schemas/order.json")
        );
        #[derive(Deserialize)]
        struct Order {
            number: u32,
        }
        assert_eq!(event.data_as::<Order>().unwrap().number, 42);
    }

    #[test]
    fn events_serialize_back_to_what_was_read() {
        let sample: serde_json::Value =
            serde_json::from_str(fixture!("eventbridge-mns-queue-event.json")).unwrap();
        let event: CloudEvent<MnsQueueData> = serde_json::from_value(sample.clone()).unwrap();
        assert_eq!(serde_json::to_value(&event).unwrap(), sample);
        let batch = Batch(vec![event]);
        assert_eq!(
            serde_json::to_value(&batch).unwrap(),
            serde_json::json!([sample])
        );
    }
}
