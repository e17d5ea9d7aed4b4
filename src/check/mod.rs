//! `cargo fc check`: finds the mistakes in a deployment template before FC does.
//!
//! The template is read into the typed model of a deployment ([`crate::deployment`]), which
//! also reports what only the YAML tree can tell (syntax, tabs, duplicate keys, bad merges);
//! the format's rules ([`fun`], [`devs`], sharing [`rules`]) then run over the model and report
//! every problem they find as a [`Diagnostic`]; [`render`] prints them like compiler errors or as
//! JSON.
//!
//! The entry point [`check_template`] is pure: it takes the text and the [`Expectations`] (its
//! options), never touches the file system and never panics, whatever the input (a property
//! test feeds it arbitrary and mutated YAML).

mod devs;
mod fun;
mod render;
mod rules;

use std::path::{Path, PathBuf};

use serde_json::json;

use crate::deployment::{self, Layout, TemplateError};
use crate::error::Result;
use crate::platform::Runtime;
use crate::project::{self, Project, Selection};
use crate::ui::Ui;

pub use crate::deployment::{
    Diagnostic, Format, Found, Severity, TEMPLATE_NAMES, display_path, find_templates, normalize,
    normalize_breaks,
};
pub use render::{render_human, to_json};

/// What the cargo project says the template should contain: the checker's options.
#[derive(Debug, Clone, Default)]
pub struct Expectations {
    /// Relative code paths in the template are resolved against this folder (the template's).
    pub base_dir: PathBuf,
    /// The functions cargo fc builds, or `None` when there is no cargo project to compare with.
    pub functions: Option<Vec<ExpectedFunction>>,
}

/// One function cargo fc builds and packs.
#[derive(Debug, Clone)]
pub struct ExpectedFunction {
    /// The FC function name.
    pub name: String,
    pub bin: String,
    pub runtime: &'static Runtime,
    /// The zip `cargo fc pack` writes.
    pub zip: PathBuf,
    /// The folder holding the built `bootstrap`.
    pub bootstrap_dir: PathBuf,
}

impl Expectations {
    /// The expectations for functions of `project` (all of them when `only` is `None`).
    pub fn from_project(project: &Project, base_dir: &Path, only: Option<&[usize]>) -> Self {
        let functions = project
            .functions
            .iter()
            .enumerate()
            .filter(|(index, _)| only.is_none_or(|only| only.contains(index)))
            .map(|(_, function)| ExpectedFunction {
                name: function.name.clone(),
                bin: function.bin.clone(),
                runtime: function.config.runtime,
                zip: project.zip_path(function),
                bootstrap_dir: project
                    .bootstrap_path(function)
                    .parent()
                    .expect("a bootstrap path has a parent")
                    .to_path_buf(),
            })
            .collect();
        Self {
            base_dir: base_dir.to_path_buf(),
            functions: Some(functions),
        }
    }
}

/// The result of checking one template's text.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// `None` when the text is not valid YAML or not a template of a known format.
    pub format: Option<Format>,
    /// Functions found in the template.
    pub functions: usize,
    /// Sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Outcome {
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// Checks a template's text; `file_name` decides the format only when the content does not.
pub fn check_source(file_name: &str, text: &str, expectations: &Expectations) -> Vec<Diagnostic> {
    check_template(file_name, text, expectations).diagnostics
}

/// [`check_source`] with the format and the number of functions found.
pub fn check_template(file_name: &str, text: &str, expectations: &Expectations) -> Outcome {
    check_reading(&deployment::read(file_name, text), expectations)
}

/// The rules over a template already read.
pub fn check_reading(reading: &deployment::Reading, expectations: &Expectations) -> Outcome {
    let mut diagnostics = reading.diagnostics.clone();
    let mut functions = 0;
    let format = reading.format();
    if let Some(deployment) = &reading.deployment {
        let mut context = rules::Context::new(&reading.text, expectations);
        functions = match &deployment.layout {
            Layout::Fun(layout) => fun::check(&mut context, deployment, layout),
            Layout::Devs(layout) if deployment.format == Format::Devs3 => {
                devs::check_v3(&mut context, deployment, layout)
            }
            Layout::Devs(layout) => devs::check_v1(&mut context, deployment, layout),
        };
        context.report_missing_functions();
        context.report_suggestion_budget();
        if let Some(span) = deployment.truncated {
            context.warn(
                "template-size",
                span,
                format!(
                    "cargo fc stopped reading here: through aliases and merge keys the template holds more than {} entries, and what follows was not checked",
                    deployment::VISIT_BUDGET
                ),
                "a template this size is most likely generated by mistake; share settings through a few anchors rather than many",
            );
        }
        diagnostics.extend(context.into_diagnostics());
    }
    diagnostics.sort_by_key(|d| (d.line, d.column));
    Outcome {
        format,
        functions,
        diagnostics,
    }
}

