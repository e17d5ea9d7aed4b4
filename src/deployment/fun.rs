//! Fun's `template.yml` (Transform `Aliyun::Serverless-2018-04-03`) read into the model.
//!
//! Layout: `Resources` maps names to resources; a service (`Aliyun::Serverless::Service`) holds
//! its functions as nested entries; a function's settings are its `Properties`, its triggers its
//! `Events`. Fun's schema (its `rosSchema`) is closed almost everywhere: keys it does not define
//! are kept as unknown, for `check` to report.

use super::model::{
    Code, CustomContainerConfig, CustomDomain, FunLayout, FunResource, FunResourceKind, Function,
    InstanceLifecycleConfig, LifecycleHook, LogConfig, NasConfig, Origin, Route, Service,
    VpcConfig,
};
use super::read::{Reader, Spelling, first, first_boxed};
use super::value::{Field, NodeId, Value};
use super::yaml::Style;
use super::{sections, triggers};

pub const FORMAT_VERSION: &str = "2015-09-01";
pub const TRANSFORM: &str = "Aliyun::Serverless-2018-04-03";

pub const SERVICE: &str = "Aliyun::Serverless::Service";
pub const FUNCTION: &str = "Aliyun::Serverless::Function";
pub const CUSTOM_DOMAIN: &str = "Aliyun::Serverless::CustomDomain";
/// The top-level resource types Fun's schema knows.
pub const RESOURCE_TYPES: &[&str] = &[
    SERVICE,
    "Aliyun::Serverless::Api",
    "Aliyun::Serverless::TableStore",
    "Aliyun::Serverless::Log",
    CUSTOM_DOMAIN,
    "Aliyun::Serverless::MNSTopic",
    "Aliyun::Serverless::Flow",
];

