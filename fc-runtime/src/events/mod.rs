//! Typed events of the triggers that invoke event functions, deserialisable from exactly what
//! Function Compute sends.
//!
//! | trigger | type | handler argument |
//! |---|---|---|
//! | OSS (native trigger) | [`oss::OssEvent`] | `Json<OssEvent>` |
//! | timer | [`timer::TimerEvent`] | `Json<TimerEvent>` |
//! | Simple Log Service (SLS) | [`sls::SlsEvent`] | `Json<SlsEvent>` |
//! | MNS topic, JSON or STREAM format | [`mns::MnsTopicEvent`] | `MnsTopicEvent` (a STREAM event may be plain text) |
//! | CDN | [`cdn::CdnEvent`] | `Json<CdnEvent>` |
//! | Tablestore (CBOR) | [`tablestore::TablestoreEvent`] | `TablestoreEvent` |
//! | HTTP trigger of an event function (FC 3.0) | [`http::HttpTriggerEvent`] | `Json<HttpTriggerEvent>` |
//! | API Gateway | [`apigw::ApiGatewayEvent`] | `Json<ApiGatewayEvent>` |
//! | EventBridge and the triggers behind it (OSS, MNS queue, RocketMQ, Kafka, RabbitMQ, DTS, SLS event streams) | [`eventbridge::CloudEvent<T>`], [`eventbridge::Batch<T>`] | `Json<CloudEvent<OssData>>`, `Json<Batch<KafkaData>>`, … |
//!
//! ```
//! use fc_runtime::Json;
//! use fc_runtime::events::oss::OssEvent;
//!
//! async fn handler(Json(event): Json<OssEvent>) -> String {
//!     event.events.iter().map(|record| record.oss.object.decoded_key()).collect::<Vec<_>>().join(",")
//! }
//! # let event = br#"{"events":[{"eventName":"ObjectCreated:PutObject","eventSource":"acs:oss",
//! #   "eventTime":"2022-08-13T06:45:43.000Z","eventVersion":"1.0","region":"cn-hangzhou",
//! #   "oss":{"bucket":{"name":"b"},"object":{"key":"a%20b.png"},"ossSchemaVersion":"1.0"}}]}"#;
//! # let answer = fc_runtime::Function::new().event(handler).invoke(event.to_vec());
//! # assert_eq!(tokio_test_block_on(answer).unwrap(), "a b.png");
//! # fn tokio_test_block_on<F: std::future::Future>(f: F) -> F::Output {
//! #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
//! # }
//! ```
//!
//! # How the types are made
//!
//! From Alibaba Cloud's documentation of each format, checked against the samples of public
//! projects:
//!
//! - Function Compute, "Trigger event format" (触发器 event 格式,
//!   <https://help.aliyun.com/zh/functioncompute/fc/user-guide/formats-of-event-for-different-triggers>,
//!   English: <https://www.alibabacloud.com/help/en/functioncompute/fc/formats-of-event-for-different-triggers-1>):
//!   timer, OSS, SLS, CDN, Tablestore, MNS topic and queue, RocketMQ, RabbitMQ, Kafka, DTS and
//!   API Gateway events, with a table of each field's type;
//! - Function Compute 3.0, "Use an HTTP trigger to invoke a function"
//!   (<https://www.alibabacloud.com/help/en/functioncompute/fc/http-trigger-invoking-function>):
//!   the request struct of HTTP-triggered event functions and the response they return;
//! - EventBridge's event overview and the OSS events it routes (CloudEvents 1.0 with Alibaba's
//!   `aliyun*` extension attributes);
//! - the event templates of Serverless Devs' `fc-event` and `fc3` components
//!   (<https://github.com/devsapp/fc-event>, `event-template/`;
//!   <https://github.com/devsapp/fc3>, `src/subCommands/trigger-template/event-template/`),
//!   which Serverless Devs hands to `s local invoke`, and a request captured there (an HTTP
//!   trigger event with `requestContext.triggerId`, `__tests__/e2e/trigger/http/evt.json`);
//! - Alibaba's Go runtime SDK, whose event types come with the events its triggers deliver
//!   (<https://github.com/aliyun/fc-runtime-go-sdk>, `events/README_*.md`): among them a
//!   Kafka trigger's batch delivered as an array of JSON *strings*, each a CloudEvent;
//! - the trigger samples of `awesome-fc/code-example`
//!   (<https://github.com/awesome-fc/code-example>, `quick-start-sample-codes/*/src/event*.json`):
//!   an MNS queue event alone with a base64 body, Kafka events without a key, a RabbitMQ text
//!   body, an OSS `PostObject`, a custom event without `specversion`;
//! - Alibaba's Java and .NET event libraries (<https://github.com/aliyun/fc-java-libs>,
//!   `fc-java-events/…/OSSEvent.java` and `ApiGatewayRequestEvent.java`;
//!   <https://github.com/aliyun/fc-dotnet-libs>, `Aliyun.Serverless.Events/OSSEvent.cs`):
//!   OSS objects' `position`, `readFrom`, `readTo` and the whole `objectMeta`;
//! - EventBridge's samples of its RocketMQ and Simple Log Service event sources
//!   (<https://help.aliyun.com/document_detail/191238.html>,
//!   <https://www.alibabacloud.com/help/en/eventbridge/user-guide/create-a-custom-event-source-of-the-log-service-type>),
//!   and FC's `DeliveryOption.eventSchema`, whose *RawData* delivers the `data` of each event
//!   without its envelope
//!   (<https://www.alibabacloud.com/help/en/functioncompute/api-fc-2023-03-30-struct-deliveryoption>).
//!
//! The samples are in `tests/fixtures/events/` of this crate, and its tests read every one of
//! them: the documentation's samples as published (`oss.json`, `timer.json`, `sls.json`,
//! `mns-*.json`, `cdn*.json`, `tablestore.json` and its CBOR encoding, `http.json`,
//! `eventbridge-{oss,mns-queue,rocketmq,rabbitmq,kafka,dts}.json`, whose message-queue
//! batches keep one event each), and samples
//! written here for what the documentation only describes: `apigw.json` (the documented
//! fields with values; the documentation shows a template), `oss-encoded-key.json` (a key
//! with escapes, as OSS sends non-ASCII keys) and `http-api-invoke.json` (a binary body and a
//! trigger id). The samples of public projects are rewritten with values of their own, in each
//! sample's exact shape (its fields, their JSON types, its escapes): `oss-post-object.json`,
//! `oss-append-object.json` (every field the Java library names),
//! `eventbridge-mns-queue-event.json` (one event, not a batch; a base64 body),
//! `eventbridge-kafka-strings.json` (the batch as JSON strings, written the way Java's Gson
//! escapes them), `eventbridge-rabbitmq-text.json`, `eventbridge-rocketmq-event.json`,
//! `eventbridge-sls.json`, `eventbridge-custom.json`, `eventbridge-kafka-rawdata.json` (the
//! RawData format) and `apigw-get.json`.
//!
//! Fields keep FC's names (`eventName`, `TopicOwner`, …) in their serde renames and Rust names
//! in snake case. Unknown fields are ignored, fields the documentation does not promise are
//! `Option`, and where the documentation's tables and its samples disagree on a type (CDN's
//! times are "String" in the tables and numbers in the samples), both are accepted. A `null`
//! where an object, a list or a map belongs reads as empty; message bodies that a source may
//! hand over parsed (RocketMQ, MNS queues) keep their JSON text.

