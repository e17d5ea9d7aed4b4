//! Diagnostics as people read them (compiler style, with the source line and a caret) and as
//! tools read them (one JSON object each).

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{Diagnostic, Severity};

const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const BLUE: &str = "\x1b[1;34m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// Renders diagnostics like a compiler:
///
/// ```text
/// template.yml:9:23: error: Handler "in dex" contains a space at column 23
///    |
///  9 |         Handler: in dex
///    |                    ^
///    = help: use only letters, digits and _ . - : / (…)
/// ```
pub fn render_human(file: &str, source: &str, diagnostics: &[Diagnostic], color: bool) -> String {
    let paint = |style: &str, text: &str| {
        if color {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    };
    let source = super::normalize_breaks(source.strip_prefix('\u{feff}').unwrap_or(source));
    let lines: Vec<&str> = source.split('\n').collect();
    let mut out = String::new();
    for diagnostic in diagnostics {
        let (style, label) = match diagnostic.severity {
            Severity::Error => (RED, "error"),
            Severity::Warning => (YELLOW, "warning"),
        };
        let _ = writeln!(
            out,
            "{}: {}: {}",
            paint(
                BOLD,
                &format!("{file}:{}:{}", diagnostic.line, diagnostic.column)
            ),
            paint(style, label),
            paint(BOLD, &diagnostic.message)
        );
        let number = diagnostic.line.to_string();
        let pad = " ".repeat(number.len());
        if let Some(line) = lines.get(diagnostic.line - 1) {
            // A tab is one column to the parser; one space keeps the caret under it.
            let chars: Vec<char> = line
                .trim_end()
                .chars()
                .map(|c| if c == '\t' { ' ' } else { c })
                .collect();
            let length = chars.len();
            let start = diagnostic.column - 1;
            let width = if diagnostic.end_line == diagnostic.line {
                diagnostic.end_column.saturating_sub(diagnostic.column)
            } else {
                length.saturating_sub(start)
            }
            .max(1);
            let (shown, start, width) = window(&chars, start, width);
            let _ = writeln!(out, "{pad} {}", paint(BLUE, "|"));
            let _ = writeln!(
                out,
                "{} {} {}",
                paint(BLUE, &number),
                paint(BLUE, "|"),
                shown
            );
            let _ = writeln!(
                out,
                "{pad} {} {}{}",
                paint(BLUE, "|"),
                " ".repeat(start),
                paint(style, &"^".repeat(width))
            );
        }
        if !diagnostic.help.is_empty() {
            let _ = writeln!(out, "{pad} {} help: {}", paint(BLUE, "="), diagnostic.help);
        }
        out.push('\n');
    }
    out
}

/// The widest source line shown whole; longer ones (a whole template on one line) are shown as
/// this much around the caret.
const SNIPPET_WIDTH: usize = 160;

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

/// One diagnostic as a JSON message for `--message-format json`.
pub fn to_json(file: &str, diagnostic: &Diagnostic) -> Value {
    json!({
        "reason": "template-diagnostic",
        "file": file,
        "line": diagnostic.line,
        "column": diagnostic.column,
        "end_line": diagnostic.end_line,
        "end_column": diagnostic.end_column,
        "severity": diagnostic.severity.name(),
        "rule": diagnostic.rule,
        "message": diagnostic.message,
        "help": diagnostic.help,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deployment::{Pos, Span};

    #[test]
    fn a_long_line_is_cut_around_the_caret() {
        let line = format!("key: {}bad{}", "a".repeat(10_000), "b".repeat(10_000));
        let at = line.find("bad").unwrap();
        let span = Span {
            start: Pos::new(1, at),
            end: Pos::new(1, at + 3),
        };
        let diagnostic = Diagnostic::new(Severity::Error, "x", span, "bad", "fix it");
        let rendered = render_human("t.yml", &line, &[diagnostic], false);
        let lines: Vec<&str> = rendered.lines().collect();
        let snippet = lines[2].split_once("| ").unwrap().1;
        let caret = lines[3].split_once("| ").unwrap().1;
        assert!(snippet.chars().count() <= SNIPPET_WIDTH + 2, "{snippet}");
        assert!(snippet.starts_with('…') && snippet.ends_with('…'));
        let under: String = snippet
            .chars()
            .skip(caret.find('^').unwrap())
            .take(3)
            .collect();
        assert_eq!(under, "bad");
        assert_eq!(caret.trim(), "^^^");
    }

    #[test]
    fn a_line_that_fits_is_shown_whole() {
        let (shown, start, width) = window(&"abc def".chars().collect::<Vec<_>>(), 4, 3);
        assert_eq!((shown.as_str(), start, width), ("abc def", 4, 3));
    }
}
