//! FC 3.0's wire types (API version 2023-03-30), with exactly the field names of the official
//! SDK's models (alibabacloud-fc20230330 4.8.3: `CreateFunctionInput`, `UpdateFunctionInput`,
//! `Function`, `CreateTriggerInput`, `UpdateTriggerInput`, `Trigger`, the trigger configs), and
//! [`FunctionSpec`], the desired state of one function that a deploy makes true.
//!
//! Only the fields cargo fc sends are modelled on the way in; every request body is checked in
//! the tests by round-tripping it through the SDK's own classes, which drop unknown fields.
//! Responses keep their whole JSON (`Function::raw`), since FC returns more than it is sent.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::IoError;

/// The API version every request names in `x-acs-version` and in its path.
pub const API_VERSION: &str = "2023-03-30";

/// The configuration fields of a function that CreateFunction and UpdateFunction share, as far
/// as cargo fc sets them. `None` is "not set": left out of the body, and on an update left as FC
/// has it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FunctionConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handler: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// MB, a multiple of 64 from 128 to 32768 (FC-FACTS: ranges).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_size: Option<u32>,
    /// Seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u32>,
    /// vCPUs, a multiple of 0.05.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<f64>,
    /// MB: 512 or 10240.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disk_size: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_concurrency: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment_variables: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_runtime_config: Option<CustomRuntimeConfig>,
    /// A custom-container function's image instead of a code package.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_container_config: Option<CustomContainerConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_lifecycle_config: Option<InstanceLifecycleConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_config: Option<LogConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_config: Option<VpcConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nas_config: Option<NasConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oss_mount_config: Option<OssMountConfig>,
    /// Layer version ARNs, the first one's files winning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layers: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internet_access: Option<bool>,
    #[serde(rename = "customDNS", default, skip_serializing_if = "Option::is_none")]
    pub custom_dns: Option<CustomDns>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracing_config: Option<TracingConfig>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomRuntimeConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_config: Option<CustomHealthCheckConfig>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomContainerConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entrypoint: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acceleration_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acr_instance_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_config: Option<CustomHealthCheckConfig>,
    /// What GetFunction reports of the deployed image; never sent.
    #[serde(default, skip_serializing)]
    pub resolved_image_uri: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomHealthCheckConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_get_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_delay_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_threshold: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_threshold: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InstanceLifecycleConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initializer: Option<LifecycleHook>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_stop: Option<LifecycleHook>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LifecycleHook {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handler: Option<String>,
    /// Seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LogConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logstore: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_instance_metrics: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_request_metrics: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_begin_rule: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VpcConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    #[serde(
        rename = "vSwitchIds",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub v_switch_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_group_id: Option<String>,
}

/// `mountPoints` is always sent, as the SDK's `NASConfig.to_map` always writes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NasConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<i64>,
    #[serde(default)]
    pub mount_points: Vec<NasMountConfig>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NasMountConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_addr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mount_dir: Option<String>,
    #[serde(rename = "enableTLS", default, skip_serializing_if = "Option::is_none")]
    pub enable_tls: Option<bool>,
}

/// `mountPoints` is always sent, as in the SDK.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OssMountConfig {
    #[serde(default)]
    pub mount_points: Vec<OssMountPoint>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OssMountPoint {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mount_dir: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
}

/// `dnsOptions` is always sent, as in the SDK.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomDns {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_servers: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub searches: Option<Vec<String>>,
    #[serde(default)]
    pub dns_options: Vec<DnsOption>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DnsOption {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TracingConfig {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<BTreeMap<String, String>>,
}

/// A resource tag; the SDK's `Tag` model capitalises its fields.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tag {
    #[serde(rename = "Key")]
    pub key: String,
    #[serde(rename = "Value")]
    pub value: String,
}

/// `code`: the zip inline as base64, or an OSS object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InputCodeLocation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zip_file: Option<String>,
    /// The CRC-64 FC checks the upload against, decimal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oss_bucket_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oss_object_name: Option<String>,
}

impl InputCodeLocation {
    /// The zip inline, with its checksum so that FC verifies what it received.
    pub fn inline(zip: &[u8]) -> Self {
        use base64::Engine;
        Self {
            zip_file: Some(base64::engine::general_purpose::STANDARD.encode(zip)),
            checksum: Some(super::crc64::of_bytes(zip).to_string()),
            ..Self::default()
        }
    }
}

