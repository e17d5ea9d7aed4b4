//! The command line: `cargo fc …`, which cargo runs as `cargo-fc fc …`.
//!
//! The doc comments here are the `--help` text. This is the only module that knows clap; the
//! commands (`src/commands/`) turn these values into each stage's own options.

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};

use crate::build::BuilderKind;
use crate::deploy::DeployTool;
use crate::platform::{RUNTIMES, Runtime};
use crate::ui::{ColorChoice, MessageFormat};

/// `--runtime ID`: one of the runtimes cargo fc builds for.
fn runtime_parser() -> impl TypedValueParser<Value = &'static Runtime> {
    PossibleValuesParser::new(RUNTIMES.iter().map(|r| r.id))
        .map(|id| Runtime::find(&id).expect("the parser offers only known ids"))
}

/// `--builder NAME`.
fn builder_parser() -> impl TypedValueParser<Value = BuilderKind> {
    PossibleValuesParser::new(BuilderKind::names())
        .map(|name| BuilderKind::from_name(&name).expect("the parser offers only known names"))
}

/// `--tool NAME`.
fn tool_parser() -> impl TypedValueParser<Value = DeployTool> {
    PossibleValuesParser::new(DeployTool::ALL.map(DeployTool::program))
        .map(|name| DeployTool::from_program(&name).expect("the parser offers only known tools"))
}

/// cargo runs `cargo-fc fc ARGS` for `cargo fc ARGS`, so the real command sits under `fc`.
#[derive(Debug, Parser)]
#[command(name = "cargo", bin_name = "cargo", styles = clap::builder::Styles::styled())]
pub enum CargoCli {
    Fc(FcCli),
}

/// Build, verify, pack and run Rust functions for Alibaba Cloud Function Compute custom runtimes.
#[derive(Debug, Args)]
#[command(version, propagate_version = true)]
pub struct FcCli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Use verbose output (-vv also makes cargo verbose).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Print only errors and results.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// When to colour output.
    #[arg(long, value_enum, default_value_t, value_name = "WHEN", global = true)]
    pub color: ColorChoice,
    /// Path to the Cargo.toml of the package or workspace.
    #[arg(long, value_name = "PATH", global = true)]
    pub manifest_path: Option<PathBuf>,
    /// Package to work on (repeatable; default: the current package, or the workspace's default members).
    #[arg(short = 'p', long = "package", value_name = "SPEC", global = true)]
    pub packages: Vec<String>,
    /// Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`).
    #[arg(long = "bin", value_name = "NAME", global = true)]
    pub bins: Vec<String>,
    /// Output format of results.
    #[arg(long, value_enum, default_value_t, value_name = "FMT", global = true)]
    pub message_format: MessageFormat,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compile the functions for their FC runtime and verify the executables.
    Build(BuildArgs),
    /// Build, verify and zip each function with its assets into a reproducible package.
    Pack(PackArgs),
    /// Create a new function crate, with template.yml and s.yaml pointing at its package.
    New(NewArgs),
    /// Run a packed function on this machine the way FC runs it.
    Local(LocalArgs),
    /// Check the deployment template (template.yml or s.yaml) against FC's rules and the project.
    Check(CheckArgs),
    /// Build, pack and check, then deploy with Serverless Devs (`s`) or Fun.
    Deploy(DeployArgs),
    /// Invoke a deployed function through FC's API (or one `cargo fc local start` serves) and print its result.
    Invoke(InvokeArgs),
    /// Print a shell completion script for cargo-fc.
    Completions(CompletionsArgs),
    /// Manage the Docker images the docker builder compiles in.
    Image(ImageArgs),
    /// Show what cargo fc would use on this machine (Docker, builder images, zig, Rust, s/fun) and how to fix what is missing.
    Doctor,
}

#[derive(Debug, Args)]
pub struct ImageArgs {
    #[command(subcommand)]
    pub command: ImageCommand,
}

#[derive(Debug, Subcommand)]
pub enum ImageCommand {
    /// Build the builder image of a runtime (its Debian release, a C toolchain and the host's Rust) through the Docker engine.
    Build {
        /// Runtime whose image to build (default: the project's runtimes, or `custom` outside a project).
        #[arg(long, value_name = "ID", value_parser = runtime_parser())]
        runtime: Option<&'static Runtime>,
    },
    /// List the builder images present in the Docker engine.
    List,
    /// Remove builder images: the ones named, or all of a runtime, or all of them.
    Rm {
        /// Remove only the images of this runtime.
        #[arg(long, value_name = "ID", conflicts_with = "images", value_parser = runtime_parser())]
        runtime: Option<&'static Runtime>,
        /// Images to remove, as `cargo fc image list` shows them.
        #[arg(value_name = "IMAGE")]
        images: Vec<String>,
    },
}

