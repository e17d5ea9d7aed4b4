//! Pushing an image through the engine to the registry its tag names, with credentials found
//! the way the docker CLI finds them.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use bollard::auth::DockerCredentials;
use bollard::query_parameters::PushImageOptionsBuilder;
use futures_util::StreamExt;
use serde_json::Value;

use super::archive::LayerInfo;
use super::error::ContainerError;
use super::files::interruptible;
use crate::engine::Engine;
use crate::error::Result;
use crate::ui::Ui;

/// An image reference: `[REGISTRY/]PATH[:TAG][@DIGEST]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The registry host (and port), when the reference names one.
    pub registry: Option<String>,
    /// Everything before the tag: `registry.cn-hangzhou.aliyuncs.com/ns/hello`.
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl Reference {
    /// The reference as the engine tags an image: the repository and the tag (`latest` if none).
    pub fn tagged(&self) -> String {
        format!(
            "{}:{}",
            self.repository,
            self.tag.as_deref().unwrap_or("latest")
        )
    }

    /// The reference of a pushed image by its digest.
    pub fn with_digest(&self, digest: &str) -> String {
        format!("{}@{digest}", self.repository)
    }
}

/// Parses a reference as the engine would, with the reason when it is not one.
pub fn parse_reference(text: &str) -> std::result::Result<Reference, String> {
    let (rest, digest) = match text.split_once('@') {
        Some((rest, digest)) => {
            let hex = digest
                .strip_prefix("sha256:")
                .ok_or("a digest is sha256:<64 hex digits>")?;
            if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err("a digest is sha256:<64 hex digits>".into());
            }
            (rest, Some(digest.to_string()))
        }
        None => (text, None),
    };
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (repository, tag) = match rest[last_slash..].rfind(':') {
        Some(colon) => (
            &rest[..last_slash + colon],
            Some(rest[last_slash + colon + 1..].to_string()),
        ),
        None => (rest, None),
    };
    if let Some(tag) = &tag {
        let valid = !tag.is_empty()
            && tag.len() <= 128
            && !tag.starts_with(['.', '-'])
            && tag
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if !valid {
            return Err(format!(
                "the tag `{tag}` may have only letters, digits, _ . - (at most 128, not starting with . or -)"
            ));
        }
    }
    let mut parts: Vec<&str> = repository.split('/').collect();
    let registry = match parts.first() {
        Some(first)
            if parts.len() > 1
                && (first.contains('.') || first.contains(':') || *first == "localhost") =>
        {
            Some(parts.remove(0).to_string())
        }
        _ => None,
    };
    if parts.is_empty() || parts.iter().any(|p| p.is_empty()) {
        return Err("it has an empty name component".into());
    }
    for part in &parts {
        let valid = part
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
            && part.starts_with(|c: char| c.is_ascii_alphanumeric())
            && part.ends_with(|c: char| c.is_ascii_alphanumeric());
        if !valid {
            return Err(format!(
                "the name component `{part}` may have only lowercase letters, digits and . _ - between them"
            ));
        }
    }
    Ok(Reference {
        registry,
        repository: repository.to_string(),
        tag,
        digest,
    })
}

/// Where the docker CLI keeps its configuration: `$DOCKER_CONFIG/config.json`, else
/// `~/.docker/config.json`.
pub fn docker_config_path() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DOCKER_CONFIG").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("config.json"));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|home| PathBuf::from(home).join(".docker").join("config.json"))
}

/// The key the docker CLI files a registry's credentials under: Docker Hub's is a URL.
fn config_key(registry: &str) -> String {
    match registry {
        "docker.io" | "index.docker.io" | "registry-1.docker.io" => {
            "https://index.docker.io/v1/".into()
        }
        other => other.into(),
    }
}

/// `https://registry.example.com/v1/` → `registry.example.com`, as the CLI compares keys.
fn host_of(key: &str) -> &str {
    let key = key
        .strip_prefix("https://")
        .or_else(|| key.strip_prefix("http://"))
        .unwrap_or(key);
    key.split('/').next().unwrap_or(key)
}

/// Where a registry's credentials come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    None,
    /// `auths` in the configuration.
    File(PathBuf),
    /// `docker-credential-<helper>`.
    Helper(String),
    /// `--registry-user` and standard input.
    CommandLine,
}

