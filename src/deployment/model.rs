//! The typed model of a deployment: what a template declares, whatever its format.
//!
//! Names follow FC 3.0's API (`memorySize`, `instanceConcurrency`, `customRuntimeConfig`,
//! `instanceLifecycleConfig`) where the formats differ; facts only FC 2.0 has (services, CAPort,
//! preFreeze, instance types) are kept apart and say so. Every value keeps where it is written
//! ([`Field`], [`Value`]); keys a format does not define are kept too ([`RawKey`]).

use super::Format;
use super::value::{Field, Raw, Strings, Value};
use super::yaml::{Document, Span};

/// A template read into the model.
#[derive(Debug)]
pub struct Deployment {
    pub format: Format,
    /// The whole template (its root mapping).
    pub span: Span,
    /// What only one format has: Fun's header and resource entries, an s.yaml's components.
    pub layout: Layout,
    /// FC 2.0 services (Fun, edition 1.0.0); FC 3.0 has none.
    pub services: Vec<Service>,
    pub functions: Vec<Function>,
    pub custom_domains: Vec<CustomDomain>,
    /// Where reading stopped when the template expands (through aliases and merge keys) to more
    /// values than a template can sensibly hold; nothing after it is in the model.
    pub truncated: Option<Span>,
    pub(super) document: Document,
}

#[expect(
    clippy::large_enum_variant,
    reason = "built once per template and read in place, never moved in bulk"
)]
#[derive(Debug)]
pub enum Layout {
    Fun(FunLayout),
    Devs(DevsLayout),
}

/// A Fun template's own top level.
#[derive(Debug, Default)]
pub struct FunLayout {
    pub format_version: Option<Field<String>>,
    /// The version is written without quotes, which js-yaml (Fun's reader) takes for a date.
    pub format_version_plain: bool,
    pub transform: Option<Field<String>>,
    /// The `Resources` mapping; `None` when the template has none.
    pub resources: Option<Field<()>>,
    /// Every entry of `Resources`, in order.
    pub entries: Vec<FunResource>,
    /// Top-level keys Fun does not define.
    pub unknown: Vec<RawKey>,
}

