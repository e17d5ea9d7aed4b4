//! docs/cli.md is the `--help` of every command, generated from the clap tree, so the reference
//! never drifts from the binary. After changing the CLI, regenerate it with
//! `UPDATE_SNAPSHOTS=1 cargo test --test cli_reference` and commit the result.

use std::path::Path;

use cargo_fc::cli::CargoCli;
use clap::CommandFactory;

/// Every command under `cargo fc`, depth first, with its full name.
fn commands(command: &clap::Command, name: String, out: &mut Vec<(String, clap::Command)>) {
    out.push((name.clone(), command.clone()));
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        commands(sub, format!("{name} {}", sub.get_name()), out);
    }
}

fn reference() -> String {
    let root = CargoCli::command();
    let fc = root
        .find_subcommand("fc")
        .expect("the fc subcommand exists")
        .clone()
        .bin_name("cargo fc");
    let mut all = Vec::new();
    commands(&fc, "cargo fc".to_string(), &mut all);
    let mut text = String::from(
        "# Command-line reference\n\nGenerated from the clap tree by `tests/cli_reference.rs`; regenerate with\n`UPDATE_SNAPSHOTS=1 cargo test --test cli_reference`.\n",
    );
    for (name, command) in all {
        let mut command = command.term_width(100).bin_name(&name);
        let help = command.render_long_help().to_string();
        text.push_str(&format!(
            "\n## `{name}`\n\n```text\n{}\n```\n",
            help.trim_end()
        ));
    }
    text
}

#[test]
fn the_cli_reference_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/cli.md");
    let expected = reference();
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v != "0") {
        std::fs::write(&path, &expected).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == expected,
        "docs/cli.md is out of date: regenerate it with `UPDATE_SNAPSHOTS=1 cargo test --test cli_reference` and commit it"
    );
}
