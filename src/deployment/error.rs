//! The failures of finding, reading and checking a template file. Problems *in* a template are
//! [`super::Diagnostic`]s; these are the few that stop before or after them.

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::error::{Exit, Failure, Location, describe_io, failure_any};

/// What a path that should be a template file is instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    /// Nothing is there.
    Missing,
    Directory,
    /// A named pipe: reading it would wait for a writer.
    Fifo,
    Socket,
    Device,
    /// A symbolic link that leads back to itself.
    SymlinkLoop,
    /// A symbolic link to something that does not exist.
    DanglingSymlink(PathBuf),
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileKind::Missing => f.write_str("does not exist"),
            FileKind::Directory => f.write_str("is a directory, not a file"),
            FileKind::Fifo => f.write_str("is a FIFO (named pipe), not a file"),
            FileKind::Socket => f.write_str("is a socket, not a file"),
            FileKind::Device => f.write_str("is a device, not a file"),
            FileKind::SymlinkLoop => f.write_str("is a symbolic link that loops back on itself"),
            FileKind::DanglingSymlink(target) => write!(
                f,
                "is a symbolic link to {}, which does not exist",
                target.display()
            ),
        }
    }
}

#[derive(Debug)]
pub enum TemplateError {
    /// `--template PATH` names no readable file.
    NotAFile {
        path: PathBuf,
        kind: FileKind,
    },
    /// `template` in `[package.metadata.fc]` names no readable file.
    ConfiguredNotAFile {
        path: PathBuf,
        kind: FileKind,
        manifest: PathBuf,
        line: Option<usize>,
    },
    /// Reading the file failed.
    Read {
        path: PathBuf,
        source: io::Error,
    },
    NotUtf8 {
        path: PathBuf,
        offset: usize,
    },
    /// A project's packages have no template next to them.
    NoTemplate {
        looked_in: Vec<PathBuf>,
    },
    /// No cargo project and no template in the current folder.
    NothingHere,
    /// The file is not a template cargo fc can read (the diagnostics say why).
    NotATemplate {
        file: String,
    },
    /// The file cannot be read as a template: its first problem.
    Unreadable {
        file: String,
        line: usize,
        column: usize,
        problem: String,
    },
    /// A setting the local emulator needs has a value FC would refuse.
    Unusable {
        file: String,
        line: usize,
        column: usize,
        setting: String,
        found: String,
    },
    /// `cargo fc check` found errors (or warnings, with `--deny-warnings`).
    CheckFailed {
        /// One summary per failed file: `s.yaml: 2 errors, 0 warnings`.
        files: Vec<String>,
        warnings_only: bool,
    },
    /// `cargo fc deploy` found errors in the template.
    NotDeploying {
        summary: String,
    },
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TemplateError::NotAFile { path, kind } => {
                write!(f, "template {} {kind}", path.display())
            }
            TemplateError::ConfiguredNotAFile { path, kind, .. } => write!(
                f,
                "`template` in [package.metadata.fc] names {}, which {kind}",
                path.display(),
            ),
            TemplateError::Read { path, source } => {
                write!(
                    f,
                    "could not read {}: {}",
                    path.display(),
                    describe_io(source)
                )
            }
            TemplateError::NotUtf8 { path, offset } => write!(
                f,
                "{} is not UTF-8 text (invalid byte at offset {offset})",
                path.display()
            ),
            TemplateError::NoTemplate { looked_in } => write!(
                f,
                "no template found: looked for {} in {}",
                super::TEMPLATE_NAMES.join(", "),
                looked_in
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            TemplateError::NothingHere => write!(
                f,
                "no cargo project and no template here (looked for {})",
                super::TEMPLATE_NAMES.join(", ")
            ),
            TemplateError::NotATemplate { file } => {
                write!(f, "{file} is not a template cargo fc can deploy")
            }
            // The position is the failure's location, printed before the message.
            TemplateError::Unreadable { problem, .. } => f.write_str(problem),
            TemplateError::Unusable { setting, found, .. } => {
                write!(f, "{setting} is {found}, which FC would refuse")
            }
            TemplateError::CheckFailed { files, .. } => {
                write!(f, "template check failed: {}", files.join("; "))
            }
            TemplateError::NotDeploying { summary } => write!(f, "not deploying: {summary}"),
        }
    }
}

