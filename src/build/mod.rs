//! Compiling functions for their runtime, behind one seam.
//!
//! Every builder runs the same cargo invocation (made by [`cargo_args`]) somewhere — on the host,
//! through cargo-zigbuild, or in a container — and feeds cargo's output back through
//! [`CargoOutput`], which forwards the human part live and reads the JSON part to learn which
//! executables were produced. Everything after the build (copying to `bootstrap`, verify, pack) is
//! the same whichever builder ran.

pub(crate) mod cargo;
pub mod docker;
pub mod image;
pub(crate) mod zig;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use cargo_metadata::{Message, TargetKind};

use crate::cli::BuildArgs;
use crate::error::{Error, ErrorKind, Result};
use crate::platform::Runtime;
use crate::project::{Function, Project};
use crate::ui::{Progress, Ui};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum BuilderKind {
    /// cargo in a container of the runtime's Debian release, through the Docker engine.
    Docker,
    /// cargo-zigbuild, linking against the runtime's glibc version.
    Zig,
    /// The host's cargo, as is.
    Cargo,
}

impl BuilderKind {
    pub fn names() -> Vec<&'static str> {
        vec!["docker", "zig", "cargo"]
    }

    pub fn name(self) -> &'static str {
        match self {
            BuilderKind::Docker => "docker",
            BuilderKind::Zig => "zig",
            BuilderKind::Cargo => "cargo",
        }
    }
}

/// One way of running cargo for a runtime.
pub trait Builder {
    fn kind(&self) -> BuilderKind;
    /// Runs cargo with `args` (everything after `cargo`'s subcommand), reporting its output to `output`.
    fn run(&self, args: &[String], output: &mut CargoOutput) -> Result<()>;
}

/// What `cargo fc build` was asked for, beyond the selection of functions.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub runtime: Option<&'static Runtime>,
    pub builder: Option<BuilderKind>,
    /// The image a Docker build runs in instead of the runtime's builder image.
    pub image: Option<String>,
    pub profile: Option<String>,
    pub debug: bool,
    pub features: Vec<String>,
    pub all_features: bool,
    pub no_default_features: bool,
    pub locked: bool,
    pub offline: bool,
    pub frozen: bool,
    pub jobs: Option<String>,
    pub no_verify: bool,
    pub cargo_args: Vec<String>,
}

impl BuildOptions {
    pub fn from_args(args: &BuildArgs) -> Result<Self> {
        let runtime = match &args.runtime {
            Some(id) => Some(Runtime::find(id).ok_or_else(|| {
                Error::config(format!("`--runtime {id}` is not an FC custom runtime"))
                    .help(format!("use one of: {}", Runtime::ids().join(", ")))
            })?),
            None => None,
        };
        Ok(Self {
            runtime,
            builder: args.builder,
            image: args.image.clone(),
            profile: args.profile.clone(),
            debug: args.debug,
            features: args.features.clone(),
            all_features: args.all_features,
            no_default_features: args.no_default_features,
            locked: args.locked,
            offline: args.offline,
            frozen: args.frozen,
            jobs: args.jobs.clone(),
            no_verify: args.no_verify,
            cargo_args: args.cargo_args.clone(),
        })
    }

    fn profile_name(&self) -> &str {
        match (&self.profile, self.debug) {
            (Some(name), _) => name,
            (None, true) => "dev",
            (None, false) => "release",
        }
    }

    pub fn runtime_for(&self, function: &Function) -> &'static Runtime {
        self.runtime.unwrap_or(function.config.runtime)
    }
}

/// A function whose executable is in place as `<target-dir>/fc/<bin>/bootstrap`.
#[derive(Debug, Clone)]
pub struct Built {
    pub function: Function,
    pub runtime: &'static Runtime,
    /// The builder that made it; `None` for `pack --no-build`, which takes the last build as is.
    pub builder: Option<BuilderKind>,
    /// Where cargo wrote the executable.
    pub executable: PathBuf,
    pub bootstrap: PathBuf,
}

