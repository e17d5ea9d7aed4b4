//! `cargo fc new` as a user runs it, in folders with and without a workspace around them.

mod support;

use support::*;

#[test]
fn new_inside_a_workspace_adds_the_package_to_its_members() {
    let root = tempfile::tempdir().unwrap();
    std::fs::write(
        root.path().join("Cargo.toml"),
        "# the team's workspace\n[workspace]\nresolver = \"2\"\nmembers = [\"existing\"]\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.path().join("existing/src")).unwrap();
    std::fs::write(
        root.path().join("existing/Cargo.toml"),
        "[package]\nname = \"existing\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    std::fs::write(root.path().join("existing/src/main.rs"), "fn main() {}\n").unwrap();
    let output = cargo_fc()
        .args(["new", "hello", "--path", "functions/hello"])
        .current_dir(root.path())
        .output()
        .unwrap();
    assert_success(&output);
    assert_stderr_contains(&output, "Adding `hello` as member of workspace");
    let manifest = std::fs::read_to_string(root.path().join("Cargo.toml")).unwrap();
    assert!(
        manifest.starts_with("# the team's workspace\n"),
        "{manifest}"
    );
    assert!(
        manifest.contains("members = [\"existing\", \"functions/hello\"]"),
        "{manifest}"
    );
    // Cargo runs from the workspace root, so that is where the runtime crate's patch goes.
    let config = std::fs::read_to_string(root.path().join(".cargo/config.toml")).unwrap();
    assert!(
        config.contains("[patch.crates-io]") && config.contains("fc-runtime"),
        "{config}"
    );
    // cargo itself sees the new member.
    let metadata = std::process::Command::new("cargo")
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .current_dir(root.path())
        .output()
        .unwrap();
    assert!(
        metadata.status.success(),
        "{}",
        String::from_utf8_lossy(&metadata.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&metadata.stdout).unwrap();
    let names: Vec<&str> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert!(names.contains(&"hello"), "{names:?}");
}

#[test]
fn manifest_path_to_a_folder_says_it_wants_the_cargo_toml() {
    let dir = tempfile::tempdir().unwrap();
    let output = cargo_fc()
        .args(["build", "--manifest-path"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_exit(&output, 2);
    assert_stderr_contains(&output, "is a folder, not a Cargo.toml");
    assert_stderr_contains(&output, "Cargo.toml");
}
