//! `cargo fc deploy`: check the template, build and pack what it declares, then create or update
//! every function through FC 3.0's API (with `--plan`, only say what that would change); or,
//! with `--tool s|fun`, hand the package to that deploy tool.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::json;

use crate::check::{self, Format};
use crate::cli::{DeployArgs, GlobalArgs};
use crate::deploy::api::apply::{self, ApplyOptions};
use crate::deploy::api::client::{self, ClientOptions, Endpoint, FcClient};
use crate::deploy::api::credentials::{self, Search};
use crate::deploy::api::model::CodePackage;
use crate::deploy::{self, DeployError, DeployTool, spec};
use crate::deployment;
use crate::error::Result;
use crate::local::LocalError;
use crate::pipeline;
use crate::project::{self, Project};
use crate::ui::Ui;

pub fn run(global: &GlobalArgs, args: &DeployArgs, ui: &Ui) -> Result<()> {
    let project = project::load(&super::selection(global, Some(&args.build)))?;
    let (template, functions) =
        deploy::pick_template(&project, args.template.as_deref(), args.tool)?;
    // The check comes first: it takes milliseconds, the build can take minutes.
    let format = check::gate(&project, &template, &functions, ui)?;
    let Some(tool) = args.tool else {
        return through_the_api(&project, &template, &functions, format, args, ui);
    };
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

/// Deploys (or, with `--plan`, plans) the project's functions of an fc3 s.yaml through FC 3.0's
/// API.
fn through_the_api(
    project: &Project,
    template: &Path,
    functions: &[usize],
    format: Format,
    args: &DeployArgs,
    ui: &Ui,
) -> Result<()> {
    if format != Format::Devs3 {
        return Err(DeployError::Fc2Template {
            template: check::display_path(template),
            format,
        }
        .into());
    }
    let source = deployment::load(template)?;
    let reading = deployment::read(&source.display, &source.text);
    let Some(model) = &reading.deployment else {
        return Err(DeployError::Fc2Template {
            template: source.display.clone(),
            format,
        }
        .into());
    };
    // The functions cargo fc builds, by their FC names; the template's others are not ours to
    // upload.
    let ours: Vec<&project::Function> = functions.iter().map(|&i| &project.functions[i]).collect();
    let declared: Vec<&deployment::Function> = model
        .functions
        .iter()
        .filter(|f| {
            f.name
                .as_ref()
                .and_then(|n| n.as_str())
                .is_some_and(|name| ours.iter().any(|o| o.name == name))
        })
        .collect();
    for other in model
        .functions
        .iter()
        .filter_map(|f| f.name.as_ref()?.as_str())
    {
        if !ours.iter().any(|o| o.name == other) {
            ui.warn(format!(
                "`{other}` is not built by this project, so cargo fc leaves it alone; deploy it with `--tool s`"
            ));
        }
    }
    let subset = Project {
        workspace_root: project.workspace_root.clone(),
        target_dir: project.target_dir.clone(),
        functions: ours
            .iter()
            .filter(|f| {
                declared
                    .iter()
                    .any(|d| d.name.as_ref().and_then(|n| n.as_str()) == Some(f.name.as_str()))
            })
            .map(|f| (*f).clone())
            .collect(),
    };
    if subset.functions.is_empty() {
        return Err(DeployError::NothingToDeploy {
            template: source.display.clone(),
        }
        .into());
    }
    // Everything that could refuse is refused before the build and before any call to FC.
    let mut reader = spec::Reader::new(model);
    let mut specs = Vec::new();
    for function in &declared {
        if let Some(spec) = reader.function(function, None) {
            specs.push((spec, *function));
        }
    }
    reader.finish(source.path.clone())?;
    let access = match &model.layout {
        deployment::Layout::Devs(layout) => layout
            .access
            .as_ref()
            .and_then(|a| a.as_str())
            .map(str::to_string),
        deployment::Layout::Fun(_) => None,
    };
    let credentials = credentials::find(&Search::from_process(access))?;
    ui.detail("Credentials", &credentials.source);
    let environment_region = std::env::var(client::REGION_VARIABLE).ok();
    let options = pipeline::Options {
        build: super::build_options(&args.build, &[]),
        reuse_build: args.no_build,
        output: None,
        includes: super::includes(&args.includes),
    };
    let packed = pipeline::pack(&subset, &options, ui)?;
    for item in &packed {
        super::pack::report(item, ui);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| LocalError::Runtime { why: e.to_string() })?;
    let mut clients: BTreeMap<String, FcClient> = BTreeMap::new();
    let mut results = Vec::new();
    for (mut spec, function) in specs {
        let package = packed
            .iter()
            .find(|p| p.built.function.name == spec.name)
            .map(|p| CodePackage::from_file(&p.package.path))
            .transpose()?;
        if spec.code.is_none() && spec.config.custom_container_config.is_none() {
            spec.code = package;
        }
        let endpoint = match &args.endpoint {
            Some(url) => Endpoint::parse(url)?,
            None => Endpoint::for_region(&client::choose_region(
                args.region.as_deref(),
                function.region.as_ref().and_then(|r| r.as_str()),
                environment_region.as_deref(),
            )?)?,
        };
        let key = endpoint.base_url();
        if !clients.contains_key(&key) {
            let mut options = ClientOptions::new(endpoint, credentials.clone());
            if ui.verbosity() > 1 {
                let trace_ui = ui.clone();
                options.trace = Some(Arc::new(move |line: &str| trace_ui.detail("Trace", line)));
            }
            clients.insert(key.clone(), FcClient::new(options)?);
        }
        let client = &clients[&key];
        let state = runtime.block_on(apply::read_state(client, &spec.name))?;
        let plan = apply::plan_for(&state, &spec);
        if args.plan {
            if ui.is_json() {
                let mut message = plan.to_json();
                message["reason"] = "deploy-plan".into();
                ui.json(&message);
            } else {
                // The plan is this command's result, so it goes to stdout.
                for line in plan.describe() {
                    println!("{line}");
                }
            }
            continue;
        }
        let progress_ui = ui.clone();
        let progress = move |line: &str| progress_ui.detail("Deploying", line);
        match runtime.block_on(apply::apply(
            client,
            &spec,
            &state,
            &plan,
            &ApplyOptions::default(),
            &progress,
        )) {
            Ok(applied) => {
                ui.status("Deployed", applied.summary());
                let mut message = applied.to_json();
                message["reason"] = "function-deployed".into();
                ui.json(&message);
                results.push(applied);
            }
            Err(mut error) => {
                // What earlier functions changed is part of what was already done.
                let earlier: Vec<String> = results
                    .iter()
                    .filter(|a| a.changed_anything())
                    .map(|a| a.summary())
                    .collect();
                error.done.splice(0..0, earlier);
                return Err(error.into());
            }
        }
    }
    if args.plan {
        ui.status("Plan", "nothing was changed on FC");
    }
    Ok(())
}