/// The cargo arguments for building `functions`, shared by every builder.
pub fn cargo_args(
    project: &Project,
    functions: &[&Function],
    options: &BuildOptions,
    ui: &Ui,
) -> Vec<String> {
    let mut args = vec![
        "--message-format=json-render-diagnostics".to_string(),
        "--manifest-path".to_string(),
        project.workspace_manifest().display().to_string(),
        "--profile".to_string(),
        options.profile_name().to_string(),
    ];
    let mut packages: Vec<&str> = functions.iter().map(|f| f.package.as_str()).collect();
    packages.dedup();
    for package in packages {
        args.extend(["--package".to_string(), package.to_string()]);
    }
    for function in functions {
        args.extend(["--bin".to_string(), function.bin.clone()]);
    }
    for features in &options.features {
        args.extend(["--features".to_string(), features.clone()]);
    }
    let flags = [
        (options.all_features, "--all-features"),
        (options.no_default_features, "--no-default-features"),
        (options.locked, "--locked"),
        (options.offline, "--offline"),
        (options.frozen, "--frozen"),
    ];
    args.extend(
        flags
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, flag)| flag.to_string()),
    );
    if let Some(jobs) = &options.jobs {
        args.extend(["--jobs".to_string(), jobs.clone()]);
    }
    // Cargo's stderr reaches the terminal through cargo fc, so it cannot see the terminal itself.
    args.push(format!(
        "--color={}",
        if ui.color() { "always" } else { "never" }
    ));
    if ui.verbosity() > 1 {
        args.push("--verbose".to_string());
    }
    if ui.is_quiet() {
        args.push("--quiet".to_string());
    }
    args.extend(options.cargo_args.iter().cloned());
    args
}

/// The builder the flag or the configuration names for a function; `None` leaves the choice to
/// [`default_builder`].
fn builder_kind(function: &Function, options: &BuildOptions) -> Option<BuilderKind> {
    options.builder.or(function.config.builder)
}

/// The image a Docker build of `function` runs in, when one is named instead of the builder image.
fn image_for(function: &Function, options: &BuildOptions) -> Option<String> {
    options
        .image
        .clone()
        .or_else(|| function.config.image.clone())
}

fn make_builder(
    kind: BuilderKind,
    runtime: &'static Runtime,
    project: &Project,
    image: Option<&str>,
    ui: &Ui,
) -> Result<Box<dyn Builder>> {
    Ok(match kind {
        BuilderKind::Docker => {
            let engine = docker::Engine::connect()?;
            Box::new(docker_builder(engine, runtime, project, image, ui)?)
        }
        BuilderKind::Zig => Box::new(zig::ZigBuilder::locate(runtime)?),
        BuilderKind::Cargo => Box::new(cargo::CargoBuilder::new()),
    })
}

fn docker_builder(
    engine: docker::Engine,
    runtime: &'static Runtime,
    project: &Project,
    image: Option<&str>,
    ui: &Ui,
) -> Result<docker::DockerBuilder> {
    let image = image::resolve(&engine, image, runtime, &project.workspace_root, ui)?;
    let layout = docker::Layout::new(&project.workspace_root, &project.target_dir, &image)?;
    Ok(docker::DockerBuilder::new(engine, image, layout, ui))
}

/// The builder when nothing names one: Docker when an engine answers, otherwise zig when
/// installed, otherwise an error naming both. An engine whose builder image can neither be
/// found nor made (no registry for the base image) also falls back to zig, with a warning,
/// since the user did not ask for Docker. The choice is printed in one line.
fn default_builder(
    runtime: &'static Runtime,
    project: &Project,
    image: Option<&str>,
    ui: &Ui,
) -> Result<Box<dyn Builder>> {
    let docker_problem = match docker::Engine::connect() {
        Ok(engine) => {
            let host = engine.host().to_string();
            match docker_builder(engine, runtime, project, image, ui) {
                Ok(builder) => {
                    ui.status(
                        "Builder",
                        format!("docker (the Docker engine at {host} answers; --builder chooses another)"),
                    );
                    return Ok(Box::new(builder));
                }
                Err(error) => error,
            }
        }
        Err(error) => error,
    };
    match zig::ZigBuilder::locate(runtime) {
        Ok(builder) => {
            ui.status(
                "Builder",
                format!("zig (Docker is not usable: {})", docker_problem.message),
            );
            Ok(Box::new(builder))
        }
        Err(zig_problem) => Err(Error::tool(
            "no builder is available: neither Docker nor zig can build here",
        )
        .note(format!("docker: {}", docker_problem.message))
        .note(format!("zig: {}", zig_problem.message))
        .help("start a Docker engine, or install zig (`pip install ziglang cargo-zigbuild`); or --builder cargo for a plain host build that the verify step checks")),
    }
}