/// One entry of a Fun template's `Resources` (or a service's nested function entry).
#[derive(Debug)]
pub struct FunResource {
    pub name: String,
    pub key: Span,
    /// `Literal` when the entry is a mapping.
    pub value: Value<()>,
    pub resource_type: Option<Field<String>>,
    pub kind: FunResourceKind,
    /// For services: the entries nested in it other than `Type` and `Properties`.
    pub nested: Vec<FunResource>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FunResourceKind {
    /// `Aliyun::Serverless::Service`: index into [`Deployment::services`].
    Service(usize),
    /// `Aliyun::Serverless::Function`: index into [`Deployment::functions`].
    Function(usize),
    /// `Aliyun::Serverless::CustomDomain`: index into [`Deployment::custom_domains`].
    CustomDomain(usize),
    /// Another type Fun knows (`Aliyun::Serverless::Log`, …), kept as written.
    Other,
    /// No type, a type Fun does not know, or an entry that is not a mapping.
    Unknown,
}

/// A Serverless Devs s.yaml's own top level.
#[derive(Debug)]
pub struct DevsLayout {
    pub edition: Field<String>,
    pub name: Option<Field<String>>,
    pub access: Option<Field<String>>,
    /// `vars`, the values `${vars.NAME}` refers to.
    pub vars: Option<Field<Vec<RawKey>>>,
    /// Edition 3.0.0's `template:`, named sets of props that resources `extend`.
    pub templates: Option<Field<Vec<RawKey>>>,
    /// A top-level `extend: FILE`: this file overrides another s.yaml.
    pub extends: Option<Field<String>>,
    /// `resources` (3.0.0) or `services` (1.0.0).
    pub top: Option<Field<()>>,
    pub components: Vec<Component>,
    /// Top-level keys neither edition defines.
    pub unknown: Vec<RawKey>,
}

/// One entry of `resources` / `services`: a component and its props.
#[derive(Debug)]
pub struct Component {
    pub name: String,
    pub key: Span,
    /// `Literal` when the entry is a mapping.
    pub value: Value<()>,
    pub component: Option<Field<String>>,
    pub kind: ComponentKind,
    /// 3.0.0: the template whose props these props extend.
    pub extend: Option<Field<String>>,
    /// The props, after `extend` brought in the template's.
    pub props: Option<Field<()>>,
    /// The function these props declare, if any.
    pub function: Option<usize>,
    /// 1.0.0: the FC 2.0 service these props declare, if any.
    pub service: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComponentKind {
    /// `fc3`: one FC 3.0 function.
    Fc3,
    /// `fc` / `devsapp/fc`: an FC 2.0 service and its function (edition 1.0.0).
    Fc,
    /// `fc3-domain`: an FC 3.0 custom domain.
    Fc3Domain,
    /// Any other component (`fc-domain`, `oss`, …), named as written.
    Other(String),
    /// `component: ${…}`: only the deploy tool knows which component it is.
    Computed,
    /// No component, or not a string.
    Missing,
}

/// An FC 2.0 service (Fun's `Aliyun::Serverless::Service`, edition 1.0.0's `service`).
#[derive(Debug)]
pub struct Service {
    /// Fun: the resource key (its `Field::name` is empty); 1.0.0: `service.name`.
    pub name: Option<Field<String>>,
    /// Where the service is declared: Fun's resource key, 1.0.0's `service` key.
    pub declared: Span,
    /// The mapping its settings come from (Fun's `Properties`, 1.0.0's `service`).
    pub properties: Option<Field<()>>,
    /// 1.0.0's `props.region` (Fun leaves the region to `fun config`).
    pub region: Option<Field<String>>,
    pub description: Option<Field<String>>,
    pub role: Option<Field<String>>,
    pub internet_access: Option<Field<bool>>,
    pub log_config: Option<Field<LogConfig>>,
    pub vpc_config: Option<Field<VpcConfig>>,
    pub nas_config: Option<Field<NasConfig>>,
    /// Keys the format defines that the model keeps as written (`Policies`, `TracingConfig`).
    pub untyped: Vec<RawKey>,
    pub unknown: Vec<RawKey>,
}

/// Where a function is declared.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// Fun: nested in service `service` (index into [`Deployment::services`]).
    Fun {
        service: usize,
        /// `Type` of the function resource.
        resource_type: Option<Field<String>>,
        /// Keys of the function entry other than `Type`, `Properties` and `Events`.
        unknown: Vec<RawKey>,
    },
    /// An s.yaml component's props (index into [`DevsLayout::components`]): fc3, or a computed
    /// component whose props look like fc3's.
    Fc3 { component: usize },
    /// Edition 1.0.0: `props.function` of a component, in service `service`.
    Fc {
        component: usize,
        service: Option<usize>,
    },
}

/// One function. Its larger sections are boxed: most functions have few of them, and a
/// thousand-function template should not carry kilobytes of empty slots per function.
#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    pub origin: Origin,
    /// Where the function is declared: Fun's function key, fc3's resource key, 1.0.0's
    /// `function` key.
    pub declared: Span,
    /// `functionName` (Fun: the resource key, whose `Field::name` is empty).
    pub name: Option<Field<String>>,
    /// The mapping the settings come from (Fun's `Properties`, fc3's `props`, 1.0.0's
    /// `function`); when it is not a mapping, every setting is `None`.
    pub properties: Option<Field<()>>,
    pub region: Option<Field<String>>,
    pub description: Option<Field<String>>,
    pub runtime: Option<Field<String>>,
    pub handler: Option<Field<String>>,
    pub code: Option<Box<Field<Code>>>,
    pub memory_size: Option<Field<i64>>,
    pub timeout: Option<Field<i64>>,
    pub instance_concurrency: Option<Field<i64>>,
    pub cpu: Option<Field<f64>>,
    pub disk_size: Option<Field<i64>>,
    /// FC 2.0's `InstanceType` (`e1`, `c1`).
    pub instance_type: Option<Field<String>>,
    pub environment_variables: Option<Field<Vec<EnvironmentVariable>>>,
    /// FC 3.0's `instanceLifecycleConfig.initializer`; FC 2.0's `Initializer` and
    /// `InitializationTimeout` (the field is then the `Initializer` key, or the timeout's when
    /// there is only a timeout).
    pub initializer: Option<Box<Field<LifecycleHook>>>,
    /// `instanceLifecycleConfig` as written: preStop, FC 2.0's preFreeze, other hooks.
    pub instance_lifecycle_config: Option<Box<Field<InstanceLifecycleConfig>>>,
    pub custom_runtime_config: Option<Box<Field<CustomRuntimeConfig>>>,
    /// FC 2.0's `CAPort`, which FC 3.0 moved to `customRuntimeConfig.port`.
    pub ca_port: Option<Field<i64>>,
    pub custom_container_config: Option<Box<Field<CustomContainerConfig>>>,
    pub layers: Option<Field<Strings>>,
    /// Fun's `Events`, an s.yaml's `triggers`.
    pub triggers: Option<Field<Vec<Trigger>>>,
    /// FC 3.0 moved these from the service to the function; FC 2.0 functions have them on
    /// their [`Service`].
    pub role: Option<Field<String>>,
    pub internet_access: Option<Field<bool>>,
    pub log_config: Option<Box<Field<LogConfig>>>,
    pub vpc_config: Option<Box<Field<VpcConfig>>>,
    pub nas_config: Option<Box<Field<NasConfig>>>,
    pub tags: Option<Field<Vec<Tag>>>,
    /// Keys the format defines that the model keeps as written (`gpuConfig`, `scalingConfig`,
    /// `asyncInvokeConfig`, …).
    pub untyped: Vec<RawKey>,
    pub unknown: Vec<RawKey>,
}

