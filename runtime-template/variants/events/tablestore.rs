//! A Tablestore-triggered function: FC calls it with the rows that changed in a table with
//! Stream enabled (the instance and table are in template.yml and s.yaml).
//!
//! Try it: `cargo fc local invoke --example tablestore`. FC sends this event as CBOR, which
//! `TablestoreEvent` decodes.

use std::process::ExitCode;

use fc_runtime::Context;
use fc_runtime::events::tablestore::{ColumnValue, TablestoreEvent};

/// Called with each batch of changed rows. An `Err` (or a panic) fails the invocation.
async fn handler(event: TablestoreEvent, ctx: Context) -> Result<String, fc_runtime::Error> {
    let mut rows = Vec::new();
    for record in &event.records {
        let key: Vec<String> = record
            .primary_key
            .iter()
            .map(|column| match &column.value {
                ColumnValue::String(text) => format!("{}={text}", column.column_name),
                other => format!("{}={other:?}", column.column_name),
            })
            .collect();
        ctx.logger().info(format_args!(
            "{} of {} columns at {}",
            record.record_type.as_str(),
            record.columns.len(),
            key.join(", ")
        ));
        rows.push(record.record_type.as_str().to_owned());
    }
    Ok(rows.join("\n"))
}

fn main() -> ExitCode {
    fc_runtime::run(handler)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What FC sends when a row is put (the sample of FC's documentation, in CBOR).
    const SAMPLE: &[u8] = include_bytes!("../events/tablestore.cbor");

    #[tokio::test]
    async fn decodes_the_changed_rows() {
        let function = fc_runtime::Function::new().event(handler);
        assert_eq!(function.invoke(SAMPLE).await.unwrap(), "PutRow");
    }
}
