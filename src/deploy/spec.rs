//! A function of the deployment model, as FC 3.0's API takes it: the [`FunctionSpec`] that
//! `cargo fc deploy` plans and applies.
//!
//! Settings the model types are sent from their typed values; parts it keeps as written
//! (`logConfig`'s extra keys, a trigger's `triggerConfig`, `ossMountConfig`, …) are sent as
//! written, through the API's own field lists, which refuse a misspelt key. What cargo fc cannot
//! send faithfully — a computed `${…}` value it cannot resolve, `auto` configurations the deploy
//! tool creates, component settings that are not the function's (`provisionConfig`, …) — stops
//! the deployment before anything is changed, every one of them named with its place.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde_json::{Map, Value as Json};

use super::api::model::{
    self as wire, CodePackage, FunctionConfig, FunctionSpec, TriggerConfig, TriggerSpec,
};
use crate::deployment::{
    self as model, Deployment, Field, Function, RawKey, Span, Strings, Trigger, Value,
};
use crate::error::{Exit, Failure, Location, failure_any};

/// One thing of a function that cargo fc cannot send, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsendable {
    pub line: usize,
    pub column: usize,
    pub what: String,
    pub why: String,
}

/// A template cargo fc cannot deploy through the API as written.
#[derive(Debug)]
pub enum SpecError {
    /// Every setting of the functions that cannot be sent.
    Unsendable {
        file: PathBuf,
        problems: Vec<Unsendable>,
    },
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let SpecError::Unsendable { problems, .. } = self;
        write!(
            f,
            "{} setting{} of the template cannot be sent to FC as written; nothing was changed",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        )
    }
}

impl Failure for SpecError {
    fn exit(&self) -> Exit {
        Exit::Template
    }

    fn kind(&self) -> &'static str {
        "deploy.unsendable"
    }

    fn location(&self) -> Option<Location> {
        let SpecError::Unsendable { file, problems } = self;
        let first = problems.first()?;
        Some(Location {
            file: file.clone(),
            line: Some(first.line),
            column: Some(first.column),
            width: None,
        })
    }

    fn notes(&self) -> Vec<String> {
        let SpecError::Unsendable { file, problems } = self;
        problems
            .iter()
            .map(|p| {
                format!(
                    "{}:{}:{}: {}: {}",
                    file.display(),
                    p.line,
                    p.column,
                    p.what,
                    p.why
                )
            })
            .collect()
    }

    fn help(&self) -> Option<String> {
        Some(
            "write the values out, or deploy with Serverless Devs, which resolves them: `cargo fc deploy --tool s`"
                .into(),
        )
    }

    fn details(&self) -> Json {
        let SpecError::Unsendable { file, problems } = self;
        serde_json::json!({
            "file": file,
            "problems": problems.iter().map(|p| serde_json::json!({
                "line": p.line, "column": p.column, "what": p.what, "why": p.why,
            })).collect::<Vec<_>>(),
        })
    }

    failure_any!();
}

/// fc3 props that configure something other than the function itself, which cargo fc does
/// not deploy (Serverless Devs does, through other API calls).
const COMPONENT_ONLY: &[&str] = &[
    "provisionConfig",
    "concurrencyConfig",
    "asyncInvokeConfig",
    "scalingConfig",
    "vpcBinding",
    "customDomain",
    "artifacts",
    "sessionAffinity",
    "sessionAffinityConfig",
];

/// Props the model keeps as written that the API takes as they are, and how to read them.
const PASSED_AS_WRITTEN: &[&str] = &[
    "ossMountConfig",
    "customDNS",
    "tracingConfig",
    "gpuConfig",
    "instanceIsolationMode",
    "idleTimeout",
    "disableOndemand",
    "enableLongLiving",
    "disableInjectCredentials",
];

/// Reads one function of `deployment` into the spec FC is sent; `code` is its package
/// (`None` for a custom container, which names its image).
pub struct Reader<'d> {
    deployment: &'d Deployment,
    problems: Vec<Unsendable>,
}

impl<'d> Reader<'d> {
    pub fn new(deployment: &'d Deployment) -> Self {
        Self {
            deployment,
            problems: Vec::new(),
        }
    }

