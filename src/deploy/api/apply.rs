//! Making a [`Plan`] true on FC: the function (created, or updated in the fields that changed,
//! with the zip only when its checksum differs), then waiting until FC reports it ready, then
//! its triggers. A failure partway says what was already changed.

use std::time::{Duration, Instant};

use serde_json::json;

use super::client::{ApiError, FcClient};
use super::model::{Function, FunctionSpec, Trigger};
use super::plan::{self, CodeChange, FunctionChange, Plan, TriggerChange};
use crate::error::failure_any;
use crate::error::{Exit, Failure, IoError, Location};

/// FC's state of one function: what [`read_state`] found.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub function: Option<Function>,
    pub triggers: Vec<Trigger>,
}

/// GetFunction, and ListTriggers when the function exists: the only calls a no-change deploy
/// makes.
pub async fn read_state(client: &FcClient, name: &str) -> Result<State, ApiError> {
    let function = client.get_function(name).await?;
    let triggers = match &function {
        Some(_) => client.list_triggers(name).await?,
        None => Vec::new(),
    };
    Ok(State { function, triggers })
}

/// The plan for `spec` against `state`.
pub fn plan_for(state: &State, spec: &FunctionSpec) -> Plan {
    plan::plan(state.function.as_ref(), &state.triggers, spec)
}

#[derive(Debug, Clone, Copy)]
pub struct ApplyOptions {
    /// The largest zip sent inline as base64 `code.zipFile`.
    pub inline_limit: u64,
    /// How long to wait for FC to report the function ready.
    pub wait_timeout: Duration,
    /// The first pause between polls; it doubles up to 5 s.
    pub poll_interval: Duration,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        Self {
            inline_limit: crate::platform::INLINE_CODE_LIMIT,
            wait_timeout: Duration::from_secs(300),
            poll_interval: Duration::from_secs(1),
        }
    }
}

/// What a deploy of one function did.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub function: String,
    pub created: bool,
    /// The fields an update changed.
    pub updated_fields: Vec<String>,
    /// Bytes of zip sent, when the code was uploaded.
    pub code_uploaded: Option<u64>,
    pub triggers: Vec<TriggerChange>,
    /// The public URL of the function's HTTP trigger, when it has one.
    pub http_url: Option<String>,
}

impl Applied {
    pub fn changed_anything(&self) -> bool {
        self.created
            || !self.updated_fields.is_empty()
            || self.code_uploaded.is_some()
            || !self.triggers.is_empty()
    }

    /// The one line the deploy prints for this function.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if self.created {
            parts.push("created".to_string());
        } else if !self.updated_fields.is_empty() {
            parts.push(format!("updated {}", self.updated_fields.join(", ")));
        } else if self.code_uploaded.is_none() && self.triggers.is_empty() {
            parts.push("unchanged".to_string());
        }
        match self.code_uploaded {
            Some(bytes) => parts.push(format!("code uploaded ({})", crate::ui::human_size(bytes))),
            None if !self.created => parts.push("code unchanged".to_string()),
            None => {}
        }
        for change in &self.triggers {
            parts.push(match change {
                TriggerChange::Create { name, .. } => format!("trigger `{name}` created"),
                TriggerChange::Update { name, .. } => format!("trigger `{name}` updated"),
                TriggerChange::Replace { name, .. } => format!("trigger `{name}` replaced"),
                TriggerChange::Delete { name, .. } => format!("trigger `{name}` deleted"),
            });
        }
        if let Some(url) = &self.http_url {
            parts.push(url.clone());
        }
        format!("{}: {}", self.function, parts.join(", "))
    }

    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "function": self.function,
            "created": self.created,
            "updated_fields": self.updated_fields,
            "code_uploaded_bytes": self.code_uploaded,
            "triggers": self.triggers,
            "http_url": self.http_url,
        })
    }
}

