//! The pipeline every command that ships a function runs: project → build → verify → pack.
//!
//! `build`, `pack`, `local`, `deploy` (and watch) call [`build`] or [`pack`] with their own
//! [`Options`]; the stages themselves live in their modules, and this one only runs them in
//! order and hands each one's result to the next.

use std::path::PathBuf;

use crate::build::{self, BuildOptions, Built};
use crate::error::{Result, io};
use crate::interrupt;
use crate::pack::{self, AssetRoots, Origin};
use crate::platform;
use crate::project::{Function, IncludeSpec, Project, ProjectError};
use crate::ui::Ui;
use crate::verify;

/// What the pipeline is asked to do, beyond which functions (the [`Project`] says that).
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub build: BuildOptions,
    /// Take the bootstrap the last build left instead of building.
    pub reuse_build: bool,
    /// Where to write the zip, for a single function.
    pub output: Option<PathBuf>,
    /// Assets beyond each function's `include` setting (`--include`).
    pub includes: Vec<IncludeSpec>,
}

/// A function built and verified.
#[derive(Debug, Clone)]
pub struct Verified {
    pub built: Built,
    /// The highest glibc version the executable needs; `None` when statically linked.
    pub glibc: Option<String>,
}

/// A function packed and ready to ship.
#[derive(Debug, Clone)]
pub struct Packed {
    pub built: Built,
    pub glibc: Option<String>,
    pub package: pack::Package,
}

/// Builds and verifies every function of `project`.
pub fn build(project: &Project, options: &BuildOptions, ui: &Ui) -> Result<Vec<Verified>> {
    let built = build::build(project, options, ui)?;
    let mut assets = Vec::new();
    for item in &built {
        assets.push(assets_of(project, &item.function, &[])?);
    }
    let shipped: Vec<&[pack::Entry]> = assets.iter().map(Vec::as_slice).collect();
    let glibc = verify_all(&built, &shipped, options, ui)?;
    Ok(built
        .into_iter()
        .zip(glibc)
        .map(|(built, glibc)| Verified { built, glibc })
        .collect())
}

/// Builds (unless reusing the last build), verifies and packs every function of `project`.
pub fn pack(project: &Project, options: &Options, ui: &Ui) -> Result<Vec<Packed>> {
    pack_for(pack::Purpose::Ship, project, options, ui)
}

/// [`pack`] for `purpose`: a package to run on this machine only goes to
/// `<target-dir>/fc/local/<bin>.zip`, beside its code folder, and leaves the one to ship as it is.
pub fn pack_for(
    purpose: pack::Purpose,
    project: &Project,
    options: &Options,
    ui: &Ui,
) -> Result<Vec<Packed>> {
    if options.output.is_some() && project.functions.len() > 1 {
        return Err(ProjectError::OutputForSeveral {
            functions: project.functions.len(),
        }
        .into());
    }
    let (built, assets): (Vec<Built>, Vec<Vec<pack::Entry>>) =
        build_with_assets(project, options, ui)?.into_iter().unzip();
    let shipped: Vec<&[pack::Entry]> = assets.iter().map(Vec::as_slice).collect();
    let verdicts = verify_all(&built, &shipped, &options.build, ui)?;
    let mut packed = Vec::new();
    for ((item, glibc), assets) in built.into_iter().zip(verdicts).zip(&assets) {
        interrupt::check()?;
        let output: PathBuf = match (&options.output, purpose) {
            (Some(path), _) => std::path::absolute(path).map_err(io("resolve", path))?,
            (None, pack::Purpose::Ship) => project.zip_path(&item.function),
            (None, pack::Purpose::Local) => project
                .fc_dir()
                .join("local")
                .join(format!("{}.zip", item.function.bin)),
        };
        let package = pack::write_zip_for(purpose, &item.bootstrap, assets, &output, ui)?;
        ui.status(
            "Packed",
            format!(
                "{} ({}, {} entries, sha256 {})",
                package.path.display(),
                crate::ui::human_size(package.size),
                package.entries,
                package.sha256
            ),
        );
        if purpose == pack::Purpose::Ship && package.size > platform::INLINE_CODE_LIMIT {
            ui.warn(format!(
                "{} is {}, over the {} FC accepts through a direct API upload: deploy it through OSS (Serverless Devs and Fun do this for you)",
                package.path.display(),
                crate::ui::human_size(package.size),
                crate::ui::human_size(platform::INLINE_CODE_LIMIT)
            ));
        }
        packed.push(Packed {
            built: item,
            glibc,
            package,
        });
    }
    Ok(packed)
}

