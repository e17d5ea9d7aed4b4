//! Fun's `template.yml` (docs/platform.md#template-formats). Fun's own schema is closed
//! (`additionalProperties: false`), so unknown properties are errors here too.

use super::rules::{
    Context, FUN_CONCURRENCY, HOOK_TIMEOUT, INITIALIZATION_TIMEOUT, MEMORY_SIZE, Owner, PORT,
    RuntimeKind, TIMEOUT,
};
use crate::deployment::yaml::{NodeId, Style};

const FORMAT_VERSION: &str = "2015-09-01";
const TRANSFORM: &str = "Aliyun::Serverless-2018-04-03";

const SERVICE: &str = "Aliyun::Serverless::Service";
const FUNCTION: &str = "Aliyun::Serverless::Function";
/// The resource types Fun's schema knows (lib/validate/schema/ros.js and friends).
const RESOURCE_TYPES: &[&str] = &[
    SERVICE,
    "Aliyun::Serverless::Api",
    "Aliyun::Serverless::TableStore",
    "Aliyun::Serverless::Log",
    "Aliyun::Serverless::CustomDomain",
    "Aliyun::Serverless::MNSTopic",
    "Aliyun::Serverless::Flow",
];

const TOP_KEYS: &[&str] = &[
    "ROSTemplateFormatVersion",
    "Transform",
    "Resources",
    "Description",
    "Parameters",
    "Mappings",
    "Conditions",
    "Outputs",
    "Metadata",
];

const SERVICE_PROPERTIES: &[&str] = &[
    "Description",
    "Role",
    "Policies",
    "InternetAccess",
    "VpcConfig",
    "LogConfig",
    "NasConfig",
    "TracingConfig",
];

const FUNCTION_KEYS: &[&str] = &["Type", "Properties", "Events"];

const FUNCTION_PROPERTIES: &[&str] = &[
    "Handler",
    "Runtime",
    "CodeUri",
    "Initializer",
    "InitializationTimeout",
    "Description",
    "MemorySize",
    "Timeout",
    "InstanceConcurrency",
    "CAPort",
    "EnvironmentVariables",
    "InstanceLifecycleConfig",
    "InstanceType",
    "Layers",
    "AsyncConfiguration",
    "CustomContainerConfig",
];

const HOOKS: &[&str] = &["PreStop", "PreFreeze"];
const HOOK_KEYS: &[&str] = &["Handler", "Timeout"];

const EVENT_TYPES: &[&str] = &[
    "HTTP",
    "Timer",
    "OSS",
    "Log",
    "RDS",
    "MNSTopic",
    "TableStore",
    "CDN",
    "Datahub",
    "Api",
];
const HTTP_PROPERTIES: &[&str] = &["AuthType", "Methods", "InvocationRole", "Qualifier"];
/// docs/platform.md#template-formats. Fun accepts both spellings.
const AUTH_TYPES: &[&str] = &["ANONYMOUS", "FUNCTION", "anonymous", "function"];
const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "HEAD"];

