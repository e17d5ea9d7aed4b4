//! `cargo fc deploy`: check, build, pack, then hand the package to the deploy tool the template
//! is written for: Serverless Devs (`s deploy -y`) for an s.yaml, Fun (`fun deploy -y -t FILE`)
//! for a template.yml (FC-FACTS: deploy tools).
//!
//! cargo fc never reads, prints or stores credentials: the tool reads its own configuration
//! (`s config add`, `fun config`) and inherits the environment untouched.

pub mod api;

use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::json;

use crate::check::{self, Format};
use crate::cli::{BuildArgs, DeployArgs, DeployTool, PackArgs};
use crate::error::{Error, Result};
use crate::project::{self, Project, Selection};
use crate::ui::Ui;

/// What deploying means here: a program, its arguments, and the folder to run it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub tool: DeployTool,
    pub args: Vec<String>,
    /// The template's folder: both tools resolve the template's relative paths from there.
    pub cwd: PathBuf,
}

impl DeployTool {
    pub fn program(self) -> &'static str {
        match self {
            DeployTool::S => "s",
            DeployTool::Fun => "fun",
        }
    }

    /// FC-FACTS: deploy tools. The npm package that provides the tool.
    pub fn npm_package(self) -> &'static str {
        match self {
            DeployTool::S => "@serverless-devs/s",
            DeployTool::Fun => "@alicloud/fun",
        }
    }

    /// The tool a template format is written for.
    pub fn for_format(format: Format) -> Self {
        if format.is_serverless_devs() {
            DeployTool::S
        } else {
            DeployTool::Fun
        }
    }
}

/// The command that deploys `template` with `tool`, extra arguments last.
pub fn plan(tool: DeployTool, template: &Path, extra: &[String]) -> Plan {
    let cwd = template
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let file = template
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut args: Vec<String> = vec!["deploy".into(), "-y".into()];
    match tool {
        // `s` reads s.yaml or s.yml by itself; any other name must be given.
        DeployTool::S if file == "s.yaml" || file == "s.yml" => {}
        DeployTool::S | DeployTool::Fun => {
            args.push("-t".into());
            args.push(file);
        }
    }
    args.extend(extra.iter().cloned());
    Plan { tool, args, cwd }
}

impl Plan {
    /// The command as a shell would take it.
    pub fn command_line(&self) -> String {
        std::iter::once(self.tool.program().to_string())
            .chain(self.args.iter().map(|a| shell_quote(a)))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn shell_quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c));
    if plain {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

/// The template to deploy and the indexes of the functions it should declare.
fn pick_template(project: &Project, flag: Option<&Path>) -> Result<(PathBuf, Vec<usize>)> {
    if let Some(path) = flag {
        if !path.is_file() {
            return Err(
                Error::config(format!("template {} does not exist", path.display()))
                    .help("pass --template the path of a template.yml or s.yaml"),
            );
        }
        return Ok((
            check::normalize(path),
            (0..project.functions.len()).collect(),
        ));
    }
    let found = check::find_templates(project)?;
    match found.as_slice() {
        [] => Err(Error::config(format!(
            "nothing to deploy with: no {} next to the package",
            check::TEMPLATE_NAMES.join(", ")
        ))
        .help("write an s.yaml (Serverless Devs) or template.yml (Fun), set `template` in [package.metadata.fc], or pass --template FILE")),
        [one] => Ok((one.path.clone(), one.functions.clone())),
        // `cargo fc new` writes both formats; Serverless Devs is the maintained tool of the two.
        several if several.iter().filter(|f| is_devs_name(&f.path)).count() == 1 => {
            let chosen = several
                .iter()
                .find(|f| is_devs_name(&f.path))
                .expect("counted above");
            Ok((chosen.path.clone(), chosen.functions.clone()))
        }
        several => {
            let names: Vec<String> = several
                .iter()
                .map(|f| check::display_path(&f.path))
                .collect();
            Err(Error::config(format!(
                "{} templates found ({}); which one should be deployed?",
                several.len(),
                names.join(", ")
            ))
            .help("pass --template FILE, or select one package with -p"))
        }
    }
}

fn is_devs_name(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|name| name == "s.yaml" || name == "s.yml")
}

