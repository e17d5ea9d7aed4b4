//! The HTTPS client for FC 3.0's API: endpoints, signing every request, retries, and FC's error
//! bodies turned into errors that say what to do.
//!
//! TLS is rustls with the `ring` provider (no OpenSSL), trusting the system's root certificates
//! as rustls-native-certs finds them, which honours `SSL_CERT_FILE`/`SSL_CERT_DIR`.
//! Reads (GET) are retried with exponential backoff on throttling, 5xx answers, connection
//! failures and time-outs. A write is repeated only when FC said it did not apply it (a
//! throttling answer) or no connection could be made, never after it may have been received.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::{HeaderMap, HeaderName, HeaderValue};
use hyper::{Method, Request, StatusCode, Uri};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde::Deserialize;
use serde_json::{Value, json};

use super::credentials::{Credentials, Source};
use super::model::{
    API_VERSION, CreateFunctionInput, CreateTriggerInput, Function, Invocation, InvokeOptions,
    ListTriggersOutput, Trigger, UpdateFunctionInput, UpdateTriggerInput,
};
use super::sign::{self, CanonicalInput};
use crate::error::failure_any;
use crate::error::{Exit, Failure};
use crate::platform::protocol;

/// Where requests go: a scheme and an authority (host and optional port).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub secure: bool,
    /// `host` or `host:port`, which is also the signed `host` header.
    pub authority: String,
}

/// Regions whose FC 3.0 endpoint is not `fcv3.<region>.aliyuncs.com`, from the SDK's endpoint
/// map (alibabacloud-fc20230330 4.8.3, `Client.__init__`).
const SPECIAL_ENDPOINTS: [(&str, &str); 4] = [
    ("me-central-1", "me-central-1.fc.aliyuncs.com"),
    (
        "cn-shanghai-finance-1",
        "cn-shanghai-finance-1.fc.aliyuncs.com",
    ),
    ("cn-heyuan-acdr-1", "cn-heyuan-acdr-1.fc.aliyuncs.com"),
    ("cn-hangzhou-finance", "cn-hangzhou-finance.fc.aliyuncs.com"),
];

impl Endpoint {
    /// The regional endpoint the official SDK uses.
    pub fn for_region(region: &str) -> Result<Self, ApiError> {
        let valid = !region.is_empty()
            && region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid {
            return Err(ApiError::InvalidRegion {
                region: region.into(),
            });
        }
        let host = SPECIAL_ENDPOINTS
            .iter()
            .find(|(r, _)| *r == region)
            .map(|(_, host)| host.to_string())
            .unwrap_or_else(|| format!("fcv3.{region}.aliyuncs.com"));
        Ok(Self {
            secure: true,
            authority: host,
        })
    }

    /// `--endpoint`: `https://host[:port]` or `http://host[:port]`, nothing after the authority
    /// but an optional `/`.
    pub fn parse(text: &str) -> Result<Self, ApiError> {
        let invalid = |reason: &str| ApiError::InvalidEndpoint {
            endpoint: text.into(),
            reason: reason.into(),
        };
        let (secure, rest) = if let Some(rest) = text.strip_prefix("https://") {
            (true, rest)
        } else if let Some(rest) = text.strip_prefix("http://") {
            (false, rest)
        } else {
            return Err(invalid("it must start with https:// or http://"));
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.is_empty() {
            return Err(invalid("it names no host"));
        }
        if authority.contains(['/', '?', '#', '@']) {
            return Err(invalid(
                "it must be only a scheme and a host (and port); FC's paths are added by cargo fc",
            ));
        }
        authority
            .parse::<hyper::http::uri::Authority>()
            .map_err(|e| invalid(&e.to_string()))?;
        Ok(Self {
            secure,
            authority: authority.into(),
        })
    }

    pub fn base_url(&self) -> String {
        format!(
            "{}://{}",
            if self.secure { "https" } else { "http" },
            self.authority
        )
    }
}

/// The environment variable the SDKs read the region from.
pub const REGION_VARIABLE: &str = "ALIBABA_CLOUD_REGION_ID";

/// The region: `--region`, else the template's, else `ALIBABA_CLOUD_REGION_ID`.
pub fn choose_region(
    flag: Option<&str>,
    template: Option<&str>,
    environment: Option<&str>,
) -> Result<String, ApiError> {
    [flag, template, environment]
        .into_iter()
        .flatten()
        .find(|r| !r.is_empty())
        .map(str::to_string)
        .ok_or(ApiError::NoRegion)
}

/// How often and how patiently to retry.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 4,
            base_delay: Duration::from_millis(300),
            max_delay: Duration::from_secs(8),
        }
    }
}

impl RetryPolicy {
    /// Exponential, with up to a quarter of jitter so that parallel clients spread out.
    fn delay(&self, attempt: u32) -> Duration {
        let exponential = self
            .base_delay
            .saturating_mul(1 << attempt.saturating_sub(1).min(16));
        let capped = exponential.min(self.max_delay);
        let jitter = getrandom::u64().unwrap_or(0) % (capped.as_millis() as u64 / 4 + 1);
        capped + Duration::from_millis(jitter)
    }
}

