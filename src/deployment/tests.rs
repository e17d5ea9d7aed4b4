//! The readers, one format at a time: what each template becomes in the model.

use super::*;

fn deployment(name: &str, text: &str) -> Deployment {
    let reading = read(name, text);
    reading
        .deployment
        .unwrap_or_else(|| panic!("not read: {:#?}", reading.diagnostics))
}

fn line(value: &Value<impl std::fmt::Debug>) -> usize {
    value.span().start.line()
}

fn literal<T: Clone, S: AsRef<Field<T>>>(field: &Option<S>) -> T {
    field
        .as_ref()
        .and_then(|f| f.as_ref().literal())
        .cloned()
        .expect("a literal value")
}

const FUN: &str = "ROSTemplateFormatVersion: '2015-09-01'
Transform: 'Aliyun::Serverless-2018-04-03'
Resources:
  svc:
    Type: 'Aliyun::Serverless::Service'
    Properties:
      Role: acs:ram::1:role/fc
      LogConfig: Auto
      VpcConfig: { VpcId: vpc-1, VSwitchIds: [vsw-1], SecurityGroupId: sg-1 }
    hello:
      Type: 'Aliyun::Serverless::Function'
      Properties:
        Handler: index.handler
        Runtime: custom
        CodeUri: ./target/fc/hello.zip
        MemorySize: 512
        Timeout: 7
        Initializer: index.init
        InitializationTimeout: 4
        CAPort: 9001
        EnvironmentVariables: { RUST_LOG: debug, N: 3 }
        InstanceLifecycleConfig:
          PreStop: { Handler: index.prestop, Timeout: 10 }
        Colour: blue
      Events:
        web:
          Type: HTTP
          Properties: { AuthType: ANONYMOUS, Methods: [GET, POST], Qualifier: LATEST }
        tick:
          Type: Timer
          Properties: { CronExpression: '@every 1m', Enable: true }
  example.com:
    Type: 'Aliyun::Serverless::CustomDomain'
    Properties:
      Protocol: HTTP
      RouteConfig: { Routes: { '/*': { ServiceName: svc, FunctionName: hello } } }
";

#[test]
fn a_fun_template_becomes_a_service_its_function_and_a_domain() {
    let d = deployment("template.yml", FUN);
    assert_eq!(d.format, Format::Fun);
    assert_eq!(d.services.len(), 1);
    let service = &d.services[0];
    assert_eq!(service.name_str(), Some("svc"));
    assert_eq!(literal(&service.log_config), LogConfig::Auto);
    let VpcConfig::Network {
        vpc_id,
        v_switch_ids,
        ..
    } = literal(&service.vpc_config)
    else {
        panic!("a network");
    };
    assert_eq!(literal(&vpc_id), "vpc-1");
    assert_eq!(literal(&v_switch_ids)[0].as_str(), Some("vsw-1"));

    let f = d.function("hello").expect("hello is read");
    assert_eq!(d.service_of(f).and_then(Service::name_str), Some("svc"));
    assert_eq!(literal(&f.memory_size), 512);
    assert_eq!(literal(&f.timeout), 7);
    assert_eq!(f.memory_size.as_ref().unwrap().name, "MemorySize");
    assert!(matches!(literal(&f.code), Code::Path(p) if p == "./target/fc/hello.zip"));
    // FC 2.0's initializer lands where FC 3.0 keeps it.
    let initializer = f.initializer().expect("an initializer");
    assert_eq!(literal(&initializer.handler), "index.init");
    assert_eq!(literal(&initializer.timeout), 4);
    assert_eq!(literal(&f.port().cloned()), 9001);
    let pre_stop = f.pre_stop().expect("a preStop hook");
    assert_eq!(literal(&pre_stop.timeout), 10);
    let env = literal(&f.environment_variables);
    assert_eq!(env[1].name, "N");
    assert_eq!(env[1].value.as_str(), Some("3"));
    assert_eq!(f.unknown[0].name, "Colour");

    let triggers = f.trigger_list();
    assert_eq!(triggers.len(), 2);
    assert_eq!(triggers[0].kind, Some(TriggerKind::Http));
    assert_eq!(literal(&triggers[0].qualifier), "LATEST");
    let TriggerConfig::Http(http) = literal(&triggers[0].config) else {
        panic!("typed as HTTP");
    };
    assert_eq!(literal(&http.auth_type), "ANONYMOUS");
    assert_eq!(literal(&http.methods).len(), 2);
    let TriggerConfig::Timer(timer) = literal(&triggers[1].config) else {
        panic!("typed as a timer");
    };
    assert_eq!(literal(&timer.cron_expression), "@every 1m");
    assert!(literal(&timer.enable));

    let domain = &d.custom_domains[0];
    assert_eq!(literal(&domain.domain_name), "example.com");
    let routes = literal(&domain.routes);
    assert_eq!(literal(&routes[0].path), "/*");
    assert_eq!(literal(&routes[0].service_name), "svc");
    assert_eq!(literal(&routes[0].function_name), "hello");
}

