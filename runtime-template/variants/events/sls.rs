//! A Simple Log Service (SLS) triggered function: FC calls it with a block of a logstore to
//! process (the logstore is in template.yml and s.yaml). The event says where the logs are;
//! read them from `beginCursor` to `endCursor` with an SLS SDK.
//!
//! Try it: `cargo fc local invoke --example sls`, or `--event events/sls.json`.

use std::process::ExitCode;

use fc_runtime::events::sls::SlsEvent;
use fc_runtime::{Context, Json};

/// Called for each block of logs. An `Err` (or a panic) fails the invocation, and SLS retries
/// it as the trigger's job configuration says.
async fn handler(Json(event): Json<SlsEvent>, ctx: Context) -> Result<String, fc_runtime::Error> {
    let source = &event.source;
    ctx.logger().info(format_args!(
        "logs of {}/{} shard {} from cursor {} to {}",
        source.project_name,
        source.logstore_name,
        source.shard_id,
        source.begin_cursor,
        source.end_cursor
    ));
    Ok(format!(
        "{}/{}#{}",
        source.project_name, source.logstore_name, source.shard_id
    ))
}

fn main() -> ExitCode {
    fc_runtime::run(handler)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What FC sends for a block of logs (the sample of FC's documentation).
    const SAMPLE: &str = include_str!("../events/sls.json");

    #[tokio::test]
    async fn reads_the_block_to_process() {
        let function = fc_runtime::Function::new().event(handler);
        assert_eq!(
            function.invoke(SAMPLE).await.unwrap(),
            "fc-test-project/fc-test-logstore#0"
        );
    }
}