/// The credentials for `registry` from a docker configuration file, if it has any.
pub fn from_config(
    config_path: &Path,
    registry: &str,
) -> Result<(Option<DockerCredentials>, Source)> {
    let text = match std::fs::read_to_string(config_path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((None, Source::None)),
        Err(e) => return Err(crate::error::IoError::new("read", config_path, e).into()),
    };
    let bad = |message: String| ContainerError::DockerConfig {
        path: config_path.to_path_buf(),
        message,
    };
    let config: Value =
        serde_json::from_str(&text).map_err(|e| bad(format!("is not valid JSON: {e}")))?;
    let key = config_key(registry);
    let helper = config
        .get("credHelpers")
        .and_then(Value::as_object)
        .and_then(|helpers| {
            helpers
                .iter()
                .find(|(k, _)| host_of(k) == host_of(&key))
                .and_then(|(_, v)| v.as_str())
        })
        .or_else(|| config.get("credsStore").and_then(Value::as_str))
        .filter(|helper| !helper.is_empty());
    if let Some(helper) = helper {
        let found = run_helper(helper, &key)?;
        if found.is_some() {
            return Ok((found, Source::Helper(helper.to_string())));
        }
    }
    let Some(entry) = config
        .get("auths")
        .and_then(Value::as_object)
        .and_then(|auths| auths.iter().find(|(k, _)| host_of(k) == host_of(&key)))
        .map(|(_, v)| v)
    else {
        return Ok((None, Source::None));
    };
    let field = |name: &str| entry.get(name).and_then(Value::as_str).map(str::to_string);
    let mut credentials = DockerCredentials {
        serveraddress: Some(registry.to_string()),
        identitytoken: field("identitytoken"),
        ..DockerCredentials::default()
    };
    if let Some(auth) = field("auth").filter(|a| !a.is_empty()) {
        use base64::Engine as _;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(auth.trim())
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or_else(|| {
                bad(format!(
                    "the `auth` of {registry} in `auths` is not base64 of USER:PASSWORD"
                ))
            })?;
        let (user, password) = decoded.split_once(':').ok_or_else(|| {
            bad(format!(
                "the `auth` of {registry} in `auths` is not base64 of USER:PASSWORD"
            ))
        })?;
        credentials.username = Some(user.to_string());
        credentials.password = Some(password.to_string());
    } else {
        credentials.username = field("username");
        credentials.password = field("password");
    }
    if credentials.username.is_none() && credentials.identitytoken.is_none() {
        return Ok((None, Source::None));
    }
    Ok((Some(credentials), Source::File(config_path.to_path_buf())))
}

/// Asks `docker-credential-<helper> get` for a registry's credentials, as the docker CLI does:
/// the server on standard input, `{"ServerURL","Username","Secret"}` on standard output.
fn run_helper(helper: &str, server: &str) -> Result<Option<DockerCredentials>> {
    let program = format!("docker-credential-{helper}");
    let fail = |message: String| ContainerError::CredentialHelper {
        helper: helper.to_string(),
        registry: server.to_string(),
        message,
    };
    let mut child = Command::new(&program)
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| fail(format!("could not start {program}: {e}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(server.as_bytes());
    }
    let output = child
        .wait_with_output()
        .map_err(|e| fail(format!("{program} did not finish: {e}")))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        // The helper's way of saying it has nothing for this server.
        if stdout.contains("credentials not found") {
            return Ok(None);
        }
        let said = String::from_utf8_lossy(&output.stderr);
        return Err(fail(format!("{} {}", output.status, said.trim())).into());
    }
    let answer: Value =
        serde_json::from_str(&stdout).map_err(|e| fail(format!("its answer is not JSON: {e}")))?;
    let text = |name: &str| answer.get(name).and_then(Value::as_str).map(str::to_string);
    let (user, secret) = (text("Username"), text("Secret"));
    let mut credentials = DockerCredentials {
        serveraddress: Some(host_of(server).to_string()),
        ..DockerCredentials::default()
    };
    // The CLI's convention for an identity token rather than a password.
    if user.as_deref() == Some("<token>") {
        credentials.identitytoken = secret;
    } else {
        credentials.username = user;
        credentials.password = secret;
    }
    Ok(Some(credentials))
}

/// What the push did.
#[derive(Debug, Clone)]
pub struct Pushed {
    /// `sha256:…` of the manifest the registry stored.
    pub digest: String,
    pub pushed_layers: usize,
    pub existing_layers: usize,
}