    /// The problems found so far, as the error that stops the deployment.
    pub fn finish(self, file: PathBuf) -> Result<(), SpecError> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(SpecError::Unsendable {
                file,
                problems: self.problems,
            })
        }
    }

    fn refuse(&mut self, span: Span, what: &str, why: impl Into<String>) {
        self.problems.push(Unsendable {
            line: span.start.line().max(1),
            column: span.start.col() + 1,
            what: what.to_string(),
            why: why.into(),
        });
    }

    /// A literal value; a computed or invalid one is refused.
    fn literal<T: Clone>(&mut self, field: Option<&Field<T>>) -> Option<T> {
        let field = field?;
        self.value(&field.value, field.name)
    }

    fn value<T: Clone>(&mut self, value: &Value<T>, what: &str) -> Option<T> {
        match value {
            Value::Literal(value, _) => Some(value.clone()),
            Value::Computed(text, span) => {
                self.refuse(
                    *span,
                    what,
                    format!("`{text}` is computed by the deploy tool, which cargo fc does not run"),
                );
                None
            }
            Value::Invalid(found, span) => {
                self.refuse(*span, what, format!("it is {}", found.describe()));
                None
            }
        }
    }

    fn number<T: TryFrom<i64>>(&mut self, field: Option<&Field<i64>>) -> Option<T> {
        let field = field?;
        let value = self.literal(Some(field))?;
        match T::try_from(value) {
            Ok(n) => Some(n),
            Err(_) => {
                self.refuse(
                    field.value.span(),
                    field.name,
                    format!("{value} is out of range"),
                );
                None
            }
        }
    }

    fn strings(&mut self, field: Option<&Field<Strings>>) -> Option<Vec<String>> {
        let field = field?;
        let items = self.literal(Some(field))?;
        let mut out = Vec::new();
        for item in &items {
            out.push(self.value(item, field.name)?);
        }
        Some(out)
    }

    /// A part kept as written, as JSON; refused when it holds a computed value.
    fn json(&mut self, span: Span, what: &str, raw: &model::Raw) -> Option<Json> {
        let Some(json) = self.deployment.json(raw) else {
            self.refuse(span, what, "it is too large to send");
            return None;
        };
        if let Some(text) = first_computed(&json) {
            self.refuse(
                span,
                what,
                format!("`{text}` is computed by the deploy tool, which cargo fc does not run"),
            );
            return None;
        }
        Some(json)
    }

    /// Extra keys of a section, kept as written, onto its JSON object.
    fn untyped_into(&mut self, object: &mut Map<String, Json>, untyped: &[RawKey]) {
        for key in untyped {
            if let Some(json) = self.json(key.key, &key.name, &key.value) {
                object.insert(key.name.clone(), json);
            }
        }
    }

    /// A section's JSON through one of the API's types, which refuses a misspelt key.
    fn typed<T: serde::de::DeserializeOwned>(
        &mut self,
        span: Span,
        what: &str,
        object: Map<String, Json>,
    ) -> Option<T> {
        match serde_json::from_value(Json::Object(object)) {
            Ok(value) => Some(value),
            Err(error) => {
                self.refuse(span, what, format!("FC's API does not take it: {error}"));
                None
            }
        }
    }

    /// The spec of `function`.
    pub fn function(
        &mut self,
        function: &Function,
        code: Option<CodePackage>,
    ) -> Option<FunctionSpec> {
        let name = self.literal(function.name.as_ref())?;
        let runtime = self.literal(function.runtime.as_ref());
        let container = runtime.as_deref() == Some(crate::platform::CONTAINER_RUNTIME);
        let mut config = FunctionConfig {
            // A custom runtime or container ignores the handler, but the API wants one; fc3
            // sends this one.
            handler: self
                .literal(function.handler.as_ref())
                .or_else(|| Some(crate::platform::DEFAULT_HANDLER.to_string())),
            runtime,
            description: self.literal(function.description.as_ref()),
            memory_size: self.number(function.memory_size.as_ref()),
            timeout: self.number(function.timeout.as_ref()),
            instance_concurrency: self.number(function.instance_concurrency.as_ref()),
            cpu: self.literal(function.cpu.as_ref()),
            disk_size: self.number(function.disk_size.as_ref()),
            role: self.literal(function.role.as_ref()),
            internet_access: self.literal(function.internet_access.as_ref()),
            layers: self.strings(function.layers.as_ref()),
            ..FunctionConfig::default()
        };
        if let Some(field) = &function.environment_variables
            && let Some(variables) = self.literal(Some(field))
        {
            let mut map = BTreeMap::new();
            for variable in &variables {
                if let Some(value) = self.value(&variable.value, &variable.name) {
                    map.insert(variable.name.clone(), value);
                }
            }
            config.environment_variables = Some(map);
        }
        if let Some(field) = &function.custom_runtime_config
            && let Some(section) = self.literal(Some(field))
        {
            let mut object = Map::new();
            if let Some(command) = self.strings(section.command.as_ref()) {
                object.insert("command".into(), command.into());
            }
            if let Some(args) = self.strings(section.args.as_ref()) {
                object.insert("args".into(), args.into());
            }
            if let Some(port) = self.number::<u16>(section.port.as_ref()) {
                object.insert("port".into(), port.into());
            }
            self.untyped_into(&mut object, &section.untyped);
            config.custom_runtime_config = self.typed(field.key, field.name, object);
        }
        if let Some(field) = &function.custom_container_config
            && let Some(section) = self.literal(Some(field))
        {
            let mut object = Map::new();
            if let Some(image) = self.literal(section.image.as_ref()) {
                object.insert("image".into(), image.into());
            }
            if let Some(entrypoint) = self.strings(section.entrypoint.as_ref()) {
                object.insert("entrypoint".into(), entrypoint.into());
            }
            if let Some(command) = self.strings(section.command.as_ref()) {
                object.insert("command".into(), command.into());
            }
            if let Some(port) = self.number::<u16>(section.port.as_ref()) {
                object.insert("port".into(), port.into());
            }
            self.untyped_into(&mut object, &section.untyped);
            config.custom_container_config = self.typed(field.key, field.name, object);
        }
        config.instance_lifecycle_config = self.lifecycle(function);
        config.log_config = self.log_config(function);
        config.vpc_config = self.vpc_config(function);
        config.nas_config = self.nas_config(function);
        for key in &function.untyped {
            if COMPONENT_ONLY.contains(&key.name.as_str()) {
                self.refuse(
                    key.key,
                    &key.name,
                    "cargo fc deploys the function and its triggers, not this setting of the fc3 component",
                );
                continue;
            }
            if !PASSED_AS_WRITTEN.contains(&key.name.as_str()) {
                continue;
            }
            let Some(json) = self.json(key.key, &key.name, &key.value) else {
                continue;
            };
            self.as_written(&mut config, key, json);
        }
        let tags = self.tags(function);
        let triggers = self.triggers(function);
        Some(FunctionSpec {
            name,
            config,
            // A container names its image; a package built for a zip does not go with it.
            code: if container { None } else { code },
            tags,
            triggers,
        })
    }

    /// The props the API takes as written, each through its own type.
    fn as_written(&mut self, config: &mut FunctionConfig, key: &RawKey, json: Json) {
        let mut object = Map::new();
        object.insert(key.name.clone(), json);
        // Through the whole config's type: the key's own type checks its fields.
        match serde_json::from_value::<FunctionConfig>(Json::Object(object)) {
            Ok(parsed) => {
                config.oss_mount_config =
                    parsed.oss_mount_config.or(config.oss_mount_config.take());
                config.custom_dns = parsed.custom_dns.or(config.custom_dns.take());
                config.tracing_config = parsed.tracing_config.or(config.tracing_config.take());
            }
            Err(error) => self.refuse(
                key.key,
                &key.name,
                format!("FC's API does not take it as written: {error}"),
            ),
        }
    }

    fn hook(&mut self, field: &Field<model::LifecycleHook>) -> Option<wire::LifecycleHook> {
        let hook = self.literal(Some(field))?;
        let mut object = Map::new();
        if let Some(handler) = self.literal(hook.handler.as_ref()) {
            object.insert("handler".into(), handler.into());
        }
        if let Some(timeout) = self.number::<u32>(hook.timeout.as_ref()) {
            object.insert("timeout".into(), timeout.into());
        }
        self.untyped_into(&mut object, &hook.untyped);
        self.typed(field.key, field.name, object)
    }

    fn lifecycle(&mut self, function: &Function) -> Option<wire::InstanceLifecycleConfig> {
        let initializer = function.initializer.as_deref().and_then(|h| self.hook(h));
        let pre_stop = match &function.instance_lifecycle_config {
            Some(field) => match self.literal(Some(field)) {
                Some(section) => section.pre_stop.as_ref().and_then(|h| self.hook(h)),
                None => None,
            },
            None => None,
        };
        (initializer.is_some() || pre_stop.is_some()).then_some(wire::InstanceLifecycleConfig {
            initializer,
            pre_stop,
        })
    }

    fn auto(&mut self, span: Span, what: &str) {
        self.refuse(
            span,
            what,
            "`auto` asks Serverless Devs to create the resources; name them to deploy with cargo fc",
        );
    }

    fn log_config(&mut self, function: &Function) -> Option<wire::LogConfig> {
        let field = function.log_config.as_deref()?;
        match self.literal(Some(field))? {
            model::LogConfig::Auto => {
                self.auto(field.key, field.name);
                None
            }
            model::LogConfig::Logstore {
                project,
                logstore,
                untyped,
                ..
            } => {
                let mut object = Map::new();
                if let Some(project) = self.literal(project.as_ref()) {
                    object.insert("project".into(), project.into());
                }
                if let Some(logstore) = self.literal(logstore.as_ref()) {
                    object.insert("logstore".into(), logstore.into());
                }
                self.untyped_into(&mut object, &untyped);
                self.typed(field.key, field.name, object)
            }
        }
    }

    fn vpc_config(&mut self, function: &Function) -> Option<wire::VpcConfig> {
        let field = function.vpc_config.as_deref()?;
        match self.literal(Some(field))? {
            model::VpcConfig::Auto => {
                self.auto(field.key, field.name);
                None
            }
            model::VpcConfig::Network {
                vpc_id,
                v_switch_ids,
                security_group_id,
                untyped,
                ..
            } => {
                let mut object = Map::new();
                if let Some(id) = self.literal(vpc_id.as_ref()) {
                    object.insert("vpcId".into(), id.into());
                }
                if let Some(ids) = self.strings(v_switch_ids.as_ref()) {
                    object.insert("vSwitchIds".into(), ids.into());
                }
                if let Some(id) = self.literal(security_group_id.as_ref()) {
                    object.insert("securityGroupId".into(), id.into());
                }
                self.untyped_into(&mut object, &untyped);
                self.typed(field.key, field.name, object)
            }
        }
    }

    fn nas_config(&mut self, function: &Function) -> Option<wire::NasConfig> {
        let field = function.nas_config.as_deref()?;
        match self.literal(Some(field))? {
            model::NasConfig::Auto => {
                self.auto(field.key, field.name);
                None
            }
            model::NasConfig::Mounts {
                user_id,
                group_id,
                mount_points,
                untyped,
                ..
            } => {
                let mut object = Map::new();
                if let Some(id) = self.literal(user_id.as_ref()) {
                    object.insert("userId".into(), id.into());
                }
                if let Some(id) = self.literal(group_id.as_ref()) {
                    object.insert("groupId".into(), id.into());
                }
                if let Some(points) = &mount_points
                    && let Some(raw) = self.literal(Some(points))
                    && let Some(json) = self.json(points.key, points.name, &raw)
                {
                    object.insert("mountPoints".into(), json);
                }
                self.untyped_into(&mut object, &untyped);
                self.typed(field.key, field.name, object)
            }
        }
    }

    fn tags(&mut self, function: &Function) -> Vec<wire::Tag> {
        let Some(field) = &function.tags else {
            return Vec::new();
        };
        let Some(tags) = self.literal(Some(field)) else {
            return Vec::new();
        };
        tags.iter()
            .filter_map(|tag| {
                Some(wire::Tag {
                    key: self.literal(tag.key.as_ref())?,
                    value: self.literal(tag.value.as_ref()).unwrap_or_default(),
                })
            })
            .collect()
    }

    /// `None` when the template names no triggers: FC's are left as they are.
    fn triggers(&mut self, function: &Function) -> Option<Vec<TriggerSpec>> {
        let field = function.triggers.as_ref()?;
        let triggers = self.literal(Some(field))?;
        Some(
            triggers
                .iter()
                .filter_map(|trigger| self.trigger(trigger))
                .collect(),
        )
    }

    fn trigger(&mut self, trigger: &Trigger) -> Option<TriggerSpec> {
        let name = self.literal(trigger.name.as_ref())?;
        let kind = trigger.kind.as_ref()?;
        let config = match &trigger.config_raw {
            Some(raw) => self.json(trigger.declared, "triggerConfig", raw)?,
            None => Json::Object(Map::new()),
        };
        let config = match TriggerConfig::from_json(kind.name(), config) {
            Ok(config) => config,
            Err(error) => {
                self.refuse(
                    trigger.declared,
                    &format!("trigger `{name}`"),
                    format!("FC's API does not take its triggerConfig: {error}"),
                );
                return None;
            }
        };
        Some(TriggerSpec {
            name,
            config,
            description: self.literal(trigger.description.as_ref()),
            invocation_role: self.literal(trigger.invocation_role.as_ref()),
            qualifier: self.literal(trigger.qualifier.as_ref()),
            source_arn: self.literal(trigger.source_arn.as_ref()),
        })
    }
}

/// The first string in `json` that holds an unresolved `${…}`.
fn first_computed(json: &Json) -> Option<&str> {
    match json {
        Json::String(text) if text.contains("${") => Some(text),
        Json::Array(items) => items.iter().find_map(first_computed),
        Json::Object(map) => map.values().find_map(first_computed),
        _ => None,
    }
}
