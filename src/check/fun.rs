//! Fun's `template.yml` (docs/platform.md#template-formats). Fun's own schema is closed
//! (`additionalProperties: false`), so unknown properties are errors here too.

use super::rules::{
    Context, FUN_CONCURRENCY, HOOK_TIMEOUT, INITIALIZATION_TIMEOUT, MEMORY_SIZE, PORT, RuntimeKind,
    TIMEOUT,
};
use crate::deployment::keys::{
    AUTH_TYPES, EVENT_KEYS, EVENT_TYPES, FORMAT_VERSION, FUNCTION, FUNCTION_KEYS,
    FUNCTION_PROPERTIES, HOOK_KEYS, HOOKS, METHODS, RESOURCE_TYPES, ROS_RESOURCE_TYPES, SERVICE,
    SERVICE_PROPERTIES, TOP_KEYS, TRANSFORM, is_resource_type,
};
use crate::deployment::{
    Deployment, EnvironmentVariable, Field, FoundValue, FunLayout, FunResource, FunResourceKind,
    Function, LifecycleHook, Origin, Service, Span, Trigger, TriggerConfig, Value,
};

const HTTP_PROPERTIES: &[&str] = &["AuthType", "Methods", "InvocationRole", "Qualifier"];

/// Checks a Fun template; returns the number of functions found.
pub fn check(cx: &mut Context, deployment: &Deployment, layout: &FunLayout) -> usize {
    for key in &layout.unknown {
        if let Some(close) = crate::ui::closest(&key.name, TOP_KEYS) {
            cx.warn(
                "unknown-property",
                key.key,
                format!("unknown top-level key `{}`", key.name),
                format!("did you mean `{close}`?"),
            );
        }
    }
    let root = deployment.span;
    match &layout.format_version {
        None => cx.error(
            "format-version",
            root,
            "the template is missing `ROSTemplateFormatVersion`",
            format!("add `ROSTemplateFormatVersion: '{FORMAT_VERSION}'` at the top"),
        ),
        Some(field) => {
            if let Some(text) = cx.string(&field.value, "ROSTemplateFormatVersion") {
                if text != FORMAT_VERSION {
                    cx.error(
                        "format-version",
                        field.span(),
                        format!("ROSTemplateFormatVersion `{text}` is not `{FORMAT_VERSION}`"),
                        format!("`{FORMAT_VERSION}` is the only version: ROSTemplateFormatVersion: '{FORMAT_VERSION}'"),
                    );
                } else if layout.format_version_plain {
                    cx.warn(
                        "format-version",
                        field.span(),
                        "an unquoted 2015-09-01 is a date to Fun's YAML reader (js-yaml), not the string its schema wants",
                        format!("quote it: ROSTemplateFormatVersion: '{FORMAT_VERSION}'"),
                    );
                }
            }
        }
    }
    match &layout.transform {
        None => cx.error(
            "transform",
            root,
            "the template is missing `Transform`",
            format!("add `Transform: '{TRANSFORM}'`, without which Fun does not know Aliyun::Serverless resources"),
        ),
        Some(field) => {
            if let Some(text) = cx.string(&field.value, "Transform")
                && text != TRANSFORM
            {
                cx.error(
                    "transform",
                    field.span(),
                    format!("Transform `{text}` is not `{TRANSFORM}`"),
                    format!("write Transform: '{TRANSFORM}'"),
                );
            }
        }
    }
    let Some(resources) = &layout.resources else {
        cx.error(
            "required-property",
            root,
            "the template is missing `Resources`",
            "add `Resources:` with a service (Type: 'Aliyun::Serverless::Service') holding the functions",
        );
        return 0;
    };
    cx.functions_anchor = Some(resources.key);
    if !cx.mapping(&resources.value, "Resources") {
        return 0;
    }
    let mut functions = 0;
    for entry in &layout.entries {
        if !cx.mapping(&entry.value, &format!("resource `{}`", entry.name)) {
            continue;
        }
        let Some(kind) = resource_type(cx, entry, RESOURCE_TYPES) else {
            continue;
        };
        if kind == SERVICE
            && let FunResourceKind::Service(index) = entry.kind
        {
            // A name `fun init` fills in (`{{ service }}:`) is computed like `${…}`.
            let computed = deployment.services[index]
                .name
                .as_ref()
                .is_some_and(|name| name.value.is_computed());
            if !computed && !crate::deployment::is_computed(&entry.name) {
                cx.service_name(entry.key, &entry.name);
            }
            functions += service(cx, deployment, entry, &deployment.services[index]);
        }
    }
    functions
}

