//! How FC would run a function, taken from the deployment model of its template: memory,
//! timeout, initializer, environment, port, region, service. Flags override what the template
//! says; without a template FC's defaults apply.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::deployment::{
    self, Deployment, Field, Function, TemplateError, TriggerConfig, TriggerKind, Value,
};
use crate::error::Result;
use crate::platform;

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
    /// Settings the template leaves to the deploy tool (`${vars.x}` without a value, `${env(X)}`):
    /// `name (value as written)`, for a warning. FC's defaults stand in for them.
    pub computed: Vec<String>,
    /// FC's `instanceConcurrency`: how many requests one instance takes at once.
    pub instance_concurrency: usize,
    /// The function's HTTP trigger, when it has one.
    pub http: Option<HttpTrigger>,
    /// The template's custom-domain routes that lead to this function.
    pub routes: Vec<DomainRoute>,
}

/// An HTTP trigger as `local start` serves it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HttpTrigger {
    /// The methods it takes, upper case; empty takes any.
    pub methods: Vec<String>,
}

/// One route of a custom domain's route config: `path` as FC writes it (`/api/*`, `/exact`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainRoute {
    pub path: String,
    /// The methods it takes, upper case; empty takes any.
    pub methods: Vec<String>,
}

impl Settings {
    /// FC's defaults for a function no template describes.
    pub fn defaults(function: &crate::project::Function) -> Self {
        Self {
            function_name: function.name.clone(),
            service_name: "local".into(),
            handler: platform::DEFAULT_HANDLER.into(),
            memory_mb: platform::DEFAULT_MEMORY_MB,
            timeout_s: platform::DEFAULT_TIMEOUT_S,
            initializer: None,
            initialization_timeout_s: platform::DEFAULT_INITIALIZATION_TIMEOUT_S,
            environment: BTreeMap::new(),
            port: None,
            region: "cn-hangzhou".into(),
            source: None,
            computed: Vec::new(),
            instance_concurrency: 1,
            http: None,
            routes: Vec::new(),
        }
    }
}

/// The function's settings from a template, or `None` when the template does not describe it.
pub fn load(function: &crate::project::Function, path: &Path) -> Result<Option<Settings>> {
    let source = deployment::load(path)?;
    let reading = deployment::read(&source.display, &source.text);
    let Some(deployment) = &reading.deployment else {
        let problem = reading
            .diagnostics
            .iter()
            .find(|d| d.severity == deployment::Severity::Error)
            .expect("a template that is not read says why");
        return Err(TemplateError::Unreadable {
            file: source.display.clone(),
            line: problem.line,
            column: problem.column,
            problem: problem.message.clone(),
        }
        .into());
    };
    let Some(found) = deployment.function_deployed_as(&function.name) else {
        return Ok(None);
    };
    let mut settings = Settings::defaults(function);
    let mut read = Read {
        file: &source.display,
        computed: Vec::new(),
    };
    if let Some(handler) = read.value(&found.handler, |s: &String| Some(s.clone()))? {
        settings.handler = handler;
    }
    if let Some(memory) = read.value(&found.memory_size, |&n| u64::try_from(n).ok())? {
        settings.memory_mb = memory;
    }
    if let Some(timeout) = read.value(&found.timeout, |&n| Some(n as f64))? {
        settings.timeout_s = timeout;
    }
    if let Some(hook) = found.initializer() {
        settings.initializer = read.value(&hook.handler, |s: &String| Some(s.clone()))?;
        if let Some(timeout) = read.value(&hook.timeout, |&n| Some(n as f64))? {
            settings.initialization_timeout_s = timeout;
        }
    }
    settings.port = read.value(&found.port().cloned(), |&p| u16::try_from(p).ok())?;
    let service = deployment.service_of(found);
    let region = found
        .region
        .clone()
        .or_else(|| service.and_then(|s| s.region.clone()));
    if let Some(region) = read.value(&region, |s: &String| Some(s.clone()))? {
        settings.region = region;
    }
    settings.service_name = match service {
        Some(service) => read
            .value(&service.name, |s: &String| Some(s.clone()))?
            .unwrap_or(settings.service_name),
        // FC 3.0 has no services; the header FC 3.0 sends is empty.
        None if deployment.format == deployment::Format::Devs3 => String::new(),
        None => settings.service_name,
    };
    if let Some(field) = &found.environment_variables {
        for variable in field.literal().into_iter().flatten() {
            match &variable.value {
                Value::Literal(text, _) => {
                    settings
                        .environment
                        .insert(variable.name.clone(), text.clone());
                }
                Value::Computed(text, _) => read
                    .computed
                    .push(format!("environment variable {} ({text})", variable.name)),
                // Null and collections are check's to report; FC would refuse them.
                Value::Invalid(..) => {}
            }
        }
    }
    if let Some(concurrency) = read.value(&found.instance_concurrency, |&n| {
        usize::try_from(n).ok().filter(|&n| n >= 1)
    })? {
        settings.instance_concurrency = concurrency;
    }
    settings.http = http_trigger(&mut read, found)?;
    settings.routes = domain_routes(&mut read, deployment, found, &settings)?;
    settings.computed = read.computed;
    settings.source = Some(path.to_path_buf());
    Ok(Some(settings))
}

