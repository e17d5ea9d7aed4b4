//! An OSS-triggered function: FC calls it when objects change in a bucket (the trigger is in
//! template.yml and s.yaml; set your bucket there).
//!
//! Try it: `cargo fc local invoke --example oss`, or `--event events/oss.json`.

use std::process::ExitCode;

use fc_runtime::events::oss::OssEvent;
use fc_runtime::{Context, Json};

/// Called with the notifications of each change. An `Err` (or a panic) fails the invocation,
/// and FC retries it: OSS invokes functions asynchronously.
async fn handler(Json(event): Json<OssEvent>, ctx: Context) -> Result<String, fc_runtime::Error> {
    let mut keys = Vec::new();
    for record in &event.events {
        // Keys arrive URL-encoded; the decoded key is what an OSS SDK wants.
        let key = record.oss.object.decoded_key();
        ctx.logger().info(format_args!(
            "{} oss://{}/{key}",
            record.event_name, record.oss.bucket.name
        ));
        keys.push(key);
    }
    Ok(keys.join("\n"))
}

fn main() -> ExitCode {
    fc_runtime::run(handler)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What FC sends when an object is uploaded (the sample of FC's documentation).
    const SAMPLE: &str = include_str!("../events/oss.json");

    #[tokio::test]
    async fn reads_an_upload() {
        let function = fc_runtime::Function::new().event(handler);
        assert_eq!(function.invoke(SAMPLE).await.unwrap(), "source/a.png");
    }
}
