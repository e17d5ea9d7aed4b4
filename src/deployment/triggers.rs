//! Triggers in every format: Fun's `Events` (a mapping of names to `{Type, Properties}`), an
//! s.yaml's `triggers` (a list: fc3's `triggerName/triggerType/triggerConfig`, edition 1.0.0's
//! `name/type/config`), each config typed by its trigger type as FC 3.0's SDK models it.

use super::model::{
    CdnTriggerConfig, EventBridgeTriggerConfig, HttpTriggerConfig, LogTriggerConfig,
    MnsTopicTriggerConfig, OssTriggerConfig, TablestoreTriggerConfig, TimerTriggerConfig, Trigger,
    TriggerConfig, TriggerKind,
};
use super::read::{Reader, Spelling, first};
use super::value::{Field, NodeId, UnknownKey, Value};
use super::yaml::Entry;

/// Which s.yaml edition writes the trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edition {
    V1,
    V3,
}

fn empty(declared: super::value::Span, value: Value<()>) -> Trigger {
    Trigger {
        declared,
        value,
        name: None,
        trigger_type: None,
        kind: None,
        config: None,
        qualifier: None,
        invocation_role: None,
        source_arn: None,
        description: None,
        untyped: Vec::new(),
        unknown: Vec::new(),
    }
}

/// The type as Fun names it (`HTTP`, `MNSTopic`).
fn fun_kind(text: &str) -> TriggerKind {
    match text {
        "HTTP" => TriggerKind::Http,
        "Timer" => TriggerKind::Timer,
        "OSS" => TriggerKind::Oss,
        "Log" => TriggerKind::Log,
        "RDS" => TriggerKind::Rds,
        "MNSTopic" => TriggerKind::MnsTopic,
        "TableStore" => TriggerKind::Tablestore,
        "CDN" => TriggerKind::Cdn,
        "Datahub" => TriggerKind::Datahub,
        other => TriggerKind::Other(other.to_string()),
    }
}

/// The type as an s.yaml names it (`http`, `mns_topic`); the components compare it as written,
/// cargo fc without regard to case.
fn devs_kind(text: &str) -> TriggerKind {
    match text.to_ascii_lowercase().as_str() {
        "http" => TriggerKind::Http,
        "timer" => TriggerKind::Timer,
        "oss" => TriggerKind::Oss,
        "log" => TriggerKind::Log,
        "mns_topic" => TriggerKind::MnsTopic,
        "cdn_events" => TriggerKind::Cdn,
        "eventbridge" => TriggerKind::EventBridge,
        "tablestore" => TriggerKind::Tablestore,
        _ => TriggerKind::Other(text.to_string()),
    }
}

/// One entry of Fun's `Events`.
pub(super) fn fun_event(r: &Reader, name: &str, entry: Entry) -> Trigger {
    let _ = name;
    let mapping = r.mapping(entry.value);
    let mut trigger = empty(r.span(entry.key), mapping.as_ref().map(|_| ()));
    trigger.name = Some(Field {
        name: "",
        key: r.span(entry.key),
        value: r.string(entry.key),
    });
    let Value::Literal(map, _) = mapping else {
        return trigger;
    };
    let mut properties = None;
    for (key, entry) in r.entries(map) {
        match key {
            "Type" => first(&mut trigger.trigger_type, || {
                r.field("Type", entry, r.string(entry.value))
            }),
            "Properties" => first(&mut properties, || entry),
            key => trigger.unknown.push(r.raw_key(key, entry)),
        }
    }
    trigger.kind = trigger
        .trigger_type
        .as_ref()
        .and_then(Field::as_str)
        .map(fun_kind);
    if let Some(entry) = properties {
        let kind = trigger.kind.clone();
        let mut trigger_level = Vec::new();
        let config = r.section("Properties", entry, |map| {
            config(r, map, kind.as_ref(), Spelling::Pascal, &mut trigger_level)
        });
        for (key, entry) in trigger_level {
            match key {
                "InvocationRole" => first(&mut trigger.invocation_role, || {
                    r.field("InvocationRole", entry, r.string(entry.value))
                }),
                _ => first(&mut trigger.qualifier, || {
                    r.field("Qualifier", entry, r.scalar_text(entry.value))
                }),
            }
        }
        trigger.config = Some(Box::new(config));
    }
    trigger
}

