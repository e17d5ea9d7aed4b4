//! Serverless Devs `s.yaml` (docs/platform.md#template-formats): `edition: 3.0.0` with
//! component `fc3`, and the older `edition: 1.0.0` with component `fc`.
//!
//! The components accept many more keys than cargo fc knows and add new ones often, so unknown
//! keys are only reported when they look like a misspelt known key, and as warnings.

use super::fun::{environment, written};
use super::rules::{
    Context, FC2_CONCURRENCY, FC3_CONCURRENCY, HOOK_TIMEOUT, INITIALIZATION_TIMEOUT, MEMORY_SIZE,
    Owner, PORT, RuntimeKind, TIMEOUT,
};
use crate::deployment::keys::{
    CUSTOM_RUNTIME_CONFIG, FC3_AUTH_TYPES, FC3_HOOK_KEYS, FC3_HOOKS, FC3_HTTP_CONFIG, FC3_METHODS,
    FC3_PROPS, FC3_TRIGGER, V1_AUTH_TYPES, V1_FUNCTION, V1_HOOKS,
};
use crate::deployment::{
    Code, Component, ComponentKind, CustomRuntimeConfig, Deployment, DevsLayout, Field, Function,
    InstanceLifecycleConfig, LifecycleHook, Span, Trigger, TriggerConfig, Value,
};

/// How an edition lays out its functions: a top-level mapping of named entries, each a component
/// with `props`.
struct Layout {
    top: &'static str,
    top_help: &'static str,
    /// How an entry is named in messages: "resource `x`" or "`x`".
    entry_word: &'static str,
    component: ComponentKind,
    /// The component as messages name it.
    component_name: &'static str,
    component_help: &'static str,
    /// The other edition's component, reported as a mix-up rather than skipped silently.
    other_component: ComponentKind,
    other_message: &'static str,
    other_help: &'static str,
    props_help: &'static str,
}

const V3_LAYOUT: Layout = Layout {
    top: "resources",
    top_help: "add `resources:` with one entry per function (component: fc3)",
    entry_word: "resource ",
    component: ComponentKind::Fc3,
    component_name: "fc3",
    component_help: "add `component: fc3`",
    other_component: ComponentKind::Fc,
    other_message: "component `fc` belongs to edition 1.0.0 s.yaml files; this one says edition 3.0.0",
    other_help: "use `component: fc3` with the fc3 props, or `edition: 1.0.0` with the 1.0.0 layout",
    props_help: "add `props:` with functionName, runtime and code",
};

const V1_LAYOUT: Layout = Layout {
    top: "services",
    top_help: "add `services:` with one entry per function (component: fc)",
    entry_word: "",
    component: ComponentKind::Fc,
    component_name: "devsapp/fc",
    component_help: "add `component: devsapp/fc`",
    other_component: ComponentKind::Fc3,
    other_message: "component `fc3` belongs to edition 3.0.0 s.yaml files; this one says edition 1.0.0",
    other_help: "use `edition: 3.0.0` with `resources:`, or `component: devsapp/fc` with the 1.0.0 layout",
    props_help: "add `props:` with region, service and function",
};

