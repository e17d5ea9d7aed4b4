//! Diagnostics as people read them (compiler style, with the source line and a caret) and as
//! tools read them (one JSON object each).

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{Diagnostic, Severity};

const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const BLUE: &str = "\x1b[1;34m";
const BOLD: &str = "\x1b[1m";

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
    let paint = |style: &str, text: &str| crate::ui::paint(color, style, text);
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
        let pad = " ".repeat(diagnostic.line.to_string().len());
        if let Some(line) = lines.get(diagnostic.line - 1) {
            let width = if diagnostic.end_line == diagnostic.line {
                diagnostic.end_column.saturating_sub(diagnostic.column)
            } else {
                usize::MAX
            };
            out.push_str(&crate::ui::snippet(
                line,
                diagnostic.line,
                diagnostic.column,
                width,
                style,
                color,
            ));
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
        assert!(snippet.chars().count() <= 160 + 2, "{snippet}");
        assert!(snippet.starts_with('…') && snippet.ends_with('…'));
        let under: String = snippet
            .chars()
            .skip(caret.find('^').unwrap())
            .take(3)
            .collect();
        assert_eq!(under, "bad");
        assert_eq!(caret.trim(), "^^^");
    }
}