/// Applies `plan`, which was computed from `state`. `progress` receives lines for a spinner.
pub async fn apply(
    client: &FcClient,
    spec: &FunctionSpec,
    state: &State,
    plan: &Plan,
    options: &ApplyOptions,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<Applied, ApplyError> {
    let mut done: Vec<String> = Vec::new();
    let fail = |done: &[String], failure: ApplyFailure| ApplyError {
        function: spec.name.clone(),
        done: done.to_vec(),
        failure,
    };
    // Read and check the zip before the first write, so that an oversized package changes
    // nothing.
    let zip = match (&plan.code, &spec.code) {
        (CodeChange::Upload { .. }, Some(package)) => {
            if package.size > options.inline_limit {
                return Err(fail(
                    &done,
                    ApplyFailure::CodeTooLarge {
                        path: package.path.clone(),
                        size: package.size,
                        limit: options.inline_limit,
                    },
                ));
            }
            let bytes = std::fs::read(&package.path).map_err(|e| {
                fail(
                    &done,
                    ApplyFailure::ReadCode(IoError::new("read", &package.path, e)),
                )
            })?;
            Some(bytes)
        }
        _ => None,
    };
    let mut applied = Applied {
        function: spec.name.clone(),
        created: false,
        updated_fields: Vec::new(),
        code_uploaded: None,
        triggers: Vec::new(),
        http_url: None,
    };
    let written = match &plan.change {
        FunctionChange::Create => {
            progress(&format!("creating function `{}`", spec.name));
            let input = plan.create_input(spec, zip.as_deref());
            let function = client
                .create_function(&input)
                .await
                .map_err(|e| fail(&done, ApplyFailure::Api(e)))?;
            done.push(format!("created function `{}`", spec.name));
            applied.created = true;
            applied.code_uploaded = zip.as_ref().map(|z| z.len() as u64);
            Some(function)
        }
        FunctionChange::Update { .. } | FunctionChange::Unchanged if plan.writes_function() => {
            progress(&format!("updating function `{}`", spec.name));
            let input = plan.update_input(spec, zip.as_deref());
            let function = client
                .update_function(&spec.name, &input)
                .await
                .map_err(|e| fail(&done, ApplyFailure::Api(e)))?;
            applied.updated_fields = plan
                .changed_fields()
                .iter()
                .map(|f| f.to_string())
                .collect();
            applied.code_uploaded = input
                .code
                .as_ref()
                .and(zip.as_ref())
                .map(|z| z.len() as u64);
            let mut what = applied.updated_fields.clone();
            if applied.code_uploaded.is_some() {
                what.push("code".into());
            }
            done.push(format!("updated `{}` ({})", spec.name, what.join(", ")));
            Some(function)
        }
        _ => None,
    };
    if let Some(function) = written {
        wait_until_ready(client, &spec.name, function, options, progress)
            .await
            .map_err(|f| fail(&done, f))?;
    }
    let desired = spec.triggers.as_deref().unwrap_or(&[]);
    let find = |name: &str| desired.iter().find(|t| t.name == name);
    let mut results: Vec<Trigger> = Vec::new();
    // Deletions first: FC allows one HTTP trigger per function, so a renamed one must go first.
    let ordered = plan
        .triggers
        .iter()
        .filter(|c| {
            matches!(
                c,
                TriggerChange::Delete { .. } | TriggerChange::Replace { .. }
            )
        })
        .chain(plan.triggers.iter().filter(|c| {
            matches!(
                c,
                TriggerChange::Update { .. } | TriggerChange::Create { .. }
            )
        }));
    for change in ordered {
        let name = change.name();
        if let TriggerChange::Delete { .. } = change {
            progress(&format!("deleting trigger `{name}`"));
            client
                .delete_trigger(&spec.name, name)
                .await
                .map_err(|e| fail(&done, ApplyFailure::Api(e)))?;
            done.push(format!("deleted trigger `{name}`"));
            applied.triggers.push(change.clone());
            continue;
        }
        let Some(trigger) = find(name) else { continue };
        if let TriggerChange::Update { changes, .. } = change {
            progress(&format!("updating trigger `{name}`"));
            let updated = client
                .update_trigger(
                    &spec.name,
                    name,
                    &plan::trigger_update_input(trigger, changes),
                )
                .await
                .map_err(|e| fail(&done, ApplyFailure::Api(e)))?;
            done.push(format!("updated trigger `{name}`"));
            results.push(updated);
        } else {
            if let TriggerChange::Replace { .. } = change {
                progress(&format!("replacing trigger `{name}`"));
                client
                    .delete_trigger(&spec.name, name)
                    .await
                    .map_err(|e| fail(&done, ApplyFailure::Api(e)))?;
                done.push(format!("deleted trigger `{name}` to replace it"));
            } else {
                progress(&format!("creating trigger `{name}`"));
            }
            let created = client
                .create_trigger(&spec.name, &trigger.create_input())
                .await
                .map_err(|e| fail(&done, ApplyFailure::Api(e)))?;
            done.push(format!("created trigger `{name}`"));
            results.push(created);
        }
        applied.triggers.push(change.clone());
    }
    let deleted: Vec<&str> = plan
        .triggers
        .iter()
        .filter(|c| matches!(c, TriggerChange::Delete { .. }))
        .map(TriggerChange::name)
        .collect();
    applied.http_url = results
        .iter()
        .chain(
            state
                .triggers
                .iter()
                .filter(|t| !deleted.contains(&t.trigger_name.as_str())),
        )
        .filter(|t| t.trigger_type == "http")
        .find_map(|t| t.http_trigger.as_ref()?.url_internet.clone());
    Ok(applied)
}

/// Polls GetFunction until FC's state is no longer `Pending` and the last update is no longer
/// `InProgress` (the states FC 3.0 documents for a function), as Serverless Devs' fc3 does.
async fn wait_until_ready(
    client: &FcClient,
    name: &str,
    mut function: Function,
    options: &ApplyOptions,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<(), ApplyFailure> {
    let started = Instant::now();
    let mut pause = options.poll_interval;
    loop {
        let state = function.state().unwrap_or("").to_string();
        let update = function.last_update_status().unwrap_or("").to_string();
        if state == "Failed" || update == "Failed" {
            let reason = function
                .last_update_status_reason()
                .or(function.state_reason())
                .unwrap_or("FC gave no reason")
                .to_string();
            return Err(ApplyFailure::NotReady {
                state,
                update,
                reason,
            });
        }
        if state != "Pending" && update != "InProgress" {
            return Ok(());
        }
        let waited = started.elapsed();
        if waited >= options.wait_timeout {
            return Err(ApplyFailure::WaitTimedOut {
                seconds: waited.as_secs(),
                state,
                update,
            });
        }
        progress(&format!(
            "waiting for `{name}` to be ready (state {}, last update {}, {} s)",
            if state.is_empty() { "unknown" } else { &state },
            if update.is_empty() {
                "unknown"
            } else {
                &update
            },
            waited.as_secs()
        ));
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(5));
        function = match client.get_function(name).await {
            Ok(Some(function)) => function,
            Ok(None) => {
                return Err(ApplyFailure::NotReady {
                    state: "gone".into(),
                    update: String::new(),
                    reason: "FC no longer has the function".into(),
                });
            }
            Err(error) => return Err(ApplyFailure::Api(error)),
        };
    }
}

/// Deploying one function failed; `done` is what had already been changed on FC.
#[derive(Debug)]
pub struct ApplyError {
    pub function: String,
    pub done: Vec<String>,
    pub failure: ApplyFailure,
}

#[derive(Debug)]
pub enum ApplyFailure {
    Api(ApiError),
    /// The zip is over what FC takes inline.
    CodeTooLarge {
        path: std::path::PathBuf,
        size: u64,
        limit: u64,
    },
    ReadCode(IoError),
    /// FC reports the function failed to become ready.
    NotReady {
        state: String,
        update: String,
        reason: String,
    },
    WaitTimedOut {
        seconds: u64,
        state: String,
        update: String,
    },
}

impl std::fmt::Display for ApplyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let function = &self.function;
        match &self.failure {
            ApplyFailure::Api(error) => write!(f, "deploying `{function}`: {error}"),
            ApplyFailure::CodeTooLarge { path, size, limit } => write!(
                f,
                "{} is {}, over the {} FC takes inline through its API, so `{function}` was not deployed",
                path.display(),
                crate::ui::human_size(*size),
                crate::ui::human_size(*limit)
            ),
            ApplyFailure::ReadCode(error) => write!(f, "deploying `{function}`: {error}"),
            ApplyFailure::NotReady {
                state,
                update,
                reason,
            } => write!(
                f,
                "FC could not make `{function}` ready (state {state}, last update {update}): {reason}"
            ),
            ApplyFailure::WaitTimedOut {
                seconds,
                state,
                update,
            } => write!(
                f,
                "`{function}` was not ready after {seconds} s (state {state}, last update {update})"
            ),
        }
    }
}

