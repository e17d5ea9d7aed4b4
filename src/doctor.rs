//! `cargo fc doctor`: one screen of what cargo fc would use on this machine, and how to fix what
//! is missing.
//!
//! Every fact comes from the same discovery code the commands use (the Docker engine connection,
//! the builder image label, the zig and cargo-zigbuild lookup, `which` for `s` and `fun`), so the
//! report cannot disagree with what `cargo fc build` or `deploy` then does. Doctor reports; it
//! fails (exit 5) only when `cargo fc build` could not build here at all.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

use crate::build::image::{self, Toolchain};
use crate::build::zig::{self, ZigSource};
use crate::build::{BuilderKind, cargo};
use crate::deploy::DeployTool;
use crate::engine::{self, Engine};
use crate::error::{Exit, Failure, failure_any};
use crate::platform::Runtime;
use crate::project::{self, Project, ProjectError, Selection};

/// How long a tool may take to print its version. `s -v` starts Node and can take seconds; a
/// version is not worth more than this.
const DEPLOY_TOOL_TIMEOUT: Duration = Duration::from_secs(3);

/// rustc and cargo through rustup may first sync a toolchain a rust-toolchain file names.
const TOOLCHAIN_TIMEOUT: Duration = Duration::from_secs(30);

const ZIG_TIMEOUT: Duration = Duration::from_secs(10);

/// Versions longer than this are some tool's banner, not a version.
const MAX_VERSION_CHARS: usize = 120;

/// The state of one line of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Present and usable.
    Ok,
    /// Missing or not usable; the line says how to fix it.
    Missing,
    /// Neither: context such as "no project here".
    Info,
}

impl Mark {
    fn symbol(self) -> &'static str {
        match self {
            Mark::Ok => "✓",
            Mark::Missing => "✗",
            Mark::Info => "·",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Mark::Ok => "ok",
            Mark::Missing => "missing",
            Mark::Info => "info",
        }
    }
}

/// One line of the report.
#[derive(Debug, Clone)]
pub struct Item {
    /// The key in the JSON object.
    pub key: &'static str,
    /// The label in the human report.
    pub label: &'static str,
    pub mark: Mark,
    pub summary: String,
    /// What to do when the mark is not ok.
    pub fix: Option<String>,
    /// Facts for the JSON object beyond the summary (version, path, …).
    pub data: Map<String, Value>,
}

impl Item {
    fn new(key: &'static str, label: &'static str, mark: Mark, summary: impl Into<String>) -> Self {
        Self {
            key,
            label,
            mark,
            summary: summary.into(),
            fix: None,
            data: Map::new(),
        }
    }

    fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    fn with(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.data.insert(name.to_string(), value.into());
        self
    }

    fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("status".into(), self.mark.name().into());
        // Info lines are neither ok nor missing.
        let ok = match self.mark {
            Mark::Ok => Value::Bool(true),
            Mark::Missing => Value::Bool(false),
            Mark::Info => Value::Null,
        };
        object.insert("ok".into(), ok);
        object.insert("summary".into(), self.summary.clone().into());
        object.insert("fix".into(), self.fix.clone().into());
        for (name, value) in &self.data {
            object.insert(name.clone(), value.clone());
        }
        Value::Object(object)
    }
}

/// The whole report.
#[derive(Debug, Clone)]
pub struct Report {
    pub items: Vec<Item>,
    /// Whether `cargo fc build` could build the project (or a default one) here.
    pub can_build: bool,
}

impl Report {
    pub fn to_json(&self) -> Value {
        let checks: Map<String, Value> = self
            .items
            .iter()
            .map(|item| (item.key.to_string(), item.to_json()))
            .collect();
        json!({
            "reason": "doctor",
            "version": env!("CARGO_PKG_VERSION"),
            "can_build": self.can_build,
            "checks": checks,
        })
    }

