//! The trigger events cargo fc knows: the sample events it carries (the fixtures fc-runtime's
//! tests read, embedded here), and for each trigger kind what `cargo fc new --event` writes.
//!
//! `cargo fc local invoke --example KIND` sends a sample, offline; `--example list` lists them.

use std::fmt;

use clap::ValueEnum;

use crate::error::{Exit, Failure, Result, failure_any};

/// `--example NAME` of a sample cargo fc does not carry.
#[derive(Debug)]
pub struct NoSuchExample {
    pub name: String,
}

impl std::fmt::Display for NoSuchExample {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cargo fc carries no sample event `{}`", self.name)
    }
}

impl Failure for NoSuchExample {
    fn exit(&self) -> Exit {
        Exit::Usage
    }

    fn kind(&self) -> &'static str {
        "local.no-such-example"
    }

    fn notes(&self) -> Vec<String> {
        crate::ui::closest(&self.name, &names())
            .map(|close| format!("did you mean `{close}`?"))
            .into_iter()
            .collect()
    }

    fn help(&self) -> Option<String> {
        Some(format!(
            "the samples are {}; `--example list` describes them",
            names().join(", ")
        ))
    }

    failure_any!();
}

/// A sample event, as FC sends it.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    /// The name `--example` takes.
    pub name: &'static str,
    /// What it is.
    pub description: &'static str,
    /// The fixture's file name (its extension says the format).
    pub file: &'static str,
    /// The payload, byte for byte.
    pub payload: &'static [u8],
}

macro_rules! sample {
    ($file:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fc-runtime/tests/fixtures/events/",
            $file
        ))
    };
}

macro_rules! example {
    ($name:literal, $file:literal, $description:literal) => {
        Example {
            name: $name,
            description: $description,
            file: $file,
            payload: sample!($file),
        }
    };
}

/// Every sample, the one of each trigger kind first (named as the kind).
pub const EXAMPLES: &[Example] = &[
    example!(
        "oss",
        "oss.json",
        "OSS trigger: an object uploaded (ObjectCreated:PutObject)"
    ),
    example!(
        "timer",
        "timer.json",
        "timer trigger firing, with its payload"
    ),
    example!(
        "sls",
        "sls.json",
        "Simple Log Service trigger: a block of a logstore to read"
    ),
    example!(
        "mns",
        "mns-json.json",
        "MNS topic trigger, JSON format, with a message attribute"
    ),
    example!("cdn", "cdn.json", "CDN trigger: cached objects refreshed"),
    example!(
        "tablestore",
        "tablestore.cbor",
        "Tablestore trigger: a row put (CBOR, as FC sends it)"
    ),
    example!(
        "http",
        "http.json",
        "FC 3.0 HTTP trigger of an event function: a GET request"
    ),
    example!(
        "apigw",
        "apigw.json",
        "API Gateway: a POST with a base64 body and a path parameter"
    ),
    example!(
        "eventbridge",
        "eventbridge-oss.json",
        "EventBridge: an OSS upload as a CloudEvent"
    ),
    example!(
        "oss-encoded-key",
        "oss-encoded-key.json",
        "OSS trigger: a key with URL escapes"
    ),
    example!(
        "mns-stream",
        "mns-stream.json",
        "MNS topic trigger, STREAM format, with attributes"
    ),
    example!(
        "mns-stream-text",
        "mns-stream.txt",
        "MNS topic trigger, STREAM format: the body alone"
    ),
    example!(
        "cdn-log",
        "cdn-log-file-created.json",
        "CDN trigger: a log file ready"
    ),
    example!(
        "cdn-domain",
        "cdn-domain-started.json",
        "CDN trigger: a domain started"
    ),
    example!(
        "http-binary",
        "http-api-invoke.json",
        "FC 3.0 HTTP trigger: a binary body, base64"
    ),
    example!(
        "eventbridge-mns",
        "eventbridge-mns-queue.json",
        "MNS queue trigger: a batch of CloudEvents"
    ),
    example!(
        "eventbridge-rocketmq",
        "eventbridge-rocketmq.json",
        "RocketMQ trigger: a batch of CloudEvents"
    ),
    example!(
        "eventbridge-rabbitmq",
        "eventbridge-rabbitmq.json",
        "RabbitMQ trigger: a batch of CloudEvents"
    ),
    example!(
        "eventbridge-kafka",
        "eventbridge-kafka.json",
        "Kafka trigger: a batch of CloudEvents"
    ),
    example!(
        "eventbridge-dts",
        "eventbridge-dts.json",
        "DTS trigger: a row change, as a batch of CloudEvents"
    ),
    example!(
        "eventbridge-mns-event",
        "eventbridge-mns-queue-event.json",
        "MNS queue trigger, event mode: one CloudEvent, a base64 body"
    ),
    example!(
        "eventbridge-kafka-strings",
        "eventbridge-kafka-strings.json",
        "Kafka trigger: a batch delivered as JSON strings"
    ),
    example!(
        "eventbridge-sls",
        "eventbridge-sls.json",
        "SLS through an EventBridge event stream: a log as a CloudEvent"
    ),
];