/// The body of CreateFunction.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateFunctionInput {
    pub function_name: String,
    pub config: FunctionConfig,
    pub code: Option<InputCodeLocation>,
    pub tags: Vec<Tag>,
}

impl CreateFunctionInput {
    /// The JSON body. `tags` is always written, as the SDK's `to_map` does.
    pub fn to_json(&self) -> Value {
        let mut body = object_of(&self.config);
        body.insert(
            "functionName".into(),
            Value::from(self.function_name.clone()),
        );
        if let Some(code) = &self.code {
            body.insert("code".into(), to_value(code));
        }
        body.insert("tags".into(), to_value(&self.tags));
        Value::Object(body)
    }
}

/// The body of UpdateFunction: only the fields that change (FC leaves the others as they are).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpdateFunctionInput {
    pub config: FunctionConfig,
    pub code: Option<InputCodeLocation>,
}

impl UpdateFunctionInput {
    pub fn to_json(&self) -> Value {
        let mut body = object_of(&self.config);
        if let Some(code) = &self.code {
            body.insert("code".into(), to_value(code));
        }
        Value::Object(body)
    }

    pub fn is_empty(&self) -> bool {
        self.code.is_none() && self.config == FunctionConfig::default()
    }
}

fn to_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("the wire types serialise to JSON")
}

fn object_of<T: Serialize>(value: &T) -> Map<String, Value> {
    match to_value(value) {
        Value::Object(map) => map,
        other => unreachable!("a struct serialises to an object, not {other}"),
    }
}

/// A function as GetFunction, CreateFunction and UpdateFunction return it.
#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    /// The whole response, which the plan compares field by field.
    pub raw: Value,
}

impl Function {
    pub fn from_json(raw: Value) -> Self {
        Self { raw }
    }

    fn text(&self, field: &str) -> Option<&str> {
        self.raw.get(field).and_then(Value::as_str)
    }

    pub fn name(&self) -> Option<&str> {
        self.text("functionName")
    }

    /// "The CRC-64 value of the function code package", decimal.
    pub fn code_checksum(&self) -> Option<&str> {
        self.text("codeChecksum")
    }

    pub fn code_size(&self) -> Option<u64> {
        self.raw.get("codeSize").and_then(Value::as_u64)
    }

    /// `Pending`, `Active`, `Inactive` or `Failed`.
    pub fn state(&self) -> Option<&str> {
        self.text("state")
    }

    pub fn state_reason(&self) -> Option<&str> {
        self.text("stateReason")
    }

    /// `InProgress`, `Successful` or `Failed`.
    pub fn last_update_status(&self) -> Option<&str> {
        self.text("lastUpdateStatus")
    }

    pub fn last_update_status_reason(&self) -> Option<&str> {
        self.text("lastUpdateStatusReason")
    }
}

/// The body of CreateTrigger. `triggerConfig` travels as a JSON string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateTriggerInput {
    pub trigger_name: String,
    pub trigger_type: String,
    pub trigger_config: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invocation_role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_arn: Option<String>,
}

/// The body of UpdateTrigger: a trigger's name, type and source cannot change in place.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateTriggerInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trigger_config: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invocation_role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
}

/// A trigger as FC returns it. Fields FC adds later are ignored.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Trigger {
    #[serde(default)]
    pub trigger_name: String,
    #[serde(default)]
    pub trigger_type: String,
    /// JSON text.
    #[serde(default)]
    pub trigger_config: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub invocation_role: Option<String>,
    #[serde(default)]
    pub qualifier: Option<String>,
    #[serde(default)]
    pub source_arn: Option<String>,
    #[serde(default)]
    pub http_trigger: Option<HttpTriggerUrls>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub trigger_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpTriggerUrls {
    #[serde(default)]
    pub url_internet: Option<String>,
    #[serde(default)]
    pub url_intranet: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListTriggersOutput {
    #[serde(default)]
    pub triggers: Vec<Trigger>,
    #[serde(default)]
    pub next_token: Option<String>,
}

/// How InvokeFunction is called.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvokeOptions {
    /// `x-fc-invocation-type: Async`: FC queues the event and answers 202.
    pub asynchronous: bool,
    /// The version or alias (`qualifier`); FC's default is LATEST.
    pub qualifier: Option<String>,
}

