//! Compiling functions for their runtime, behind one seam.
//!
//! Every builder runs the same cargo invocation (made by [`cargo_args`]) somewhere — on the host,
//! through cargo-zigbuild, or in a container — and feeds cargo's output back through
//! [`CargoOutput`], which forwards the human part live and reads the JSON part to learn which
//! executables were produced. Everything after the build (copying to `bootstrap`, verify, pack) is
//! the same whichever builder ran.

pub(crate) mod cargo;
pub mod choice;
pub mod docker;
pub mod image;
pub(crate) mod zig;

use std::collections::BTreeMap;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use cargo_metadata::{Message, TargetKind};

use crate::error::{Exit, Failure, Interrupted, Result, failure_any};
use crate::platform::Runtime;
pub use crate::project::BuilderKind;
use crate::project::{Function, Project};
use crate::ui::{Progress, Ui};

/// Why a build could not run or did not finish.
#[derive(Debug)]
pub enum BuildError {
    /// A program the builder runs could not be started or waited for.
    ToolFailed {
        program: String,
        why: String,
        help: &'static str,
    },
    /// cargo-zigbuild or zig is not installed.
    ZigMissing { tool: &'static str },
    /// Neither Docker nor zig can build here, and nothing named a builder.
    NoBuilder { docker: String, zig: String },
    /// Cargo itself reported a failed build (its messages are already on screen).
    CargoFailed {
        what: &'static str,
        status: Option<i32>,
    },
    /// Cargo finished without naming the executable of a bin.
    NoExecutable { bin: String },
    /// The Docker builder cannot find cargo's caches.
    NoCargoHome,
    /// The image the build was to run in went away before the container was made.
    ImageVanished { image: String },
    /// The host's Rust toolchain cannot go into a builder image.
    Toolchain { problem: String, help: &'static str },
    /// `cargo fc image rm NAME` of an image that is not one of cargo fc's builder images.
    NotABuilderImage { name: String },
    /// The builder image could not be built.
    BuilderImage {
        runtime: &'static str,
        problem: String,
        help: String,
    },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::ToolFailed { program, why, .. } => {
                write!(f, "could not run `{program}`: {why}")
            }
            BuildError::ZigMissing { tool: "zig" } => f.write_str(
                "the zig builder needs zig, which is neither on PATH nor installed as the `ziglang` Python package",
            ),
            BuildError::ZigMissing { tool } => {
                write!(f, "the zig builder needs {tool}, which is not on PATH")
            }
            BuildError::NoBuilder { .. } => {
                f.write_str("no builder is available: neither Docker nor zig can build here")
            }
            BuildError::CargoFailed { what, status } => {
                let status =
                    status.map_or("no exit status".to_string(), |c| format!("exit status {c}"));
                write!(f, "{what} failed ({status}); cargo's messages above say why")
            }
            BuildError::NoExecutable { bin } => write!(
                f,
                "cargo finished but reported no executable for bin `{bin}`"
            ),
            BuildError::NoCargoHome => f.write_str(
                "neither CARGO_HOME nor HOME is set, so cargo's caches cannot be found",
            ),
            BuildError::ImageVanished { image } => {
                write!(f, "image `{image}` disappeared before the build started")
            }
            BuildError::Toolchain { problem, .. } => f.write_str(problem),
            BuildError::NotABuilderImage { name } => {
                write!(f, "`{name}` is not a cargo fc builder image")
            }
            BuildError::BuilderImage {
                runtime, problem, ..
            } => write!(f, "the builder image for `{runtime}` {problem}"),
        }
    }
}

impl Failure for BuildError {
    fn exit(&self) -> Exit {
        match self {
            BuildError::CargoFailed { .. } | BuildError::NoExecutable { .. } => Exit::Build,
            BuildError::NoCargoHome | BuildError::NotABuilderImage { .. } => Exit::Usage,
            _ => Exit::Tool,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            BuildError::ToolFailed { .. } => "build.tool-failed",
            BuildError::ZigMissing { .. } => "build.zig-missing",
            BuildError::NoBuilder { .. } => "build.no-builder",
            BuildError::CargoFailed { .. } => "build.cargo-failed",
            BuildError::NoExecutable { .. } => "build.no-executable",
            BuildError::NoCargoHome => "build.no-cargo-home",
            BuildError::ImageVanished { .. } => "build.image-vanished",
            BuildError::Toolchain { .. } => "build.toolchain",
            BuildError::NotABuilderImage { .. } => "build.not-a-builder-image",
            BuildError::BuilderImage { .. } => "build.builder-image",
        }
    }

