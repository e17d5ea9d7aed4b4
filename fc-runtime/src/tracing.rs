//! `tracing` and `log` output in Function Compute's log format (feature `tracing`).
//!
//! With the feature on, [`Function::run`](crate::Function::run) installs a subscriber (unless
//! the program installed one first) that writes every `tracing` event, and every `log` record
//! of the program's dependencies, the way [`Logger`] writes lines:
//!
//! ```text
//! 2024-05-20T02:13:09.12Z: 1-6650b2a5-7a3c1e0f [INFO] loaded 3 rows table="orders"
//! ```
//!
//! Inside a request the line carries the request's id, even when requests run concurrently:
//! the runtime runs each handler in a span `fc_request` that knows its request. Futures the
//! handler spawns keep it when spawned with `tracing::Instrument::in_current_span`. Outside a
//! request (in `main`, in a background task), lines have no id.
//!
//! Which events are written is set like `RUST_LOG`: a default level and `target=level`
//! directives, such as `info,my_function=debug,hyper=warn`. `RUST_LOG` is read first, else
//! `FC_LOG_LEVEL` (a level), else `info`.
//!
//! A program with a subscriber of its own adds [`layer`] to it instead:
//!
//! ```
//! use tracing_subscriber::layer::SubscriberExt as _;
//!
//! let subscriber = tracing_subscriber::registry()
//!     .with(fc_runtime::tracing::layer().with_filter(fc_runtime::tracing::filter_from_env()));
//! # use tracing_subscriber::Layer as _;
//! tracing::subscriber::with_default(subscriber, || {
//!     tracing::info!(rows = 3, "loaded"); // 2024-05-20T02:13:09.12Z: [INFO] loaded rows=3
//! });
//! ```

use std::fmt::{self, Write as _};
use std::sync::Arc;
use std::time::SystemTime;