/// Checks a Fun template; returns the number of functions found.
pub fn check(cx: &mut Context) -> usize {
    let doc = cx.doc;
    let Some(root) = doc.root else {
        return 0;
    };
    for entry in doc.entries(root) {
        let Some(key) = doc.text(entry.key) else {
            continue;
        };
        if !TOP_KEYS.contains(&key)
            && let Some(close) = crate::ui::closest(key, TOP_KEYS)
        {
            cx.warn(
                "unknown-property",
                entry.key,
                format!("unknown top-level key `{key}`"),
                format!("did you mean `{close}`?"),
            );
        }
    }
    match doc.get(root, "ROSTemplateFormatVersion") {
        None => cx.error(
            "format-version",
            root,
            "the template is missing `ROSTemplateFormatVersion`",
            format!("add `ROSTemplateFormatVersion: '{FORMAT_VERSION}'` at the top"),
        ),
        Some(entry) => {
            let node = doc.node(entry.value);
            if let Some(text) = cx.string(entry.value, "ROSTemplateFormatVersion") {
                if text != FORMAT_VERSION {
                    cx.error(
                        "format-version",
                        entry.value,
                        format!("ROSTemplateFormatVersion `{text}` is not `{FORMAT_VERSION}`"),
                        format!("`{FORMAT_VERSION}` is the only version: ROSTemplateFormatVersion: '{FORMAT_VERSION}'"),
                    );
                } else if node.style == Style::Plain {
                    cx.warn(
                        "format-version",
                        entry.value,
                        "an unquoted 2015-09-01 is a date to Fun's YAML reader (js-yaml), not the string its schema wants",
                        format!("quote it: ROSTemplateFormatVersion: '{FORMAT_VERSION}'"),
                    );
                }
            }
        }
    }
    match doc.get(root, "Transform") {
        None => cx.error(
            "transform",
            root,
            "the template is missing `Transform`",
            format!("add `Transform: '{TRANSFORM}'`, without which Fun does not know Aliyun::Serverless resources"),
        ),
        Some(entry) => {
            if let Some(text) = cx.string(entry.value, "Transform")
                && text != TRANSFORM {
                    cx.error(
                        "transform",
                        entry.value,
                        format!("Transform `{text}` is not `{TRANSFORM}`"),
                        format!("write Transform: '{TRANSFORM}'"),
                    );
                }
        }
    }
    let Some(resources) = doc.get(root, "Resources") else {
        cx.error(
            "required-property",
            root,
            "the template is missing `Resources`",
            "add `Resources:` with a service (Type: 'Aliyun::Serverless::Service') holding the functions",
        );
        return 0;
    };
    cx.functions_anchor = Some(cx.span(resources.key));
    let Some(resources) = cx.mapping(resources.value, "Resources") else {
        return 0;
    };
    let mut functions = 0;
    for entry in doc.entries(resources) {
        let Some(name) = doc.text(entry.key) else {
            continue;
        };
        let Some(resource) = cx.mapping(entry.value, &format!("resource `{name}`")) else {
            continue;
        };
        let Some(kind) = resource_type(cx, resource, entry.key, name, RESOURCE_TYPES) else {
            continue;
        };
        if kind == SERVICE {
            cx.service_name(entry.key, name);
            functions += service(cx, resource, name);
        }
    }
    functions
}

/// The resource's `Type`, when it is one of `known` (else an error with a suggestion).
fn resource_type<'a>(
    cx: &mut Context<'a>,
    resource: NodeId,
    key: NodeId,
    name: &str,
    known: &[&str],
) -> Option<&'a str> {
    let value = cx.require(
        resource,
        "Type",
        key,
        &format!("`{name}`"),
        "every resource has a Type such as 'Aliyun::Serverless::Service'",
    )?;
    let kind = cx.string(value, "Type")?;
    if known.contains(&kind) {
        return Some(kind);
    }
    let help = match crate::ui::closest(kind, known) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("use one of: {}", known.join(", ")),
    };
    cx.error(
        "resource-type",
        value,
        format!("`{kind}` is not a resource type Fun knows"),
        help,
    );
    None
}

fn service(cx: &mut Context, service: NodeId, service_name: &str) -> usize {
    let doc = cx.doc;
    let mut functions = 0;
    for entry in doc.entries(service) {
        let Some(key) = doc.text(entry.key) else {
            continue;
        };
        match key {
            "Type" => {}
            "Properties" => {
                if let Some(properties) = cx.mapping(entry.value, "the service's Properties") {
                    service_properties(cx, properties, service_name);
                }
            }
            name => {
                let Some(function) = cx.mapping(entry.value, &format!("function `{name}`")) else {
                    continue;
                };
                let Some(_) = resource_type(cx, function, entry.key, name, &[FUNCTION]) else {
                    continue;
                };
                functions += 1;
                self::function(cx, function, entry.key, name);
            }
        }
    }
    functions
}

fn service_properties(cx: &mut Context, properties: NodeId, service_name: &str) {
    let doc = cx.doc;
    cx.closed_keys(
        properties,
        SERVICE_PROPERTIES,
        &format!("the Properties of service `{service_name}`"),
    );
    for key in ["Description", "Role"] {
        if let Some(entry) = doc.get(properties, key) {
            cx.string(entry.value, key);
        }
    }
    if let Some(entry) = doc.get(properties, "InternetAccess") {
        cx.boolean(entry.value, "InternetAccess");
    }
    for key in ["LogConfig"] {
        if let Some(entry) = doc.get(properties, key) {
            cx.mapping(entry.value, key);
        }
    }
}

