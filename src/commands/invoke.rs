//! `cargo fc invoke NAME`: InvokeFunction through FC's API, or on `cargo fc local start`.

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use crate::cli::{GlobalArgs, InvokeArgs};
use crate::deploy::api::client::{self, ClientOptions, Endpoint, FcClient};
use crate::deploy::api::credentials::{self, Credentials, Search};
use crate::deploy::api::invoke;
use crate::deploy::api::model::InvokeOptions;
use crate::error::Result;
use crate::local::{self, LocalError};
use crate::ui::Ui;

pub fn run(_global: &GlobalArgs, args: &InvokeArgs, ui: &Ui) -> Result<()> {
    let payload = local::read_event(args.event.as_deref(), args.data.as_deref())?;
    let endpoint = match (&args.endpoint, args.local) {
        (Some(url), _) => Endpoint::parse(url)?,
        (None, Some(port)) => Endpoint::parse(&format!("http://127.0.0.1:{port}"))?,
        (None, None) => {
            let environment = std::env::var(client::REGION_VARIABLE).ok();
            Endpoint::for_region(&client::choose_region(
                args.region.as_deref(),
                None,
                environment.as_deref(),
            )?)?
        }
    };
    let credentials = match credentials::find(&Search::from_process(None)) {
        Ok(found) => found,
        // The emulator checks no signature, so none is needed there.
        Err(_) if args.local.is_some() => Credentials::for_local_emulator(),
        Err(error) => return Err(error.into()),
    };
    ui.detail("Credentials", &credentials.source);
    let mut options = ClientOptions::new(endpoint, credentials);
    if ui.verbosity() > 1 {
        let trace_ui = ui.clone();
        options.trace = Some(Arc::new(move |line: &str| trace_ui.detail("Trace", line)));
    }
    let client = FcClient::new(options)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| LocalError::Runtime { why: e.to_string() })?;
    ui.status(
        "Invoking",
        format!("{} at {}", args.function, client.endpoint().base_url()),
    );
    let options = InvokeOptions {
        asynchronous: args.asynchronous,
        qualifier: args.qualifier.clone(),
    };
    let (invocation, failed) = runtime.block_on(invoke::invoke(
        &client,
        &args.function,
        payload.to_vec(),
        &options,
    ))?;
    if args.asynchronous {
        // Nothing ran yet: the answer is the request id the invocation will run under.
        ui.status(
            "Queued",
            format!(
                "{} (HTTP {}) RequestId: {}",
                args.function,
                invocation.status,
                invocation.request_id.as_deref().unwrap_or("none")
            ),
        );
        return Ok(());
    }
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(&invocation.body);
    if stdout.is_terminal() && !invocation.body.ends_with(b"\n") {
        let _ = stdout.write_all(b"\n");
    }
    let _ = stdout.flush();
    if let Some(log) = &invocation.log {
        eprint!("{log}");
        if !log.ends_with('\n') {
            eprintln!();
        }
    }
    if let Some(id) = &invocation.request_id {
        eprintln!("RequestId: {id}");
    }
    match failed {
        Some(failed) => Err(failed.into()),
        None => Ok(()),
    }
}