/// The sample named `name`.
pub fn example(name: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|example| example.name == name)
}

/// What `--example NAME` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExampleRequest {
    /// `--example list`: the names of the samples.
    List,
    /// A sample's payload.
    Payload(&'static [u8]),
}

/// Reads `--example NAME`.
pub fn request(name: &str) -> Result<ExampleRequest> {
    if name == "list" {
        return Ok(ExampleRequest::List);
    }
    match example(name) {
        Some(example) => Ok(ExampleRequest::Payload(example.payload)),
        None => Err(NoSuchExample {
            name: name.to_string(),
        }
        .into()),
    }
}

fn names() -> Vec<&'static str> {
    EXAMPLES.iter().map(|example| example.name).collect()
}

/// What `--example list` prints: one sample a line, name and description.
pub fn listing() -> String {
    let width = EXAMPLES.iter().map(|e| e.name.len()).max().unwrap_or(0);
    EXAMPLES
        .iter()
        .map(|e| format!("{:width$}  {}\n", e.name, e.description))
        .collect()
}

/// The triggers `cargo fc new --event` can write a function for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EventKind {
    /// OSS object notifications.
    Oss,
    /// A schedule.
    Timer,
    /// Simple Log Service (SLS) logstore data.
    Sls,
    /// MNS topic messages.
    Mns,
    /// CDN events.
    Cdn,
    /// Tablestore row changes.
    Tablestore,
    /// An FC 3.0 HTTP trigger, the request handed over as an event.
    Http,
    /// API Gateway requests.
    Apigw,
    /// EventBridge events (OSS through the default bus).
    Eventbridge,
}

