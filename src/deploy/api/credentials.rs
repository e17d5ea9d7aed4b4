//! Where the AccessKey comes from, in this order, the first complete source winning:
//!
//! 1. `ALIBABA_CLOUD_ACCESS_KEY_ID` / `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, with
//!    `ALIBABA_CLOUD_SECURITY_TOKEN` for STS: the variables every Alibaba Cloud SDK reads.
//! 2. The aliyun CLI's `~/.aliyun/config.json`: `{"current": NAME, "profiles": [{"name", "mode",
//!    "access_key_id", "access_key_secret", "sts_token", …}]}` (aliyun-cli, config/configuration.go
//!    and config/profile.go). The profile is `ALIBABA_CLOUD_PROFILE` (or its aliases
//!    `ALIBABACLOUD_PROFILE`, `ALICLOUD_PROFILE`) when set, else `current`; modes `AK` and
//!    `StsToken` (matched without regard to case, as the CLI does) carry a usable key.
//! 3. Serverless Devs' `~/.s/access.yaml` (or `access.yml`): a map from an access name to its
//!    fields `AccessKeyID`, `AccessKeySecret`, `SecurityToken`, `AccountID`, `__provider`,
//!    `__default`, each value encrypted by crypto-js's `AES.encrypt(value, "SecretKey123")`
//!    (Serverless-Devs/toolkit, packages/credential: constant.ts, actions/set, actions/decrypt).
//!    That is OpenSSL's salted format, so it is decrypted here; a value that does not decrypt is
//!    taken as written, as Serverless Devs does. The entry is the template's `access:`; without
//!    one, the entry marked `__default: true`, else `default`. `access: ${aliyun-cli}` means the
//!    aliyun CLI's configuration, as in Serverless Devs. The folder is `$serverless_devs_config_home/.s`
//!    (default `~/.s`), or the `workspace` that `.s/config/s.json` names.
//!
//! A secret is held in [`Secret`], whose `Debug` prints `<redacted>` and which has no `Display`:
//! it reaches only the signer.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use aes::cipher::{BlockModeDecrypt, KeyIvInit, block_padding::Pkcs7};
use base64::Engine;
use md5::{Digest, Md5};
use serde::Deserialize;
use serde_json::json;

use crate::error::failure_any;
use crate::error::{Exit, Failure, Location};

/// A secret value: the AccessKey secret or an STS token.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself, for the signer and the request header that must carry it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// An AccessKey pair (and STS token) and where it was found.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// Not secret: it names the key, and FC echoes it in errors.
    pub access_key_id: String,
    pub access_key_secret: Secret,
    pub security_token: Option<Secret>,
    pub source: Source,
}

/// Which of the three sources the credentials came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Environment,
    AliyunCli {
        path: PathBuf,
        profile: String,
        mode: String,
    },
    ServerlessDevs {
        path: PathBuf,
        access: String,
    },
    /// None was needed: `cargo fc local start` accepts any signature.
    LocalEmulator,
}

impl Credentials {
    /// What requests to the local emulator are signed with when no real key is configured.
    pub fn for_local_emulator() -> Self {
        Self {
            access_key_id: "local".into(),
            access_key_secret: Secret::new("local"),
            security_token: None,
            source: Source::LocalEmulator,
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::LocalEmulator => {
                f.write_str("none needed: the local emulator does not check signatures")
            }
            Source::Environment => {
                f.write_str("the environment (ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET)")
            }
            Source::AliyunCli {
                path,
                profile,
                mode,
            } => write!(
                f,
                "profile `{profile}` ({mode}) of the aliyun CLI's {}",
                path.display()
            ),
            Source::ServerlessDevs { path, access } => write!(
                f,
                "access `{access}` of Serverless Devs' {}",
                path.display()
            ),
        }
    }
}

/// What the search reads: the environment, the home folder, and the template's `access:`.
pub struct Search<'a> {
    pub env: &'a dyn Fn(&str) -> Option<String>,
    pub home: Option<PathBuf>,
    /// The template's `access:` value, naming a Serverless Devs entry.
    pub access: Option<String>,
}

