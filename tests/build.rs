//! `cargo fc build` end to end: real crates, real builders, the executables they produce.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use cargo_fc::platform::{Runtime, SymbolVersion};
use cargo_fc::verify::{self, Family};
use support::*;

#[test]
fn zig_build_for_custom_needs_at_most_glibc_2_24_and_runs_here() {
    if !zig_available() {
        return;
    }
    let crate_ = TestCrate::new("zig-hello");
    let output = crate_.cargo_fc(&["build", "--builder", "zig"]);
    assert_success(&output);
    let bootstrap = crate_.bootstrap();
    let mode = std::fs::metadata(&bootstrap).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o755);
    let facts = verify::inspect(&bootstrap).unwrap();
    let glibc = facts.highest(Family::Glibc).expect("links glibc");
    assert!(glibc <= SymbolVersion::new(2, 24, 0), "needs glibc {glibc}");
    assert_stderr_contains(&output, "Verified");
    let run = Command::new(&bootstrap).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&run.stdout),
        "hello from zig-hello\n"
    );
}

#[test]
fn host_build_for_custom_is_rejected_with_the_glibc_message() {
    let crate_ = TestCrate::new("host-hello");
    let output = crate_.cargo_fc(&["build", "--builder", "cargo"]);
    assert_exit(&output, 3);
    let message = stderr(&output);
    for expected in [
        "will not start on FC runtime `custom` (Debian 9, glibc 2.24)",
        "GLIBC_2.34",
        "__libc_start_main",
        "--builder zig",
        "--runtime custom.debian12",
        "--no-verify",
    ] {
        assert!(
            message.contains(expected),
            "missing {expected:?} in:\n{message}"
        );
    }
}

#[test]
fn host_build_for_debian12_is_accepted_and_runs() {
    let crate_ = TestCrate::new("host-bookworm");
    let output = crate_.cargo_fc(&[
        "build",
        "--builder",
        "cargo",
        "--runtime",
        "custom.debian12",
    ]);
    assert_success(&output);
    let run = Command::new(crate_.bootstrap()).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&run.stdout),
        "hello from host-bookworm\n"
    );
}

#[test]
fn no_verify_skips_the_check_loudly() {
    let crate_ = TestCrate::new("unchecked");
    let output = crate_.cargo_fc(&["build", "--builder", "cargo", "--no-verify"]);
    assert_success(&output);
    assert_stderr_contains(&output, "warning: --no-verify");
}

#[test]
fn configuration_picks_runtime_and_builder_and_flags_override_it() {
    let crate_ = TestCrate::with_metadata(
        "configured",
        "[package.metadata.fc]\nruntime = \"custom.debian12\"\nbuilder = \"cargo\"\n",
    );
    let output = crate_.cargo_fc(&["build"]);
    assert_success(&output);
    assert_stderr_contains(&output, "for custom.debian12 with the cargo builder");
    // The flag wins over the key: the same host build is now judged against Debian 9.
    let output = crate_.cargo_fc(&["build", "--runtime", "custom"]);
    assert_exit(&output, 3);
}

#[test]
fn workspace_defaults_apply_to_members() {
    let crate_ = TestCrate::with_metadata(
        "member",
        "[workspace]\n\n[workspace.metadata.fc]\nruntime = \"custom.debian12\"\nbuilder = \"cargo\"\n",
    );
    let output = crate_.cargo_fc(&["build"]);
    assert_success(&output);
    assert_stderr_contains(&output, "for custom.debian12");
}

#[test]
fn cargo_flags_pass_through() {
    let crate_ = TestCrate::new("flags");
    let output = crate_.cargo_fc(&[
        "build",
        "--builder",
        "cargo",
        "--runtime",
        "custom.debian12",
        "--features",
        "loud",
        "--debug",
        "-j",
        "1",
    ]);
    assert_success(&output);
    assert_stderr_contains(&output, "`dev` profile");
    let run = Command::new(crate_.bootstrap()).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&run.stdout), "HELLO from flags\n");
    // Arguments after `--` reach cargo itself.
    let output = crate_.cargo_fc(&[
        "build",
        "--builder",
        "cargo",
        "--runtime",
        "custom.debian12",
        "--",
        "--config",
        "profile.release.debug=true",
    ]);
    assert_success(&output);
}

#[test]
fn json_messages_describe_each_function() {
    let crate_ = TestCrate::new("json-out");
    let output = crate_.cargo_fc(&[
        "build",
        "--builder",
        "cargo",
        "--runtime",
        "custom.debian12",
        "--message-format",
        "json",
    ]);
    assert_success(&output);
    let line = stdout(&output);
    let message: serde_json::Value = serde_json::from_str(line.trim()).expect("one JSON object");
    assert_eq!(message["bin"], "json-out");
    assert_eq!(message["runtime"], "custom.debian12");
    assert_eq!(message["builder"], "cargo");
    assert_eq!(message["glibc"], "2.34");
    assert_eq!(
        message["bootstrap"],
        crate_.bootstrap().display().to_string()
    );
}