/// Walks the components of an edition's layout, checking each one's component, and hands every
/// component of the right kind to `check`, which returns how many functions it held.
fn each_component(
    cx: &mut Context,
    deployment: &Deployment,
    layout: &DevsLayout,
    edition: &Layout,
    mut check: impl FnMut(&mut Context, &Component, Span) -> usize,
) -> usize {
    let Some(top) = cx.require(
        &layout.top,
        edition.top,
        deployment.span,
        "the s.yaml",
        edition.top_help,
    ) else {
        return 0;
    };
    cx.functions_anchor = Some(top.key);
    if !cx.mapping(&top.value, edition.top) {
        return 0;
    }
    let mut functions = 0;
    for component in &layout.components {
        let owner = format!("{}`{}`", edition.entry_word, component.name);
        if !cx.mapping(&component.value, &owner) {
            continue;
        }
        let Some(field) = cx.require(
            &component.component,
            "component",
            component.key,
            &owner,
            edition.component_help,
        ) else {
            continue;
        };
        if let Value::Computed(text, span) = &field.value {
            // The engine resolves it before loading the component; cargo fc cannot.
            let (message, help) = if component.function.is_some() || component.service.is_some() {
                (
                    format!(
                        "component `{text}` is computed, so cargo fc cannot resolve it: its props are checked as {}'s, which they look like",
                        edition.component_name
                    ),
                    format!(
                        "write the component's name (`{}`) to have them checked as exactly that",
                        edition.component_name
                    ),
                )
            } else {
                (
                    format!(
                        "component `{text}` is computed, so cargo fc cannot resolve it, and its props do not look like {}'s: they are not checked",
                        edition.component_name
                    ),
                    format!(
                        "write the component's name (`{}`, …) to have its props checked",
                        edition.component_name
                    ),
                )
            };
            cx.warn("component", *span, message, help);
            if component.function.is_none() && component.service.is_none() {
                continue;
            }
        } else if cx.string(&field.value, "component").is_none() {
            continue;
        } else if component.kind != edition.component {
            if component.kind == edition.other_component {
                cx.error(
                    "component",
                    field.span(),
                    edition.other_message,
                    edition.other_help,
                );
            }
            continue;
        }
        let Some(props) = cx.require(
            &component.props,
            "props",
            component.key,
            &owner,
            edition.props_help,
        ) else {
            continue;
        };
        if !cx.mapping(&props.value, "props") {
            continue;
        }
        cx.guessing_component = component.kind == ComponentKind::Computed;
        functions += check(cx, component, component.key);
        cx.guessing_component = false;
    }
    functions
}

/// Checks an `edition: 3.0.0` s.yaml; returns the number of fc3 functions found.
pub fn check_v3(cx: &mut Context, deployment: &Deployment, layout: &DevsLayout) -> usize {
    // Resources sharing one props mapping through an alias share its function: checked once.
    let mut checked = std::collections::HashSet::new();
    each_component(cx, deployment, layout, &V3_LAYOUT, |cx, component, key| {
        let Some(index) = component.function else {
            return 0;
        };
        if checked.insert(index) {
            fc3_function(cx, &deployment.functions[index], key);
        }
        1
    })
}

/// The code location as a path to check: `None` for OSS objects.
pub fn code_value(code: &Field<Code>) -> Option<Value<String>> {
    Some(match &code.value {
        Value::Literal(Code::Path(path), span) => Value::Literal(path.clone(), *span),
        Value::Literal(Code::Source { src, .. }, _) => src.as_ref()?.value.clone(),
        Value::Literal(Code::Oss { .. }, _) => return None,
        Value::Computed(text, span) => Value::Computed(text.clone(), *span),
        Value::Invalid(found, span) => Value::Invalid(found.clone(), *span),
    })
}

