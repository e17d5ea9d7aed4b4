//! `cargo fc pack`: build, verify and zip each function, then check the template against what
//! was packed.

use serde_json::json;

use crate::check;
use crate::cli::{GlobalArgs, PackArgs};
use crate::error::Result;
use crate::pipeline::{self, Packed};
use crate::project::{self, Project};
use crate::ui::Ui;

pub fn run(global: &GlobalArgs, args: &PackArgs, ui: &Ui) -> Result<()> {
    let project = project::load(&super::selection(global, Some(&args.build.flags)))?;
    let packed = pack(&project, args, ui)?;
    for item in &packed {
        report(item, ui);
    }
    check::findings_for_pack(&project, ui)
}

/// The pipeline as `pack` runs it; `local` runs the same.
pub fn pack(project: &Project, args: &PackArgs, ui: &Ui) -> Result<Vec<Packed>> {
    let options = pipeline::Options {
        build: super::build_args_options(&args.build),
        reuse_build: args.no_build,
        output: args.output.clone(),
        includes: super::includes(&args.includes),
    };
    pipeline::pack(project, &options, ui)
}

/// The `function-packed` message.
pub fn report(item: &Packed, ui: &Ui) {
    let built = &item.built;
    let package = &item.package;
    ui.json(&json!({
        "reason": "function-packed",
        "bin": built.function.bin,
        "function": built.function.name,
        "runtime": built.runtime.id,
        "builder": built.builder.map(|kind| kind.name()),
        "bootstrap": built.bootstrap,
        "zip": package.path,
        "size": package.size,
        "sha256": package.sha256,
        "entries": package.entries,
        "glibc": item.glibc,
    }));
}