/// One item of an s.yaml's `triggers`.
pub(super) fn devs_trigger(r: &Reader, item: NodeId, edition: Edition) -> Trigger {
    let mapping = r.mapping(item);
    let mut trigger = empty(r.span(item), mapping.as_ref().map(|_| ()));
    let Value::Literal(map, _) = mapping else {
        return trigger;
    };
    let (name_key, type_key, config_key, role_key) = match edition {
        Edition::V3 => (
            "triggerName",
            "triggerType",
            "triggerConfig",
            "invocationRole",
        ),
        Edition::V1 => ("name", "type", "config", "role"),
    };
    let mut config_entry = None;
    for (key, entry) in r.entries(map) {
        let string = |name: &'static str| r.field(name, entry, r.string(entry.value));
        match key {
            k if k == name_key => first(&mut trigger.name, || string(name_key)),
            k if k == type_key => first(&mut trigger.trigger_type, || string(type_key)),
            k if k == config_key => first(&mut config_entry, || entry),
            k if k == role_key => first(&mut trigger.invocation_role, || string(role_key)),
            "qualifier" => first(&mut trigger.qualifier, || {
                r.field("qualifier", entry, r.scalar_text(entry.value))
            }),
            "sourceArn" => first(&mut trigger.source_arn, || string("sourceArn")),
            "description" => first(&mut trigger.description, || string("description")),
            key => trigger.unknown.push(r.raw_key(key, entry)),
        }
    }
    trigger.kind = trigger
        .trigger_type
        .as_ref()
        .and_then(Field::as_str)
        .map(devs_kind);
    if let Some(entry) = config_entry {
        let kind = trigger.kind.clone();
        let name = match edition {
            Edition::V3 => "triggerConfig",
            Edition::V1 => "config",
        };
        trigger.config = Some(Box::new(r.section(name, entry, |map| {
            config(r, map, kind.as_ref(), Spelling::Camel, &mut Vec::new())
        })));
    }
    trigger
}

/// Keys as (FC 3.0, Fun) spellings; an empty Fun spelling is a key Fun does not have.
type Keys = &'static [(&'static str, &'static str)];

const HTTP_KEYS: Keys = &[
    ("authType", "AuthType"),
    ("methods", "Methods"),
    ("disableURLInternet", ""),
    ("authConfig", ""),
    ("corsConfig", ""),
];
const TIMER_KEYS: Keys = &[
    ("cronExpression", "CronExpression"),
    ("enable", "Enable"),
    ("payload", "Payload"),
];
const OSS_KEYS: Keys = &[
    ("events", "Events"),
    ("bucketName", "BucketName"),
    ("filter", "Filter"),
];
const LOG_KEYS: Keys = &[
    ("enable", "Enable"),
    ("sourceConfig", "SourceConfig"),
    ("jobConfig", "JobConfig"),
    ("logConfig", "LogConfig"),
    ("functionParameter", "FunctionParameter"),
];
const MNS_KEYS: Keys = &[
    ("topicName", "TopicName"),
    ("region", "Region"),
    ("filterTag", "FilterTag"),
    ("notifyContentFormat", "NotifyContentFormat"),
    ("notifyStrategy", "NotifyStrategy"),
];
const CDN_KEYS: Keys = &[
    ("eventName", "EventName"),
    ("eventVersion", "EventVersion"),
    ("notes", "Notes"),
    ("filter", "Filter"),
];
const EVENTBRIDGE_KEYS: Keys = &[
    ("triggerEnable", ""),
    ("asyncInvocationType", ""),
    ("eventRuleFilterPattern", ""),
    ("eventSourceConfig", ""),
    ("eventSinkConfig", ""),
    ("runOptions", ""),
];
const TABLESTORE_KEYS: Keys = &[("instanceName", "InstanceName"), ("tableName", "TableName")];

/// Fun writes two of the trigger's own settings among its Properties.
const FUN_TRIGGER_LEVEL: &[&str] = &["InvocationRole", "Qualifier"];

/// The keys of a config mapping sorted into known (with their FC 3.0 name), Fun's trigger-level
/// ones, and unknown.
struct Sorted<'d> {
    known: Vec<(&'static str, &'static str, Entry)>,
    unknown: Vec<UnknownKey>,
    trigger_level: Vec<(&'d str, Entry)>,
}

fn sort<'d>(r: &Reader<'d>, map: NodeId, keys: Keys, spelling: Spelling) -> Sorted<'d> {
    let mut sorted = Sorted {
        known: Vec::new(),
        unknown: Vec::new(),
        trigger_level: Vec::new(),
    };
    for (key, entry) in r.entries(map) {
        if spelling == Spelling::Pascal && FUN_TRIGGER_LEVEL.contains(&key) {
            sorted.trigger_level.push((key, entry));
            continue;
        }
        let found = keys.iter().find(|(camel, pascal)| match spelling {
            Spelling::Camel => key == *camel,
            Spelling::Pascal => !pascal.is_empty() && key == *pascal,
        });
        match found {
            Some(&(camel, pascal)) => {
                let spelled = if spelling == Spelling::Camel {
                    camel
                } else {
                    pascal
                };
                sorted.known.push((camel, spelled, entry));
            }
            None => sorted.unknown.push(r.raw_key(key, entry)),
        }
    }
    sorted
}