fn fc3_function(cx: &mut Context, f: &Function, resource_key: Span) {
    cx.near_miss_keys(&f.unknown, FC3_PROPS, "props");
    let what = "props";
    if let Some(region) = cx.require(
        &f.region,
        "region",
        resource_key,
        what,
        "add `region: cn-hangzhou` (or your region)",
    ) {
        cx.string(&region.value, "region");
    }
    let name = match cx.require(
        &f.name,
        "functionName",
        resource_key,
        what,
        "add `functionName:` with the FC function name (the bin's name unless [package.metadata.fc] maps it)",
    ) {
        Some(field) => cx.function_name(&field.value, "functionName", false),
        None => None,
    };
    let owner = cx.owner(name, f.code_location());
    if let Some(config) = &f.custom_container_config
        && cx.mapping(&config.value, "customContainerConfig")
        && let Some(value) = config.literal()
        && let Some(image) = cx.require(
            &value.image,
            "image",
            config.span(),
            "customContainerConfig",
            "add `image:` with the container image to run",
        )
    {
        cx.string(&image.value, "image");
    }
    let runtime = match cx.require(
        &f.runtime,
        "runtime",
        resource_key,
        what,
        "add `runtime: custom.debian10` (the runtime cargo fc builds for)",
    ) {
        Some(field) => cx.runtime(
            &field.value,
            "runtime",
            owner,
            f.custom_container_config.is_some(),
            "customContainerConfig",
            false,
        ),
        None => RuntimeKind::Unknown,
    };
    let name_span = f.name.as_ref().map_or(resource_key, Field::span);
    if let Some(name) = name {
        cx.ownership(name_span, name, owner, runtime, f.code_location());
    }
    if runtime != RuntimeKind::Container
        && let Some(code) = cx.require(
            &f.code,
            "code",
            resource_key,
            what,
            "add `code:` pointing at the zip `cargo fc pack` writes, such as ./target/fc/NAME.zip",
        )
        && let Some(path) = code_value(code)
    {
        cx.code_path(&path, "code", owner);
    }
    if let Some(field) = &f.handler {
        cx.handler(&field.value, "handler");
    }
    if let Some(field) = &f.memory_size {
        if f.untyped.iter().any(|key| key.name == "gpuConfig") {
            // GPU instances take more than the 32 GB of CPU ones (fc3's own tests deploy 64 GB);
            // FC documents no ceiling for them.
            let range = MEMORY_SIZE.range;
            cx.range(
                MEMORY_SIZE.rule,
                &field.value,
                "memorySize",
                (range.min, i64::MAX),
                range.step,
                MEMORY_SIZE.unit,
            );
        } else {
            cx.limit(&MEMORY_SIZE, &field.value, "memorySize");
        }
    }
    if let Some(field) = &f.timeout {
        cx.limit(&TIMEOUT, &field.value, "timeout");
    }
    if let Some(field) = &f.instance_concurrency {
        cx.limit(&FC3_CONCURRENCY, &field.value, "instanceConcurrency");
    }
    if let Some(field) = &f.environment_variables {
        environment(cx, field);
    }
    if let Some(field) = &f.custom_runtime_config {
        custom_runtime_config(cx, field, runtime, owner);
    }
    if let Some(field) = &f.instance_lifecycle_config {
        fc3_lifecycle(cx, field, f.initializer.as_deref());
    } else if let Some(initializer) = &f.initializer {
        fc3_hook(cx, "initializer", initializer, &INITIALIZATION_TIMEOUT);
    }
    if let Some(field) = &f.triggers {
        triggers(cx, field, Edition::V3);
    }
}

fn custom_runtime_config(
    cx: &mut Context,
    field: &Field<CustomRuntimeConfig>,
    runtime: RuntimeKind,
    owner: Owner<'_>,
) {
    if !cx.mapping(&field.value, "customRuntimeConfig") {
        return;
    }
    let Some(config) = field.literal() else {
        return;
    };
    cx.near_miss_keys(
        &config.unknown,
        CUSTOM_RUNTIME_CONFIG,
        "customRuntimeConfig",
    );
    // Only the start command of a bin cargo fc builds must run its bootstrap; other custom
    // runtimes start what they like (`node`, `python3 app.py`).
    if let Some(command) = &config.command
        && matches!(owner, Owner::Ours(_) | Owner::ByCode(_))
        && (runtime == RuntimeKind::Custom || runtime == RuntimeKind::Unknown)
    {
        cx.command(&command.value, "customRuntimeConfig.command");
    }
    if let Some(args) = &config.args
        && let Some(items) = cx.list(&args.value, "customRuntimeConfig.args")
    {
        cx.strings(items, "each item of customRuntimeConfig.args");
    }
    if let Some(port) = &config.port {
        if port.literal() == Some(&0) {
            // fc3 reads 0 as "not set" (`port || 9000`), as FC does an absent port.
            cx.warn(
                "port",
                port.span(),
                "customRuntimeConfig.port 0 is not a port: FC and fc3 use the default, 9000",
                "write the port the bootstrap listens on (FC's default is 9000), or leave `port` out",
            );
        } else {
            cx.limit(&PORT, &port.value, "customRuntimeConfig.port");
        }
    }
}