const FC3: &str = "edition: 3.0.0
name: app
access: default
vars:
  region: cn-shanghai
  memory: 1024
resources:
  hello:
    component: fc3
    props:
      region: ${vars.region}
      functionName: hello
      runtime: custom.debian10
      code: ./target/fc/hello.zip
      memorySize: ${vars.memory}
      timeout: ${env('TIMEOUT')}
      customRuntimeConfig: { command: ['/code/bootstrap'], args: [--verbose], port: 9000 }
      instanceLifecycleConfig:
        initializer: { handler: index.initializer, timeout: 5 }
        preStop: { handler: index.prestop, timeout: 3 }
      gpuConfig: { gpuMemorySize: 8192 }
      memorysize: 1
      triggers:
        - triggerName: web
          triggerType: http
          qualifier: LATEST
          triggerConfig: { authType: anonymous, methods: [GET], disableURLInternet: false }
        - triggerName: queue
          triggerType: mns_topic
          sourceArn: acs:mns:cn-shanghai:1:/topics/t
          triggerConfig: { notifyContentFormat: JSON, notifyStrategy: BACKOFF_RETRY }
      customDomain:
        domainName: auto
        protocol: HTTP
        route: { path: '/*', qualifier: LATEST }
  site:
    component: fc3-domain
    props:
      region: cn-shanghai
      domainName: example.com
      protocol: HTTP
      routeConfig: { routes: [{ path: /api, functionName: hello }] }
";

#[test]
fn an_fc3_template_becomes_functions_in_fc3_terms_with_variables_resolved() {
    let d = deployment("s.yaml", FC3);
    assert_eq!(d.format, Format::Devs3);
    let Layout::Devs(layout) = &d.layout else {
        panic!("an s.yaml layout");
    };
    assert_eq!(
        layout.access.as_ref().and_then(Field::as_str),
        Some("default")
    );
    assert_eq!(layout.components[0].kind, ComponentKind::Fc3);
    assert_eq!(layout.components[1].kind, ComponentKind::Fc3Domain);
    let f = d.function("hello").unwrap();
    assert!(d.service_of(f).is_none());
    // `${vars.region}` is the value under vars, and points where that value is written.
    let region = f.region.as_ref().unwrap();
    assert_eq!(region.as_str(), Some("cn-shanghai"));
    assert_eq!(line(&region.value), 5);
    assert_eq!(literal(&f.memory_size), 1024);
    assert!(
        matches!(&f.timeout.as_ref().unwrap().value, Value::Computed(text, _) if text == "${env('TIMEOUT')}")
    );
    let runtime = literal(&f.custom_runtime_config);
    assert_eq!(
        literal(&runtime.command)[0].as_str(),
        Some("/code/bootstrap")
    );
    assert_eq!(literal(&f.port().cloned()), 9000);
    assert_eq!(literal(&f.initializer().unwrap().timeout), 5);
    assert_eq!(literal(&f.pre_stop().unwrap().handler), "index.prestop");
    assert_eq!(
        f.untyped
            .iter()
            .map(|k| k.name.as_str())
            .collect::<Vec<_>>(),
        ["gpuConfig", "customDomain"]
    );
    assert_eq!(f.unknown[0].name, "memorysize");
    let gpu = d.json(&f.untyped[0].value).unwrap();
    assert_eq!(gpu["gpuMemorySize"], 8192);

    let triggers = f.trigger_list();
    assert_eq!(literal(&triggers[0].qualifier), "LATEST");
    let TriggerConfig::Http(http) = literal(&triggers[0].config) else {
        panic!("http");
    };
    assert!(!literal(&http.disable_url_internet));
    assert_eq!(triggers[1].kind, Some(TriggerKind::MnsTopic));
    let TriggerConfig::MnsTopic(mns) = literal(&triggers[1].config) else {
        panic!("mns_topic");
    };
    assert_eq!(literal(&mns.notify_content_format), "JSON");

    assert_eq!(d.custom_domains.len(), 2);
    let own = &d.custom_domains[0];
    assert_eq!(own.function, Some(0));
    assert_eq!(literal(&own.domain_name), "auto");
    let site = &d.custom_domains[1];
    assert_eq!(literal(&literal(&site.routes)[0].function_name), "hello");
}