impl Failure for TemplateError {
    fn exit(&self) -> Exit {
        match self {
            TemplateError::NotAFile { .. }
            | TemplateError::ConfiguredNotAFile { .. }
            | TemplateError::NoTemplate { .. }
            | TemplateError::NothingHere => Exit::Usage,
            TemplateError::Read { .. } => Exit::Io,
            TemplateError::NotUtf8 { .. }
            | TemplateError::NotATemplate { .. }
            | TemplateError::Unreadable { .. }
            | TemplateError::Unusable { .. }
            | TemplateError::CheckFailed { .. }
            | TemplateError::NotDeploying { .. } => Exit::Template,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            TemplateError::NotAFile { .. } => "template.not-a-file",
            TemplateError::ConfiguredNotAFile { .. } => "template.configured-not-a-file",
            TemplateError::Read { .. } => "template.read",
            TemplateError::NotUtf8 { .. } => "template.not-utf8",
            TemplateError::NoTemplate { .. } => "template.none-found",
            TemplateError::NothingHere => "template.nothing-here",
            TemplateError::NotATemplate { .. } => "template.not-a-template",
            TemplateError::Unreadable { .. } => "template.unreadable",
            TemplateError::Unusable { .. } => "template.unusable-setting",
            TemplateError::CheckFailed { .. } => "template.check-failed",
            TemplateError::NotDeploying { .. } => "template.not-deploying",
        }
    }

    fn location(&self) -> Option<Location> {
        match self {
            TemplateError::ConfiguredNotAFile { manifest, line, .. } => {
                Some(Location::line(manifest, *line))
            }
            TemplateError::Unreadable {
                file, line, column, ..
            }
            | TemplateError::Unusable {
                file, line, column, ..
            } => Some(Location {
                column: Some(*column),
                ..Location::line(file, Some(*line))
            }),
            _ => None,
        }
    }

    fn help(&self) -> Option<String> {
        Some(
            match self {
                TemplateError::NotAFile { kind: FileKind::Missing, .. } => {
                    "pass --template the path of a template.yml or s.yaml"
                }
                TemplateError::NotAFile { .. } => {
                    "pass --template the path of a template.yml or s.yaml file"
                }
                TemplateError::ConfiguredNotAFile { .. } => {
                    "the path is relative to the package's Cargo.toml; fix it or remove the key to use template.yml / s.yaml next to the package"
                }
                TemplateError::Read { .. } => return None,
                TemplateError::NotUtf8 { .. } => "save the template as UTF-8",
                TemplateError::NoTemplate { .. } => {
                    "pass --template FILE, or set `template = \"path\"` in [package.metadata.fc]"
                }
                TemplateError::NothingHere => {
                    "run cargo fc check in a package folder, or pass --template FILE"
                }
                TemplateError::NotATemplate { .. } => "fix the errors above",
                TemplateError::Unreadable { .. } | TemplateError::Unusable { .. } => {
                    "`cargo fc check --template FILE` shows every problem and what FC expects"
                }
                TemplateError::CheckFailed {
                    warnings_only: true,
                    ..
                } => "--deny-warnings turns warnings into failures; fix them or drop the flag",
                TemplateError::CheckFailed { .. } => {
                    "fix the errors above; `cargo fc check` runs offline and in milliseconds"
                }
                TemplateError::NotDeploying { .. } => {
                    "fix the errors above; `cargo fc check` shows them again"
                }
            }
            .to_string(),
        )
    }

    fn details(&self) -> serde_json::Value {
        use serde_json::json;
        match self {
            TemplateError::NotAFile { path, kind } => {
                json!({ "path": path, "problem": kind.to_string() })
            }
            TemplateError::ConfiguredNotAFile {
                path,
                kind,
                manifest,
                line,
            } => json!({
                "path": path,
                "problem": kind.to_string(),
                "manifest": manifest,
                "line": line,
            }),
            TemplateError::Read { path, source } => {
                json!({ "path": path, "error": describe_io(source) })
            }
            TemplateError::NotUtf8 { path, offset } => json!({ "path": path, "offset": offset }),
            TemplateError::NoTemplate { looked_in } => json!({ "looked_in": looked_in }),
            TemplateError::NothingHere => serde_json::Value::Null,
            TemplateError::NotATemplate { file } => json!({ "file": file }),
            TemplateError::Unreadable {
                file,
                line,
                column,
                problem,
            } => json!({ "file": file, "line": line, "column": column, "problem": problem }),
            TemplateError::Unusable {
                file,
                line,
                column,
                setting,
                found,
            } => json!({
                "file": file,
                "line": line,
                "column": column,
                "setting": setting,
                "found": found,
            }),
            TemplateError::CheckFailed {
                files,
                warnings_only,
            } => json!({ "files": files, "warnings_only": warnings_only }),
            TemplateError::NotDeploying { summary } => json!({ "summary": summary }),
        }
    }

    failure_any!();
}