/// What `build` takes, and every command that builds first.
#[derive(Debug, Args, Clone, Default)]
pub struct BuildArgs {
    #[command(flatten)]
    pub flags: BuildFlags,
    /// Arguments passed on to cargo after the ones cargo fc sets.
    #[arg(last = true, value_name = "CARGO_ARGS")]
    pub cargo_args: Vec<String>,
}

/// How to build, as cargo's own flags and cargo fc's builder choice.
#[derive(Debug, Args, Clone, Default)]
pub struct BuildFlags {
    /// FC runtime to build for: custom (Debian 9, glibc 2.24), custom.debian10, custom.debian11, custom.debian12.
    #[arg(long, value_name = "ID", value_parser = runtime_parser())]
    pub runtime: Option<&'static Runtime>,
    /// How to compile: docker (in a container of the runtime's Debian), zig (cargo-zigbuild, glibc pinned to the runtime's) or cargo (plain host build). Default: docker when an engine answers, else zig.
    #[arg(long, value_name = "BUILDER", value_parser = builder_parser())]
    pub builder: Option<BuilderKind>,
    /// Docker image to build in instead of the runtime's builder image (pulled if absent); its glibc is what the verify step judges.
    #[arg(long, value_name = "NAME")]
    pub image: Option<String>,
    /// Build with the given profile (default: release).
    #[arg(long, value_name = "NAME", conflicts_with_all = ["debug", "release"])]
    pub profile: Option<String>,
    /// Build with the release profile, the default (cargo's spelling, accepted as is).
    #[arg(short = 'r', long, conflicts_with = "debug")]
    pub release: bool,
    /// Build with the dev profile.
    #[arg(long)]
    pub debug: bool,
    /// Directory for all generated artifacts, as cargo's --target-dir (cargo fc's own output goes to <DIR>/fc).
    #[arg(long, value_name = "DIR")]
    pub target_dir: Option<PathBuf>,
    /// Space or comma separated list of features to activate.
    #[arg(short = 'F', long, value_name = "FEATURES")]
    pub features: Vec<String>,
    /// Activate all available features.
    #[arg(long)]
    pub all_features: bool,
    /// Do not activate the `default` feature.
    #[arg(long)]
    pub no_default_features: bool,
    /// Assert that Cargo.lock will remain unchanged.
    #[arg(long)]
    pub locked: bool,
    /// Run without accessing the network.
    #[arg(long)]
    pub offline: bool,
    /// Equivalent to --locked and --offline.
    #[arg(long)]
    pub frozen: bool,
    /// Number of parallel jobs cargo runs.
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<String>,
    /// Skip checking the executables against the runtime (the package may then fail to start on FC).
    #[arg(long)]
    pub no_verify: bool,
}

#[derive(Debug, Args, Clone, Default)]
pub struct PackArgs {
    #[command(flatten)]
    pub build: BuildArgs,
    /// Pack the bootstrap the last build left instead of building first.
    #[arg(long)]
    pub no_build: bool,
    /// Where to write the zip (only with one function; default: <target-dir>/fc/<bin>.zip).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Add assets: a file, folder or glob relative to the package, optionally `SRC:DEST` to place them under DEST in the zip (repeatable).
    #[arg(long = "include", value_name = "SRC[:DEST]")]
    pub includes: Vec<String>,
    #[command(flatten)]
    pub container: ContainerArgs,
}

/// `pack --container`: an image instead of a zip.
#[derive(Debug, Args, Clone, Default)]
pub struct ContainerArgs {
    /// Make a container image (custom-container function) instead of a zip, loaded into the Docker engine.
    #[arg(long, conflicts_with = "output")]
    pub container: bool,
    /// The image's tag (default: the template's customContainerConfig.image, else <function>:<crate version>).
    #[arg(long, value_name = "TAG", requires = "container")]
    pub tag: Option<String>,
    /// What the image is made on: `minimal` (default: the bootstrap, the libraries it links, CA certificates), `debian` (the runtime's Debian, when the engine has it) or any image in the engine.
    #[arg(long, value_name = "BASE", requires = "container")]
    pub base: Option<String>,
    /// Push the image to the registry its tag names, and print the digest.
    #[arg(long, requires = "container")]
    pub push: bool,
    /// User name for the registry; the password is read from standard input (default: the Docker configuration's credentials).
    #[arg(long, value_name = "NAME", requires = "push")]
    pub registry_user: Option<String>,
    /// Write the pushed digest into the template's customContainerConfig.image.
    #[arg(long, requires = "push")]
    pub write_template: bool,
}

