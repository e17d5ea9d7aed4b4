//! `cargo fc local invoke|start`: pack, then run the package the way FC runs it.

use crate::cli::{GlobalArgs, LocalArgs, LocalCommand, LocalCommon, PackArgs};
use crate::error::{Interrupted, Result};
use crate::interrupt;
use crate::local::{self, Overrides, Prepared};
use crate::project::{self, ProjectError};
use crate::ui::Ui;

pub fn run(global: &GlobalArgs, args: &LocalArgs, ui: &Ui) -> Result<()> {
    match &args.command {
        LocalCommand::Invoke(invoke) => {
            let event = local::read_event(invoke.event.as_deref(), invoke.data.as_deref())?;
            let prepared = prepare(global, &invoke.common, ui)?;
            // Dropping the invocation on Ctrl-C kills the bootstrap and removes a private code
            // folder, as the guard defers the interrupt until then.
            let _deferred = interrupt::Guard::new();
            local::runtime()?.block_on(async {
                tokio::select! {
                    outcome = local::invoke_once(prepared, event, invoke.tail, ui) => outcome,
                    () = interrupt::wait() => Err(Interrupted {
                        cleaned_up: Some("the function was stopped".into()),
                    }
                    .into()),
                }
            })
        }
        LocalCommand::Start(start) => {
            let prepared = prepare(global, &start.common, ui)?;
            local::runtime()?.block_on(local::serve(prepared, start.port, ui))
        }
    }
}

/// Packs the one function to run and unpacks it as FC would.
fn prepare(global: &GlobalArgs, common: &LocalCommon, ui: &Ui) -> Result<Prepared> {
    let overrides = overrides(common)?;
    let project = project::load(&super::selection(global, Some(&common.build.flags)))?
        .only(common.function.as_deref())?;
    let pack = PackArgs {
        build: common.build.clone(),
        no_build: common.no_build,
        output: None,
        includes: Vec::new(),
    };
    let packed = super::pack::pack(&project, &pack, ui)?
        .pop()
        .expect("one function was packed");
    local::prepare(&project, packed, &overrides, ui)
}

fn overrides(common: &LocalCommon) -> Result<Overrides, ProjectError> {
    let mut environment = Vec::new();
    for pair in &common.env {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| ProjectError::BadEnv { pair: pair.clone() })?;
        environment.push((key.to_string(), value.to_string()));
    }
    Ok(Overrides {
        timeout_s: common.timeout,
        memory_mb: common.memory,
        environment,
    })
}
