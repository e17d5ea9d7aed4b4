//! Serverless Devs `s.yaml` read into the model: `edition: 3.0.0` (component `fc3`, one FC 3.0
//! function per resource; `fc3-domain` for custom domains) and `edition: 1.0.0` (component `fc` /
//! `devsapp/fc`, an FC 2.0 service with its function, triggers and custom domains per entry).
//!
//! The components accept many more keys than they document and ignore the rest, so unknown keys
//! are kept for `check` to judge as near misses. A 3.0.0 resource's `extend: {name}` brings in
//! the props of the named `template:` entry first ([`prepare`]), as the engine does.

use super::Format;
use super::model::{
    Code, Component, ComponentKind, CustomContainerConfig, CustomDomain, DevsLayout, Function,
    InstanceLifecycleConfig, LifecycleHook, LogConfig, NasConfig, Origin, Route, Service,
    VpcConfig,
};
use super::read::{Reader, Spelling, first, first_boxed};
use super::sections;
use super::triggers::{self, Edition};
use super::value::{Field, NodeId, Value};
use super::yaml::{Document, Entry};

use std::collections::HashMap;

/// Keys of fc3's `props`: its schema.json, the keys its code reads (`customDomain`, `endpoint`,
/// `supplement`, `annotations`, `buildDir`, `artifacts`), and the FC 3.0 API's function fields
/// it passes on.
pub const FC3_PROPS: &[&str] = &[
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
    "scalingConfig",
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
    "buildDir",
    "artifacts",
    "juiceFsConfig",
    "polarFsConfig",
    "microSandboxConfig",
];

