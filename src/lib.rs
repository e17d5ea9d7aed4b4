//! cargo fc: build, verify, pack and run Rust functions for Alibaba Cloud Function Compute.
//!
//! The crate is a library first; `main.rs` only parses arguments and reports errors. Data flows
//! one way: project → build → verify → pack.

pub mod build;
pub mod check;
pub mod cli;
pub mod deploy;
pub mod deployment;
pub mod doctor;
pub mod error;
pub mod local;
pub mod new;
pub mod pack;
pub mod platform;
pub mod project;
pub mod ui;
pub mod verify;

use std::path::PathBuf;

use serde_json::json;

use crate::build::{BuildOptions, BuilderKind, Built};
use crate::cli::{Command, FcCli, PackArgs};
use crate::error::{Error, Result};
use crate::pack::{AssetRoots, Origin};
use crate::project::{Function, Project, Selection};
use crate::ui::Ui;

/// Runs one `cargo fc` command.
pub fn run(cli: FcCli) -> Result<()> {
    let global = &cli.global;
    let ui = Ui::new(
        global.verbose,
        global.quiet,
        global.color,
        global.message_format,
    );
    let selection = Selection {
        manifest_path: global.manifest_path.clone(),
        packages: global.packages.clone(),
        bins: global.bins.clone(),
    };
    match &cli.command {
        Command::Build(args) => {
            let project = project::load(&selection)?;
            let options = BuildOptions::from_args(args)?;
            let built = build::build(&project, &options, &ui)?;
            for item in &built {
                let assets = assets_of(&project, &item.function, &[])?;
                let glibc = verify_built(item, &assets, &options, &ui)?;
                ui.status(
                    "Finished",
                    format!("{} → {}", item.function.bin, item.bootstrap.display()),
                );
                ui.json(&json!({
                    "reason": "function-built",
                    "bin": item.function.bin,
                    "function": item.function.name,
                    "runtime": item.runtime.id,
                    "builder": item.builder.map(BuilderKind::name),
                    "bootstrap": item.bootstrap,
                    "glibc": glibc,
                }));
            }
            Ok(())
        }
        Command::Pack(args) => pack_command(&selection, args, &ui),
        Command::Local(args) => local::command(&selection, args, &ui),
        Command::New(args) => new::create(
            &args.name,
            args.path
                .as_deref()
                .unwrap_or(std::path::Path::new(&args.name)),
            new::Shape {
                http: args.http,
                initializer: args.initializer,
            },
            &ui,
        ),
        Command::Check(args) => check::command(&selection, args, &ui),
        Command::Deploy(args) => deploy::command(&selection, args, &ui),
        Command::Completions(args) => cli::print_completions(args),
        Command::Image(args) => build::image::command(args, &selection, &ui),
        Command::Doctor => doctor::command(&selection, &ui),
    }
}

/// Verifies a built executable against its runtime, returning the highest glibc it needs.
fn verify_built(
    item: &Built,
    assets: &[pack::Entry],
    options: &BuildOptions,
    ui: &Ui,
) -> Result<Option<String>> {
    let facts = verify::inspect(&item.bootstrap)?;
    let glibc = facts.highest(verify::Family::Glibc).map(|v| v.to_string());
    if options.no_verify {
        ui.warn(format!(
            "--no-verify: `{}` was not checked against runtime `{}`; it may fail to start on FC",
            item.function.bin, item.runtime
        ));
        return Ok(glibc);
    }
    // LD_LIBRARY_PATH on FC includes /code and /code/lib, so libraries shipped there count.
    let vendored: Vec<String> = assets
        .iter()
        .filter_map(|entry| {
            let (dir, file) = entry.name.rsplit_once('/').unwrap_or(("", &entry.name));
            (dir.is_empty() || dir == "lib").then(|| file.to_string())
        })
        .collect();
    let problems = verify::problems(&facts, item.runtime, &vendored);
    if !problems.is_empty() {
        return Err(verify::rejection(
            &item.function.bin,
            &item.bootstrap,
            item.runtime,
            &facts,
            &problems,
        ));
    }
    ui.status(
        "Verified",
        format!(
            "{} for {} (needs glibc {}, runtime has {})",
            item.function.bin,
            item.runtime,
            glibc.as_deref().unwrap_or("nothing"),
            item.runtime.glibc
        ),
    );
    Ok(glibc)
}

