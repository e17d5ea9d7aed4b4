//! An MNS-topic-triggered function: FC calls it with each message published to the topic (the
//! topic and the event format, JSON or STREAM, are in template.yml and s.yaml).
//!
//! Try it: `cargo fc local invoke --example mns` (JSON) or `--example mns-stream-text`.

use std::process::ExitCode;

use fc_runtime::Context;
use fc_runtime::events::mns::MnsTopicEvent;

/// Called with each message. `MnsTopicEvent` reads both formats; an `Err` (or a panic) fails
/// the invocation, and MNS retries it as the trigger's strategy says.
async fn handler(event: MnsTopicEvent, ctx: Context) -> Result<String, fc_runtime::Error> {
    if let MnsTopicEvent::Json(message) = &event {
        ctx.logger().info(format_args!(
            "message {} from topic {}",
            message.message_id, message.topic_name
        ));
    }
    Ok(event.message().to_owned())
}

fn main() -> ExitCode {
    fc_runtime::run(handler)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What FC sends in the JSON format (the sample of FC's documentation).
    const SAMPLE: &str = include_str!("../events/mns-json.json");

    #[tokio::test]
    async fn reads_a_message_in_either_format() {
        let function = fc_runtime::Function::new().event(handler);
        assert_eq!(function.invoke(SAMPLE).await.unwrap(), "hello topic");
        assert_eq!(function.invoke("plain body").await.unwrap(), "plain body");
    }
}
