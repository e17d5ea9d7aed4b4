//! `tracing` and `log` output inside and outside requests (feature `tracing`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use fc_runtime::{Context, Function};
use tracing_subscriber::Layer as _;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt as _;

type Lines = Arc<Mutex<Vec<String>>>;

fn capture() -> (Lines, impl Fn(&str) + Send + Sync + 'static) {
    let lines: Lines = Arc::default();
    let sink = Arc::clone(&lines);
    (lines, move |line: &str| {
        sink.lock().unwrap().push(line.to_owned())
    })
}

/// The lines without their time, which the format puts first.
fn untimed(lines: &Lines) -> Vec<String> {
    lines
        .lock()
        .unwrap()
        .iter()
        .map(|line| line.split_once(": ").expect("a timed line").1.to_owned())
        .collect()
}

async fn handler(name: String) -> String {
    tracing::info!(user = 7, "greeting {name}");
    tracing::debug!("details nobody asked for");
    // A dependency that logs through `log` reaches the same place.
    log::warn!(target: "some_dependency", "slow answer for {name}");
    // Concurrent requests interleave here.
    tokio::time::sleep(Duration::from_millis(5)).await;
    tracing::info!("done with {name}");
    name
}

#[tokio::test]
async fn events_inside_a_request_carry_its_id_and_outside_none() {
    let _ = tracing_log::LogTracer::init();
    let (outside, outside_sink) = capture();
    let filter: Targets = "info".parse().unwrap();
    let subscriber = tracing_subscriber::registry()
        .with(fc_runtime::tracing::FcLayer::with_sink(outside_sink).with_filter(filter));
    let _default = tracing::subscriber::set_default(subscriber);

    let (inside, inside_sink) = capture();
    let function = Function::new().event(handler).log_sink(inside_sink);
    let (a, b) = tokio::join!(
        function.invoke_with("a", Context::new("req-a")),
        function.invoke_with("b", Context::new("req-b")),
    );
    assert_eq!((a.unwrap(), b.unwrap()), ("a".into(), "b".into()));
    tracing::info!(rows = 3, "outside any request");

    let mut lines = untimed(&inside);
    lines.sort();
    assert_eq!(
        lines,
        [
            "req-a [INFO] done with a",
            "req-a [INFO] greeting a user=7",
            "req-a [WARN] slow answer for a",
            "req-b [INFO] done with b",
            "req-b [INFO] greeting b user=7",
            "req-b [WARN] slow answer for b",
        ]
    );
    assert_eq!(untimed(&outside), ["[INFO] outside any request rows=3"]);
}

#[tokio::test]
async fn directives_choose_levels_by_target() {
    let _ = tracing_log::LogTracer::init();
    let (outside, sink) = capture();
    let filter: Targets = "warn,tracing=debug".parse().unwrap();
    let subscriber = tracing_subscriber::registry()
        .with(fc_runtime::tracing::FcLayer::with_sink(sink).with_filter(filter));
    let _default = tracing::subscriber::set_default(subscriber);
    // This test's own target is `tracing` (the test binary's name).
    tracing::debug!("kept: this target is at debug");
    tracing::info!(target: "other", "dropped: other targets are at warn");
    log::error!(target: "other", "kept: an error");
    assert_eq!(
        untimed(&outside),
        [
            "[DEBUG] kept: this target is at debug",
            "[ERROR] kept: an error"
        ]
    );
}