/// Checks one template file and prints its diagnostics.
pub fn check_file(path: &Path, expectations: &Expectations, ui: &Ui) -> Result<(Outcome, String)> {
    let (outcome, display, _) = check_file_keeping(path, expectations, ui)?;
    Ok((outcome, display))
}

/// [`check_file`], handing back what was read.
fn check_file_keeping(
    path: &Path,
    expectations: &Expectations,
    ui: &Ui,
) -> Result<(Outcome, String, deployment::Reading)> {
    let source = deployment::load(path)?;
    let reading = deployment::read(&source.display, &source.text);
    let outcome = check_reading(&reading, expectations);
    report(&source.display, &source.text, &outcome, ui);
    Ok((outcome, source.display, reading))
}

fn report(display: &str, text: &str, outcome: &Outcome, ui: &Ui) {
    if ui.is_json() {
        for diagnostic in &outcome.diagnostics {
            ui.json(&to_json(display, diagnostic));
        }
        ui.json(&json!({
            "reason": "template-checked",
            "file": display,
            "format": outcome.format.map(Format::name),
            "functions": outcome.functions,
            "errors": outcome.errors(),
            "warnings": outcome.warnings(),
        }));
        return;
    }
    if !outcome.diagnostics.is_empty() {
        eprint!(
            "{}",
            render_human(display, text, &outcome.diagnostics, ui.color())
        );
    }
}

fn summary(display: &str, outcome: &Outcome) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{display}: {}, {}",
        plural(outcome.errors(), "error"),
        plural(outcome.warnings(), "warning")
    )
}

/// What `cargo fc check` is asked for.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// The template to check instead of the ones next to the package.
    pub template: Option<PathBuf>,
    /// Fail on warnings too.
    pub deny_warnings: bool,
}

pub fn command(selection: &Selection, args: &CheckOptions, ui: &Ui) -> Result<()> {
    let project = load_project(selection, args.template.is_some(), ui)?;
    let targets: Vec<(PathBuf, Expectations)> = match (&args.template, &project) {
        (Some(path), project) => {
            // Named as the user typed it: `template nope.yml does not exist`.
            match deployment::file_kind(path) {
                Ok(None) => {}
                Ok(Some(kind)) => {
                    return Err(TemplateError::NotAFile {
                        path: path.clone(),
                        kind,
                    }
                    .into());
                }
                Err(source) => {
                    return Err(TemplateError::Read {
                        path: path.clone(),
                        source,
                    }
                    .into());
                }
            }
            let path = normalize(path);
            let base = path.parent().unwrap_or(Path::new("/")).to_path_buf();
            let expectations = match project {
                Some(project) => Expectations::from_project(project, &base, None),
                None => Expectations {
                    base_dir: base,
                    functions: None,
                },
            };
            vec![(path, expectations)]
        }
        (None, Some(project)) => {
            let found = find_templates(project)?;
            if found.is_empty() {
                return Err(no_template_error(project).into());
            }
            found
                .into_iter()
                .map(|f| {
                    let base = f.path.parent().unwrap_or(Path::new("/")).to_path_buf();
                    let expectations =
                        Expectations::from_project(project, &base, Some(&f.functions));
                    (f.path, expectations)
                })
                .collect()
        }
        (None, None) => {
            let cwd = std::env::current_dir().map_err(crate::error::io("read", Path::new(".")))?;
            let paths = deployment::templates_in(&cwd)?;
            if paths.is_empty() {
                return Err(TemplateError::NothingHere.into());
            }
            paths
                .into_iter()
                .map(|path| {
                    let base = path.parent().unwrap_or(Path::new("/")).to_path_buf();
                    (
                        path,
                        Expectations {
                            base_dir: base,
                            functions: None,
                        },
                    )
                })
                .collect()
        }
    };
    let (mut errors, mut warnings) = (0, 0);
    let mut failed = Vec::new();
    for (path, expectations) in &targets {
        let (outcome, display, reading) = check_file_keeping(path, expectations, ui)?;
        // `cargo fc check` ends right after: freeing the model of a large template, one
        // allocation at a time, would cost more than all its rules did.
        std::mem::forget(reading);
        errors += outcome.errors();
        warnings += outcome.warnings();
        let line = summary(&display, &outcome);
        if outcome.errors() > 0 || (args.deny_warnings && outcome.warnings() > 0) {
            failed.push(line);
        } else {
            let what = outcome.format.map(Format::describe).unwrap_or("template");
            ui.status(
                "Checked",
                format!(
                    "{line} ({what}, {} function{})",
                    outcome.functions,
                    if outcome.functions == 1 { "" } else { "s" }
                ),
            );
        }
    }
    if failed.is_empty() {
        return Ok(());
    }
    Err(TemplateError::CheckFailed {
        files: failed,
        warnings_only: errors == 0 && warnings > 0,
    }
    .into())
}