    fn notes(&self) -> Vec<String> {
        match self {
            BuildError::NoBuilder { docker, zig } => {
                vec![format!("docker: {docker}"), format!("zig: {zig}")]
            }
            _ => Vec::new(),
        }
    }

    fn help(&self) -> Option<String> {
        Some(match self {
            BuildError::ToolFailed { help, .. } | BuildError::Toolchain { help, .. } => {
                help.to_string()
            }
            BuildError::ZigMissing { .. } => zig::INSTALL_HELP.to_string(),
            BuildError::NoBuilder { .. } => "start a Docker engine, or install zig (`pip install ziglang cargo-zigbuild`); or --builder cargo for a plain host build that the verify step checks".to_string(),
            BuildError::CargoFailed { .. } => return None,
            BuildError::NoExecutable { .. } => {
                "check the `--` arguments passed to cargo: they must not change what is built"
                    .to_string()
            }
            BuildError::NoCargoHome => {
                "set CARGO_HOME to cargo's home directory (usually ~/.cargo)".to_string()
            }
            BuildError::ImageVanished { .. } => {
                "run the build again; cargo fc makes or pulls the image first".to_string()
            }
            BuildError::BuilderImage { help, .. } => help.clone(),
            BuildError::NotABuilderImage { .. } => {
                "`cargo fc image list` shows them; other images are removed with `docker rmi`"
                    .to_string()
            }
        })
    }

    fn details(&self) -> serde_json::Value {
        match self {
            BuildError::CargoFailed { what, status } => {
                serde_json::json!({ "what": what, "status": status })
            }
            BuildError::NoExecutable { bin } => serde_json::json!({ "bin": bin }),
            BuildError::ToolFailed { program, why, .. } => {
                serde_json::json!({ "program": program, "why": why })
            }
            BuildError::NoBuilder { docker, zig } => {
                serde_json::json!({ "docker": docker, "zig": zig })
            }
            _ => serde_json::Value::Null,
        }
    }

    failure_any!();
}

/// One way of running cargo for a runtime.
pub trait Builder {
    fn kind(&self) -> BuilderKind;
    /// Runs cargo with `args` (everything after `cargo`'s subcommand), reporting its output to
    /// `output`; with `-v`, the exact command line is shown first.
    fn run(&self, args: &[String], output: &mut CargoOutput, ui: &Ui) -> Result<()>;
    /// The Docker image the build runs in, for builders that use one.
    fn image(&self) -> Option<&str> {
        None
    }
}

/// What a build was asked for, beyond the selection of functions.
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
    /// Cargo's `--target-dir`, when given: host builds pass it on (the project's target dir is
    /// already this folder).
    pub target_dir: Option<PathBuf>,
    pub cargo_args: Vec<String>,
}

impl BuildOptions {
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
    /// The Docker image it was built in (docker builder): the environment whose libraries it
    /// was linked against.
    pub image: Option<String>,
}