/// The assets a function's package carries: its `include` setting plus `--include` flags.
fn assets_of(project: &Project, function: &Function, extra: &[String]) -> Result<Vec<pack::Entry>> {
    let manifest_line =
        project::locate_key(&function.manifest_path, "package.metadata.fc", "include");
    let mut specs: Vec<_> = function
        .config
        .include
        .iter()
        .map(|spec| {
            (
                spec.clone(),
                Origin::Manifest(function.manifest_path.clone(), manifest_line),
            )
        })
        .collect();
    specs.extend(
        extra
            .iter()
            .map(|text| (project::IncludeSpec::parse(text), Origin::CommandLine)),
    );
    if specs.is_empty() {
        return Ok(Vec::new());
    }
    let roots = AssetRoots {
        base: function.package_dir.clone(),
        project: project.workspace_root.clone(),
        target_dir: project.target_dir.clone(),
    };
    pack::resolve_assets(&roots, &specs)
}

fn pack_command(selection: &Selection, args: &PackArgs, ui: &Ui) -> Result<()> {
    let project = project::load(selection)?;
    pack_functions(&project, args, ui)?;
    check::findings_for_pack(&project, ui)
}

/// A function packed and ready to ship.
#[derive(Debug, Clone)]
pub struct Packed {
    pub built: Built,
    pub package: pack::Package,
}

/// Build (unless `--no-build`), verify and pack every selected function: the pipeline `pack`,
/// `local` and `deploy` share.
pub fn pack_functions(project: &Project, args: &PackArgs, ui: &Ui) -> Result<Vec<Packed>> {
    let options = BuildOptions::from_args(&args.build)?;
    if args.output.is_some() && project.functions.len() > 1 {
        return Err(Error::config(format!(
            "--output names one zip, but {} functions are selected",
            project.functions.len()
        ))
        .help("select one with --bin NAME, or leave out --output to get <target-dir>/fc/<bin>.zip each"));
    }
    // Assets are resolved first so that a bad include fails before a long build.
    let mut assets = Vec::new();
    for function in &project.functions {
        assets.push(assets_of(project, function, &args.includes)?);
    }
    let built = if args.no_build {
        project
            .functions
            .iter()
            .map(|function| {
                let bootstrap = project.bootstrap_path(function);
                if !bootstrap.is_file() {
                    return Err(Error::config(format!(
                        "--no-build, but there is no {} yet",
                        bootstrap.display()
                    ))
                    .help("run `cargo fc build` first, or drop --no-build"));
                }
                Ok(Built {
                    function: function.clone(),
                    runtime: options.runtime_for(function),
                    builder: None,
                    executable: bootstrap.clone(),
                    bootstrap,
                })
            })
            .collect::<Result<Vec<_>>>()?
    } else {
        build::build(project, &options, ui)?
    };
    let mut packed = Vec::new();
    for item in built {
        let index = project
            .functions
            .iter()
            .position(|f| f.bin == item.function.bin && f.package_id == item.function.package_id)
            .expect("built functions come from the project");
        let glibc = verify_built(&item, &assets[index], &options, ui)?;
        let output: PathBuf = match &args.output {
            Some(path) => std::path::absolute(path).map_err(|e| Error::io("resolve", path, e))?,
            None => project.zip_path(&item.function),
        };
        let package = pack::write_zip(&item.bootstrap, &assets[index], &output, ui)?;
        ui.status(
            "Packed",
            format!(
                "{} ({}, {} entries, sha256 {})",
                package.path.display(),
                pack::human_size(package.size),
                package.entries,
                package.sha256
            ),
        );
        if package.size > platform::INLINE_CODE_LIMIT {
            ui.warn(format!(
                "{} is {}, over the {} FC accepts through a direct API upload: deploy it through OSS (Serverless Devs and Fun do this for you)",
                package.path.display(),
                pack::human_size(package.size),
                pack::human_size(platform::INLINE_CODE_LIMIT)
            ));
        }
        ui.json(&json!({
            "reason": "function-packed",
            "bin": item.function.bin,
            "function": item.function.name,
            "runtime": item.runtime.id,
            "builder": item.builder.map(BuilderKind::name),
            "bootstrap": item.bootstrap,
            "zip": package.path,
            "size": package.size,
            "sha256": package.sha256,
            "entries": package.entries,
            "glibc": glibc,
        }));
        packed.push(Packed {
            built: item,
            package,
        });
    }
    Ok(packed)
}
