//! A function on a schedule: FC calls it each time its timer trigger fires (the cron
//! expression is in template.yml and s.yaml).
//!
//! Try it: `cargo fc local invoke --example timer`, or `--event events/timer.json`.

use std::process::ExitCode;

use fc_runtime::events::timer::TimerEvent;
use fc_runtime::{Context, Json};

/// Called at every tick. An `Err` (or a panic) fails the invocation.
async fn handler(Json(event): Json<TimerEvent>, ctx: Context) -> Result<String, fc_runtime::Error> {
    let payload = event.payload.unwrap_or_default();
    ctx.logger().info(format_args!(
        "{} fired at {} with {payload:?}",
        event.trigger_name, event.trigger_time
    ));
    Ok(format!("ran for {payload}"))
}

fn main() -> ExitCode {
    fc_runtime::run(handler)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What FC sends when the timer fires (the sample of FC's documentation).
    const SAMPLE: &str = include_str!("../events/timer.json");

    #[tokio::test]
    async fn runs_on_a_tick() {
        let function = fc_runtime::Function::new().event(handler);
        assert_eq!(function.invoke(SAMPLE).await.unwrap(), "ran for awesome-fc");
    }
}