/// A sink for `-vv` trace lines.
pub type Trace = Arc<dyn Fn(&str) + Send + Sync>;

/// Everything [`FcClient::new`] needs.
pub struct ClientOptions {
    pub endpoint: Endpoint,
    pub credentials: Credentials,
    /// A PEM file of root certificates to trust instead of the system's. `None` uses the
    /// system's store (or `SSL_CERT_FILE`).
    pub ca_file: Option<PathBuf>,
    pub trace: Option<Trace>,
    pub retry: RetryPolicy,
    /// Time allowed for one request that sends no body; uploads get more, by size.
    pub timeout: Duration,
}

impl ClientOptions {
    pub fn new(endpoint: Endpoint, credentials: Credentials) -> Self {
        Self {
            endpoint,
            credentials,
            ca_file: None,
            trace: None,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(60),
        }
    }
}

/// One HTTP request that was sent, for `-v` summaries and the benchmark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub action: &'static str,
    pub method: String,
    pub path: String,
    /// `None` when no answer came.
    pub status: Option<u16>,
    pub body_bytes: usize,
}

type HttpClient = Client<HttpsConnector<HttpConnector>, Full<Bytes>>;

/// A signed client for one FC endpoint.
pub struct FcClient {
    http: HttpClient,
    endpoint: Endpoint,
    credentials: Credentials,
    trace: Option<Trace>,
    retry: RetryPolicy,
    timeout: Duration,
    sent: Mutex<Vec<Sent>>,
}

/// One API call before signing.
struct Call {
    action: &'static str,
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    body: Vec<u8>,
    content_type: Option<&'static str>,
    /// Headers outside the signed set (the invocation options).
    extra: Vec<(&'static str, String)>,
    /// Whether repeating it after an unknown outcome is harmless.
    idempotent: bool,
}

impl Call {
    fn new(action: &'static str, method: Method, path: String) -> Self {
        let idempotent = method == Method::GET;
        Self {
            action,
            method,
            path,
            query: Vec::new(),
            body: Vec::new(),
            content_type: None,
            extra: Vec::new(),
            idempotent,
        }
    }

    fn json(mut self, body: &Value) -> Self {
        self.body = body.to_string().into_bytes();
        self.content_type = Some("application/json");
        self
    }
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

enum AttemptError {
    /// No connection was made: nothing reached FC.
    Connect(String),
    /// The connection broke after the request may have been sent.
    Transport(String),
    TimedOut(Duration),
}

fn functions_path(name: &str) -> String {
    format!(
        "/{API_VERSION}/functions/{}",
        sign::encode_path_segment(name)
    )
}

fn triggers_path(function: &str) -> String {
    format!("{}/triggers", functions_path(function))
}

fn trigger_path(function: &str, trigger: &str) -> String {
    format!(
        "{}/{}",
        triggers_path(function),
        sign::encode_path_segment(trigger)
    )
}

impl FcClient {
    pub fn new(options: ClientOptions) -> Result<Self, ApiError> {
        let mut roots = rustls::RootCertStore::empty();
        let certificates = match &options.ca_file {
            Some(path) => {
                let found = rustls_native_certs::load_certs_from_paths(Some(path), None);
                if let Some(error) = found.errors.first() {
                    return Err(ApiError::Certificates {
                        detail: error.to_string(),
                    });
                }
                found.certs
            }
            None => {
                let found = rustls_native_certs::load_native_certs();
                if found.certs.is_empty() && options.endpoint.secure {
                    return Err(ApiError::Certificates {
                        detail: found
                            .errors
                            .first()
                            .map(ToString::to_string)
                            .unwrap_or_else(|| "no root certificates were found".into()),
                    });
                }
                found.certs
            }
        };
        let (_added, _ignored) = roots.add_parsable_certificates(certificates);
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| ApiError::Certificates {
            detail: e.to_string(),
        })?
        .with_root_certificates(roots)
        .with_no_client_auth();
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(Some(Duration::from_secs(10)));
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let client = Client::builder(TokioExecutor::new()).build(connector);
        Ok(Self {
            http: client,
            endpoint: options.endpoint,
            credentials: options.credentials,
            trace: options.trace,
            retry: options.retry,
            timeout: options.timeout,
            sent: Mutex::new(Vec::new()),
        })
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    pub fn credentials_source(&self) -> &Source {
        &self.credentials.source
    }

    /// Every request sent so far, retries included.
    pub fn sent(&self) -> Vec<Sent> {
        self.sent.lock().expect("the request log").clone()
    }