/// A trigger config typed by its trigger's type.
fn config<'d>(
    r: &Reader<'d>,
    map: NodeId,
    kind: Option<&TriggerKind>,
    spelling: Spelling,
    trigger_level: &mut Vec<(&'d str, Entry)>,
) -> TriggerConfig {
    let keys = match kind {
        Some(TriggerKind::Http) => HTTP_KEYS,
        Some(TriggerKind::Timer) => TIMER_KEYS,
        Some(TriggerKind::Oss) => OSS_KEYS,
        Some(TriggerKind::Log) => LOG_KEYS,
        Some(TriggerKind::MnsTopic) => MNS_KEYS,
        Some(TriggerKind::Cdn) => CDN_KEYS,
        Some(TriggerKind::EventBridge) => EVENTBRIDGE_KEYS,
        Some(TriggerKind::Tablestore) => TABLESTORE_KEYS,
        _ => {
            if spelling == Spelling::Pascal {
                trigger_level.extend(
                    r.entries(map)
                        .filter(|(key, _)| FUN_TRIGGER_LEVEL.contains(key)),
                );
            }
            return TriggerConfig::Other(r.raw(map));
        }
    };
    let sorted = sort(r, map, keys, spelling);
    trigger_level.extend(sorted.trigger_level);
    let unknown = sorted.unknown;
    let mut untyped = Vec::new();
    let string = |name, entry: Entry| r.field(name, entry, r.string(entry.value));
    let boolean = |name, entry: Entry| r.field(name, entry, r.boolean(entry.value));
    macro_rules! fill {
        ($config:ident, { $($camel:literal => $field:ident : $read:expr),* $(,)? }) => {{
            for (camel, spelled, entry) in sorted.known {
                match camel {
                    $($camel => first(&mut $config.$field, || $read(spelled, entry)),)*
                    _ => untyped.push(r.raw_key(spelled, entry)),
                }
            }
            $config.untyped = untyped;
            $config.unknown = unknown;
        }};
    }
    match kind {
        Some(TriggerKind::Http) => {
            let mut c = HttpTriggerConfig::default();
            fill!(c, {
                "authType" => auth_type: string,
                "methods" => methods: |name, entry: Entry| r.field(name, entry, r.strings(entry.value)),
                "disableURLInternet" => disable_url_internet: boolean,
            });
            TriggerConfig::Http(c)
        }
        Some(TriggerKind::Timer) => {
            let mut c = TimerTriggerConfig::default();
            fill!(c, {
                "cronExpression" => cron_expression: string,
                "enable" => enable: boolean,
                "payload" => payload: |name, entry: Entry| r.field(name, entry, r.scalar_text(entry.value)),
            });
            TriggerConfig::Timer(c)
        }
        Some(TriggerKind::Oss) => {
            let mut c = OssTriggerConfig::default();
            fill!(c, {
                "bucketName" => bucket_name: string,
                "events" => events: |name, entry: Entry| r.field(name, entry, r.strings(entry.value)),
            });
            TriggerConfig::Oss(c)
        }
        Some(TriggerKind::Log) => {
            let mut c = LogTriggerConfig::default();
            fill!(c, { "enable" => enable: boolean });
            TriggerConfig::Log(c)
        }
        Some(TriggerKind::MnsTopic) => {
            let mut c = MnsTopicTriggerConfig::default();
            fill!(c, {
                "topicName" => topic_name: string,
                "region" => region: string,
                "filterTag" => filter_tag: string,
                "notifyContentFormat" => notify_content_format: string,
                "notifyStrategy" => notify_strategy: string,
            });
            TriggerConfig::MnsTopic(c)
        }
        Some(TriggerKind::Cdn) => {
            let mut c = CdnTriggerConfig::default();
            fill!(c, {
                "eventName" => event_name: string,
                "eventVersion" => event_version: |name, entry: Entry| r.field(name, entry, r.scalar_text(entry.value)),
                "notes" => notes: string,
            });
            TriggerConfig::Cdn(c)
        }
        Some(TriggerKind::EventBridge) => {
            let mut c = EventBridgeTriggerConfig::default();
            fill!(c, {
                "triggerEnable" => trigger_enable: boolean,
                "asyncInvocationType" => async_invocation_type: boolean,
                "eventRuleFilterPattern" => event_rule_filter_pattern: string,
            });
            TriggerConfig::EventBridge(c)
        }
        Some(TriggerKind::Tablestore) => {
            let mut c = TablestoreTriggerConfig::default();
            fill!(c, {
                "instanceName" => instance_name: string,
                "tableName" => table_name: string,
            });
            TriggerConfig::Tablestore(c)
        }
        _ => unreachable!("the other kinds returned above"),
    }
}
