//! `cargo fc completions SHELL`.

use std::io::Write;

use crate::cli::{CompletionsArgs, completion_script};
use crate::error::Result;

pub fn run(args: &CompletionsArgs) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    // A closed stdout (piped into `head`) is the reader's choice, not an error of ours.
    let _ = stdout.write_all(completion_script(args.shell).as_bytes());
    let _ = stdout.flush();
    Ok(())
}
