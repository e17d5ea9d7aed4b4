//! `cargo fc build`: compile and verify, no package.

use serde_json::json;

use crate::cli::{BuildArgs, GlobalArgs};
use crate::error::Result;
use crate::pipeline;
use crate::project;
use crate::ui::Ui;

pub fn run(global: &GlobalArgs, args: &BuildArgs, ui: &Ui) -> Result<()> {
    let project = project::load(&super::selection(global, Some(&args.flags)))?;
    let options = super::build_args_options(args);
    for verified in pipeline::build(&project, &options, ui)? {
        let item = &verified.built;
        ui.status(
            "Finished",
            format!("{} → {}", item.function.bin, item.bootstrap.display()),
        );
        ui.json(&json!({
            "reason": "function-built",
            "bin": item.function.bin,
            "function": item.function.name,
            "runtime": item.runtime.id,
            "builder": item.builder.map(|kind| kind.name()),
            "bootstrap": item.bootstrap,
            "glibc": verified.glibc,
        }));
    }
    Ok(())
}