/// The resource's `Type`, when it is one of `known` (else an error with a suggestion).
fn resource_type<'r>(cx: &mut Context, entry: &'r FunResource, known: &[&str]) -> Option<&'r str> {
    let field = cx.require(
        &entry.resource_type,
        "Type",
        entry.key,
        &format!("`{}`", entry.name),
        "every resource has a Type such as 'Aliyun::Serverless::Service'",
    )?;
    let kind = cx.string(&field.value, "Type")?;
    if known.contains(&kind) {
        return Some(kind);
    }
    let ros = known == RESOURCE_TYPES;
    if ros && is_resource_type(kind) {
        return Some(kind);
    }
    let mut candidates = known.to_vec();
    if ros {
        candidates.extend_from_slice(ROS_RESOURCE_TYPES);
    }
    let help = match crate::ui::closest(kind, &candidates) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("use one of: {}", known.join(", ")),
    };
    cx.error(
        "resource-type",
        field.span(),
        format!("`{kind}` is not a resource type Fun knows"),
        help,
    );
    None
}

fn service(
    cx: &mut Context,
    deployment: &Deployment,
    entry: &FunResource,
    service: &Service,
) -> usize {
    if let Some(properties) = &service.properties
        && cx.mapping(&properties.value, "the service's Properties")
    {
        service_properties(cx, service, &entry.name);
    }
    let mut functions = 0;
    for nested in &entry.nested {
        if !cx.mapping(&nested.value, &format!("function `{}`", nested.name)) {
            continue;
        }
        if resource_type(cx, nested, &[FUNCTION]).is_none() {
            continue;
        }
        let FunResourceKind::Function(index) = nested.kind else {
            continue;
        };
        functions += 1;
        function(cx, &deployment.functions[index], nested.key, &nested.name);
    }
    functions
}

fn service_properties(cx: &mut Context, service: &Service, name: &str) {
    cx.closed_keys(
        &service.unknown,
        SERVICE_PROPERTIES,
        &format!("the Properties of service `{name}`"),
    );
    if let Some(field) = &service.description {
        cx.string(&field.value, "Description");
    }
    if let Some(field) = &service.role {
        cx.string(&field.value, "Role");
    }
    if let Some(field) = &service.internet_access {
        cx.boolean(&field.value, "InternetAccess");
    }
    if let Some(field) = &service.log_config {
        match &field.value {
            // Fun's schema takes any string; only `Auto` means something to `fun deploy`.
            Value::Invalid(FoundValue::String { text, .. }, span) => cx.warn(
                "property-type",
                *span,
                format!("LogConfig `{text}` is neither `Auto` nor a mapping: Fun passes it to FC as it is"),
                "write `LogConfig: Auto` (Fun creates the project and logstore), or a mapping with Project and Logstore",
            ),
            value => {
                cx.mapping(value, "LogConfig");
            }
        }
    }
}