impl EventKind {
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Oss => "oss",
            EventKind::Timer => "timer",
            EventKind::Sls => "sls",
            EventKind::Mns => "mns",
            EventKind::Cdn => "cdn",
            EventKind::Tablestore => "tablestore",
            EventKind::Http => "http",
            EventKind::Apigw => "apigw",
            EventKind::Eventbridge => "eventbridge",
        }
    }

    /// The sample of this kind, which the new function's test reads.
    pub fn example(self) -> &'static Example {
        example(self.name()).expect("every kind has a sample")
    }

    /// Where the new function keeps its sample.
    pub fn sample_path(self) -> String {
        format!("events/{}", self.example().file)
    }

    /// The `main.rs` of the template for this kind.
    pub fn variant(self) -> String {
        format!("variants/events/{}.rs", self.name())
    }

    /// The function's `Events` in Fun's template.yml (under its `Properties`), with the keys
    /// of Fun's schema (`lib/validate/schema/*-event.js` in funcraft); or a comment where Fun
    /// (FC 2.0) has no such trigger.
    pub fn fun_events(self) -> &'static str {
        match self {
            EventKind::Oss => {
                "      Events:
        oss:
          Type: OSS
          Properties:
            BucketName: my-bucket # the bucket to watch, in the service's region
            Events:
              - oss:ObjectCreated:*
            Filter:
              Key:
                Prefix: source/
                Suffix: ''
"
            }
            EventKind::Timer => {
                "      Events:
        timer:
          Type: Timer
          Properties:
            CronExpression: '0 0 8 * * *' # second minute hour day month weekday, in UTC
            Payload: awesome-fc
            Enable: true
"
            }
            EventKind::Sls => {
                "      Events:
        sls:
          Type: Log
          Properties:
            SourceConfig:
              Logstore: my-logstore # the logstore whose data invokes the function
            JobConfig:
              MaxRetryTime: 3
              TriggerInterval: 60
            LogConfig: # where SLS logs the trigger's own runs
              Project: my-project
              Logstore: my-trigger-logstore
            FunctionParameter: {}
            Enable: true
"
            }
            EventKind::Mns => {
                "      Events:
        mns:
          Type: MNSTopic
          Properties:
            TopicName: my-topic # a topic in the service's region
            NotifyContentFormat: JSON
            NotifyStrategy: BACKOFF_RETRY
"
            }
            EventKind::Cdn => {
                "      Events:
        cdn:
          Type: CDN
          Properties:
            EventName: CachedObjectsRefreshed
            EventVersion: '1.0.0'
            Notes: refreshed objects of my domain
            Filter:
              Domain: ['example.com'] # your accelerated domains
"
            }
            EventKind::Tablestore => {
                "      Events:
        tablestore:
          Type: TableStore
          Properties:
            InstanceName: my-instance # a table with Stream enabled
            TableName: my_table
"
            }
            EventKind::Http => {
                "      # FC 2.0, which Fun deploys to, hands HTTP triggers' requests to web functions
      # (`cargo fc new --http`); the HTTP trigger of this event function is in s.yaml.
"
            }
            EventKind::Apigw => {
                "      # API Gateway invokes the function from an API that points at it: define the API
      # in API Gateway (or with an `Aliyun::Serverless::Api` resource).
"
            }
            EventKind::Eventbridge => {
                "      # Fun has no EventBridge trigger: the one of this function is in s.yaml.
"
            }
        }
    }

    /// The function's `triggers` in a Serverless Devs fc3 s.yaml (under its `props`), with the
    /// keys of the fc3 component's schema (`ITrigger` and the trigger configs in its
    /// `src/schema.json`); or a comment where fc3 has no such trigger.
    pub fn fc3_triggers(self) -> &'static str {
        match self {
            EventKind::Oss => {
                "      triggers:
        - triggerName: oss
          triggerType: oss
          sourceArn: 'acs:oss:cn-hangzhou:${config(\"AccountID\")}:my-bucket' # the bucket to watch
          invocationRole: 'acs:ram::${config(\"AccountID\")}:role/aliyunosseventnotificationrole'
          triggerConfig:
            events:
              - oss:ObjectCreated:*
            filter:
              key:
                prefix: source/
                suffix: ''
"
            }
            EventKind::Timer => {
                "      triggers:
        - triggerName: timer
          triggerType: timer
          triggerConfig:
            cronExpression: '0 0 8 * * *' # second minute hour day month weekday, in UTC
            enable: true
            payload: awesome-fc
"
            }
            EventKind::Sls => {
                "      triggers:
        - triggerName: sls
          triggerType: log
          sourceArn: 'acs:log:cn-hangzhou:${config(\"AccountID\")}:project/my-project'
          invocationRole: 'acs:ram::${config(\"AccountID\")}:role/aliyunlogetlrole'
          triggerConfig:
            sourceConfig:
              logstore: my-logstore # the logstore whose data invokes the function
            jobConfig:
              maxRetryTime: 3
              triggerInterval: 60
            logConfig: # where SLS logs the trigger's own runs
              project: my-project
              logstore: my-trigger-logstore
            functionParameter: {}
            enable: true
"
            }
            EventKind::Mns => {
                "      triggers:
        - triggerName: mns
          triggerType: mns_topic
          sourceArn: 'acs:mns:cn-hangzhou:${config(\"AccountID\")}:/topics/my-topic'
          invocationRole: 'acs:ram::${config(\"AccountID\")}:role/aliyunmnsnotificationrole'
          triggerConfig:
            notifyContentFormat: JSON
            notifyStrategy: BACKOFF_RETRY
"
            }
            EventKind::Cdn => {
                "      triggers:
        - triggerName: cdn
          triggerType: cdn_events
          sourceArn: 'acs:cdn:*:${config(\"AccountID\")}'
          invocationRole: 'acs:ram::${config(\"AccountID\")}:role/aliyuncdneventnotificationrole'
          triggerConfig:
            eventName: CachedObjectsRefreshed
            eventVersion: '1.0.0'
            notes: refreshed objects of my domain
            filter:
              domain: ['example.com'] # your accelerated domains
"
            }
            EventKind::Tablestore => {
                "      triggers:
        - triggerName: tablestore
          triggerType: tablestore
          sourceArn: 'acs:ots:cn-hangzhou:${config(\"AccountID\")}:instance/my-instance/table/my_table'
          invocationRole: 'acs:ram::${config(\"AccountID\")}:role/aliyuntablestorestreamnotificationrole'
          triggerConfig: {}
"
            }
            EventKind::Http => {
                "      triggers:
        - triggerName: http
          triggerType: http
          triggerConfig:
            authType: anonymous
            methods: [GET, POST, PUT, DELETE, HEAD]
"
            }
            EventKind::Apigw => {
                "      # API Gateway invokes the function from an API that points at it: define the API
      # in API Gateway, with this function as its backend.
"
            }
            EventKind::Eventbridge => {
                "      triggers:
        - triggerName: eventbridge
          triggerType: eventbridge
          triggerConfig:
            triggerEnable: true
            asyncInvocationType: false
            eventSourceConfig:
              eventSourceType: Default # the default bus, where Alibaba Cloud services publish
            eventRuleFilterPattern: '{\"source\":[\"acs.oss\"],\"type\":[\"oss:ObjectCreated:PutObject\"]}'
"
            }
        }
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_sample_and_names_are_unique() {
        for kind in EventKind::value_variants() {
            let example = kind.example();
            assert!(!example.payload.is_empty(), "{kind}");
            assert!(kind.sample_path().starts_with("events/"));
        }
        let mut names: Vec<_> = EXAMPLES.iter().map(|e| e.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), EXAMPLES.len());
    }

    #[test]
    fn json_samples_are_json_and_the_tablestore_one_is_cbor() {
        for example in EXAMPLES {
            match example.file.rsplit_once('.').map(|(_, ext)| ext) {
                Some("json") => {
                    serde_json::from_slice::<serde_json::Value>(example.payload)
                        .unwrap_or_else(|e| panic!("{}: {e}", example.file));
                }
                Some("cbor") => assert_eq!(example.payload[0] & 0xE0, 0xA0, "a CBOR map"),
                Some("txt") => assert!(std::str::from_utf8(example.payload).is_ok()),
                other => panic!("{}: unexpected format {other:?}", example.file),
            }
        }
    }

    #[test]
    fn examples_are_requested_by_name() {
        assert_eq!(request("list").unwrap(), ExampleRequest::List);
        assert_eq!(
            request("timer").unwrap(),
            ExampleRequest::Payload(example("timer").unwrap().payload)
        );
        let error = request("osss").unwrap_err();
        assert!(error.to_string().contains("osss"), "{error}");
    }

    #[test]
    fn the_listing_names_every_sample() {
        let listing = listing();
        assert_eq!(listing.lines().count(), EXAMPLES.len());
        assert!(listing.starts_with("oss "), "{listing}");
    }
}
