//! `cargo fc local invoke|start`: pack, then run the package the way FC runs it.

use crate::cli::{GlobalArgs, LocalArgs, LocalCommand, LocalCommon, PackArgs};
use crate::container;
use crate::error::{Interrupted, Result};
use crate::events;
use crate::interrupt;
use crate::local::{self, ContainerRun, LocalError, Overrides, Prepared};
use crate::project::{self, ProjectError};
use crate::ui::Ui;

pub fn run(global: &GlobalArgs, args: &LocalArgs, ui: &Ui) -> Result<()> {
    match &args.command {
        LocalCommand::Invoke(invoke) => {
            let event = match invoke.example.as_deref().map(events::request).transpose()? {
                Some(events::ExampleRequest::List) => {
                    print!("{}", events::listing());
                    return Ok(());
                }
                Some(events::ExampleRequest::Payload(payload)) => {
                    bytes::Bytes::from_static(payload)
                }
                None => local::read_event(invoke.event.as_deref(), invoke.data.as_deref())?,
            };
            let prepared = prepare(global, &invoke.common, ui)?;
            // Dropping the invocation on Ctrl-C kills the bootstrap (or removes the container)
            // and removes a private code folder, as the guard defers the interrupt until then.
            let _deferred = interrupt::Guard::new();
            local::runtime()?.block_on(async {
                let run = async {
                    if invoke.non_web {
                        local::run_once(prepared, event, ui).await
                    } else {
                        local::invoke_once(prepared, event, invoke.tail, ui).await
                    }
                };
                tokio::select! {
                    outcome = run => outcome,
                    () = interrupt::wait() => Err(Interrupted {
                        cleaned_up: Some("the function was stopped".into()),
                    }
                    .into()),
                }
            })
        }
        LocalCommand::Start(start) => {
            let mut routes = Vec::new();
            for text in &start.routes {
                routes.push(
                    local::Route::parse(text).ok_or_else(|| LocalError::BadRoute {
                        route: text.clone(),
                    })?,
                );
            }
            let options = local::ServeOptions {
                port: start.port,
                concurrency: usize::from(start.concurrency),
                routes,
            };
            if start.watch {
                let common = &start.common;
                let pipeline = crate::pipeline::Options {
                    build: super::build_args_options(&common.build),
                    reuse_build: common.no_build,
                    output: None,
                    includes: Vec::new(),
                };
                return local::watch::start(
                    super::selection(global, Some(&common.build.flags)),
                    common.function.clone(),
                    pipeline,
                    overrides(common)?,
                    options,
                    ui,
                );
            }
            // One function when it is named (or run as a container); else every function.
            let functions = if start.common.function.is_some() || start.common.container {
                vec![prepare(global, &start.common, ui)?]
            } else {
                prepare_all(global, &start.common, ui)?
            };
            local::runtime()?.block_on(local::serve(functions, options, ui, None))
        }
    }
}

/// Packs every function of the selection and unpacks each as FC would.
pub fn prepare_all(global: &GlobalArgs, common: &LocalCommon, ui: &Ui) -> Result<Vec<Prepared>> {
    let overrides = overrides(common)?;
    let project = project::load(&super::selection(global, Some(&common.build.flags)))?;
    let packed = super::pack::pack(&project, &pack_args(common), ui)?;
    local::prepare_all(&project, packed, &overrides, ui)
}

/// Packs the one function to run and unpacks it as FC would.
fn prepare(global: &GlobalArgs, common: &LocalCommon, ui: &Ui) -> Result<Prepared> {
    let overrides = overrides(common)?;
    let project = project::load(&super::selection(global, Some(&common.build.flags)))?
        .only(common.function.as_deref())?;
    if common.container {
        let function = project
            .functions
            .first()
            .expect("one function is selected")
            .clone();
        let run = match &common.container_image {
            Some(image) => ContainerRun {
                image: image.clone(),
                port: container::image_port(image, ui)?,
            },
            None => {
                let pipeline = crate::pipeline::Options {
                    build: super::build_args_options(&common.build),
                    reuse_build: common.no_build,
                    output: None,
                    includes: Vec::new(),
                };
                let made =
                    container::images(&project, &pipeline, &container::Options::default(), ui)?
                        .pop()
                        .expect("one function's image was made");
                ContainerRun {
                    image: made.image.tag,
                    port: made.port,
                }
            }
        };
        return local::prepare_container(&project, &function, run, &overrides, ui);
    }
    let packed = super::pack::pack(&project, &pack_args(common), ui)?
        .pop()
        .expect("one function was packed");
    local::prepare(&project, packed, &overrides, ui)
}

/// `local` packs as `cargo fc pack` with the same build flags would.
fn pack_args(common: &LocalCommon) -> PackArgs {
    PackArgs {
        build: common.build.clone(),
        no_build: common.no_build,
        output: None,
        includes: Vec::new(),
        container: Default::default(),
    }
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
