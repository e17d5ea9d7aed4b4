//! `cargo fc new NAME`.

use std::path::Path;

use crate::cli::NewArgs;
use crate::error::Result;
use crate::new;
use crate::ui::Ui;

pub fn run(args: &NewArgs, ui: &Ui) -> Result<()> {
    let dir = args.path.as_deref().unwrap_or(Path::new(&args.name));
    new::create(
        &args.name,
        dir,
        new::Shape {
            http: args.http,
            initializer: args.initializer,
            container: args.container,
            event: args.event,
        },
        ui,
    )
}