/// A key kept with its value as written.
pub use super::value::UnknownKey as RawKey;

/// Where a function's code is.
#[derive(Debug, Clone, PartialEq)]
pub enum Code {
    /// A zip or a folder, relative to the template's folder, or a URI such as `oss://b/key`.
    Path(String),
    /// An object already in OSS (fc3's `ossBucketName`/`ossObjectName`, 1.0.0's
    /// `ossBucket`/`ossKey`).
    Oss {
        bucket: Option<Field<String>>,
        object: Option<Field<String>>,
    },
    /// 1.0.0's `codeUri: { src, excludes, includes }`.
    Source {
        src: Option<Field<String>>,
        untyped: Vec<RawKey>,
        unknown: Vec<RawKey>,
    },
}

impl Code {
    /// The local path or URI the code is read from, with its field.
    pub fn path(field: &Field<Code>) -> Option<(&Field<Code>, Option<&Field<String>>)> {
        match field.literal()? {
            Code::Path(_) => Some((field, None)),
            Code::Source { src, .. } => Some((field, src.as_ref())),
            Code::Oss { .. } => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnvironmentVariable {
    pub name: String,
    pub key: Span,
    /// Scalars are literals as written (`WORKERS: 4` is `"4"`).
    pub value: Value<String>,
}

/// An initializer or a hook.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LifecycleHook {
    pub handler: Option<Field<String>>,
    pub timeout: Option<Field<i64>>,
    pub unknown: Vec<RawKey>,
    pub untyped: Vec<RawKey>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct InstanceLifecycleConfig {
    pub pre_stop: Option<Field<LifecycleHook>>,
    /// FC 2.0 only.
    pub pre_freeze: Option<Field<LifecycleHook>>,
    pub unknown: Vec<RawKey>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CustomRuntimeConfig {
    /// The start command (FC runs `/code/bootstrap` without one), in `/code`.
    pub command: Option<Field<Strings>>,
    pub args: Option<Field<Strings>>,
    pub port: Option<Field<i64>>,
    pub untyped: Vec<RawKey>,
    pub unknown: Vec<RawKey>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CustomContainerConfig {
    pub image: Option<Field<String>>,
    /// FC 3.0's `entrypoint`: the container's start command (FC 2.0's `Command`).
    pub entrypoint: Option<Field<Strings>>,
    /// FC 3.0's `command`: the start command's arguments (FC 2.0's `Args`).
    pub command: Option<Field<Strings>>,
    pub port: Option<Field<i64>>,
    pub untyped: Vec<RawKey>,
    pub unknown: Vec<RawKey>,
}

/// `logConfig`: `auto` (the deploy tool creates a project and logstore) or where logs go.
#[expect(
    clippy::large_enum_variant,
    reason = "built once per template and read in place, never moved in bulk"
)]
#[derive(Debug, Clone, PartialEq)]
pub enum LogConfig {
    Auto,
    Logstore {
        project: Option<Field<String>>,
        logstore: Option<Field<String>>,
        untyped: Vec<RawKey>,
        unknown: Vec<RawKey>,
    },
}

/// `vpcConfig`: `auto` or the network.
#[expect(
    clippy::large_enum_variant,
    reason = "built once per template and read in place, never moved in bulk"
)]
#[derive(Debug, Clone, PartialEq)]
pub enum VpcConfig {
    Auto,
    Network {
        vpc_id: Option<Field<String>>,
        v_switch_ids: Option<Field<Strings>>,
        security_group_id: Option<Field<String>>,
        untyped: Vec<RawKey>,
        unknown: Vec<RawKey>,
    },
}

/// `nasConfig`: `auto` or the mounts.
#[expect(
    clippy::large_enum_variant,
    reason = "built once per template and read in place, never moved in bulk"
)]
#[derive(Debug, Clone, PartialEq)]
pub enum NasConfig {
    Auto,
    Mounts {
        user_id: Option<Field<i64>>,
        group_id: Option<Field<i64>>,
        mount_points: Option<Field<Raw>>,
        untyped: Vec<RawKey>,
        unknown: Vec<RawKey>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    pub key: Option<Field<String>>,
    pub value: Option<Field<String>>,
    pub declared: Span,
}

/// One trigger of a function.
#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    /// Fun's event key; an s.yaml's list item.
    pub declared: Span,
    /// `Literal` when the trigger is a mapping.
    pub value: Value<()>,
    /// `triggerName` (Fun: the event key, whose `Field::name` is empty).
    pub name: Option<Field<String>>,
    /// `triggerType` as written (`HTTP`, `http`).
    pub trigger_type: Option<Field<String>>,
    /// The type, when it is a literal the model knows.
    pub kind: Option<TriggerKind>,
    /// Boxed: configs are large, and a template may have thousands of triggers.
    pub config: Option<Box<Field<TriggerConfig>>>,
    /// The config as written, for the deployer to send.
    pub config_raw: Option<Raw>,
    pub qualifier: Option<Field<String>>,
    pub invocation_role: Option<Field<String>>,
    pub source_arn: Option<Field<String>>,
    pub description: Option<Field<String>>,
    pub untyped: Vec<RawKey>,
    pub unknown: Vec<RawKey>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TriggerKind {
    Http,
    Timer,
    Oss,
    /// Simple Log Service (`log`; Fun's `Log`).
    Log,
    MnsTopic,
    /// `cdn_events` (Fun's `CDN`).
    Cdn,
    EventBridge,
    Tablestore,
    /// FC 2.0's `RDS`.
    Rds,
    /// FC 2.0's `Datahub`.
    Datahub,
    /// Another type, as written.
    Other(String),
}

impl TriggerKind {
    /// The type as an s.yaml or FC 3.0 writes it (Fun's own names differ).
    pub fn name(&self) -> &str {
        match self {
            TriggerKind::Http => "http",
            TriggerKind::Timer => "timer",
            TriggerKind::Oss => "oss",
            TriggerKind::Log => "log",
            TriggerKind::MnsTopic => "mns_topic",
            TriggerKind::Cdn => "cdn_events",
            TriggerKind::EventBridge => "eventbridge",
            TriggerKind::Tablestore => "tablestore",
            TriggerKind::Rds => "rds",
            TriggerKind::Datahub => "datahub",
            TriggerKind::Other(name) => name,
        }
    }
}

/// A trigger's configuration, by type (the FC 3.0 SDK's `*TriggerConfig` models).
#[derive(Debug, Clone, PartialEq)]
pub enum TriggerConfig {
    Http(HttpTriggerConfig),
    Timer(TimerTriggerConfig),
    Oss(OssTriggerConfig),
    Log(LogTriggerConfig),
    MnsTopic(MnsTopicTriggerConfig),
    Cdn(CdnTriggerConfig),
    EventBridge(EventBridgeTriggerConfig),
    Tablestore(TablestoreTriggerConfig),
    /// A type the model does not type, or a computed type: as written.
    Other(Raw),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct HttpTriggerConfig {
    pub auth_type: Option<Field<String>>,
    pub methods: Option<Field<Strings>>,
    pub disable_url_internet: Option<Field<bool>>,
    pub untyped: Vec<RawKey>,
    pub unknown: Vec<RawKey>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TimerTriggerConfig {
    pub cron_expression: Option<Field<String>>,
    pub enable: Option<Field<bool>>,
    pub payload: Option<Field<String>>,
    pub untyped: Vec<RawKey>,
    pub unknown: Vec<RawKey>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct OssTriggerConfig {
    /// FC 2.0's `BucketName` (FC 3.0 names the bucket in the trigger's `sourceArn`).
    pub bucket_name: Option<Field<String>>,
    pub events: Option<Field<Strings>>,
    pub untyped: Vec<RawKey>,
    pub unknown: Vec<RawKey>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LogTriggerConfig {
    pub enable: Option<Field<bool>>,
    pub untyped: Vec<RawKey>,
    pub unknown: Vec<RawKey>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct MnsTopicTriggerConfig {
    pub topic_name: Option<Field<String>>,
    pub region: Option<Field<String>>,
    pub filter_tag: Option<Field<String>>,
    pub notify_content_format: Option<Field<String>>,
    pub notify_strategy: Option<Field<String>>,
    pub untyped: Vec<RawKey>,
    pub unknown: Vec<RawKey>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CdnTriggerConfig {
    pub event_name: Option<Field<String>>,
    pub event_version: Option<Field<String>>,
    pub notes: Option<Field<String>>,
    pub untyped: Vec<RawKey>,
    pub unknown: Vec<RawKey>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct EventBridgeTriggerConfig {
    pub trigger_enable: Option<Field<bool>>,
    pub async_invocation_type: Option<Field<bool>>,
    pub event_rule_filter_pattern: Option<Field<String>>,
    pub untyped: Vec<RawKey>,
    pub unknown: Vec<RawKey>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TablestoreTriggerConfig {
    pub instance_name: Option<Field<String>>,
    pub table_name: Option<Field<String>>,
    pub untyped: Vec<RawKey>,
    pub unknown: Vec<RawKey>,
}

/// A custom domain and its routes.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomDomain {
    pub declared: Span,
    /// `domainName` (Fun: the resource key, whose `Field::name` is empty); `auto` asks the
    /// deploy tool for a test domain.
    pub domain_name: Option<Field<String>>,
    pub protocol: Option<Field<String>>,
    pub routes: Option<Field<Vec<Route>>>,
    /// fc3's function-level `customDomain`: the function it routes to.
    pub function: Option<usize>,
    pub untyped: Vec<RawKey>,
    pub unknown: Vec<RawKey>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub declared: Span,
    pub path: Option<Field<String>>,
    pub function_name: Option<Field<String>>,
    /// FC 2.0 only.
    pub service_name: Option<Field<String>>,
    pub qualifier: Option<Field<String>>,
    pub methods: Option<Field<Strings>>,
    pub untyped: Vec<RawKey>,
    pub unknown: Vec<RawKey>,
}

impl Deployment {
    pub fn document(&self) -> &Document {
        &self.document
    }

    /// A part kept as written, as JSON; `None` when it expands (through aliases) to more than a
    /// template can sensibly hold.
    pub fn json(&self, raw: &Raw) -> Option<serde_json::Value> {
        self.document.to_json_bounded(raw.node, JSON_NODE_BUDGET)
    }

    /// The function whose name is the literal `name`.
    pub fn function(&self, name: &str) -> Option<&Function> {
        self.functions
            .iter()
            .find(|f| f.name.as_ref().and_then(Field::as_str) == Some(name))
    }

    /// The function a bin runs as: by FC function name, or (fc3 props without `functionName`)
    /// by its resource's name, as the deploy tool names it then.
    pub fn function_deployed_as(&self, name: &str) -> Option<&Function> {
        if let Some(function) = self.function(name) {
            return Some(function);
        }
        let Layout::Devs(layout) = &self.layout else {
            return None;
        };
        layout
            .components
            .iter()
            .filter(|c| c.name == name && c.kind == ComponentKind::Fc3)
            .filter_map(|c| c.function.map(|i| &self.functions[i]))
            .find(|f| f.name.is_none())
    }

    /// The FC 2.0 service a function belongs to.
    pub fn service_of(&self, function: &Function) -> Option<&Service> {
        let index = match function.origin {
            Origin::Fun { service, .. } => Some(service),
            Origin::Fc { service, .. } => service,
            Origin::Fc3 { .. } => None,
        };
        index.and_then(|i| self.services.get(i))
    }

    /// The s.yaml component that declares a function.
    pub fn component_of(&self, function: &Function) -> Option<&Component> {
        let (Layout::Devs(layout), Origin::Fc3 { component } | Origin::Fc { component, .. }) =
            (&self.layout, &function.origin)
        else {
            return None;
        };
        layout.components.get(*component)
    }
}

/// How many nodes [`Deployment::json`] writes out at most.
const JSON_NODE_BUDGET: usize = 1_000_000;

impl Function {
    /// The literal function name.
    pub fn name_str(&self) -> Option<&str> {
        self.name.as_ref().and_then(Field::as_str)
    }

    /// The literal local path (or URI) its code is read from: `code`, `CodeUri`, `codeUri.src`.
    pub fn code_location(&self) -> Option<&str> {
        match self.code.as_ref()?.literal()? {
            Code::Path(path) => Some(path),
            Code::Source { src, .. } => src.as_ref()?.as_str(),
            Code::Oss { .. } => None,
        }
    }

    /// The port the function listens on: `customRuntimeConfig.port`, FC 2.0's `CAPort`, or the
    /// container's port.
    pub fn port(&self) -> Option<&Field<i64>> {
        let runtime = self
            .custom_runtime_config
            .as_deref()
            .and_then(Field::literal)
            .and_then(|c| c.port.as_ref());
        let container = self
            .custom_container_config
            .as_deref()
            .and_then(Field::literal)
            .and_then(|c| c.port.as_ref());
        runtime.or(self.ca_port.as_ref()).or(container)
    }

    /// The initializer, when it is written as a mapping (or FC 2.0's keys).
    pub fn initializer(&self) -> Option<&LifecycleHook> {
        self.initializer.as_deref().and_then(Field::literal)
    }

    /// The `preStop` hook.
    pub fn pre_stop(&self) -> Option<&LifecycleHook> {
        self.lifecycle()?.pre_stop.as_ref().and_then(Field::literal)
    }

    /// FC 2.0's `preFreeze` hook.
    pub fn pre_freeze(&self) -> Option<&LifecycleHook> {
        self.lifecycle()?
            .pre_freeze
            .as_ref()
            .and_then(Field::literal)
    }

    fn lifecycle(&self) -> Option<&InstanceLifecycleConfig> {
        self.instance_lifecycle_config
            .as_deref()
            .and_then(Field::literal)
    }

    /// The triggers, when they are written as a list (or Fun's mapping).
    pub fn trigger_list(&self) -> &[Trigger] {
        self.triggers
            .as_ref()
            .and_then(Field::literal)
            .map_or(&[], Vec::as_slice)
    }

    pub(super) fn new(origin: Origin, declared: Span) -> Self {
        Self {
            origin,
            declared,
            name: None,
            properties: None,
            region: None,
            description: None,
            runtime: None,
            handler: None,
            code: None,
            memory_size: None,
            timeout: None,
            instance_concurrency: None,
            cpu: None,
            disk_size: None,
            instance_type: None,
            environment_variables: None,
            initializer: None,
            instance_lifecycle_config: None,
            custom_runtime_config: None,
            ca_port: None,
            custom_container_config: None,
            layers: None,
            triggers: None,
            role: None,
            internet_access: None,
            log_config: None,
            vpc_config: None,
            nas_config: None,
            tags: None,
            untyped: Vec::new(),
            unknown: Vec::new(),
        }
    }
}

impl Service {
    pub(super) fn new(declared: Span) -> Self {
        Self {
            name: None,
            declared,
            properties: None,
            region: None,
            description: None,
            role: None,
            internet_access: None,
            log_config: None,
            vpc_config: None,
            nas_config: None,
            untyped: Vec::new(),
            unknown: Vec::new(),
        }
    }

    pub fn name_str(&self) -> Option<&str> {
        self.name.as_ref().and_then(Field::as_str)
    }
}