impl Search<'static> {
    /// This process's environment and `$HOME`.
    pub fn from_process(access: Option<String>) -> Self {
        Search {
            env: &process_var,
            home: std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .map(PathBuf::from),
            access,
        }
    }
}

fn process_var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

impl Search<'_> {
    fn var(&self, name: &str) -> Option<String> {
        (self.env)(name).filter(|v| !v.is_empty())
    }
}

/// The environment variables of source 1.
pub const ENV_ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
pub const ENV_ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
pub const ENV_SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";
/// The aliases the aliyun CLI accepts for the profile name, in its order.
const ENV_PROFILE: [&str; 3] = [
    "ALIBABACLOUD_PROFILE",
    "ALIBABA_CLOUD_PROFILE",
    "ALICLOUD_PROFILE",
];
/// Serverless Devs' alias for "use the aliyun CLI's configuration".
pub const ALIYUN_CLI_ACCESS: &str = "${aliyun-cli}";
/// The passphrase Serverless Devs encrypts access.yaml's values with (toolkit, constant.ts).
const SERVERLESS_DEVS_PASSPHRASE: &[u8] = b"SecretKey123";

/// Finds the first complete set of credentials.
pub fn find(search: &Search<'_>) -> Result<Credentials, CredentialsError> {
    let mut misses = Vec::new();
    match from_environment(search) {
        Ok(found) => return Ok(found),
        Err(why) => misses.push(Miss {
            way: Way::Environment,
            why,
        }),
    }
    let aliyun = from_aliyun_cli(search)?;
    let aliyun_why = match aliyun {
        Ok(found) => return Ok(found),
        Err(why) => why,
    };
    misses.push(Miss {
        way: Way::AliyunCli,
        why: aliyun_why,
    });
    match from_serverless_devs(search)? {
        Ok(found) => return Ok(found),
        Err(why) => misses.push(Miss {
            way: Way::ServerlessDevs,
            why,
        }),
    }
    Err(CredentialsError::NotFound { misses })
}

fn from_environment(search: &Search<'_>) -> Result<Credentials, String> {
    let id = search.var(ENV_ACCESS_KEY_ID);
    let secret = search.var(ENV_ACCESS_KEY_SECRET);
    match (id, secret) {
        (Some(id), Some(secret)) => Ok(Credentials {
            access_key_id: id,
            access_key_secret: Secret::new(secret),
            security_token: search.var(ENV_SECURITY_TOKEN).map(Secret::new),
            source: Source::Environment,
        }),
        (None, None) => Err(format!(
            "{ENV_ACCESS_KEY_ID} and {ENV_ACCESS_KEY_SECRET} are not set"
        )),
        (Some(_), None) => Err(format!(
            "{ENV_ACCESS_KEY_ID} is set but {ENV_ACCESS_KEY_SECRET} is not"
        )),
        (None, Some(_)) => Err(format!(
            "{ENV_ACCESS_KEY_SECRET} is set but {ENV_ACCESS_KEY_ID} is not"
        )),
    }
}

#[derive(Deserialize)]
struct AliyunConfig {
    #[serde(default)]
    current: String,
    #[serde(default)]
    profiles: Vec<AliyunProfile>,
}

#[derive(Deserialize)]
struct AliyunProfile {
    #[serde(default)]
    name: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    access_key_id: String,
    #[serde(default)]
    access_key_secret: String,
    #[serde(default)]
    sts_token: String,
}

