//! Log lines in the format Function Compute's log service expects.
//!
//! Every request gets its own [`Logger`] (through [`Context::logger`](crate::Context::logger)),
//! so lines stay attributable when an instance runs many requests at once: there is no global
//! "current request".

use std::fmt::{self, Display};
use std::io::Write;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

// cargo fc's docs/platform.md: "One log line ≤ 32 KB". Longer lines are cut so that the service does not split them
// into fragments that no longer start with the request id.
const MAX_LINE: usize = 32 * 1024;

/// Where finished log lines go: stdout in production, a buffer in tests.
pub(crate) type Sink = Arc<dyn Fn(&str) + Send + Sync>;

pub(crate) fn stdout_sink() -> Sink {
    Arc::new(|line: &str| write_line(&mut std::io::stdout().lock(), line))
}

/// Where the log goes when stdout carries the result (a custom container's one-shot event).
pub(crate) fn stderr_sink() -> Sink {
    Arc::new(|line: &str| write_line(&mut std::io::stderr().lock(), line))
}

fn write_line(out: &mut impl Write, line: &str) {
    // One `write_all` under the lock, so lines of concurrent requests never mix mid-line.
    let mut buf = String::with_capacity(line.len() + 1);
    buf.push_str(line);
    buf.push('\n');
    // Nothing sensible can be done when the stream is gone; a log line must never fail a request.
    let _ = out.write_all(buf.as_bytes());
    let _ = out.flush();
}

/// Severity of a log line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// `[DEBUG]`: shown when `FC_LOG_LEVEL=debug`.
    Debug,
    /// `[INFO]`: the default level.
    Info,
    /// `[WARN]`.
    Warn,
    /// `[ERROR]`: also used for the line that reports a failed invocation.
    Error,
}

impl Level {
    fn as_str(self) -> &'static str {
        match self {
            Level::Debug => "DEBUG",
            Level::Info => "INFO",
            Level::Warn => "WARN",
            Level::Error => "ERROR",
        }
    }

    /// Reads `FC_LOG_LEVEL` (`debug`, `info`, `warn`, `error`); anything else means `info`.
    pub(crate) fn from_env() -> Level {
        Level::parse(std::env::var("FC_LOG_LEVEL").ok().as_deref())
    }

    pub(crate) fn parse(value: Option<&str>) -> Level {
        match value.map(str::trim).map(str::to_ascii_lowercase).as_deref() {
            Some("debug") => Level::Debug,
            Some("warn" | "warning") => Level::Warn,
            Some("error") => Level::Error,
            _ => Level::Info,
        }
    }
}

/// A logger bound to one request id.
///
/// Lines look like `2006-01-02T15:04:05.999Z: <requestId> [INFO] message`, the format of
/// Function Compute's Go runtime. Lines below the level set by `FC_LOG_LEVEL` (default `info`)
/// are dropped. A multi-line message becomes several lines, each with the prefix.
#[derive(Clone)]
pub struct Logger {
    request_id: Arc<str>,
    level: Level,
    sink: Sink,
}

impl fmt::Debug for Logger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Logger")
            .field("request_id", &self.request_id)
            .field("level", &self.level)
            .finish_non_exhaustive()
    }
}

impl Logger {
    /// A logger writing to stdout, for code that runs outside a request (tests, `main`).
    pub fn new(request_id: impl Into<String>) -> Logger {
        Logger::with_sink(request_id.into().into(), Level::from_env(), stdout_sink())
    }

    pub(crate) fn with_sink(request_id: Arc<str>, level: Level, sink: Sink) -> Logger {
        Logger {
            request_id,
            level,
            sink,
        }
    }

    /// The request id every line carries.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// Writes `message` at [`Level::Debug`].
    pub fn debug(&self, message: impl Display) {
        self.log(Level::Debug, message);
    }

    /// Writes `message` at [`Level::Info`].
    ///
    /// ```
    /// let logger = fc_runtime::Logger::new("req-1");
    /// logger.info(format_args!("{} items", 3)); // 2024-01-02T03:04:05.678Z: req-1 [INFO] 3 items
    /// ```
    pub fn info(&self, message: impl Display) {
        self.log(Level::Info, message);
    }

