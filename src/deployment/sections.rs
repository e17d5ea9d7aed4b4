//! Parts of a function's or service's settings that every format writes alike, up to the
//! spelling of their keys: environment variables, log, network and NAS configuration, start
//! commands and hooks.

use super::model::{
    CustomRuntimeConfig, EnvironmentVariable, LifecycleHook, LogConfig, NasConfig, Tag, VpcConfig,
};
use super::read::{Reader, Spelling, first};
use super::value::{Field, NodeId, Strings, Value};
use super::yaml::{self, Entry};

/// Environment variables: a mapping of names to scalars (FC stores strings; the tools turn
/// numbers and booleans into their text).
pub(super) fn environment(
    r: &Reader,
    name: &'static str,
    entry: Entry,
) -> Field<Vec<EnvironmentVariable>> {
    r.section(name, entry, |map| {
        r.entries(map)
            .map(|(key, entry)| EnvironmentVariable {
                name: key.to_string(),
                key: r.span(entry.key),
                value: r.scalar_text(entry.value),
            })
            .collect()
    })
}

const LOG_KEYS: &[(&str, &str)] = &[
    ("project", "Project"),
    ("logstore", "Logstore"),
    ("enableRequestMetrics", "EnableRequestMetrics"),
    ("enableInstanceMetrics", "EnableInstanceMetrics"),
    ("enableLlmMetrics", "EnableLlmMetrics"),
    ("logBeginRule", "LogBeginRule"),
];

pub(super) fn log_config(r: &Reader, map: NodeId, spelling: Spelling) -> LogConfig {
    let (mut project, mut logstore, mut untyped, mut unknown) = (None, None, vec![], vec![]);
    for (key, entry) in r.entries(map) {
        match spelling.find(key, LOG_KEYS) {
            Some(k) if k.camel == "project" => first(&mut project, || {
                r.field(k.spelled, entry, r.string(entry.value))
            }),
            Some(k) if k.camel == "logstore" => first(&mut logstore, || {
                r.field(k.spelled, entry, r.string(entry.value))
            }),
            Some(_) => untyped.push(r.raw_key(key, entry)),
            None => unknown.push(r.raw_key(key, entry)),
        }
    }
    LogConfig::Logstore {
        project,
        logstore,
        untyped,
        unknown,
    }
}

const VPC_KEYS: &[(&str, &str)] = &[
    ("vpcId", "VpcId"),
    ("vSwitchIds", "VSwitchIds"),
    ("securityGroupId", "SecurityGroupId"),
    ("role", "Role"),
];

pub(super) fn vpc_config(r: &Reader, map: NodeId, spelling: Spelling) -> VpcConfig {
    let (mut vpc_id, mut v_switch_ids, mut security_group_id) = (None, None, None);
    let (mut untyped, mut unknown) = (vec![], vec![]);
    for (key, entry) in r.entries(map) {
        // devsapp/fc (edition 1.0.0) spells it `vswitchIds`.
        let key_found = spelling.find(key, VPC_KEYS).or_else(|| {
            (key == "vswitchIds").then_some(super::read::Key {
                camel: "vSwitchIds",
                spelled: "vswitchIds",
            })
        });
        match key_found {
            Some(k) if k.camel == "vpcId" => first(&mut vpc_id, || {
                r.field(k.spelled, entry, r.string(entry.value))
            }),
            Some(k) if k.camel == "vSwitchIds" => first(&mut v_switch_ids, || {
                r.field(k.spelled, entry, r.strings(entry.value))
            }),
            Some(k) if k.camel == "securityGroupId" => first(&mut security_group_id, || {
                r.field(k.spelled, entry, r.string(entry.value))
            }),
            Some(_) => untyped.push(r.raw_key(key, entry)),
            None => unknown.push(r.raw_key(key, entry)),
        }
    }
    VpcConfig::Network {
        vpc_id,
        v_switch_ids,
        security_group_id,
        untyped,
        unknown,
    }
}

const NAS_KEYS: &[(&str, &str)] = &[
    ("userId", "UserId"),
    ("groupId", "GroupId"),
    ("mountPoints", "MountPoints"),
    ("auto", "Auto"),
];