fn no_template_error(project: &Project) -> TemplateError {
    let looked_in: std::collections::BTreeSet<PathBuf> = project
        .functions
        .iter()
        .map(|f| f.package_dir.clone())
        .collect();
    TemplateError::NoTemplate {
        looked_in: looked_in.into_iter().collect(),
    }
}

/// The cargo project, or `None` when there is none and the caller can do without one.
fn load_project(selection: &Selection, have_template: bool, ui: &Ui) -> Result<Option<Project>> {
    // Spawning `cargo metadata` only to learn there is no Cargo.toml costs more than the check.
    if selection.manifest_path.is_none() && !manifest_above_cwd() {
        return Ok(None);
    }
    match project::load(selection) {
        Ok(project) => Ok(Some(project)),
        Err(error)
            if have_template
                && selection.manifest_path.is_none()
                && crate::error::Failure::exit(&error) == crate::error::Exit::Usage =>
        {
            // A template can be checked on its own, so a broken project must not hide its
            // findings; but it is named, since its Rust-specific rules are not applied.
            let place = crate::error::Failure::location(&error)
                .map(|at| match at.line {
                    Some(line) => format!("{}:{line}: ", at.file.display()),
                    None => format!("{}: ", at.file.display()),
                })
                .unwrap_or_default();
            ui.warn(format!(
                "{place}{error}; the template is checked without the project's Rust-specific rules"
            ));
            Ok(None)
        }
        Err(error) => Err(error.into()),
    }
}

fn manifest_above_cwd() -> bool {
    let Ok(cwd) = std::env::current_dir() else {
        return true;
    };
    cwd.ancestors().any(|dir| dir.join("Cargo.toml").is_file())
}

/// Checks the project's templates, if any, and prints what it finds; for `cargo fc pack`, which
/// reports template problems without failing (deploy is where they stop things).
pub fn findings_for_pack(project: &Project, ui: &Ui) -> Result<()> {
    for found in find_templates(project)? {
        let base = found.path.parent().unwrap_or(Path::new("/")).to_path_buf();
        let expectations = Expectations::from_project(project, &base, Some(&found.functions));
        let (outcome, display) = check_file(&found.path, &expectations, ui)?;
        if outcome.diagnostics.is_empty() {
            ui.status("Checked", summary(&display, &outcome));
        } else {
            ui.warn(format!(
                "{}: fix these before `cargo fc deploy`, which refuses a template with errors",
                summary(&display, &outcome)
            ));
        }
    }
    Ok(())
}

/// Checks `path` for deploying; any error stops the deployment.
pub fn gate(project: &Project, path: &Path, functions: &[usize], ui: &Ui) -> Result<Format> {
    let base = path.parent().unwrap_or(Path::new("/")).to_path_buf();
    let expectations = Expectations::from_project(project, &base, Some(functions));
    let (outcome, display) = check_file(path, &expectations, ui)?;
    let Some(format) = outcome.format else {
        return Err(TemplateError::NotATemplate { file: display }.into());
    };
    if outcome.errors() > 0 {
        return Err(TemplateError::NotDeploying {
            summary: summary(&display, &outcome),
        }
        .into());
    }
    ui.status("Checked", summary(&display, &outcome));
    Ok(format)
}

/// The format of a template file, read cheaply (for choosing a deploy tool).
pub fn format_of(path: &Path) -> Result<Option<Format>> {
    let source = deployment::load(path)?;
    Ok(deployment::read(&source.display, &source.text).format())
}
