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

mod support;

/// The shell's program, or a skip (see `support::skip`).
fn shell(name: &str) -> Option<PathBuf> {
    match which::which(name) {
        Ok(path) => Some(path),
        Err(_) => {
            support::skip(&format!(
                "`{name}` is not installed: run scripts/install-tools"
            ));
            None
        }
    }
}

/// What bash's completion offers for `words`, the last one being completed, with the checked-in
/// script loaded as bash-completion would load it.
fn bash_completes(words: &[&str]) -> Option<Vec<String>> {
    let bash = shell("bash")?;
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let current = words.len() - 1;
    let script = format!(
        "source '{}'\n\
         COMP_WORDS=({})\nCOMP_CWORD={current}\n\
         spec=$(complete -p cargo-fc)\nfunction=${{spec##*-F }}; function=${{function%% *}}\n\
         \"$function\" cargo-fc \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        path_of("cargo-fc.bash").display(),
        quoted.join(" ")
    );
    let out = Command::new(bash)
        .args(["--norc", "-c", &script])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(String::from)
            .collect(),
    )
}

#[test]
fn bash_completes_subcommands_flags_and_values_after_the_first_word() {
    let Some(commands) = bash_completes(&["cargo-fc", "fc", "b"]) else {
        return;
    };
    assert_eq!(commands, ["build"]);
    let flags = bash_completes(&["cargo-fc", "fc", "pack", "--bu"]).unwrap();
    assert_eq!(flags, ["--builder"]);
    let values = bash_completes(&["cargo-fc", "fc", "build", "--builder", ""]).unwrap();
    assert_eq!(values, ["docker", "zig", "cargo"]);
    let runtimes = bash_completes(&["cargo-fc", "fc", "build", "--runtime", "custom.d"]).unwrap();
    assert!(
        runtimes.contains(&"custom.debian11".to_string()),
        "{runtimes:?}"
    );
    let nested = bash_completes(&["cargo-fc", "fc", "local", "i"]).unwrap();
    assert_eq!(nested, ["invoke"]);
}

#[test]
fn fish_completes_subcommands_and_values() {
    let Some(fish) = shell("fish") else {
        return;
    };
    let complete = |line: &str| -> Vec<String> {
        let script = format!(
            "source '{}'; complete -C '{line}'",
            path_of("cargo-fc.fish").display()
        );
        let out = Command::new(&fish)
            .args(["--no-config", "-c", &script])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Each line is the candidate, a tab, and its description.
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.split('\t').next().unwrap_or("").to_string())
            .collect()
    };
    assert!(complete("cargo-fc fc pa").contains(&"pack".to_string()));
    // fish sorts what it offers.
    assert_eq!(
        complete("cargo-fc fc build --builder "),
        ["cargo", "docker", "zig"]
    );
}

#[test]
fn zsh_completes_as_typed_at_its_prompt() {
    let (Some(zsh), Some(tmux)) = (shell("zsh"), shell("tmux")) else {
        return;
    };
    let session = format!("cargo-fc-completions-{}", std::process::id());
    let run = |args: &[&str]| Command::new(&tmux).args(args).output().expect("tmux runs");
    // A private tmux server, so that nobody else's sessions are touched.
    let socket = std::env::temp_dir().join(&session);
    let socket = socket.to_str().unwrap();
    let started = run(&[
        "-S",
        socket,
        "new-session",
        "-d",
        "-s",
        &session,
        "-x",
        "200",
        "-y",
        "20",
        zsh.to_str().unwrap(),
        "-f",
    ]);
    assert!(
        started.status.success(),
        "{}",
        String::from_utf8_lossy(&started.stderr)
    );
    let screen = || {
        String::from_utf8_lossy(&run(&["-S", socket, "capture-pane", "-p", "-t", &session]).stdout)
            .into_owned()
    };
    let wait_for = |wanted: &str| {
        // Typing is asynchronous; the screen is read until it shows the answer, a bounded
        // number of times.
        for _ in 0..100 {
            let shown = screen();
            if shown.contains(wanted) {
                return shown;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        screen()
    };
    let setup = format!(
        "PS1='> '; fpath=({} $fpath); autoload -U compinit; compinit -u; echo ready",
        path_of("").display()
    );
    run(&["-S", socket, "send-keys", "-t", &session, &setup, "Enter"]);
    wait_for("ready");
    run(&[
        "-S",
        socket,
        "send-keys",
        "-t",
        &session,
        "cargo-fc fc bui",
        "Tab",
    ]);
    let shown = wait_for("cargo-fc fc build");
    run(&[
        "-S",
        socket,
        "send-keys",
        "-t",
        &session,
        " --builder ",
        "Tab",
    ]);
    let values = wait_for("docker");
    run(&["-S", socket, "kill-server"]);
    assert!(shown.contains("cargo-fc fc build"), "{shown}");
    assert!(
        values.contains("docker") && values.contains("zig"),
        "{values}"
    );
}