    /// GetFunction; `None` when FC has no such function.
    pub async fn get_function(&self, name: &str) -> Result<Option<Function>, ApiError> {
        let call = Call::new("GetFunction", Method::GET, functions_path(name));
        match self.call(&call).await {
            Ok(reply) => Ok(Some(Function::from_json(self.json_of(&call, &reply)?))),
            Err(ApiError::Service { code, .. }) if code == "FunctionNotFound" => Ok(None),
            Err(error) => Err(error),
        }
    }

    pub async fn create_function(&self, input: &CreateFunctionInput) -> Result<Function, ApiError> {
        let call = Call::new(
            "CreateFunction",
            Method::POST,
            format!("/{API_VERSION}/functions"),
        )
        .json(&input.to_json());
        let reply = self.call(&call).await?;
        Ok(Function::from_json(self.json_of(&call, &reply)?))
    }

    pub async fn update_function(
        &self,
        name: &str,
        input: &UpdateFunctionInput,
    ) -> Result<Function, ApiError> {
        let call =
            Call::new("UpdateFunction", Method::PUT, functions_path(name)).json(&input.to_json());
        let reply = self.call(&call).await?;
        Ok(Function::from_json(self.json_of(&call, &reply)?))
    }

    /// ListTriggers, following `nextToken` to the end.
    pub async fn list_triggers(&self, function: &str) -> Result<Vec<Trigger>, ApiError> {
        let mut triggers = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let mut call = Call::new("ListTriggers", Method::GET, triggers_path(function));
            call.query.push(("limit".into(), "100".into()));
            if let Some(token) = &next {
                call.query.push(("nextToken".into(), token.clone()));
            }
            let reply = self.call(&call).await?;
            let page: ListTriggersOutput = self.parse(&call, &reply)?;
            triggers.extend(page.triggers);
            match page.next_token.filter(|t| !t.is_empty()) {
                Some(token) if Some(&token) != next.as_ref() => next = Some(token),
                _ => return Ok(triggers),
            }
        }
    }

    pub async fn create_trigger(
        &self,
        function: &str,
        input: &CreateTriggerInput,
    ) -> Result<Trigger, ApiError> {
        let body = serde_json::to_value(input).expect("a trigger input serialises");
        let call = Call::new("CreateTrigger", Method::POST, triggers_path(function)).json(&body);
        let reply = self.call(&call).await?;
        self.parse(&call, &reply)
    }

    pub async fn update_trigger(
        &self,
        function: &str,
        trigger: &str,
        input: &UpdateTriggerInput,
    ) -> Result<Trigger, ApiError> {
        let body = serde_json::to_value(input).expect("a trigger input serialises");
        let call = Call::new(
            "UpdateTrigger",
            Method::PUT,
            trigger_path(function, trigger),
        )
        .json(&body);
        let reply = self.call(&call).await?;
        self.parse(&call, &reply)
    }

    pub async fn delete_trigger(&self, function: &str, trigger: &str) -> Result<(), ApiError> {
        let call = Call::new(
            "DeleteTrigger",
            Method::DELETE,
            trigger_path(function, trigger),
        );
        self.call(&call).await.map(|_| ())
    }

    /// InvokeFunction, synchronously, asking for the log tail (`x-fc-log-type: Tail`).
    pub async fn invoke_function(
        &self,
        function: &str,
        payload: Vec<u8>,
        options: &InvokeOptions,
    ) -> Result<Invocation, ApiError> {
        let mut call = Call::new(
            "InvokeFunction",
            Method::POST,
            format!("{}/invocations", functions_path(function)),
        );
        call.body = payload;
        call.content_type = Some("application/octet-stream");
        if let Some(qualifier) = &options.qualifier {
            call.query.push(("qualifier".into(), qualifier.clone()));
        }
        if options.asynchronous {
            // FC answers an asynchronous invocation at once, without a log.
            call.extra.push((protocol::INVOCATION_TYPE, "Async".into()));
        } else {
            call.extra.push((protocol::LOG_TYPE, "Tail".into()));
        }
        let reply = self.call(&call).await?;
        let header = |name: &str| {
            reply
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let log = header(protocol::LOG_RESULT).map(|encoded| {
            use base64::Engine;
            match base64::engine::general_purpose::STANDARD.decode(encoded.trim()) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(_) => encoded,
            }
        });
        Ok(Invocation {
            status: reply.status.as_u16(),
            request_id: header(protocol::REQUEST_ID).or_else(|| header("x-acs-request-id")),
            body: reply.body.to_vec(),
            log,
            error_type: header("x-fc-error-type"),
        })
    }

    fn json_of(&self, call: &Call, reply: &Reply) -> Result<Value, ApiError> {
        serde_json::from_slice(&reply.body).map_err(|e| ApiError::UnexpectedResponse {
            action: call.action,
            status: reply.status.as_u16(),
            detail: format!("the body is not JSON: {e}"),
        })
    }

