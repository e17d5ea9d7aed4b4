//! `cargo fc doctor`: the report of this machine, on stdout.

use std::io::Write;

use crate::cli::GlobalArgs;
use crate::doctor::{self, CannotBuild};
use crate::error::Result;
use crate::ui::Ui;

pub fn run(global: &GlobalArgs, ui: &Ui) -> Result<()> {
    let report = doctor::examine(&super::selection(global, None));
    if ui.is_json() {
        ui.json(&report.to_json());
    } else {
        let mut stdout = std::io::stdout().lock();
        // A closed stdout (piped into `head`) is the reader's choice, not an error of ours.
        let _ = stdout.write_all(report.render(ui.color()).as_bytes());
        let _ = stdout.flush();
    }
    if report.can_build {
        Ok(())
    } else {
        Err(CannotBuild.into())
    }
}