#[test]
fn resources_extending_a_template_get_its_props_under_their_own() {
    let d = deployment(
        "s.yaml",
        "edition: 3.0.0
name: app
template:
  base:
    region: cn-hangzhou
    runtime: custom
    timeout: 30
    customRuntimeConfig: { port: 9000, command: [./bootstrap] }
    description: dropped
resources:
  one:
    component: fc3
    extend: { name: base, ignore: [description] }
    props:
      functionName: one
      code: ./one
      timeout: 60
      customRuntimeConfig: { port: 8080 }
  two:
    component: fc3
    extend: { name: base }
",
    );
    let one = d.function("one").unwrap();
    assert_eq!(literal(&one.region), "cn-hangzhou");
    assert_eq!(line(&one.region.as_ref().unwrap().value), 5);
    assert_eq!(literal(&one.timeout), 60);
    assert!(one.description.is_none());
    let config = literal(&one.custom_runtime_config);
    assert_eq!(literal(&config.port), 8080);
    assert_eq!(literal(&config.command)[0].as_str(), Some("./bootstrap"));
    // No props of its own: the template alone (no functionName, so no function name).
    assert_eq!(d.functions.len(), 2);
    assert_eq!(literal(&d.functions[1].timeout), 30);
}

#[test]
fn edition_1_reads_service_function_triggers_and_domains() {
    let d = deployment(
        "s.yaml",
        "edition: 1.0.0
name: app
vars:
  service: { name: demo, logConfig: auto, internetAccess: true }
services:
  web:
    component: devsapp/fc
    props:
      region: cn-beijing
      service: ${vars.service}
      function:
        name: hello
        runtime: custom
        codeUri: { src: ./code, excludes: [tests] }
        caPort: 9000
        initializer: index.init
        customContainerConfig: { image: 'registry.cn-beijing.aliyuncs.com/a/b:1', command: '[\"/code/app\"]' }
      triggers:
        - name: http
          type: http
          config: { authType: anonymous, methods: [GET] }
      customDomains:
        - domainName: auto
          protocol: HTTP
          routeConfigs: [{ path: '/*', functionName: hello }]
  only-service:
    component: fc
    props:
      region: cn-beijing
      service: { name: lonely }
",
    );
    assert_eq!(d.format, Format::Devs1);
    assert_eq!(d.services.len(), 2);
    assert_eq!(d.services[0].name_str(), Some("demo"));
    assert_eq!(literal(&d.services[0].log_config), LogConfig::Auto);
    assert_eq!(literal(&d.services[0].region), "cn-beijing");
    assert_eq!(
        d.functions.len(),
        1,
        "service-only props declare no function"
    );
    let f = &d.functions[0];
    assert_eq!(d.service_of(f).and_then(Service::name_str), Some("demo"));
    assert!(f.handler.is_none());
    let Code::Source { src, untyped, .. } = literal(&f.code) else {
        panic!("a source mapping");
    };
    assert_eq!(literal(&src), "./code");
    assert_eq!(untyped[0].name, "excludes");
    assert_eq!(literal(&f.port().cloned()), 9000);
    assert_eq!(literal(&f.initializer().unwrap().handler), "index.init");
    let container = literal(&f.custom_container_config);
    assert_eq!(
        literal(&container.entrypoint)[0].as_str(),
        Some("/code/app")
    );
    assert_eq!(f.trigger_list()[0].kind, Some(TriggerKind::Http));
    assert_eq!(d.custom_domains[0].function, Some(0));
}