/// Builds (unless reusing the last build) every function of `project` and resolves its assets:
/// what a zip and a container image are both made of, before either's own checks. Assets are
/// resolved first so that a bad include fails before a long build.
pub fn build_with_assets(
    project: &Project,
    options: &Options,
    ui: &Ui,
) -> Result<Vec<(Built, Vec<pack::Entry>)>> {
    let mut assets = Vec::new();
    for function in &project.functions {
        assets.push(assets_of(project, function, &options.includes)?);
    }
    let built = if options.reuse_build {
        last_build(project, &options.build)?
    } else {
        build::build(project, &options.build, ui)?
    };
    Ok(built
        .into_iter()
        .map(|item| {
            let index = project
                .functions
                .iter()
                .position(|f| {
                    f.bin == item.function.bin && f.package_id == item.function.package_id
                })
                .expect("built functions come from the project");
            (item, assets[index].clone())
        })
        .collect())
}

/// The bootstraps the last build left, for `--no-build`.
fn last_build(project: &Project, options: &BuildOptions) -> Result<Vec<Built>> {
    project
        .functions
        .iter()
        .map(|function| {
            let bootstrap = project.bootstrap_path(function);
            if !bootstrap.is_file() {
                return Err(ProjectError::NotBuiltYet { bootstrap }.into());
            }
            Ok(Built {
                function: function.clone(),
                runtime: options.runtime_for(function),
                builder: None,
                executable: bootstrap.clone(),
                bootstrap,
                image: None,
            })
        })
        .collect()
}

/// Verifies every built function against its runtime: all of them, so that one run names every
/// function that would not start.
/// `assets` are each built function's, in the same order.
fn verify_all(
    built: &[Built],
    assets: &[&[pack::Entry]],
    options: &BuildOptions,
    ui: &Ui,
) -> Result<Vec<Option<String>>> {
    let mut verdicts = Vec::new();
    let mut rejections = Vec::new();
    for (item, assets) in built.iter().zip(assets) {
        interrupt::check()?;
        if options.no_verify {
            ui.warn(format!(
                "--no-verify: `{}` was not checked against runtime `{}`; it may fail to start on FC",
                item.function.bin, item.runtime
            ));
            let facts = verify::inspect(&item.bootstrap)?;
            verdicts.push(facts.highest(verify::Family::Glibc).map(|v| v.to_string()));
            continue;
        }
        // The runtime's loader looks in the package root and lib/: what is shipped there is
        // loaded, so it is checked like the executable.
        let libraries: Vec<verify::Shipped> = assets
            .iter()
            .filter(|entry| {
                let dir = entry.name.rsplit_once('/').map_or("", |(dir, _)| dir);
                platform::LIBRARY_DIRS.contains(&dir)
            })
            .map(|entry| verify::Shipped {
                entry: entry.name.clone(),
                source: entry.source.clone(),
            })
            .collect();
        match verify::check_package(
            &item.function.bin,
            &item.bootstrap,
            &libraries,
            item.runtime,
        )? {
            Ok(verdict) => {
                ui.status(
                    "Verified",
                    format!(
                        "{} for {} ({}, runtime has {})",
                        item.function.bin,
                        item.runtime,
                        verdict.describe(),
                        item.runtime.glibc
                    ),
                );
                verdicts.push(verdict.glibc.map(|v| v.to_string()));
            }
            Err(rejection) => {
                rejections.push(rejection);
                verdicts.push(None);
            }
        }
    }
    if !rejections.is_empty() {
        return Err(verify::VerifyError::Rejected { rejections }.into());
    }
    Ok(verdicts)
}

/// The assets a function's package carries: its `include` setting plus `--include` flags.
fn assets_of(
    project: &Project,
    function: &Function,
    extra: &[IncludeSpec],
) -> Result<Vec<pack::Entry>> {
    let mut specs: Vec<_> = function
        .config
        .include
        .iter()
        .map(|spec| {
            (
                spec.clone(),
                Origin::Manifest(function.config.include_at.clone()),
            )
        })
        .collect();
    specs.extend(extra.iter().map(|spec| (spec.clone(), Origin::CommandLine)));
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