pub mod apigw;
pub mod cdn;
pub mod eventbridge;
pub mod http;
pub mod mns;
pub mod oss;
pub mod sls;
pub mod tablestore;
pub mod timer;

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

/// Deserializers for values FC sends as numbers in some events and as strings in others.
pub(crate) mod lenient {
    use super::*;

    struct Integer;

    impl Visitor<'_> for Integer {
        type Value = i64;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an integer, or a string holding one")
        }

        fn visit_i64<E: de::Error>(self, value: i64) -> Result<i64, E> {
            Ok(value)
        }

        fn visit_u64<E: de::Error>(self, value: u64) -> Result<i64, E> {
            i64::try_from(value).map_err(|_| E::custom(format!("{value} is too large")))
        }

        fn visit_f64<E: de::Error>(self, value: f64) -> Result<i64, E> {
            if value.fract() == 0.0 && value.abs() < 9.0e15 {
                Ok(value as i64)
            } else {
                Err(E::invalid_value(de::Unexpected::Float(value), &self))
            }
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<i64, E> {
            value
                .trim()
                .parse()
                .map_err(|_| E::invalid_value(de::Unexpected::Str(value), &self))
        }
    }

    /// An integer, or a string holding one (`1529486425` or `"1529486425"`).
    pub(crate) fn integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        deserializer.deserialize_any(Integer)
    }

    /// Like [`integer`], for an optional field: absent, `null` and `""` are `None`.
    pub(crate) fn optional_integer<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<i64>, D::Error> {
        struct Optional;

        impl<'de> Visitor<'de> for Optional {
            type Value = Option<i64>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer, a string holding one, or null")
            }

            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }

            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }

            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
                Integer.visit_i64(value).map(Some)
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
                Integer.visit_u64(value).map(Some)
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
                Integer.visit_f64(value).map(Some)
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
                if value.trim().is_empty() {
                    return Ok(None);
                }
                Integer.visit_str(value).map(Some)
            }
        }

        deserializer.deserialize_option(Optional)
    }

    struct Boolean;

    impl Visitor<'_> for Boolean {
        type Value = bool;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("true or false, as a boolean or a string")
        }

        fn visit_bool<E: de::Error>(self, value: bool) -> Result<bool, E> {
            Ok(value)
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<bool, E> {
            match value.trim() {
                v if v.eq_ignore_ascii_case("true") => Ok(true),
                v if v.eq_ignore_ascii_case("false") || v.is_empty() => Ok(false),
                _ => Err(E::invalid_value(de::Unexpected::Str(value), &self)),
            }
        }

        fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
            Ok(false)
        }
    }

    /// A boolean, or `"true"`/`"false"` (API Gateway's `isBase64Encoded` is documented both
    /// ways); `null` is `false`.
    pub(crate) fn boolean<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(Boolean)
    }

    /// Text, where a source may also send other JSON (a message body that was JSON, parsed):
    /// a string is itself, `null` is empty, anything else is its JSON text.
    pub(crate) fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
        let value: serde_json::Value = serde::Deserialize::deserialize(deserializer)?;
        Ok(match value {
            serde_json::Value::String(text) => text,
            other => value_text(&other),
        })
    }

    /// A value whose `null` means its default (an empty object or list).
    pub(crate) fn null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: Default + serde::Deserialize<'de>,
    {
        let value: Option<T> = serde::Deserialize::deserialize(deserializer)?;
        Ok(value.unwrap_or_default())
    }

    /// A JSON object of strings, where FC may also send `null` for none; values that are not
    /// strings (numbers, booleans) are kept as their JSON text.
    pub(crate) fn string_map<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<std::collections::BTreeMap<String, String>, D::Error> {
        let map: Option<std::collections::BTreeMap<String, serde_json::Value>> =
            serde::Deserialize::deserialize(deserializer)?;
        Ok(map
            .unwrap_or_default()
            .into_iter()
            .map(|(key, value)| {
                let text = match value {
                    serde_json::Value::String(text) => text,
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                };
                (key, text)
            })
            .collect())
    }
}

