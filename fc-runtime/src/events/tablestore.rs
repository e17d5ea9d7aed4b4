//! The event of a Tablestore trigger: rows changed in a table, as its stream records them.
//!
//! FC delivers this event as [CBOR](https://cbor.io), not JSON. A handler takes
//! [`TablestoreEvent`] itself as its argument (it implements [`FromEvent`]), which decodes the
//! CBOR; a JSON rendering of the same event (the documentation's sample, an event typed by
//! hand for `cargo fc local invoke`) is read too.
//!
//! ```
//! use fc_runtime::FromEvent;
//! use fc_runtime::events::tablestore::{ColumnValue, RecordType, TablestoreEvent};
//!
//! let event = TablestoreEvent::from_event(r#"{"Version": "Sync-v1", "Records": [{"Type": "PutRow",
//!     "Info": {"Timestamp": 1506416585740836},
//!     "PrimaryKey": [{"ColumnName": "id", "Value": 7}],
//!     "Columns": [{"Type": "Put", "ColumnName": "name", "Value": "fc", "Timestamp": 1506416585741}]}]}"#.into())?;
//! let record = &event.records[0];
//! assert_eq!(record.record_type, RecordType::PutRow);
//! assert_eq!(record.primary_key[0].value, ColumnValue::Integer(7));
//! assert_eq!(record.column("name"), Some(&ColumnValue::String("fc".into())));
//! # Ok::<(), fc_runtime::Error>(())
//! ```

use std::fmt;

use bytes::Bytes;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::lenient;
use crate::error::Error;
use crate::handler::FromEvent;

/// What a Tablestore trigger sends.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TablestoreEvent {
    /// The payload's version, such as `Sync-v1`.
    #[serde(rename = "Version", default)]
    pub version: String,
    /// The changed rows.
    #[serde(rename = "Records", default)]
    pub records: Vec<Record>,
}

impl TablestoreEvent {
    /// Decodes an event: CBOR as FC sends it, or its JSON rendering.
    pub fn decode(payload: &[u8]) -> Result<TablestoreEvent, Error> {
        let invalid = |format: &str, error: &dyn fmt::Display| {
            Error::new(
                "InvalidEvent",
                format!("the event is not a Tablestore event in {format}: {error}"),
            )
        };
        // A CBOR event is a map, whose first byte is 0xA0 to 0xBF; `{` starts JSON.
        if payload.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
            return serde_json::from_slice(payload).map_err(|error| invalid("JSON", &error));
        }
        ciborium::from_reader(payload).map_err(|error| invalid("CBOR", &error))
    }
}

impl FromEvent for TablestoreEvent {
    fn from_event(event: Bytes) -> Result<Self, Error> {
        TablestoreEvent::decode(&event)
    }
}

/// One changed row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// What happened to it.
    #[serde(rename = "Type")]
    pub record_type: RecordType,
    /// When.
    #[serde(rename = "Info", default)]
    pub info: RecordInfo,
    /// The row's primary key, column by column.
    #[serde(rename = "PrimaryKey", default)]
    pub primary_key: Vec<PrimaryKeyColumn>,
    /// The attribute columns that changed.
    #[serde(rename = "Columns", default)]
    pub columns: Vec<Column>,
}

impl Record {
    /// The value a `Put` of this record wrote to the attribute column `name`.
    pub fn column(&self, name: &str) -> Option<&ColumnValue> {
        self.columns
            .iter()
            .find(|column| column.column_name == name)
            .and_then(|column| column.value.as_ref())
    }
}

/// The `Info` of a record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordInfo {
    /// When the row was last modified, in UTC microseconds since the epoch.
    #[serde(rename = "Timestamp", default, deserialize_with = "lenient::integer")]
    pub timestamp: i64,
}

/// A primary key column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrimaryKeyColumn {
    /// The column's name.
    #[serde(rename = "ColumnName")]
    pub column_name: String,
    /// Its value: an integer, a string or binary.
    #[serde(rename = "Value")]
    pub value: ColumnValue,
}

