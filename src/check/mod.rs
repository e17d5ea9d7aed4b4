//! `cargo fc check`: finds the mistakes in a deployment template before FC does.
//!
//! Two template formats are understood: Fun's `template.yml` (`Transform:
//! Aliyun::Serverless-2018-04-03`) and Serverless Devs' `s.yaml`, both the FC 3.0 form (`edition:
//! 3.0.0`, component `fc3`) and the older `edition: 1.0.0` form (component `fc`). The checker
//! reads the YAML into a tree that keeps every node's position ([`yaml`]), applies the format's
//! rules ([`fun`], [`devs`], sharing [`rules`]) and reports every problem it finds as a
//! [`Diagnostic`]; [`render`] prints them like compiler errors or as JSON.
//!
//! The entry point [`check_source`] is pure: it takes the text, never touches the file system
//! and never panics, whatever the input (a property test feeds it arbitrary and mutated YAML).

mod devs;
mod fun;
mod render;
mod rules;
pub mod yaml;

use std::path::{Component, Path, PathBuf};

use serde_json::json;

use crate::error::{Error, ErrorKind, Result};
use crate::platform::Runtime;
use crate::project::{self, Project, Selection};
use crate::ui::Ui;

pub use render::{render_human, to_json};

/// The file names looked for next to a package, in this order.
pub const TEMPLATE_NAMES: &[&str] = &["template.yml", "template.yaml", "s.yaml", "s.yml"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem in a template, at a position (1-based line and column, counted in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable name for the rule, e.g. `handler` or `memory-size` (in JSON output and tests).
    pub rule: &'static str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    /// Exclusive.
    pub end_column: usize,
    pub message: String,
    pub help: String,
}

impl Diagnostic {
    pub(crate) fn new(
        severity: Severity,
        rule: &'static str,
        span: yaml::Span,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        let line = span.start.line.max(1);
        let column = span.start.col + 1;
        let (end_line, end_column) =
            if span.end.line > line || (span.end.line == line && span.end.col > span.start.col) {
                (span.end.line, span.end.col + 1)
            } else {
                (line, column + 1)
            };
        Self {
            severity,
            rule,
            line,
            column,
            end_line,
            end_column,
            message: message.into(),
            help: help.into(),
        }
    }
}

/// The template formats the checker understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Fun's `template.yml`, Transform `Aliyun::Serverless-2018-04-03`.
    Fun,
    /// Serverless Devs `s.yaml` with `edition: 3.0.0` (component `fc3`).
    Devs3,
    /// Serverless Devs `s.yaml` with `edition: 1.0.0` (component `fc`).
    Devs1,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Fun => "fun",
            Format::Devs3 => "serverless-devs-3",
            Format::Devs1 => "serverless-devs-1",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Format::Fun => "Fun template (Aliyun::Serverless-2018-04-03)",
            Format::Devs3 => "Serverless Devs s.yaml (edition 3.0.0, fc3)",
            Format::Devs1 => "Serverless Devs s.yaml (edition 1.0.0, fc)",
        }
    }

    /// Whether a file of this format is deployed with `s` (else with `fun`).
    pub fn is_serverless_devs(self) -> bool {
        matches!(self, Format::Devs3 | Format::Devs1)
    }
}

/// What the cargo project says the template should contain.
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
    let mut diagnostics = Vec::new();
    // A byte-order mark is legal YAML but trips some readers; the parser skips it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // YAML breaks lines at \r too; with one kind of break, positions mean the same everywhere.
    let text = normalize_breaks(text);
    let text = text.as_ref();
    let mut outcome = Outcome {
        format: None,
        functions: 0,
        diagnostics: Vec::new(),
    };
    if let Some(document) = yaml::parse(text, &mut diagnostics) {
        let mut context = rules::Context::new(&document, text, expectations, diagnostics);
        outcome.format = detect(&mut context, file_name);
        outcome.functions = match outcome.format {
            Some(Format::Fun) => fun::check(&mut context),
            Some(Format::Devs3) => devs::check_v3(&mut context),
            Some(Format::Devs1) => devs::check_v1(&mut context),
            None => 0,
        };
        if outcome.format.is_some() {
            context.report_missing_functions();
        }
        diagnostics = context.into_diagnostics();
    }
    diagnostics.sort_by_key(|d| (d.line, d.column));
    outcome.diagnostics = diagnostics;
    outcome
}