pub(super) fn nas_config(r: &Reader, map: NodeId, spelling: Spelling) -> NasConfig {
    let (mut user_id, mut group_id, mut mount_points) = (None, None, None);
    let (mut untyped, mut unknown) = (vec![], vec![]);
    for (key, entry) in r.entries(map) {
        match spelling.find(key, NAS_KEYS) {
            Some(k) if k.camel == "userId" => first(&mut user_id, || {
                r.field(k.spelled, entry, r.integer(entry.value))
            }),
            Some(k) if k.camel == "groupId" => first(&mut group_id, || {
                r.field(k.spelled, entry, r.integer(entry.value))
            }),
            Some(k) if k.camel == "mountPoints" => first(&mut mount_points, || {
                let raw = r.raw(entry.value);
                r.field(k.spelled, entry, Value::Literal(raw, raw.span))
            }),
            Some(_) => untyped.push(r.raw_key(key, entry)),
            None => unknown.push(r.raw_key(key, entry)),
        }
    }
    NasConfig::Mounts {
        user_id,
        group_id,
        mount_points,
        untyped,
        unknown,
    }
}

/// A list of strings, or (FC 2.0 container commands) a JSON list written as a string.
pub(super) fn json_strings(r: &Reader, id: NodeId) -> Value<Strings> {
    let node = r.doc.node(id);
    if node.tagged || node.value != yaml::Value::Str {
        return r.strings(id);
    }
    let text = r.doc.text(id).unwrap_or("");
    match r.string(id) {
        Value::Literal(_, span) => match serde_json::from_str::<Vec<String>>(text) {
            Ok(items) => Value::Literal(
                items
                    .into_iter()
                    .map(|item| Value::Literal(item, span))
                    .collect(),
                span,
            ),
            Err(_) => Value::Invalid(r.found(id), span),
        },
        Value::Computed(text, span) => Value::Computed(text, span),
        Value::Invalid(found, span) => Value::Invalid(found, span),
    }
}

/// `customRuntimeConfig` of an s.yaml (both editions).
pub(super) fn custom_runtime_config(r: &Reader, map: NodeId) -> CustomRuntimeConfig {
    let mut config = CustomRuntimeConfig::default();
    for (key, entry) in r.entries(map) {
        match key {
            "command" => first(&mut config.command, || {
                r.field("command", entry, r.strings(entry.value))
            }),
            "args" => first(&mut config.args, || {
                r.field("args", entry, r.strings(entry.value))
            }),
            "port" => first(&mut config.port, || {
                r.field("port", entry, r.integer(entry.value))
            }),
            "healthCheckConfig" => config.untyped.push(r.raw_key(key, entry)),
            key => config.unknown.push(r.raw_key(key, entry)),
        }
    }
    config
}

/// A hook of an s.yaml's `instanceLifecycleConfig`: `{handler, timeout}` (fc3 also `command`).
pub(super) fn hook(r: &Reader, map: NodeId, with_command: bool) -> LifecycleHook {
    let mut hook = LifecycleHook::default();
    for (key, entry) in r.entries(map) {
        match key {
            "handler" => first(&mut hook.handler, || {
                r.field("handler", entry, r.string(entry.value))
            }),
            "timeout" => first(&mut hook.timeout, || {
                r.field("timeout", entry, r.integer(entry.value))
            }),
            "command" if with_command => hook.untyped.push(r.raw_key(key, entry)),
            key => hook.unknown.push(r.raw_key(key, entry)),
        }
    }
    hook
}

/// FC 2.0's initializer, written beside the handler (`Initializer`, `InitializationTimeout`),
/// as the hook FC 3.0 makes it. The field is the handler's key, or the timeout's when there is
/// only a timeout.
pub(super) fn fc2_initializer(
    handler: Option<Field<String>>,
    timeout: Option<Field<i64>>,
) -> Option<Field<LifecycleHook>> {
    let (name, key, span) = match (&handler, &timeout) {
        (Some(field), _) => (field.name, field.key, field.span()),
        (None, Some(field)) => (field.name, field.key, field.span()),
        (None, None) => return None,
    };
    Some(Field {
        name,
        key,
        value: Value::Literal(
            LifecycleHook {
                handler,
                timeout,
                ..LifecycleHook::default()
            },
            span,
        ),
    })
}

/// fc3's `tags`: a list of `{key, value}`.
pub(super) fn tags(r: &Reader, entry: Entry) -> Field<Vec<Tag>> {
    let value = r.list(entry.value).map(|items| {
        items
            .iter()
            .map(|&item| {
                let mut tag = Tag {
                    key: None,
                    value: None,
                    declared: r.span(item),
                };
                if let Value::Literal(map, _) = r.mapping(item) {
                    for (key, entry) in r.entries(map) {
                        match key {
                            "key" => first(&mut tag.key, || {
                                r.field("key", entry, r.scalar_text(entry.value))
                            }),
                            "value" => first(&mut tag.value, || {
                                r.field("value", entry, r.scalar_text(entry.value))
                            }),
                            _ => {}
                        }
                    }
                }
                tag
            })
            .collect()
    });
    r.field("tags", entry, value)
}
