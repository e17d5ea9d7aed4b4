//! Which builder compiles a group of functions: the one named (`--builder`, the `builder`
//! setting), or the automatic choice, the one policy `build` and `doctor` share.
//!
//! Automatically: Docker when an engine answers and its image can be had, else zig, else an
//! error naming why neither can build. When the engine answers but the image cannot be had
//! (no registry for its base), that is remembered for a while in `<target-dir>/fc/`, so that
//! later builds neither retry the pull nor repeat its noise; `cargo fc image build` and an
//! explicit `--builder docker` try again.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::docker::{self, DockerBuilder};
use super::zig::ZigBuilder;
use super::{BuildError, Builder, BuilderKind, cargo, image};
use crate::engine::Engine;
use crate::error::Result;
use crate::platform::Runtime;
use crate::project::Project;
use crate::ui::Ui;

/// How long an unusable Docker builder is taken as unusable without asking again.
const REMEMBER_FOR: Duration = Duration::from_secs(60 * 60);

/// The builder for `runtime`: the `kind` asked for, or the automatic choice.
pub fn builder(
    kind: Option<BuilderKind>,
    runtime: &'static Runtime,
    project: &Project,
    image: Option<&str>,
    ui: &Ui,
) -> Result<Box<dyn Builder>> {
    Ok(match kind {
        Some(BuilderKind::Docker) => {
            let engine = Engine::connect()?;
            let builder = docker_builder(engine, runtime, project, image, ui)?;
            // Asked for by name and usable now: whatever was remembered is out of date.
            Memo::forget(&project.target_dir);
            Box::new(builder)
        }
        Some(BuilderKind::Zig) => Box::new(ZigBuilder::locate(runtime)?),
        Some(BuilderKind::Cargo) => Box::new(cargo::CargoBuilder::new()),
        None => automatic(runtime, project, image, ui)?,
    })
}

fn docker_builder(
    engine: Engine,
    runtime: &'static Runtime,
    project: &Project,
    image: Option<&str>,
    ui: &Ui,
) -> Result<DockerBuilder> {
    let image = image::resolve(&engine, image, runtime, &project.workspace_root, ui)?;
    let layout = docker::Layout::new(&project.workspace_root, &project.target_dir, &image.name)?;
    Ok(DockerBuilder::new(engine, image, layout, ui))
}

/// The automatic choice, printed in one line.
fn automatic(
    runtime: &'static Runtime,
    project: &Project,
    image: Option<&str>,
    ui: &Ui,
) -> Result<Box<dyn Builder>> {
    let docker_problem = match Memo::recall(&project.target_dir, runtime, image) {
        Some(memo) => memo.describe(),
        None => match Engine::connect() {
            Ok(engine) => {
                let host = engine.host().to_string();
                match docker_builder(engine, runtime, project, image, ui) {
                    Ok(builder) => {
                        ui.status(
                            "Builder",
                            format!(
                                "docker (the Docker engine at {host} answers; --builder chooses another)"
                            ),
                        );
                        return Ok(Box::new(builder));
                    }
                    Err(error) => {
                        // An engine that answers but cannot give the image: remembered, since
                        // asking again costs a registry round trip each time.
                        Memo::remember(&project.target_dir, runtime, image, &error.message());
                        error.message()
                    }
                }
            }
            Err(error) => error.to_string(),
        },
    };
    match ZigBuilder::locate(runtime) {
        Ok(builder) => {
            ui.status(
                "Builder",
                format!("zig (Docker is not usable: {docker_problem})"),
            );
            Ok(Box::new(builder))
        }
        Err(zig_problem) => Err(BuildError::NoBuilder {
            docker: docker_problem,
            zig: zig_problem.to_string(),
        }
        .into()),
    }
}

/// Why the Docker builder could not be used for a runtime, the last time it was tried.
#[derive(Debug, Serialize, Deserialize)]
pub struct Memo {
    runtime: String,
    image: Option<String>,
    /// The engine it was tried on.
    host: String,
    why: String,
    /// Seconds since the Unix epoch.
    at: u64,
}