/// A changed attribute column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// What happened to it.
    #[serde(rename = "Type")]
    pub column_type: ColumnType,
    /// The column's name.
    #[serde(rename = "ColumnName")]
    pub column_name: String,
    /// The value written (`Put` only).
    #[serde(rename = "Value", default, skip_serializing_if = "Option::is_none")]
    pub value: Option<ColumnValue>,
    /// The version's timestamp in UTC milliseconds (`Put` and `DeleteOneVersion`).
    #[serde(
        rename = "Timestamp",
        default,
        deserialize_with = "lenient::optional_integer",
        skip_serializing_if = "Option::is_none"
    )]
    pub timestamp: Option<i64>,
}

/// A value of a Tablestore column.
#[derive(Clone, Debug, PartialEq)]
pub enum ColumnValue {
    /// An integer.
    Integer(i64),
    /// A double (attribute columns only).
    Double(f64),
    /// A boolean (attribute columns only).
    Boolean(bool),
    /// A string.
    String(String),
    /// Binary data (a CBOR byte string).
    Binary(Vec<u8>),
}

impl<'de> Deserialize<'de> for ColumnValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor;

        impl Visitor<'_> for ValueVisitor {
            type Value = ColumnValue;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer, double, boolean, string or binary value")
            }

            fn visit_bool<E: de::Error>(self, value: bool) -> Result<ColumnValue, E> {
                Ok(ColumnValue::Boolean(value))
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<ColumnValue, E> {
                Ok(ColumnValue::Integer(value))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<ColumnValue, E> {
                i64::try_from(value)
                    .map(ColumnValue::Integer)
                    .map_err(|_| E::custom(format!("{value} is larger than a Tablestore integer")))
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<ColumnValue, E> {
                Ok(ColumnValue::Double(value))
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<ColumnValue, E> {
                Ok(ColumnValue::String(value.to_owned()))
            }

            fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<ColumnValue, E> {
                Ok(ColumnValue::Binary(value.to_vec()))
            }

            fn visit_byte_buf<E: de::Error>(self, value: Vec<u8>) -> Result<ColumnValue, E> {
                Ok(ColumnValue::Binary(value))
            }
        }

        deserializer.deserialize_any(ValueVisitor)
    }
}

impl Serialize for ColumnValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ColumnValue::Integer(value) => serializer.serialize_i64(*value),
            ColumnValue::Double(value) => serializer.serialize_f64(*value),
            ColumnValue::Boolean(value) => serializer.serialize_bool(*value),
            ColumnValue::String(value) => serializer.serialize_str(value),
            ColumnValue::Binary(value) => serializer.serialize_bytes(value),
        }
    }
}

/// Writes a `Type` name enum: known names as variants, anything else kept as `Other`.
macro_rules! type_name_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$variant_meta:meta])* $variant:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub enum $name {
            $($(#[$variant_meta])* $variant,)*
            /// A type this version of fc-runtime does not know.
            Other(String),
        }

        impl $name {
            /// The name FC sends.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => stringify!($variant),)*
                    $name::Other(name) => name,
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let name = String::deserialize(deserializer)?;
                Ok(match name.as_str() {
                    $(stringify!($variant) => $name::$variant,)*
                    _ => $name::Other(name),
                })
            }
        }
    };
}

type_name_enum! {
    /// What happened to a row.
    RecordType {
        /// A row was written whole.
        PutRow,
        /// Some of a row's columns changed.
        UpdateRow,
        /// A row was deleted.
        DeleteRow,
    }
}