/// Builds the functions, grouped so that each (builder, runtime) pair runs cargo once, and puts
/// each executable in place as `bootstrap`.
pub fn build(project: &Project, options: &BuildOptions, ui: &Ui) -> Result<Vec<Built>> {
    type Group = (Option<BuilderKind>, &'static str, Option<String>);
    let mut groups: BTreeMap<Group, Vec<&Function>> = BTreeMap::new();
    for function in &project.functions {
        let runtime = options.runtime_for(function);
        groups
            .entry((
                builder_kind(function, options),
                runtime.id,
                image_for(function, options),
            ))
            .or_default()
            .push(function);
    }
    let mut built = Vec::new();
    for ((kind, runtime_id, image), functions) in groups {
        let runtime = Runtime::find(runtime_id).expect("grouped by known runtime ids");
        if let (Some(kind @ (BuilderKind::Zig | BuilderKind::Cargo)), Some(image)) = (kind, &image)
        {
            ui.warn(format!(
                "image `{image}` is only used by the docker builder, not by the {} builder",
                kind.name()
            ));
        }
        let builder = match kind {
            Some(kind) => make_builder(kind, runtime, project, image.as_deref(), ui)?,
            None => default_builder(runtime, project, image.as_deref(), ui)?,
        };
        let kind = builder.kind();
        let names: Vec<&str> = functions.iter().map(|f| f.bin.as_str()).collect();
        ui.status(
            "Building",
            format!(
                "{} for {runtime} with the {} builder",
                names.join(", "),
                kind.name()
            ),
        );
        let args = cargo_args(project, &functions, options, ui);
        let progress = ui.spinner(format!("building {}", names.join(", ")));
        let mut output = CargoOutput::new(&progress);
        builder.run(&args, &mut output)?;
        for function in functions {
            let executable = output.executable_of(function).ok_or_else(|| {
                Error::new(
                    ErrorKind::Build,
                    format!(
                        "cargo finished but reported no executable for bin `{}`",
                        function.bin
                    ),
                )
                .help(
                    "check the `--` arguments passed to cargo: they must not change what is built",
                )
            })?;
            let bootstrap = project.bootstrap_path(function);
            install_bootstrap(&executable, &bootstrap)?;
            built.push(Built {
                function: function.clone(),
                runtime,
                builder: Some(kind),
                executable,
                bootstrap,
            });
        }
    }
    Ok(built)
}

/// Copies the executable to `bootstrap` with mode 0755, unless the copy there is already current.
fn install_bootstrap(executable: &Path, bootstrap: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let source = std::fs::metadata(executable).map_err(|e| Error::io("read", executable, e))?;
    if let Ok(existing) = std::fs::metadata(bootstrap)
        && existing.len() == source.len()
        && existing.modified().ok() == source.modified().ok()
        && existing.permissions().mode() & 0o777 == 0o755
    {
        return Ok(());
    }
    let dir = bootstrap.parent().expect("bootstrap lives in a folder");
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
    let partial = dir.join(".bootstrap.partial");
    std::fs::copy(executable, &partial).map_err(|e| Error::io("write", &partial, e))?;
    let file = std::fs::File::options()
        .write(true)
        .open(&partial)
        .map_err(|e| Error::io("open", &partial, e))?;
    file.set_permissions(std::fs::Permissions::from_mode(0o755))
        .map_err(|e| Error::io("set the mode of", &partial, e))?;
    if let Ok(modified) = source.modified() {
        file.set_modified(modified)
            .map_err(|e| Error::io("set the time of", &partial, e))?;
    }
    drop(file);
    std::fs::rename(&partial, bootstrap).map_err(|e| Error::io("write", bootstrap, e))
}

/// Collects what cargo says while it builds.
pub struct CargoOutput<'p> {
    progress: &'p Progress,
    /// (package id, bin name) → executable.
    executables: BTreeMap<(String, String), PathBuf>,
    success: Option<bool>,
}

