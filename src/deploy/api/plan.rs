//! What a deploy would change, computed from FC's current state (read calls only) and a
//! [`FunctionSpec`]: field by field with old and new values, whether the code is uploaded, and
//! which triggers are created, updated, replaced or deleted.
//!
//! Only the fields the spec sets are compared, and in nested objects only the keys it sets,
//! since FC fills in defaults (a health check, a port) that the template never mentions; a
//! field the template leaves out keeps FC's value. Environment variables are the exception: the
//! map is compared whole, so that a variable removed from the template is removed on FC.

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::crc64;
use super::model::{
    CreateFunctionInput, Function, FunctionConfig, FunctionSpec, InputCodeLocation, Trigger,
    TriggerSpec, UpdateFunctionInput, UpdateTriggerInput,
};

/// One field that changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// The API's name of the field, e.g. `memorySize`.
    pub field: String,
    /// FC's value now; `None` when FC has none.
    pub old: Option<Value>,
    pub new: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum FunctionChange {
    Create,
    Update { changes: Vec<FieldChange> },
    Unchanged,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum CodeChange {
    /// The zip is sent: the function is new, or FC's checksum differs (or is unknown).
    Upload {
        size: u64,
        crc64: String,
        /// FC's `codeChecksum` now, for an existing function.
        old_checksum: Option<String>,
    },
    /// FC already runs this very zip.
    Unchanged { crc64: String },
    /// The spec has no zip.
    NoCode,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum TriggerChange {
    Create {
        name: String,
        trigger_type: String,
    },
    Update {
        name: String,
        changes: Vec<FieldChange>,
    },
    /// The type or the source changed, which FC cannot update in place: deleted, then created.
    Replace {
        name: String,
        old_type: String,
        trigger_type: String,
        reason: String,
    },
    Delete {
        name: String,
        trigger_type: String,
    },
}

impl TriggerChange {
    pub fn name(&self) -> &str {
        match self {
            TriggerChange::Create { name, .. }
            | TriggerChange::Update { name, .. }
            | TriggerChange::Replace { name, .. }
            | TriggerChange::Delete { name, .. } => name,
        }
    }
}

/// Everything a deploy of one function would do.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub function: String,
    pub change: FunctionChange,
    pub code: CodeChange,
    pub triggers: Vec<TriggerChange>,
    /// Things the plan leaves as they are although they differ, with why.
    pub notes: Vec<String>,
}

impl Plan {
    /// Whether applying the plan would send no write at all.
    pub fn is_noop(&self) -> bool {
        self.change == FunctionChange::Unchanged
            && !matches!(self.code, CodeChange::Upload { .. })
            && self.triggers.is_empty()
    }

    /// Whether the function itself is written (created, or updated in fields or code).
    pub fn writes_function(&self) -> bool {
        !matches!(self.change, FunctionChange::Unchanged)
            || matches!(self.code, CodeChange::Upload { .. })
    }

    pub fn changed_fields(&self) -> Vec<&str> {
        match &self.change {
            FunctionChange::Update { changes } => {
                changes.iter().map(|c| c.field.as_str()).collect()
            }
            _ => Vec::new(),
        }
    }

    /// The CreateFunction body: every field of the spec, the zip inline.
    pub fn create_input(&self, spec: &FunctionSpec, zip: Option<&[u8]>) -> CreateFunctionInput {
        CreateFunctionInput {
            function_name: spec.name.clone(),
            config: spec.config.clone(),
            code: zip.map(InputCodeLocation::inline),
            tags: spec.tags.clone(),
        }
    }

    /// The UpdateFunction body: the changed fields only, and the zip only if it changed.
    pub fn update_input(&self, spec: &FunctionSpec, zip: Option<&[u8]>) -> UpdateFunctionInput {
        let fields = self.changed_fields();
        let all = object_of(&spec.config);
        let changed: Map<String, Value> = all
            .into_iter()
            .filter(|(key, _)| fields.contains(&key.as_str()))
            .collect();
        let config: FunctionConfig = serde_json::from_value(Value::Object(changed))
            .expect("a subset of a config's own fields is a config");
        UpdateFunctionInput {
            config,
            code: match self.code {
                CodeChange::Upload { .. } => zip.map(InputCodeLocation::inline),
                _ => None,
            },
        }
    }

    /// The plan for `--message-format json`.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).expect("a plan serialises")
    }
}

