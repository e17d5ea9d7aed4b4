//! The event of an MNS topic trigger, in either of the formats a trigger can be set to.
//!
//! - **JSON**: an object with the message and its facts (`TopicOwner`, `Message`,
//!   `PublishTime`, …); the message's attributes (`MessageAttributes`) are extra keys of that
//!   object.
//! - **STREAM**: the message body itself, as the event's bytes; or, when the message has
//!   attributes, `{"body": …, "attrs": {…}}`.
//!
//! A handler takes [`MnsTopicEvent`] itself as its argument (it implements
//! [`FromEvent`]), which reads all of them, the plain-text body of the
//! STREAM format too; `Json<MnsTopicEvent>` reads only the JSON shapes.
//!
//! ```
//! use fc_runtime::FromEvent;
//! use fc_runtime::events::mns::MnsTopicEvent;
//!
//! let stream = MnsTopicEvent::from_event("hello topic".into())?;
//! assert_eq!(stream.message(), "hello topic");
//! let json = MnsTopicEvent::from_event(r#"{"TopicName":"t","Message":"hi","PublishTime":1550216302888,"k":"v"}"#.into())?;
//! assert_eq!(json.message(), "hi");
//! assert_eq!(json.attribute("k").as_deref(), Some("v"));
//! # Ok::<(), fc_runtime::Error>(())
//! ```
//!
//! MNS *queue* triggers deliver CloudEvents through EventBridge: see
//! [`MnsQueueData`](super::eventbridge::MnsQueueData).

use std::collections::BTreeMap;
use std::fmt;

use bytes::Bytes;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::lenient;
use crate::error::Error;
use crate::handler::FromEvent;

/// What an MNS topic trigger sends.
#[derive(Clone, Debug, PartialEq)]
pub enum MnsTopicEvent {
    /// The trigger's event format is JSON.
    Json(MnsTopicMessage),
    /// The trigger's event format is STREAM.
    Stream(MnsStreamMessage),
}

impl MnsTopicEvent {
    /// The message body.
    pub fn message(&self) -> &str {
        match self {
            MnsTopicEvent::Json(message) => &message.message,
            MnsTopicEvent::Stream(message) => &message.body,
        }
    }

    /// A message attribute by name, as text (a JSON value that is not a string, as its JSON).
    pub fn attribute(&self, name: &str) -> Option<String> {
        match self {
            MnsTopicEvent::Json(message) => message.attributes.get(name).map(|value| match value {
                serde_json::Value::String(text) => text.clone(),
                other => other.to_string(),
            }),
            MnsTopicEvent::Stream(message) => message.attrs.get(name).cloned(),
        }
    }
}

/// The JSON format's message.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MnsTopicMessage {
    /// The topic's name.
    pub topic_name: String,
    /// The account that owns the topic.
    pub topic_owner: String,
    /// The message body.
    pub message: String,
    /// The subscribing account.
    pub subscriber: String,
    /// The subscription's name.
    pub subscription_name: String,
    /// When the message was published, in Unix milliseconds.
    pub publish_time: i64,
    /// The MD5 of the body, as MNS computes it.
    pub message_md5: String,
    /// The message's id.
    pub message_id: String,
    /// The message's attributes: every other key of the event.
    pub attributes: BTreeMap<String, serde_json::Value>,
}

/// The STREAM format's message when it carries attributes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MnsStreamMessage {
    /// The message body.
    pub body: String,
    /// The message's attributes (`Extend` holds the JSON of `MessageAttributes`).
    #[serde(default, deserialize_with = "lenient::string_map")]
    pub attrs: BTreeMap<String, String>,
}

impl Serialize for MnsTopicEvent {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let message = match self {
            MnsTopicEvent::Stream(message) => return message.serialize(serializer),
            MnsTopicEvent::Json(message) => message,
        };
        let mut map = serializer.serialize_map(Some(8 + message.attributes.len()))?;
        for (key, value) in &message.attributes {
            map.serialize_entry(key, value)?;
        }
        map.serialize_entry("TopicOwner", &message.topic_owner)?;
        map.serialize_entry("Message", &message.message)?;
        map.serialize_entry("Subscriber", &message.subscriber)?;
        map.serialize_entry("PublishTime", &message.publish_time)?;
        map.serialize_entry("SubscriptionName", &message.subscription_name)?;
        map.serialize_entry("MessageMD5", &message.message_md5)?;
        map.serialize_entry("TopicName", &message.topic_name)?;
        map.serialize_entry("MessageId", &message.message_id)?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for MnsTopicEvent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(EventVisitor)
    }
}

struct EventVisitor;

impl<'de> Visitor<'de> for EventVisitor {
    type Value = MnsTopicEvent;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an MNS topic event: an object with `Message` and `TopicName`, or with `body`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value: serde_json::Value = map.next_value()?;
            fields.insert(key, value);
        }
        if fields.contains_key("Message") || fields.contains_key("TopicName") {
            return topic_message(fields).map(MnsTopicEvent::Json);
        }
        if fields.contains_key("body") {
            return MnsStreamMessage::deserialize(serde_json::Value::Object(fields))
                .map(MnsTopicEvent::Stream)
                .map_err(de::Error::custom);
        }
        Err(de::Error::custom(
            "this is not an MNS topic event: it has neither `Message` and `TopicName` (the JSON \
             format) nor `body` (the STREAM format with attributes)",
        ))
    }
}