fn function(cx: &mut Context, function: NodeId, key: NodeId, name: &str) {
    let doc = cx.doc;
    let owner = cx.owner(Some(name));
    cx.function_name(key, "function name");
    cx.closed_keys(function, FUNCTION_KEYS, &format!("function `{name}`"));
    let Some(properties) = cx.require(
        function,
        "Properties",
        key,
        &format!("function `{name}`"),
        "add Properties with Handler, Runtime and CodeUri",
    ) else {
        return;
    };
    let Some(properties) = cx.mapping(properties, "Properties") else {
        return;
    };
    cx.closed_keys(
        properties,
        FUNCTION_PROPERTIES,
        &format!("the Properties of function `{name}`"),
    );
    let what = format!("function `{name}`");
    let image = doc.get(properties, "CustomContainerConfig");
    if let Some(config) = image
        && let Some(config) = cx.mapping(config.value, "CustomContainerConfig")
        && let Some(image) = cx.require(
            config,
            "Image",
            config,
            "CustomContainerConfig",
            "add Image: the container image to run",
        )
    {
        cx.string(image, "Image");
    }
    let runtime = match cx.require(
        properties,
        "Runtime",
        key,
        &what,
        "add `Runtime: custom` (or the custom.debian runtime cargo fc builds for)",
    ) {
        Some(value) => cx.runtime(
            value,
            "Runtime",
            owner,
            image.is_some(),
            "CustomContainerConfig",
            true,
        ),
        None => RuntimeKind::Unknown,
    };
    if runtime == RuntimeKind::Custom
        && let Owner::Foreign = owner
    {
        cx.unmatched(key, name);
    }
    if runtime != RuntimeKind::Container {
        if let Some(handler) = cx.require(
            properties,
            "Handler",
            key,
            &what,
            "add `Handler: index.handler`: a custom runtime ignores it, but FC requires one",
        ) {
            cx.handler(handler, "Handler");
        }
        if let Some(code) = cx.require(
            properties,
            "CodeUri",
            key,
            &what,
            "add CodeUri pointing at the zip `cargo fc pack` writes, such as ./target/fc/NAME.zip",
        ) {
            if runtime != RuntimeKind::Other {
                cx.code_path(code, "CodeUri", owner);
            } else {
                cx.string(code, "CodeUri");
            }
        }
    } else if let Some(handler) = doc.get(properties, "Handler") {
        cx.handler(handler.value, "Handler");
    }
    let initializer = doc.get(properties, "Initializer");
    if let Some(entry) = initializer {
        cx.handler(entry.value, "Initializer");
    }
    if let Some(entry) = doc.get(properties, "InitializationTimeout") {
        cx.limit(
            &INITIALIZATION_TIMEOUT,
            entry.value,
            "InitializationTimeout",
        );
        if initializer.is_none() {
            cx.warn(
                "initialization-timeout",
                entry.key,
                "InitializationTimeout has no effect without an Initializer",
                "add `Initializer: index.initializer` (the bootstrap then gets POST /initialize), or remove it",
            );
        }
    }
    if let Some(entry) = doc.get(properties, "MemorySize")
        && let Some(size) = cx.limit(&MEMORY_SIZE, entry.value, "MemorySize")
        && size > 3072
        && !crate::platform::FUN_LARGE_MEMORY_MB.contains(&size)
    {
        cx.warn(
                    "memory-size",
                    entry.value,
                    format!("Fun accepts MemorySize above 3072 MB only as 4096, 8192, 16384 or 32768; {size} may be refused by `fun deploy`"),
                    "use one of those sizes, or deploy with Serverless Devs",
                );
    }
    if let Some(entry) = doc.get(properties, "Timeout") {
        cx.limit(&TIMEOUT, entry.value, "Timeout");
    }
    if let Some(entry) = doc.get(properties, "InstanceConcurrency") {
        cx.limit(&FUN_CONCURRENCY, entry.value, "InstanceConcurrency");
    }
    if let Some(entry) = doc.get(properties, "CAPort") {
        cx.limit(&PORT, entry.value, "CAPort");
    }
    if let Some(entry) = doc.get(properties, "Description") {
        cx.string(entry.value, "Description");
    }
    if let Some(entry) = doc.get(properties, "InstanceType")
        && let Some(kind) = cx.string(entry.value, "InstanceType")
        && kind != "e1"
        && kind != "c1"
    {
        cx.error(
            "property-type",
            entry.value,
            format!("InstanceType `{kind}` is not e1 or c1"),
            "use e1 (elastic) or c1 (performance)",
        );
    }
    if let Some(entry) = doc.get(properties, "EnvironmentVariables") {
        environment(cx, entry.value, "EnvironmentVariables");
    }
    if let Some(entry) = doc.get(properties, "Layers")
        && let Some(items) = cx.list(entry.value, "Layers")
    {
        for &item in items {
            cx.string(item, "each layer");
        }
    }
    if let Some(entry) = doc.get(properties, "InstanceLifecycleConfig") {
        lifecycle(cx, entry.value);
    }
    if let Some(entry) = doc.get(function, "Events") {
        events(cx, entry.value, name);
    }
}

