//! The fc-runtime crate as projects get it: carried inside cargo fc, installed into its data
//! directory, patched in by the project's `.cargo/config.toml`, and updated by `cargo update`.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use cargo_fc::runtime_source::{self, RuntimeSource};
use support::fixture::{describe, run_bounded};
use support::{assert_success, cargo_fc, repo_root};

fn cargo(dir: &Path, args: &[&str], target: &Path) -> std::process::Output {
    let mut command = Command::new("cargo");
    command
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS");
    run_bounded(command, Duration::from_secs(15 * 60))
}

#[track_caller]
fn assert_cargo(output: &std::process::Output) {
    assert!(output.status.success(), "{}", describe(output));
}

/// The version of fc-runtime a project's lock file holds.
fn locked_version(project: &Path) -> String {
    let lock = std::fs::read_to_string(project.join("Cargo.lock")).expect("a Cargo.lock");
    let entry = lock
        .split("[[package]]")
        .find(|entry| entry.contains("name = \"fc-runtime\""))
        .unwrap_or_else(|| panic!("no fc-runtime in the lock file:\n{lock}"));
    entry
        .lines()
        .find_map(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("a version")
        .to_owned()
}

/// The embedded source with its version bumped by a patch and a change a test can see.
fn fixed_release(source: &RuntimeSource) -> (RuntimeSource, String) {
    let version = source.version().to_owned();
    let mut parts: Vec<u64> = version.split('.').map(|p| p.parse().unwrap()).collect();
    parts[2] += 1;
    let next = format!("{}.{}.{}", parts[0], parts[1], parts[2]);
    let files = source
        .files()
        .iter()
        .map(|(path, contents)| {
            let text = String::from_utf8_lossy(contents);
            let contents = if path == Path::new("Cargo.toml") {
                text.replacen(
                    &format!("version = \"{version}\""),
                    &format!("version = \"{next}\""),
                    1,
                )
                .into_bytes()
            } else if path == Path::new("src/lib.rs") {
                format!("{text}\n/// The fix a newer cargo fc delivered.\npub const DELIVERED_FIX: u32 = 1;\n")
                    .into_bytes()
            } else {
                contents.clone()
            };
            (path.clone(), contents)
        })
        .collect();
    (RuntimeSource::from_files(files).unwrap(), next)
}

#[test]
fn a_new_project_builds_offline_and_cargo_update_brings_a_runtime_fix() {
    let scratch = tempfile::Builder::new()
        .prefix("cargo-fc-runtime-")
        .tempdir()
        .unwrap();
    let data_home = scratch.path().join("data");
    let project = scratch.path().join("fixme");
    // One target folder for every run of this test, so that only the first compiles much.
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("runtime-crate-target");

    let mut new = cargo_fc();
    new.args(["new", "fixme", "--path"])
        .arg(&project)
        .env("XDG_DATA_HOME", &data_home);
    assert_success(&new.output().unwrap());
    let embedded = RuntimeSource::embedded();
    let installed = data_home
        .join("cargo-fc")
        .join(format!("fc-runtime-{}", embedded.version()));
    assert!(installed.join("src/lib.rs").is_file(), "{installed:?}");
    assert!(
        !project.join("src/fc").exists() && !project.join("src/lib.rs").exists(),
        "no runtime source in the project"
    );

    // The dependencies come from the registry once; then the project builds offline, with
    // fc-runtime from cargo fc's data directory.
    assert_cargo(&cargo(&project, &["fetch"], &target));
    assert_cargo(&cargo(
        &project,
        &["check", "--offline", "--quiet"],
        &target,
    ));
    assert_eq!(locked_version(&project), embedded.version());

    // A newer cargo fc carries a fix: it installs it beside the old version.
    let (fixed, next) = fixed_release(&embedded);
    runtime_source::install(&fixed, &data_home.join("cargo-fc")).unwrap();
    assert!(
        installed.join("src/lib.rs").is_file(),
        "the old version stays"
    );
    assert_cargo(&cargo(
        &project,
        &["update", "-p", "fc-runtime", "--offline"],
        &target,
    ));
    assert_eq!(locked_version(&project), next);
    // The fix is what the project compiles against now.
    let main = project.join("src/main.rs");
    let source = std::fs::read_to_string(&main).unwrap();
    std::fs::write(
        &main,
        format!("{source}\nconst _: u32 = fc_runtime::DELIVERED_FIX;\n"),
    )
    .unwrap();
    assert_cargo(&cargo(
        &project,
        &["check", "--offline", "--quiet"],
        &target,
    ));
}

#[test]
fn the_carried_source_is_what_cargo_package_packs() {
    let mut list = Command::new("cargo");
    list.args([
        "package",
        "--list",
        "--allow-dirty",
        "--offline",
        "-p",
        "fc-runtime",
    ])
    .current_dir(repo_root());
    let output = run_bounded(list, Duration::from_secs(120));
    assert_cargo(&output);
    let mut packaged: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        // Written by cargo package itself.
        .filter(|name| {
            !matches!(
                *name,
                "Cargo.toml.orig" | ".cargo_vcs_info.json" | "Cargo.lock"
            )
        })
        .map(str::to_owned)
        .collect();
    packaged.sort();
    let carried: Vec<String> = RuntimeSource::embedded()
        .files()
        .iter()
        .map(|(path, _)| path.to_string_lossy().into_owned())
        .collect();
    assert_eq!(carried, packaged);
}
