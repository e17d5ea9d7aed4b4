//! Serverless Devs `s.yaml` (docs/platform.md#template-formats): `edition: 3.0.0` with
//! component `fc3`, and the older `edition: 1.0.0` with component `fc`.
//!
//! The components accept many more keys than cargo fc knows and add new ones often, so unknown
//! keys are only reported when they look like a misspelt known key, and as warnings.

use super::fun::environment;
use super::rules::{
    Context, FC2_CONCURRENCY, FC3_CONCURRENCY, HOOK_TIMEOUT, INITIALIZATION_TIMEOUT, MEMORY_SIZE,
    Owner, PORT, RuntimeKind, TIMEOUT,
};
use crate::deployment::yaml::NodeId;

/// Keys of fc3's `props` (the FC 3.0 CreateFunction fields plus the component's own).
const FC3_PROPS: &[&str] = &[
    "region",
    "functionName",
    "description",
    "runtime",
    "code",
    "handler",
    "timeout",
    "memorySize",
    "cpu",
    "diskSize",
    "instanceConcurrency",
    "environmentVariables",
    "customRuntimeConfig",
    "customContainerConfig",
    "customDNS",
    "role",
    "logConfig",
    "vpcConfig",
    "nasConfig",
    "ossMountConfig",
    "internetAccess",
    "layers",
    "instanceLifecycleConfig",
    "gpuConfig",
    "tracingConfig",
    "triggers",
    "asyncInvokeConfig",
    "concurrencyConfig",
    "provisionConfig",
    "vpcBinding",
    "customDomain",
    "tags",
    "sessionAffinity",
    "sessionAffinityConfig",
    "instanceIsolationMode",
    "disableOndemand",
    "disableInjectCredentials",
    "idleTimeout",
    "resourceGroupId",
    "invocationRestriction",
    "annotations",
    "enableLongLiving",
    "endpoint",
    "supplement",
];