/// The function's HTTP triggers, as one: FC 3.0 allows one per function, FC 2.0 several, each
/// reached at the same paths; their methods add up.
fn http_trigger(read: &mut Read, function: &Function) -> Result<Option<HttpTrigger>> {
    let Some(triggers) = function.triggers.as_ref().and_then(Field::literal) else {
        return Ok(None);
    };
    let mut found: Option<HttpTrigger> = None;
    for trigger in triggers {
        if trigger.kind != Some(TriggerKind::Http) {
            continue;
        }
        let http = found.get_or_insert_with(HttpTrigger::default);
        if let Some(config) = trigger.config.as_deref()
            && let Some(TriggerConfig::Http(config)) = config.literal()
            && let Some(methods) = read.value(&config.methods, |m| Some(methods_of(m)))?
        {
            for method in methods {
                if !http.methods.contains(&method) {
                    http.methods.push(method);
                }
            }
        }
    }
    Ok(found)
}

fn methods_of(values: &crate::deployment::Strings) -> Vec<String> {
    values
        .iter()
        .filter_map(|v| match v {
            Value::Literal(text, _) => Some(text.to_ascii_uppercase()),
            _ => None,
        })
        .collect()
}

/// The custom domains' routes to `function`: a route names it by `functionName` (and, in FC
/// 2.0, `serviceName`); fc3's function-level `customDomain` may leave the name out.
fn domain_routes(
    read: &mut Read,
    deployment: &Deployment,
    function: &Function,
    settings: &Settings,
) -> Result<Vec<DomainRoute>> {
    let index = deployment
        .functions
        .iter()
        .position(|f| std::ptr::eq(f, function));
    let mut routes = Vec::new();
    for domain in &deployment.custom_domains {
        let Some(list) = domain.routes.as_ref().and_then(Field::literal) else {
            continue;
        };
        for route in list {
            let named = read.value(&route.function_name, |s: &String| Some(s.clone()))?;
            let to_this = match named {
                Some(name) => name == settings.function_name,
                None => domain.function.is_some() && domain.function == index,
            };
            let service = read.value(&route.service_name, |s: &String| Some(s.clone()))?;
            if !to_this || service.is_some_and(|s| s != settings.service_name) {
                continue;
            }
            let Some(path) = read.value(&route.path, |s: &String| Some(s.clone()))? else {
                continue;
            };
            let methods = read
                .value(&route.methods, |m| Some(methods_of(m)))?
                .unwrap_or_default();
            routes.push(DomainRoute { path, methods });
        }
    }
    Ok(routes)
}

/// Reads settings out of the model: a literal is used, a computed value is noted and left to
/// FC's default, a value of the wrong type is an error (FC would refuse the template).
struct Read<'f> {
    file: &'f str,
    computed: Vec<String>,
}

