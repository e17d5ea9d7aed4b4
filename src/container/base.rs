//! What an image is made on.
//!
//! A base image's layers are used as the engine has them: exported through the engine's image
//! export API and put under cargo fc's own layers in the archive that is loaded. Building
//! `FROM base` with a Dockerfile instead would leave build containers and cache behind and stamp
//! the image with the time of the build, so the same inputs would give a new image id every
//! time; the export gives the base's layers byte for byte, so the base's `diff_id`s and the
//! new image's id stay what the inputs make them.

use std::path::{Path, PathBuf};

use futures_util::StreamExt;
use serde_json::Value;

use super::archive::BaseLayers;
use super::error::ContainerError;
use super::files::interruptible;
use crate::engine::Engine;
use crate::error::{Result, io};
use crate::platform::Runtime;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// Only what the bootstrap needs, taken from the build environment: no registry needed.
    Minimal,
    /// The runtime's Debian release (`debian:<codename>`), when the engine has it.
    Debian,
    /// Any image in the engine.
    Image(String),
}

impl Base {
    pub fn parse(text: &str) -> Base {
        match text.trim() {
            "minimal" | "scratch" => Base::Minimal,
            "debian" => Base::Debian,
            other => Base::Image(other.to_string()),
        }
    }

    /// The image it names, for a runtime.
    pub fn image(&self, runtime: &Runtime) -> Option<String> {
        match self {
            Base::Minimal => None,
            Base::Debian => Some(format!("debian:{}", runtime.debian_codename)),
            Base::Image(name) => Some(name.clone()),
        }
    }
}

/// An exported base: its layers on disk until this is dropped.
pub struct Exported {
    _folder: tempfile::TempDir,
    pub layers: BaseLayers,
}

/// Exports `image` from the engine into a folder under `work` and reads its manifest. The image
/// must be there already and be linux/amd64.
pub fn export(engine: &Engine, image: &str, debian: bool, work: &Path) -> Result<Exported> {
    let present = engine.inspect_image(image)?;
    let Some(inspect) = present else {
        return Err(ContainerError::BaseMissing {
            image: image.to_string(),
            debian,
        }
        .into());
    };
    let os = inspect.os.clone().unwrap_or_default();
    let architecture = inspect.architecture.clone().unwrap_or_default();
    if os != "linux" || architecture != "amd64" {
        return Err(ContainerError::BaseArchitecture {
            image: image.to_string(),
            os,
            architecture,
        }
        .into());
    }
    std::fs::create_dir_all(work).map_err(io("create", work))?;
    let folder = tempfile::Builder::new()
        .prefix("base-")
        .tempdir_in(work)
        .map_err(io("create a folder in", work))?;
    let archive = folder.path().join("export.tar");
    let file = std::fs::File::create(&archive).map_err(io("write", &archive))?;
    let saving = async {
        use std::io::Write;
        let mut out = std::io::BufWriter::new(file);
        let mut stream = engine.docker().export_image(image);
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| e.to_string())?;
            out.write_all(&chunk).map_err(|e| e.to_string())?;
        }
        out.flush().map_err(|e| e.to_string())
    };
    interruptible(engine, saving)?.map_err(|message| ContainerError::Engine {
        action: format!("exporting the base image {image}"),
        message,
    })?;
    crate::interrupt::check()?;
    let unpacked = folder.path().join("image");
    let file = std::fs::File::open(&archive).map_err(io("read", &archive))?;
    tar::Archive::new(std::io::BufReader::new(file))
        .unpack(&unpacked)
        .map_err(io("unpack", &archive))?;
    std::fs::remove_file(&archive).map_err(io("remove", &archive))?;
    let manifest_path = unpacked.join("manifest.json");
    let malformed = |what: &str| ContainerError::Engine {
        action: format!("reading the export of {image}"),
        message: what.to_string(),
    };
    let manifest: Value = read_json(&manifest_path)?;
    let entry = manifest
        .as_array()
        .and_then(|entries| entries.first())
        .ok_or_else(|| malformed("its manifest.json lists no image"))?;
    let config_name = entry
        .get("Config")
        .and_then(Value::as_str)
        .ok_or_else(|| malformed("its manifest.json names no configuration"))?;
    let config = read_json(&inside(&unpacked, config_name)?)?;
    let layers: Vec<PathBuf> = entry
        .get("Layers")
        .and_then(Value::as_array)
        .ok_or_else(|| malformed("its manifest.json lists no layers"))?
        .iter()
        .map(|name| {
            name.as_str()
                .ok_or_else(|| malformed("a layer name is not a string").into())
                .and_then(|name| inside(&unpacked, name))
        })
        .collect::<Result<_>>()?;
    Ok(Exported {
        _folder: folder,
        layers: BaseLayers {
            image: image.to_string(),
            config,
            layers,
        },
    })
}

fn read_json(path: &Path) -> Result<Value> {
    let text = std::fs::read(path).map_err(io("read", path))?;
    serde_json::from_slice(&text).map_err(|e| {
        ContainerError::Engine {
            action: format!("reading {}", path.display()),
            message: e.to_string(),
        }
        .into()
    })
}

/// A path the export's manifest names, which must stay inside the export.
fn inside(root: &Path, name: &str) -> Result<PathBuf> {
    let relative = Path::new(name);
    if relative.is_absolute()
        || relative
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        return Err(ContainerError::Engine {
            action: "reading a base image's export".into(),
            message: format!("its manifest names {name}, outside the export"),
        }
        .into());
    }
    Ok(root.join(relative))
}