    /// The report as people read it: one line per item, its fix indented under it.
    pub fn render(&self, color: bool) -> String {
        let paint = |mark: Mark| {
            let symbol = mark.symbol();
            match (color, mark) {
                (true, Mark::Ok) => format!("\x1b[1;32m{symbol}\x1b[0m"),
                (true, Mark::Missing) => format!("\x1b[1;31m{symbol}\x1b[0m"),
                _ => symbol.to_string(),
            }
        };
        let width = self
            .items
            .iter()
            .map(|i| i.label.chars().count())
            .max()
            .unwrap_or(0);
        let mut text = format!("cargo fc {} on this machine:\n", env!("CARGO_PKG_VERSION"));
        for item in &self.items {
            text.push_str(&format!(
                "  {} {:width$}  {}\n",
                paint(item.mark),
                item.label,
                item.summary
            ));
            if let Some(fix) = &item.fix
                && item.mark != Mark::Ok
            {
                text.push_str(&format!("    {:width$}  fix: {fix}\n", ""));
            }
        }
        text
    }
}

/// No builder can run here: what `doctor` ends with then (exit 5).
#[derive(Debug)]
pub struct CannotBuild;

impl std::fmt::Display for CannotBuild {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("cargo fc cannot build here: no builder is usable")
    }
}

impl Failure for CannotBuild {
    fn exit(&self) -> Exit {
        Exit::Tool
    }

    fn kind(&self) -> &'static str {
        "doctor.cannot-build"
    }

    fn help(&self) -> Option<String> {
        Some(
            "follow the fixes marked ✗ above; `pip install ziglang cargo-zigbuild` is the quickest"
                .into(),
        )
    }

    failure_any!();
}

/// Looks at everything and decides nothing: the report of this machine (and of the project in
/// the current folder, when there is one).
pub fn examine(selection: &Selection) -> Report {
    // A project that was asked for, or whose Cargo.toml is here, and does not load is worth a
    // ✗; elsewhere there is simply no project.
    let expected = selection.manifest_path.is_some()
        || !selection.packages.is_empty()
        || !selection.bins.is_empty()
        || std::env::current_dir()
            .is_ok_and(|dir| dir.ancestors().any(|d| d.join("Cargo.toml").is_file()));
    let project = project::load(selection);
    let dir = match &project {
        Ok(project) => project.workspace_root.clone(),
        Err(_) => PathBuf::from("."),
    };
    // The probes are independent and some wait on timeouts (the engine's ping, `s -v`), so they
    // run side by side.
    let (docker, zig, cargo_zigbuild, rust, cargo_item, s, fun) = std::thread::scope(|scope| {
        let docker = scope.spawn(examine_docker);
        let zig = scope.spawn(examine_zig);
        let s = scope.spawn(|| examine_deploy_tool(DeployTool::S));
        let fun = scope.spawn(|| examine_deploy_tool(DeployTool::Fun));
        let rust = scope.spawn(|| examine_rustc(&dir));
        let cargo_item = examine_cargo(&dir);
        let (zig, cargo_zigbuild) = join(zig);
        (
            join(docker),
            zig,
            cargo_zigbuild,
            join(rust),
            cargo_item,
            join(s),
            join(fun),
        )
    });
    let (rustc_item, toolchain) = rust;
    let runtimes = image::runtimes_of(project.as_ref().ok());
    let images = images_item(&docker, toolchain.as_ref(), &runtimes);
    let project_item = project_item(&project, expected);
    // An engine that answers is not enough: the builder needs its image, which here must be
    // present, buildable from a present base, or pullable.
    let docker_problem = docker.problem.clone().or_else(|| {
        let engine = docker.engine.as_ref()?;
        let target_dir = project.as_ref().ok().map(|p| p.target_dir.as_path());
        let rust = toolchain.as_ref().map(|t| t.version.as_str());
        // What each function would build in: its runtime's builder image, or its `image`.
        let wanted: Vec<(&Runtime, Option<&str>)> = match &project {
            Ok(project) => project
                .functions
                .iter()
                .map(|f| (f.config.runtime, f.config.image.as_deref()))
                .collect(),
            Err(_) => vec![(Runtime::default_runtime(), None)],
        };
        wanted.into_iter().find_map(|(runtime, image)| {
            crate::build::choice::docker_problem(engine, runtime, image, rust, target_dir)
        })
    });
    let usable = Usable {
        docker: docker_problem,
        zig: zig
            .problem
            .clone()
            .or_else(|| cargo_zigbuild.problem.clone()),
        cargo: rustc_item
            .problem
            .clone()
            .or_else(|| cargo_item.problem.clone()),
        host: docker.host.clone(),
    };
    let (builder_items, can_build) = builder_items(project.as_ref().ok(), &usable);
    let mut items = vec![
        docker.item,
        images,
        zig.item,
        cargo_zigbuild.item,
        rustc_item.item,
        cargo_item.item,
        s,
        fun,
        project_item,
    ];
    items.extend(builder_items);
    // Without rustc and cargo nothing builds, whatever the builder.
    let can_build = can_build && usable.cargo.is_none();
    Report { items, can_build }
}

