//! The plain builder: the host's own cargo. Its output runs on FC only when the host's glibc is
//! no newer than the runtime's, which the verify step checks.

use std::process::Command;

use super::{Builder, BuilderKind, CargoOutput, run_host};
use crate::error::Result;
use crate::ui::Ui;

pub struct CargoBuilder {
    cargo: std::ffi::OsString,
}

impl CargoBuilder {
    pub fn new() -> Self {
        Self {
            cargo: cargo_program(),
        }
    }
}

/// The cargo to build with: under `cargo fc`, CARGO names the cargo that ran us.
pub(crate) fn cargo_program() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

impl Builder for CargoBuilder {
    fn kind(&self) -> BuilderKind {
        BuilderKind::Cargo
    }

    fn run(&self, args: &[String], output: &mut CargoOutput, ui: &Ui) -> Result<()> {
        let mut command = Command::new(&self.cargo);
        command.arg("build").args(args);
        run_host(
            command,
            output,
            "cargo build",
            "make sure cargo is installed and on PATH",
            ui,
        )
    }
}