/// Pushes `reference` through the engine, showing each layer's progress (the engine names a
/// layer by its upload's size in what bollard passes on, so the layers are told apart by that),
/// and returns the digest the registry gave.
pub fn push(
    engine: &Engine,
    reference: &Reference,
    credentials: DockerCredentials,
    layers: &[LayerInfo],
    ui: &Ui,
) -> Result<Pushed> {
    let tag = reference.tag.clone().unwrap_or_else(|| "latest".into());
    let shown = reference.tagged();
    let options = PushImageOptionsBuilder::new().tag(&tag).build();
    let progress = ui.spinner(format!("pushing {shown}"));
    let sizes: BTreeMap<u64, usize> = layers
        .iter()
        .enumerate()
        .map(|(index, layer)| (layer.size, index))
        .collect();
    let pushing = async {
        let mut stream =
            engine
                .docker()
                .push_image(&reference.repository, Some(options), Some(credentials));
        let mut digest = None;
        let mut current: BTreeMap<u64, u64> = BTreeMap::new();
        let (mut pushed, mut existing) = (0, 0);
        while let Some(item) = stream.next().await {
            let info = item.map_err(|e| crate::engine::describe(&e))?;
            if let Some(message) = info.error_detail.and_then(|d| d.message) {
                return Err(message);
            }
            let status = info.status.unwrap_or_default();
            if let Some(found) = status.split("digest: ").nth(1) {
                digest = found.split_whitespace().next().map(str::to_string);
            }
            match status.as_str() {
                "Pushed" => {
                    pushed += 1;
                    progress.println(&format!("    Pushed layer {pushed} of {}", layers.len()));
                }
                "Layer already exists" => existing += 1,
                _ => {}
            }
            if let Some(detail) = info.progress_detail
                && let (Some(now), Some(total)) = (detail.current, detail.total)
            {
                current.insert(total as u64, now as u64);
                let parts: Vec<String> = current
                    .iter()
                    .map(|(total, now)| {
                        let name = sizes
                            .get(total)
                            .map_or_else(|| "layer".to_string(), |i| format!("layer {}", i + 1));
                        format!(
                            "{name} {}/{}",
                            crate::ui::human_size(*now),
                            crate::ui::human_size(*total)
                        )
                    })
                    .collect();
                progress.set_message(format!("pushing {shown}: {}", parts.join(", ")));
            }
        }
        Ok::<_, String>((digest, pushed, existing))
    };
    let outcome = interruptible(engine, pushing)?;
    drop(progress);
    let (digest, pushed_layers, existing_layers) =
        outcome.map_err(|message| ContainerError::Push {
            tag: shown.clone(),
            message,
        })?;
    let digest = digest.ok_or_else(|| ContainerError::Push {
        tag: shown.clone(),
        message: "the engine finished without saying the digest it pushed".into(),
    })?;
    Ok(Pushed {
        digest,
        pushed_layers,
        existing_layers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_split_as_the_engine_splits_them() {
        let r = parse_reference("registry.cn-hangzhou.aliyuncs.com/ns/hello:v1").unwrap();
        assert_eq!(
            r.registry.as_deref(),
            Some("registry.cn-hangzhou.aliyuncs.com")
        );
        assert_eq!(r.repository, "registry.cn-hangzhou.aliyuncs.com/ns/hello");
        assert_eq!(r.tag.as_deref(), Some("v1"));
        let r = parse_reference("127.0.0.1:5000/hello").unwrap();
        assert_eq!(r.registry.as_deref(), Some("127.0.0.1:5000"));
        assert_eq!(r.tag, None);
        assert_eq!(r.tagged(), "127.0.0.1:5000/hello:latest");
        let r = parse_reference("hello:0.1.0").unwrap();
        assert_eq!(r.registry, None);
        let digest = format!("sha256:{}", "a".repeat(64));
        let r = parse_reference(&format!("localhost/x/y@{digest}")).unwrap();
        assert_eq!(r.digest.as_deref(), Some(digest.as_str()));
        assert_eq!(r.with_digest(&digest), format!("localhost/x/y@{digest}"));
        for bad in ["Hello:1", "a//b", "x:", "x:-1", "x@sha256:12", "_x"] {
            assert!(parse_reference(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn credentials_come_from_auths_and_helpers() {
        use base64::Engine as _;
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config.json");
        let auth = base64::engine::general_purpose::STANDARD.encode("alice:s3cret:with:colons");
        std::fs::write(
            &config,
            format!(
                r#"{{"auths": {{"https://registry.example.com/v2/": {{"auth": "{auth}"}}, "token.example.com": {{"identitytoken": "tok"}}}}}}"#
            ),
        )
        .unwrap();
        let (found, source) = from_config(&config, "registry.example.com").unwrap();
        let found = found.unwrap();
        assert_eq!(found.username.as_deref(), Some("alice"));
        assert_eq!(found.password.as_deref(), Some("s3cret:with:colons"));
        assert_eq!(source, Source::File(config.clone()));
        let (token, _) = from_config(&config, "token.example.com").unwrap();
        assert_eq!(token.unwrap().identitytoken.as_deref(), Some("tok"));
        let (none, source) = from_config(&config, "other.example.com").unwrap();
        assert!(none.is_none());
        assert_eq!(source, Source::None);

        std::fs::write(&config, "{ not json").unwrap();
        let error = from_config(&config, "registry.example.com").unwrap_err();
        assert!(error.to_string().contains("not valid JSON"), "{error}");
        assert!(
            from_config(&dir.path().join("absent.json"), "x")
                .unwrap()
                .0
                .is_none()
        );
    }
}
