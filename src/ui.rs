//! What cargo fc shows: cargo-style status lines, warnings, progress bars and JSON messages.
//!
//! Human output goes to stderr so that stdout carries only results (JSON messages, a function's
//! response); progress bars appear only on a terminal, never under `CI` or `--quiet`.

use std::fmt::Display;
use std::io::{IsTerminal, Write};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::error::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when stderr is a terminal and `NO_COLOR` is not set.
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum MessageFormat {
    /// Status lines for people, on stderr.
    #[default]
    Human,
    /// One JSON object per result on stdout; human lines stay on stderr.
    Json,
}

#[derive(Debug, Clone)]
pub struct Ui {
    verbosity: u8,
    quiet: bool,
    color: bool,
    json: bool,
    progress: bool,
}

const GREEN: &str = "\x1b[1;32m";
const YELLOW: &str = "\x1b[1;33m";
const RED: &str = "\x1b[1;31m";
const CYAN: &str = "\x1b[1;36m";
const BLUE: &str = "\x1b[1;34m";
const RESET: &str = "\x1b[0m";

impl Ui {
    pub fn new(verbosity: u8, quiet: bool, color: ColorChoice, format: MessageFormat) -> Self {
        let terminal = std::io::stderr().is_terminal();
        let color = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && std::env::var_os("NO_COLOR").is_none(),
        };
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
        Self {
            verbosity,
            quiet,
            color,
            json: format == MessageFormat::Json,
            progress: terminal && !ci && !quiet,
        }
    }

    /// A Ui that prints nothing but errors, for library callers and tests.
    pub fn silent() -> Self {
        Self {
            verbosity: 0,
            quiet: true,
            color: false,
            json: false,
            progress: false,
        }
    }

    pub fn is_json(&self) -> bool {
        self.json
    }

    pub fn is_quiet(&self) -> bool {
        self.quiet
    }

    pub fn verbosity(&self) -> u8 {
        self.verbosity
    }

    pub fn color(&self) -> bool {
        self.color
    }

    fn paint(&self, style: &str, text: &str) -> String {
        paint(self.color, style, text)
    }

    /// A cargo-style line: a right-aligned verb in green, then the message.
    pub fn status(&self, verb: &str, message: impl Display) {
        if !self.quiet {
            eprintln!("{} {message}", self.paint(GREEN, &format!("{verb:>12}")));
        }
    }

    /// A status line shown only with `-v`.
    pub fn detail(&self, verb: &str, message: impl Display) {
        if self.verbosity > 0 {
            eprintln!("{} {message}", self.paint(CYAN, &format!("{verb:>12}")));
        }
    }

    pub fn warn(&self, message: impl Display) {
        if !self.quiet {
            eprintln!("{}: {message}", self.paint(YELLOW, "warning"));
        }
    }

    /// An error that ends the command: on stderr for people, and as a JSON message on stdout
    /// under `--message-format json`.
    pub fn error(&self, error: &Error) {
        let text = error.to_string();
        let shown = error.location().and_then(|at| {
            let (line, column) = (at.line?, at.column?);
            Some((line, column, at.width, source_line(&at.file, line)?))
        });
        match shown {
            // The offending line goes under the message and above the notes and help, as in a
            // template diagnostic.
            Some((line, column, width, source)) => {
                let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
                let snippet = snippet(&source, line, column, width.unwrap_or(1), RED, self.color);
                let rest = if rest.is_empty() {
                    String::new()
                } else {
                    format!("{rest}\n")
                };
                eprint!("{}: {first}\n{snippet}{rest}", self.paint(RED, "error"));
            }
            None => eprintln!("{}: {text}", self.paint(RED, "error")),
        }
        self.json(&error.to_json());
    }

    /// One JSON message on stdout, when `--message-format json` asked for them.
    pub fn json(&self, value: &serde_json::Value) {
        if self.json {
            let mut stdout = std::io::stdout().lock();
            // A closed stdout (piped into `head`) is the reader's choice, not an error of ours.
            let _ = writeln!(stdout, "{value}");
            let _ = stdout.flush();
        }
    }

    /// A spinner for a phase of unknown length.
    pub fn spinner(&self, message: impl Into<String>) -> Progress {
        if !self.progress {
            return Progress(None);
        }
        let bar = ProgressBar::new_spinner().with_message(message.into());
        bar.set_style(
            ProgressStyle::with_template("{spinner:.green} {msg} {elapsed:.dim}")
                .expect("the spinner template is valid"),
        );
        bar.enable_steady_tick(Duration::from_millis(100));
        Progress(Some(bar))
    }

    /// A bar counting bytes, for zipping.
    pub fn bytes_bar(&self, total: u64, message: impl Into<String>) -> Progress {
        if !self.progress {
            return Progress(None);
        }
        let bar = ProgressBar::new(total).with_message(message.into());
        bar.set_style(
            ProgressStyle::with_template(
                "{msg} [{bar:30.green}] {bytes}/{total_bytes} {bytes_per_sec} {eta}",
            )
            .expect("the bar template is valid")
            .progress_chars("=> "),
        );
        Progress(Some(bar))
    }
}