/// The outer `Result` is a file that exists but cannot be read; the inner one a source that
/// holds no usable key, with the reason.
fn from_aliyun_cli(search: &Search<'_>) -> Result<Result<Credentials, String>, CredentialsError> {
    let Some(home) = &search.home else {
        return Ok(Err("HOME is not set".into()));
    };
    let path = home.join(".aliyun/config.json");
    let Some(text) = read_if_present(&path)? else {
        return Ok(Err(format!("{} does not exist", path.display())));
    };
    let config: AliyunConfig =
        serde_json::from_str(&text).map_err(|e| CredentialsError::Malformed {
            path: path.clone(),
            line: Some(e.line()),
            column: Some(e.column()),
            message: crate::error::strip_os_error(&e.to_string()),
        })?;
    let profile_name = ENV_PROFILE
        .iter()
        .find_map(|name| search.var(name))
        .or_else(|| (!config.current.is_empty()).then(|| config.current.clone()))
        .unwrap_or_else(|| "default".into());
    let Some(profile) = config.profiles.iter().find(|p| p.name == profile_name) else {
        return Ok(Err(format!(
            "{} has no profile `{profile_name}`",
            path.display()
        )));
    };
    let mode = profile.mode.to_ascii_lowercase();
    let wants_token = match mode.as_str() {
        "ak" => false,
        "ststoken" => true,
        "" => {
            return Ok(Err(format!(
                "profile `{profile_name}` in {} is not configured yet (no mode)",
                path.display()
            )));
        }
        _ => {
            return Ok(Err(format!(
                "profile `{profile_name}` in {} uses mode {}, which cargo fc cannot use (only AK and StsToken)",
                path.display(),
                profile.mode
            )));
        }
    };
    if profile.access_key_id.is_empty() || profile.access_key_secret.is_empty() {
        return Ok(Err(format!(
            "profile `{profile_name}` in {} has no access_key_id/access_key_secret",
            path.display()
        )));
    }
    if wants_token && profile.sts_token.is_empty() {
        return Ok(Err(format!(
            "profile `{profile_name}` in {} is in StsToken mode but has no sts_token",
            path.display()
        )));
    }
    Ok(Ok(Credentials {
        access_key_id: profile.access_key_id.clone(),
        access_key_secret: Secret::new(profile.access_key_secret.clone()),
        security_token: wants_token.then(|| Secret::new(profile.sts_token.clone())),
        source: Source::AliyunCli {
            path,
            profile: profile_name,
            mode: profile.mode.clone(),
        },
    }))
}