/// The ROS resource types Fun's schema takes besides its own (`fun deploy --use-ros` hands them
/// to ROS): one file each under `src/lib/language-service/schema/ros/` of alibaba/funcraft,
/// sorted.
pub const ROS_RESOURCE_TYPES: &[&str] = &[
    "ALIYUN::ACTIONTRAIL::Trail",
    "ALIYUN::ACTIONTRAIL::TrailLogging",
    "ALIYUN::ARMS::AlertContact",
    "ALIYUN::ARMS::AlertContactGroup",
    "ALIYUN::ARMS::RetcodeApp",
    "ALIYUN::ApiGateway::Api",
    "ALIYUN::ApiGateway::App",
    "ALIYUN::ApiGateway::Authorization",
    "ALIYUN::ApiGateway::CustomDomain",
    "ALIYUN::ApiGateway::Deployment",
    "ALIYUN::ApiGateway::Group",
    "ALIYUN::ApiGateway::Signature",
    "ALIYUN::ApiGateway::SignatureBinding",
    "ALIYUN::ApiGateway::StageConfig",
    "ALIYUN::ApiGateway::TrafficControl",
    "ALIYUN::ApiGateway::TrafficControlBinding",
    "ALIYUN::ApiGateway::VpcAccessConfig",
    "ALIYUN::BSS::WaitOrder",
    "ALIYUN::CAS::Certificate",
    "ALIYUN::CDN::Domain",
    "ALIYUN::CDN::DomainConfig",
    "ALIYUN::CEN::CenBandwidthLimit",
    "ALIYUN::CEN::CenBandwidthPackage",
    "ALIYUN::CEN::CenBandwidthPackageAssociation",
    "ALIYUN::CEN::CenInstance",
    "ALIYUN::CEN::CenInstanceAttachment",
    "ALIYUN::CEN::RouteEntry",
    "ALIYUN::CLOUDFW::AddressBook",
    "ALIYUN::CLOUDFW::ControlPolicy",
    "ALIYUN::CMS::EventRule",
    "ALIYUN::CMS::EventRuleTargets",
    "ALIYUN::CMS::MonitorGroup",
    "ALIYUN::CR::Namespace",
    "ALIYUN::CR::Repository",
    "ALIYUN::CS::KubernetesCluster",
    "ALIYUN::CS::ManagedKubernetesCluster",
    "ALIYUN::DATAHUB::Project",
    "ALIYUN::DATAHUB::Topic",
    "ALIYUN::DNS::Domain",
    "ALIYUN::DNS::DomainGroup",
    "ALIYUN::DNS::DomainRecord",
    "ALIYUN::DRDS::DrdsInstance",
    "ALIYUN::DTS::MigrationJob",
    "ALIYUN::DTS::SynchronizationJob",
    "ALIYUN::ECI::ContainerGroup",
    "ALIYUN::ECI::ImageCache",
    "ALIYUN::ECS::AssignIpv6Addresses",
    "ALIYUN::ECS::AssignPrivateIpAddresses",
    "ALIYUN::ECS::AutoProvisioningGroup",
    "ALIYUN::ECS::AutoSnapshotPolicy",
    "ALIYUN::ECS::BandwidthPackage",
    "ALIYUN::ECS::Command",
    "ALIYUN::ECS::CopyImage",
    "ALIYUN::ECS::CustomImage",
    "ALIYUN::ECS::DedicatedHost",
    "ALIYUN::ECS::DeploymentSet",
    "ALIYUN::ECS::Disk",
    "ALIYUN::ECS::DiskAttachment",
    "ALIYUN::ECS::ForwardEntry",
    "ALIYUN::ECS::HpcCluster",
    "ALIYUN::ECS::Instance",
    "ALIYUN::ECS::InstanceClone",
    "ALIYUN::ECS::InstanceGroup",
    "ALIYUN::ECS::InstanceGroupClone",
    "ALIYUN::ECS::Invocation",
    "ALIYUN::ECS::JoinSecurityGroup",
    "ALIYUN::ECS::LaunchTemplate",
    "ALIYUN::ECS::NatGateway",
    "ALIYUN::ECS::NetworkInterface",
    "ALIYUN::ECS::NetworkInterfaceAttachment",
    "ALIYUN::ECS::NetworkInterfacePermission",
    "ALIYUN::ECS::PrepayInstance",
    "ALIYUN::ECS::PrepayInstanceGroupClone",
    "ALIYUN::ECS::Route",
    "ALIYUN::ECS::SNatEntry",
    "ALIYUN::ECS::SSHKeyPair",
    "ALIYUN::ECS::SSHKeyPairAttachment",
    "ALIYUN::ECS::SecurityGroup",
    "ALIYUN::ECS::SecurityGroupClone",
    "ALIYUN::ECS::SecurityGroupEgress",
    "ALIYUN::ECS::SecurityGroupIngress",
    "ALIYUN::ECS::Snapshot",
    "ALIYUN::ECS::VPC",
    "ALIYUN::ECS::VSwitch",
    "ALIYUN::EDAS::Application",
    "ALIYUN::EDAS::Cluster",
    "ALIYUN::EDAS::ClusterMember",
    "ALIYUN::EDAS::DeployGroup",
    "ALIYUN::EDAS::UserDefineRegion",
    "ALIYUN::EHPC::Cluster",
    "ALIYUN::EMR::Cluster",
    "ALIYUN::ESS::AlarmTask",
    "ALIYUN::ESS::AlarmTaskEnable",
    "ALIYUN::ESS::LifecycleHook",
    "ALIYUN::ESS::ScalingConfiguration",
    "ALIYUN::ESS::ScalingGroup",
    "ALIYUN::ESS::ScalingGroupEnable",
    "ALIYUN::ESS::ScalingRule",
    "ALIYUN::ESS::ScheduledTask",
    "ALIYUN::ElasticSearch::Instance",
    "ALIYUN::FC::Alias",
    "ALIYUN::FC::CustomDomain",
    "ALIYUN::FC::Function",
    "ALIYUN::FC::FunctionInvoker",
    "ALIYUN::FC::Service",
    "ALIYUN::FC::Trigger",
    "ALIYUN::FC::Version",
    "ALIYUN::FNF::Flow",
    "ALIYUN::FOAS::Cluster",
    "ALIYUN::FOAS::Project",
    "ALIYUN::IOT::Device",
    "ALIYUN::IOT::DeviceGroup",
    "ALIYUN::IOT::Product",
    "ALIYUN::KAFKA::Topic",
    "ALIYUN::KMS::Alias",
    "ALIYUN::KMS::Key",
    "ALIYUN::MEMCACHE::Instance",
    "ALIYUN::MNS::Queue",
    "ALIYUN::MNS::Subscription",
    "ALIYUN::MNS::Topic",
    "ALIYUN::MONGODB::Instance",
    "ALIYUN::MarketPlace::Order",
    "ALIYUN::NAS::AccessGroup",
    "ALIYUN::NAS::AccessRule",
    "ALIYUN::NAS::FileSystem",
    "ALIYUN::NAS::MountTarget",
    "ALIYUN::OOS::Execution",
    "ALIYUN::OOS::Template",
    "ALIYUN::OSS::Bucket",
    "ALIYUN::OTS::Instance",
    "ALIYUN::OTS::Table",
    "ALIYUN::OTS::VpcBinder",
    "ALIYUN::POLARDB::Account",
    "ALIYUN::POLARDB::AccountPrivilege",
    "ALIYUN::POLARDB::DBCluster",
    "ALIYUN::POLARDB::DBClusterAccessWhiteList",
    "ALIYUN::POLARDB::DBClusterEndpoint",
    "ALIYUN::POLARDB::DBClusterEndpointAddress",
    "ALIYUN::POLARDB::DBInstance",
    "ALIYUN::POLARDB::DBNodes",
    "ALIYUN::PVTZ::Zone",
    "ALIYUN::PVTZ::ZoneRecord",
    "ALIYUN::PVTZ::ZoneVpcBinder",
    "ALIYUN::RAM::AccessKey",
    "ALIYUN::RAM::AttachPolicyToRole",
    "ALIYUN::RAM::AttachPolicyToUser",
    "ALIYUN::RAM::Group",
    "ALIYUN::RAM::ManagedPolicy",
    "ALIYUN::RAM::Role",
    "ALIYUN::RAM::User",
    "ALIYUN::RAM::UserToGroupAddition",
    "ALIYUN::RDS::Account",
    "ALIYUN::RDS::AccountPrivilege",
    "ALIYUN::RDS::DBInstance",
    "ALIYUN::RDS::DBInstanceParameterGroup",
    "ALIYUN::RDS::DBInstanceSecurityIps",
    "ALIYUN::RDS::PrepayDBInstance",
    "ALIYUN::RDS::ReadOnlyDBInstance",
    "ALIYUN::REDIS::Account",
    "ALIYUN::REDIS::Instance",
    "ALIYUN::REDIS::PrepayInstance",
    "ALIYUN::REDIS::Whitelist",
    "ALIYUN::ROCKETMQ::Group",
    "ALIYUN::ROCKETMQ::Instance",
    "ALIYUN::ROCKETMQ::Topic",
    "ALIYUN::ROS::CustomResource",
    "ALIYUN::ROS::Stack",
    "ALIYUN::ROS::WaitCondition",
    "ALIYUN::ROS::WaitConditionHandle",
    "ALIYUN::SAG::ACL",
    "ALIYUN::SAG::ACLAssociation",
    "ALIYUN::SAG::ACLRule",
    "ALIYUN::SAG::CloudConnectNetwork",
    "ALIYUN::SAG::GrantCcnToCen",
    "ALIYUN::SAG::SmartAccessGatewayBinding",
    "ALIYUN::SLB::AccessControl",
    "ALIYUN::SLB::BackendServerAttachment",
    "ALIYUN::SLB::BackendServerToVServerGroupAddition",
    "ALIYUN::SLB::Certificate",
    "ALIYUN::SLB::DomainExtension",
    "ALIYUN::SLB::Listener",
    "ALIYUN::SLB::LoadBalancer",
    "ALIYUN::SLB::LoadBalancerClone",
    "ALIYUN::SLB::MasterSlaveServerGroup",
    "ALIYUN::SLB::Rule",
    "ALIYUN::SLB::VServerGroup",
    "ALIYUN::SLS::ApplyConfigToMachineGroup",
    "ALIYUN::SLS::Index",
    "ALIYUN::SLS::Logstore",
    "ALIYUN::SLS::LogtailConfig",
    "ALIYUN::SLS::MachineGroup",
    "ALIYUN::SLS::Project",
    "ALIYUN::UIS::Uis",
    "ALIYUN::UIS::UisConnection",
    "ALIYUN::UIS::UisNode",
    "ALIYUN::VPC::CommonBandwidthPackage",
    "ALIYUN::VPC::CommonBandwidthPackageIp",
    "ALIYUN::VPC::CustomerGateway",
    "ALIYUN::VPC::EIP",
    "ALIYUN::VPC::EIPAssociation",
    "ALIYUN::VPC::PeeringRouterInterfaceBinding",
    "ALIYUN::VPC::PeeringRouterInterfaceConnection",
    "ALIYUN::VPC::RouteTable",
    "ALIYUN::VPC::RouteTableAssociation",
    "ALIYUN::VPC::RouterInterface",
    "ALIYUN::VPC::SnatEntry",
    "ALIYUN::VPC::SslVpnClientCert",
    "ALIYUN::VPC::SslVpnServer",
    "ALIYUN::VPC::VpnConnection",
    "ALIYUN::VPC::VpnGateway",
    "ALIYUN::VS::Group",
    "ALIYUN::WAF::AclRule",
    "ALIYUN::WAF::DomainConfig",
    "ALIYUN::WAF::WafSwitch",
];