fn topic_message<E: de::Error>(
    mut fields: serde_json::Map<String, serde_json::Value>,
) -> Result<MnsTopicMessage, E> {
    let mut text = |name: &str| match fields.remove(name) {
        Some(serde_json::Value::String(text)) => Ok(text),
        None | Some(serde_json::Value::Null) => Ok(String::new()),
        Some(other) => Err(E::custom(format!("`{name}` is {other}, not a string"))),
    };
    let topic_name = text("TopicName")?;
    let topic_owner = text("TopicOwner")?;
    let message = text("Message")?;
    let subscriber = text("Subscriber")?;
    let subscription_name = text("SubscriptionName")?;
    let message_md5 = text("MessageMD5")?;
    let message_id = text("MessageId")?;
    let publish_time = match fields.remove("PublishTime") {
        None | Some(serde_json::Value::Null) => 0,
        Some(value) => lenient::integer(value).map_err(E::custom)?,
    };
    Ok(MnsTopicMessage {
        topic_name,
        topic_owner,
        message,
        subscriber,
        subscription_name,
        publish_time,
        message_md5,
        message_id,
        attributes: fields.into_iter().collect(),
    })
}

impl MnsTopicEvent {
    /// Reads an event as FC delivers it: JSON in either shape, else (STREAM format without
    /// attributes) the whole payload is the message body.
    pub fn from_payload(payload: &[u8]) -> Result<MnsTopicEvent, Error> {
        let is_object = payload
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b == b'{');
        if is_object && let Ok(event) = serde_json::from_slice::<MnsTopicEvent>(payload) {
            return Ok(event);
        }
        let body = String::from_utf8(payload.to_vec()).map_err(|error| {
            Error::new(
                "InvalidEvent",
                format!("the MNS message body is not UTF-8: {error}"),
            )
        })?;
        Ok(MnsTopicEvent::Stream(MnsStreamMessage {
            body,
            attrs: BTreeMap::new(),
        }))
    }
}

impl FromEvent for MnsTopicEvent {
    fn from_event(event: Bytes) -> Result<Self, Error> {
        MnsTopicEvent::from_payload(&event)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::fixtures::fixture;

    #[test]
    fn reads_the_json_format_with_attributes() {
        let event = MnsTopicEvent::from_event(fixture!("mns-json.json").into()).unwrap();
        let MnsTopicEvent::Json(message) = &event else {
            panic!("{event:?}");
        };
        assert_eq!(message.topic_name, "Mytopic");
        assert_eq!(message.message, "hello topic");
        assert_eq!(message.publish_time, 1_550_216_302_888);
        assert_eq!(message.message_md5, "BA4BA9B48AC81F0F9C66F6C909C3****");
        assert_eq!(event.attribute("key").as_deref(), Some("value"));
        assert_eq!(message.attributes.len(), 1);
        // Through serde too, as `Json<MnsTopicEvent>` reads it, and back.
        let same: MnsTopicEvent = serde_json::from_str(fixture!("mns-json.json")).unwrap();
        assert_eq!(same, event);
        let written: serde_json::Value = serde_json::to_value(&event).unwrap();
        let sample: serde_json::Value = serde_json::from_str(fixture!("mns-json.json")).unwrap();
        assert_eq!(written, sample);
    }

    #[test]
    fn reads_the_json_format_without_attributes() {
        let event =
            MnsTopicEvent::from_event(fixture!("mns-json-without-attributes.json").into()).unwrap();
        let MnsTopicEvent::Json(message) = event else {
            panic!();
        };
        assert!(message.attributes.is_empty());
        assert_eq!(message.message_id, "2F5B3C082B923D4EAC694B76D928****");
    }

    #[test]
    fn reads_the_stream_format_with_and_without_attributes() {
        let event = MnsTopicEvent::from_event(fixture!("mns-stream.json").into()).unwrap();
        assert_eq!(event.message(), "hello topic");
        assert_eq!(
            event.attribute("Extend").as_deref(),
            Some(r#"{"key":"value"}"#)
        );
        let event = MnsTopicEvent::from_event(fixture!("mns-stream.txt").into()).unwrap();
        assert_eq!(
            event,
            MnsTopicEvent::Stream(MnsStreamMessage {
                body: "hello topic".into(),
                attrs: BTreeMap::new()
            })
        );
        // A body that happens to be JSON is still the body.
        let event = MnsTopicEvent::from_event(r#"{"order": 7}"#.into()).unwrap();
        assert_eq!(event.message(), r#"{"order": 7}"#);
        assert!(MnsTopicEvent::from_event(Bytes::from_static(b"\xff")).is_err());
    }
}
