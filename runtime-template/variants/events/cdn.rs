//! A CDN-triggered function: FC calls it on CDN events of your domains, here when cached
//! objects are refreshed (the event and domains are in template.yml and s.yaml).
//!
//! Try it: `cargo fc local invoke --example cdn` (or `cdn-log`, `cdn-domain`).

use std::process::ExitCode;

use fc_runtime::events::cdn::CdnEvent;
use fc_runtime::{Context, Json};

/// Called with each CDN event. An `Err` (or a panic) fails the invocation.
async fn handler(Json(event): Json<CdnEvent>, ctx: Context) -> Result<String, fc_runtime::Error> {
    let mut paths = Vec::new();
    for record in &event.events {
        ctx.logger().info(format_args!(
            "{} on {}",
            record.event_name, record.resource.domain
        ));
        paths.extend(record.event_parameter.object_path.iter().cloned());
    }
    Ok(paths.join("\n"))
}

fn main() -> ExitCode {
    fc_runtime::run(handler)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What FC sends when cached objects were refreshed (the sample of FC's documentation).
    const SAMPLE: &str = include_str!("../events/cdn.json");

    #[tokio::test]
    async fn lists_the_refreshed_paths() {
        let function = fc_runtime::Function::new().event(handler);
        assert_eq!(
            function.invoke(SAMPLE).await.unwrap(),
            "/2018/03/16/13/33b430c57e7.mp4\n/2018/03/16/14/4ff6b9bd54d.mp4"
        );
    }
}
