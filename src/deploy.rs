//! `cargo fc deploy`: check, build, pack, then hand the package to the deploy tool the template
//! is written for: Serverless Devs (`s deploy -y`) for an s.yaml, Fun (`fun deploy -y -t FILE`)
//! for a template.yml (docs/platform.md#template-formats).
//!
//! cargo fc never reads, prints or stores credentials: the tool reads its own configuration
//! (`s config add`, `fun config`) and inherits the environment untouched.

pub mod api;

use std::fmt;
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::check::{self, Format};
use crate::error::{Exit, Failure, Result, failure_any};
use crate::project::Project;
use crate::ui::Ui;

/// Why deploying did not happen or did not succeed.
#[derive(Debug)]
pub enum DeployError {
    /// `--template` names no file.
    TemplateMissing { path: PathBuf },
    /// No template next to the package.
    NoTemplate,
    /// More than one template, and nothing says which.
    SeveralTemplates { names: Vec<String> },
    /// The tool asked for cannot read the template's format.
    WrongTool {
        tool: DeployTool,
        template: String,
        format: Format,
    },
    /// The tool is not installed.
    ToolMissing { tool: DeployTool },
    /// The tool could not be started.
    CannotRun { program: PathBuf, why: String },
    /// The tool ran and failed; `status` is its own exit status.
    ToolFailed {
        tool: DeployTool,
        command_line: String,
        status: i32,
    },
}

impl fmt::Display for DeployError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeployError::TemplateMissing { path } => {
                write!(f, "template {} does not exist", path.display())
            }
            DeployError::NoTemplate => write!(
                f,
                "nothing to deploy with: no {} next to the package",
                check::TEMPLATE_NAMES.join(", ")
            ),
            DeployError::SeveralTemplates { names } => write!(
                f,
                "{} templates found ({}); which one should be deployed?",
                names.len(),
                names.join(", ")
            ),
            DeployError::WrongTool {
                tool,
                template,
                format,
            } => write!(
                f,
                "`{}` cannot deploy {template}, a {}",
                tool.program(),
                format.describe()
            ),
            DeployError::ToolMissing { tool } => write!(
                f,
                "`{}` is not on PATH, so nothing can be deployed with it",
                tool.program()
            ),
            DeployError::CannotRun { program, why } => {
                write!(f, "could not run {}: {why}", program.display())
            }
            DeployError::ToolFailed {
                command_line,
                status,
                ..
            } => write!(f, "`{command_line}` failed with exit status {status}"),
        }
    }
}

impl Failure for DeployError {
    fn exit(&self) -> Exit {
        match self {
            DeployError::TemplateMissing { .. }
            | DeployError::NoTemplate
            | DeployError::SeveralTemplates { .. }
            | DeployError::WrongTool { .. } => Exit::Usage,
            DeployError::ToolMissing { .. } | DeployError::CannotRun { .. } => Exit::Tool,
            DeployError::ToolFailed { .. } => Exit::Deploy,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            DeployError::TemplateMissing { .. } => "deploy.template-missing",
            DeployError::NoTemplate => "deploy.no-template",
            DeployError::SeveralTemplates { .. } => "deploy.several-templates",
            DeployError::WrongTool { .. } => "deploy.wrong-tool",
            DeployError::ToolMissing { .. } => "deploy.tool-missing",
            DeployError::CannotRun { .. } => "deploy.cannot-run",
            DeployError::ToolFailed { .. } => "deploy.tool-failed",
        }
    }

    fn help(&self) -> Option<String> {
        Some(match self {
            DeployError::TemplateMissing { .. } => {
                "pass --template the path of a template.yml or s.yaml".into()
            }
            DeployError::NoTemplate => "write an s.yaml (Serverless Devs) or template.yml (Fun), set `template` in [package.metadata.fc], or pass --template FILE".into(),
            DeployError::SeveralTemplates { .. } => {
                "pass --template FILE, or select one package with -p".into()
            }
            DeployError::WrongTool { format, .. } => format!(
                "deploy it with `--tool {}`, or pass --template a file `{}` reads",
                DeployTool::for_format(*format).program(),
                DeployTool::other(DeployTool::for_format(*format)).program()
            ),
            DeployError::ToolMissing { tool } => format!(
                "install it with `npm install -g {}`, then run cargo fc deploy again; `cargo fc pack` makes the zip to deploy by other means",
                tool.npm_package()
            ),
            DeployError::CannotRun { .. } => {
                "check that the file is an executable program".into()
            }
            DeployError::ToolFailed { tool, .. } => format!(
                "the messages above are {}'s; cargo fc exits with {} for a failed deployment",
                tool.program(),
                Exit::Deploy.code()
            ),
        })
    }

    fn details(&self) -> serde_json::Value {
        match self {
            DeployError::ToolFailed {
                tool,
                command_line,
                status,
            } => serde_json::json!({
                "tool": tool.program(),
                "command": command_line,
                "status": status,
            }),
            DeployError::ToolMissing { tool } => serde_json::json!({ "tool": tool.program() }),
            _ => serde_json::Value::Null,
        }
    }