fn function(cx: &mut Context, f: &Function, key: Span, name: &str) {
    let owner = cx.owner(f.name_str(), f.code_location());
    if let Some(field) = &f.name {
        cx.function_name(&field.value, "function name", true);
    }
    if let Origin::Fun { unknown, .. } = &f.origin {
        cx.closed_keys(unknown, FUNCTION_KEYS, &format!("function `{name}`"));
    }
    let Some(properties) = cx.require(
        &f.properties,
        "Properties",
        key,
        &format!("function `{name}`"),
        "add Properties with Handler, Runtime and CodeUri",
    ) else {
        return;
    };
    if !cx.mapping(&properties.value, "Properties") {
        return;
    }
    cx.closed_keys(
        &f.unknown,
        FUNCTION_PROPERTIES,
        &format!("the Properties of function `{name}`"),
    );
    let what = format!("function `{name}`");
    if let Some(config) = &f.custom_container_config
        && cx.mapping(&config.value, "CustomContainerConfig")
        && let Some(config_value) = config.literal()
        && let Some(image) = cx.require(
            &config_value.image,
            "Image",
            config.span(),
            "CustomContainerConfig",
            "add Image: the container image to run",
        )
    {
        cx.string(&image.value, "Image");
    }
    let runtime = match cx.require(
        &f.runtime,
        "Runtime",
        key,
        &what,
        "add `Runtime: custom` (or the custom.debian runtime cargo fc builds for)",
    ) {
        Some(field) => cx.runtime(
            &field.value,
            "Runtime",
            owner,
            f.custom_container_config.is_some(),
            "CustomContainerConfig",
            true,
        ),
        None => RuntimeKind::Unknown,
    };
    cx.ownership(key, name, owner, runtime, f.code_location());
    if runtime != RuntimeKind::Container {
        if let Some(handler) = cx.require(
            &f.handler,
            "Handler",
            key,
            &what,
            "add `Handler: index.handler`: a custom runtime ignores it, but FC requires one",
        ) {
            cx.handler(&handler.value, "Handler");
        }
        if let Some(code) = cx.require(
            &f.code,
            "CodeUri",
            key,
            &what,
            "add CodeUri pointing at the zip `cargo fc pack` writes, such as ./target/fc/NAME.zip",
        ) && let Some(path) = super::devs::code_value(code)
        {
            cx.code_path(&path, "CodeUri", owner);
        }
    } else if let Some(handler) = &f.handler {
        cx.handler(&handler.value, "Handler");
    }
    let hook = f.initializer.as_deref().and_then(Field::literal);
    let initializer = hook.and_then(|h| h.handler.as_ref());
    if let Some(field) = initializer {
        cx.handler(&field.value, "Initializer");
    }
    if let Some(field) = hook.and_then(|h| h.timeout.as_ref()) {
        cx.limit(
            &INITIALIZATION_TIMEOUT,
            &field.value,
            "InitializationTimeout",
        );
        if initializer.is_none() {
            cx.warn(
                "initialization-timeout",
                field.key,
                "InitializationTimeout has no effect without an Initializer",
                "add `Initializer: index.initializer` (the bootstrap then gets POST /initialize), or remove it",
            );
        }
    }
    if let Some(field) = &f.memory_size
        && let Some(size) = cx.limit(&MEMORY_SIZE, &field.value, "MemorySize")
        && size > 3072
        && !crate::platform::FUN_LARGE_MEMORY_MB.contains(&size)
    {
        cx.warn(
            "memory-size",
            field.span(),
            format!("Fun accepts MemorySize above 3072 MB only as 4096, 8192, 16384 or 32768; {size} may be refused by `fun deploy`"),
            "use one of those sizes, or deploy with Serverless Devs",
        );
    }
    if let Some(field) = &f.timeout {
        cx.limit(&TIMEOUT, &field.value, "Timeout");
    }
    if let Some(field) = &f.instance_concurrency {
        cx.limit(&FUN_CONCURRENCY, &field.value, "InstanceConcurrency");
    }
    if let Some(field) = &f.ca_port {
        cx.limit(&PORT, &field.value, "CAPort");
    }
    if let Some(field) = &f.description {
        cx.string(&field.value, "Description");
    }
    if let Some(field) = &f.instance_type
        && let Some(kind) = cx.string(&field.value, "InstanceType")
        && kind != "e1"
        && kind != "c1"
    {
        cx.error(
            "property-type",
            field.span(),
            format!("InstanceType `{kind}` is not e1 or c1"),
            "use e1 (elastic) or c1 (performance)",
        );
    }
    if let Some(field) = &f.environment_variables {
        environment(cx, field);
    }
    if let Some(field) = &f.layers
        && let Some(items) = cx.list(&field.value, "Layers")
    {
        cx.strings(items, "each layer");
    }
    if let Some(field) = &f.instance_lifecycle_config {
        lifecycle(cx, field);
    }
    if let Some(field) = &f.triggers {
        events(cx, field, name);
    }
}