/// A probe's thread does not panic (its work returns errors as values); if it did, that is a
/// bug to report as such.
fn join<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle.join().expect("doctor probes do not panic")
}

/// An item and, when it is not usable, why (for the builder decision).
struct Probe {
    item: Item,
    problem: Option<String>,
}

struct DockerProbe {
    item: Item,
    problem: Option<String>,
    host: String,
    /// The connection, when an engine answers.
    engine: Option<Engine>,
    /// The builder images present, or why they could not be listed.
    images: std::result::Result<Vec<image::Present>, String>,
}

/// The engine, through the same connection the docker builder makes (DOCKER_HOST or the
/// default socket, a ping with a timeout, API version negotiation).
fn examine_docker() -> DockerProbe {
    let host = redact_host(&engine::engine_host());
    let origin = engine::host_origin();
    let engine = match Engine::connect() {
        Ok(engine) => engine,
        Err(error) => {
            let message = redact(&error.to_string());
            let item = Item::new("docker", "Docker engine", Mark::Missing, message.clone())
                .fix(
                    Failure::help(&error)
                        .map(|h| redact(&h))
                        .unwrap_or_else(|| {
                            "start Docker, or set DOCKER_HOST to the engine's address".to_string()
                        }),
                )
                .with("host", host.clone())
                .with("host_origin", origin);
            return DockerProbe {
                engine: None,
                item,
                problem: Some(message),
                host,
                images: Err("no Docker engine".to_string()),
            };
        }
    };
    let version = engine.block_on(engine.docker().version());
    let (summary, data) = match &version {
        Ok(version) => {
            let product = version
                .platform
                .as_ref()
                .map(|p| p.name.trim().to_string())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "Docker".to_string());
            let number = version.version.clone().unwrap_or_else(|| "?".to_string());
            let api = version
                .api_version
                .clone()
                .unwrap_or_else(|| "?".to_string());
            (
                format!("{product} {number} (API {api}) at {host} ({origin})"),
                Some((number, api)),
            )
        }
        // It answered the ping, so it is usable; only the version is unknown.
        Err(error) => (
            format!(
                "answers at {host} ({origin}); version unknown: {}",
                engine::describe(error)
            ),
            None,
        ),
    };
    let mut item = Item::new("docker", "Docker engine", Mark::Ok, summary)
        .with("host", host.clone())
        .with("host_origin", origin);
    if let Some((number, api)) = data {
        item = item.with("version", number).with("api_version", api);
    }
    let images = image::list_builders(&engine).map_err(|e| e.to_string());
    DockerProbe {
        engine: Some(engine),
        item,
        problem: None,
        host,
        images,
    }
}