#[test]
fn values_of_the_wrong_type_say_what_they_are() {
    let d = deployment(
        "s.yaml",
        "edition: 3.0.0
resources:
  f:
    component: fc3
    props:
      functionName: f
      memorySize: '512'
      timeout: 1.5
      instanceConcurrency: 99999999999999999999
      description: [a]
      handler: !Ref Handler
      environmentVariables: { A: { b: 1 }, B: ~, C: true }
",
    );
    let f = &d.functions[0];
    assert!(matches!(
        &f.memory_size.as_ref().unwrap().value,
        Value::Invalid(FoundValue::String { quoted: true, .. }, _)
    ));
    assert!(matches!(
        &f.timeout.as_ref().unwrap().value,
        Value::Invalid(FoundValue::Float(n), _) if *n == 1.5
    ));
    assert!(matches!(
        &f.instance_concurrency.as_ref().unwrap().value,
        Value::Invalid(FoundValue::LargeInteger(_), _)
    ));
    assert!(matches!(
        &f.description.as_ref().unwrap().value,
        Value::Invalid(FoundValue::List, _)
    ));
    assert!(f.handler.as_ref().unwrap().value.is_computed());
    let env = literal(&f.environment_variables);
    assert!(matches!(
        env[0].value,
        Value::Invalid(FoundValue::Mapping, _)
    ));
    // `B: ~` is not set: Serverless Devs sends props as JSON, where null is an absent value.
    assert_eq!(env.len(), 2);
    assert_eq!(env[1].value.as_str(), Some("true"));
}

#[test]
fn a_computed_component_is_read_as_fc3_when_its_props_look_like_fc3s() {
    let d = deployment(
        "s.yaml",
        "edition: 3.0.0
resources:
  a:
    component: ${env('component', 'fc3')}
    props: { region: cn-hangzhou, functionName: a, runtime: nodejs18, code: ./a }
  b:
    component: ${path('../')}
    props: { function: { name: b } }
",
    );
    let Layout::Devs(layout) = &d.layout else {
        panic!()
    };
    assert_eq!(layout.components[0].kind, ComponentKind::Computed);
    assert_eq!(layout.components[0].function, Some(0));
    assert_eq!(layout.components[1].function, None);
    assert_eq!(d.functions.len(), 1);
}

#[test]
fn one_detection_for_every_reader() {
    let format = |name: &str, text: &str| read(name, text).format();
    assert_eq!(
        format("x.yml", "edition: 3.0.0\nresources: {}\n"),
        Some(Format::Devs3)
    );
    assert_eq!(
        format("x.yml", "edition: '1.0.0'\nservices: {}\n"),
        Some(Format::Devs1)
    );
    assert_eq!(format("x.yml", "Resources: {}\n"), Some(Format::Fun));
    let reading = read("s.yaml", "name: app\n");
    assert_eq!(reading.format(), None);
    assert_eq!(reading.diagnostics[0].rule, "edition");
}

#[test]
fn aliases_that_expand_past_the_budget_stop_reading_and_say_where() {
    // 300 functions each alias one environment of 5,000 variables: 1.5 million entries.
    let mut text = String::from("edition: 3.0.0\nvars:\n  env: &env\n");
    for i in 0..5_000 {
        text.push_str(&format!("    V{i}: x\n"));
    }
    text.push_str("resources:\n");
    for i in 0..300 {
        text.push_str(&format!(
            "  r{i}: {{ component: fc3, props: {{ functionName: f{i}, environmentVariables: *env }} }}\n"
        ));
    }
    let d = deployment("s.yaml", &text);
    assert!(d.truncated.is_some());
    assert!(
        d.functions.len() < 300,
        "{} functions read",
        d.functions.len()
    );
}
