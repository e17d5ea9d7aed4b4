//! The zig builder: cargo-zigbuild links against zig's copy of the runtime's glibc version, named
//! by a suffix on the target triple, so the host's newer glibc never leaks in.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::{BuildError, Builder, BuilderKind, CargoOutput, run_host};
use crate::error::Result;
use crate::platform::Runtime;
use crate::ui::Ui;

pub(crate) const INSTALL_HELP: &str = "install both with `pip install ziglang cargo-zigbuild` (or `cargo install cargo-zigbuild` and zig from your package manager), or choose another builder with --builder";

pub struct ZigBuilder {
    cargo_zigbuild: PathBuf,
    /// Set when zig is not on PATH but installed as the `ziglang` Python package.
    zig: Option<PathBuf>,
    target: String,
}

/// Where the zig that cargo-zigbuild runs comes from, in the order cargo fc looks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ZigSource {
    /// `CARGO_ZIGBUILD_ZIG_PATH` names it; cargo-zigbuild uses it as is.
    Env(PathBuf),
    /// `zig` on PATH.
    Path(PathBuf),
    /// The `zig` executable inside the `ziglang` Python package, which cargo fc hands to
    /// cargo-zigbuild through `CARGO_ZIGBUILD_ZIG_PATH`.
    Ziglang(PathBuf),
}

impl ZigSource {
    pub(crate) fn path(&self) -> &Path {
        match self {
            ZigSource::Env(path) | ZigSource::Path(path) | ZigSource::Ziglang(path) => path,
        }
    }
}

/// cargo-zigbuild on PATH, or an error saying how to install it.
pub(crate) fn find_cargo_zigbuild() -> Result<PathBuf, BuildError> {
    which::which("cargo-zigbuild").map_err(|_| BuildError::ZigMissing {
        tool: "cargo-zigbuild",
    })
}

/// The zig cargo-zigbuild will run, or an error saying how to install it. `cargo_zigbuild`, when
/// known, is where a pip-installed `ziglang` is looked for first.
pub(crate) fn find_zig(cargo_zigbuild: Option<&Path>) -> Result<ZigSource, BuildError> {
    if let Some(path) = std::env::var_os("CARGO_ZIGBUILD_ZIG_PATH").filter(|p| !p.is_empty()) {
        return Ok(ZigSource::Env(PathBuf::from(path)));
    }
    if let Ok(path) = which::which("zig") {
        return Ok(ZigSource::Path(path));
    }
    find_ziglang_package(cargo_zigbuild)
        .map(ZigSource::Ziglang)
        .ok_or(BuildError::ZigMissing { tool: "zig" })
}

impl ZigBuilder {
    /// Finds cargo-zigbuild and zig, or says how to install them.
    pub fn locate(runtime: &Runtime) -> Result<Self, BuildError> {
        let cargo_zigbuild = find_cargo_zigbuild()?;
        let zig = match find_zig(Some(&cargo_zigbuild))? {
            ZigSource::Ziglang(path) => Some(path),
            // cargo-zigbuild finds these itself.
            ZigSource::Env(_) | ZigSource::Path(_) => None,
        };
        Ok(Self {
            cargo_zigbuild,
            zig,
            target: runtime.zig_target(),
        })
    }
}

/// The `zig` executable inside a `ziglang` Python package: first beside cargo-zigbuild (pip puts
/// both in the same environment), then wherever `python3` imports it from.
fn find_ziglang_package(cargo_zigbuild: Option<&Path>) -> Option<PathBuf> {
    let bin_dir = cargo_zigbuild.and_then(Path::parent);
    if let Some(bin_dir) = bin_dir {
        let pattern = bin_dir.join("../lib/python3*/site-packages/ziglang/zig");
        if let Some(found) = glob::glob(&pattern.to_string_lossy())
            .ok()?
            .filter_map(std::result::Result::ok)
            .find(|p| p.is_file())
        {
            return Some(found);
        }
    }
    let mut pythons: Vec<OsString> = bin_dir
        .map(|dir| dir.join("python3").into())
        .into_iter()
        .collect();
    pythons.push("python3".into());
    pythons.into_iter().find_map(|python| {
        let output = Command::new(python)
            .args([
                "-c",
                "import os, ziglang; print(os.path.join(os.path.dirname(ziglang.__file__), 'zig'))",
            ])
            .output()
            .ok()?;
        let path = PathBuf::from(String::from_utf8(output.stdout).ok()?.trim());
        (output.status.success() && path.is_file()).then_some(path)
    })
}

impl Builder for ZigBuilder {
    fn kind(&self) -> BuilderKind {
        BuilderKind::Zig
    }

    fn run(&self, args: &[String], output: &mut CargoOutput, ui: &Ui) -> Result<()> {
        let mut command = Command::new(&self.cargo_zigbuild);
        command
            .arg("zigbuild")
            .args(args)
            .args(["--target", &self.target]);
        if let Some(zig) = &self.zig {
            command.env("CARGO_ZIGBUILD_ZIG_PATH", zig);
        }
        run_host(
            command,
            output,
            "cargo zigbuild",
            "make sure cargo-zigbuild is installed and on PATH",
            ui,
        )
    }
}