/// The builder images present, and whether the ones this project's docker build would use are.
fn images_item(
    docker: &DockerProbe,
    toolchain: Option<&Toolchain>,
    runtimes: &[&'static Runtime],
) -> Item {
    const LABEL: &str = "builder images";
    let present = match &docker.images {
        Ok(present) => present,
        Err(why) => {
            return Item::new(
                "builder_images",
                LABEL,
                Mark::Missing,
                format!("not checked: {why}"),
            )
            .fix("once an engine answers, the first docker build makes them, or `cargo fc image build`");
        }
    };
    let tags: Vec<&str> = present.iter().map(|p| p.tag.as_str()).collect();
    let images: Vec<Value> = present
        .iter()
        .map(|p| json!({"image": p.tag, "runtime": p.runtime, "rust": p.rust}))
        .collect();
    // The tags `cargo fc build` looks for: one per runtime, for the host's Rust version.
    let wanted: Vec<(&Runtime, String)> = toolchain
        .map(|t| {
            runtimes
                .iter()
                .map(|r| (*r, image::builder_tag(r, &t.version)))
                .collect()
        })
        .unwrap_or_default();
    let absent: Vec<&(&Runtime, String)> = wanted
        .iter()
        .filter(|(_, tag)| !tags.contains(&tag.as_str()))
        .collect();
    let listed = if tags.is_empty() {
        "none".to_string()
    } else {
        tags.join(", ")
    };
    let item = if wanted.is_empty() {
        // Without rustc the wanted tags are unknown; report what is there.
        let mark = if tags.is_empty() {
            Mark::Missing
        } else {
            Mark::Ok
        };
        Item::new("builder_images", LABEL, mark, listed).fix("`cargo fc image build` (needs rustc)")
    } else if absent.is_empty() {
        Item::new("builder_images", LABEL, Mark::Ok, listed)
    } else {
        let names: Vec<&str> = absent.iter().map(|(_, tag)| tag.as_str()).collect();
        // Without --runtime, `image build` makes the images of the project's runtimes (or of
        // the default runtime outside a project): the same list as `wanted`.
        let command = if absent.len() == wanted.len() {
            "`cargo fc image build`".to_string()
        } else {
            absent
                .iter()
                .map(|(runtime, _)| format!("`cargo fc image build --runtime {}`", runtime.id))
                .collect::<Vec<_>>()
                .join(", ")
        };
        Item::new(
            "builder_images",
            LABEL,
            Mark::Missing,
            format!("{listed}; not here yet: {}", names.join(", ")),
        )
        .fix(format!(
            "{command} (or let the first docker build make it; its base image comes from a registry)"
        ))
    };
    let wanted: Vec<&str> = wanted.iter().map(|(_, tag)| tag.as_str()).collect();
    item.with("images", images).with("wanted", wanted)
}

/// zig and cargo-zigbuild, found the way the zig builder finds them.
fn examine_zig() -> (Probe, Probe) {
    let cargo_zigbuild = zig::find_cargo_zigbuild();
    let zig_source = zig::find_zig(cargo_zigbuild.as_ref().ok().map(PathBuf::as_path));
    let cargo_zigbuild_probe = match &cargo_zigbuild {
        Ok(path) => {
            let version = run_briefly(path, &["--version"], None, ZIG_TIMEOUT);
            tool_item("cargo_zigbuild", "cargo-zigbuild", path, version, "")
        }
        Err(error) => Probe {
            item: Item::new(
                "cargo_zigbuild",
                "cargo-zigbuild",
                Mark::Missing,
                "not on PATH",
            )
            .fix(pip_fix()),
            problem: Some(error.to_string()),
        },
    };
    let zig_probe = match &zig_source {
        Ok(source) => {
            let path = source.path();
            let version = run_briefly(path, &["version"], None, ZIG_TIMEOUT);
            let (origin, from) = match source {
                ZigSource::Env(_) => ("CARGO_ZIGBUILD_ZIG_PATH", " (from CARGO_ZIGBUILD_ZIG_PATH)"),
                ZigSource::Path(_) => ("path", ""),
                ZigSource::Ziglang(_) => ("ziglang", " (from the `ziglang` Python package)"),
            };
            let mut probe = tool_item("zig", "zig", path, version, from);
            probe.item = probe.item.with("source", origin);
            probe
        }
        Err(error) => Probe {
            item: Item::new(
                "zig",
                "zig",
                Mark::Missing,
                "neither on PATH nor installed as the `ziglang` Python package",
            )
            .fix(pip_fix()),
            problem: Some(error.to_string()),
        },
    };
    (zig_probe, cargo_zigbuild_probe)
}

fn pip_fix() -> String {
    zig::INSTALL_HELP.to_string()
}

/// rustc as a build in `dir` runs it (rustup applies the folder's rust-toolchain file), and
/// the toolchain facts the builder image's tag is made of.
fn examine_rustc(dir: &Path) -> (Probe, Option<Toolchain>) {
    let version = run_briefly(
        Path::new("rustc"),
        &["--version"],
        Some(dir),
        TOOLCHAIN_TIMEOUT,
    );
    let probe = match version {
        Ok(version) => Probe {
            item: Item::new("rustc", "rustc", Mark::Ok, version.clone())
                .with("version", version)
                .with(
                    "path",
                    which::which("rustc").ok().map(|p| p.display().to_string()),
                ),
            problem: None,
        },
        Err(why) => Probe {
            item: Item::new("rustc", "rustc", Mark::Missing, why.clone())
                .fix("install Rust with rustup: https://rustup.rs"),
            problem: Some(format!("rustc: {why}")),
        },
    };
    let toolchain = if probe.problem.is_none() {
        Toolchain::detect(dir).ok()
    } else {
        None
    };
    (probe, toolchain)
}

/// The cargo the cargo builder runs (under `cargo fc`, the one that ran us).
fn examine_cargo(dir: &Path) -> Probe {
    let program = PathBuf::from(cargo::cargo_program());
    match run_briefly(&program, &["--version"], Some(dir), TOOLCHAIN_TIMEOUT) {
        Ok(version) => Probe {
            item: Item::new("cargo", "cargo", Mark::Ok, version.clone())
                .with("version", version)
                .with(
                    "path",
                    which::which(&program).ok().map(|p| p.display().to_string()),
                ),
            problem: None,
        },
        Err(why) => Probe {
            item: Item::new("cargo", "cargo", Mark::Missing, why.clone())
                .fix("install Rust with rustup: https://rustup.rs"),
            problem: Some(format!("cargo: {why}")),
        },
    }
}

/// `s` or `fun` on PATH, as `cargo fc deploy` finds it, with its version when it answers quickly.
/// They are optional: only `deploy` needs them.
fn examine_deploy_tool(tool: DeployTool) -> Item {
    let program = tool.program();
    let (key, what) = match tool {
        DeployTool::S => ("s", "Serverless Devs, deploys s.yaml"),
        DeployTool::Fun => ("fun", "Fun, deploys template.yml"),
    };
    let fix = format!("`npm install -g {}`", tool.npm_package());
    let Ok(path) = which::which(program) else {
        return Item::new(key, program, Mark::Missing, format!("not on PATH ({what})")).fix(fix);
    };
    let flag = match tool {
        DeployTool::S => "-v",
        DeployTool::Fun => "--version",
    };
    match run_briefly(&path, &[flag], None, DEPLOY_TOOL_TIMEOUT) {
        Ok(version) => Item::new(
            key,
            program,
            Mark::Ok,
            format!("{version}: {}", path.display()),
        )
        .with("version", version)
        .with("path", path.display().to_string()),
        // Found is what matters for deploy; a slow or odd version answer is only noted.
        Err(why) => Item::new(
            key,
            program,
            Mark::Ok,
            format!("{} (`{program} {flag}`: {why})", path.display()),
        )
        .with("version", Value::Null)
        .with("path", path.display().to_string()),
    }
}

/// An item for a tool found at `path`, with the version it printed (or why it printed none,
/// which makes it unusable: a zig that cannot say its version cannot link either).
fn tool_item(
    key: &'static str,
    label: &'static str,
    path: &Path,
    version: std::result::Result<String, String>,
    origin: &str,
) -> Probe {
    // `bin/../lib/…` as the lookup found it reads better resolved; the path itself is unchanged.
    let shown = std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string();
    match version {
        Ok(version) => {
            // `cargo-zigbuild 0.24.0` → `0.24.0`: the label already names the tool.
            let number = version
                .strip_prefix(label)
                .map(str::trim)
                .unwrap_or(&version)
                .to_string();
            Probe {
                item: Item::new(key, label, Mark::Ok, format!("{number}{origin}: {shown}"))
                    .with("version", number)
                    .with("path", shown),
                problem: None,
            }
        }
        Err(why) => Probe {
            item: Item::new(
                key,
                label,
                Mark::Missing,
                format!("{shown}{origin} does not run: {why}"),
            )
            .fix(pip_fix())
            .with("path", shown),
            problem: Some(format!("{label} at {} does not run: {why}", path.display())),
        },
    }
}

/// The project line: which functions and runtimes the builder decision below is for.
fn project_item(project: &Result<Project, ProjectError>, expected: bool) -> Item {
    match project {
        Ok(project) => {
            let names: Vec<&str> = project.functions.iter().map(|f| f.bin.as_str()).collect();
            let runtimes = image::runtimes_of(Some(project));
            let ids: Vec<&str> = runtimes.iter().map(|r| r.id).collect();
            Item::new(
                "project",
                "project",
                Mark::Info,
                format!(
                    "{} ({}; runtime {})",
                    project.workspace_root.display(),
                    names.join(", "),
                    ids.join(", ")
                ),
            )
            .with(
                "workspace_root",
                project.workspace_root.display().to_string(),
            )
            .with("functions", names)
            .with("runtimes", ids)
        }
        Err(error) if expected => {
            // Where the error applies, then what it is; its help becomes the fix.
            let summary = match error.location() {
                Some(at) => match at.line {
                    Some(line) => format!("{}:{line}: {error}", at.file.display()),
                    None => format!("{}: {error}", at.file.display()),
                },
                None => error.to_string(),
            };
            let item = Item::new("project", "project", Mark::Missing, summary);
            match error.help() {
                Some(help) => item.fix(help),
                None => item,
            }
        }
        Err(_) => Item::new(
            "project",
            "project",
            Mark::Info,
            format!(
                "none here; the default runtime `{}` is assumed",
                Runtime::default_runtime().id
            ),
        )
        .with("runtimes", vec![Runtime::default_runtime().id]),
    }
}

/// Which builders can run here; `None` means usable, `Some` says why not.
struct Usable {
    docker: Option<String>,
    zig: Option<String>,
    cargo: Option<String>,
    host: String,
}

impl Usable {
    fn problem(&self, kind: BuilderKind) -> Option<&str> {
        match kind {
            BuilderKind::Docker => self.docker.as_deref(),
            BuilderKind::Zig => self.zig.as_deref(),
            BuilderKind::Cargo => self.cargo.as_deref(),
        }
    }
}

/// The builder `cargo fc build` picks for the project's functions (or for a project without a
/// `builder` setting), and why: the order of `build::default_builder`. Doctor does not build
/// images, so the one thing it cannot foresee is a builder image that cannot be made (no
/// registry for its base image), in which case the build falls back to zig; the line says so.
fn builder_items(project: Option<&Project>, usable: &Usable) -> (Vec<Item>, bool) {
    // Functions grouped by their `builder` setting; None is the automatic choice.
    let mut groups: Vec<(Option<BuilderKind>, Vec<&str>)> = Vec::new();
    match project {
        Some(project) if !project.functions.is_empty() => {
            for function in &project.functions {
                let kind = function.config.builder;
                match groups.iter_mut().find(|(k, _)| *k == kind) {
                    Some((_, bins)) => bins.push(&function.bin),
                    None => groups.push((kind, vec![&function.bin])),
                }
            }
        }
        _ => groups.push((None, Vec::new())),
    }
    groups.sort_by_key(|(kind, _)| *kind);
    let several = groups.len() > 1;
    let mut can_build = true;
    let mut items = Vec::new();
    for (kind, bins) in groups {
        let for_whom = if several {
            format!(" for {}", bins.join(", "))
        } else {
            String::new()
        };
        let item = match kind {
            Some(kind) => {
                let set = format!("set by `builder = \"{}\"` in Cargo.toml", kind.name());
                match usable.problem(kind) {
                    None => Item::new(
                        "builder",
                        "builder",
                        Mark::Ok,
                        format!("{}{for_whom} ({set})", kind.name()),
                    )
                    .with("builder", kind.name())
                    .with("chosen_by", "config"),
                    Some(problem) => {
                        can_build = false;
                        Item::new(
                            "builder",
                            "builder",
                            Mark::Missing,
                            format!("{}{for_whom} ({set}) cannot run: {problem}", kind.name()),
                        )
                        .fix(format!("fix the {} line above, or change the builder setting (--builder chooses one per build)", kind.name()))
                        .with("builder", kind.name())
                        .with("chosen_by", "config")
                    }
                }
            }
            None => match (&usable.docker, &usable.zig) {
                (None, zig) => {
                    let fallback = match zig {
                        None => "the build falls back to zig",
                        Some(_) => "the build fails: zig is not usable either",
                    };
                    Item::new(
                        "builder",
                        "default builder",
                        Mark::Ok,
                        format!(
                            "docker{for_whom}: the Docker engine at {} answers and its builder image can be had ({fallback} if that changes; --builder chooses another)",
                            usable.host
                        ),
                    )
                    .with("builder", "docker")
                    .with("chosen_by", "default")
                }
                (Some(docker), None) => Item::new(
                    "builder",
                    "default builder",
                    Mark::Ok,
                    format!("zig{for_whom}: Docker is not usable ({docker})"),
                )
                .with("builder", "zig")
                .with("chosen_by", "default"),
                (Some(_), Some(_)) => {
                    can_build = false;
                    Item::new(
                        "builder",
                        "default builder",
                        Mark::Missing,
                        format!("none{for_whom}: neither Docker nor zig is usable, so `cargo fc build` fails here"),
                    )
                    .fix("start a Docker engine, or `pip install ziglang cargo-zigbuild`; or --builder cargo for a plain host build that the verify step checks")
                    .with("builder", Value::Null)
                    .with("chosen_by", "default")
                }
            },
        };
        items.push(if several {
            item.with("bins", bins)
        } else {
            item
        });
    }
    (items, can_build)
}

/// Runs `program args` with stdin closed and returns the first line it printed (stdout, else
/// stderr), or why there is none. A program still running after `timeout` is killed: a version
/// is never worth waiting long for.
fn run_briefly(
    program: &Path,
    args: &[&str],
    dir: Option<&Path>,
    timeout: Duration,
) -> std::result::Result<String, String> {
    let mut command = Command::new(program);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let shown = program.display();
    let mut child = command.spawn().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            "not found".to_string()
        } else {
            format!("could not run `{shown}`: {e}")
        }
    })?;
    // Pipes are read on threads: a child (or a grandchild holding the pipe) that never closes
    // them must not hang doctor; the channel gives up at the deadline.
    let (sender, receiver) = mpsc::channel();
    for (stream, pipe) in [
        (
            "stdout",
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        ),
        (
            "stderr",
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        ),
    ] {
        let Some(pipe) = pipe else { continue };
        let sender = sender.clone();
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.take(64 * 1024).read_to_end(&mut bytes);
            let _ = sender.send((stream, bytes));
        });
    }
    drop(sender);
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("no answer within {}", seconds(timeout)));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(format!("could not wait for `{shown}`: {e}")),
        }
    };
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    while let Ok((stream, bytes)) =
        receiver.recv_timeout(deadline.saturating_duration_since(Instant::now()))
    {
        match stream {
            "stdout" => stdout = bytes,
            _ => stderr = bytes,
        }
    }
    let first_line = |bytes: &[u8]| {
        String::from_utf8_lossy(bytes)
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(|l| l.chars().take(MAX_VERSION_CHARS).collect::<String>())
    };
    if !status.success() {
        let said = first_line(&stderr).or_else(|| first_line(&stdout));
        return Err(match said {
            Some(line) => format!("{status}: {line}"),
            None => status.to_string(),
        });
    }
    first_line(&stdout)
        .or_else(|| first_line(&stderr))
        .ok_or_else(|| "printed nothing".to_string())
}