/// The text with `\r\n` and lone `\r` line breaks turned into `\n`.
/// A template's YAML as plain data, read by the same parser the checker uses; `None` when it is
/// not valid YAML (`cargo fc check` then tells where).
pub fn read_yaml(text: &str) -> Option<serde_json::Value> {
    let text = normalize_breaks(text);
    let document = yaml::parse(&text, &mut Vec::new())?;
    Some(
        document
            .root
            .map_or(serde_json::Value::Null, |root| document.to_json(root)),
    )
}

pub fn normalize_breaks(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Recognises the format from the content, falling back on the file name.
fn detect(context: &mut rules::Context, file_name: &str) -> Option<Format> {
    let doc = context.doc;
    let whole = yaml::Span {
        start: yaml::Pos { line: 1, col: 0 },
        end: yaml::Pos { line: 1, col: 0 },
    };
    let Some(root) = doc.root else {
        context.push(Diagnostic::new(
            Severity::Error,
            "template-empty",
            whole,
            "the template is empty",
            "write a Fun template.yml or a Serverless Devs s.yaml; `cargo fc new` creates one",
        ));
        return None;
    };
    if doc.map(root).is_none() {
        context.push(Diagnostic::new(
            Severity::Error,
            "template-format",
            doc.node(root).span,
            format!(
                "a template is a mapping of keys to values, but this file holds {}",
                doc.kind_name(root)
            ),
            "start from a Fun template.yml or a Serverless Devs s.yaml; `cargo fc new` creates one",
        ));
        return None;
    }
    let has = |key: &str| doc.get(root, key).is_some();
    if let Some(edition) = doc.get(root, "edition") {
        return match doc.text(edition.value) {
            Some("3.0.0") => Some(Format::Devs3),
            Some("1.0.0") => Some(Format::Devs1),
            other => {
                context.push(Diagnostic::new(
                    Severity::Error,
                    "edition",
                    doc.node(edition.value).span,
                    match other {
                        Some(text) => format!("unknown Serverless Devs edition `{text}`"),
                        None => format!(
                            "`edition` must be a string, found {}",
                            doc.kind_name(edition.value)
                        ),
                    },
                    "write `edition: 3.0.0` (component fc3) or `edition: 1.0.0` (component fc)",
                ));
                None
            }
        };
    }
    if has("ROSTemplateFormatVersion") || has("Transform") || has("Resources") {
        return Some(Format::Fun);
    }
    let name = Path::new(file_name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let devs_name = name == "s.yaml"
        || name == "s.yml"
        || name.ends_with(".s.yaml")
        || name.ends_with(".s.yml");
    if has("resources") || has("services") || devs_name {
        let help = if has("services") {
            "add `edition: 1.0.0` at the top (this file has `services`, the 1.0.0 layout)"
        } else {
            "add `edition: 3.0.0` at the top"
        };
        context.push(Diagnostic::new(
            Severity::Error,
            "edition",
            doc.node(root).span,
            "a Serverless Devs s.yaml needs `edition`",
            help,
        ));
        return None;
    }
    context.push(Diagnostic::new(
        Severity::Error,
        "template-format",
        doc.node(root).span,
        "not a Fun template.yml or a Serverless Devs s.yaml",
        "a Fun template starts with `ROSTemplateFormatVersion: '2015-09-01'` and `Transform: 'Aliyun::Serverless-2018-04-03'`; an s.yaml with `edition: 3.0.0`",
    ));
    None
}

/// A template found for a set of functions.
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    /// Indexes into `project.functions` of the functions it is expected to declare.
    pub functions: Vec<usize>,
}

/// The templates of the project's functions: each package's configured `template`, else the
/// template files in its folder, else in the workspace root. Several packages may share one.
pub fn find_templates(project: &Project) -> Result<Vec<Found>> {
    let mut found: Vec<Found> = Vec::new();
    let mut add = |path: PathBuf, index: usize| match found.iter_mut().find(|f| f.path == path) {
        Some(entry) => entry.functions.push(index),
        None => found.push(Found {
            path,
            functions: vec![index],
        }),
    };
    for (index, function) in project.functions.iter().enumerate() {
        if let Some(configured) = &function.config.template {
            if !configured.is_file() {
                return Err(Error::config(format!(
                    "`template` in [package.metadata.fc] names {}, which does not exist",
                    configured.display()
                ))
                .at(
                    &function.manifest_path,
                    project::locate_key(
                        &function.manifest_path,
                        &["package", "metadata", "fc"],
                        "template",
                    )
                    .and_then(|at| at.line),
                )
                .help("the path is relative to the package's Cargo.toml; fix it or remove the key to use template.yml / s.yaml next to the package"));
            }
            add(normalize(configured), index);
            continue;
        }
        let mut paths = templates_in(&function.package_dir);
        if paths.is_empty() {
            paths = templates_in(&project.workspace_root);
        }
        for path in paths {
            add(path, index);
        }
    }
    Ok(found)
}

fn templates_in(dir: &Path) -> Vec<PathBuf> {
    TEMPLATE_NAMES
        .iter()
        .map(|name| dir.join(name))
        .filter(|path| path.is_file())
        .map(|path| normalize(&path))
        .collect()
}

/// `path` made absolute and free of `.` and `..`, without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("/"))
            .join(path)
    };
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Checks one template file and prints its diagnostics.
pub fn check_file(path: &Path, expectations: &Expectations, ui: &Ui) -> Result<(Outcome, String)> {
    let text = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
    let text = String::from_utf8(text).map_err(|e| {
        Error::new(
            ErrorKind::Check,
            format!(
                "{} is not UTF-8 text (invalid byte at offset {})",
                path.display(),
                e.utf8_error().valid_up_to()
            ),
        )
        .help("save the template as UTF-8")
    })?;
    let display = display_path(path);
    let outcome = check_template(&display, &text, expectations);
    report(&display, &text, &outcome, ui);
    Ok((outcome, display))
}

