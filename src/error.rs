//! Every failure a user can cause, each kind with its documented exit code.
//!
//! Programming errors panic; everything that bad input, a missing tool or a failed build can
//! cause ends up here and is printed as one line saying what failed, where, and what to do.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// What went wrong, which decides the exit code (README: exit codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Reading or writing a file failed for a reason outside cargo fc's control.
    Io,
    /// Bad command-line arguments, configuration or project layout.
    Config,
    /// The verify step rejected a built executable.
    Verify,
    /// The package could not be written (unsafe entry, duplicate, too large).
    Pack,
    /// A tool cargo fc needs is missing, or the Docker engine cannot be reached.
    Tool,
    /// The deployment template has errors.
    Check,
    /// The function failed when run locally: it reported failure, crashed, timed out or ran
    /// out of memory.
    Function,
    /// Cargo reported a failed build; its own messages are already on screen.
    Build,
    /// Interrupted by Ctrl-C.
    Interrupted,
}

impl ErrorKind {
    pub fn exit_code(self) -> i32 {
        match self {
            ErrorKind::Io => 1,
            ErrorKind::Config => 2,
            ErrorKind::Verify => 3,
            ErrorKind::Pack => 4,
            ErrorKind::Tool => 5,
            ErrorKind::Check => 6,
            ErrorKind::Function => 7,
            ErrorKind::Build => 101,
            ErrorKind::Interrupted => 130,
        }
    }
}

/// Boxed so that `Result<T, Error>` stays small on the happy path.
#[derive(Debug)]
pub struct Error(Box<Details>);

#[derive(Debug)]
pub struct Details {
    pub kind: ErrorKind,
    pub message: String,
    pub location: Option<Location>,
    /// Extra lines of detail shown under the message (offending symbols, the runtime's ceiling).
    pub notes: Vec<String>,
    /// What to do about it.
    pub help: Option<String>,
    /// An exit code that overrides the kind's, e.g. a deploy tool's own status.
    pub exit_code: Option<i32>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self(Box::new(Details {
            kind,
            message: message.into(),
            location: None,
            notes: Vec::new(),
            help: None,
            exit_code: None,
        }))
    }

    pub fn config(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Config, message)
    }

    pub fn tool(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Tool, message)
    }

    pub fn pack(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Pack, message)
    }

    /// An I/O failure on `path`, phrased as what cargo fc was doing.
    pub fn io(action: &str, path: &Path, source: io::Error) -> Self {
        Self::new(
            ErrorKind::Io,
            format!(
                "could not {action} {}: {}",
                path.display(),
                describe_io(&source)
            ),
        )
    }

    pub fn at(mut self, file: impl Into<PathBuf>, line: Option<usize>) -> Self {
        self.0.location = Some(Location::line(file, line));
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.0.notes.push(note.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.0.help = Some(help.into());
        self
    }

    pub fn with_exit_code(mut self, code: i32) -> Self {
        self.0.exit_code = Some(code);
        self
    }

    pub fn exit_code(&self) -> i32 {
        self.exit_code.unwrap_or_else(|| self.kind.exit_code())
    }

    /// The error as one `--message-format json` message.
    pub fn to_json(&self) -> serde_json::Value {
        let location = self.location.as_ref();
        serde_json::json!({
            "reason": "error",
            "exit_code": self.exit_code(),
            "message": self.message,
            "file": location.map(|l| &l.file),
            "line": location.and_then(|l| l.line),
            "column": location.and_then(|l| l.column),
            "notes": self.notes,
            "help": self.help,
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = &self.location {
            match location.line {
                Some(line) => write!(f, "{}:{line}: ", location.file.display())?,
                None => write!(f, "{}: ", location.file.display())?,
            }
        }
        f.write_str(&self.message)?;
        for note in &self.notes {
            write!(f, "\n  {note}")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\nhelp: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl std::ops::Deref for Error {
    type Target = Details;

    fn deref(&self) -> &Details {
        &self.0
    }
}

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

/// Transitional: a stage's typed failure carried in the older message-based error.
impl<F: Failure> From<F> for Error {
    fn from(failure: F) -> Self {
        let kind = match failure.exit() {
            Exit::Io => ErrorKind::Io,
            Exit::Usage => ErrorKind::Config,
            Exit::Verify => ErrorKind::Verify,
            Exit::Pack => ErrorKind::Pack,
            Exit::Tool | Exit::Deploy => ErrorKind::Tool,
            Exit::Template => ErrorKind::Check,
            Exit::Function => ErrorKind::Function,
            Exit::Build => ErrorKind::Build,
            Exit::Interrupted => ErrorKind::Interrupted,
        };
        let mut error = Error::new(kind, failure.to_string()).with_exit_code(failure.exit().code());
        error.0.location = failure.location();
        error.0.notes = failure.notes();
        error.0.help = failure.help();
        error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_puts_the_location_first_and_help_last() {
        let error = Error::config("unknown key `runtim` in [package.metadata.fc]")
            .at("/p/Cargo.toml", Some(9))
            .help("did you mean `runtime`?");
        assert_eq!(
            error.to_string(),
            "/p/Cargo.toml:9: unknown key `runtim` in [package.metadata.fc]\nhelp: did you mean `runtime`?"
        );
        assert_eq!(error.exit_code(), 2);
    }

    #[test]
    fn io_errors_drop_the_os_error_number() {
        let source = io::Error::from_raw_os_error(2);
        let error = Error::io("read", Path::new("x.txt"), source);
        assert_eq!(
            error.to_string(),
            "could not read x.txt: No such file or directory"
        );
    }
}