/// `text` in an ANSI `style` when `color` is on.
pub fn paint(color: bool, style: &str, text: &str) -> String {
    if color {
        format!("{style}{text}{RESET}")
    } else {
        text.to_string()
    }
}

/// The widest source line shown whole; longer ones (a whole template on one line) are shown as
/// this much around the caret.
const SNIPPET_WIDTH: usize = 160;

/// The offending source line with a caret under `width` characters from `column` (1-based), as
/// compilers show it; the one renderer of template diagnostics and of errors in Cargo.toml.
///
/// ```text
///   |
/// 6 | runtime = "nope"
///   | ^^^^^^^
/// ```
pub fn snippet(
    line: &str,
    number: usize,
    column: usize,
    width: usize,
    caret_style: &str,
    color: bool,
) -> String {
    let paint = |style: &str, text: &str| paint(color, style, text);
    // A tab is one column to the parsers; one space keeps the caret under it.
    let chars: Vec<char> = line
        .trim_end()
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    let start = column.saturating_sub(1).min(chars.len());
    let width = width.min(chars.len().saturating_sub(start)).max(1);
    let (shown, start, width) = window(&chars, start, width);
    let number = number.to_string();
    let pad = " ".repeat(number.len());
    format!(
        "{pad} {bar}\n{} {bar} {shown}\n{pad} {bar} {}{}\n",
        paint(BLUE, &number),
        " ".repeat(start),
        paint(caret_style, &"^".repeat(width)),
        bar = paint(BLUE, "|"),
    )
}

/// The part of a source line to show, and where the caret goes in it: the whole line when it
/// fits, else a window around the caret with `…` where it was cut.
fn window(line: &[char], start: usize, width: usize) -> (String, usize, usize) {
    if line.len() <= SNIPPET_WIDTH {
        return (line.iter().collect(), start, width);
    }
    let begin = start
        .saturating_sub(SNIPPET_WIDTH / 4)
        .min(line.len() - SNIPPET_WIDTH);
    let end = begin + SNIPPET_WIDTH;
    let mut shown = String::new();
    if begin > 0 {
        shown.push('…');
    }
    shown.extend(&line[begin..end]);
    if end < line.len() {
        shown.push('…');
    }
    let caret = start - begin + usize::from(begin > 0);
    (shown, caret, width.min(end.saturating_sub(start)).max(1))
}

/// Line `number` (1-based) of a file, for showing under an error; `None` when the file cannot
/// be read or is too large to be a configuration file.
fn source_line(path: &std::path::Path, number: usize) -> Option<String> {
    const LARGEST: u64 = 16 << 20;
    if std::fs::metadata(path).ok()?.len() > LARGEST {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    text.lines().nth(number.checked_sub(1)?).map(str::to_string)
}

/// A size in decimal units, as FC's limits are written (100 MB = 100,000,000 bytes).
pub fn human_size(bytes: u64) -> String {
    indicatif::DecimalBytes(bytes).to_string()
}

/// A word as a POSIX shell would take it back: quoted only when it has to be.
pub fn shell_quote(arg: &str) -> String {
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

/// The known name closest to a misspelt one, if it is close enough to be a typo: the "did you
/// mean" of every message that names a key or a value.
pub fn closest<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    // Names are short; a long word cannot be a typo of one, and comparing it costs its length
    // times theirs.
    if word.len() > 64 {
        return None;
    }
    known
        .iter()
        .filter(|k| k.len().abs_diff(word.len()) <= 2.max(k.len() / 3))
        .map(|k| (strsim::levenshtein(word, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// A progress display that may be absent (not a terminal, `CI`, `--quiet`).
pub struct Progress(Option<ProgressBar>);

impl Progress {
    pub fn set_message(&self, message: impl Into<String>) {
        if let Some(bar) = &self.0 {
            bar.set_message(message.into());
        }
    }

    pub fn inc(&self, delta: u64) {
        if let Some(bar) = &self.0 {
            bar.inc(delta);
        }
    }

    /// Prints a line above the bar, or straight to stderr when there is no bar.
    pub fn println(&self, line: &str) {
        match &self.0 {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod snippet_tests {
    use super::*;

    #[test]
    fn a_line_that_fits_is_shown_whole() {
        let (shown, start, width) = window(&"abc def".chars().collect::<Vec<_>>(), 4, 3);
        assert_eq!((shown.as_str(), start, width), ("abc def", 4, 3));
    }

    #[test]
    fn the_caret_stays_on_the_line_past_its_end() {
        let shown = snippet("runtime = 1", 6, 40, 3, RED, false);
        assert_eq!(shown, "  |\n6 | runtime = 1\n  |            ^\n");
    }
}