pub const CUSTOM_RUNTIME_CONFIG: &[&str] = &["command", "args", "port", "healthCheckConfig"];
pub const FC3_HOOKS: &[&str] = &["initializer", "preStop"];
pub const FC3_HOOK_KEYS: &[&str] = &["handler", "timeout", "command"];
pub const FC3_TRIGGER: &[&str] = &[
    "triggerName",
    "triggerType",
    "triggerConfig",
    "description",
    "qualifier",
    "invocationRole",
    "sourceArn",
];
pub const FC3_HTTP_CONFIG: &[&str] = &[
    "authType",
    "methods",
    "authConfig",
    "disableURLInternet",
    "corsConfig",
];
/// docs/platform.md#template-formats. fc3 HTTP triggers.
pub const FC3_AUTH_TYPES: &[&str] = &["anonymous", "function", "jwt"];
pub const FC3_METHODS: &[&str] = &["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];

/// Keys of edition 1.0.0's `function` (devsapp/fc's documentation).
pub const V1_FUNCTION: &[&str] = &[
    "name",
    "description",
    "runtime",
    "codeUri",
    "ossBucket",
    "ossKey",
    "handler",
    "caPort",
    "cpu",
    "diskSize",
    "initializer",
    "initializationTimeout",
    "memorySize",
    "gpuMemorySize",
    "timeout",
    "instanceConcurrency",
    "instanceSoftConcurrency",
    "instanceType",
    "environmentVariables",
    "customRuntimeConfig",
    "customContainerConfig",
    "customHealthCheckConfig",
    "customDNS",
    "instanceLifecycleConfig",
    "layers",
    "asyncConfiguration",
];
pub const V1_SERVICE: &[&str] = &[
    "name",
    "description",
    "internetAccess",
    "role",
    "tracingConfig",
    "logConfig",
    "vpcConfig",
    "nasConfig",
    "ossMountConfig",
    "vpcBinding",
];
pub const V1_HOOKS: &[&str] = &["preStop", "preFreeze"];
pub const V1_AUTH_TYPES: &[&str] = &["anonymous", "function"];

/// Top-level keys the engines read (3.0.0: toolkit's parse-spec; 1.0.0: core).
const V3_TOP: &[&str] = &[
    "edition",
    "name",
    "access",
    "vars",
    "actions",
    "resources",
    "template",
    "extend",
    "flow",
    "env",
    "validation",
    "components",
];
const V1_TOP: &[&str] = &[
    "edition", "name", "access", "vars", "services", "extend", "extends", "org", "env", "actions",
];

/// Whether a component reference (`fc3`, `fc3@0.1.2`, `devsapp/fc3`) names `wanted`.
pub fn is_component(component: &str, wanted: &str) -> bool {
    let name = component.rsplit('/').next().unwrap_or(component);
    let name = name.split('@').next().unwrap_or(name);
    name == wanted
}

fn kind_of(component: &Value<String>, format: Format) -> ComponentKind {
    match component {
        Value::Literal(name, _) if is_component(name, "fc3") => ComponentKind::Fc3,
        Value::Literal(name, _) if is_component(name, "fc3-domain") => ComponentKind::Fc3Domain,
        // fc-deploy is the component `fc` hands its work to; it takes the same props.
        Value::Literal(name, _)
            if is_component(name, "fc")
                || (format == Format::Devs1 && is_component(name, "fc-deploy")) =>
        {
            ComponentKind::Fc
        }
        Value::Literal(name, _) => ComponentKind::Other(name.clone()),
        Value::Computed(..) => ComponentKind::Computed,
        Value::Invalid(..) => ComponentKind::Missing,
    }
}

/// The props each resource is read from, after 3.0.0's `extend` brought a template's in: by
/// resource index, the combined node (`None`: the resource's own props, as written).
pub(super) struct Prepared {
    pub vars: Option<NodeId>,
    props: Vec<Option<NodeId>>,
}

/// Combines each 3.0.0 resource's props with the template it extends, adding the combined
/// mappings to the document.
pub(super) fn prepare(doc: &mut Document, root: NodeId, format: Format) -> Prepared {
    let vars = doc
        .get(root, "vars")
        .map(|e| e.value)
        .filter(|&v| doc.map(v).is_some());
    let mut prepared = Prepared {
        vars,
        props: Vec::new(),
    };
    if format != Format::Devs3 {
        return prepared;
    }
    let templates = doc.get(root, "template").map(|e| e.value);
    let Some(resources) = doc.get(root, "resources").map(|e| e.value) else {
        return prepared;
    };
    let entries: Vec<Entry> = doc.entries(resources).collect();
    for entry in entries {
        let combined = (|| {
            let extend = doc.get(entry.value, "extend")?.value;
            let (name, ignore) = match doc.map(extend) {
                Some(_) => {
                    let name = doc.text(doc.get(extend, "name")?.value)?.to_string();
                    let ignore: Vec<String> = doc
                        .get(extend, "ignore")
                        .and_then(|e| doc.seq(e.value))
                        .map(|items| {
                            items
                                .iter()
                                .filter_map(|&i| doc.text(i).map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default();
                    (name, ignore)
                }
                None => (doc.text(extend)?.to_string(), Vec::new()),
            };
            let template = doc.get(templates?, &name)?.value;
            doc.map(template)?;
            match doc.get(entry.value, "props").map(|e| e.value) {
                Some(props) if doc.map(props).is_some() => {
                    Some(doc.overlay(template, props, &ignore))
                }
                Some(_) => None,
                // A resource with `extend` and no props takes the template as its props.
                None => Some(template),
            }
        })();
        prepared.props.push(combined);
    }
    prepared
}

#[derive(Default)]
pub(super) struct Read {
    pub services: Vec<Service>,
    pub functions: Vec<Function>,
    pub custom_domains: Vec<CustomDomain>,
    /// The function (and service) each props mapping declared, by node: resources that alias
    /// one props mapping (`props: *shared`) declare the same function, read once.
    by_props: HashMap<NodeId, (Option<usize>, Option<usize>)>,
}

pub(super) fn read(
    r: &Reader,
    root: NodeId,
    format: Format,
    prepared: &Prepared,
    edition: Field<String>,
) -> (DevsLayout, Read) {
    let mut layout = DevsLayout {
        edition,
        name: None,
        access: None,
        vars: None,
        templates: None,
        extends: None,
        top: None,
        components: Vec::new(),
        unknown: Vec::new(),
    };
    let (top_key, known) = match format {
        Format::Devs3 => ("resources", V3_TOP),
        _ => ("services", V1_TOP),
    };
    let mut top = None;
    for (key, entry) in r.entries(root) {
        match key {
            "edition" => {}
            "name" => first(&mut layout.name, || {
                r.field("name", entry, r.scalar_text(entry.value))
            }),
            "access" => first(&mut layout.access, || {
                r.field("access", entry, r.scalar_text(entry.value))
            }),
            "vars" => first(&mut layout.vars, || {
                r.field(
                    "vars",
                    entry,
                    r.mapping(entry.value).map(|map| r.raw_keys(map)),
                )
            }),
            "template" if format == Format::Devs3 => first(&mut layout.templates, || {
                r.field(
                    "template",
                    entry,
                    r.mapping(entry.value).map(|map| r.raw_keys(map)),
                )
            }),
            "extend" | "extends" => first(&mut layout.extends, || {
                r.field("extend", entry, r.string(entry.value))
            }),
            k if k == top_key => {
                if layout.top.is_none() {
                    let value = r.mapping(entry.value);
                    top = value.literal().copied();
                    let name = if format == Format::Devs3 {
                        "resources"
                    } else {
                        "services"
                    };
                    layout.top = Some(r.field(name, entry, value.map(|_| ())));
                }
            }
            key if known.contains(&key) => {}
            key => layout.unknown.push(r.raw_key(key, entry)),
        }
    }
    let mut read = Read::default();
    let Some(top) = top else {
        return (layout, read);
    };
    // Most entries declare a function: growing the list would copy every function read so far.
    let entries = r.doc.map(top).map_or(0, |m| m.own.len() + m.merged.len());
    read.functions
        .reserve(entries.min(super::read::VISIT_BUDGET));
    layout
        .components
        .reserve(entries.min(super::read::VISIT_BUDGET));
    for (index, (name, entry)) in r.entries(top).enumerate() {
        let combined = prepared.props.get(index).copied().flatten();
        let component = component(
            r,
            &mut read,
            format,
            layout.components.len(),
            name,
            entry,
            combined,
        );
        layout.components.push(component);
    }
    (layout, read)
}

fn component(
    r: &Reader,
    read: &mut Read,
    format: Format,
    index: usize,
    name: &str,
    entry: Entry,
    combined: Option<NodeId>,
) -> Component {
    let mapping = r.mapping(entry.value);
    let mut component = Component {
        name: name.to_string(),
        key: r.span(entry.key),
        value: mapping.as_ref().map(|_| ()),
        component: None,
        kind: ComponentKind::Missing,
        extend: None,
        props: None,
        function: None,
        service: None,
    };
    let Value::Literal(map, _) = mapping else {
        return component;
    };
    let mut props_entry = None;
    for (key, entry) in r.entries(map) {
        match key {
            "component" => first(&mut component.component, || {
                r.field("component", entry, r.string(entry.value))
            }),
            "props" => first(&mut props_entry, || entry),
            "extend" if format == Format::Devs3 => first(&mut component.extend, || {
                let name = r
                    .mapping(entry.value)
                    .literal()
                    .and_then(|&m| r.get(m, "name"))
                    .map_or_else(|| r.string(entry.value), |e| r.string(e.value));
                r.field("extend", entry, name)
            }),
            _ => {}
        }
    }
    component.kind = component
        .component
        .as_ref()
        .map_or(ComponentKind::Missing, |c| kind_of(&c.value, format));
    // The props as the component sees them: combined with the template they extend.
    let props = match (combined, props_entry) {
        (Some(node), Some(entry)) => Some((
            Field {
                name: "props",
                key: r.span(entry.key),
                value: Value::Literal((), r.span(node)),
            },
            Some(node),
        )),
        (Some(node), None) => Some((
            Field {
                name: "props",
                key: r.span(entry.key),
                value: Value::Literal((), r.span(node)),
            },
            Some(node),
        )),
        (None, Some(entry)) => {
            let value = r.mapping(entry.value);
            let node = value.literal().copied();
            Some((r.field("props", entry, value.map(|_| ())), node))
        }
        (None, None) => None,
    };
    let Some((field, node)) = props else {
        return component;
    };
    component.props = Some(field);
    let Some(props) = node else {
        return component;
    };
    if let Some(&(function, service)) = read.by_props.get(&props) {
        component.function = function;
        component.service = service;
        return component;
    }
    let has = |key: &str| r.get(props, key).is_some();
    match (&component.kind, format) {
        (ComponentKind::Fc3, Format::Devs3) => {
            let function = fc3_function(r, read, index, entry.key, props);
            read.functions.push(function);
            component.function = Some(read.functions.len() - 1);
        }
        // A computed component is read as fc3 when its props are shaped like fc3's; props with a
        // nested `function:` belong to some other component.
        (ComponentKind::Computed, Format::Devs3) if has("functionName") => {
            let function = fc3_function(r, read, index, entry.key, props);
            read.functions.push(function);
            component.function = Some(read.functions.len() - 1);
        }
        (ComponentKind::Fc3Domain, Format::Devs3) => {
            read.custom_domains
                .push(fc3_domain(r, entry.key, props, None));
        }
        (ComponentKind::Fc, Format::Devs1) => v1_component(r, read, &mut component, index, props),
        (ComponentKind::Computed, Format::Devs1) if has("service") || has("function") => {
            v1_component(r, read, &mut component, index, props)
        }
        _ => {}
    }
    read.by_props
        .insert(props, (component.function, component.service));
    component
}

fn fc3_function(
    r: &Reader,
    read: &mut Read,
    component: usize,
    key: NodeId,
    props: NodeId,
) -> Function {
    let mut f = Function::new(Origin::Fc3 { component }, r.span(key));
    f.properties = Some(Field {
        name: "props",
        key: r.span(key),
        value: Value::Literal((), r.span(props)),
    });
    let mut domain = None;
    let mut initializer = None;
    for (key, entry) in r.entries(props) {
        let string = |name| r.field(name, entry, r.string(entry.value));
        let integer = |name| r.field(name, entry, r.integer(entry.value));
        match key {
            "region" => first(&mut f.region, || string("region")),
            "functionName" => first(&mut f.name, || string("functionName")),
            "description" => first(&mut f.description, || string("description")),
            "runtime" => first(&mut f.runtime, || string("runtime")),
            "handler" => first(&mut f.handler, || string("handler")),
            "code" => first_boxed(&mut f.code, || fc3_code(r, entry)),
            "timeout" => first(&mut f.timeout, || integer("timeout")),
            "memorySize" => first(&mut f.memory_size, || integer("memorySize")),
            "instanceConcurrency" => first(&mut f.instance_concurrency, || {
                integer("instanceConcurrency")
            }),
            "cpu" => first(&mut f.cpu, || r.field("cpu", entry, r.float(entry.value))),
            "diskSize" => first(&mut f.disk_size, || integer("diskSize")),
            "environmentVariables" => first(&mut f.environment_variables, || {
                sections::environment(r, "environmentVariables", entry)
            }),
            "customRuntimeConfig" => first_boxed(&mut f.custom_runtime_config, || {
                r.section("customRuntimeConfig", entry, |map| {
                    sections::custom_runtime_config(r, map)
                })
            }),
            "customContainerConfig" => first_boxed(&mut f.custom_container_config, || {
                r.section("customContainerConfig", entry, |map| container(r, map))
            }),
            "instanceLifecycleConfig" => first_boxed(&mut f.instance_lifecycle_config, || {
                r.section("instanceLifecycleConfig", entry, |map| {
                    fc3_lifecycle(r, map, &mut initializer)
                })
            }),
            "layers" => first(&mut f.layers, || {
                r.field("layers", entry, r.strings(entry.value))
            }),
            "triggers" => first(&mut f.triggers, || {
                r.field(
                    "triggers",
                    entry,
                    r.list(entry.value).map(|items| {
                        items
                            .iter()
                            .map(|&item| triggers::devs_trigger(r, item, Edition::V3))
                            .collect()
                    }),
                )
            }),
            "role" => first(&mut f.role, || string("role")),
            "internetAccess" => first(&mut f.internet_access, || {
                r.field("internetAccess", entry, r.boolean(entry.value))
            }),
            "logConfig" => first_boxed(&mut f.log_config, || {
                r.section_or_auto(
                    "logConfig",
                    entry,
                    fc3_auto,
                    || LogConfig::Auto,
                    |map| sections::log_config(r, map, Spelling::Camel),
                )
            }),
            "vpcConfig" => first_boxed(&mut f.vpc_config, || {
                r.section_or_auto(
                    "vpcConfig",
                    entry,
                    fc3_auto,
                    || VpcConfig::Auto,
                    |map| sections::vpc_config(r, map, Spelling::Camel),
                )
            }),
            "nasConfig" => first_boxed(&mut f.nas_config, || {
                r.section_or_auto(
                    "nasConfig",
                    entry,
                    fc3_auto,
                    || NasConfig::Auto,
                    |map| sections::nas_config(r, map, Spelling::Camel),
                )
            }),
            "tags" => first(&mut f.tags, || sections::tags(r, entry)),
            "customDomain" => {
                domain = Some(entry);
                f.untyped.push(r.raw_key(key, entry));
            }
            key if FC3_PROPS.contains(&key) => f.untyped.push(r.raw_key(key, entry)),
            key => f.unknown.push(r.raw_key(key, entry)),
        }
    }
    f.initializer = initializer.map(Box::new);
    if let Some(entry) = domain
        && let Value::Literal(map, _) = r.mapping(entry.value)
    {
        let function = read.functions.len();
        read.custom_domains
            .push(fc3_domain(r, entry.key, map, Some(function)));
    }
    f
}

/// fc3's `auto` strings: any case, with `|key=value` parameters after it.
fn fc3_auto(text: &str) -> bool {
    text.split('|')
        .next()
        .is_some_and(|head| head.trim().eq_ignore_ascii_case("auto"))
}

/// devsapp/fc takes exactly `auto` or `Auto` (NAS also `autoPerformance`, in any case).
fn v1_auto(text: &str) -> bool {
    text == "auto" || text == "Auto"
}

fn v1_nas_auto(text: &str) -> bool {
    v1_auto(text) || text.eq_ignore_ascii_case("autoPerformance")
}

fn fc3_code(r: &Reader, entry: Entry) -> Field<Code> {
    let mapping = r.mapping(entry.value);
    let value = match mapping {
        Value::Literal(map, span) => {
            let mut bucket = None;
            let mut object = None;
            for (key, entry) in r.entries(map) {
                match key {
                    "ossBucketName" => first(&mut bucket, || {
                        r.field("ossBucketName", entry, r.string(entry.value))
                    }),
                    "ossObjectName" => first(&mut object, || {
                        r.field("ossObjectName", entry, r.string(entry.value))
                    }),
                    _ => {}
                }
            }
            Value::Literal(Code::Oss { bucket, object }, span)
        }
        _ => r.string(entry.value).map(Code::Path),
    };
    r.field("code", entry, value)
}

fn container(r: &Reader, map: NodeId) -> CustomContainerConfig {
    let mut config = CustomContainerConfig::default();
    for (key, entry) in r.entries(map) {
        match key {
            "image" => first(&mut config.image, || {
                r.field("image", entry, r.string(entry.value))
            }),
            "entrypoint" => first(&mut config.entrypoint, || {
                r.field("entrypoint", entry, r.strings(entry.value))
            }),
            "command" => first(&mut config.command, || {
                r.field("command", entry, r.strings(entry.value))
            }),
            "port" => first(&mut config.port, || {
                r.field("port", entry, r.integer(entry.value))
            }),
            "healthCheckConfig" | "registryConfig" | "accelerationType" | "acrInstanceId"
            | "accelerationInfo" | "resolvedImageUri" => config.untyped.push(r.raw_key(key, entry)),
            key => config.unknown.push(r.raw_key(key, entry)),
        }
    }
    config
}

fn fc3_lifecycle(
    r: &Reader,
    map: NodeId,
    initializer: &mut Option<Field<LifecycleHook>>,
) -> InstanceLifecycleConfig {
    let mut config = InstanceLifecycleConfig::default();
    for (key, entry) in r.entries(map) {
        match key {
            "initializer" => first(initializer, || {
                r.section("initializer", entry, |map| sections::hook(r, map, true))
            }),
            "preStop" => first(&mut config.pre_stop, || {
                r.section("preStop", entry, |map| sections::hook(r, map, true))
            }),
            "preFreeze" => first(&mut config.pre_freeze, || {
                r.section("preFreeze", entry, |map| sections::hook(r, map, true))
            }),
            key => config.unknown.push(r.raw_key(key, entry)),
        }
    }
    config
}

/// A custom domain: an `fc3-domain` resource's props, or fc3's function-level `customDomain`
/// (whose single `route` goes to that function).
fn fc3_domain(r: &Reader, key: NodeId, map: NodeId, function: Option<usize>) -> CustomDomain {
    let mut domain = CustomDomain {
        declared: r.span(key),
        domain_name: None,
        protocol: None,
        routes: None,
        function,
        untyped: Vec::new(),
        unknown: Vec::new(),
    };
    for (key, entry) in r.entries(map) {
        match key {
            "domainName" => first(&mut domain.domain_name, || {
                r.field("domainName", entry, r.string(entry.value))
            }),
            "protocol" => first(&mut domain.protocol, || {
                r.field("protocol", entry, r.string(entry.value))
            }),
            "route" if function.is_some() => first(&mut domain.routes, || {
                r.field(
                    "route",
                    entry,
                    r.mapping(entry.value)
                        .map(|route| vec![devs_route(r, entry.value, route)]),
                )
            }),
            "routeConfig" => first(&mut domain.routes, || {
                let routes = r
                    .mapping(entry.value)
                    .literal()
                    .and_then(|&config| r.get(config, "routes"));
                match routes {
                    Some(routes) => r.field("routes", routes, route_list(r, routes.value)),
                    None => r.field(
                        "routeConfig",
                        entry,
                        r.mapping(entry.value).map(|_| Vec::new()),
                    ),
                }
            }),
            "region" | "certConfig" | "tlsConfig" | "authConfig" | "wafConfig" | "corsConfig"
            | "certId" => domain.untyped.push(r.raw_key(key, entry)),
            key => domain.unknown.push(r.raw_key(key, entry)),
        }
    }
    domain
}

fn route_list(r: &Reader, id: NodeId) -> Value<Vec<Route>> {
    r.list(id).map(|items| {
        items
            .iter()
            .filter_map(|&item| {
                let map = *r.mapping(item).literal()?;
                Some(devs_route(r, item, map))
            })
            .collect()
    })
}

fn devs_route(r: &Reader, declared: NodeId, map: NodeId) -> Route {
    let mut route = Route {
        declared: r.span(declared),
        path: None,
        function_name: None,
        service_name: None,
        qualifier: None,
        methods: None,
        untyped: Vec::new(),
        unknown: Vec::new(),
    };
    for (key, entry) in r.entries(map) {
        match key {
            "path" => first(&mut route.path, || {
                r.field("path", entry, r.string(entry.value))
            }),
            "functionName" => first(&mut route.function_name, || {
                r.field("functionName", entry, r.string(entry.value))
            }),
            "serviceName" => first(&mut route.service_name, || {
                r.field("serviceName", entry, r.string(entry.value))
            }),
            "qualifier" => first(&mut route.qualifier, || {
                r.field("qualifier", entry, r.scalar_text(entry.value))
            }),
            "methods" => first(&mut route.methods, || {
                r.field("methods", entry, r.strings(entry.value))
            }),
            "rewriteConfig" => route.untyped.push(r.raw_key(key, entry)),
            key => route.unknown.push(r.raw_key(key, entry)),
        }
    }
    route
}

/// Edition 1.0.0's props: `region`, `service`, `function`, `triggers`, `customDomains`.
fn v1_component(
    r: &Reader,
    read: &mut Read,
    component: &mut Component,
    index: usize,
    props: NodeId,
) {
    let mut region = None;
    let (mut service_entry, mut function_entry, mut triggers_entry, mut domains_entry) =
        (None, None, None, None);
    for (key, entry) in r.entries(props) {
        match key {
            "region" => first(&mut region, || {
                r.field("region", entry, r.string(entry.value))
            }),
            "service" => first(&mut service_entry, || entry),
            "function" => first(&mut function_entry, || entry),
            "triggers" => first(&mut triggers_entry, || entry),
            "customDomains" => first(&mut domains_entry, || entry),
            _ => {}
        }
    }
    let service_index = service_entry.map(|entry| {
        let mut service = v1_service(r, entry);
        service.region = region.clone();
        read.services.push(service);
        read.services.len() - 1
    });
    component.service = service_index;
    if let Some(entry) = function_entry {
        let mut f = Function::new(
            Origin::Fc {
                component: index,
                service: service_index,
            },
            r.span(entry.key),
        );
        f.region = region.clone();
        let value = r.mapping(entry.value);
        if let Value::Literal(map, _) = value {
            v1_function(r, map, &mut f);
        }
        f.properties = Some(r.field("function", entry, value.map(|_| ())));
        if let Some(entry) = triggers_entry {
            f.triggers = Some(r.field(
                "triggers",
                entry,
                r.list(entry.value).map(|items| {
                    items
                        .iter()
                        .map(|&item| triggers::devs_trigger(r, item, Edition::V1))
                        .collect()
                }),
            ));
        }
        read.functions.push(f);
        component.function = Some(read.functions.len() - 1);
    }
    if let Some(entry) = domains_entry
        && let Value::Literal(items, _) = r.list(entry.value)
    {
        for &item in items {
            let Value::Literal(map, _) = r.mapping(item) else {
                continue;
            };
            read.custom_domains
                .push(v1_domain(r, item, map, component.function));
        }
    }
}

fn v1_service(r: &Reader, entry: Entry) -> Service {
    let mut service = Service::new(r.span(entry.key));
    let value = r.mapping(entry.value);
    if let Value::Literal(map, _) = value {
        for (key, entry) in r.entries(map) {
            match key {
                "name" => first(&mut service.name, || {
                    r.field("name", entry, r.string(entry.value))
                }),
                "description" => first(&mut service.description, || {
                    r.field("description", entry, r.string(entry.value))
                }),
                "role" if r.mapping(entry.value).literal().is_none() => {
                    first(&mut service.role, || {
                        r.field("role", entry, r.string(entry.value))
                    })
                }
                "internetAccess" => first(&mut service.internet_access, || {
                    r.field("internetAccess", entry, r.boolean(entry.value))
                }),
                "logConfig" => first(&mut service.log_config, || {
                    r.section_or_auto(
                        "logConfig",
                        entry,
                        v1_auto,
                        || LogConfig::Auto,
                        |map| sections::log_config(r, map, Spelling::Camel),
                    )
                }),
                "vpcConfig" => first(&mut service.vpc_config, || {
                    r.section_or_auto(
                        "vpcConfig",
                        entry,
                        v1_auto,
                        || VpcConfig::Auto,
                        |map| sections::vpc_config(r, map, Spelling::Camel),
                    )
                }),
                "nasConfig" => first(&mut service.nas_config, || {
                    r.section_or_auto(
                        "nasConfig",
                        entry,
                        v1_nas_auto,
                        || NasConfig::Auto,
                        |map| sections::nas_config(r, map, Spelling::Camel),
                    )
                }),
                key if V1_SERVICE.contains(&key) => service.untyped.push(r.raw_key(key, entry)),
                key => service.unknown.push(r.raw_key(key, entry)),
            }
        }
    }
    service.properties = Some(r.field("service", entry, value.map(|_| ())));
    service
}

fn v1_function(r: &Reader, map: NodeId, f: &mut Function) {
    let mut initializer = None;
    let mut initialization_timeout = None;
    let mut oss_bucket = None;
    let mut oss_key: Option<(Entry, Field<String>)> = None;
    for (key, entry) in r.entries(map) {
        let string = |name| r.field(name, entry, r.string(entry.value));
        let integer = |name| r.field(name, entry, r.integer(entry.value));
        match key {
            "name" => first(&mut f.name, || string("name")),
            "description" => first(&mut f.description, || string("description")),
            "runtime" => first(&mut f.runtime, || string("runtime")),
            "handler" => first(&mut f.handler, || string("handler")),
            "codeUri" => first_boxed(&mut f.code, || v1_code(r, entry)),
            "ossBucket" => first(&mut oss_bucket, || string("ossBucket")),
            "ossKey" => first(&mut oss_key, || (entry, string("ossKey"))),
            "caPort" => first(&mut f.ca_port, || integer("caPort")),
            "cpu" => first(&mut f.cpu, || r.field("cpu", entry, r.float(entry.value))),
            "diskSize" => first(&mut f.disk_size, || integer("diskSize")),
            "initializer" => first(&mut initializer, || string("initializer")),
            "initializationTimeout" => first(&mut initialization_timeout, || {
                integer("initializationTimeout")
            }),
            "memorySize" => first(&mut f.memory_size, || integer("memorySize")),
            "timeout" => first(&mut f.timeout, || integer("timeout")),
            "instanceConcurrency" => first(&mut f.instance_concurrency, || {
                integer("instanceConcurrency")
            }),
            "instanceType" => first(&mut f.instance_type, || string("instanceType")),
            "environmentVariables" => first(&mut f.environment_variables, || {
                sections::environment(r, "environmentVariables", entry)
            }),
            "customRuntimeConfig" => first_boxed(&mut f.custom_runtime_config, || {
                r.section("customRuntimeConfig", entry, |map| {
                    sections::custom_runtime_config(r, map)
                })
            }),
            "customContainerConfig" => first_boxed(&mut f.custom_container_config, || {
                r.section("customContainerConfig", entry, |map| v1_container(r, map))
            }),
            "instanceLifecycleConfig" => first_boxed(&mut f.instance_lifecycle_config, || {
                r.section("instanceLifecycleConfig", entry, |map| v1_lifecycle(r, map))
            }),
            "layers" => first(&mut f.layers, || {
                r.field("layers", entry, r.strings(entry.value))
            }),
            key if V1_FUNCTION.contains(&key) => f.untyped.push(r.raw_key(key, entry)),
            key => f.unknown.push(r.raw_key(key, entry)),
        }
    }
    if f.code.is_none()
        && let Some((entry, object)) = oss_key
    {
        let span = object.span();
        f.code = Some(Box::new(Field {
            name: "ossKey",
            key: r.span(entry.key),
            value: Value::Literal(
                Code::Oss {
                    bucket: oss_bucket,
                    object: Some(object),
                },
                span,
            ),
        }));
    }
    f.initializer = sections::fc2_initializer(initializer, initialization_timeout).map(Box::new);
}

/// 1.0.0's `codeUri`: a path, or `{src, excludes, includes}`.
fn v1_code(r: &Reader, entry: Entry) -> Field<Code> {
    let value = match r.mapping(entry.value) {
        Value::Literal(map, span) => {
            let mut src = None;
            let (mut untyped, mut unknown) = (Vec::new(), Vec::new());
            for (key, entry) in r.entries(map) {
                match key {
                    "src" => first(&mut src, || r.field("src", entry, r.string(entry.value))),
                    "excludes" | "includes" => untyped.push(r.raw_key(key, entry)),
                    key => unknown.push(r.raw_key(key, entry)),
                }
            }
            Value::Literal(
                Code::Source {
                    src,
                    untyped,
                    unknown,
                },
                span,
            )
        }
        _ => r.string(entry.value).map(Code::Path),
    };
    r.field("codeUri", entry, value)
}

/// 1.0.0's container config: FC 2.0 names, `command` and `args` as JSON lists in strings.
fn v1_container(r: &Reader, map: NodeId) -> CustomContainerConfig {
    let mut config = CustomContainerConfig::default();
    for (key, entry) in r.entries(map) {
        match key {
            "image" => first(&mut config.image, || {
                r.field("image", entry, r.string(entry.value))
            }),
            "command" => first(&mut config.entrypoint, || {
                r.field("command", entry, sections::json_strings(r, entry.value))
            }),
            "args" => first(&mut config.command, || {
                r.field("args", entry, sections::json_strings(r, entry.value))
            }),
            "accelerationType" | "instanceID" | "webServerMode" => {
                config.untyped.push(r.raw_key(key, entry))
            }
            key => config.unknown.push(r.raw_key(key, entry)),
        }
    }
    config
}

fn v1_lifecycle(r: &Reader, map: NodeId) -> InstanceLifecycleConfig {
    let mut config = InstanceLifecycleConfig::default();
    for (key, entry) in r.entries(map) {
        match key {
            "preStop" => first(&mut config.pre_stop, || {
                r.section("preStop", entry, |map| sections::hook(r, map, false))
            }),
            "preFreeze" => first(&mut config.pre_freeze, || {
                r.section("preFreeze", entry, |map| sections::hook(r, map, false))
            }),
            key => config.unknown.push(r.raw_key(key, entry)),
        }
    }
    config
}

fn v1_domain(r: &Reader, item: NodeId, map: NodeId, function: Option<usize>) -> CustomDomain {
    let mut domain = CustomDomain {
        declared: r.span(item),
        domain_name: None,
        protocol: None,
        routes: None,
        function,
        untyped: Vec::new(),
        unknown: Vec::new(),
    };
    for (key, entry) in r.entries(map) {
        match key {
            "domainName" => first(&mut domain.domain_name, || {
                r.field("domainName", entry, r.string(entry.value))
            }),
            "protocol" => first(&mut domain.protocol, || {
                r.field("protocol", entry, r.string(entry.value))
            }),
            "routeConfigs" => first(&mut domain.routes, || {
                r.field("routeConfigs", entry, route_list(r, entry.value))
            }),
            "certConfig" | "certId" | "tlsConfig" | "wafConfig" => {
                domain.untyped.push(r.raw_key(key, entry))
            }
            key => domain.unknown.push(r.raw_key(key, entry)),
        }
    }
    domain
}