    fn parse<T: serde::de::DeserializeOwned>(
        &self,
        call: &Call,
        reply: &Reply,
    ) -> Result<T, ApiError> {
        serde_json::from_slice(&reply.body).map_err(|e| ApiError::UnexpectedResponse {
            action: call.action,
            status: reply.status.as_u16(),
            detail: e.to_string(),
        })
    }

    async fn call(&self, call: &Call) -> Result<Reply, ApiError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let last = attempt >= self.retry.attempts;
            let error = match self.attempt(call).await {
                Ok(reply) if reply.status.is_success() => return Ok(reply),
                Ok(reply) => {
                    let error = self.error_of(call, &reply, attempt);
                    let retry = matches!(error, ApiError::Throttled { .. })
                        || (call.idempotent && reply.status.is_server_error());
                    if !retry || last {
                        return Err(error);
                    }
                    error
                }
                Err(AttemptError::Connect(detail)) => {
                    let error = ApiError::Connect {
                        endpoint: self.endpoint.base_url(),
                        detail,
                        attempts: attempt,
                    };
                    if last {
                        return Err(error);
                    }
                    error
                }
                Err(AttemptError::Transport(detail)) => {
                    let error = ApiError::Transport {
                        action: call.action,
                        endpoint: self.endpoint.base_url(),
                        detail,
                        idempotent: call.idempotent,
                    };
                    if !call.idempotent || last {
                        return Err(error);
                    }
                    error
                }
                Err(AttemptError::TimedOut(after)) => {
                    let error = ApiError::TimedOut {
                        action: call.action,
                        endpoint: self.endpoint.base_url(),
                        seconds: after.as_secs(),
                        idempotent: call.idempotent,
                    };
                    if !call.idempotent || last {
                        return Err(error);
                    }
                    error
                }
            };
            let delay = self.retry.delay(attempt);
            self.trace(&format!(
                "  retrying {} in {} ms after: {error}",
                call.action,
                delay.as_millis()
            ));
            tokio::time::sleep(delay).await;
        }
    }

    fn trace(&self, line: &str) {
        if let Some(trace) = &self.trace {
            trace(line);
        }
    }

    /// The headers of one attempt, signed. A new date and nonce each time, as the gateway
    /// rejects a repeated nonce.
    fn signed_headers(&self, call: &Call) -> Vec<(String, String)> {
        let payload_sha256 = sign::sha256_hex(&call.body);
        let mut headers: Vec<(String, String)> = vec![
            ("host".into(), self.endpoint.authority.clone()),
            ("x-acs-action".into(), call.action.into()),
            ("x-acs-version".into(), API_VERSION.into()),
            ("x-acs-date".into(), acs_date(SystemTime::now())),
            ("x-acs-signature-nonce".into(), nonce()),
            ("x-acs-content-sha256".into(), payload_sha256.clone()),
        ];
        if let Some(content_type) = call.content_type {
            headers.push(("content-type".into(), content_type.into()));
        }
        if let Some(token) = &self.credentials.security_token {
            // As the SDK sends an STS key.
            headers.push((
                "x-acs-accesskey-id".into(),
                self.credentials.access_key_id.clone(),
            ));
            headers.push(("x-acs-security-token".into(), token.expose().to_string()));
        }
        headers.push(("accept".into(), "application/json".into()));
        headers.push((
            "user-agent".into(),
            format!("cargo-fc/{}", env!("CARGO_PKG_VERSION")),
        ));
        for (name, value) in &call.extra {
            headers.push((name.to_string(), value.clone()));
        }
        let signed = sign::sign(
            &CanonicalInput {
                method: call.method.as_str(),
                path: &call.path,
                query: &call.query,
                headers: &headers,
                payload_sha256: &payload_sha256,
            },
            self.credentials.access_key_secret.expose(),
        );
        headers.push((
            "authorization".into(),
            signed.authorization(&self.credentials.access_key_id),
        ));
        headers
    }

    async fn attempt(&self, call: &Call) -> Result<Reply, AttemptError> {
        let headers = self.signed_headers(call);
        let query = if call.query.is_empty() {
            String::new()
        } else {
            format!(
                "?{}",
                call.query
                    .iter()
                    .map(|(k, v)| format!(
                        "{}={}",
                        sign::percent_encode(k),
                        sign::percent_encode(v)
                    ))
                    .collect::<Vec<_>>()
                    .join("&")
            )
        };
        let url = format!("{}{}{query}", self.endpoint.base_url(), call.path);
        if self.trace.is_some() {
            self.trace(&format!(
                "> {} {url} ({}, {} bytes)",
                call.method,
                call.action,
                call.body.len()
            ));
            for (name, value) in &headers {
                self.trace(&format!("> {name}: {}", redact_header(name, value)));
            }
        }
        let uri: Uri = url
            .parse()
            .map_err(|e| AttemptError::Connect(format!("{url} is not a valid URL: {e}")))?;
        let mut builder = Request::builder().method(call.method.clone()).uri(uri);
        for (name, value) in &headers {
            let (Ok(name), Ok(value)) = (
                HeaderName::try_from(name.as_str()),
                HeaderValue::try_from(value.as_str()),
            ) else {
                return Err(AttemptError::Connect(format!(
                    "header {name} cannot be sent as HTTP"
                )));
            };
            builder = builder.header(name, value);
        }
        let request = builder
            .body(Full::new(Bytes::from(call.body.clone())))
            .map_err(|e| AttemptError::Connect(e.to_string()))?;
        // An upload gets a second per 256 KiB on top, so a slow link can send 100 MB.
        let allowed = self.timeout + Duration::from_secs(call.body.len() as u64 / (256 * 1024));
        let started = std::time::Instant::now();
        let outcome = tokio::time::timeout(allowed, async {
            let response = self.http.request(request).await?;
            let (parts, body) = response.into_parts();
            let body = body.collect().await?.to_bytes();
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>((parts, body))
        })
        .await;
        let mut record = Sent {
            action: call.action,
            method: call.method.to_string(),
            path: call.path.clone(),
            status: None,
            body_bytes: call.body.len(),
        };
        let result = match outcome {
            Err(_) => Err(AttemptError::TimedOut(allowed)),
            Ok(Err(error)) => {
                let connect = error
                    .downcast_ref::<hyper_util::client::legacy::Error>()
                    .is_some_and(|e| e.is_connect());
                let detail = error_chain(error.as_ref());
                Err(if connect {
                    AttemptError::Connect(detail)
                } else {
                    AttemptError::Transport(detail)
                })
            }
            Ok(Ok((parts, body))) => {
                record.status = Some(parts.status.as_u16());
                Ok(Reply {
                    status: parts.status,
                    headers: parts.headers,
                    body,
                })
            }
        };
        self.sent.lock().expect("the request log").push(record);
        if self.trace.is_some() {
            match &result {
                Ok(reply) => {
                    let request_id = reply
                        .headers
                        .get("x-acs-request-id")
                        .or_else(|| reply.headers.get("x-fc-request-id"))
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    self.trace(&format!(
                        "< {} (request id {request_id}, {} bytes, {} ms)",
                        reply.status,
                        reply.body.len(),
                        started.elapsed().as_millis()
                    ));
                }
                Err(AttemptError::Connect(detail) | AttemptError::Transport(detail)) => {
                    self.trace(&format!("< no answer: {detail}"));
                }
                Err(AttemptError::TimedOut(after)) => {
                    self.trace(&format!("< no answer within {} s", after.as_secs()));
                }
            }
        }
        result
    }

    fn error_of(&self, call: &Call, reply: &Reply, attempts: u32) -> ApiError {
        let body: ErrorBody = serde_json::from_slice(&reply.body).unwrap_or_default();
        let header = |name: &str| {
            reply
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let request_id = body
            .request_id()
            .map(str::to_string)
            .or_else(|| header("x-acs-request-id"))
            .or_else(|| header("x-fc-request-id"));
        let code = body.code().unwrap_or_default().to_string();
        let message = body.message().unwrap_or_default().to_string();
        let status = reply.status.as_u16();
        let source = self.credentials.source.to_string();
        if code.is_empty() && message.is_empty() && !reply.status.is_client_error() {
            let detail = String::from_utf8_lossy(&reply.body);
            return ApiError::Service {
                action: call.action,
                status,
                code: format!("HTTP {status}"),
                message: detail.chars().take(300).collect(),
                request_id,
            };
        }
        if code.starts_with("InvalidAccessKeyId") {
            return ApiError::InvalidAccessKeyId {
                access_key_id: self.credentials.access_key_id.clone(),
                source,
                request_id,
            };
        }
        if code == "SignatureNotMatch"
            || code == "SignatureDoesNotMatch"
            || code == "IncompleteSignature"
            || code.starts_with("InvalidTimeStamp")
        {
            let skew = header("date")
                .and_then(|date| httpdate::parse_http_date(&date).ok())
                .map(|server| seconds_between(SystemTime::now(), server));
            return ApiError::SignatureMismatch {
                code,
                message,
                source,
                request_id,
                clock_skew_seconds: skew,
            };
        }
        if code == "AccessDenied" || code.starts_with("Forbidden") || code == "NoPermission" {
            let ram_action = body
                .denied_action()
                .map(str::to_string)
                .unwrap_or_else(|| format!("fc:{}", call.action));
            return ApiError::AccessDenied {
                action: call.action,
                ram_action,
                message,
                request_id,
            };
        }
        if status == 429 || code.starts_with("Throttling") {
            return ApiError::Throttled {
                action: call.action,
                attempts,
                request_id,
            };
        }
        ApiError::Service {
            action: call.action,
            status,
            code,
            message,
            request_id,
        }
    }
}

fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    crate::error::strip_os_error(&text)
}

/// A header as a `-vv` trace may show it: the signature and the STS token never.
pub fn redact_header(name: &str, value: &str) -> String {
    match name.to_ascii_lowercase().as_str() {
        "authorization" => match value.rsplit_once("Signature=") {
            Some((head, _)) => format!("{head}Signature=<redacted>"),
            None => "<redacted>".into(),
        },
        "x-acs-security-token" => "<redacted>".into(),
        _ => value.to_string(),
    }
}

/// FC's error body. The SDK accepts both capitalisations, so this does too.
#[derive(Debug, Default, Deserialize)]
struct ErrorBody {
    #[serde(rename = "Code", default)]
    code_upper: Option<String>,
    #[serde(default)]
    code: Option<String>,
    #[serde(rename = "Message", default)]
    message_upper: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(rename = "RequestId", default)]
    request_id_upper: Option<String>,
    #[serde(rename = "requestId", default)]
    request_id: Option<String>,
    #[serde(rename = "AccessDeniedDetail", default)]
    denied_upper: Option<Value>,
    #[serde(rename = "accessDeniedDetail", default)]
    denied: Option<Value>,
}

impl ErrorBody {
    fn code(&self) -> Option<&str> {
        self.code_upper.as_deref().or(self.code.as_deref())
    }