#[test]
fn compile_errors_fail_with_cargos_message_and_status_101() {
    let crate_ = TestCrate::new("broken");
    crate_.write("src/main.rs", "fn main() { let x: u32 = \"text\"; }\n");
    let output = crate_.cargo_fc(&["build", "--builder", "cargo"]);
    assert_exit(&output, 101);
    let message = stderr(&output);
    assert!(message.contains("mismatched types"), "{message}");
    assert!(message.contains("cargo build failed"), "{message}");
    assert!(!crate_.bootstrap().exists());
}

#[test]
fn selection_errors_name_what_is_missing() {
    let crate_ = TestCrate::new("selected");
    let output = crate_.cargo_fc(&["build", "--bin", "nope"]);
    assert_exit(&output, 2);
    assert_stderr_contains(&output, "no bin target named `nope`");
    assert_stderr_contains(&output, "available binaries: selected");

    let output = crate_.cargo_fc(&["build", "-p", "other"]);
    assert_exit(&output, 2);
    assert_stderr_contains(&output, "package `other` is not in the workspace");

    let output = crate_.cargo_fc(&["build", "--manifest-path", "/nonexistent/Cargo.toml"]);
    assert_exit(&output, 2);
    assert_stderr_contains(&output, "/nonexistent/Cargo.toml");
}

#[test]
fn config_errors_point_into_cargo_toml() {
    let crate_ = TestCrate::with_metadata(
        "badkey",
        "[package.metadata.fc]\nruntime = \"custom\"\nbuilderr = \"zig\"\n",
    );
    let output = crate_.cargo_fc(&["build"]);
    assert_exit(&output, 2);
    let message = stderr(&output);
    let manifest = crate_.path().join("Cargo.toml");
    assert!(
        message.contains(&format!(
            "{}:11:1: unknown key `builderr`",
            manifest.display()
        )),
        "{message}"
    );
    // The offending line is shown under the message, as a template's is.
    assert!(
        message.contains("11 | builderr = \"zig\"\n   | ^^^^^^^^\n"),
        "{message}"
    );
    assert!(message.contains("did you mean `builder`?"), "{message}");
    assert!(!message.contains("panicked"), "{message}");

    let crate_ = TestCrate::with_metadata(
        "badruntime",
        "[package.metadata.fc]\nruntime = \"custom.debian8\"\n",
    );
    let output = crate_.cargo_fc(&["build"]);
    assert_exit(&output, 2);
    assert_stderr_contains(
        &output,
        "`runtime = \"custom.debian8\"` in [package.metadata.fc] is not an FC custom runtime",
    );

    let output = crate_.cargo_fc(&["build", "--runtime", "python3"]);
    assert_exit(&output, 2);
}

#[test]
fn help_works_as_cargo_runs_it() {
    let output = cargo_fc().arg("--help").output().unwrap();
    assert_success(&output);
    let help = stdout(&output);
    assert!(help.contains("build"), "{help}");
    assert!(help.contains("pack"), "{help}");
    let output = cargo_fc().args(["build", "--help"]).output().unwrap();
    assert!(stdout(&output).contains("--no-verify"));
    assert!(Runtime::find("custom").is_some());
}

#[test]
fn missing_zig_tools_say_how_to_install_them() {
    let crate_ = TestCrate::new("nozig");
    let cargo = which::which("cargo").unwrap();
    let path = format!("{}:/usr/bin:/bin", cargo.parent().unwrap().display());
    let output = support::cargo_fc()
        .args(["build", "--builder", "zig"])
        .current_dir(crate_.path())
        .env("PATH", path)
        .output()
        .unwrap();
    assert_exit(&output, 5);
    assert_stderr_contains(&output, "cargo-zigbuild, which is not on PATH");
    assert_stderr_contains(&output, "pip install ziglang cargo-zigbuild");
}

#[test]
fn cargo_flags_are_accepted_as_cargo_spells_them() {
    let crate_ = TestCrate::new("spelled");
    let base = [
        "build",
        "--builder",
        "cargo",
        "--runtime",
        "custom.debian12",
    ];
    // The release profile is the default; --release (and -r) name it as cargo does.
    for release in ["--release", "-r"] {
        let output = crate_.cargo_fc(&[&base[..], &[release]].concat());
        assert_success(&output);
    }
    assert!(
        crate_.path().join("target/release/spelled").is_file(),
        "built with the release profile"
    );
    // -F and --target-dir, cargo's spellings.
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("out");
    let target_flag = format!("--target-dir={}", target.display());
    let output = crate_.cargo_fc(&[&base[..], &["-F", "loud", &target_flag]].concat());
    assert_success(&output);
    let bootstrap = target.join("fc/spelled/bootstrap");
    let run = Command::new(&bootstrap).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&run.stdout), "HELLO from spelled\n");
    assert!(
        target.join("release/spelled").is_file(),
        "cargo used the same target dir"
    );
    // --release and --debug contradict each other, as in cargo.
    let output = crate_.cargo_fc(&[&base[..], &["--release", "--debug"]].concat());
    assert_exit(&output, 2);
}
