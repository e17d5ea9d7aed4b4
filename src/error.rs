//! Every failure a user can cause, each kind with its documented exit code.
//!
//! Programming errors panic; everything that bad input, a missing tool or a failed build can
//! cause ends up here and is printed as one line saying what failed, where, and what to do.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

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

/// A file position an error applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub line: Option<usize>,
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
        self.0.location = Some(Location {
            file: file.into(),
            line,
        });
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
}

/// `io::Error`'s Display without the `(os error 2)` suffix, which tells a user nothing.
fn describe_io(error: &io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(cut) => text[..cut].to_string(),
        None => text,
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
