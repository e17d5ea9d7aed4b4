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
    if args.container.container {
        let options = pipeline::Options {
            output: None,
            ..options(args)
        };
        let container = &args.container;
        let image = crate::container::Options {
            tag: container.tag.clone(),
            base: container.base.as_deref().map(crate::container::Base::parse),
            push: container.push,
            registry_user: container.registry_user.clone(),
            write_template: container.write_template,
        };
        crate::container::pack_command(&project, &options, &image, ui)?;
        return check::findings_for_pack(&project, ui);
    }
    let packed = pack(&project, args, ui)?;
    for item in &packed {
        report(item, ui);
    }
    check::findings_for_pack(&project, ui)
}

/// The pipeline as `pack` runs it; `local` runs the same.
pub fn pack(project: &Project, args: &PackArgs, ui: &Ui) -> Result<Vec<Packed>> {
    pipeline::pack(project, &options(args), ui)
}

fn options(args: &PackArgs) -> pipeline::Options {
    pipeline::Options {
        build: super::build_args_options(&args.build),
        reuse_build: args.no_build,
        output: args.output.clone(),
        includes: super::includes(&args.includes),
    }
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