impl Failure for ApplyError {
    fn exit(&self) -> Exit {
        match &self.failure {
            ApplyFailure::Api(error) => error.exit(),
            ApplyFailure::ReadCode(_) => Exit::Io,
            _ => Exit::Deploy,
        }
    }

    fn kind(&self) -> &'static str {
        match &self.failure {
            ApplyFailure::Api(error) => error.kind(),
            ApplyFailure::CodeTooLarge { .. } => "deploy.code-too-large",
            ApplyFailure::ReadCode(_) => "io",
            ApplyFailure::NotReady { .. } => "deploy.function-not-ready",
            ApplyFailure::WaitTimedOut { .. } => "deploy.wait-timed-out",
        }
    }

    fn location(&self) -> Option<Location> {
        match &self.failure {
            ApplyFailure::CodeTooLarge { path, .. } => Some(Location::file(path)),
            _ => None,
        }
    }

    fn notes(&self) -> Vec<String> {
        let mut notes = match &self.failure {
            ApplyFailure::Api(error) => error.notes(),
            _ => Vec::new(),
        };
        if self.done.is_empty() {
            notes.push(format!("nothing of `{}` was changed on FC", self.function));
        } else {
            notes.push(format!("already changed on FC: {}", self.done.join("; ")));
        }
        notes
    }

    fn help(&self) -> Option<String> {
        match &self.failure {
            ApplyFailure::Api(error) => error.help(),
            ApplyFailure::CodeTooLarge { .. } => Some(
                "make the package smaller (strip the binary, fewer assets), or deploy it through OSS with `--tool s`, which uploads large packages there".into(),
            ),
            ApplyFailure::ReadCode(_) => Some("run `cargo fc pack` again".into()),
            ApplyFailure::NotReady { .. } => Some(
                "look at the function in the FC console or its logs; `cargo fc local invoke` runs it here as FC would".into(),
            ),
            ApplyFailure::WaitTimedOut { .. } => Some(
                "FC may still finish: `cargo fc deploy --plan` shows its state".into(),
            ),
        }
    }

    fn details(&self) -> serde_json::Value {
        json!({
            "function": self.function,
            "already_changed": self.done,
            "error": self.to_string(),
        })
    }

    failure_any!();
}