/// Environment variables: a mapping of names to scalar values.
pub fn environment(cx: &mut Context, field: &Field<Vec<EnvironmentVariable>>) {
    if !cx.mapping(&field.value, field.name) {
        return;
    }
    for variable in field.literal().into_iter().flatten() {
        if let Value::Invalid(found @ (FoundValue::List | FoundValue::Mapping), span) =
            &variable.value
        {
            cx.error(
                "property-type",
                *span,
                format!(
                    "environment variable `{}` must be a string, found {found}",
                    variable.name
                ),
                "environment variables are strings: quote the value, or encode structure as JSON in a string",
            );
        }
    }
}

fn lifecycle(cx: &mut Context, field: &Field<crate::deployment::InstanceLifecycleConfig>) {
    if !cx.mapping(&field.value, "InstanceLifecycleConfig") {
        return;
    }
    let Some(config) = field.literal() else {
        return;
    };
    cx.closed_keys(&config.unknown, HOOKS, "InstanceLifecycleConfig");
    for (hook, slot) in [
        ("PreStop", &config.pre_stop),
        ("PreFreeze", &config.pre_freeze),
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
        hook_rules(cx, hook, entry.key, value);
    }
}

fn hook_rules(cx: &mut Context, hook: &str, key: Span, value: &LifecycleHook) {
    cx.closed_keys(&value.unknown, HOOK_KEYS, hook);
    if let Some(handler) = cx.require(
        &value.handler,
        "Handler",
        key,
        hook,
        "add `Handler: index.prestop`; FC calls the hook only when it has a handler",
    ) {
        cx.hook_handler(&handler.value, &format!("{hook} Handler"));
    }
    if let Some(timeout) = &value.timeout {
        cx.limit(&HOOK_TIMEOUT, &timeout.value, &format!("{hook} Timeout"));
    }
}

/// The text a name is written with, computed or not (for messages).
pub fn written(field: &Option<Field<String>>) -> Option<String> {
    match &field.as_ref()?.value {
        Value::Literal(text, _) | Value::Computed(text, _) => Some(text.clone()),
        Value::Invalid(found, _) => {
            let text = found.text();
            (!text.is_empty()).then_some(text)
        }
    }
}

fn events(cx: &mut Context, field: &Field<Vec<Trigger>>, function: &str) {
    if !cx.mapping(&field.value, "Events") {
        return;
    }
    for trigger in field.literal().into_iter().flatten() {
        let name = written(&trigger.name).unwrap_or_default();
        if !cx.mapping(&trigger.value, &format!("event `{name}`")) {
            continue;
        }
        let entry = FunResource {
            name: name.clone(),
            key: trigger.declared,
            value: Value::Literal((), trigger.declared),
            resource_type: trigger.trigger_type.clone(),
            kind: FunResourceKind::Unknown,
            nested: Vec::new(),
        };
        let Some(kind) = resource_type(cx, &entry, EVENT_TYPES) else {
            continue;
        };
        if kind != "HTTP" {
            continue;
        }
        cx.closed_keys(&trigger.unknown, EVENT_KEYS, &format!("event `{name}`"));
        let Some(properties) = cx.require(
            &trigger.config,
            "Properties",
            trigger.declared,
            &format!("HTTP trigger `{name}` of `{function}`"),
            "add Properties: { AuthType: ANONYMOUS, Methods: ['GET', 'POST'] }",
        ) else {
            continue;
        };
        if !cx.mapping(&properties.value, "Properties") {
            continue;
        }
        let Some(TriggerConfig::Http(config)) = properties.literal() else {
            continue;
        };
        cx.closed_keys(
            &config.unknown,
            HTTP_PROPERTIES,
            "an HTTP trigger's Properties",
        );
        let what = format!("HTTP trigger `{name}`");
        if let Some(auth) = cx.require(
            &config.auth_type,
            "AuthType",
            trigger.declared,
            &what,
            "add `AuthType: ANONYMOUS` (anyone may call) or `AuthType: FUNCTION` (signed requests)",
        ) {
            cx.auth_type(&auth.value, "AuthType", AUTH_TYPES);
        }
        if let Some(methods) = cx.require(
            &config.methods,
            "Methods",
            trigger.declared,
            &what,
            "add `Methods: ['GET', 'POST']`",
        ) {
            cx.methods(&methods.value, "Methods", METHODS);
        }
    }
}