    fn message(&self) -> Option<&str> {
        self.message_upper.as_deref().or(self.message.as_deref())
    }

    fn request_id(&self) -> Option<&str> {
        self.request_id_upper
            .as_deref()
            .or(self.request_id.as_deref())
    }

    /// `AccessDeniedDetail.AuthAction`: the RAM action that was missing.
    fn denied_action(&self) -> Option<&str> {
        let detail = self.denied_upper.as_ref().or(self.denied.as_ref())?;
        detail
            .get("AuthAction")
            .or_else(|| detail.get("authAction"))
            .and_then(Value::as_str)
    }
}

/// `server - local`, in whole seconds.
fn seconds_between(local: SystemTime, server: SystemTime) -> i64 {
    match server.duration_since(local) {
        Ok(ahead) => ahead.as_secs() as i64,
        Err(behind) => -(behind.duration().as_secs() as i64),
    }
}

fn nonce() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    hex::encode(bytes)
}

/// `x-acs-date`: UTC, `YYYY-MM-DDTHH:MM:SSZ`.
pub fn acs_date(time: SystemTime) -> String {
    let seconds = time
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    crate::calendar::Utc::from_unix(seconds).rfc3339()
}

/// A request to FC failed.
#[derive(Debug)]
pub enum ApiError {
    /// `--endpoint` is not a URL cargo fc can use.
    InvalidEndpoint {
        endpoint: String,
        reason: String,
    },
    /// No region from `--region`, the template or `ALIBABA_CLOUD_REGION_ID`.
    NoRegion,
    InvalidRegion {
        region: String,
    },
    /// The root certificates could not be loaded.
    Certificates {
        detail: String,
    },
    /// No connection could be made, after retrying.
    Connect {
        endpoint: String,
        detail: String,
        attempts: u32,
    },
    /// The connection broke during a request.
    Transport {
        action: &'static str,
        endpoint: String,
        detail: String,
        idempotent: bool,
    },
    TimedOut {
        action: &'static str,
        endpoint: String,
        seconds: u64,
        idempotent: bool,
    },
    /// FC does not know the AccessKey ID.
    InvalidAccessKeyId {
        access_key_id: String,
        source: String,
        request_id: Option<String>,
    },
    /// FC computed another signature: a wrong secret, or a clock far off.
    SignatureMismatch {
        code: String,
        message: String,
        source: String,
        request_id: Option<String>,
        /// FC's clock minus this machine's, from the answer's `Date`.
        clock_skew_seconds: Option<i64>,
    },
    /// The key's RAM user or role lacks a permission.
    AccessDenied {
        action: &'static str,
        ram_action: String,
        message: String,
        request_id: Option<String>,
    },
    /// FC kept throttling after the retries.
    Throttled {
        action: &'static str,
        attempts: u32,
        request_id: Option<String>,
    },
    /// Any other error FC answered with.
    Service {
        action: &'static str,
        status: u16,
        code: String,
        message: String,
        request_id: Option<String>,
    },
    /// FC answered with something that is not its documented shape.
    UnexpectedResponse {
        action: &'static str,
        status: u16,
        detail: String,
    },
}

