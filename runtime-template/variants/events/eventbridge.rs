//! An EventBridge-triggered function: FC calls it with the CloudEvents its rule matches, here
//! objects uploaded to OSS through the default bus (the rule is in s.yaml).
//!
//! Try it: `cargo fc local invoke --example eventbridge`. For the message-queue sources
//! (Kafka, RocketMQ, RabbitMQ, MNS queues, DTS), which deliver batches, take
//! `Json<Vec<CloudEvent<KafkaData>>>` and the like; `--example list` has their samples.

use std::process::ExitCode;

use fc_runtime::events::eventbridge::{CloudEvent, OssData};
use fc_runtime::{Context, Json};

/// Called with each event. An `Err` (or a panic) fails the invocation, and EventBridge retries
/// it as the trigger's retry strategy says.
async fn handler(
    Json(event): Json<CloudEvent<OssData>>,
    ctx: Context,
) -> Result<String, fc_runtime::Error> {
    let key = event.data.oss.object.decoded_key();
    ctx.logger().info(format_args!(
        "{} {} oss://{}/{key}",
        event.id, event.event_type, event.data.oss.bucket.name
    ));
    Ok(key)
}

fn main() -> ExitCode {
    fc_runtime::run(handler)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An OSS upload as EventBridge delivers it.
    const SAMPLE: &str = include_str!("../events/eventbridge-oss.json");

    #[tokio::test]
    async fn reads_an_oss_cloud_event() {
        let function = fc_runtime::Function::new().event(handler);
        assert_eq!(
            function.invoke(SAMPLE).await.unwrap(),
            "input/report 2022.csv"
        );
    }
}