fn fc3_lifecycle(
    cx: &mut Context,
    field: &Field<InstanceLifecycleConfig>,
    initializer: Option<&Field<LifecycleHook>>,
) {
    if !cx.mapping(&field.value, "instanceLifecycleConfig") {
        return;
    }
    let Some(config) = field.literal() else {
        return;
    };
    if let Some(pre_freeze) = &config.pre_freeze {
        cx.error(
            "unknown-property",
            pre_freeze.key,
            "FC 3.0 has no preFreeze hook (it was an FC 2.0 feature)",
            "remove preFreeze; do that work in preStop or per request",
        );
    }
    for key in &config.unknown {
        let help = match crate::ui::closest(&key.name, FC3_HOOKS) {
            Some(close) => format!("did you mean `{close}`?"),
            None => "instanceLifecycleConfig accepts initializer and preStop".to_string(),
        };
        cx.error(
            "unknown-property",
            key.key,
            format!("unknown hook `{}` in instanceLifecycleConfig", key.name),
            help,
        );
    }
    if let Some(initializer) = initializer {
        fc3_hook(cx, "initializer", initializer, &INITIALIZATION_TIMEOUT);
    }
    if let Some(pre_stop) = &config.pre_stop {
        fc3_hook(cx, "preStop", pre_stop, &HOOK_TIMEOUT);
    }
}