const CUSTOM_RUNTIME_CONFIG: &[&str] = &["command", "args", "port", "healthCheckConfig"];
const FC3_HOOKS: &[&str] = &["initializer", "preStop"];
const HOOK_KEYS: &[&str] = &["handler", "timeout", "command"];
const FC3_TRIGGER: &[&str] = &[
    "triggerName",
    "triggerType",
    "triggerConfig",
    "description",
    "qualifier",
    "invocationRole",
    "sourceArn",
];
const FC3_HTTP_CONFIG: &[&str] = &["authType", "methods", "authConfig", "disableURLInternet"];
/// docs/platform.md#template-formats. fc3 HTTP triggers.
const FC3_AUTH_TYPES: &[&str] = &["anonymous", "function", "jwt"];
const FC3_METHODS: &[&str] = &["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];

const V1_FUNCTION: &[&str] = &[
    "name",
    "description",
    "runtime",
    "codeUri",
    "ossBucket",
    "ossKey",
    "handler",
    "caPort",
    "initializer",
    "initializationTimeout",
    "memorySize",
    "gpuMemorySize",
    "timeout",
    "instanceConcurrency",
    "instanceType",
    "environmentVariables",
    "customRuntimeConfig",
    "customContainerConfig",
    "customDNS",
    "instanceLifecycleConfig",
    "layers",
    "asyncConfiguration",
];
const V1_HOOKS: &[&str] = &["preStop", "preFreeze"];
const V1_AUTH_TYPES: &[&str] = &["anonymous", "function"];

/// Whether a component reference (`fc3`, `fc3@0.1.2`, `devsapp/fc3`) names `wanted`.
fn is_component(component: &str, wanted: &str) -> bool {
    let name = component.rsplit('/').next().unwrap_or(component);
    let name = name.split('@').next().unwrap_or(name);
    name == wanted
}

/// How an edition lays out its functions: a top-level mapping of named entries, each a component
/// with `props`.
struct Layout {
    top: &'static str,
    top_help: &'static str,
    /// How an entry is named in messages: "resource `x`" or "`x`".
    entry_word: &'static str,
    component: &'static str,
    component_help: &'static str,
    /// The other edition's component, reported as a mix-up rather than skipped silently.
    other_component: &'static str,
    other_message: &'static str,
    other_help: &'static str,
    props_help: &'static str,
}

const V3_LAYOUT: Layout = Layout {
    top: "resources",
    top_help: "add `resources:` with one entry per function (component: fc3)",
    entry_word: "resource ",
    component: "fc3",
    component_help: "add `component: fc3`",
    other_component: "fc",
    other_message: "component `fc` belongs to edition 1.0.0 s.yaml files; this one says edition 3.0.0",
    other_help: "use `component: fc3` with the fc3 props, or `edition: 1.0.0` with the 1.0.0 layout",
    props_help: "add `props:` with functionName, runtime and code",
};

const V1_LAYOUT: Layout = Layout {
    top: "services",
    top_help: "add `services:` with one entry per function (component: fc)",
    entry_word: "",
    component: "fc",
    component_help: "add `component: devsapp/fc`",
    other_component: "fc3",
    other_message: "component `fc3` belongs to edition 3.0.0 s.yaml files; this one says edition 1.0.0",
    other_help: "use `edition: 3.0.0` with `resources:`, or `component: devsapp/fc` with the 1.0.0 layout",
    props_help: "add `props:` with region, service and function",
};

/// Walks the entries of an edition's layout, checking each one's component, and hands every
/// `props` mapping of the right component to `check`, which returns how many functions it held.
fn each_component(
    cx: &mut Context,
    layout: &Layout,
    mut check: impl FnMut(&mut Context, NodeId, NodeId) -> usize,
) -> usize {
    let doc = cx.doc;
    let Some(root) = doc.root else {
        return 0;
    };
    let Some(top) = cx.require(root, layout.top, root, "the s.yaml", layout.top_help) else {
        return 0;
    };
    let key = doc.get(root, layout.top).map(|e| e.key).unwrap_or(root);
    cx.functions_anchor = Some(cx.span(key));
    let Some(top) = cx.mapping(top, layout.top) else {
        return 0;
    };
    let mut functions = 0;
    for entry in doc.entries(top) {
        let owner = format!(
            "{}`{}`",
            layout.entry_word,
            doc.text(entry.key).unwrap_or("?")
        );
        let Some(component_entry) = cx.mapping(entry.value, &owner) else {
            continue;
        };
        let Some(component) = cx.require(
            component_entry,
            "component",
            entry.key,
            &owner,
            layout.component_help,
        ) else {
            continue;
        };
        let Some(component) = cx.string(component, "component") else {
            continue;
        };
        if !is_component(component, layout.component) {
            if is_component(component, layout.other_component) {
                cx.error(
                    "component",
                    doc.get(component_entry, "component")
                        .map_or(entry.key, |e| e.value),
                    layout.other_message,
                    layout.other_help,
                );
            }
            continue;
        }
        let Some(props) = cx.require(
            component_entry,
            "props",
            entry.key,
            &owner,
            layout.props_help,
        ) else {
            continue;
        };
        let Some(props) = cx.mapping(props, "props") else {
            continue;
        };
        functions += check(cx, props, entry.key);
    }
    functions
}

/// Checks an `edition: 3.0.0` s.yaml; returns the number of fc3 functions found.
pub fn check_v3(cx: &mut Context) -> usize {
    each_component(cx, &V3_LAYOUT, |cx, props, key| {
        fc3_function(cx, props, key);
        1
    })
}

fn fc3_function(cx: &mut Context, props: NodeId, resource_key: NodeId) {
    let doc = cx.doc;
    cx.near_miss_keys(props, FC3_PROPS, "props");
    let what = "props";
    if let Some(region) = cx.require(
        props,
        "region",
        resource_key,
        what,
        "add `region: cn-hangzhou` (or your region)",
    ) {
        cx.string(region, "region");
    }
    let name = match cx.require(
        props,
        "functionName",
        resource_key,
        what,
        "add `functionName:` with the FC function name (the bin's name unless [package.metadata.fc] maps it)",
    ) {
        Some(id) => cx.function_name(id, "functionName"),
        None => None,
    };
    let owner = cx.owner(name);
    let image = doc.get(props, "customContainerConfig");
    if let Some(config) = image
        && let Some(config) = cx.mapping(config.value, "customContainerConfig")
        && let Some(image) = cx.require(
            config,
            "image",
            config,
            "customContainerConfig",
            "add `image:` with the container image to run",
        )
    {
        cx.string(image, "image");
    }
    let runtime = match cx.require(
        props,
        "runtime",
        resource_key,
        what,
        "add `runtime: custom.debian10` (the runtime cargo fc builds for)",
    ) {
        Some(id) => cx.runtime(
            id,
            "runtime",
            owner,
            image.is_some(),
            "customContainerConfig",
            false,
        ),
        None => RuntimeKind::Unknown,
    };
    let name_key = doc
        .get(props, "functionName")
        .map_or(resource_key, |e| e.value);
    if let (RuntimeKind::Custom, Owner::Foreign, Some(name)) = (runtime, owner, name) {
        cx.unmatched(name_key, name);
    }
    if runtime != RuntimeKind::Container
        && let Some(code) = cx.require(
            props,
            "code",
            resource_key,
            what,
            "add `code:` pointing at the zip `cargo fc pack` writes, such as ./target/fc/NAME.zip",
        )
    {
        // `code` may also be an OSS location: { ossBucketName, ossObjectName }.
        if doc.map(code).is_none() && runtime != RuntimeKind::Other {
            cx.code_path(code, "code", owner);
        }
    }
    if let Some(entry) = doc.get(props, "handler") {
        cx.handler(entry.value, "handler");
    }
    if let Some(entry) = doc.get(props, "memorySize") {
        cx.limit(&MEMORY_SIZE, entry.value, "memorySize");
    }
    if let Some(entry) = doc.get(props, "timeout") {
        cx.limit(&TIMEOUT, entry.value, "timeout");
    }
    if let Some(entry) = doc.get(props, "instanceConcurrency") {
        cx.limit(&FC3_CONCURRENCY, entry.value, "instanceConcurrency");
    }
    if let Some(entry) = doc.get(props, "environmentVariables") {
        environment(cx, entry.value, "environmentVariables");
    }
    if let Some(entry) = doc.get(props, "customRuntimeConfig") {
        custom_runtime_config(cx, entry.value, runtime);
    }
    if let Some(entry) = doc.get(props, "instanceLifecycleConfig") {
        fc3_lifecycle(cx, entry.value);
    }
    if let Some(entry) = doc.get(props, "triggers") {
        triggers(cx, entry.value, Edition::V3);
    }
}

fn custom_runtime_config(cx: &mut Context, id: NodeId, runtime: RuntimeKind) {
    let doc = cx.doc;
    let Some(config) = cx.mapping(id, "customRuntimeConfig") else {
        return;
    };
    cx.near_miss_keys(config, CUSTOM_RUNTIME_CONFIG, "customRuntimeConfig");
    if let Some(entry) = doc.get(config, "command")
        && (runtime == RuntimeKind::Custom || runtime == RuntimeKind::Unknown)
    {
        cx.command(entry.value, "customRuntimeConfig.command");
    }
    if let Some(entry) = doc.get(config, "args")
        && let Some(items) = cx.list(entry.value, "customRuntimeConfig.args")
    {
        for &item in items {
            cx.string(item, "each item of customRuntimeConfig.args");
        }
    }
    if let Some(entry) = doc.get(config, "port") {
        cx.limit(&PORT, entry.value, "customRuntimeConfig.port");
    }
}

fn fc3_lifecycle(cx: &mut Context, id: NodeId) {
    let doc = cx.doc;
    let Some(config) = cx.mapping(id, "instanceLifecycleConfig") else {
        return;
    };
    for entry in doc.entries(config) {
        let Some(key) = doc.text(entry.key) else {
            continue;
        };
        if key == "preFreeze" {
            cx.error(
                "unknown-property",
                entry.key,
                "FC 3.0 has no preFreeze hook (it was an FC 2.0 feature)",
                "remove preFreeze; do that work in preStop or per request",
            );
        } else if !FC3_HOOKS.contains(&key) {
            let help = match crate::ui::closest(key, FC3_HOOKS) {
                Some(close) => format!("did you mean `{close}`?"),
                None => "instanceLifecycleConfig accepts initializer and preStop".to_string(),
            };
            cx.error(
                "unknown-property",
                entry.key,
                format!("unknown hook `{key}` in instanceLifecycleConfig"),
                help,
            );
        }
    }
    for (hook, limit) in [
        ("initializer", &INITIALIZATION_TIMEOUT),
        ("preStop", &HOOK_TIMEOUT),
    ] {
        let Some(entry) = doc.get(config, hook) else {
            continue;
        };
        let Some(map) = cx.mapping(entry.value, hook) else {
            continue;
        };
        cx.near_miss_keys(map, HOOK_KEYS, hook);
        if let Some(handler) = doc.get(map, "handler") {
            cx.handler(handler.value, &format!("{hook}.handler"));
        }
        if let Some(timeout) = doc.get(map, "timeout") {
            cx.limit(limit, timeout.value, &format!("{hook}.timeout"));
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Edition {
    V1,
    V3,
}

fn triggers(cx: &mut Context, id: NodeId, edition: Edition) {
    let doc = cx.doc;
    let Some(items) = cx.list(id, "triggers") else {
        return;
    };
    let (name_key, type_key, config_key) = match edition {
        Edition::V3 => ("triggerName", "triggerType", "triggerConfig"),
        Edition::V1 => ("name", "type", "config"),
    };
    for &item in items {
        let Some(trigger) = cx.mapping(item, "each trigger") else {
            continue;
        };
        if edition == Edition::V3 {
            cx.near_miss_keys(trigger, FC3_TRIGGER, "a trigger");
        }
        let name = doc
            .get(trigger, name_key)
            .and_then(|e| doc.text(e.value))
            .unwrap_or("?")
            .to_string();
        let Some(kind) = doc.get(trigger, type_key) else {
            cx.error(
                "required-property",
                trigger,
                format!("trigger `{name}` is missing required `{type_key}`"),
                format!("add `{type_key}: http` (or timer, oss, …)"),
            );
            continue;
        };
        let Some(kind) = cx.string(kind.value, type_key) else {
            continue;
        };
        if !kind.eq_ignore_ascii_case("http") {
            continue;
        }
        let what = format!("HTTP trigger `{name}`");
        let owner = doc.get(trigger, type_key).map_or(trigger, |e| e.key);
        let Some(config) = cx.require(
            trigger,
            config_key,
            owner,
            &what,
            "add the trigger's config: { authType: anonymous, methods: [GET, POST] }",
        ) else {
            continue;
        };
        let Some(config) = cx.mapping(config, config_key) else {
            continue;
        };
        let (auth_types, methods) = match edition {
            Edition::V3 => {
                cx.near_miss_keys(config, FC3_HTTP_CONFIG, config_key);
                (FC3_AUTH_TYPES, FC3_METHODS)
            }
            Edition::V1 => (V1_AUTH_TYPES, FC3_METHODS),
        };
        let config_owner = doc.get(trigger, config_key).map_or(trigger, |e| e.key);
        if let Some(auth) = cx.require(
            config,
            "authType",
            config_owner,
            &what,
            "add `authType: anonymous` (anyone may call) or `authType: function` (signed requests)",
        ) {
            cx.auth_type(auth, "authType", auth_types);
        }
        if let Some(list) = cx.require(
            config,
            "methods",
            config_owner,
            &what,
            "add `methods: [GET, POST]`",
        ) {
            cx.methods(list, "methods", methods);
        }
    }
}

/// Checks an `edition: 1.0.0` s.yaml; returns the number of fc functions found.
pub fn check_v1(cx: &mut Context) -> usize {
    each_component(cx, &V1_LAYOUT, |cx, props, key| {
        let doc = cx.doc;
        if let Some(region) = cx.require(
            props,
            "region",
            key,
            "props",
            "add `region: cn-hangzhou` (or your region)",
        ) {
            cx.string(region, "region");
        }
        if let Some(service) = doc.get(props, "service")
            && let Some(service) = cx.mapping(service.value, "service")
            && let Some(name) = cx.require(
                service,
                "name",
                service,
                "service",
                "add the service's `name`",
            )
            && let Some(text) = cx.string(name, "service name")
        {
            cx.service_name(name, text);
        }
        let Some(function) = cx.require(
            props,
            "function",
            key,
            "props",
            "add `function:` with name, runtime, codeUri and handler",
        ) else {
            return 0;
        };
        let function_key = doc.get(props, "function").map_or(key, |e| e.key);
        let Some(function) = cx.mapping(function, "function") else {
            return 0;
        };
        v1_function(cx, function, function_key);
        if let Some(entry) = doc.get(props, "triggers") {
            triggers(cx, entry.value, Edition::V1);
        }
        1
    })
}

fn v1_function(cx: &mut Context, function: NodeId, key: NodeId) {
    let doc = cx.doc;
    cx.near_miss_keys(function, V1_FUNCTION, "function");
    let name = match cx.require(
        function,
        "name",
        key,
        "function",
        "add the function's `name`",
    ) {
        Some(id) => cx.function_name(id, "function name"),
        None => None,
    };
    let owner = cx.owner(name);
    let image = doc.get(function, "customContainerConfig");
    let runtime = match cx.require(
        function,
        "runtime",
        key,
        "function",
        "add `runtime: custom` (the runtime cargo fc builds for)",
    ) {
        Some(id) => cx.runtime(
            id,
            "runtime",
            owner,
            image.is_some(),
            "customContainerConfig",
            false,
        ),
        None => RuntimeKind::Unknown,
    };
    let name_node = doc.get(function, "name").map_or(key, |e| e.value);
    if let (RuntimeKind::Custom, Owner::Foreign, Some(name)) = (runtime, owner, name) {
        cx.unmatched(name_node, name);
    }
    if runtime != RuntimeKind::Container {
        let has_oss = doc.get(function, "ossKey").is_some();
        match doc.get(function, "codeUri") {
            Some(_) if runtime == RuntimeKind::Other => {}
            Some(code) => match doc.map(code.value) {
                // { src: ./path, excludes: [...] }
                Some(_) => {
                    if let Some(src) = doc.get(code.value, "src") {
                        cx.code_path(src.value, "codeUri.src", owner);
                    }
                }
                None => cx.code_path(code.value, "codeUri", owner),
            },
            None if !has_oss => cx.error(
                "required-property",
                key,
                "function is missing required `codeUri`",
                "add `codeUri:` pointing at the zip `cargo fc pack` writes, such as ./target/fc/NAME.zip",
            ),
            None => {}
        }
        if let Some(handler) = cx.require(
            function,
            "handler",
            key,
            "function",
            "add `handler: index.handler`: a custom runtime ignores it, but FC requires one",
        ) {
            cx.handler(handler, "handler");
        }
    }
    let initializer = doc.get(function, "initializer");
    if let Some(entry) = initializer {
        cx.handler(entry.value, "initializer");
    }
    if let Some(entry) = doc.get(function, "initializationTimeout") {
        cx.limit(
            &INITIALIZATION_TIMEOUT,
            entry.value,
            "initializationTimeout",
        );
    }
    if let Some(entry) = doc.get(function, "memorySize") {
        cx.limit(&MEMORY_SIZE, entry.value, "memorySize");
    }
    if let Some(entry) = doc.get(function, "timeout") {
        cx.limit(&TIMEOUT, entry.value, "timeout");
    }
    if let Some(entry) = doc.get(function, "instanceConcurrency") {
        cx.limit(&FC2_CONCURRENCY, entry.value, "instanceConcurrency");
    }
    if let Some(entry) = doc.get(function, "caPort") {
        cx.limit(&PORT, entry.value, "caPort");
    }
    if let Some(entry) = doc.get(function, "environmentVariables") {
        environment(cx, entry.value, "environmentVariables");
    }
    if let Some(entry) = doc.get(function, "customRuntimeConfig") {
        custom_runtime_config(cx, entry.value, runtime);
    }
    if let Some(entry) = doc.get(function, "instanceLifecycleConfig")
        && let Some(config) = cx.mapping(entry.value, "instanceLifecycleConfig")
    {
        cx.closed_keys(config, V1_HOOKS, "instanceLifecycleConfig");
        for hook in V1_HOOKS {
            let Some(hook_entry) = doc.get(config, hook) else {
                continue;
            };
            let Some(map) = cx.mapping(hook_entry.value, hook) else {
                continue;
            };
            if let Some(handler) = doc.get(map, "handler") {
                cx.handler(handler.value, &format!("{hook}.handler"));
            }
            if let Some(timeout) = doc.get(map, "timeout") {
                cx.limit(&HOOK_TIMEOUT, timeout.value, &format!("{hook}.timeout"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn component_references_match_by_name() {
        assert!(is_component("fc3", "fc3"));
        assert!(is_component("fc3@0.1.4", "fc3"));
        assert!(is_component("devsapp/fc", "fc"));
        assert!(!is_component("fc3-domain", "fc3"));
        assert!(!is_component("devsapp/fc-api", "fc"));
    }
}