/// A JSON value as text: a string is itself, `null` is empty, anything else is its JSON.
pub(crate) fn value_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A body that arrives base64-encoded could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyError(String);

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BodyError {}

/// The bytes of an event's `body`: base64-decoded when the event says it is encoded.
pub(crate) fn body_bytes(body: Option<&str>, base64: bool) -> Result<Vec<u8>, BodyError> {
    use base64::Engine as _;
    let body = body.unwrap_or_default();
    if !base64 {
        return Ok(body.as_bytes().to_vec());
    }
    // Padding is optional: bodies whose sender dropped the trailing `=` decode too.
    const ENGINE: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    ENGINE
        .decode(body.trim())
        .map_err(|error| BodyError(format!("the body is not valid base64: {error}")))
}

/// The value of header `name` in `headers`, whatever its case.
pub(crate) fn header<'a>(
    headers: &'a std::collections::BTreeMap<String, String>,
    name: &str,
) -> Option<&'a str> {
    headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

/// `%XX` sequences decoded, as OSS and EventBridge encode object keys; an invalid sequence is
/// kept as it is, and bytes that do not form UTF-8 are replaced.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
        if bytes[i] == b'%'
            && let Some(high) = bytes.get(i + 1).copied().and_then(hex)
            && let Some(low) = bytes.get(i + 2).copied().and_then(hex)
        {
            out.push(high << 4 | low);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
pub(crate) mod fixtures {
    //! The samples of `tests/fixtures/events/`, shared by the modules' tests.

    macro_rules! fixture {
        ($name:literal) => {
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/events/",
                $name
            ))
        };
    }
    pub(crate) use fixture;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Lenient {
        #[serde(deserialize_with = "lenient::integer")]
        n: i64,
        #[serde(default, deserialize_with = "lenient::optional_integer")]
        o: Option<i64>,
        #[serde(default, deserialize_with = "lenient::boolean")]
        b: bool,
    }

    #[test]
    fn numbers_and_booleans_arrive_either_way() {
        let read = |text: &str| serde_json::from_str::<Lenient>(text).unwrap();
        assert_eq!(
            read(r#"{"n": 1, "o": "2", "b": "true"}"#),
            Lenient {
                n: 1,
                o: Some(2),
                b: true
            }
        );
        assert_eq!(
            read(r#"{"n": "1528959900", "o": null, "b": false}"#),
            Lenient {
                n: 1_528_959_900,
                o: None,
                b: false
            }
        );
        assert_eq!(
            read(r#"{"n": 3, "o": ""}"#),
            Lenient {
                n: 3,
                o: None,
                b: false
            }
        );
        assert!(serde_json::from_str::<Lenient>(r#"{"n": "x"}"#).is_err());
        assert!(serde_json::from_str::<Lenient>(r#"{"n": 1, "b": "yes"}"#).is_err());
    }

    #[test]
    fn decodes_bodies_and_keys() {
        assert_eq!(body_bytes(Some("aGk="), true).unwrap(), b"hi");
        assert_eq!(body_bytes(Some("aGk="), false).unwrap(), b"aGk=");
        assert_eq!(body_bytes(None, true).unwrap(), b"");
        assert!(body_bytes(Some("not base64!"), true).is_err());
        assert_eq!(percent_decode("a%20b/%E4%BD%A0.png"), "a b/你.png");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("a+b%2"), "a+b%2");
    }

    /// Every sample in `tests/fixtures/events/` reads as the type of its trigger, the way a
    /// handler's argument reads it; a sample added without a type here fails.
    #[test]
    fn every_fixture_reads_as_its_type() {
        use crate::handler::FromEvent;
        use bytes::Bytes;

        fn json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<(), String> {
            serde_json::from_slice::<T>(bytes)
                .map(drop)
                .map_err(|e| e.to_string())
        }
        fn event<T: FromEvent>(bytes: &[u8]) -> Result<(), String> {
            T::from_event(Bytes::copy_from_slice(bytes))
                .map(drop)
                .map_err(|e| e.message().to_owned())
        }

        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/events");
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert!(names.len() >= 30, "{names:?}");
        for name in names {
            let bytes = std::fs::read(format!("{dir}/{name}")).unwrap();
            use eventbridge::*;
            let read = match name.as_str() {
                n if n.starts_with("oss") => json::<oss::OssEvent>(&bytes),
                "timer.json" => json::<timer::TimerEvent>(&bytes),
                "sls.json" => json::<sls::SlsEvent>(&bytes),
                n if n.starts_with("mns") => event::<mns::MnsTopicEvent>(&bytes),
                n if n.starts_with("cdn") => json::<cdn::CdnEvent>(&bytes),
                n if n.starts_with("tablestore") => event::<tablestore::TablestoreEvent>(&bytes),
                n if n.starts_with("http") => json::<http::HttpTriggerEvent>(&bytes),
                n if n.starts_with("apigw") => json::<apigw::ApiGatewayEvent>(&bytes),
                "eventbridge-oss.json" => json::<CloudEvent<OssData>>(&bytes),
                "eventbridge-custom.json" => json::<CloudEvent>(&bytes),
                "eventbridge-kafka-rawdata.json" => json::<Vec<KafkaData>>(&bytes),
                n if n.starts_with("eventbridge-kafka") => json::<Batch<KafkaData>>(&bytes),
                n if n.starts_with("eventbridge-mns") => json::<Batch<MnsQueueData>>(&bytes),
                n if n.starts_with("eventbridge-rocketmq") => json::<Batch<RocketMqData>>(&bytes),
                n if n.starts_with("eventbridge-rabbitmq") => json::<Batch<RabbitMqData>>(&bytes),
                n if n.starts_with("eventbridge-dts") => json::<Batch<DtsData>>(&bytes),
                n if n.starts_with("eventbridge-sls") => json::<Batch<SlsData>>(&bytes),
                other => panic!("{other}: a fixture no test reads as its type; add it here"),
            };
            read.unwrap_or_else(|error| panic!("{name}: {error}"));
        }
    }
}
