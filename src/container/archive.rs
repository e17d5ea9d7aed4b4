//! An image as a `docker save` archive (`manifest.json`, the configuration and the layer tars),
//! written without any registry and loaded into the engine with its load API.
//!
//! The image id the engine gives is the SHA-256 of the configuration, whose every field is fixed
//! by the inputs: `created` comes from `SOURCE_DATE_EPOCH` (else 1980-01-01), the layers are
//! reproducible tars, and JSON objects are written with sorted keys. The same inputs therefore
//! give the same image id on every machine.

use std::collections::BTreeMap;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use bollard::query_parameters::{ImportImageOptionsBuilder, RemoveImageOptionsBuilder};
use bytes::Bytes;
use futures_util::StreamExt;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::error::engine_failure;
use super::files::interruptible;
use super::layer::Layer;
use crate::engine::{Engine, LABEL};
use crate::error::{Result, io};

/// A base image's configuration and its layers as the engine exported them.
pub struct BaseLayers {
    pub image: String,
    pub config: Value,
    /// The layer files, in order, each with the name it had in the export.
    pub layers: Vec<PathBuf>,
}

/// Everything an image is made of.
pub struct Spec<'a> {
    pub tag: String,
    pub base: Option<&'a BaseLayers>,
    /// cargo fc's layers, bottom first, each with the history line that says what it is.
    pub layers: Vec<(&'a Layer, String)>,
    pub entrypoint: Vec<String>,
    /// Variables set over the base's (a base's `LD_LIBRARY_PATH` is extended, not replaced).
    pub env: Vec<(String, String)>,
    pub port: u16,
    pub labels: BTreeMap<String, String>,
    /// Seconds since the epoch: every file's time and the image's `created`.
    pub time: u64,
}

/// An image in the engine.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub tag: String,
    /// The engine's image id (`sha256:…`).
    pub id: String,
    /// `sha256:` of the configuration, which is the id on engines with the classic image store.
    pub config_digest: String,
    /// The uncompressed size of all layers.
    pub size: u64,
    pub layers: Vec<LayerInfo>,
}

#[derive(Debug, Clone)]
pub struct LayerInfo {
    pub diff_id: String,
    pub size: u64,
}

/// `1980-01-01T00:00:00Z` for 315532800.
pub fn rfc3339(seconds: u64) -> String {
    crate::calendar::Utc::from_unix(i64::try_from(seconds).unwrap_or(i64::MAX)).rfc3339()
}