#[derive(Debug, Args, Clone)]
pub struct NewArgs {
    /// Name of the package, its binary and the FC function.
    pub name: String,
    /// Make an HTTP-trigger function instead of an event function.
    #[arg(long)]
    pub http: bool,
    /// Add an initializer that FC runs once per instance before the first request.
    #[arg(long)]
    pub initializer: bool,
    /// Make a custom-container function: the templates run its image (`cargo fc pack --container`) instead of a zip.
    #[arg(long)]
    pub container: bool,
    /// Folder to create (default: ./NAME); it must not exist.
    #[arg(long, value_name = "DIR")]
    pub path: Option<PathBuf>,
    /// Make an event function for this trigger: a handler typed for its event, a test that feeds it a sample, and the trigger in template.yml and s.yaml.
    #[arg(long, value_enum, value_name = "TRIGGER", conflicts_with_all = ["http", "initializer"])]
    pub event: Option<crate::events::EventKind>,
}

#[derive(Debug, Args, Clone)]
pub struct LocalArgs {
    #[command(subcommand)]
    pub command: LocalCommand,
}

#[derive(Debug, Subcommand, Clone)]
pub enum LocalCommand {
    /// Build and pack if needed, start the bootstrap, invoke it once with an event and print the result.
    Invoke(LocalInvokeArgs),
    /// Serve an HTTP trigger on localhost that forwards every request to the bootstrap.
    Start(LocalStartArgs),
}

/// What both `local` commands take.
#[derive(Debug, Args, Clone)]
pub struct LocalCommon {
    #[command(flatten)]
    pub build: BuildArgs,
    /// Run the package the last `cargo fc pack` left instead of building and packing first.
    #[arg(long)]
    pub no_build: bool,
    /// The function to run, by FC function name or bin name (when several are selected).
    #[arg(long, value_name = "NAME")]
    pub function: Option<String>,
    /// Timeout in seconds (default: the template's Timeout, else 3).
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Memory size in MB, enforced on the process's resident memory (default: the template's, else 128).
    #[arg(long, value_name = "MB")]
    pub memory: Option<u64>,
    /// Set an environment variable for the function, over the template's (repeatable).
    #[arg(long, value_name = "KEY=VALUE")]
    pub env: Vec<String>,
    /// Run the function as a custom container: its image (`pack --container`) in the Docker engine.
    #[arg(long)]
    pub container: bool,
    /// With --container, run this image (pulled if absent) instead of making the function's.
    #[arg(long, value_name = "IMAGE", requires = "container")]
    pub container_image: Option<String>,
}

#[derive(Debug, Args, Clone)]
pub struct LocalInvokeArgs {
    #[command(flatten)]
    pub common: LocalCommon,
    /// Read the event from this file.
    #[arg(long, value_name = "FILE", conflicts_with = "data")]
    pub event: Option<PathBuf>,
    /// The event itself (default: standard input when it is not a terminal, else empty).
    #[arg(long, value_name = "STRING")]
    pub data: Option<String>,
    /// Send a sample event cargo fc carries: oss, timer, sls, mns, cdn, tablestore, http, apigw, eventbridge, …; `list` lists them all.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["event", "data"])]
    pub example: Option<String>,
    /// Also print the base64 `x-fc-log-result` FC returns to a client asking for the log tail.
    #[arg(long)]
    pub tail: bool,
    /// With --container, run it once without a web server: the event in FC_CUSTOM_CONTAINER_EVENT, its exit status the result.
    #[arg(long, requires = "container", conflicts_with = "tail")]
    pub non_web: bool,
}

#[derive(Debug, Args, Clone)]
pub struct LocalStartArgs {
    #[command(flatten)]
    pub common: LocalCommon,
    /// Port on 127.0.0.1 for the HTTP triggers and FC 3.0's InvokeFunction API (0: any free port).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Instances of each function at most, each taking the template's instanceConcurrency requests at once.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    pub concurrency: u16,
    /// Route requests whose path matches PATH to FUNCTION, as a custom domain's route (`/api/*`: every path under /api/); over the template's custom-domain routes (repeatable).
    #[arg(long = "route", value_name = "PATH=FUNCTION")]
    pub routes: Vec<String>,
    /// Rebuild on every save to the package or its path dependencies and serve the new code once it builds (a failed build keeps the previous version); template edits apply without a build. `.gitignore` and `.fcignore` say what does not count.
    #[arg(long, conflicts_with = "container")]
    pub watch: bool,
}