impl Memo {
    fn path(target_dir: &Path) -> PathBuf {
        target_dir.join("fc").join("docker-unusable.json")
    }

    fn now() -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }

    /// What was remembered for this runtime, image and engine, while it is recent enough.
    pub fn recall(target_dir: &Path, runtime: &Runtime, image: Option<&str>) -> Option<Memo> {
        let text = std::fs::read_to_string(Self::path(target_dir)).ok()?;
        let memo: Memo = serde_json::from_str(&text).ok()?;
        let fresh = Self::now().saturating_sub(memo.at) < REMEMBER_FOR.as_secs();
        let same = memo.runtime == runtime.id
            && memo.image.as_deref() == image
            && memo.host == crate::engine::engine_host();
        (fresh && same).then_some(memo)
    }

    fn remember(target_dir: &Path, runtime: &Runtime, image: Option<&str>, why: &str) {
        let memo = Memo {
            runtime: runtime.id.to_string(),
            image: image.map(str::to_string),
            host: crate::engine::engine_host(),
            why: why.to_string(),
            at: Self::now(),
        };
        let path = Self::path(target_dir);
        // A memo that cannot be written only costs the next build the same attempt.
        if let Some(dir) = path.parent()
            && std::fs::create_dir_all(dir).is_ok()
            && let Ok(text) = serde_json::to_string(&memo)
        {
            let _ = std::fs::write(&path, text);
        }
    }

    /// Forgets what was remembered: the image is there now, or the user wants a new attempt.
    pub fn forget(target_dir: &Path) {
        let _ = std::fs::remove_file(Self::path(target_dir));
    }

    /// The reason, and that it is remembered.
    pub fn describe(&self) -> String {
        let minutes = Self::now().saturating_sub(self.at) / 60;
        format!(
            "{} (found {minutes} min ago; `cargo fc image build` or --builder docker tries again)",
            self.why
        )
    }
}

/// The builder choice doctor reports, from the same facts `build` would use.
pub fn doctor_problem(target_dir: Option<&Path>, runtime: &Runtime) -> Option<String> {
    target_dir
        .and_then(|dir| Memo::recall(dir, runtime, None))
        .map(|memo| memo.describe())
}

/// Why the Docker builder could not build for `runtime` here, judged without building or
/// pulling anything: what was remembered, else whether its image (or the base it is built
/// from) is present or a registry has it. `None` when it can build.
pub fn docker_problem(
    engine: &Engine,
    runtime: &Runtime,
    image: Option<&str>,
    rust_version: Option<&str>,
    target_dir: Option<&Path>,
) -> Option<String> {
    if let Some(memo) = target_dir.and_then(|dir| Memo::recall(dir, runtime, image)) {
        return Some(memo.describe());
    }
    let present = |name: &str| matches!(engine.inspect_image(name), Ok(Some(_)));
    match image {
        Some(name) if present(name) => None,
        Some(name) => registry_problem(engine, name).map(|why| {
            format!("image `{name}` is not present locally and could not be pulled: {why}")
        }),
        None => {
            let tag = image::builder_tag(runtime, rust_version?);
            if present(&tag) {
                return None;
            }
            let base = format!("debian:{}", runtime.debian_codename);
            if present(&base) {
                return None;
            }
            registry_problem(engine, &base).map(|why| {
                format!(
                    "the builder image for `{runtime}` cannot be built: its base image {base} is not present locally and could not be pulled: {why}"
                )
            })
        }
    }
}

/// Whether a registry has `image`, asked through the engine without pulling it.
fn registry_problem(engine: &Engine, image: &str) -> Option<String> {
    let asked = engine.block_on(async {
        tokio::time::timeout(
            Duration::from_secs(5),
            engine.docker().inspect_registry_image(image, None),
        )
        .await
    });
    match asked {
        Ok(Ok(_)) => None,
        Ok(Err(error)) => Some(crate::engine::describe(&error)),
        Err(_) => Some("the registry did not answer within 5 s".into()),
    }
}
