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
            let shown: String = line
                .chars()
                .map(|c| if c == '\t' { ' ' } else { c })
                .collect();
            let length = shown.chars().count();
            let start = diagnostic.column - 1;
            let width = if diagnostic.end_line == diagnostic.line {
                diagnostic.end_column.saturating_sub(diagnostic.column)
            } else {
                length.saturating_sub(start)
            }
            .max(1);
            let _ = writeln!(out, "{pad} {}", paint(BLUE, "|"));
            let _ = writeln!(
                out,
                "{} {} {}",
                paint(BLUE, &number),
                paint(BLUE, "|"),
                shown.trim_end()
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
