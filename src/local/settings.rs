//! How FC would run a function, read from its deployment template: memory, timeout, initializer,
//! environment, port. Flags override what the template says; without a template FC's defaults apply.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, Result};
use crate::project::Function;

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub function_name: String,
    pub service_name: String,
    pub handler: String,
    pub memory_mb: u64,
    pub timeout_s: f64,
    /// The initializer handler, when the function has one.
    pub initializer: Option<String>,
    pub initialization_timeout_s: f64,
    pub environment: BTreeMap<String, String>,
    /// The port the template says the function listens on (CAPort / customRuntimeConfig.port).
    pub port: Option<u16>,
    pub region: String,
    /// Where the settings came from, for the user.
    pub source: Option<PathBuf>,
}

impl Settings {
    /// FC's defaults for a function no template describes.
    pub fn defaults(function: &Function) -> Self {
        Self {
            function_name: function.name.clone(),
            service_name: "local".into(),
            handler: "index.handler".into(),
            memory_mb: 128,
            timeout_s: 3.0,
            initializer: None,
            initialization_timeout_s: 3.0,
            environment: BTreeMap::new(),
            port: None,
            region: "cn-hangzhou".into(),
            source: None,
        }
    }
}

/// The function's settings from a template, or `None` when the template does not describe it.
pub fn load(function: &Function, path: &Path) -> Result<Option<Settings>> {
    let mut settings = Settings::defaults(function);
    let text = std::fs::read_to_string(path).map_err(|e| Error::io("read", path, e))?;
    let document = crate::check::read_yaml(&text).ok_or_else(|| {
        Error::config(format!("{} is not valid YAML", path.display()))
            .help("run `cargo fc check` for the exact position")
    })?;
    let found = if document.get("ROSTemplateFormatVersion").is_some()
        || document.get("Resources").is_some()
    {
        fun_function(&document, &function.name, &mut settings)
    } else if document.get("resources").is_some() {
        fc3_function(&document, &function.name, &mut settings)
    } else if document.get("services").is_some() {
        fc_v1_function(&document, &function.name, &mut settings)
    } else {
        return Err(Error::config(format!(
            "{} is neither a Fun template.yml nor a Serverless Devs s.yaml",
            path.display()
        ))
        .help("a template.yml starts with ROSTemplateFormatVersion; an s.yaml has `resources:` (edition 3.0.0) or `services:` (1.0.0)"));
    };
    if !found {
        return Ok(None);
    }
    settings.source = Some(path.to_path_buf());
    Ok(Some(settings))
}