/// A YAML scalar of any type, as text: access.yaml written by hand may hold an unquoted
/// number (an AccountID).
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Scalar, E> {
                Ok(Scalar(String::new()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

type AccessFile = BTreeMap<String, Option<BTreeMap<String, Scalar>>>;

fn from_serverless_devs(
    search: &Search<'_>,
) -> Result<Result<Credentials, String>, CredentialsError> {
    if search.access.as_deref() == Some(ALIYUN_CLI_ACCESS) {
        return Ok(Err(format!(
            "the template's `access: {ALIYUN_CLI_ACCESS}` names the aliyun CLI's configuration, tried above"
        )));
    }
    let Some(root) = serverless_devs_root(search)? else {
        return Ok(Err("HOME is not set".into()));
    };
    let yaml = root.join("access.yaml");
    let yml = root.join("access.yml");
    let (path, text) = match read_if_present(&yaml)? {
        Some(text) => (yaml, text),
        None => match read_if_present(&yml)? {
            Some(text) => (yml, text),
            None => return Ok(Err(format!("{} does not exist", yaml.display()))),
        },
    };
    let entries: AccessFile = if text.trim().is_empty() {
        AccessFile::new()
    } else {
        serde_saphyr::from_str(&text).map_err(|e| CredentialsError::Malformed {
            path: path.clone(),
            line: None,
            column: None,
            message: e.to_string(),
        })?
    };
    let decrypted: BTreeMap<&str, BTreeMap<&str, String>> = entries
        .iter()
        .map(|(name, fields)| {
            let fields = fields
                .iter()
                .flatten()
                .map(|(key, Scalar(value))| (key.as_str(), decrypt_access_value(value)))
                .collect();
            (name.as_str(), fields)
        })
        .collect();
    let access = match &search.access {
        Some(access) => access.clone(),
        None => decrypted
            .iter()
            .find(|(_, fields)| fields.get("__default").map(String::as_str) == Some("true"))
            .map(|(name, _)| name.to_string())
            .unwrap_or_else(|| "default".into()),
    };
    let Some(fields) = decrypted.get(access.as_str()) else {
        let names: Vec<&str> = decrypted.keys().copied().collect();
        return Ok(Err(if names.is_empty() {
            format!("{} has no entries", path.display())
        } else {
            format!(
                "{} has no access `{access}` (it has {})",
                path.display(),
                names.join(", ")
            )
        }));
    };
    let value = |key: &str| fields.get(key).filter(|v| !v.is_empty()).cloned();
    let (Some(id), Some(secret)) = (value("AccessKeyID"), value("AccessKeySecret")) else {
        return Ok(Err(format!(
            "access `{access}` in {} has no AccessKeyID and AccessKeySecret",
            path.display()
        )));
    };
    Ok(Ok(Credentials {
        access_key_id: id,
        access_key_secret: Secret::new(secret),
        security_token: value("SecurityToken").map(Secret::new),
        source: Source::ServerlessDevs { path, access },
    }))
}

/// `$serverless_devs_config_home/.s` (default `~/.s`), or the `workspace` of its `config/s.json`
/// with `~` standing for that home (toolkit, packages/utils/src/get-root-home.ts).
fn serverless_devs_root(search: &Search<'_>) -> Result<Option<PathBuf>, CredentialsError> {
    let Some(user_home) = search
        .var("serverless_devs_config_home")
        .map(PathBuf::from)
        .or_else(|| search.home.clone())
    else {
        return Ok(None);
    };
    let root = user_home.join(".s");
    let s_json = root.join("config/s.json");
    if let Some(text) = read_if_present(&s_json)?
        && let Ok(value) = serde_json::from_str::<serde_json::Value>(&text)
        && let Some(workspace) = value.get("workspace").and_then(|w| w.as_str())
        && !workspace.is_empty()
    {
        let expanded = workspace.replacen('~', &user_home.to_string_lossy(), 1);
        return Ok(Some(PathBuf::from(expanded)));
    }
    Ok(Some(root))
}

fn read_if_present(path: &Path) -> Result<Option<String>, CredentialsError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(CredentialsError::Unreadable {
            path: path.to_path_buf(),
            error: crate::error::describe_io(&e),
        }),
    }
}

/// A value of access.yaml in clear: crypto-js's passphrase AES (OpenSSL's `Salted__` format:
/// EVP_BytesToKey with MD5 and one round for the AES-256 key and the CBC IV, PKCS#7 padding)
/// decrypted, or the text itself when it is not such a ciphertext or does not decrypt to
/// UTF-8, which is what Serverless Devs' own decrypt falls back to.
pub fn decrypt_access_value(text: &str) -> String {
    decrypt_openssl_salted(text, SERVERLESS_DEVS_PASSPHRASE).unwrap_or_else(|| text.to_string())
}

fn decrypt_openssl_salted(text: &str, passphrase: &[u8]) -> Option<String> {
    let raw = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()?;
    let body = raw.strip_prefix(b"Salted__")?;
    if body.len() < 8 + 16 || (body.len() - 8) % 16 != 0 {
        return None;
    }
    let (salt, ciphertext) = body.split_at(8);
    let mut derived = Vec::with_capacity(48);
    let mut block: Vec<u8> = Vec::new();
    while derived.len() < 48 {
        let mut md5 = Md5::new();
        md5.update(&block);
        md5.update(passphrase);
        md5.update(salt);
        block = md5.finalize().to_vec();
        derived.extend_from_slice(&block);
    }
    let (key, iv) = (&derived[..32], &derived[32..48]);
    let decryptor = cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv).ok()?;
    let mut buffer = ciphertext.to_vec();
    let plain = decryptor.decrypt_padded::<Pkcs7>(&mut buffer).ok()?;
    let text = std::str::from_utf8(plain).ok()?;
    (!text.is_empty()).then(|| text.to_string())
}

/// One of the three ways, for the error that lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    Environment,
    AliyunCli,
    ServerlessDevs,
}

