//! `cargo fc deploy`: check the template, build and pack what it declares, then hand the
//! package to the deploy tool the template is written for.

use std::path::PathBuf;

use serde_json::json;

use crate::check;
use crate::cli::{DeployArgs, GlobalArgs};
use crate::deploy::{self, DeployError, DeployTool};
use crate::error::Result;
use crate::pipeline;
use crate::project::{self, Project};
use crate::ui::Ui;

pub fn run(global: &GlobalArgs, args: &DeployArgs, ui: &Ui) -> Result<()> {
    let project = project::load(&super::selection(global, Some(&args.build)))?;
    let (template, functions) =
        deploy::pick_template(&project, args.template.as_deref(), args.tool)?;
    // The check comes first: it takes milliseconds, the build can take minutes.
    let format = check::gate(&project, &template, &functions, ui)?;
    let tool = args.tool.unwrap_or(DeployTool::for_format(format));
    if DeployTool::for_format(format) != tool {
        return Err(DeployError::WrongTool {
            tool,
            template: check::display_path(&template),
            format,
        }
        .into());
    }
    let plan = deploy::plan(tool, &template, &args.tool_args);
    let subset = Project {
        workspace_root: project.workspace_root.clone(),
        target_dir: project.target_dir.clone(),
        functions: functions
            .iter()
            .map(|&i| project.functions[i].clone())
            .collect(),
    };
    let zips: Vec<PathBuf> = subset
        .functions
        .iter()
        .map(|f| subset.zip_path(f))
        .collect();
    if args.dry_run {
        return dry_run(&plan, &zips, ui);
    }
    // Before the build: a missing tool should not cost one.
    let program = tool.locate()?;
    let options = pipeline::Options {
        build: super::build_options(&args.build, &[]),
        reuse_build: args.no_build,
        output: None,
        includes: super::includes(&args.includes),
    };
    for packed in pipeline::pack(&subset, &options, ui)? {
        super::pack::report(&packed, ui);
    }
    plan.run(&program, ui)?;
    ui.status("Deployed", format!("with {}", tool.program()));
    ui.json(&json!({
        "reason": "deployed",
        "tool": tool.program(),
        "template": template,
        "zips": zips,
    }));
    Ok(())
}

fn dry_run(plan: &deploy::Plan, zips: &[PathBuf], ui: &Ui) -> Result<()> {
    let found = plan.tool.locate().ok();
    if ui.is_json() {
        ui.json(&json!({
            "reason": "deploy-plan",
            "program": plan.tool.program(),
            "args": plan.args,
            "cwd": plan.cwd,
            "zips": zips,
            "tool_found": found,
        }));
        return Ok(());
    }
    // The plan is this command's result, so it goes to stdout.
    println!(
        "cd {} && {}",
        crate::ui::shell_quote(&plan.cwd.display().to_string()),
        plan.command_line()
    );
    for zip in zips {
        let state = if zip.is_file() {
            ""
        } else {
            " (not built yet)"
        };
        println!("package: {}{state}", zip.display());
    }
    if found.is_none() {
        ui.warn(format!(
            "`{}` is not on PATH: install it with `npm install -g {}`",
            plan.tool.program(),
            plan.tool.npm_package()
        ));
    }
    ui.status("Dry run", "nothing was built or deployed");
    Ok(())
}
