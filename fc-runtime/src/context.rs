//! What Function Compute tells a handler about the request and the function.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http::HeaderMap;

use crate::log::{Level, Logger, Sink};

/// Everything Function Compute sends along with a request, from its `x-fc-*` headers.
///
/// Empty or missing headers give empty strings (or `None`); FC 3.0 omits the service and
/// initializer headers. Credentials and a few function facts fall back to the environment FC
/// sets (`ALIBABA_CLOUD_ACCESS_KEY_ID`, `FC_FUNCTION_NAME`, …), because `custom.debian11` and
/// later send credentials only there.
#[derive(Clone, Debug)]
pub struct Context {
    /// `x-fc-request-id`.
    pub request_id: String,
    /// Temporary credentials of the function's role.
    pub credentials: Credentials,
    /// The function's name, handler, memory, timeout and hooks.
    pub function: FunctionInfo,
    /// The service (FC 2.0), its log project and store, and the version invoked.
    pub service: ServiceInfo,
    /// `x-fc-region`, else `FC_REGION`.
    pub region: String,
    /// `x-fc-account-id`, else `FC_ACCOUNT_ID`.
    pub account_id: String,
    /// `x-fc-retry-count`: how often FC has retried this (asynchronous) invocation.
    pub retry_count: u32,
    /// `x-fc-base-path`: the prefix of HTTP-trigger paths that the runtime strips before the
    /// request reaches an HTTP handler. Empty for event invocations.
    pub base_path: String,
    /// When FC gives up on this request: arrival plus the function timeout (the initialization
    /// timeout for the initializer). `None` when FC did not say.
    pub deadline: Option<Instant>,
    logger: Logger,
}

/// The function's temporary credentials (`x-fc-access-key-id`, …, else `ALIBABA_CLOUD_*`).
#[derive(Clone, Default)]
pub struct Credentials {
    /// `x-fc-access-key-id`, else `ALIBABA_CLOUD_ACCESS_KEY_ID`.
    pub access_key_id: String,
    /// `x-fc-access-key-secret`, else `ALIBABA_CLOUD_ACCESS_KEY_SECRET`.
    pub access_key_secret: String,
    /// `x-fc-security-token`, else `ALIBABA_CLOUD_SECURITY_TOKEN`.
    pub security_token: String,
}

impl fmt::Debug for Credentials {
    // Contexts get logged while debugging; secrets must not end up in the log service.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redact = |s: &str| if s.is_empty() { "" } else { "<redacted>" };
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &redact(&self.access_key_secret))
            .field("security_token", &redact(&self.security_token))
            .finish()
    }
}

/// Facts about the function being run.
#[derive(Clone, Debug, Default)]
pub struct FunctionInfo {
    /// `x-fc-function-name`, else `FC_FUNCTION_NAME`.
    pub name: String,
    /// `x-fc-function-handler`, else `FC_FUNCTION_HANDLER`.
    pub handler: String,
    /// `x-fc-function-memory` in MB, else `FC_FUNCTION_MEMORY_SIZE`.
    pub memory_mb: Option<u32>,
    /// `x-fc-function-timeout`.
    pub timeout: Option<Duration>,
    /// `x-fc-function-initializer`.
    pub initializer: String,
    /// `x-fc-initialization-timeout`.
    pub initialization_timeout: Option<Duration>,
    /// `x-fc-instance-lifecycle-pre-stop-handler`.
    pub pre_stop_handler: String,
    /// `x-fc-instance-lifecycle-pre-freeze-handler`.
    pub pre_freeze_handler: String,
}

/// Facts about the service (FC 2.0) and the version being run.
#[derive(Clone, Debug, Default)]
pub struct ServiceInfo {
    /// `x-fc-service-name`.
    pub name: String,
    /// `x-fc-service-logproject`.
    pub log_project: String,
    /// `x-fc-service-logstore`.
    pub log_store: String,
    /// `x-fc-qualifier`: the alias or version invoked.
    pub qualifier: String,
    /// `x-fc-version-id`.
    pub version_id: String,
}

impl Context {
    /// A context with only a request id, logging to stdout: for unit tests of handlers and for
    /// code running outside FC.
    ///
    /// ```
    /// let ctx = fc_runtime::Context::new("test-1");
    /// assert_eq!(ctx.request_id, "test-1");
    /// assert_eq!(ctx.logger().request_id(), "test-1");
    /// assert!(ctx.remaining().is_none());
    /// ```
    pub fn new(request_id: impl Into<String>) -> Context {
        let request_id = request_id.into();
        Context {
            logger: Logger::new(request_id.clone()),
            request_id,
            credentials: Credentials::default(),
            function: FunctionInfo::default(),
            service: ServiceInfo::default(),
            region: String::new(),
            account_id: String::new(),
            retry_count: 0,
            base_path: String::new(),
            deadline: None,
        }
    }