    /// Writes `message` at [`Level::Warn`].
    pub fn warn(&self, message: impl Display) {
        self.log(Level::Warn, message);
    }

    /// Writes `message` at [`Level::Error`].
    pub fn error(&self, message: impl Display) {
        self.log(Level::Error, message);
    }

    /// Writes `message` at `level`, one line per line of the message, unless the level is
    /// below `FC_LOG_LEVEL`.
    pub fn log(&self, level: Level, message: impl Display) {
        if level < self.level {
            return;
        }
        let message = message.to_string();
        let time = format_utc(SystemTime::now());
        for text in message.lines() {
            (self.sink)(&format_line(&time, &self.request_id, level, text));
        }
        if message.is_empty() {
            (self.sink)(&format_line(&time, &self.request_id, level, ""));
        }
    }

    /// Writes `text` at `level` whatever the logger's level: for lines another filter chose.
    #[cfg(feature = "tracing")]
    pub(crate) fn write(&self, level: Level, text: &str) {
        let time = format_utc(SystemTime::now());
        for line in text.lines() {
            (self.sink)(&format_line(&time, &self.request_id, level, line));
        }
        if text.is_empty() {
            (self.sink)(&format_line(&time, &self.request_id, level, ""));
        }
    }

    /// Writes a platform marker such as `FC Invoke Start RequestId: <id>`, whatever the level.
    pub(crate) fn marker(&self, phase: &str, edge: &str) {
        (self.sink)(&format!("FC {phase} {edge} RequestId: {}", self.request_id));
    }
}

fn format_line(time: &str, request_id: &str, level: Level, text: &str) -> String {
    format_line_parts(time, Some(request_id), level, text)
}

/// A log line, with the request id when there is one, cut to FC's 32 KB.
pub(crate) fn format_line_parts(
    time: &str,
    request_id: Option<&str>,
    level: Level,
    text: &str,
) -> String {
    let mut line = match request_id {
        Some(id) => format!("{time}: {id} [{}] {text}", level.as_str()),
        None => format!("{time}: [{}] {text}", level.as_str()),
    };
    if line.len() > MAX_LINE {
        let mut end = MAX_LINE;
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        line.truncate(end);
    }
    line
}