/// Whether Fun's schema takes `kind` as a top-level resource type.
pub fn is_resource_type(kind: &str) -> bool {
    RESOURCE_TYPES.contains(&kind) || ROS_RESOURCE_TYPES.binary_search(&kind).is_ok()
}

pub const TOP_KEYS: &[&str] = &[
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

pub const SERVICE_PROPERTIES: &[&str] = &[
    "Description",
    "Role",
    "Policies",
    "InternetAccess",
    "VpcConfig",
    "LogConfig",
    "NasConfig",
    "TracingConfig",
];

/// Keys of a service entry besides its functions.
const SERVICE_KEYS: &[&str] = &["Type", "Properties", "DependsOn"];

pub const FUNCTION_KEYS: &[&str] = &["Type", "Properties", "Events"];

pub const FUNCTION_PROPERTIES: &[&str] = &[
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

pub const HOOKS: &[&str] = &["PreStop", "PreFreeze"];
pub const HOOK_KEYS: &[&str] = &["Handler", "Timeout"];

pub const EVENT_TYPES: &[&str] = &[
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
pub const EVENT_KEYS: &[&str] = &["Type", "Properties"];
/// docs/platform.md#template-formats. Fun accepts both spellings.
pub const AUTH_TYPES: &[&str] = &["ANONYMOUS", "FUNCTION", "anonymous", "function"];
pub const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "HEAD"];

/// What the Fun reader produces besides the layout.
#[derive(Default)]
pub(super) struct Read {
    pub layout: FunLayout,
    pub services: Vec<Service>,
    pub functions: Vec<Function>,
    pub custom_domains: Vec<CustomDomain>,
}

pub(super) fn read(r: &Reader, root: NodeId) -> Read {
    let mut out = Read::default();
    let mut resources = None;
    for (key, entry) in r.entries(root) {
        match key {
            "ROSTemplateFormatVersion" => first(&mut out.layout.format_version, || {
                out.layout.format_version_plain = r.doc.node(entry.value).style == Style::Plain;
                r.field("ROSTemplateFormatVersion", entry, r.string(entry.value))
            }),
            "Transform" => first(&mut out.layout.transform, || {
                r.field("Transform", entry, r.string(entry.value))
            }),
            "Resources" => {
                if resources.is_none() {
                    let value = r.mapping(entry.value);
                    resources = value.literal().copied();
                    out.layout.resources = Some(r.field("Resources", entry, value.map(|_| ())));
                }
            }
            key if TOP_KEYS.contains(&key) => {}
            key => out.layout.unknown.push(r.raw_key(key, entry)),
        }
    }
    if let Some(resources) = resources {
        for (name, entry) in r.entries(resources) {
            let resource = read_resource(r, &mut out, name, entry.key, entry.value, true);
            out.layout.entries.push(resource);
        }
    }
    out
}

/// One resource entry: its type decides what it becomes in the model.
fn read_resource(
    r: &Reader,
    out: &mut Read,
    name: &str,
    key: NodeId,
    value: NodeId,
    top_level: bool,
) -> FunResource {
    let mapping = r.mapping(value);
    let map = mapping.literal().copied();
    let resource_type = map
        .and_then(|map| r.get(map, "Type"))
        .map(|entry| r.field("Type", entry, r.string(entry.value)));
    let mut resource = FunResource {
        name: name.to_string(),
        key: r.span(key),
        value: mapping.map(|_| ()),
        resource_type,
        kind: FunResourceKind::Unknown,
        nested: Vec::new(),
    };
    let (Some(map), Some(kind)) = (
        map,
        resource
            .resource_type
            .as_ref()
            .and_then(|t| t.as_str().map(str::to_string)),
    ) else {
        return resource;
    };
    resource.kind = match kind.as_str() {
        SERVICE if top_level => {
            let index = service(r, out, &mut resource, key, map);
            FunResourceKind::Service(index)
        }
        FUNCTION if !top_level => FunResourceKind::Function(usize::MAX),
        CUSTOM_DOMAIN if top_level => {
            out.custom_domains.push(custom_domain(r, key, map));
            FunResourceKind::CustomDomain(out.custom_domains.len() - 1)
        }
        other if top_level && is_resource_type(other) => FunResourceKind::Other,
        _ => FunResourceKind::Unknown,
    };
    resource
}

fn service(
    r: &Reader,
    out: &mut Read,
    resource: &mut FunResource,
    key: NodeId,
    map: NodeId,
) -> usize {
    let index = out.services.len();
    let mut service = Service::new(r.span(key));
    service.name = Some(Field {
        name: "",
        key: r.span(key),
        value: r.string(key),
    });
    let mut nested = Vec::new();
    for (name, entry) in r.entries(map) {
        match name {
            "Properties" => {
                if service.properties.is_none() {
                    let value = r.mapping(entry.value);
                    if let Value::Literal(properties, _) = value {
                        service_properties(r, properties, &mut service);
                    }
                    service.properties = Some(r.field("Properties", entry, value.map(|_| ())));
                }
            }
            name if SERVICE_KEYS.contains(&name) => {}
            name => nested.push((name, entry)),
        }
    }
    out.services.push(service);
    // Most nested entries are functions: growing the list would copy every function read so far.
    out.functions.reserve(nested.len());
    resource.nested.reserve(nested.len());
    for (name, entry) in nested {
        let mut child = read_resource(r, out, name, entry.key, entry.value, false);
        if child.kind == FunResourceKind::Function(usize::MAX) {
            let map = r.mapping(entry.value).literal().copied();
            let read = function(
                r,
                index,
                entry.key,
                map.expect("typed resources are mappings"),
            );
            out.functions.push(read);
            child.kind = FunResourceKind::Function(out.functions.len() - 1);
        }
        resource.nested.push(child);
    }
    index
}

fn service_properties(r: &Reader, map: NodeId, service: &mut Service) {
    for (key, entry) in r.entries(map) {
        match key {
            "Description" => first(&mut service.description, || {
                r.field("Description", entry, r.string(entry.value))
            }),
            "Role" => first(&mut service.role, || {
                r.field("Role", entry, r.string(entry.value))
            }),
            "InternetAccess" => first(&mut service.internet_access, || {
                r.field("InternetAccess", entry, r.boolean(entry.value))
            }),
            "LogConfig" => first(&mut service.log_config, || {
                r.section_or_auto(
                    "LogConfig",
                    entry,
                    fun_auto,
                    || LogConfig::Auto,
                    |map| sections::log_config(r, map, Spelling::Pascal),
                )
            }),
            "VpcConfig" => first(&mut service.vpc_config, || {
                r.section_or_auto(
                    "VpcConfig",
                    entry,
                    fun_auto,
                    || VpcConfig::Auto,
                    |map| sections::vpc_config(r, map, Spelling::Pascal),
                )
            }),
            "NasConfig" => first(&mut service.nas_config, || {
                r.section_or_auto(
                    "NasConfig",
                    entry,
                    fun_auto,
                    || NasConfig::Auto,
                    |map| sections::nas_config(r, map, Spelling::Pascal),
                )
            }),
            key if SERVICE_PROPERTIES.contains(&key) => service.untyped.push(r.raw_key(key, entry)),
            key => service.unknown.push(r.raw_key(key, entry)),
        }
    }
}

/// Fun treats exactly `Auto` as "let the tool create it" (its `isLogConfigAuto` and friends).
fn fun_auto(text: &str) -> bool {
    text == "Auto"
}

fn function(r: &Reader, service: usize, key: NodeId, map: NodeId) -> Function {
    let mut resource_type = None;
    let mut unknown = Vec::new();
    let mut properties = None;
    let mut events = None;
    for (name, entry) in r.entries(map) {
        match name {
            "Type" => first(&mut resource_type, || {
                r.field("Type", entry, r.string(entry.value))
            }),
            "Properties" => first(&mut properties, || entry),
            "Events" => first(&mut events, || entry),
            name => unknown.push(r.raw_key(name, entry)),
        }
    }
    let mut function = Function::new(
        Origin::Fun {
            service,
            resource_type,
            unknown,
        },
        r.span(key),
    );
    function.name = Some(Field {
        name: "",
        key: r.span(key),
        value: r.string(key),
    });
    if let Some(entry) = properties {
        let value = r.mapping(entry.value);
        if let Value::Literal(map, _) = value {
            function_properties(r, map, &mut function);
        }
        function.properties = Some(r.field("Properties", entry, value.map(|_| ())));
    }
    if let Some(entry) = events {
        function.triggers = Some(r.section("Events", entry, |map| {
            r.entries(map)
                .map(|(name, event)| triggers::fun_event(r, name, event))
                .collect()
        }));
    }
    function
}

fn function_properties(r: &Reader, map: NodeId, f: &mut Function) {
    let mut initializer = None;
    let mut initialization_timeout = None;
    for (key, entry) in r.entries(map) {
        let string = || r.field(key_name(key), entry, r.string(entry.value));
        let integer = || r.field(key_name(key), entry, r.integer(entry.value));
        match key {
            "Handler" => first(&mut f.handler, string),
            "Runtime" => first(&mut f.runtime, string),
            "CodeUri" => first_boxed(&mut f.code, || {
                r.field("CodeUri", entry, r.string(entry.value).map(Code::Path))
            }),
            "Initializer" => first(&mut initializer, string),
            "InitializationTimeout" => first(&mut initialization_timeout, integer),
            "Description" => first(&mut f.description, string),
            "MemorySize" => first(&mut f.memory_size, integer),
            "Timeout" => first(&mut f.timeout, integer),
            "InstanceConcurrency" => first(&mut f.instance_concurrency, integer),
            "CAPort" => first(&mut f.ca_port, integer),
            "InstanceType" => first(&mut f.instance_type, string),
            "EnvironmentVariables" => first(&mut f.environment_variables, || {
                sections::environment(r, "EnvironmentVariables", entry)
            }),
            "Layers" => first(&mut f.layers, || {
                r.field("Layers", entry, r.strings(entry.value))
            }),
            "InstanceLifecycleConfig" => first_boxed(&mut f.instance_lifecycle_config, || {
                r.section("InstanceLifecycleConfig", entry, |map| lifecycle(r, map))
            }),
            "CustomContainerConfig" => first_boxed(&mut f.custom_container_config, || {
                r.section("CustomContainerConfig", entry, |map| container(r, map))
            }),
            key if FUNCTION_PROPERTIES.contains(&key) => f.untyped.push(r.raw_key(key, entry)),
            key => f.unknown.push(r.raw_key(key, entry)),
        }
    }
    f.initializer = sections::fc2_initializer(initializer, initialization_timeout).map(Box::new);
}

/// A key of [`FUNCTION_PROPERTIES`] as the `'static` name a field carries.
fn key_name(key: &str) -> &'static str {
    FUNCTION_PROPERTIES
        .iter()
        .find(|k| **k == key)
        .copied()
        .unwrap_or("")
}

fn lifecycle(r: &Reader, map: NodeId) -> InstanceLifecycleConfig {
    let mut config = InstanceLifecycleConfig::default();
    for (key, entry) in r.entries(map) {
        match key {
            "PreStop" => first(&mut config.pre_stop, || {
                r.section("PreStop", entry, |map| hook(r, map))
            }),
            "PreFreeze" => first(&mut config.pre_freeze, || {
                r.section("PreFreeze", entry, |map| hook(r, map))
            }),
            key => config.unknown.push(r.raw_key(key, entry)),
        }
    }
    config
}

fn hook(r: &Reader, map: NodeId) -> LifecycleHook {
    let mut hook = LifecycleHook::default();
    for (key, entry) in r.entries(map) {
        match key {
            "Handler" => first(&mut hook.handler, || {
                r.field("Handler", entry, r.string(entry.value))
            }),
            "Timeout" => first(&mut hook.timeout, || {
                r.field("Timeout", entry, r.integer(entry.value))
            }),
            key => hook.unknown.push(r.raw_key(key, entry)),
        }
    }
    hook
}

/// Fun's `CustomContainerConfig`, which its schema leaves open. `Command` and `Args` are JSON
/// lists written as strings; FC 3.0 calls them `entrypoint` and `command`.
fn container(r: &Reader, map: NodeId) -> CustomContainerConfig {
    let mut config = CustomContainerConfig::default();
    for (key, entry) in r.entries(map) {
        match key {
            "Image" => first(&mut config.image, || {
                r.field("Image", entry, r.string(entry.value))
            }),
            "Command" => first(&mut config.entrypoint, || {
                r.field("Command", entry, sections::json_strings(r, entry.value))
            }),
            "Args" => first(&mut config.command, || {
                r.field("Args", entry, sections::json_strings(r, entry.value))
            }),
            key => config.untyped.push(r.raw_key(key, entry)),
        }
    }
    config
}

/// `Aliyun::Serverless::CustomDomain`: the resource key is the domain (`DomainName` may say it
/// instead), its `RouteConfig.Routes` map paths to functions.
fn custom_domain(r: &Reader, key: NodeId, map: NodeId) -> CustomDomain {
    let mut domain = CustomDomain {
        declared: r.span(key),
        domain_name: None,
        protocol: None,
        routes: None,
        function: None,
        untyped: Vec::new(),
        unknown: Vec::new(),
    };
    let properties = r.get(map, "Properties").map(|e| r.mapping(e.value));
    if let Some(Value::Literal(properties, _)) = properties {
        for (name, entry) in r.entries(properties) {
            match name {
                "DomainName" => first(&mut domain.domain_name, || {
                    r.field("DomainName", entry, r.string(entry.value))
                }),
                "Protocol" => first(&mut domain.protocol, || {
                    r.field("Protocol", entry, r.string(entry.value))
                }),
                "RouteConfig" => first(&mut domain.routes, || {
                    let routes = r
                        .mapping(entry.value)
                        .literal()
                        .and_then(|&config| r.get(config, "Routes").or(r.get(config, "routes")));
                    match routes {
                        Some(routes) => r.section("Routes", routes, |map| fun_routes(r, map)),
                        None => r.field(
                            "RouteConfig",
                            entry,
                            r.mapping(entry.value).map(|_| Vec::new()),
                        ),
                    }
                }),
                name => domain.untyped.push(r.raw_key(name, entry)),
            }
        }
    }
    if domain.domain_name.is_none() {
        domain.domain_name = Some(Field {
            name: "",
            key: r.span(key),
            value: r.string(key),
        });
    }
    domain
}

fn fun_routes(r: &Reader, map: NodeId) -> Vec<Route> {
    r.entries(map)
        .map(|(path, entry)| {
            let mut route = Route {
                declared: r.span(entry.key),
                path: Some(Field {
                    name: "",
                    key: r.span(entry.key),
                    value: Value::Literal(path.to_string(), r.span(entry.key)),
                }),
                function_name: None,
                service_name: None,
                qualifier: None,
                methods: None,
                untyped: Vec::new(),
                unknown: Vec::new(),
            };
            if let Value::Literal(target, _) = r.mapping(entry.value) {
                for (key, entry) in r.entries(target) {
                    match key {
                        "ServiceName" | "serviceName" => first(&mut route.service_name, || {
                            r.field("ServiceName", entry, r.string(entry.value))
                        }),
                        "FunctionName" | "functionName" => first(&mut route.function_name, || {
                            r.field("FunctionName", entry, r.string(entry.value))
                        }),
                        "Qualifier" | "qualifier" => first(&mut route.qualifier, || {
                            r.field("Qualifier", entry, r.string(entry.value))
                        }),
                        key => route.unknown.push(r.raw_key(key, entry)),
                    }
                }
            }
            route
        })
        .collect()
}