/// `3 s`, `300 ms`.
fn seconds(duration: Duration) -> String {
    if duration.subsec_millis() == 0 {
        format!("{} s", duration.as_secs())
    } else {
        format!("{} ms", duration.as_millis())
    }
}

/// An engine address with any password taken out (`tcp://user:secret@host` → `tcp://user:***@host`):
/// doctor's output is meant to be pasted into bug reports.
fn redact_host(host: &str) -> String {
    let Some((scheme, rest)) = host.split_once("://") else {
        return host.to_string();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, server)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(user, _)| user);
            let hidden = if userinfo.contains(':') {
                format!("{user}:***")
            } else {
                user.to_string()
            };
            format!("{scheme}://{hidden}@{server}{path}")
        }
        None => host.to_string(),
    }
}

/// `text` with the engine address replaced by its redacted form.
fn redact(text: &str) -> String {
    let host = engine::engine_host();
    let redacted = redact_host(&host);
    if host == redacted {
        text.to_string()
    } else {
        text.replace(&host, &redacted)
    }
}

/// For tests: the first line a program prints, as doctor reads versions.
#[cfg(test)]
fn first_line_of(program: &str, args: &[&str]) -> std::result::Result<String, String> {
    run_briefly(Path::new(program), args, None, Duration::from_secs(5))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_engine_addresses_are_hidden() {
        assert_eq!(
            redact_host("tcp://alice:s3cret@docker.example:2376"),
            "tcp://alice:***@docker.example:2376"
        );
        assert_eq!(redact_host("ssh://bob@build-box"), "ssh://bob@build-box");
        assert_eq!(
            redact_host("unix:///var/run/docker.sock"),
            "unix:///var/run/docker.sock"
        );
        assert_eq!(redact_host("tcp://a:b@h/p@q"), "tcp://a:***@h/p@q");
    }

    #[test]
    fn a_program_that_hangs_is_cut_off() {
        let started = Instant::now();
        let result = run_briefly(
            Path::new("sleep"),
            &["30"],
            None,
            Duration::from_millis(300),
        );
        assert_eq!(result, Err("no answer within 300 ms".to_string()));
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn the_first_printed_line_is_the_version() {
        assert_eq!(
            first_line_of("sh", &["-c", "echo; echo '  1.2.3  '; echo more"]),
            Ok("1.2.3".to_string())
        );
        // Some tools print their version on stderr.
        assert_eq!(
            first_line_of("sh", &["-c", "echo 4.5 >&2"]),
            Ok("4.5".to_string())
        );
        assert_eq!(
            first_line_of("sh", &["-c", "echo broken >&2; exit 3"]),
            Err("exit status: 3: broken".to_string())
        );
        assert_eq!(
            first_line_of("/nonexistent/tool", &[]),
            Err("not found".to_string())
        );
    }

    #[test]
    fn the_report_marks_and_fixes_each_line() {
        let report = Report {
            items: vec![
                Item::new("zig", "zig", Mark::Ok, "0.17.1: /x/zig"),
                Item::new("s", "s", Mark::Missing, "not on PATH")
                    .fix("`npm install -g @serverless-devs/s`"),
            ],
            can_build: true,
        };
        let text = report.render(false);
        assert!(text.contains("  ✓ zig  0.17.1: /x/zig\n"), "{text}");
        assert!(text.contains("  ✗ s    not on PATH\n"), "{text}");
        assert!(
            text.contains("fix: `npm install -g @serverless-devs/s`"),
            "{text}"
        );
        let json = report.to_json();
        assert_eq!(json["checks"]["s"]["ok"], false);
        assert_eq!(json["checks"]["zig"]["status"], "ok");
    }
}