    /// The same context, logging through `sink` (a function's [`log_sink`](crate::Function::log_sink)).
    pub(crate) fn with_sink(mut self, sink: Sink) -> Context {
        self.logger =
            Logger::with_sink(Arc::from(self.request_id.as_str()), Level::from_env(), sink);
        self
    }

    /// The logger for this request: its lines carry this request's id.
    pub fn logger(&self) -> &Logger {
        &self.logger
    }

    /// Time left before FC times this request out.
    pub fn remaining(&self) -> Option<Duration> {
        self.deadline
            .map(|deadline| deadline.saturating_duration_since(Instant::now()))
    }

    /// Builds the context of one request; `None` when the request id is missing or empty.
    pub(crate) fn from_headers(
        headers: &HeaderMap,
        env: &Environment,
        log: &LogConfig,
        received: Instant,
        initializing: bool,
    ) -> Option<Context> {
        let header = |name: &str| header_text(headers, name);
        let or_env = |value: String, fallback: &Option<String>| match fallback {
            Some(fallback) if value.is_empty() => fallback.clone(),
            _ => value,
        };
        let seconds = |value: String| value.parse::<u64>().ok().map(Duration::from_secs);

        let request_id = header("x-fc-request-id");
        if request_id.is_empty() {
            return None;
        }
        let function = FunctionInfo {
            name: or_env(header("x-fc-function-name"), &env.function_name),
            handler: or_env(header("x-fc-function-handler"), &env.function_handler),
            memory_mb: or_env(header("x-fc-function-memory"), &env.memory_size)
                .parse()
                .ok(),
            timeout: seconds(header("x-fc-function-timeout")),
            initializer: header("x-fc-function-initializer"),
            initialization_timeout: seconds(header("x-fc-initialization-timeout")),
            pre_stop_handler: header("x-fc-instance-lifecycle-pre-stop-handler"),
            pre_freeze_handler: header("x-fc-instance-lifecycle-pre-freeze-handler"),
        };
        let limit = if initializing {
            function.initialization_timeout
        } else {
            function.timeout
        };
        Some(Context {
            logger: Logger::with_sink(Arc::from(request_id.as_str()), log.level, log.sink.clone()),
            request_id,
            credentials: Credentials {
                access_key_id: or_env(header("x-fc-access-key-id"), &env.access_key_id),
                access_key_secret: or_env(header("x-fc-access-key-secret"), &env.access_key_secret),
                security_token: or_env(header("x-fc-security-token"), &env.security_token),
            },
            function,
            service: ServiceInfo {
                name: header("x-fc-service-name"),
                log_project: header("x-fc-service-logproject"),
                log_store: header("x-fc-service-logstore"),
                qualifier: header("x-fc-qualifier"),
                version_id: header("x-fc-version-id"),
            },
            region: or_env(header("x-fc-region"), &env.region),
            account_id: or_env(header("x-fc-account-id"), &env.account_id),
            retry_count: header("x-fc-retry-count").parse().unwrap_or(0),
            base_path: header("x-fc-base-path"),
            deadline: limit.and_then(|limit| received.checked_add(limit)),
        })
    }

    /// The context of the single event of a custom container in non-web mode, where there are
    /// no headers: everything comes from the environment.
    pub(crate) fn from_environment(env: &Environment, log: &LogConfig) -> Context {
        let mut headers = HeaderMap::new();
        headers.insert("x-fc-request-id", env.request_id_value());
        // `from_headers` only refuses an empty request id, and the one above never is.
        Context::from_headers(&headers, env, log, Instant::now(), false)
            .unwrap_or_else(|| Context::new(CONTAINER_REQUEST_ID))
    }
}

/// A header's value, trimmed, or "" when it is absent or not text. Kept out of line: inlined
/// into each of the twenty headers `from_headers` reads, the header-name lookup made that one
/// function 16 KB of the binary.
#[inline(never)]
fn header_text(headers: &HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .unwrap_or_default()
        .to_owned()
}

/// The request id of a custom container's single event when `FC_REQUEST_ID` is not set: nothing
/// else names that event.
const CONTAINER_REQUEST_ID: &str = "custom-container-event";

/// How the loggers of a server's requests write lines.
#[derive(Clone)]
pub(crate) struct LogConfig {
    pub(crate) level: Level,
    pub(crate) sink: Sink,
}