impl<'p> CargoOutput<'p> {
    pub fn new(progress: &'p Progress) -> Self {
        Self {
            progress,
            executables: BTreeMap::new(),
            success: None,
        }
    }

    /// Reads cargo's stdout: JSON messages, one per line.
    pub fn read_stdout(&mut self, stdout: impl Read) {
        for message in Message::parse_stream(BufReader::new(stdout)) {
            match message {
                Ok(message) => self.message(message),
                // A broken pipe ends the stream; cargo's exit status tells what happened.
                Err(_) => break,
            }
        }
    }

    /// Handles one line of cargo's stdout.
    pub fn stdout_line(&mut self, line: &str) {
        let message = serde_json::from_str::<Message>(line)
            .unwrap_or_else(|_| Message::TextLine(line.to_string()));
        self.message(message);
    }

    fn message(&mut self, message: Message) {
        match message {
            Message::CompilerArtifact(artifact) => {
                self.progress
                    .set_message(format!("compiled {}", artifact.target.name));
                if let Some(executable) = artifact.executable
                    && artifact.target.kind.contains(&TargetKind::Bin)
                {
                    self.executables.insert(
                        (artifact.package_id.repr, artifact.target.name),
                        executable.into_std_path_buf(),
                    );
                }
            }
            Message::BuildFinished(finished) => self.success = Some(finished.success),
            Message::TextLine(line) => self.progress.println(&line),
            _ => {}
        }
    }

    /// Shows a line of cargo's stderr.
    pub fn stderr_line(&self, line: &str) {
        self.progress.println(line);
    }

    fn executable_of(&self, function: &Function) -> Option<PathBuf> {
        self.executables
            .get(&(function.package_id.clone(), function.bin.clone()))
            .cloned()
    }
}

/// Runs a cargo command on the host, streaming its stderr live and reading its JSON stdout.
fn run_host(mut command: Command, output: &mut CargoOutput, what: &str) -> Result<()> {
    command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(Stdio::null());
    let program = command.get_program().to_string_lossy().into_owned();
    let mut child = command.spawn().map_err(|e| {
        Error::tool(format!("could not start `{program}`: {e}"))
            .help(format!("make sure {what} is installed and on PATH"))
    })?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let stderr = child.stderr.take().expect("stderr is piped");
    let progress = output.progress;
    std::thread::scope(|scope| {
        scope.spawn(move || {
            for line in BufReader::new(stderr).lines() {
                match line {
                    Ok(line) => progress.println(&line),
                    Err(_) => break,
                }
            }
        });
        output.read_stdout(stdout);
    });
    let status = child
        .wait()
        .map_err(|e| Error::tool(format!("`{program}` did not finish: {e}")))?;
    finish_status(status_code(status), output, what)
}

fn status_code(status: std::process::ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => Some(code),
        (None, Some(signal)) => Some(128 + signal),
        (None, None) => None,
    }
}

/// Turns cargo's exit status into cargo fc's result.
pub fn finish_status(code: Option<i32>, output: &CargoOutput, what: &str) -> Result<()> {
    match code {
        Some(0) if output.success != Some(false) => Ok(()),
        // SIGINT: the user pressed Ctrl-C and cargo stopped with us.
        Some(130) => Err(Error::new(ErrorKind::Interrupted, "interrupted")),
        code => {
            let status = code.map_or("no exit status".to_string(), |c| format!("exit status {c}"));
            Err(Error::new(
                ErrorKind::Build,
                format!("{what} failed ({status}); cargo's messages above say why"),
            ))
        }
    }
}
