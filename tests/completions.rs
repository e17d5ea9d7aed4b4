//! The completion scripts in completions/ are what `cargo fc completions SHELL` prints today.
//! After changing the CLI, regenerate them all with
//! `UPDATE_COMPLETIONS=1 cargo test --test completions` and commit the result.

use std::path::{Path, PathBuf};
use std::process::Command;

use cargo_fc::cli::completion_script;
use clap_complete::Shell;

/// Each shell and the file its script is kept in (the names each shell looks for).
const SCRIPTS: &[(Shell, &str)] = &[
    (Shell::Bash, "cargo-fc.bash"),
    (Shell::Zsh, "_cargo-fc"),
    (Shell::Fish, "cargo-fc.fish"),
    (Shell::PowerShell, "_cargo-fc.ps1"),
    (Shell::Elvish, "cargo-fc.elv"),
];

fn path_of(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("completions")
        .join(file)
}

#[test]
fn checked_in_completions_are_current() {
    let update = std::env::var_os("UPDATE_COMPLETIONS").is_some_and(|v| v != "0");
    let mut stale = Vec::new();
    for (shell, file) in SCRIPTS {
        let script = completion_script(*shell);
        let path = path_of(file);
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &script).unwrap();
            continue;
        }
        if std::fs::read_to_string(&path).ok().as_deref() != Some(script.as_str()) {
            stale.push(format!("completions/{file}"));
        }
    }
    assert!(
        stale.is_empty(),
        "out of date: {}\nregenerate with `UPDATE_COMPLETIONS=1 cargo test --test completions` and commit them",
        stale.join(", ")
    );
}

#[test]
fn the_binary_prints_the_same_script() {
    for (shell, file) in SCRIPTS {
        let name = shell.to_string();
        let out = Command::new(env!("CARGO_BIN_EXE_cargo-fc"))
            .args(["fc", "completions", &name])
            .output()
            .unwrap();
        assert!(out.status.success());
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            completion_script(*shell),
            "{file}"
        );
    }
}

#[test]
fn scripts_complete_cargo_fc_not_cargo() {
    // A script registered for `cargo` would replace the completions rustup installs for cargo.
    let bash = completion_script(Shell::Bash);
    let registrations: Vec<&str> = bash
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("complete "))
        .collect();
    assert!(!registrations.is_empty());
    for line in registrations {
        assert!(
            line.ends_with(" cargo-fc"),
            "registers for something else: {line}"
        );
    }
    let zsh = completion_script(Shell::Zsh);
    assert!(zsh.starts_with("#compdef cargo-fc\n"), "{zsh}");
    // The subcommands are all there, under `fc` as cargo passes them.
    for command in ["build", "pack", "check", "deploy", "completions"] {
        assert!(bash.contains(command), "no `{command}` in the bash script");
    }
}