/// Formats a time like Go's layout `2006-01-02T15:04:05.999Z` (the FC Go runtime's log format).
///
/// As in Go, `.999` drops trailing zeros of the milliseconds, and the dot too when they are all
/// zero: `…:05.5Z`, `…:05Z`.
pub(crate) fn format_utc(time: SystemTime) -> String {
    // Times before 1970 do not occur in logs; clamping keeps this total.
    let since_epoch = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since_epoch.as_secs();
    let millis = since_epoch.subsec_millis();
    let (year, month, day) = civil_from_days(secs / 86_400);
    let rem = secs % 86_400;
    let mut out = format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    );
    if millis != 0 {
        out.push('.');
        out.push_str(format!("{millis:03}").trim_end_matches('0'));
    }
    out.push('Z');
    out
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day).
///
/// Howard Hinnant's `civil_from_days`, restricted to dates after the epoch, which keeps it in
/// unsigned arithmetic.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    // Shift the epoch to 0000-03-01 so that leap days fall at the end of a 400-year era.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use std::time::Duration;

    fn at(secs: u64, millis: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs) + Duration::from_millis(millis)
    }

    #[test]
    fn formats_go_reference_time() {
        // Go's reference time, 2006-01-02T15:04:05Z, is Unix 1136214245.
        assert_eq!(
            format_utc(at(1_136_214_245, 999)),
            "2006-01-02T15:04:05.999Z"
        );
        assert_eq!(format_utc(at(1_136_214_245, 0)), "2006-01-02T15:04:05Z");
        assert_eq!(format_utc(at(1_136_214_245, 500)), "2006-01-02T15:04:05.5Z");
        assert_eq!(format_utc(at(1_136_214_245, 50)), "2006-01-02T15:04:05.05Z");
        assert_eq!(format_utc(at(1_136_214_245, 7)), "2006-01-02T15:04:05.007Z");
    }

    #[test]
    fn formats_calendar_edges() {
        assert_eq!(format_utc(at(0, 0)), "1970-01-01T00:00:00Z");
        // 2000-02-29 (leap day of a century divisible by 400).
        assert_eq!(format_utc(at(951_782_400, 0)), "2000-02-29T00:00:00Z");
        // 2024-12-31T23:59:59 then New Year.
        assert_eq!(format_utc(at(1_735_689_599, 0)), "2024-12-31T23:59:59Z");
        assert_eq!(format_utc(at(1_735_689_600, 1)), "2025-01-01T00:00:00.001Z");
        // 2100 is not a leap year: 2100-02-28 is followed by 2100-03-01.
        assert_eq!(format_utc(at(4_107_456_000, 0)), "2100-02-28T00:00:00Z");
        assert_eq!(format_utc(at(4_107_542_400, 0)), "2100-03-01T00:00:00Z");
    }

    #[test]
    fn civil_from_days_matches_known_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(59), (1970, 3, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
    }

    fn capture(level: Level) -> (Logger, Arc<Mutex<Vec<String>>>) {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink_lines = Arc::clone(&lines);
        let sink: Sink = Arc::new(move |line: &str| {
            sink_lines.lock().unwrap().push(line.to_owned());
        });
        (Logger::with_sink("req-1".into(), level, sink), lines)
    }

    fn is_log_time(time: &str) -> bool {
        let bytes = time.as_bytes();
        bytes.len() >= 20
            && time.ends_with('Z')
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes[10] == b'T'
            && bytes[13] == b':'
            && bytes[16] == b':'
            && time[..19].bytes().filter(u8::is_ascii_digit).count() == 14
    }

    #[test]
    fn line_has_time_request_id_level_and_message() {
        let (logger, lines) = capture(Level::Debug);
        logger.info("hello world");
        logger.error(format_args!("code {}", 7));
        let lines = lines.lock().unwrap();
        assert_eq!(lines.len(), 2);
        let (time, rest) = lines[0].split_once(": ").unwrap();
        assert!(is_log_time(time), "bad time {time:?}");
        assert_eq!(rest, "req-1 [INFO] hello world");
        assert!(lines[1].ends_with(": req-1 [ERROR] code 7"), "{}", lines[1]);
    }

    #[test]
    fn multi_line_messages_keep_the_prefix() {
        let (logger, lines) = capture(Level::Debug);
        logger.warn("first\nsecond");
        let lines = lines.lock().unwrap();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].ends_with("req-1 [WARN] first"));
        assert!(lines[1].ends_with("req-1 [WARN] second"));
    }

    #[test]
    fn level_filters_lower_lines_but_not_markers() {
        let (logger, lines) = capture(Level::Warn);
        logger.debug("d");
        logger.info("i");
        logger.warn("w");
        logger.marker("Invoke", "Start");
        let lines = lines.lock().unwrap();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].ends_with("[WARN] w"));
        assert_eq!(lines[1], "FC Invoke Start RequestId: req-1");
    }

    #[test]
    fn parses_levels() {
        assert_eq!(Level::parse(None), Level::Info);
        assert_eq!(Level::parse(Some("DEBUG")), Level::Debug);
        assert_eq!(Level::parse(Some(" warn ")), Level::Warn);
        assert_eq!(Level::parse(Some("error")), Level::Error);
        assert_eq!(Level::parse(Some("verbose")), Level::Info);
    }

    #[test]
    fn long_lines_are_cut_on_a_char_boundary() {
        let line = format_line("T", "id", Level::Info, &"é".repeat(MAX_LINE));
        assert!(line.len() <= MAX_LINE);
        assert!(line.len() > MAX_LINE - 2);
        assert!(line.starts_with("T: id [INFO] é"));
    }
}
