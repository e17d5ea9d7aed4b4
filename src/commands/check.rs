//! `cargo fc check`.

use crate::check;
use crate::cli::{CheckArgs, GlobalArgs};
use crate::error::Result;
use crate::ui::Ui;

pub fn run(global: &GlobalArgs, args: &CheckArgs, ui: &Ui) -> Result<()> {
    check::command(&super::selection(global, None), args, ui)
}