impl Read<'_> {
    fn value<T, U>(
        &mut self,
        field: &Option<Field<T>>,
        convert: impl FnOnce(&T) -> Option<U>,
    ) -> Result<Option<U>, TemplateError> {
        let Some(field) = field else {
            return Ok(None);
        };
        let span = field.span();
        let unusable = |found: String| TemplateError::Unusable {
            file: self.file.to_string(),
            line: span.start.line(),
            column: span.start.col() + 1,
            setting: field.name.to_string(),
            found,
        };
        match &field.value {
            Value::Literal(value, _) => match convert(value) {
                Some(converted) => Ok(Some(converted)),
                None => Err(unusable("a value out of range".into())),
            },
            Value::Computed(text, _) => {
                self.computed.push(format!("{} ({text})", field.name));
                Ok(None)
            }
            Value::Invalid(found, _) => Err(unusable(found.describe().to_string())),
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::platform::Runtime;
    use crate::project::{FcConfig, FunctionNames};

    /// A function of bin `name` with the default configuration (the watch tests use it too).
    pub(crate) fn function(name: &str) -> crate::project::Function {
        crate::project::Function {
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
        assert_eq!(fc3.service_name, "");
        assert_eq!(fc3.initializer.as_deref(), Some("index.initializer"));
        assert_eq!(fc3.initialization_timeout_s, 5.0);
        assert_eq!(fc3.port, Some(9000));

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
    fn variables_template_props_and_resource_names_count_like_the_deploy_tool_s() {
        let settings = load_text(
            "hello",
            "edition: 3.0.0\nvars: { memory: 2048 }\ntemplate:\n  base: { region: cn-chengdu, timeout: 11 }\nresources:\n  hello:\n    component: fc3\n    extend: { name: base }\n    props:\n      runtime: custom\n      code: ./target/fc/hello.zip\n      memorySize: ${vars.memory}\n      environmentVariables: { TOKEN: \"${env('TOKEN')}\", MODE: fast }\n",
        )
        .unwrap()
        .unwrap();
        assert_eq!(settings.memory_mb, 2048);
        assert_eq!(settings.timeout_s, 11.0);
        assert_eq!(settings.region, "cn-chengdu");
        assert_eq!(settings.environment["MODE"], "fast");
        assert!(!settings.environment.contains_key("TOKEN"));
        assert_eq!(
            settings.computed,
            ["environment variable TOKEN (${env('TOKEN')})"]
        );
    }

    #[test]
    fn http_triggers_instance_concurrency_and_custom_domain_routes_are_read() {
        let fun = "ROSTemplateFormatVersion: '2015-09-01'\nTransform: 'Aliyun::Serverless-2018-04-03'\nResources:\n  svc:\n    Type: 'Aliyun::Serverless::Service'\n    web:\n      Type: 'Aliyun::Serverless::Function'\n      Properties:\n        Handler: index.handler\n        Runtime: custom\n        CodeUri: ./target/fc/web.zip\n        InstanceConcurrency: 8\n      Events:\n        http:\n          Type: HTTP\n          Properties: { AuthType: anonymous, Methods: [get, POST] }\n    jobs:\n      Type: 'Aliyun::Serverless::Function'\n      Properties: { Handler: index.handler, Runtime: custom, CodeUri: ./target/fc/jobs.zip }\n  example.com:\n    Type: 'Aliyun::Serverless::CustomDomain'\n    Properties:\n      Protocol: HTTP\n      RouteConfig: { Routes: { '/api/*': { ServiceName: svc, FunctionName: web }, '/jobs': { ServiceName: other, FunctionName: web } } }\n";
        let web = load_text("web", fun).unwrap().unwrap();
        assert_eq!(web.instance_concurrency, 8);
        assert_eq!(
            web.http,
            Some(HttpTrigger {
                methods: vec!["GET".into(), "POST".into()]
            })
        );
        // The route of another service's `web` is not this function's.
        assert_eq!(
            web.routes,
            [DomainRoute {
                path: "/api/*".into(),
                methods: Vec::new()
            }]
        );
        let jobs = load_text("jobs", fun).unwrap().unwrap();
        assert_eq!((jobs.instance_concurrency, jobs.http), (1, None));
        assert!(jobs.routes.is_empty());

        let fc3 = load_text(
            "web",
            "edition: 3.0.0\nresources:\n  web:\n    component: fc3\n    props:\n      functionName: web\n      runtime: custom\n      triggers:\n        - { triggerName: h, triggerType: http, triggerConfig: { authType: anonymous, methods: [GET] } }\n  domain:\n    component: fc3-domain\n    props:\n      domainName: auto\n      protocol: HTTP\n      routeConfig: { routes: [{ path: /v1/*, functionName: web, methods: [PUT] }] }\n",
        )
        .unwrap()
        .unwrap();
        assert_eq!(fc3.http.unwrap().methods, ["GET"]);
        assert_eq!(
            fc3.routes,
            [DomainRoute {
                path: "/v1/*".into(),
                methods: vec!["PUT".into()]
            }]
        );
    }

    #[test]
    fn a_value_fc_would_refuse_is_an_error_not_a_default_or_a_panic() {
        let error = load_text(
            "hello",
            "edition: 3.0.0\nresources:\n  hello:\n    component: fc3\n    props: { functionName: hello, timeout: \"1e30\" }\n",
        )
        .unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("t.yml:5:44: timeout is a string, which FC would refuse"),
            "{message}"
        );
    }

    #[test]
    fn a_template_without_the_function_gives_nothing_and_bad_yaml_is_an_error() {
        assert_eq!(
            load_text("other", "edition: 3.0.0\nresources: {}\n").unwrap(),
            None
        );
        let error = load_text("x", "a: [1, 2\n").unwrap_err();
        assert!(
            error.to_string().contains("t.yml:1:4: invalid YAML"),
            "{error}"
        );
        assert_eq!(error.location().and_then(|l| l.column), Some(4));
    }
}
