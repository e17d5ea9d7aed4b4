//! One small module per subcommand: each turns its command-line arguments into the options of
//! the stages it runs, runs them in order, and reports their results. Parsing is `cli`'s; the
//! work is the stages'.

mod build;
mod check;
mod completions;
mod deploy;
mod doctor;
mod image;
mod invoke;
mod local;
mod new;
mod pack;

use crate::build::BuildOptions;
use crate::cli::{BuildArgs, BuildFlags, Command, FcCli, GlobalArgs};
use crate::error::Result;
use crate::project::{IncludeSpec, Selection};
use crate::ui::Ui;

/// Runs one `cargo fc` command.
pub fn run(cli: FcCli) -> Result<()> {
    crate::interrupt::install();
    let global = &cli.global;
    let ui = Ui::new(
        global.verbose,
        global.quiet,
        global.color,
        global.message_format,
    );
    // A newer cargo fc brings a newer runtime crate: installing it beside the old one (a stamp
    // file's look-up when it is there already) is what lets `cargo update -p fc-runtime`
    // deliver its fixes to existing projects. A failure here only means no delivery now.
    if matches!(
        cli.command,
        Command::Build(_) | Command::Pack(_) | Command::Local(_) | Command::Deploy(_)
    ) && let Ok(data) = crate::runtime_source::data_dir()
    {
        let _ = crate::runtime_source::install(
            &crate::runtime_source::RuntimeSource::embedded(),
            &data,
        );
    }
    let outcome = match &cli.command {
        Command::Build(args) => build::run(global, args, &ui),
        Command::Pack(args) => pack::run(global, args, &ui),
        Command::Local(args) => local::run(global, args, &ui),
        Command::New(args) => new::run(args, &ui),
        Command::Check(args) => check::run(global, args, &ui),
        Command::Deploy(args) => deploy::run(global, args, &ui),
        Command::Invoke(args) => invoke::run(global, args, &ui),
        Command::Completions(args) => completions::run(args),
        Command::Image(args) => image::run(global, args, &ui),
        Command::Doctor => doctor::run(global, &ui),
    };
    // An interrupt that reached a stage as it was finishing still ends the command as one.
    outcome.and_then(|()| Ok(crate::interrupt::check()?))
}

/// The part of the workspace the global flags (and a command's `--target-dir`) select.
fn selection(global: &GlobalArgs, build: Option<&BuildFlags>) -> Selection {
    Selection {
        manifest_path: global.manifest_path.clone(),
        packages: global.packages.clone(),
        bins: global.bins.clone(),
        target_dir: build.and_then(|flags| flags.target_dir.clone()),
    }
}

/// The build stage's options from its flags.
fn build_options(flags: &BuildFlags, cargo_args: &[String]) -> BuildOptions {
    BuildOptions {
        runtime: flags.runtime,
        builder: flags.builder,
        image: flags.image.clone(),
        profile: flags.profile.clone(),
        debug: flags.debug,
        target_dir: flags.target_dir.clone(),
        features: flags.features.clone(),
        all_features: flags.all_features,
        no_default_features: flags.no_default_features,
        locked: flags.locked,
        offline: flags.offline,
        frozen: flags.frozen,
        jobs: flags.jobs.clone(),
        no_verify: flags.no_verify,
        cargo_args: cargo_args.to_vec(),
    }
}

fn build_args_options(args: &BuildArgs) -> BuildOptions {
    build_options(&args.flags, &args.cargo_args)
}

fn includes(texts: &[String]) -> Vec<IncludeSpec> {
    texts.iter().map(|text| IncludeSpec::parse(text)).collect()
}