/// `cargo fc deploy`.
pub fn command(selection: &Selection, args: &DeployArgs, ui: &Ui) -> Result<()> {
    let project = project::load(selection)?;
    let (template, functions) = pick_template(&project, args.template.as_deref())?;
    // The check comes first: it takes milliseconds, the build can take minutes.
    let format = check::gate(&project, &template, &functions, ui)?;
    let tool = args.tool.unwrap_or(DeployTool::for_format(format));
    if DeployTool::for_format(format) != tool {
        ui.warn(format!(
            "{} is a {}, but --tool {} was asked for",
            check::display_path(&template),
            format.describe(),
            tool.program()
        ));
    }
    let plan = plan(tool, &template, &args.tool_args);
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
    let pack_args = PackArgs {
        build: BuildArgs {
            builder: args.builder,
            features: args.features.clone(),
            locked: args.locked,
            ..BuildArgs::default()
        },
        no_build: args.no_build,
        output: None,
        includes: Vec::new(),
    };
    crate::pack_functions(&subset, &pack_args, ui)?;
    let program = which::which(tool.program()).map_err(|_| missing_tool(tool, &zips))?;
    ui.status(
        "Deploying",
        format!("{} (in {})", plan.command_line(), plan.cwd.display()),
    );
    let status = Command::new(&program)
        .args(&plan.args)
        .current_dir(&plan.cwd)
        .status()
        .map_err(|e| {
            Error::tool(format!("could not run {}: {e}", program.display()))
                .help("check that the file is an executable program")
        })?;
    if status.success() {
        ui.status("Deployed", format!("with {}", tool.program()));
        ui.json(&json!({
            "reason": "deployed",
            "tool": tool.program(),
            "template": template,
            "zips": zips,
        }));
        return Ok(());
    }
    let code = match (status.code(), status.signal()) {
        (Some(code), _) => code,
        (None, Some(signal)) => 128 + signal,
        (None, None) => 1,
    };
    Err(Error::tool(format!(
        "`{}` failed with exit status {code}",
        plan.command_line()
    ))
    .help(format!(
        "the messages above are {}'s; cargo fc passes its exit status on",
        tool.program()
    ))
    .with_exit_code(code))
}

fn missing_tool(tool: DeployTool, zips: &[PathBuf]) -> Error {
    let packages: Vec<String> = zips.iter().map(|z| check::display_path(z)).collect();
    Error::tool(format!(
        "`{}` is not on PATH, so nothing was deployed",
        tool.program()
    ))
    .note(format!(
        "`cargo fc pack` already produced {}",
        packages.join(", ")
    ))
    .help(format!(
        "install it with `npm install -g {}`, then run cargo fc deploy again (or deploy the zip yourself)",
        tool.npm_package()
    ))
}

fn dry_run(plan: &Plan, zips: &[PathBuf], ui: &Ui) -> Result<()> {
    let found = which::which(plan.tool.program()).ok();
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
        shell_quote(&plan.cwd.display().to_string()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s_reads_its_default_file_and_fun_is_told_the_template() {
        let p = plan(DeployTool::S, Path::new("/p/s.yaml"), &[]);
        assert_eq!(p.args, ["deploy", "-y"]);
        assert_eq!(p.cwd, Path::new("/p"));
        let p = plan(
            DeployTool::S,
            Path::new("/p/prod.yaml"),
            &["--skip-push".into()],
        );
        assert_eq!(p.args, ["deploy", "-y", "-t", "prod.yaml", "--skip-push"]);
        let p = plan(DeployTool::Fun, Path::new("/p/template.yml"), &[]);
        assert_eq!(p.command_line(), "fun deploy -y -t template.yml");
    }

    #[test]
    fn command_lines_quote_what_a_shell_would_split() {
        let p = plan(
            DeployTool::S,
            Path::new("/p/s.yaml"),
            &["--function".into(), "a b".into(), "it's".into()],
        );
        assert_eq!(p.command_line(), r"s deploy -y --function 'a b' 'it'\''s'");
    }
}