    failure_any!();
}

/// What deploying means here: a program, its arguments, and the folder to run it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub tool: DeployTool,
    pub args: Vec<String>,
    /// The template's folder: both tools resolve the template's relative paths from there.
    pub cwd: PathBuf,
}

/// The deploy tool to hand the package to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeployTool {
    /// Serverless Devs: `s deploy -y`.
    S,
    /// Fun: `fun deploy -y -t FILE`.
    Fun,
}

impl DeployTool {
    pub const ALL: [DeployTool; 2] = [DeployTool::S, DeployTool::Fun];

    pub fn from_program(name: &str) -> Option<DeployTool> {
        Self::ALL.into_iter().find(|tool| tool.program() == name)
    }

    pub fn program(self) -> &'static str {
        match self {
            DeployTool::S => "s",
            DeployTool::Fun => "fun",
        }
    }

    /// docs/platform.md#template-formats. The npm package that provides the tool.
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

    fn other(self) -> Self {
        match self {
            DeployTool::S => DeployTool::Fun,
            DeployTool::Fun => DeployTool::S,
        }
    }

    /// Whether a file of this name is one the tool reads by default.
    fn reads_by_name(self, path: &Path) -> bool {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        match self {
            DeployTool::S => matches!(name, "s.yaml" | "s.yml"),
            DeployTool::Fun => matches!(name, "template.yml" | "template.yaml"),
        }
    }

    /// The tool on PATH.
    pub fn locate(self) -> Result<PathBuf, DeployError> {
        which::which(self.program()).map_err(|_| DeployError::ToolMissing { tool: self })
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
            .chain(self.args.iter().map(|a| crate::ui::shell_quote(a)))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Runs the tool in the template's folder, its output streaming through. Under
    /// `--message-format json` its stdout goes to stderr, so that stdout stays JSON.
    pub fn run(&self, program: &Path, ui: &Ui) -> Result<(), DeployError> {
        ui.status(
            "Deploying",
            format!("{} (in {})", self.command_line(), self.cwd.display()),
        );
        let mut command = Command::new(program);
        command.args(&self.args).current_dir(&self.cwd);
        if ui.is_json() {
            command.stdout(Stdio::from(
                std::io::stderr()
                    .as_fd()
                    .try_clone_to_owned()
                    .map_err(|e| DeployError::CannotRun {
                        program: program.to_path_buf(),
                        why: crate::error::describe_io(&e),
                    })?,
            ));
        }
        // The tool gets the terminal's Ctrl-C itself; cargo fc waits for it to stop.
        let _deferred = crate::interrupt::Guard::new();
        let status = command.status().map_err(|e| DeployError::CannotRun {
            program: program.to_path_buf(),
            why: crate::error::describe_io(&e),
        })?;
        if status.success() {
            return Ok(());
        }
        Err(DeployError::ToolFailed {
            tool: self.tool,
            command_line: self.command_line(),
            status: crate::build::status_code(status).unwrap_or(1),
        })
    }
}

/// The template to deploy with `tool` (the template's own tool when `None`), and the indexes
/// of the functions it should declare. A tool is never handed a format it cannot read.
pub fn pick_template(
    project: &Project,
    flag: Option<&Path>,
    tool: Option<DeployTool>,
) -> Result<(PathBuf, Vec<usize>)> {
    if let Some(path) = flag {
        if !path.is_file() {
            return Err(DeployError::TemplateMissing {
                path: path.to_path_buf(),
            }
            .into());
        }
        return Ok((
            check::normalize(path),
            (0..project.functions.len()).collect(),
        ));
    }
    let found = check::find_templates(project)?;
    let for_tool: Vec<&check::Found> = match tool {
        Some(tool) => found
            .iter()
            .filter(|f| tool.reads_by_name(&f.path))
            .collect(),
        None => found.iter().collect(),
    };
    let chosen = match (for_tool.as_slice(), found.as_slice()) {
        ([one], _) => *one,
        ([], []) => return Err(DeployError::NoTemplate.into()),
        // The tool asked for reads none of the names here: what is here is for the other
        // tool, and the check of its format says so.
        ([], [one, ..]) => one,
        // `cargo fc new` writes both formats; Serverless Devs is the maintained tool of the two.
        (several, _)
            if several
                .iter()
                .filter(|f| DeployTool::S.reads_by_name(&f.path))
                .count()
                == 1 =>
        {
            several
                .iter()
                .find(|f| DeployTool::S.reads_by_name(&f.path))
                .expect("counted above")
        }
        (several, _) => {
            return Err(DeployError::SeveralTemplates {
                names: several
                    .iter()
                    .map(|f| check::display_path(&f.path))
                    .collect(),
            }
            .into());
        }
    };
    Ok((chosen.path.clone(), chosen.functions.clone()))
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