/// The cargo arguments for building `functions`, shared by every builder.
pub fn cargo_args(
    project: &Project,
    functions: &[&Function],
    options: &BuildOptions,
    kind: BuilderKind,
    ui: &Ui,
) -> Vec<String> {
    let mut args = vec![
        "--message-format=json-render-diagnostics".to_string(),
        "--manifest-path".to_string(),
        project.workspace_manifest().display().to_string(),
        "--profile".to_string(),
        options.profile_name().to_string(),
    ];
    // A container build has a target directory of its own under it.
    if options.target_dir.is_some() && kind != BuilderKind::Docker {
        args.extend([
            "--target-dir".to_string(),
            project.target_dir.display().to_string(),
        ]);
    }
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

/// Builds the functions, grouped so that each (builder, runtime) pair runs cargo once, and puts
/// each executable in place as `bootstrap`.
pub fn build(project: &Project, options: &BuildOptions, ui: &Ui) -> Result<Vec<Built>> {
    type Group = (Option<BuilderKind>, &'static str, Option<String>);
    let mut groups: BTreeMap<Group, Vec<&Function>> = BTreeMap::new();
    for function in &project.functions {
        let runtime = options.runtime_for(function);
        // The flag over the configuration; neither leaves the choice to `choice::builder`.
        let kind = options.builder.or(function.config.builder);
        let image = options
            .image
            .clone()
            .or_else(|| function.config.image.clone());
        groups
            .entry((kind, runtime.id, image))
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
        let builder = choice::builder(kind, runtime, project, image.as_deref(), ui)?;
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
        let args = cargo_args(project, &functions, options, kind, ui);
        let progress = ui.spinner(format!("building {}", names.join(", ")));
        let mut output = CargoOutput::new(&progress);
        builder.run(&args, &mut output, ui)?;
        for function in functions {
            let executable =
                output
                    .executable_of(function)
                    .ok_or_else(|| BuildError::NoExecutable {
                        bin: function.bin.clone(),
                    })?;
            let bootstrap = project.bootstrap_path(function);
            install_bootstrap(&executable, &bootstrap)?;
            built.push(Built {
                function: function.clone(),
                runtime,
                builder: Some(kind),
                executable,
                bootstrap,
                image: builder.image().map(str::to_string),
            });
        }
    }
    Ok(built)
}

/// Copies the executable to `bootstrap` with mode 0755, unless the copy there is already current.
fn install_bootstrap(executable: &Path, bootstrap: &Path) -> Result<()> {
    use crate::error::io;
    use std::os::unix::fs::PermissionsExt;
    let source = std::fs::metadata(executable).map_err(io("read", executable))?;
    if let Ok(existing) = std::fs::metadata(bootstrap)
        && existing.len() == source.len()
        && existing.modified().ok() == source.modified().ok()
        && existing.permissions().mode() & 0o777 == 0o755
    {
        return Ok(());
    }
    let dir = bootstrap.parent().expect("bootstrap lives in a folder");
    std::fs::create_dir_all(dir).map_err(io("create", dir))?;
    let partial = dir.join(".bootstrap.partial");
    std::fs::copy(executable, &partial).map_err(io("write", &partial))?;
    let file = std::fs::File::options()
        .write(true)
        .open(&partial)
        .map_err(io("open", &partial))?;
    file.set_permissions(std::fs::Permissions::from_mode(0o755))
        .map_err(io("set the mode of", &partial))?;
    if let Ok(modified) = source.modified() {
        file.set_modified(modified)
            .map_err(io("set the time of", &partial))?;
    }
    drop(file);
    std::fs::rename(&partial, bootstrap).map_err(io("write", bootstrap))
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

/// A command as a shell would take it, for `-v`.
pub fn command_line(command: &Command) -> String {
    let mut words = Vec::new();
    for (name, value) in command.get_envs() {
        if let Some(value) = value {
            words.push(format!(
                "{}={}",
                name.to_string_lossy(),
                crate::ui::shell_quote(&value.to_string_lossy())
            ));
        }
    }
    words.push(crate::ui::shell_quote(
        &command.get_program().to_string_lossy(),
    ));
    words.extend(
        command
            .get_args()
            .map(|arg| crate::ui::shell_quote(&arg.to_string_lossy())),
    );
    words.join(" ")
}

/// Runs a cargo command on the host, streaming its stderr live and reading its JSON stdout.
fn run_host(
    mut command: Command,
    output: &mut CargoOutput,
    what: &'static str,
    help: &'static str,
    ui: &Ui,
) -> Result<()> {
    ui.detail("Running", command_line(&command));
    command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(Stdio::null());
    let program = command.get_program().to_string_lossy().into_owned();
    let failed = |why: std::io::Error| BuildError::ToolFailed {
        program: program.clone(),
        why: crate::error::describe_io(&why),
        help,
    };
    let mut child = command.spawn().map_err(failed)?;
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
    let status = child.wait().map_err(failed)?;
    finish_status(status_code(status), output, what)
}

/// An exit status as a number, a signal counting as 128 + its number as shells do.
pub fn status_code(status: std::process::ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => Some(code),
        (None, Some(signal)) => Some(128 + signal),
        (None, None) => None,
    }
}

/// Turns cargo's exit status into cargo fc's result.
pub fn finish_status(code: Option<i32>, output: &CargoOutput, what: &'static str) -> Result<()> {
    match code {
        Some(0) if output.success != Some(false) => Ok(()),
        // The user pressed Ctrl-C (cargo got the terminal's SIGINT too) or cargo was stopped.
        Some(code) if code == 128 + libc::SIGINT || code == 128 + libc::SIGTERM => {
            Err(Interrupted { cleaned_up: None }.into())
        }
        status => Err(BuildError::CargoFailed { what, status }.into()),
    }
}