fn fc3_hook(
    cx: &mut Context,
    hook: &str,
    field: &Field<LifecycleHook>,
    limit: &super::rules::Limit,
) {
    if !cx.mapping(&field.value, hook) {
        return;
    }
    let Some(value) = field.literal() else {
        return;
    };
    cx.near_miss_keys(&value.unknown, FC3_HOOK_KEYS, hook);
    if let Some(handler) = &value.handler {
        cx.hook_handler(&handler.value, &format!("{hook}.handler"));
    }
    let Some(timeout) = &value.timeout else {
        return;
    };
    let what = format!("{hook}.timeout");
    if hook != "preStop" {
        cx.limit(limit, &timeout.value, &what);
        return;
    }
    // FC 2.0 documented 90 s for hooks; fc3's schema sets no ceiling and its own tests deploy
    // a 300 s preStop, so past 90 s is a warning, not a refusal.
    let range = HOOK_TIMEOUT.range;
    if let Some(seconds) = cx.range(
        HOOK_TIMEOUT.rule,
        &timeout.value,
        &what,
        (range.min, i64::from(i32::MAX)),
        None,
        HOOK_TIMEOUT.unit,
    ) && seconds > range.max
    {
        cx.warn(
            HOOK_TIMEOUT.rule,
            timeout.span(),
            format!("{what} {seconds} is over the {} s FC documented for hooks", range.max),
            format!("fc3 sets no ceiling and FC 3.0 documents none, but FC 2.0 stopped hooks after {} s: keep to that unless a deploy shows FC 3.0 takes more", range.max),
        );
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Edition {
    V1,
    V3,
}

fn triggers(cx: &mut Context, field: &Field<Vec<Trigger>>, edition: Edition) {
    let Some(items) = cx.list(&field.value, "triggers") else {
        return;
    };
    let (type_key, config_key) = match edition {
        Edition::V3 => ("triggerType", "triggerConfig"),
        Edition::V1 => ("type", "config"),
    };
    for trigger in items {
        if !cx.mapping(&trigger.value, "each trigger") {
            continue;
        }
        if edition == Edition::V3 {
            cx.near_miss_keys(&trigger.unknown, FC3_TRIGGER, "a trigger");
        }
        let name = written(&trigger.name).unwrap_or_else(|| "?".to_string());
        let Some(kind) = &trigger.trigger_type else {
            cx.error(
                "required-property",
                trigger.declared,
                format!("trigger `{name}` is missing required `{type_key}`"),
                format!("add `{type_key}: http` (or timer, oss, …)"),
            );
            continue;
        };
        let Some(kind_text) = cx.string(&kind.value, type_key) else {
            continue;
        };
        if !kind_text.eq_ignore_ascii_case("http") {
            continue;
        }
        let what = format!("HTTP trigger `{name}`");
        let Some(config) = cx.require(
            &trigger.config,
            config_key,
            kind.key,
            &what,
            "add the trigger's config: { authType: anonymous, methods: [GET, POST] }",
        ) else {
            continue;
        };
        if !cx.mapping(&config.value, config_key) {
            continue;
        }
        let Some(TriggerConfig::Http(http)) = config.literal() else {
            continue;
        };
        let (auth_types, methods) = match edition {
            Edition::V3 => {
                cx.near_miss_keys(&http.unknown, FC3_HTTP_CONFIG, config_key);
                (FC3_AUTH_TYPES, FC3_METHODS)
            }
            Edition::V1 => (V1_AUTH_TYPES, FC3_METHODS),
        };
        if let Some(auth) = cx.require(
            &http.auth_type,
            "authType",
            config.key,
            &what,
            "add `authType: anonymous` (anyone may call) or `authType: function` (signed requests)",
        ) {
            cx.auth_type(&auth.value, "authType", auth_types);
        }
        if let Some(list) = cx.require(
            &http.methods,
            "methods",
            config.key,
            &what,
            "add `methods: [GET, POST]`",
        ) {
            cx.methods(&list.value, "methods", methods);
        }
    }
}

/// Checks an `edition: 1.0.0` s.yaml; returns the number of fc functions found.
pub fn check_v1(cx: &mut Context, deployment: &Deployment, layout: &DevsLayout) -> usize {
    each_component(cx, deployment, layout, &V1_LAYOUT, |cx, component, key| {
        let function = component.function.map(|i| &deployment.functions[i]);
        let service = component.service.map(|i| &deployment.services[i]);
        // The region is the props' own; the model gives it to the function and the service.
        if function.is_some() || service.is_some() {
            let region = function
                .and_then(|f| f.region.as_ref())
                .or_else(|| service.and_then(|s| s.region.as_ref()))
                .cloned();
            if let Some(region) = cx.require(
                &region,
                "region",
                key,
                "props",
                "add `region: cn-hangzhou` (or your region)",
            ) {
                cx.string(&region.value, "region");
            }
        }
        if let Some(service) = service
            && let Some(properties) = &service.properties
            && cx.mapping(&properties.value, "service")
            && let Some(name) = cx.require(
                &service.name,
                "name",
                properties.span(),
                "service",
                "add the service's `name`",
            )
            && let Some(text) = cx.string(&name.value, "service name")
        {
            cx.service_name(name.span(), text);
        }
        // Service-only props deploy the service alone (fc-deploy makes a function only when
        // `function` is there).
        let Some(function) = function else {
            if service.is_none() {
                cx.error(
                    "required-property",
                    key,
                    "props is missing required `function`",
                    "add `function:` with name, runtime, codeUri and handler, or `service:` to deploy a service alone",
                );
            }
            return 0;
        };
        let Some(properties) = &function.properties else {
            return 0;
        };
        if !cx.mapping(&properties.value, "function") {
            return 0;
        }
        v1_function(cx, function, function.declared);
        if let Some(field) = &function.triggers {
            triggers(cx, field, Edition::V1);
        }
        1
    })
}

fn v1_function(cx: &mut Context, f: &Function, key: Span) {
    cx.near_miss_keys(&f.unknown, V1_FUNCTION, "function");
    let name = match cx.require(
        &f.name,
        "name",
        key,
        "function",
        "add the function's `name`",
    ) {
        Some(field) => cx.function_name(&field.value, "function name", true),
        None => None,
    };
    let owner = cx.owner(name, f.code_location());
    // devsapp/fc fills in `runtime: nodejs10` and `handler: index.handler` when they are missing
    // (its set-default-value step), so neither is required.
    let runtime = match &f.runtime {
        Some(field) => cx.runtime(
            &field.value,
            "runtime",
            owner,
            f.custom_container_config.is_some(),
            "customContainerConfig",
            false,
        ),
        None => {
            if let Owner::Ours(built) | Owner::ByCode(built) = owner {
                cx.error(
                    "runtime",
                    key,
                    "function has no `runtime`, so devsapp/fc deploys it as nodejs10, which cannot run a Rust bootstrap",
                    format!("add `runtime: {}` (the runtime cargo fc builds `{}` for)", built.runtime, built.bin),
                );
            }
            RuntimeKind::Unknown
        }
    };
    let name_span = f.name.as_ref().map_or(key, Field::span);
    if let Some(name) = name {
        cx.ownership(name_span, name, owner, runtime, f.code_location());
    }
    if runtime != RuntimeKind::Container {
        // Through `require`: a component that is computed (devsapp/fc-base takes `filename`)
        // may not need it.
        if let Some(code) = cx.require(
            &f.code,
            "codeUri",
            key,
            "function",
            "add `codeUri:` pointing at the zip `cargo fc pack` writes, such as ./target/fc/NAME.zip",
        ) {
            let what = match code.literal() {
                Some(Code::Source { .. }) => "codeUri.src",
                _ => "codeUri",
            };
            if let Some(path) = code_value(code) {
                cx.code_path(&path, what, owner);
            }
        }
        if let Some(handler) = &f.handler {
            cx.handler(&handler.value, "handler");
        }
    }
    let hook = f.initializer.as_deref().and_then(Field::literal);
    if let Some(field) = hook.and_then(|h| h.handler.as_ref()) {
        cx.handler(&field.value, "initializer");
    }
    if let Some(field) = hook.and_then(|h| h.timeout.as_ref()) {
        cx.limit(
            &INITIALIZATION_TIMEOUT,
            &field.value,
            "initializationTimeout",
        );
    }
    if let Some(field) = &f.memory_size {
        cx.limit(&MEMORY_SIZE, &field.value, "memorySize");
    }
    if let Some(field) = &f.timeout {
        cx.limit(&TIMEOUT, &field.value, "timeout");
    }
    if let Some(field) = &f.instance_concurrency {
        cx.limit(&FC2_CONCURRENCY, &field.value, "instanceConcurrency");
    }
    if let Some(field) = &f.ca_port {
        cx.limit(&PORT, &field.value, "caPort");
    }
    if let Some(field) = &f.environment_variables {
        environment(cx, field);
    }
    if let Some(field) = &f.custom_runtime_config {
        custom_runtime_config(cx, field, runtime, owner);
    }
    if let Some(field) = &f.instance_lifecycle_config
        && cx.mapping(&field.value, "instanceLifecycleConfig")
        && let Some(config) = field.literal()
    {
        cx.closed_keys(&config.unknown, V1_HOOKS, "instanceLifecycleConfig");
        for (hook, slot) in [
            ("preStop", &config.pre_stop),
            ("preFreeze", &config.pre_freeze),
        ] {
            let Some(entry) = slot else {
                continue;
            };
            if !cx.mapping(&entry.value, hook) {
                continue;
            }
            let Some(value) = entry.literal() else {
                continue;
            };
            if let Some(handler) = &value.handler {
                cx.hook_handler(&handler.value, &format!("{hook}.handler"));
            }
            if let Some(timeout) = &value.timeout {
                cx.limit(&HOOK_TIMEOUT, &timeout.value, &format!("{hook}.timeout"));
            }
        }
    }
}