/// The path as the user would type it: relative to the current folder when inside it.
pub fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    cwd.and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
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

/// `cargo fc check`.
/// What `cargo fc check` is asked for.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// The template to check instead of the ones next to the package.
    pub template: Option<PathBuf>,
    /// Fail on warnings too.
    pub deny_warnings: bool,
}

pub fn command(selection: &Selection, args: &CheckOptions, ui: &Ui) -> Result<()> {
    let project = load_project(selection, args.template.is_some())?;
    let targets: Vec<(PathBuf, Expectations)> = match (&args.template, &project) {
        (Some(path), project) => {
            if !path.is_file() {
                return Err(
                    Error::config(format!("template {} does not exist", path.display()))
                        .help("pass --template the path of a template.yml or s.yaml"),
                );
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
                return Err(no_template_error(project));
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
            let cwd = std::env::current_dir().map_err(|e| Error::io("read", Path::new("."), e))?;
            let paths = templates_in(&cwd);
            if paths.is_empty() {
                return Err(Error::config(format!(
                    "no cargo project and no template here (looked for {})",
                    TEMPLATE_NAMES.join(", ")
                ))
                .help("run cargo fc check in a package folder, or pass --template FILE"));
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
        let (outcome, display) = check_file(path, expectations, ui)?;
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
    let mut error = Error::new(
        ErrorKind::Check,
        format!("template check failed: {}", failed.join("; ")),
    );
    if errors == 0 && warnings > 0 {
        error =
            error.help("--deny-warnings turns warnings into failures; fix them or drop the flag");
    } else {
        error =
            error.help("fix the errors above; `cargo fc check` runs offline and in milliseconds");
    }
    Err(error)
}

fn no_template_error(project: &Project) -> Error {
    let dirs: Vec<String> = project
        .functions
        .iter()
        .map(|f| f.package_dir.display().to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    Error::config(format!(
        "no template found: looked for {} in {}",
        TEMPLATE_NAMES.join(", "),
        dirs.join(", ")
    ))
    .help("pass --template FILE, or set `template = \"path\"` in [package.metadata.fc]")
}

/// The cargo project, or `None` when there is none and the caller can do without one.
fn load_project(selection: &Selection, have_template: bool) -> Result<Option<Project>> {
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
            // A template can be checked on its own; a broken project must not hide its findings.
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
        return Err(Error::new(
            ErrorKind::Check,
            format!("{display} is not a template cargo fc can deploy"),
        )
        .help("fix the errors above"));
    };
    if outcome.errors() > 0 {
        return Err(Error::new(
            ErrorKind::Check,
            format!("not deploying: {}", summary(&display, &outcome)),
        )
        .help("fix the errors above; `cargo fc check` shows them again"));
    }
    ui.status("Checked", summary(&display, &outcome));
    Ok(format)
}

/// The format of a template file, read cheaply (for choosing a deploy tool).
pub fn format_of(path: &Path) -> Result<Option<Format>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io("read", path, e))?;
    let expectations = Expectations::default();
    Ok(check_template(&display_path(path), &text, &expectations).format)
}
