//! Every failure a user can cause, each with its documented exit code.
//!
//! Programming errors panic; everything that bad input, a missing tool or a failed build can
//! cause is a [`Failure`]: a value of one stage's own error enum (`ProjectError`, `PackError`, …),
//! carrying structured fields rather than prose. [`Error`] holds any of them, so stages compose
//! without importing each other, and both the human rendering and the JSON form (see
//! [`Error::to_json`]) are made from the same value.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// cargo fc's exit statuses (README: exit codes). A failure's status is decided by what kind of
/// thing went wrong, never by which code path noticed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Exit {
    /// Reading or writing a file failed for a reason outside cargo fc's control.
    Io,
    /// Bad command-line arguments, configuration or project layout.
    Usage,
    /// The verify step rejected a built executable or library.
    Verify,
    /// The package could not be written (unsafe entry, duplicate, too large).
    Pack,
    /// A tool cargo fc needs is missing, or the Docker engine cannot be reached.
    Tool,
    /// The deployment template has errors.
    Template,
    /// The function failed when run: it reported failure, crashed, timed out or ran out of
    /// memory.
    Function,
    /// Deploying failed: the FC API refused a request, or the deploy tool cargo fc handed over
    /// to failed (its own status is in the message).
    Deploy,
    /// Cargo reported a failed build; its own messages are already on screen.
    Build,
    /// Interrupted by Ctrl-C or SIGTERM.
    Interrupted,
}

impl Exit {
    pub fn code(self) -> i32 {
        match self {
            Exit::Io => 1,
            Exit::Usage => 2,
            Exit::Verify => 3,
            Exit::Pack => 4,
            Exit::Tool => 5,
            Exit::Template => 6,
            Exit::Function => 7,
            Exit::Deploy => 8,
            Exit::Build => 101,
            Exit::Interrupted => 130,
        }
    }
}

/// A place in a file that a failure applies to. Lines and columns are 1-based; the column
/// counts characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// How many characters from `column` the offending value covers, for the caret line.
    pub width: Option<usize>,
}

impl Location {
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Self {
            file: file.into(),
            line: None,
            column: None,
            width: None,
        }
    }

    pub fn line(file: impl Into<PathBuf>, line: Option<usize>) -> Self {
        Self {
            line,
            ..Self::file(file)
        }
    }
}

/// What every user-caused failure says about itself. The `Display` text is the one-line
/// message: what failed, in the user's terms.
pub trait Failure: fmt::Display + fmt::Debug + Send + Sync + 'static {
    /// The exit status this failure ends cargo fc with.
    fn exit(&self) -> Exit;

    /// A stable name for the failure, e.g. `project.unknown-key`: what JSON consumers and tests
    /// match on instead of the message's wording.
    fn kind(&self) -> &'static str;

    /// Where in which file the problem is, when it is in a file.
    fn location(&self) -> Option<Location> {
        None
    }

    /// Lines of detail shown under the message (offending symbols, the runtime's ceiling).
    fn notes(&self) -> Vec<String> {
        Vec::new()
    }

    /// What to do about it.
    fn help(&self) -> Option<String> {
        None
    }

    /// The failure's own structured fields, for the JSON form.
    fn details(&self) -> serde_json::Value {
        serde_json::Value::Null
    }

    /// For [`Error::downcast_ref`].
    fn as_any(&self) -> &dyn std::any::Any;
}

/// Implements [`Failure::as_any`]; every implementation's is the same line.
macro_rules! failure_any {
    () => {
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    };
}
pub(crate) use failure_any;

/// An `io::Error` as a user reads it: its description without the `(os error N)` suffix, which
/// tells a user nothing. This is the one place that suffix is stripped.
pub fn describe_io(error: &io::Error) -> String {
    strip_os_error(&error.to_string())
}

/// `text` without a trailing ` (os error N)`.
pub fn strip_os_error(text: &str) -> String {
    match text.find(" (os error") {
        Some(cut) => text[..cut].to_string(),
        None => text.to_string(),
    }
}

/// A file operation that failed for a reason outside cargo fc's control (exit 1).
#[derive(Debug)]
pub struct IoError {
    /// What cargo fc was doing, as a verb phrase: "read", "create a temporary folder in".
    pub action: String,
    pub path: PathBuf,
    pub source: io::Error,
}

impl IoError {
    pub fn new(action: impl Into<String>, path: &Path, source: io::Error) -> Self {
        Self {
            action: action.into(),
            path: path.to_path_buf(),
            source,
        }
    }
}

impl fmt::Display for IoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not {} {}: {}",
            self.action,
            self.path.display(),
            describe_io(&self.source)
        )
    }
}

impl Failure for IoError {
    fn exit(&self) -> Exit {
        Exit::Io
    }

    fn kind(&self) -> &'static str {
        "io"
    }

    fn details(&self) -> serde_json::Value {
        serde_json::json!({
            "action": self.action,
            "path": self.path,
            "error": describe_io(&self.source),
        })
    }

    failure_any!();
}