/// The environment variables a context falls back to, read once when the server starts.
#[derive(Clone, Debug, Default)]
pub(crate) struct Environment {
    pub(crate) access_key_id: Option<String>,
    pub(crate) access_key_secret: Option<String>,
    pub(crate) security_token: Option<String>,
    pub(crate) function_name: Option<String>,
    pub(crate) function_handler: Option<String>,
    pub(crate) memory_size: Option<String>,
    pub(crate) region: Option<String>,
    pub(crate) account_id: Option<String>,
    pub(crate) request_id: Option<String>,
}

impl Environment {
    pub(crate) fn from_process() -> Environment {
        Environment::from_lookup(|name| std::env::var(name).ok())
    }

    pub(crate) fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Environment {
        let var = |name| lookup(name).filter(|value| !value.is_empty());
        Environment {
            access_key_id: var("ALIBABA_CLOUD_ACCESS_KEY_ID"),
            access_key_secret: var("ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
            security_token: var("ALIBABA_CLOUD_SECURITY_TOKEN"),
            function_name: var("FC_FUNCTION_NAME"),
            function_handler: var("FC_FUNCTION_HANDLER"),
            memory_size: var("FC_FUNCTION_MEMORY_SIZE"),
            region: var("FC_REGION"),
            account_id: var("FC_ACCOUNT_ID"),
            request_id: var("FC_REQUEST_ID"),
        }
    }

    fn request_id_value(&self) -> http::HeaderValue {
        self.request_id
            .as_deref()
            .and_then(|id| http::HeaderValue::from_str(id).ok())
            .unwrap_or_else(|| http::HeaderValue::from_static(CONTAINER_REQUEST_ID))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;
    use std::sync::Mutex;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    fn log_config() -> (LogConfig, Arc<Mutex<Vec<String>>>) {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink_lines = Arc::clone(&lines);
        let sink: Sink = Arc::new(move |line: &str| sink_lines.lock().unwrap().push(line.into()));
        (
            LogConfig {
                level: Level::Info,
                sink,
            },
            lines,
        )
    }

    const ALL_HEADERS: &[(&str, &str)] = &[
        ("x-fc-request-id", "rid-42"),
        ("x-fc-access-key-id", "AKID"),
        ("x-fc-access-key-secret", "SECRET"),
        ("x-fc-security-token", "TOKEN"),
        ("x-fc-function-name", "hello"),
        ("x-fc-function-handler", "index.handler"),
        ("x-fc-function-memory", "512"),
        ("x-fc-function-timeout", "30"),
        ("x-fc-function-initializer", "index.init"),
        ("x-fc-initialization-timeout", "3"),
        ("x-fc-instance-lifecycle-pre-stop-handler", "index.stop"),
        ("x-fc-instance-lifecycle-pre-freeze-handler", "index.freeze"),
        ("x-fc-service-name", "svc"),
        ("x-fc-service-logproject", "proj"),
        ("x-fc-service-logstore", "store"),
        ("x-fc-region", "cn-hangzhou"),
        ("x-fc-account-id", "1234"),
        ("x-fc-qualifier", "LATEST"),
        ("x-fc-version-id", "7"),
        ("x-fc-retry-count", "2"),
        ("x-fc-base-path", "/2016-08-15/proxy/svc/hello/"),
        ("x-fc-control-path", "/invoke"),
    ];

    #[test]
    fn reads_every_header() {
        let (log, lines) = log_config();
        let received = Instant::now();
        let ctx = Context::from_headers(
            &headers(ALL_HEADERS),
            &Environment::default(),
            &log,
            received,
            false,
        )
        .unwrap();
        assert_eq!(ctx.request_id, "rid-42");
        assert_eq!(ctx.credentials.access_key_id, "AKID");
        assert_eq!(ctx.credentials.access_key_secret, "SECRET");
        assert_eq!(ctx.credentials.security_token, "TOKEN");
        assert_eq!(ctx.function.name, "hello");
        assert_eq!(ctx.function.handler, "index.handler");
        assert_eq!(ctx.function.memory_mb, Some(512));
        assert_eq!(ctx.function.timeout, Some(Duration::from_secs(30)));
        assert_eq!(ctx.function.initializer, "index.init");
        assert_eq!(
            ctx.function.initialization_timeout,
            Some(Duration::from_secs(3))
        );
        assert_eq!(ctx.function.pre_stop_handler, "index.stop");
        assert_eq!(ctx.function.pre_freeze_handler, "index.freeze");
        assert_eq!(ctx.service.name, "svc");
        assert_eq!(ctx.service.log_project, "proj");
        assert_eq!(ctx.service.log_store, "store");
        assert_eq!(ctx.service.qualifier, "LATEST");
        assert_eq!(ctx.service.version_id, "7");
        assert_eq!(ctx.region, "cn-hangzhou");
        assert_eq!(ctx.account_id, "1234");
        assert_eq!(ctx.retry_count, 2);
        assert_eq!(ctx.base_path, "/2016-08-15/proxy/svc/hello/");
        assert_eq!(ctx.deadline, Some(received + Duration::from_secs(30)));

        ctx.logger().info("x");
        let lines = lines.lock().unwrap();
        assert!(lines[0].ends_with(": rid-42 [INFO] x"), "{}", lines[0]);
    }

    #[test]
    fn initializer_deadline_uses_initialization_timeout() {
        let (log, _) = log_config();
        let received = Instant::now();
        let ctx = Context::from_headers(
            &headers(ALL_HEADERS),
            &Environment::default(),
            &log,
            received,
            true,
        )
        .unwrap();
        assert_eq!(ctx.deadline, Some(received + Duration::from_secs(3)));
    }

    #[test]
    fn missing_or_empty_request_id_is_refused() {
        let (log, _) = log_config();
        let env = Environment::default();
        let now = Instant::now();
        assert!(Context::from_headers(&headers(&[]), &env, &log, now, false).is_none());
        let empty = headers(&[("x-fc-request-id", "  ")]);
        assert!(Context::from_headers(&empty, &env, &log, now, false).is_none());
    }

    #[test]
    fn empty_headers_fall_back_to_the_environment() {
        let (log, _) = log_config();
        let env = Environment::from_lookup(|name| {
            Some(
                match name {
                    "ALIBABA_CLOUD_ACCESS_KEY_ID" => "env-id",
                    "ALIBABA_CLOUD_ACCESS_KEY_SECRET" => "env-secret",
                    "ALIBABA_CLOUD_SECURITY_TOKEN" => "env-token",
                    "FC_FUNCTION_NAME" => "env-fn",
                    "FC_FUNCTION_HANDLER" => "env.handler",
                    "FC_FUNCTION_MEMORY_SIZE" => "1024",
                    "FC_REGION" => "cn-shanghai",
                    "FC_ACCOUNT_ID" => "999",
                    _ => return None,
                }
                .to_owned(),
            )
        });
        // Present but empty, as FC sends them on custom.debian11.
        let map = headers(&[
            ("x-fc-request-id", "r"),
            ("x-fc-access-key-id", ""),
            ("x-fc-function-timeout", "not-a-number"),
            ("x-fc-retry-count", ""),
        ]);
        let ctx = Context::from_headers(&map, &env, &log, Instant::now(), false).unwrap();
        assert_eq!(ctx.credentials.access_key_id, "env-id");
        assert_eq!(ctx.credentials.access_key_secret, "env-secret");
        assert_eq!(ctx.credentials.security_token, "env-token");
        assert_eq!(ctx.function.name, "env-fn");
        assert_eq!(ctx.function.handler, "env.handler");
        assert_eq!(ctx.function.memory_mb, Some(1024));
        assert_eq!(ctx.region, "cn-shanghai");
        assert_eq!(ctx.account_id, "999");
        assert_eq!(ctx.function.timeout, None);
        assert_eq!(ctx.deadline, None);
        assert_eq!(ctx.retry_count, 0);
        assert_eq!(ctx.service.name, "");
    }

    #[test]
    fn headers_win_over_the_environment() {
        let (log, _) = log_config();
        let env = Environment::from_lookup(|name| {
            (name == "ALIBABA_CLOUD_ACCESS_KEY_ID").then(|| "env-id".to_owned())
        });
        let map = headers(&[("x-fc-request-id", "r"), ("x-fc-access-key-id", "hdr-id")]);
        let ctx = Context::from_headers(&map, &env, &log, Instant::now(), false).unwrap();
        assert_eq!(ctx.credentials.access_key_id, "hdr-id");
    }

    #[test]
    fn container_event_context_comes_from_the_environment() {
        let (log, _) = log_config();
        let env = Environment::from_lookup(|name| match name {
            "FC_REQUEST_ID" => Some("container-1".to_owned()),
            "FC_REGION" => Some("cn-beijing".to_owned()),
            _ => None,
        });
        let ctx = Context::from_environment(&env, &log);
        assert_eq!(ctx.request_id, "container-1");
        assert_eq!(ctx.region, "cn-beijing");
        let ctx = Context::from_environment(&Environment::default(), &log);
        assert_eq!(ctx.request_id, "custom-container-event");
    }

    #[test]
    fn debug_output_hides_secrets() {
        let mut ctx = Context::new("r");
        ctx.credentials.access_key_secret = "SECRET".into();
        ctx.credentials.security_token = "TOKEN".into();
        let shown = format!("{ctx:?}");
        assert!(
            !shown.contains("SECRET") && !shown.contains("TOKEN"),
            "{shown}"
        );
    }
}