#[derive(Debug, Args, Clone, Default)]
pub struct CheckArgs {
    /// The template to check (default: template.yml, template.yaml, s.yaml or s.yml next to the package, or its `template` setting).
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// Fail on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Args, Clone)]
pub struct DeployArgs {
    #[command(flatten)]
    pub build: BuildFlags,
    /// Deploy the bootstrap the last build left instead of building first.
    #[arg(long)]
    pub no_build: bool,
    /// Add assets to the package, as `cargo fc pack --include` (repeatable).
    #[arg(long = "include", value_name = "SRC[:DEST]")]
    pub includes: Vec<String>,
    /// Hand the package to a deploy tool instead of deploying through FC's API: `s` (Serverless Devs) or `fun`.
    #[arg(long, value_name = "TOOL", value_parser = tool_parser())]
    pub tool: Option<DeployTool>,
    /// With --tool: print the command and the package it would deploy, and run nothing.
    #[arg(long, requires = "tool")]
    pub dry_run: bool,
    /// Show what the deployment would change, field by field, and change nothing (read-only API calls).
    #[arg(long, conflicts_with = "tool")]
    pub plan: bool,
    /// The region (default: the template's `region`, else ALIBABA_CLOUD_REGION_ID).
    #[arg(long, value_name = "ID", conflicts_with = "tool")]
    pub region: Option<String>,
    /// The API endpoint instead of the region's, e.g. a VPC endpoint or a gateway.
    #[arg(long, value_name = "URL", conflicts_with = "tool")]
    pub endpoint: Option<String>,
    /// The template to deploy (default: the one next to the package).
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// Arguments passed on to the deploy tool after the ones cargo fc sets.
    #[arg(last = true, value_name = "TOOL_ARGS")]
    pub tool_args: Vec<String>,
}

#[derive(Debug, Args, Clone)]
pub struct InvokeArgs {
    /// The FC function to invoke.
    pub function: String,
    /// Read the event from this file.
    #[arg(long, value_name = "FILE", conflicts_with = "data")]
    pub event: Option<PathBuf>,
    /// The event itself (default: standard input when it is not a terminal, else empty).
    #[arg(long, value_name = "STRING")]
    pub data: Option<String>,
    /// The region (default: the template's `region`, else ALIBABA_CLOUD_REGION_ID).
    #[arg(long, value_name = "ID")]
    pub region: Option<String>,
    /// The API endpoint instead of the region's, e.g. a VPC endpoint or http://127.0.0.1:PORT.
    #[arg(long, value_name = "URL", conflicts_with = "local")]
    pub endpoint: Option<String>,
    /// Invoke the function `cargo fc local start` serves on 127.0.0.1:PORT (default 8000).
    #[arg(long, value_name = "PORT", num_args = 0..=1, default_missing_value = "8000")]
    pub local: Option<u16>,
    /// Invoke asynchronously (`x-fc-invocation-type: Async`): FC queues the event and answers at once with its request id.
    #[arg(long = "async")]
    pub asynchronous: bool,
    /// The version or alias to invoke (default: LATEST).
    #[arg(long, value_name = "VERSION|ALIAS")]
    pub qualifier: Option<String>,
}

#[derive(Debug, Args, Clone)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// The name the completion scripts complete: the binary itself. (Completions generated for
/// `cargo` would replace the ones rustup installs for cargo.)
pub const COMPLETION_BIN: &str = "cargo-fc";

/// The completion script of `shell` for `cargo-fc`.
pub fn completion_script(shell: clap_complete::Shell) -> String {
    use clap::CommandFactory;
    let mut command = CargoCli::command()
        .name(COMPLETION_BIN)
        .bin_name(COMPLETION_BIN)
        .display_name(COMPLETION_BIN);
    // Generated into memory: clap_complete panics when its writer fails (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, COMPLETION_BIN, &mut script);
    let script = String::from_utf8(script).expect("clap_complete writes UTF-8");
    match shell {
        // clap_complete's bash script names its dispatch states after the program name with
        // `-` as `__` (`cargo__fc`), but its case arms after the bin name with every `-` as
        // `__subcmd__` (`cargo__subcmd__fc`): with a hyphenated name no arm ever matches and
        // bash falls back to file names after the first word. One spelling makes them meet.
        clap_complete::Shell::Bash => script.replace("cargo__subcmd__fc", "cargo__fc"),
        _ => script,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_tree_is_consistent() {
        CargoCli::command().debug_assert();
    }

    #[test]
    fn arguments_after_double_dash_reach_cargo() {
        let cli = CargoCli::parse_from(["cargo", "fc", "build", "--", "--timings"]);
        let CargoCli::Fc(fc) = cli;
        let Command::Build(build) = fc.command else {
            panic!("expected build")
        };
        assert_eq!(build.cargo_args, ["--timings"]);
    }
}