fn number(value: Option<&Value>) -> Option<f64> {
    match value? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn environment(value: Option<&Value>) -> BTreeMap<String, String> {
    value
        .and_then(Value::as_object)
        .map(|map| {
            map.iter()
                .filter_map(|(k, v)| Some((k.clone(), text(Some(v))?)))
                .collect()
        })
        .unwrap_or_default()
}

/// Fills `settings` from a function's properties, given the names this format uses.
struct Keys {
    handler: &'static str,
    memory: &'static str,
    timeout: &'static str,
    environment: &'static str,
}

const FUN_KEYS: Keys = Keys {
    handler: "Handler",
    memory: "MemorySize",
    timeout: "Timeout",
    environment: "EnvironmentVariables",
};

/// Both Serverless Devs editions name them alike.
const DEVS_KEYS: Keys = Keys {
    handler: "handler",
    memory: "memorySize",
    timeout: "timeout",
    environment: "environmentVariables",
};

fn common(props: &Value, keys: &Keys, settings: &mut Settings) {
    if let Some(handler) = text(props.get(keys.handler)) {
        settings.handler = handler;
    }
    if let Some(memory) = number(props.get(keys.memory)) {
        settings.memory_mb = memory as u64;
    }
    if let Some(timeout) = number(props.get(keys.timeout)) {
        settings.timeout_s = timeout;
    }
    settings.environment = environment(props.get(keys.environment));
}

/// docs/platform.md#template-formats — functions nest inside services under Resources.
fn fun_function(document: &Value, name: &str, settings: &mut Settings) -> bool {
    let Some(resources) = document.get("Resources").and_then(Value::as_object) else {
        return false;
    };
    for (service_name, service) in resources {
        let Some(service) = service.as_object() else {
            continue;
        };
        let Some(function) = service.get(name) else {
            continue;
        };
        if function.get("Type").and_then(Value::as_str) != Some("Aliyun::Serverless::Function") {
            continue;
        }
        let props = function.get("Properties").cloned().unwrap_or(Value::Null);
        settings.service_name = service_name.clone();
        common(&props, &FUN_KEYS, settings);
        settings.initializer = text(props.get("Initializer"));
        if let Some(t) = number(props.get("InitializationTimeout")) {
            settings.initialization_timeout_s = t;
        }
        settings.port = number(props.get("CAPort")).map(|p| p as u16);
        return true;
    }
    false
}

/// docs/platform.md#template-formats: `resources.<key>.props`, named by `functionName`.
fn fc3_function(document: &Value, name: &str, settings: &mut Settings) -> bool {
    let Some(resources) = document.get("resources").and_then(Value::as_object) else {
        return false;
    };
    for (key, resource) in resources {
        let Some(props) = resource.get("props") else {
            continue;
        };
        let function_name = text(props.get("functionName")).unwrap_or_else(|| key.clone());
        if function_name != name {
            continue;
        }
        common(props, &DEVS_KEYS, settings);
        if let Some(region) = text(props.get("region")) {
            settings.region = region;
        }
        // FC3 has no services; the header FC3 sends is empty.
        settings.service_name = String::new();
        let initializer = props.pointer("/instanceLifecycleConfig/initializer");
        settings.initializer = initializer.and_then(|i| text(i.get("handler")));
        if let Some(t) = initializer.and_then(|i| number(i.get("timeout"))) {
            settings.initialization_timeout_s = t;
        }
        settings.port = number(props.pointer("/customRuntimeConfig/port")).map(|p| p as u16);
        return true;
    }
    false
}

/// docs/platform.md#template-formats: the older `edition: 1.0.0` fc component — `services.<key>.props.function`.
fn fc_v1_function(document: &Value, name: &str, settings: &mut Settings) -> bool {
    let Some(services) = document.get("services").and_then(Value::as_object) else {
        return false;
    };
    for service in services.values() {
        let Some(props) = service.get("props") else {
            continue;
        };
        let Some(function) = props.get("function") else {
            continue;
        };
        if text(function.get("name")).as_deref() != Some(name) {
            continue;
        }
        common(function, &DEVS_KEYS, settings);
        if let Some(region) = text(props.get("region")) {
            settings.region = region;
        }
        if let Some(service_name) = props.pointer("/service/name").and_then(|n| text(Some(n))) {
            settings.service_name = service_name;
        }
        settings.initializer = text(function.get("initializer"));
        if let Some(t) = number(function.get("initializationTimeout")) {
            settings.initialization_timeout_s = t;
        }
        settings.port = number(function.get("caPort")).map(|p| p as u16);
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::Runtime;
    use crate::project::{FcConfig, FunctionNames};

    fn function(name: &str) -> Function {
        Function {
            package: name.into(),
            package_id: name.into(),
            bin: name.into(),
            name: name.into(),
            version: "0.1.0".into(),
            manifest_path: "Cargo.toml".into(),
            package_dir: ".".into(),
            config: FcConfig {
                include_at: None,
                runtime: Runtime::default_runtime(),
                builder: None,
                image: None,
                include: Vec::new(),
                function: FunctionNames::BinNames,
                template: None,
                base: None,
            },
        }
    }

    fn load_text(name: &str, text: &str) -> Result<Option<Settings>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.yml");
        std::fs::write(&path, text).unwrap();
        load(&function(name), &path)
    }

    #[test]
    fn fun_templates_give_memory_timeout_initializer_and_environment() {
        let settings = load_text(
            "hello",
            "ROSTemplateFormatVersion: '2015-09-01'\nTransform: 'Aliyun::Serverless-2018-04-03'\nResources:\n  svc:\n    Type: 'Aliyun::Serverless::Service'\n    hello:\n      Type: 'Aliyun::Serverless::Function'\n      Properties:\n        Handler: index.handler\n        Runtime: custom\n        CodeUri: ./target/fc/hello.zip\n        MemorySize: 512\n        Timeout: 7\n        Initializer: index.init\n        InitializationTimeout: 4\n        CAPort: 9001\n        EnvironmentVariables: { RUST_LOG: debug, N: 3 }\n",
        )
        .unwrap()
        .unwrap();
        assert_eq!(settings.memory_mb, 512);
        assert_eq!(settings.timeout_s, 7.0);
        assert_eq!(settings.initializer.as_deref(), Some("index.init"));
        assert_eq!(settings.initialization_timeout_s, 4.0);
        assert_eq!(settings.port, Some(9001));
        assert_eq!(settings.service_name, "svc");
        assert_eq!(settings.environment["RUST_LOG"], "debug");
        assert_eq!(settings.environment["N"], "3");
    }

    #[test]
    fn serverless_devs_templates_of_both_editions_are_read() {
        let fc3 = load_text(
            "hello",
            "edition: 3.0.0\nname: app\nresources:\n  hello:\n    component: fc3\n    props:\n      region: cn-shanghai\n      functionName: hello\n      runtime: custom\n      code: ./target/fc/hello.zip\n      memorySize: 256\n      timeout: 9\n      customRuntimeConfig: { command: ['/code/bootstrap'], port: 9000 }\n      instanceLifecycleConfig:\n        initializer: { handler: index.initializer, timeout: 5 }\n",
        )
        .unwrap()
        .unwrap();
        assert_eq!((fc3.memory_mb, fc3.timeout_s), (256, 9.0));
        assert_eq!(fc3.region, "cn-shanghai");
        assert_eq!(fc3.initializer.as_deref(), Some("index.initializer"));
        assert_eq!(fc3.initialization_timeout_s, 5.0);

        let v1 = load_text(
            "hello",
            "edition: 1.0.0\nservices:\n  app:\n    component: fc\n    props:\n      region: cn-beijing\n      service: { name: svc }\n      function: { name: hello, runtime: custom, codeUri: ./target/fc/hello.zip, handler: index.handler, memorySize: 1024, timeout: 60, caPort: 9000 }\n",
        )
        .unwrap()
        .unwrap();
        assert_eq!((v1.memory_mb, v1.timeout_s), (1024, 60.0));
        assert_eq!(v1.service_name, "svc");
        assert_eq!(v1.region, "cn-beijing");
    }

    #[test]
    fn a_template_without_the_function_gives_nothing_and_bad_yaml_is_an_error() {
        assert_eq!(
            load_text("other", "edition: 3.0.0\nresources: {}\n").unwrap(),
            None
        );
        let error = load_text("x", "a: [1, 2\n").unwrap_err();
        assert!(error.to_string().contains("is not valid YAML"), "{error}");
    }
}