/// The image's configuration: the base's (or nothing) with cargo fc's settings over it.
pub fn configuration(spec: &Spec, diff_ids: &[String]) -> Value {
    let created = rfc3339(spec.time);
    let mut image = spec
        .base
        .map_or_else(|| json!({}), |base| base.config.clone());
    let object = image
        .as_object_mut()
        .expect("an image configuration is an object");
    object.insert("architecture".into(), json!("amd64"));
    object.insert("os".into(), json!("linux"));
    object.insert("created".into(), json!(created));
    // Fields that describe how the base was made would be wrong for this image.
    for stale in [
        "container",
        "container_config",
        "docker_version",
        "variant",
        "author",
    ] {
        object.remove(stale);
    }
    let config = object
        .entry("config")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .expect("an image's config is an object");
    let mut env: Vec<String> = config
        .get("Env")
        .and_then(Value::as_array)
        .map(|vars| {
            vars.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    for (name, value) in &spec.env {
        let prefix = format!("{name}=");
        let existing = env.iter().position(|var| var.starts_with(&prefix));
        let value = match (name.as_str(), existing) {
            ("LD_LIBRARY_PATH", Some(at)) => format!("{value}:{}", &env[at][prefix.len()..]),
            _ => value.clone(),
        };
        match existing {
            Some(at) => env[at] = format!("{prefix}{value}"),
            None => env.push(format!("{prefix}{value}")),
        }
    }
    config.insert("Env".into(), json!(env));
    config.insert("Entrypoint".into(), json!(spec.entrypoint));
    // A base's CMD (`bash`) would become the bootstrap's arguments.
    config.insert("Cmd".into(), Value::Null);
    config.insert("WorkingDir".into(), json!("/code"));
    let mut ports = config
        .get("ExposedPorts")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    ports.insert(format!("{}/tcp", spec.port), json!({}));
    config.insert("ExposedPorts".into(), Value::Object(ports));
    let mut labels = config
        .get("Labels")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (key, value) in &spec.labels {
        labels.insert(key.clone(), json!(value));
    }
    config.insert("Labels".into(), Value::Object(labels));
    // Engines that made the base fill in these; they would only repeat what is above.
    for stale in ["Image", "Hostname", "Domainname", "OnBuild"] {
        config.remove(stale);
    }
    let mut ids: Vec<Value> = spec
        .base
        .and_then(|base| base.config.pointer("/rootfs/diff_ids"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    ids.extend(diff_ids.iter().map(|id| json!(id)));
    object.insert("rootfs".into(), json!({"type": "layers", "diff_ids": ids}));
    let mut history: Vec<Value> = spec
        .base
        .and_then(|base| base.config.get("history"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (_, what) in &spec.layers {
        history.push(json!({"created": created, "created_by": what}));
    }
    object.insert("history".into(), Value::Array(history));
    image
}

/// Writes the archive into `work`, loads it into the engine, and returns what the engine has.
/// An image the tag named before, made by cargo fc and left without a tag by this one, is
/// removed, so that rebuilding leaves no dangling images.
pub fn load(engine: &Engine, spec: &Spec, work: &Path, ui: &crate::ui::Ui) -> Result<Loaded> {
    std::fs::create_dir_all(work).map_err(io("create", work))?;
    let scratch = tempfile::Builder::new()
        .prefix("image-")
        .tempdir_in(work)
        .map_err(io("create a folder in", work))?;
    let mut layers = Vec::new();
    let mut ours = Vec::new();
    for (index, (layer, _)) in spec.layers.iter().enumerate() {
        crate::interrupt::check()?;
        let path = scratch.path().join(format!("layer-{index}.tar"));
        let file = std::fs::File::create(&path).map_err(io("write", &path))?;
        let written = layer
            .write(BufWriter::with_capacity(1 << 20, file), spec.time)
            .map_err(io("write", &path))?;
        ours.push((path, written.diff_id.clone()));
        layers.push(LayerInfo {
            diff_id: written.diff_id,
            size: written.size,
        });
    }
    let diff_ids: Vec<String> = ours.iter().map(|(_, id)| id.clone()).collect();
    let config = serde_json::to_vec(&configuration(spec, &diff_ids)).expect("JSON serializes");
    let config_hex = super::layer::hex(&Sha256::digest(&config));
    let mut members: Vec<(String, PathBuf)> = Vec::new();
    if let Some(base) = spec.base {
        for (index, path) in base.layers.iter().enumerate() {
            members.push((format!("base/{index}/layer.tar"), path.clone()));
        }
    }
    for (path, diff_id) in &ours {
        let hex = diff_id.trim_start_matches("sha256:");
        members.push((format!("blobs/sha256/{hex}"), path.clone()));
    }
    let manifest = json!([{
        "Config": format!("blobs/sha256/{config_hex}"),
        "RepoTags": [spec.tag],
        "Layers": members.iter().map(|(name, _)| name.clone()).collect::<Vec<_>>(),
    }]);
    let archive = scratch.path().join("image.tar");
    write_archive(
        &archive,
        &members,
        &config,
        &config_hex,
        &manifest,
        spec.time,
    )
    .map_err(io("write", &archive))?;

    crate::interrupt::check()?;
    let before = engine
        .block_on(engine.docker().inspect_image(&spec.tag))
        .ok();
    let progress = ui.spinner(format!("loading {} into the engine", spec.tag));
    let stream = file_stream(archive.clone());
    let loading = async {
        let options = ImportImageOptionsBuilder::new().quiet(true).build();
        let mut answers = engine.docker().import_image_stream(options, stream, None);
        while let Some(answer) = answers.next().await {
            let answer = answer?;
            if let Some(detail) = answer.error_detail.and_then(|d| d.message) {
                return Err(bollard::errors::Error::DockerStreamError { error: detail });
            }
        }
        Ok(())
    };
    let loaded = interruptible(engine, loading)?;
    drop(progress);
    loaded.map_err(|e| engine_failure(format!("loading {} into the engine", spec.tag), &e))?;
    let image = engine
        .block_on(engine.docker().inspect_image(&spec.tag))
        .map_err(|e| engine_failure(format!("looking at {} after loading it", spec.tag), &e))?;
    let id = image.id.clone().unwrap_or_default();
    if let Some(previous) = before
        && let Some(previous_id) = previous.id
        && previous_id != id
    {
        remove_if_orphaned(engine, &previous_id);
    }
    Ok(Loaded {
        tag: spec.tag.clone(),
        id,
        config_digest: format!("sha256:{config_hex}"),
        size: u64::try_from(image.size.unwrap_or(0)).unwrap_or(0),
        layers,
    })
}

/// Removes an image that cargo fc made for a function when nothing names or uses it any more.
fn remove_if_orphaned(engine: &Engine, id: &str) {
    let Ok(image) = engine.block_on(engine.docker().inspect_image(id)) else {
        return;
    };
    let ours = image
        .config
        .as_ref()
        .and_then(|c| c.labels.as_ref())
        .and_then(|labels| labels.get(LABEL))
        .is_some_and(|value| value == "function");
    if !ours
        || image
            .repo_tags
            .as_ref()
            .is_some_and(|tags| !tags.is_empty())
    {
        return;
    }
    // Without force: an image a container still uses stays.
    let options = RemoveImageOptionsBuilder::new().build();
    let _ = engine.block_on(engine.docker().remove_image(id, Some(options), None));
}

fn write_archive(
    archive: &Path,
    members: &[(String, PathBuf)],
    config: &[u8],
    config_hex: &str,
    manifest: &Value,
    time: u64,
) -> std::io::Result<()> {
    let file = std::fs::File::create(archive)?;
    let mut tar = tar::Builder::new(BufWriter::with_capacity(1 << 20, file));
    let header = |size: u64| {
        let mut header = tar::Header::new_gnu();
        header.set_mode(0o644);
        header.set_mtime(time);
        header.set_size(size);
        header
    };
    for (name, path) in members {
        let size = std::fs::metadata(path)?.len();
        let mut file = std::fs::File::open(path)?;
        tar.append_data(&mut header(size), name, &mut file)?;
    }
    tar.append_data(
        &mut header(config.len() as u64),
        format!("blobs/sha256/{config_hex}"),
        config,
    )?;
    let manifest = serde_json::to_vec(manifest).expect("JSON serializes");
    tar.append_data(
        &mut header(manifest.len() as u64),
        "manifest.json",
        manifest.as_slice(),
    )?;
    tar.into_inner()?.flush()
}

/// A file as a stream of chunks for a request body, read on a thread of its own so that a
/// large archive is never in memory at once.
fn file_stream(
    path: PathBuf,
) -> impl futures_util::Stream<Item = std::io::Result<Bytes>> + Send + 'static {
    let (sender, receiver) = tokio::sync::mpsc::channel::<std::io::Result<Bytes>>(4);
    std::thread::spawn(move || {
        let mut file = match std::fs::File::open(&path) {
            Ok(file) => file,
            Err(e) => {
                let _ = sender.blocking_send(Err(e));
                return;
            }
        };
        loop {
            let mut chunk = vec![0u8; 1 << 20];
            match file.read(&mut chunk) {
                Ok(0) => return,
                Ok(n) => {
                    chunk.truncate(n);
                    if sender.blocking_send(Ok(Bytes::from(chunk))).is_err() {
                        return;
                    }
                }
                Err(e) => {
                    let _ = sender.blocking_send(Err(e));
                    return;
                }
            }
        }
    });
    futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|item| (item, receiver))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_as_rfc3339() {
        assert_eq!(rfc3339(315_532_800), "1980-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn the_configuration_keeps_the_base_and_sets_what_fc_needs() {
        let base = BaseLayers {
            image: "debian:stretch".into(),
            config: json!({
                "architecture": "amd64", "os": "linux", "container": "abc",
                "config": {"Env": ["PATH=/usr/bin:/bin", "LD_LIBRARY_PATH=/opt/lib"], "Cmd": ["bash"], "Labels": {"a": "b"}},
                "rootfs": {"type": "layers", "diff_ids": ["sha256:base"]},
                "history": [{"created_by": "debootstrap"}],
            }),
            layers: vec![],
        };
        let layer = Layer::default();
        let spec = Spec {
            tag: "hello:0.1.0".into(),
            base: Some(&base),
            layers: vec![(&layer, "cargo fc: /code".into())],
            entrypoint: vec!["/code/bootstrap".into()],
            env: vec![
                ("FC_SERVER_PORT".into(), "9000".into()),
                ("LD_LIBRARY_PATH".into(), "/code:/code/lib".into()),
            ],
            port: 9000,
            labels: BTreeMap::from([("cargo-fc".into(), "function".into())]),
            time: 315_532_800,
        };
        let config = configuration(&spec, &["sha256:ours".into()]);
        assert_eq!(config["config"]["Cmd"], Value::Null);
        assert_eq!(config["config"]["Entrypoint"], json!(["/code/bootstrap"]));
        assert_eq!(config["config"]["WorkingDir"], "/code");
        assert_eq!(config["config"]["ExposedPorts"], json!({"9000/tcp": {}}));
        assert_eq!(
            config["config"]["Env"],
            json!([
                "PATH=/usr/bin:/bin",
                "LD_LIBRARY_PATH=/code:/code/lib:/opt/lib",
                "FC_SERVER_PORT=9000"
            ])
        );
        assert_eq!(
            config["config"]["Labels"],
            json!({"a": "b", "cargo-fc": "function"})
        );
        assert_eq!(
            config["rootfs"]["diff_ids"],
            json!(["sha256:base", "sha256:ours"])
        );
        assert_eq!(config["history"].as_array().unwrap().len(), 2);
        assert_eq!(config["created"], "1980-01-01T00:00:00Z");
        assert!(config.get("container").is_none());
        // Sorted keys: the bytes depend on the values only.
        let text = serde_json::to_string(&config).unwrap();
        assert!(text.find("\"architecture\"").unwrap() < text.find("\"config\"").unwrap());
    }
}