/// Environment variables: a mapping of names to scalar values.
pub fn environment(cx: &mut Context, id: NodeId, what: &str) {
    let doc = cx.doc;
    let Some(map) = cx.mapping(id, what) else {
        return;
    };
    for entry in doc.entries(map) {
        if doc.map(entry.value).is_some() || doc.seq(entry.value).is_some() {
            let name = doc.text(entry.key).unwrap_or("?");
            cx.error(
                "property-type",
                entry.value,
                format!("environment variable `{name}` must be a string, found {}", doc.kind_name(entry.value)),
                "environment variables are strings: quote the value, or encode structure as JSON in a string",
            );
        }
    }
}

fn lifecycle(cx: &mut Context, id: NodeId) {
    let doc = cx.doc;
    let Some(config) = cx.mapping(id, "InstanceLifecycleConfig") else {
        return;
    };
    cx.closed_keys(config, HOOKS, "InstanceLifecycleConfig");
    for hook in HOOKS {
        let Some(entry) = doc.get(config, hook) else {
            continue;
        };
        let Some(map) = cx.mapping(entry.value, hook) else {
            continue;
        };
        cx.closed_keys(map, HOOK_KEYS, hook);
        if let Some(handler) = cx.require(
            map,
            "Handler",
            entry.key,
            hook,
            "add `Handler: index.prestop`; FC calls the hook only when it has a handler",
        ) {
            cx.handler(handler, &format!("{hook} Handler"));
        }
        if let Some(timeout) = doc.get(map, "Timeout") {
            cx.limit(&HOOK_TIMEOUT, timeout.value, &format!("{hook} Timeout"));
        }
    }
}

fn events(cx: &mut Context, id: NodeId, function: &str) {
    let doc = cx.doc;
    let Some(events) = cx.mapping(id, "Events") else {
        return;
    };
    for entry in doc.entries(events) {
        let Some(name) = doc.text(entry.key) else {
            continue;
        };
        let Some(event) = cx.mapping(entry.value, &format!("event `{name}`")) else {
            continue;
        };
        let Some(kind) = resource_type(cx, event, entry.key, name, EVENT_TYPES) else {
            continue;
        };
        if kind != "HTTP" {
            continue;
        }
        cx.closed_keys(event, &["Type", "Properties"], &format!("event `{name}`"));
        let Some(properties) = cx.require(
            event,
            "Properties",
            entry.key,
            &format!("HTTP trigger `{name}` of `{function}`"),
            "add Properties: { AuthType: ANONYMOUS, Methods: ['GET', 'POST'] }",
        ) else {
            continue;
        };
        let Some(properties) = cx.mapping(properties, "Properties") else {
            continue;
        };
        cx.closed_keys(properties, HTTP_PROPERTIES, "an HTTP trigger's Properties");
        let what = format!("HTTP trigger `{name}`");
        if let Some(auth) = cx.require(
            properties,
            "AuthType",
            entry.key,
            &what,
            "add `AuthType: ANONYMOUS` (anyone may call) or `AuthType: FUNCTION` (signed requests)",
        ) {
            cx.auth_type(auth, "AuthType", AUTH_TYPES);
        }
        if let Some(methods) = cx.require(
            properties,
            "Methods",
            entry.key,
            &what,
            "add `Methods: ['GET', 'POST']`",
        ) {
            cx.methods(methods, "Methods", METHODS);
        }
    }
}