/// The UpdateTrigger body for an update: the whole desired config when it changed, and the
/// other fields that changed.
pub fn trigger_update_input(spec: &TriggerSpec, changes: &[FieldChange]) -> UpdateTriggerInput {
    let changed = |field: &str| changes.iter().any(|c| c.field == field);
    UpdateTriggerInput {
        trigger_config: changed("triggerConfig").then(|| spec.config.to_wire()),
        description: spec.description.clone().filter(|_| changed("description")),
        invocation_role: spec
            .invocation_role
            .clone()
            .filter(|_| changed("invocationRole")),
        qualifier: spec.qualifier.clone().filter(|_| changed("qualifier")),
    }
}

fn object_of<T: Serialize>(value: &T) -> Map<String, Value> {
    match serde_json::to_value(value).expect("a config serialises") {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Compares FC's state with the spec. `current` is `None` when FC has no such function (and
/// then `current_triggers` is empty).
pub fn plan(current: Option<&Function>, current_triggers: &[Trigger], spec: &FunctionSpec) -> Plan {
    let mut notes = Vec::new();
    let change = match current {
        None => FunctionChange::Create,
        Some(function) => {
            let changes = config_changes(&function.raw, &spec.config);
            if !spec.tags.is_empty() && !tags_match(&function.raw, spec) {
                notes.push(
                    "tags differ from FC's; cargo fc sets tags only when it creates a function"
                        .into(),
                );
            }
            if changes.is_empty() {
                FunctionChange::Unchanged
            } else {
                FunctionChange::Update { changes }
            }
        }
    };
    let code = match &spec.code {
        None => CodeChange::NoCode,
        Some(package) => {
            let old = current.and_then(|f| f.code_checksum()).map(str::to_string);
            let same = old
                .as_deref()
                .and_then(crc64::parse_code_checksum)
                .is_some_and(|checksum| checksum == package.crc64);
            if same {
                CodeChange::Unchanged {
                    crc64: package.crc64.to_string(),
                }
            } else {
                CodeChange::Upload {
                    size: package.size,
                    crc64: package.crc64.to_string(),
                    old_checksum: old,
                }
            }
        }
    };
    let triggers = match &spec.triggers {
        None => {
            if !current_triggers.is_empty() {
                notes.push(format!(
                    "the template declares no triggers, so FC's {} are left alone",
                    current_triggers
                        .iter()
                        .map(|t| format!("`{}`", t.trigger_name))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            Vec::new()
        }
        Some(desired) => trigger_changes(current_triggers, desired),
    };
    Plan {
        function: spec.name.clone(),
        change,
        code,
        triggers,
        notes,
    }
}

fn config_changes(current: &Value, desired: &FunctionConfig) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    for (field, new) in object_of(desired) {
        let old = current_field(current, &field);
        let same = match field.as_str() {
            "environmentVariables" => old.as_ref().unwrap_or(&Value::Object(Map::new())) == &new,
            _ => covers(old.as_ref(), &new),
        };
        if !same {
            changes.push(FieldChange { field, old, new });
        }
    }
    changes
}

/// FC's value of a field in the form the input uses: `layers` come back as objects with an
/// `arn`, go in as ARNs.
fn current_field(current: &Value, field: &str) -> Option<Value> {
    let value = current.get(field).filter(|v| !v.is_null())?;
    if field == "layers"
        && let Some(layers) = value.as_array()
    {
        return Some(Value::Array(
            layers
                .iter()
                .map(|layer| layer.get("arn").cloned().unwrap_or_else(|| layer.clone()))
                .collect(),
        ));
    }
    Some(value.clone())
}

/// Whether FC's value already is what the spec asks for: equal scalars (numbers by value),
/// arrays of the same length whose elements cover each other, and objects where every key the
/// spec sets is covered. An empty object or array asks for nothing FC's absence lacks.
fn covers(current: Option<&Value>, desired: &Value) -> bool {
    match (current, desired) {
        (None, Value::Object(map)) => map.values().all(|v| covers(None, v)),
        (None, Value::Array(items)) => items.is_empty(),
        (None, _) => false,
        (Some(Value::Object(have)), Value::Object(want)) => want
            .iter()
            .all(|(key, value)| covers(have.get(key).filter(|v| !v.is_null()), value)),
        (Some(Value::Array(have)), Value::Array(want)) => {
            have.len() == want.len() && have.iter().zip(want).all(|(h, w)| covers(Some(h), w))
        }
        (Some(Value::Number(have)), Value::Number(want)) => have.as_f64() == want.as_f64(),
        (Some(have), want) => have == want,
    }
}

fn tags_match(current: &Value, spec: &FunctionSpec) -> bool {
    let mut have: Vec<(String, String)> = current
        .get("tags")
        .and_then(Value::as_array)
        .map(|tags| {
            tags.iter()
                .filter_map(|tag| {
                    let key = tag.get("Key").or_else(|| tag.get("key"))?.as_str()?;
                    let value = tag.get("Value").or_else(|| tag.get("value"))?.as_str()?;
                    Some((key.to_string(), value.to_string()))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut want: Vec<(String, String)> = spec
        .tags
        .iter()
        .map(|t| (t.key.clone(), t.value.clone()))
        .collect();
    have.sort();
    want.sort();
    have == want
}

fn trigger_changes(current: &[Trigger], desired: &[TriggerSpec]) -> Vec<TriggerChange> {
    let mut changes = Vec::new();
    for existing in current {
        if !desired.iter().any(|d| d.name == existing.trigger_name) {
            changes.push(TriggerChange::Delete {
                name: existing.trigger_name.clone(),
                trigger_type: existing.trigger_type.clone(),
            });
        }
    }
    for spec in desired {
        let trigger_type = spec.config.trigger_type().to_string();
        let Some(existing) = current.iter().find(|t| t.trigger_name == spec.name) else {
            changes.push(TriggerChange::Create {
                name: spec.name.clone(),
                trigger_type,
            });
            continue;
        };
        if existing.trigger_type != trigger_type {
            changes.push(TriggerChange::Replace {
                name: spec.name.clone(),
                old_type: existing.trigger_type.clone(),
                trigger_type,
                reason: format!(
                    "its type changes from {} to {}",
                    existing.trigger_type,
                    spec.config.trigger_type()
                ),
            });
            continue;
        }
        if let Some(source) = &spec.source_arn
            && existing.source_arn.as_ref() != Some(source)
        {
            changes.push(TriggerChange::Replace {
                name: spec.name.clone(),
                old_type: existing.trigger_type.clone(),
                trigger_type,
                reason: "its sourceArn changes".into(),
            });
            continue;
        }
        let mut fields = Vec::new();
        let old_config: Option<Value> = serde_json::from_str(&existing.trigger_config).ok();
        let new_config = spec.config.to_json();
        if !covers(old_config.as_ref(), &new_config) {
            fields.push(FieldChange {
                field: "triggerConfig".into(),
                old: old_config,
                new: new_config,
            });
        }
        for (field, old, new) in [
            ("description", &existing.description, &spec.description),
            (
                "invocationRole",
                &existing.invocation_role,
                &spec.invocation_role,
            ),
            ("qualifier", &existing.qualifier, &spec.qualifier),
        ] {
            if let Some(new) = new
                && old.as_ref() != Some(new)
            {
                fields.push(FieldChange {
                    field: field.into(),
                    old: old.clone().map(Value::from),
                    new: json!(new),
                });
            }
        }
        if !fields.is_empty() {
            changes.push(TriggerChange::Update {
                name: spec.name.clone(),
                changes: fields,
            });
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    use super::*;
    use crate::deploy::api::model::{
        CodePackage, CustomRuntimeConfig, HttpTriggerConfig, TimerTriggerConfig, TriggerConfig,
    };

    fn spec() -> FunctionSpec {
        FunctionSpec {
            name: "hello".into(),
            config: FunctionConfig {
                runtime: Some("custom.debian10".into()),
                handler: Some("index.handler".into()),
                memory_size: Some(512),
                environment_variables: Some(BTreeMap::from([(
                    "RUST_LOG".to_string(),
                    "info".to_string(),
                )])),
                custom_runtime_config: Some(CustomRuntimeConfig {
                    command: Some(vec!["/code/bootstrap".into()]),
                    port: Some(9000),
                    ..Default::default()
                }),
                layers: Some(vec!["acs:fc:cn-hangzhou:1:layers/x/versions/1".into()]),
                cpu: Some(0.5),
                ..Default::default()
            },
            code: Some(CodePackage {
                path: PathBuf::from("/p/hello.zip"),
                size: 10,
                crc64: 42,
            }),
            tags: Vec::new(),
            triggers: Some(vec![TriggerSpec {
                name: "http".into(),
                config: TriggerConfig::Http(HttpTriggerConfig {
                    auth_type: Some("anonymous".into()),
                    methods: Some(vec!["GET".into()]),
                    ..Default::default()
                }),
                description: None,
                invocation_role: None,
                qualifier: None,
                source_arn: None,
            }]),
        }
    }

    /// FC's answer for the spec as deployed, with the defaults FC adds.
    fn deployed() -> Function {
        Function::from_json(json!({
            "functionName": "hello",
            "runtime": "custom.debian10",
            "handler": "index.handler",
            "memorySize": 512,
            "cpu": 0.5,
            "timeout": 3,
            "environmentVariables": {"RUST_LOG": "info"},
            "customRuntimeConfig": {"command": ["/code/bootstrap"], "port": 9000, "args": null,
                                    "healthCheckConfig": {"initialDelaySeconds": 3}},
            "layers": [{"arn": "acs:fc:cn-hangzhou:1:layers/x/versions/1", "size": 100}],
            "codeChecksum": "42",
            "state": "Active",
        }))
    }

    fn http_trigger(config: &str) -> Trigger {
        Trigger {
            trigger_name: "http".into(),
            trigger_type: "http".into(),
            trigger_config: config.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_new_function_is_created_with_its_code_and_triggers() {
        let plan = plan(None, &[], &spec());
        assert_eq!(plan.change, FunctionChange::Create);
        assert!(matches!(plan.code, CodeChange::Upload { size: 10, .. }));
        assert_eq!(
            plan.triggers,
            vec![TriggerChange::Create {
                name: "http".into(),
                trigger_type: "http".into()
            }]
        );
        let input = plan.create_input(&spec(), Some(b"PK"));
        assert_eq!(input.to_json()["memorySize"], 512);
        assert!(input.to_json()["code"]["zipFile"].is_string());
    }

    #[test]
    fn the_same_state_plans_nothing_despite_fcs_defaults() {
        let triggers = [http_trigger(
            r#"{"authType":"anonymous","methods":["GET"],"disableURLInternet":false}"#,
        )];
        let plan = plan(Some(&deployed()), &triggers, &spec());
        assert_eq!(plan.change, FunctionChange::Unchanged, "{plan:#?}");
        assert_eq!(plan.code, CodeChange::Unchanged { crc64: "42".into() });
        assert!(plan.triggers.is_empty(), "{plan:#?}");
        assert!(plan.is_noop());
        assert!(plan.update_input(&spec(), Some(b"PK")).is_empty());
    }

    #[test]
    fn a_changed_memory_size_updates_only_that_field_without_code() {
        let mut desired = spec();
        desired.config.memory_size = Some(1024);
        let plan = plan(Some(&deployed()), &[], &desired);
        assert_eq!(
            plan.change,
            FunctionChange::Update {
                changes: vec![FieldChange {
                    field: "memorySize".into(),
                    old: Some(json!(512)),
                    new: json!(1024),
                }]
            }
        );
        let body = plan.update_input(&desired, Some(b"PK")).to_json();
        assert_eq!(body, json!({"memorySize": 1024}));
    }

    #[test]
    fn new_code_is_uploaded_and_an_unreadable_checksum_means_upload() {
        let mut desired = spec();
        desired.code.as_mut().unwrap().crc64 = 43;
        let plan_new = plan(Some(&deployed()), &[], &desired);
        assert_eq!(
            plan_new.code,
            CodeChange::Upload {
                size: 10,
                crc64: "43".into(),
                old_checksum: Some("42".into())
            }
        );
        let body = plan_new.update_input(&desired, Some(b"PK")).to_json();
        assert_eq!(
            body.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["code"]
        );
        let mut odd = deployed();
        odd.raw["codeChecksum"] = json!("");
        assert!(matches!(
            plan(Some(&odd), &[], &spec()).code,
            CodeChange::Upload { .. }
        ));
    }

    #[test]
    fn a_removed_environment_variable_is_a_change() {
        let mut current = deployed();
        current.raw["environmentVariables"] = json!({"RUST_LOG": "info", "OLD": "1"});
        let plan = plan(Some(&current), &[], &spec());
        assert_eq!(plan.changed_fields(), ["environmentVariables"]);
    }

    #[test]
    fn triggers_are_deleted_updated_and_replaced_by_name() {
        let mut desired = spec();
        desired.triggers.as_mut().unwrap().push(TriggerSpec {
            name: "tick".into(),
            config: TriggerConfig::Timer(TimerTriggerConfig {
                cron_expression: Some("@every 5m".into()),
                enable: Some(true),
                payload: None,
            }),
            description: Some("every five minutes".into()),
            invocation_role: None,
            qualifier: None,
            source_arn: None,
        });
        let current = [
            http_trigger(r#"{"authType":"function","methods":["GET"]}"#),
            Trigger {
                trigger_name: "tick".into(),
                trigger_type: "oss".into(),
                trigger_config: "{}".into(),
                ..Default::default()
            },
            Trigger {
                trigger_name: "old".into(),
                trigger_type: "timer".into(),
                trigger_config: "{}".into(),
                ..Default::default()
            },
        ];
        let plan = plan(Some(&deployed()), &current, &desired);
        let summary: Vec<(&str, &str)> = plan
            .triggers
            .iter()
            .map(|t| {
                let action = match t {
                    TriggerChange::Create { .. } => "create",
                    TriggerChange::Update { .. } => "update",
                    TriggerChange::Replace { .. } => "replace",
                    TriggerChange::Delete { .. } => "delete",
                };
                (action, t.name())
            })
            .collect();
        assert_eq!(
            summary,
            [("delete", "old"), ("update", "http"), ("replace", "tick")]
        );
        let TriggerChange::Update { changes, .. } = &plan.triggers[1] else {
            unreachable!()
        };
        let input = trigger_update_input(&desired.triggers.as_ref().unwrap()[0], changes);
        assert_eq!(
            input.trigger_config.as_deref(),
            Some(r#"{"authType":"anonymous","methods":["GET"]}"#)
        );
    }

    #[test]
    fn undeclared_triggers_are_left_alone() {
        let mut desired = spec();
        desired.triggers = None;
        let plan = plan(Some(&deployed()), &[http_trigger("{}")], &desired);
        assert!(plan.triggers.is_empty());
        assert!(plan.notes[0].contains("`http`"), "{:?}", plan.notes);
    }

    #[test]
    fn plans_serialise_for_json_output() {
        let value = plan(None, &[], &spec()).to_json();
        assert_eq!(value["change"]["action"], "create");
        assert_eq!(value["code"]["action"], "upload");
        assert_eq!(value["triggers"][0]["action"], "create");
    }
}