type_name_enum! {
    /// What happened to an attribute column.
    ColumnType {
        /// A value was written.
        Put,
        /// One version was deleted.
        DeleteOneVersion,
        /// Every version was deleted.
        DeleteAllVersions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::fixtures::fixture;

    const CBOR_FIXTURE: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/events/tablestore.cbor"
    ));

    /// The documentation's JSON sample, encoded as CBOR by a generic encoder (the way
    /// Tablestore's stream is encoded), not through this module's types.
    fn documented_sample_as_cbor() -> Vec<u8> {
        let sample: serde_json::Value = serde_json::from_str(fixture!("tablestore.json")).unwrap();
        let mut bytes = Vec::new();
        ciborium::into_writer(&sample, &mut bytes).unwrap();
        bytes
    }

    #[test]
    fn the_cbor_fixture_is_the_documented_sample() {
        let bytes = documented_sample_as_cbor();
        if std::env::var_os("UPDATE_FIXTURES").is_some() {
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/events/tablestore.cbor"
            );
            std::fs::write(path, &bytes).unwrap();
        }
        assert_eq!(bytes, CBOR_FIXTURE, "rerun with UPDATE_FIXTURES=1");
        assert_eq!(bytes[0] & 0xE0, 0xA0, "a CBOR map");
    }

    #[test]
    fn decodes_the_documented_sample_from_cbor_and_json() {
        let event = TablestoreEvent::from_event(Bytes::from_static(CBOR_FIXTURE)).unwrap();
        assert_eq!(event.version, "Sync-v1");
        let record = &event.records[0];
        assert_eq!(record.record_type, RecordType::PutRow);
        assert_eq!(record.info.timestamp, 1_506_416_585_740_836);
        assert_eq!(
            record.primary_key[0].value,
            ColumnValue::Integer(1_506_416_585_881_590_900)
        );
        assert_eq!(
            record.primary_key[1].value,
            ColumnValue::String("2017-09-26 17:03:05.8815909 +0800 CST".into())
        );
        assert_eq!(record.columns[0].column_type, ColumnType::Put);
        assert_eq!(
            record.column("attr_0"),
            Some(&ColumnValue::String("hello_table_store".into()))
        );
        assert_eq!(record.columns[1].timestamp, Some(1_506_416_585_741));
        let from_json = TablestoreEvent::from_event(fixture!("tablestore.json").into()).unwrap();
        assert_eq!(from_json, event);
    }

    #[test]
    fn binary_doubles_booleans_and_deletions_round_trip_through_cbor() {
        let event = TablestoreEvent {
            version: "Sync-v1".into(),
            records: vec![Record {
                record_type: RecordType::UpdateRow,
                info: RecordInfo { timestamp: 1 },
                primary_key: vec![PrimaryKeyColumn {
                    column_name: "blob".into(),
                    value: ColumnValue::Binary(vec![0, 159, 255]),
                }],
                columns: vec![
                    Column {
                        column_type: ColumnType::Put,
                        column_name: "ratio".into(),
                        value: Some(ColumnValue::Double(0.5)),
                        timestamp: Some(2),
                    },
                    Column {
                        column_type: ColumnType::Put,
                        column_name: "done".into(),
                        value: Some(ColumnValue::Boolean(true)),
                        timestamp: Some(2),
                    },
                    Column {
                        column_type: ColumnType::DeleteAllVersions,
                        column_name: "gone".into(),
                        value: None,
                        timestamp: None,
                    },
                ],
            }],
        };
        let mut bytes = Vec::new();
        ciborium::into_writer(&event, &mut bytes).unwrap();
        assert_eq!(TablestoreEvent::decode(&bytes).unwrap(), event);
    }

    #[test]
    fn unknown_types_are_kept_and_bad_payloads_are_invalid_events() {
        let event = TablestoreEvent::decode(
            br#"{"Version":"Sync-v2","Records":[{"Type":"MergeRow","Columns":[{"Type":"Increment","ColumnName":"n"}]}]}"#,
        )
        .unwrap();
        assert_eq!(
            event.records[0].record_type,
            RecordType::Other("MergeRow".into())
        );
        assert_eq!(
            event.records[0].columns[0].column_type.as_str(),
            "Increment"
        );
        let error = TablestoreEvent::decode(b"\xff\x00").unwrap_err();
        assert_eq!(error.error_type(), "InvalidEvent");
        assert!(error.message().contains("CBOR"), "{}", error.message());
    }
}