impl Way {
    fn how(self) -> &'static str {
        match self {
            Way::Environment => {
                "export ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN for an STS key)"
            }
            Way::AliyunCli => {
                "run `aliyun configure` (mode AK or StsToken; ALIBABA_CLOUD_PROFILE picks the profile)"
            }
            Way::ServerlessDevs => {
                "run `s config add` and name the entry in the template's `access:`"
            }
        }
    }
}

/// Why one way gave no credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    pub way: Way,
    pub why: String,
}

/// Finding credentials failed.
#[derive(Debug)]
pub enum CredentialsError {
    /// None of the three sources holds a complete key.
    NotFound { misses: Vec<Miss> },
    /// A configuration file exists but is not what its tool writes.
    Malformed {
        path: PathBuf,
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    },
    /// A configuration file exists but cannot be read.
    Unreadable { path: PathBuf, error: String },
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialsError::NotFound { .. } => {
                f.write_str("no Alibaba Cloud credentials found, so nothing was sent to FC")
            }
            CredentialsError::Malformed { path, message, .. } => {
                write!(f, "could not read {}: {message}", path.display())
            }
            CredentialsError::Unreadable { path, error } => {
                write!(f, "could not read {}: {error}", path.display())
            }
        }
    }
}

impl Failure for CredentialsError {
    fn exit(&self) -> Exit {
        Exit::Deploy
    }