impl ApiError {
    /// FC's error code, for errors FC answered with.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Service { code, .. } | ApiError::SignatureMismatch { code, .. } => Some(code),
            ApiError::InvalidAccessKeyId { .. } => Some("InvalidAccessKeyId"),
            ApiError::AccessDenied { .. } => Some("AccessDenied"),
            ApiError::Throttled { .. } => Some("Throttling"),
            _ => None,
        }
    }

    pub fn request_id(&self) -> Option<&str> {
        match self {
            ApiError::InvalidAccessKeyId { request_id, .. }
            | ApiError::SignatureMismatch { request_id, .. }
            | ApiError::AccessDenied { request_id, .. }
            | ApiError::Throttled { request_id, .. }
            | ApiError::Service { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::InvalidEndpoint { endpoint, reason } => {
                write!(f, "--endpoint `{endpoint}` cannot be used: {reason}")
            }
            ApiError::NoRegion => f.write_str("no FC region is set"),
            ApiError::InvalidRegion { region } => {
                write!(f, "`{region}` is not an Alibaba Cloud region id")
            }
            ApiError::Certificates { detail } => {
                write!(f, "could not load the root certificates to trust: {detail}")
            }
            ApiError::Connect {
                endpoint,
                detail,
                attempts,
            } => write!(
                f,
                "could not connect to {endpoint} ({attempts} attempts): {detail}"
            ),
            ApiError::Transport {
                action,
                endpoint,
                detail,
                ..
            } => write!(f, "{action} to {endpoint} failed: {detail}"),
            ApiError::TimedOut {
                action,
                endpoint,
                seconds,
                ..
            } => write!(f, "{action} to {endpoint} got no answer within {seconds} s"),
            ApiError::InvalidAccessKeyId { access_key_id, .. } => {
                write!(f, "FC does not know the AccessKey ID `{access_key_id}`")
            }
            ApiError::SignatureMismatch { code, .. } => {
                write!(f, "FC rejected the request's signature ({code})")
            }
            ApiError::AccessDenied {
                action, ram_action, ..
            } => write!(
                f,
                "FC denied {action}: the AccessKey's RAM user or role lacks `{ram_action}`"
            ),
            ApiError::Throttled {
                action, attempts, ..
            } => write!(f, "FC throttled {action} ({attempts} attempts)"),
            ApiError::Service {
                action,
                status,
                code,
                message,
                ..
            } => {
                write!(f, "FC refused {action}: {code} (HTTP {status})")?;
                if !message.is_empty() {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
            ApiError::UnexpectedResponse {
                action,
                status,
                detail,
            } => write!(
                f,
                "FC answered {action} with HTTP {status} in an unexpected shape: {detail}"
            ),
        }
    }
}

impl Failure for ApiError {
    fn exit(&self) -> Exit {
        match self {
            ApiError::InvalidEndpoint { .. }
            | ApiError::NoRegion
            | ApiError::InvalidRegion { .. } => Exit::Usage,
            _ => Exit::Deploy,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            ApiError::InvalidEndpoint { .. } => "deploy.invalid-endpoint",
            ApiError::NoRegion => "deploy.no-region",
            ApiError::InvalidRegion { .. } => "deploy.invalid-region",
            ApiError::Certificates { .. } => "deploy.certificates",
            ApiError::Connect { .. } => "deploy.connect",
            ApiError::Transport { .. } => "deploy.transport",
            ApiError::TimedOut { .. } => "deploy.timed-out",
            ApiError::InvalidAccessKeyId { .. } => "deploy.invalid-access-key-id",
            ApiError::SignatureMismatch { .. } => "deploy.signature-mismatch",
            ApiError::AccessDenied { .. } => "deploy.access-denied",
            ApiError::Throttled { .. } => "deploy.throttled",
            ApiError::Service { .. } => "deploy.fc-error",
            ApiError::UnexpectedResponse { .. } => "deploy.unexpected-response",
        }
    }

    fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        match self {
            ApiError::SignatureMismatch { message, .. }
            | ApiError::AccessDenied { message, .. }
                if !message.is_empty() =>
            {
                notes.push(format!("FC said: {message}"));
            }
            _ => {}
        }
        if let Some(id) = self.request_id() {
            notes.push(format!("request id: {id}"));
        }
        notes
    }

    fn help(&self) -> Option<String> {
        Some(match self {
            ApiError::InvalidEndpoint { .. } => {
                "give a URL such as https://fcv3.cn-hangzhou.aliyuncs.com, or leave --endpoint out to use the region's".into()
            }
            ApiError::NoRegion => {
                "set `region:` in the template, pass --region (e.g. cn-hangzhou), or export ALIBABA_CLOUD_REGION_ID".into()
            }
            ApiError::InvalidRegion { .. } => {
                "region ids look like cn-hangzhou or ap-southeast-1".into()
            }
            ApiError::Certificates { .. } => {
                "install the system's CA certificates (Debian: ca-certificates), or point SSL_CERT_FILE at a PEM bundle".into()
            }
            ApiError::Connect { .. } => {
                "check the network and the region; --endpoint names another endpoint (a VPC endpoint or a gateway)".into()
            }
            ApiError::Transport { idempotent, .. } | ApiError::TimedOut { idempotent, .. } => {
                if *idempotent {
                    "check the network, then run the command again".into()
                } else {
                    "the change may or may not have been applied: `cargo fc deploy --plan` shows FC's state now".into()
                }
            }
            ApiError::InvalidAccessKeyId { source, .. } => format!(
                "the key came from {source}; check it in the RAM console (it may be deleted or disabled), or give another"
            ),
            ApiError::SignatureMismatch {
                source,
                clock_skew_seconds,
                ..
            } => match clock_skew_seconds {
                Some(skew) if skew.abs() > 300 => format!(
                    "this machine's clock is {} s {} FC's: set the clock right (NTP), then run again",
                    skew.abs(),
                    if *skew > 0 { "behind" } else { "ahead of" }
                ),
                _ => format!(
                    "the AccessKey secret does not match its ID: check the secret in {source} (a copy-paste may have cut it), or check that this machine's clock is right"
                ),
            },
            ApiError::AccessDenied { ram_action, .. } => format!(
                "grant `{ram_action}` to the key's RAM user or role (the system policy AliyunFCFullAccess has every fc: action)"
            ),
            ApiError::Throttled { .. } => {
                "FC limits how many API calls an account makes per second: wait a little and run again".into()
            }
            ApiError::Service { .. } | ApiError::UnexpectedResponse { .. } => return None,
        })
    }

    fn details(&self) -> Value {
        json!({
            "code": self.code(),
            "request_id": self.request_id(),
            "message": self.to_string(),
        })
    }

    failure_any!();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_follow_the_sdks_map() {
        assert_eq!(
            Endpoint::for_region("cn-hangzhou").unwrap().base_url(),
            "https://fcv3.cn-hangzhou.aliyuncs.com"
        );
        assert_eq!(
            Endpoint::for_region("me-central-1").unwrap().authority,
            "me-central-1.fc.aliyuncs.com"
        );
        assert!(Endpoint::for_region("cn hangzhou").is_err());
    }

    #[test]
    fn endpoint_urls_are_a_scheme_and_an_authority() {
        let local = Endpoint::parse("http://127.0.0.1:9000/").unwrap();
        assert!(!local.secure);
        assert_eq!(local.authority, "127.0.0.1:9000");
        assert!(Endpoint::parse("https://fc.example.com").unwrap().secure);
        for bad in [
            "fcv3.cn-hangzhou.aliyuncs.com",
            "https://",
            "https://h/2023-03-30",
            "ftp://h",
        ] {
            let error = Endpoint::parse(bad).unwrap_err();
            assert_eq!(error.kind(), "deploy.invalid-endpoint", "{bad}");
            assert_eq!(error.exit(), Exit::Usage);
        }
    }

    #[test]
    fn the_flag_beats_the_template_which_beats_the_environment() {
        assert_eq!(choose_region(Some("a"), Some("b"), Some("c")).unwrap(), "a");
        assert_eq!(choose_region(None, Some("b"), Some("c")).unwrap(), "b");
        assert_eq!(choose_region(None, None, Some("c")).unwrap(), "c");
        assert!(matches!(
            choose_region(None, Some(""), None),
            Err(ApiError::NoRegion)
        ));
    }

    #[test]
    fn acs_dates_are_utc_seconds() {
        let time = UNIX_EPOCH + Duration::from_secs(1_698_315_752);
        assert_eq!(acs_date(time), "2023-10-26T10:22:32Z");
        assert_eq!(acs_date(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(acs_date(leap), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn nonces_are_fresh() {
        let (a, b) = (nonce(), nonce());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }

    #[test]
    fn traces_never_show_the_signature_or_the_token() {
        let authorization =
            "ACS3-HMAC-SHA256 Credential=LTAIid,SignedHeaders=host;x-acs-date,Signature=abcdef0123";
        let shown = redact_header("Authorization", authorization);
        assert_eq!(
            shown,
            "ACS3-HMAC-SHA256 Credential=LTAIid,SignedHeaders=host;x-acs-date,Signature=<redacted>"
        );
        assert_eq!(redact_header("x-acs-security-token", "tok"), "<redacted>");
        assert_eq!(redact_header("x-acs-date", "d"), "d");
    }

    #[test]
    fn backoff_grows_and_stops_growing() {
        let policy = RetryPolicy::default();
        let first = policy.delay(1);
        assert!(first >= Duration::from_millis(300) && first < Duration::from_millis(400));
        let late = policy.delay(10);
        assert!(late >= Duration::from_secs(8) && late <= Duration::from_secs(10));
    }

    #[test]
    fn access_denied_bodies_name_the_missing_ram_action() {
        let body: ErrorBody = serde_json::from_str(
            r#"{"Code":"AccessDenied","Message":"denied","RequestId":"1-2","AccessDeniedDetail":{"AuthAction":"fc:UpdateFunction","NoPermissionType":"ImplicitDeny"}}"#,
        )
        .unwrap();
        assert_eq!(body.denied_action(), Some("fc:UpdateFunction"));
        assert_eq!(body.request_id(), Some("1-2"));
        let lower: ErrorBody =
            serde_json::from_str(r#"{"code":"x","message":"y","requestId":"z"}"#).unwrap();
        assert_eq!(lower.code(), Some("x"));
    }
}
