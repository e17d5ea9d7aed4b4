//! A problem found in a template, at a position in its text. The reader reports what it cannot
//! read (YAML syntax, duplicate keys, an unknown format); `check` adds what its rules find.

use super::yaml::Span;

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
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
    pub fn new(
        severity: Severity,
        rule: &'static str,
        span: Span,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        let (start, end) = (span.start, span.end);
        let line = start.line().max(1);
        let column = start.col() + 1;
        let (end_line, end_column) =
            if end.line() > line || (end.line() == line && end.col() > start.col()) {
                (end.line(), end.col() + 1)
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

    pub fn error(
        rule: &'static str,
        span: Span,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Error, rule, span, message, help)
    }

    pub fn warning(
        rule: &'static str,
        span: Span,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, rule, span, message, help)
    }
}