    fn kind(&self) -> &'static str {
        match self {
            CredentialsError::NotFound { .. } => "deploy.credentials-not-found",
            CredentialsError::Malformed { .. } => "deploy.credentials-malformed",
            CredentialsError::Unreadable { .. } => "deploy.credentials-unreadable",
        }
    }

    fn location(&self) -> Option<Location> {
        match self {
            CredentialsError::Malformed {
                path, line, column, ..
            } => Some(Location {
                column: *column,
                ..Location::line(path, *line)
            }),
            CredentialsError::Unreadable { path, .. } => Some(Location::file(path)),
            CredentialsError::NotFound { .. } => None,
        }
    }

    fn notes(&self) -> Vec<String> {
        match self {
            CredentialsError::NotFound { misses } => misses
                .iter()
                .enumerate()
                .map(|(i, miss)| format!("{}. {}: {}", i + 1, miss.why, miss.way.how()))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn help(&self) -> Option<String> {
        Some(match self {
            CredentialsError::NotFound { .. } => {
                "give cargo fc an AccessKey in one of the three ways above; `--tool s` or `--tool fun` deploys with those tools' own credentials instead".into()
            }
            CredentialsError::Malformed { .. } => {
                "fix the file, or set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, which are read first".into()
            }
            CredentialsError::Unreadable { .. } => {
                "check the file's permissions, or set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, which are read first".into()
            }
        })
    }

    fn details(&self) -> serde_json::Value {
        match self {
            CredentialsError::NotFound { misses } => json!({
                "tried": misses.iter().map(|m| json!({
                    "source": format!("{:?}", m.way),
                    "why": m.why,
                })).collect::<Vec<_>>(),
            }),
            CredentialsError::Malformed {
                path,
                line,
                column,
                message,
            } => json!({"path": path, "line": line, "column": column, "message": message}),
            CredentialsError::Unreadable { path, error } => json!({"path": path, "error": error}),
        }
    }

    failure_any!();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search_with<'a>(
        env: &'a dyn Fn(&str) -> Option<String>,
        home: &Path,
        access: Option<&str>,
    ) -> Search<'a> {
        Search {
            env,
            home: Some(home.to_path_buf()),
            access: access.map(str::to_string),
        }
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        let credentials = Credentials {
            access_key_id: "LTAIexample".into(),
            access_key_secret: Secret::new("very-secret-value"),
            security_token: Some(Secret::new("token-value")),
            source: Source::Environment,
        };
        let debug = format!("{credentials:?} {:#?}", credentials);
        assert!(!debug.contains("very-secret-value"), "{debug}");
        assert!(!debug.contains("token-value"), "{debug}");
        assert!(debug.contains("LTAIexample"));
    }

    #[test]
    fn the_environment_comes_first() {
        let home = tempfile::tempdir().unwrap();
        write(
            &home.path().join(".aliyun/config.json"),
            r#"{"current":"default","profiles":[{"name":"default","mode":"AK","access_key_id":"cli","access_key_secret":"s"}]}"#,
        );
        let env = |name: &str| match name {
            ENV_ACCESS_KEY_ID => Some("env-id".to_string()),
            ENV_ACCESS_KEY_SECRET => Some("env-secret".to_string()),
            ENV_SECURITY_TOKEN => Some("env-token".to_string()),
            _ => None,
        };
        let found = find(&search_with(&env, home.path(), None)).unwrap();
        assert_eq!(found.access_key_id, "env-id");
        assert_eq!(found.access_key_secret.expose(), "env-secret");
        assert_eq!(
            found.security_token.as_ref().map(Secret::expose),
            Some("env-token")
        );
        assert_eq!(found.source, Source::Environment);
    }

    #[test]
    fn an_incomplete_environment_falls_through_to_the_aliyun_cli() {
        let home = tempfile::tempdir().unwrap();
        write(
            &home.path().join(".aliyun/config.json"),
            r#"{"current":"work","profiles":[
                {"name":"default","mode":"AK","access_key_id":"d","access_key_secret":"d"},
                {"name":"work","mode":"StsToken","access_key_id":"STS.id","access_key_secret":"s","sts_token":"t","region_id":"cn-hangzhou"}
            ],"meta_path":""}"#,
        );
        let env = |name: &str| (name == ENV_ACCESS_KEY_ID).then(|| "only-id".to_string());
        let found = find(&search_with(&env, home.path(), None)).unwrap();
        assert_eq!(found.access_key_id, "STS.id");
        assert_eq!(found.security_token.as_ref().map(Secret::expose), Some("t"));
        assert_eq!(
            found.source.to_string(),
            format!(
                "profile `work` (StsToken) of the aliyun CLI's {}",
                home.path().join(".aliyun/config.json").display()
            )
        );
    }

    #[test]
    fn alibaba_cloud_profile_picks_the_aliyun_profile() {
        let home = tempfile::tempdir().unwrap();
        write(
            &home.path().join(".aliyun/config.json"),
            r#"{"current":"default","profiles":[
                {"name":"default","mode":"AK","access_key_id":"d","access_key_secret":"d"},
                {"name":"ci","mode":"ak","access_key_id":"ci-id","access_key_secret":"ci"}]}"#,
        );
        let env = |name: &str| (name == "ALIBABA_CLOUD_PROFILE").then(|| "ci".to_string());
        let found = find(&search_with(&env, home.path(), None)).unwrap();
        assert_eq!(found.access_key_id, "ci-id");
        assert!(found.security_token.is_none());
    }

    #[test]
    fn an_unusable_aliyun_mode_says_so_and_serverless_devs_is_tried() {
        let home = tempfile::tempdir().unwrap();
        write(
            &home.path().join(".aliyun/config.json"),
            r#"{"current":"default","profiles":[{"name":"default","mode":"RamRoleArn","access_key_id":"a","access_key_secret":"b","ram_role_arn":"acs:ram::1:role/x"}]}"#,
        );
        let error = find(&search_with(&no_env, home.path(), Some("prod"))).unwrap_err();
        let CredentialsError::NotFound { misses } = &error else {
            panic!("{error:?}")
        };
        assert_eq!(misses.len(), 3);
        assert!(misses[1].why.contains("mode RamRoleArn"), "{misses:?}");
        assert!(
            misses[2].why.contains("access.yaml does not exist"),
            "{misses:?}"
        );
        let notes = error.notes().join("\n");
        assert!(
            notes.contains("export ALIBABA_CLOUD_ACCESS_KEY_ID"),
            "{notes}"
        );
        assert!(notes.contains("aliyun configure"), "{notes}");
        assert!(notes.contains("s config add"), "{notes}");
    }

    #[test]
    fn a_malformed_aliyun_config_names_its_line() {
        let home = tempfile::tempdir().unwrap();
        write(
            &home.path().join(".aliyun/config.json"),
            "{\n  \"current\": \"default\",\n  \"profiles\": [,]\n}",
        );
        let error = find(&search_with(&no_env, home.path(), None)).unwrap_err();
        let location = error.location().unwrap();
        assert_eq!(location.line, Some(3));
        assert_eq!(error.kind(), "deploy.credentials-malformed");
    }

    /// Made with `printf VALUE | openssl enc -aes-256-cbc -md md5 -salt -pass pass:SecretKey123 -a`,
    /// OpenSSL's legacy passphrase format, which is crypto-js's `AES.encrypt(value, passphrase)`.
    const ENCRYPTED_ID: &str = "U2FsdGVkX189xS7lEC7CDFgrYOBz24bw8jRPlHIxy2s=";
    const ENCRYPTED_SECRET: &str =
        "U2FsdGVkX18XpoSFElC7b0jPHrLuaw/QJfVriwi++77eVEEGPAQwW1PkaPTdD6sp";
    const ENCRYPTED_TRUE: &str = "U2FsdGVkX18ONebYgh3N1NB720fEhb0VHuXsOk6zBg0=";

    #[test]
    fn serverless_devs_values_decrypt_and_plain_values_pass_through() {
        assert_eq!(decrypt_access_value(ENCRYPTED_ID), "LTAI5tExampleId");
        assert_eq!(
            decrypt_access_value(ENCRYPTED_SECRET),
            "ExampleSecretValue0123456789"
        );
        assert_eq!(decrypt_access_value("LTAI5tPlain"), "LTAI5tPlain");
        assert_eq!(decrypt_access_value("U2FsdGVkX1"), "U2FsdGVkX1");
    }

    #[test]
    fn serverless_devs_access_is_the_templates_or_the_default_one() {
        let home = tempfile::tempdir().unwrap();
        write(
            &home.path().join(".s/access.yaml"),
            &format!(
                "default:\n  AccessKeyID: plain-default\n  AccessKeySecret: plain\n  AccountID: 1234567890\n\
                 prod:\n  AccessKeyID: {ENCRYPTED_ID}\n  AccessKeySecret: {ENCRYPTED_SECRET}\n  __default: {ENCRYPTED_TRUE}\n"
            ),
        );
        let named = find(&search_with(&no_env, home.path(), Some("default"))).unwrap();
        assert_eq!(named.access_key_id, "plain-default");
        let marked = find(&search_with(&no_env, home.path(), None)).unwrap();
        assert_eq!(marked.access_key_id, "LTAI5tExampleId");
        assert_eq!(
            marked.access_key_secret.expose(),
            "ExampleSecretValue0123456789"
        );
        assert_eq!(
            marked.source,
            Source::ServerlessDevs {
                path: home.path().join(".s/access.yaml"),
                access: "prod".into()
            }
        );
        let missing = find(&search_with(&no_env, home.path(), Some("staging"))).unwrap_err();
        let notes = missing.notes().join("\n");
        assert!(
            notes.contains("no access `staging` (it has default, prod)"),
            "{notes}"
        );
    }

    #[test]
    fn serverless_devs_home_and_workspace_are_honoured() {
        let home = tempfile::tempdir().unwrap();
        let devs_home = home.path().join("devs");
        write(
            &devs_home.join(".s/config/s.json"),
            r#"{"workspace": "~/elsewhere"}"#,
        );
        write(
            &devs_home.join("elsewhere/access.yml"),
            "default:\n  AccessKeyID: ws-id\n  AccessKeySecret: ws-secret\n",
        );
        let devs_home_text = devs_home.to_string_lossy().into_owned();
        let env = move |name: &str| {
            (name == "serverless_devs_config_home").then(|| devs_home_text.clone())
        };
        let found = find(&search_with(&env, home.path(), None)).unwrap();
        assert_eq!(found.access_key_id, "ws-id");
    }
}
