//! The event of a timer trigger.
//!
//! ```
//! use fc_runtime::events::timer::TimerEvent;
//!
//! let event: TimerEvent = serde_json::from_str(
//!     r#"{"triggerTime":"2023-12-26T07:49:00Z","triggerName":"timer-trigger","payload":"awesome-fc"}"#,
//! )?;
//! assert_eq!(event.payload.as_deref(), Some("awesome-fc"));
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::{Deserialize, Serialize};

/// What a timer trigger sends each time it fires.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimerEvent {
    /// When it fired, ISO 8601 in UTC (`2023-12-26T07:49:00Z`).
    pub trigger_time: String,
    /// The trigger's name.
    pub trigger_name: String,
    /// The trigger's "Trigger Message" (`payload` in template.yml and s.yaml), if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::fixtures::fixture;

    #[test]
    fn reads_the_documented_sample() {
        let event: TimerEvent = serde_json::from_str(fixture!("timer.json")).unwrap();
        assert_eq!(
            event,
            TimerEvent {
                trigger_time: "2023-12-26T07:49:00Z".into(),
                trigger_name: "timer-trigger".into(),
                payload: Some("awesome-fc".into()),
            }
        );
        let bare: TimerEvent =
            serde_json::from_str(r#"{"triggerTime":"t","triggerName":"n"}"#).unwrap();
        assert_eq!(bare.payload, None);
    }
}