/// Shorthand for the most common failure: `map_err(io("read", path))`.
pub fn io<'p>(action: &'static str, path: &'p Path) -> impl FnOnce(io::Error) -> Error + 'p {
    move |source| IoError::new(action, path, source).into()
}

/// Ctrl-C or SIGTERM stopped the command (exit 130). `what` says what was cleaned up.
#[derive(Debug)]
pub struct Interrupted {
    pub cleaned_up: Option<String>,
}

impl fmt::Display for Interrupted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.cleaned_up {
            Some(what) => write!(f, "interrupted; {what}"),
            None => f.write_str("interrupted"),
        }
    }
}

impl Failure for Interrupted {
    fn exit(&self) -> Exit {
        Exit::Interrupted
    }

    fn kind(&self) -> &'static str {
        "interrupted"
    }

    failure_any!();
}

/// Any failure, boxed so that `Result<T, Error>` stays small on the happy path.
#[derive(Debug)]
pub struct Error(Box<dyn Failure>);

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl<F: Failure> From<F> for Error {
    fn from(failure: F) -> Self {
        Self(Box::new(failure))
    }
}

impl Error {
    pub fn failure(&self) -> &dyn Failure {
        &*self.0
    }

    /// The stage's own error value, when it is of type `F`.
    pub fn downcast_ref<F: Failure>(&self) -> Option<&F> {
        self.0.as_any().downcast_ref()
    }

    pub fn exit(&self) -> Exit {
        self.0.exit()
    }

    pub fn exit_code(&self) -> i32 {
        self.0.exit().code()
    }

    pub fn kind(&self) -> &'static str {
        self.0.kind()
    }

    pub fn location(&self) -> Option<Location> {
        self.0.location()
    }

    pub fn notes(&self) -> Vec<String> {
        self.0.notes()
    }

    pub fn help(&self) -> Option<String> {
        self.0.help()
    }

    /// The one-line message, without location, notes or help.
    pub fn message(&self) -> String {
        self.0.to_string()
    }

    /// The error as one `--message-format json` message.
    pub fn to_json(&self) -> serde_json::Value {
        let location = self.location();
        serde_json::json!({
            "reason": "error",
            "kind": self.kind(),
            "exit_code": self.exit_code(),
            "message": self.message(),
            "file": location.as_ref().map(|l| &l.file),
            "line": location.as_ref().and_then(|l| l.line),
            "column": location.as_ref().and_then(|l| l.column),
            "notes": self.notes(),
            "help": self.help(),
            "details": self.0.details(),
        })
    }
}

impl fmt::Display for Error {
    /// `file:line:column: message`, the notes indented under it, then `help: …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = self.location() {
            match (location.line, location.column) {
                (Some(line), Some(column)) => {
                    write!(f, "{}:{line}:{column}: ", location.file.display())?
                }
                (Some(line), None) => write!(f, "{}:{line}: ", location.file.display())?,
                _ => write!(f, "{}: ", location.file.display())?,
            }
        }
        write!(f, "{}", self.0)?;
        for note in self.notes() {
            write!(f, "\n  {note}")?;
        }
        if let Some(help) = self.help() {
            write!(f, "\nhelp: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct UnknownKey;

    impl fmt::Display for UnknownKey {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("unknown key `runtim` in [package.metadata.fc]")
        }
    }

    impl Failure for UnknownKey {
        fn exit(&self) -> Exit {
            Exit::Usage
        }
        fn kind(&self) -> &'static str {
            "test.unknown-key"
        }
        fn location(&self) -> Option<Location> {
            Some(Location::line("/p/Cargo.toml", Some(9)))
        }
        fn help(&self) -> Option<String> {
            Some("did you mean `runtime`?".into())
        }
        failure_any!();
    }

    #[test]
    fn display_puts_the_location_first_and_help_last() {
        let error = Error::from(UnknownKey);
        assert_eq!(
            error.to_string(),
            "/p/Cargo.toml:9: unknown key `runtim` in [package.metadata.fc]\nhelp: did you mean `runtime`?"
        );
        assert_eq!(error.exit_code(), 2);
        assert!(error.downcast_ref::<UnknownKey>().is_some());
        assert!(error.downcast_ref::<IoError>().is_none());
    }

    #[test]
    fn json_and_human_forms_come_from_the_same_value() {
        let json = Error::from(UnknownKey).to_json();
        assert_eq!(json["reason"], "error");
        assert_eq!(json["kind"], "test.unknown-key");
        assert_eq!(json["line"], 9);
        assert_eq!(json["help"], "did you mean `runtime`?");
        assert_eq!(json["exit_code"], 2);
    }

    #[test]
    fn io_errors_drop_the_os_error_number() {
        let error = Error::from(IoError::new(
            "read",
            Path::new("x.txt"),
            io::Error::from_raw_os_error(2),
        ));
        assert_eq!(
            error.to_string(),
            "could not read x.txt: No such file or directory"
        );
        assert_eq!(error.exit_code(), 1);
    }
}