/// What InvokeFunction answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    pub status: u16,
    /// `x-fc-request-id`.
    pub request_id: Option<String>,
    /// The function's response body.
    pub body: Vec<u8>,
    /// `x-fc-log-result` decoded: the invocation's log tail (at most 4 KB, FC-FACTS).
    pub log: Option<String>,
    /// `x-fc-error-type`, e.g. `UnhandledInvocationError`, when the function failed.
    pub error_type: Option<String>,
}

/// The `triggerConfig` of each trigger type cargo fc knows, with the SDK's field names.
#[derive(Debug, Clone, PartialEq)]
pub enum TriggerConfig {
    Http(HttpTriggerConfig),
    Timer(TimerTriggerConfig),
    Oss(OssTriggerConfig),
    /// Simple Log Service: trigger type `log`.
    Log(SlsTriggerConfig),
    MnsTopic(MnsTopicTriggerConfig),
    CdnEvents(CdnTriggerConfig),
    /// EventBridge's configuration is a tree of event-source parameters; it is passed as given
    /// and checked against the SDK's `EventBridgeTriggerConfig` in the tests.
    EventBridge(Value),
}

impl TriggerConfig {
    /// The API's `triggerType`.
    pub fn trigger_type(&self) -> &'static str {
        match self {
            TriggerConfig::Http(_) => "http",
            TriggerConfig::Timer(_) => "timer",
            TriggerConfig::Oss(_) => "oss",
            TriggerConfig::Log(_) => "log",
            TriggerConfig::MnsTopic(_) => "mns_topic",
            TriggerConfig::CdnEvents(_) => "cdn_events",
            TriggerConfig::EventBridge(_) => "eventbridge",
        }
    }

    /// The trigger types cargo fc can deploy.
    pub const TYPES: [&'static str; 7] = [
        "http",
        "timer",
        "oss",
        "log",
        "mns_topic",
        "cdn_events",
        "eventbridge",
    ];

    /// A template's trigger config (already JSON) as the typed config of `trigger_type`. Unknown
    /// fields are errors, so that a misspelt key is not silently dropped.
    pub fn from_json(trigger_type: &str, value: Value) -> Result<Self, String> {
        fn typed<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, String> {
            serde_json::from_value(value).map_err(|e| e.to_string())
        }
        Ok(match trigger_type {
            "http" => TriggerConfig::Http(typed(value)?),
            "timer" => TriggerConfig::Timer(typed(value)?),
            "oss" => TriggerConfig::Oss(typed(value)?),
            "log" => TriggerConfig::Log(typed(value)?),
            "mns_topic" => TriggerConfig::MnsTopic(typed(value)?),
            "cdn_events" => TriggerConfig::CdnEvents(typed(value)?),
            "eventbridge" if value.is_object() => TriggerConfig::EventBridge(value),
            "eventbridge" => return Err("an eventbridge triggerConfig must be a mapping".into()),
            other => {
                return Err(format!(
                    "trigger type `{other}` is not one cargo fc deploys (it knows {})",
                    Self::TYPES.join(", ")
                ));
            }
        })
    }

    pub fn to_json(&self) -> Value {
        match self {
            TriggerConfig::Http(c) => to_value(c),
            TriggerConfig::Timer(c) => to_value(c),
            TriggerConfig::Oss(c) => to_value(c),
            TriggerConfig::Log(c) => to_value(c),
            TriggerConfig::MnsTopic(c) => to_value(c),
            TriggerConfig::CdnEvents(c) => to_value(c),
            TriggerConfig::EventBridge(value) => value.clone(),
        }
    }

    /// The JSON text `triggerConfig` carries.
    pub fn to_wire(&self) -> String {
        self.to_json().to_string()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpTriggerConfig {
    /// `anonymous`, `function`, `jwt`…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub methods: Option<Vec<String>>,
    #[serde(
        rename = "disableURLInternet",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub disable_url_internet: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_config: Option<HttpAuthConfig>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpAuthConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_info: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TimerTriggerConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cron_expression: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OssTriggerConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<OssTriggerFilter>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OssTriggerFilter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<OssTriggerKey>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OssTriggerKey {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SlsTriggerConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_parameter: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_config: Option<SlsJobConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_config: Option<SlsLogConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_config: Option<SlsSourceConfig>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SlsJobConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_retry_time: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger_interval: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SlsLogConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logstore: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SlsSourceConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logstore: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MnsTopicTriggerConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_content_format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_strategy: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CdnTriggerConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<BTreeMap<String, Vec<String>>>,
}

/// The desired state of one function and its triggers, in the API's terms: what a deploy makes
/// true. Filled from the deployment model; compared with FC's state by [`super::plan::plan`].
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionSpec {
    pub name: String,
    pub config: FunctionConfig,
    /// The packed zip; `None` for a function whose code is not a zip (a container image).
    pub code: Option<CodePackage>,
    /// Set when the function is created; FC changes tags of an existing function only
    /// through TagResources, which cargo fc does not call.
    pub tags: Vec<Tag>,
    /// `None`: the template declares no triggers, and FC's are left alone. `Some`: the
    /// template manages this function's triggers, which are made to be exactly these.
    pub triggers: Option<Vec<TriggerSpec>>,
}

/// A zip on disk with the facts the plan needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodePackage {
    pub path: PathBuf,
    pub size: u64,
    /// CRC-64/XZ, compared with FC's `codeChecksum`.
    pub crc64: u64,
}

impl CodePackage {
    pub fn from_file(path: &Path) -> Result<Self, IoError> {
        let (crc64, size) = super::crc64::of_file(path)?;
        Ok(Self {
            path: path.to_path_buf(),
            size,
            crc64,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TriggerSpec {
    pub name: String,
    pub config: TriggerConfig,
    pub description: Option<String>,
    pub invocation_role: Option<String>,
    pub qualifier: Option<String>,
    pub source_arn: Option<String>,
}

impl TriggerSpec {
    pub fn create_input(&self) -> CreateTriggerInput {
        CreateTriggerInput {
            trigger_name: self.name.clone(),
            trigger_type: self.config.trigger_type().into(),
            trigger_config: self.config.to_wire(),
            description: self.description.clone(),
            invocation_role: self.invocation_role.clone(),
            qualifier: self.qualifier.clone(),
            source_arn: self.source_arn.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn create_function_bodies_use_the_sdk_names_and_always_carry_tags() {
        let input = CreateFunctionInput {
            function_name: "hello".into(),
            config: FunctionConfig {
                runtime: Some("custom.debian10".into()),
                handler: Some("index.handler".into()),
                memory_size: Some(512),
                custom_runtime_config: Some(CustomRuntimeConfig {
                    command: Some(vec!["/code/bootstrap".into()]),
                    port: Some(9000),
                    ..Default::default()
                }),
                custom_dns: Some(CustomDns::default()),
                nas_config: Some(NasConfig::default()),
                vpc_config: Some(VpcConfig {
                    v_switch_ids: Some(vec!["vsw-1".into()]),
                    ..Default::default()
                }),
                ..Default::default()
            },
            code: Some(InputCodeLocation::inline(b"PK")),
            tags: Vec::new(),
        };
        assert_eq!(
            input.to_json(),
            json!({
                "functionName": "hello",
                "runtime": "custom.debian10",
                "handler": "index.handler",
                "memorySize": 512,
                "customRuntimeConfig": {"command": ["/code/bootstrap"], "port": 9000},
                "customDNS": {"dnsOptions": []},
                "nasConfig": {"mountPoints": []},
                "vpcConfig": {"vSwitchIds": ["vsw-1"]},
                "code": {"zipFile": "UEs=", "checksum": super::super::crc64::of_bytes(b"PK").to_string()},
                "tags": [],
            })
        );
    }

    #[test]
    fn trigger_configs_reject_unknown_fields_and_unknown_types() {
        let http = TriggerConfig::from_json(
            "http",
            json!({"authType": "anonymous", "methods": ["GET"], "disableURLInternet": false}),
        )
        .unwrap();
        assert_eq!(http.trigger_type(), "http");
        assert_eq!(
            http.to_wire(),
            r#"{"authType":"anonymous","disableURLInternet":false,"methods":["GET"]}"#
        );
        let misspelt =
            TriggerConfig::from_json("timer", json!({"cronExpresion": "@every 1m"})).unwrap_err();
        assert!(misspelt.contains("cronExpresion"), "{misspelt}");
        let unknown = TriggerConfig::from_json("kafka", json!({})).unwrap_err();
        assert!(unknown.contains("mns_topic"), "{unknown}");
    }
}
