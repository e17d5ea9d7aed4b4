//! `cargo fc check`.

use crate::check;
use crate::cli::{CheckArgs, GlobalArgs};
use crate::error::Result;
use crate::ui::Ui;

pub fn run(global: &GlobalArgs, args: &CheckArgs, ui: &Ui) -> Result<()> {
    let options = check::CheckOptions {
        template: args.template.clone(),
        deny_warnings: args.deny_warnings,
    };
    check::command(&super::selection(global, None), &options, ui)
}