use tracing_core::field::{Field, Visit};
use tracing_core::{Event, Level as TracingLevel, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::Context as LayerContext;
use tracing_subscriber::registry::LookupSpan;

use crate::context::Context;
use crate::log::{Level, Logger, Sink, format_line_parts, format_utc, stdout_sink};

/// The name of the span each request's handler runs in.
pub const REQUEST_SPAN: &str = "fc_request";

/// A layer that writes events in FC's log format.
pub struct FcLayer {
    /// Where lines outside any request go.
    sink: Sink,
}

/// The layer, writing lines outside requests to stdout; lines inside a request go where the
/// request's logger writes.
pub fn layer() -> FcLayer {
    FcLayer {
        sink: stdout_sink(),
    }
}

impl FcLayer {
    /// Writes lines outside requests to `sink` (each line without its newline); for tests.
    pub fn with_sink(sink: impl Fn(&str) + Send + Sync + 'static) -> FcLayer {
        FcLayer {
            sink: Arc::new(sink),
        }
    }
}

/// The filter `RUST_LOG` describes (`info,my_function=debug`), else `FC_LOG_LEVEL`'s level,
/// else `info`. A `RUST_LOG` that does not parse is reported on stderr and `info` is used.
pub fn filter_from_env() -> Targets {
    filter_from(
        std::env::var("RUST_LOG").ok().as_deref(),
        std::env::var("FC_LOG_LEVEL").ok().as_deref(),
    )
}

fn filter_from(rust_log: Option<&str>, fc_log_level: Option<&str>) -> Targets {
    if let Some(directives) = rust_log.map(str::trim).filter(|d| !d.is_empty()) {
        match directives.parse::<Targets>() {
            Ok(targets) => return targets,
            Err(error) => {
                eprintln!("fc: RUST_LOG={directives:?} is not a filter ({error}); using info")
            }
        }
    }
    let level = match Level::parse(fc_log_level) {
        Level::Debug => LevelFilter::DEBUG,
        Level::Info => LevelFilter::INFO,
        Level::Warn => LevelFilter::WARN,
        Level::Error => LevelFilter::ERROR,
    };
    Targets::new().with_default(level)
}

/// Installs the layer with [`filter_from_env`] as the global subscriber, and forwards `log`
/// records to it. Returns `false`, changing nothing, when the program has a global subscriber
/// (or `log` logger) already.
pub fn init() -> bool {
    install(stdout_sink())
}

/// [`init`], with lines outside requests going to `sink`.
pub(crate) fn install(sink: Sink) -> bool {
    use tracing_subscriber::layer::SubscriberExt as _;
    let layer = FcLayer { sink };
    let subscriber = tracing_subscriber::registry().with(layer.with_filter(filter_from_env()));
    if tracing_core::dispatcher::set_global_default(subscriber.into()).is_err() {
        return false;
    }
    // The `log` facade's own level gate must let through what the filter may want.
    tracing_log::LogTracer::builder()
        .with_max_level(::log::LevelFilter::Trace)
        .init()
        .is_ok()
}

/// The span a request's handler runs in, carrying the request's logger.
pub(crate) fn request_span(context: &Context) -> ::tracing::Span {
    let span = ::tracing::info_span!(REQUEST_SPAN, request_id = %context.request_id);
    let logger = context.logger().clone();
    span.with_subscriber(|(id, dispatch)| {
        if let Some(registry) = dispatch.downcast_ref::<tracing_subscriber::Registry>()
            && let Some(span) = registry.span(id)
        {
            span.extensions_mut().insert(RequestLogger(logger));
        }
    });
    span
}

struct RequestLogger(Logger);

impl<S> Layer<S> for FcLayer
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_event(&self, event: &Event<'_>, ctx: LayerContext<'_, S>) {
        let level = match *event.metadata().level() {
            TracingLevel::ERROR => Level::Error,
            TracingLevel::WARN => Level::Warn,
            TracingLevel::INFO => Level::Info,
            TracingLevel::DEBUG | TracingLevel::TRACE => Level::Debug,
        };
        let mut text = Fields::default();
        event.record(&mut text);
        let logger = ctx.event_scope(event).and_then(|scope| {
            scope.into_iter().find_map(|span| {
                span.extensions()
                    .get::<RequestLogger>()
                    .map(|l| l.0.clone())
            })
        });
        match logger {
            Some(logger) => logger.write(level, &text.text),
            None => {
                let time = format_utc(SystemTime::now());
                for line in text.text.lines() {
                    (self.sink)(&format_line_parts(&time, None, level, line));
                }
            }
        }
    }
}

/// An event's fields as text: the message, then `name=value` for the others; a `log` record's
/// own bookkeeping fields (`log.target`, `log.file`, …) are left out.
#[derive(Default)]
struct Fields {
    text: String,
}

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let name = field.name();
        if name.starts_with("log.") {
            return;
        }
        if name == "message" {
            let rest = std::mem::take(&mut self.text);
            let _ = write!(self.text, "{value:?}");
            if !rest.is_empty() {
                self.text.push(' ');
                self.text.push_str(&rest);
            }
            return;
        }
        if !self.text.is_empty() {
            self.text.push(' ');
        }
        let _ = write!(self.text, "{name}={value:?}");
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.record_debug(field, &format_args!("{value}"));
        } else {
            self.record_debug(field, &value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_follow_rust_log_then_fc_log_level() {
        use tracing_core::Level as L;
        let filter = filter_from(Some("warn,my_function=debug"), Some("error"));
        assert!(filter.would_enable("my_function::db", &L::DEBUG));
        assert!(!filter.would_enable("hyper::proto", &L::INFO));
        assert!(filter.would_enable("hyper::proto", &L::WARN));
        let filter = filter_from(None, Some("debug"));
        assert!(filter.would_enable("anything", &L::DEBUG));
        let filter = filter_from(Some(""), None);
        assert!(filter.would_enable("anything", &L::INFO));
        assert!(!filter.would_enable("anything", &L::DEBUG));
        let filter = filter_from(Some("=nonsense=="), None);
        assert!(filter.would_enable("anything", &L::INFO));
    }
}
