//! `cargo fc pack` end to end: the zip read back three ways, reproducibility, and refusals.

mod support;

use std::io::Read;
use std::process::Command;

use support::*;

/// A crate packed with the cargo builder for Debian 12, which this host's glibc satisfies.
const HOST: [&str; 4] = ["--builder", "cargo", "--runtime", "custom.debian12"];

fn pack(crate_: &TestCrate, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["pack"];
    args.extend(HOST);
    args.extend(extra);
    crate_.cargo_fc(&args)
}

fn crate_with_assets(name: &str) -> TestCrate {
    let crate_ = TestCrate::with_metadata(
        name,
        "[package.metadata.fc]\ninclude = [\"static\", \"conf/prod.toml:config.toml\"]\n",
    );
    crate_.write("static/index.html", "<h1>hi</h1>\n");
    crate_.write("static/css/site.css", "body { margin: 0 }\n");
    crate_.write("conf/prod.toml", "level = \"info\"\n");
    crate_.write("scripts/run.sh", "#!/bin/sh\necho run\n");
    let script = crate_.path().join("scripts/run.sh");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    crate_
}

#[test]
fn zip_entries_and_modes_read_back_with_zip_unzip_and_python() {
    let crate_ = crate_with_assets("packed");
    let output = pack(&crate_, &["--include", "scripts"]);
    assert_success(&output);
    let zip_path = crate_.zip();
    let message = stderr(&output);
    assert!(message.contains("5 entries"), "{message}");
    assert!(message.contains("sha256 "), "{message}");

    // The zip crate.
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let mut seen = Vec::new();
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).unwrap();
        let name = file.name().unwrap().to_string();
        seen.push((name.clone(), file.unix_mode().unwrap() & 0o777));
        if name == "config.toml" {
            let mut text = String::new();
            file.read_to_string(&mut text).unwrap();
            assert_eq!(text, "level = \"info\"\n");
        }
    }
    assert_eq!(
        seen,
        [
            ("bootstrap".to_string(), 0o755),
            ("config.toml".to_string(), 0o644),
            ("scripts/run.sh".to_string(), 0o755),
            ("static/css/site.css".to_string(), 0o644),
            ("static/index.html".to_string(), 0o644),
        ]
    );

    // Info-ZIP's unzip.
    let listing = Command::new("unzip")
        .arg("-Z")
        .arg(&zip_path)
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&listing.stdout);
    assert!(
        listing.contains("-rwxr-xr-x") && listing.contains("bootstrap"),
        "{listing}"
    );
    assert!(
        listing.contains("-rw-r--r--") && listing.contains("static/index.html"),
        "{listing}"
    );
    let test = Command::new("unzip")
        .arg("-tq")
        .arg(&zip_path)
        .status()
        .unwrap();
    assert!(test.success());

    // Python's zipfile, which FC's own tooling family uses.
    let script = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nfor i in z.infolist(): print(i.filename, oct(i.external_attr >> 16 & 0o777), i.date_time[0])";
    let python = Command::new("python3")
        .args(["-c", script])
        .arg(&zip_path)
        .output()
        .unwrap();
    assert!(
        python.status.success(),
        "{}",
        String::from_utf8_lossy(&python.stderr)
    );
    let lines = String::from_utf8_lossy(&python.stdout);
    assert!(lines.contains("bootstrap 0o755 1980"), "{lines}");
    assert!(lines.contains("scripts/run.sh 0o755 1980"), "{lines}");
    assert!(lines.contains("config.toml 0o644 1980"), "{lines}");

    // The packed bootstrap is the built one and runs.
    let unpacked = tempfile::tempdir().unwrap();
    assert!(
        Command::new("unzip")
            .arg("-q")
            .arg(&zip_path)
            .arg("-d")
            .arg(unpacked.path())
            .status()
            .unwrap()
            .success()
    );
    let run = Command::new(unpacked.path().join("bootstrap"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&run.stdout), "hello from packed\n");
}

#[test]
fn packing_twice_gives_identical_bytes_even_after_touching_files() {
    let crate_ = crate_with_assets("repro");
    assert_success(&pack(&crate_, &[]));
    let first = std::fs::read(crate_.zip()).unwrap();
    // New mtimes on the assets must not change a byte.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    crate_.write("static/index.html", "<h1>hi</h1>\n");
    assert_success(&pack(&crate_, &["--no-build"]));
    let second = std::fs::read(crate_.zip()).unwrap();
    assert!(first == second, "packing twice changed the zip");

    // SOURCE_DATE_EPOCH sets the timestamp, deterministically.
    let mut args = vec!["pack", "--no-build"];
    args.extend(HOST);
    let output = crate_.cargo_fc_with(&args, &[("SOURCE_DATE_EPOCH", "1700000000")]);
    assert_success(&output);
    let dated = std::fs::read(crate_.zip()).unwrap();
    assert!(dated != first);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&dated)).unwrap();
    let time = archive
        .by_name("bootstrap")
        .unwrap()
        .last_modified()
        .unwrap();
    assert_eq!((time.year(), time.month(), time.day()), (2023, 11, 14));
    assert_success(&crate_.cargo_fc_with(&args, &[("SOURCE_DATE_EPOCH", "1700000000")]));
    assert!(std::fs::read(crate_.zip()).unwrap() == dated);
}

#[test]
fn git_and_target_are_never_included() {
    let crate_ = TestCrate::new("noswept");
    crate_.write(".git/config", "[core]\n");
    crate_.write("data/.git/HEAD", "ref\n");
    crate_.write("data/keep.txt", "keep\n");
    let output = pack(&crate_, &["--include", "*", "--include", "data"]);
    assert_success(&output);
    let archive = zip::ZipArchive::new(std::fs::File::open(crate_.zip()).unwrap()).unwrap();
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().to_string())
        .collect();
    assert!(names.iter().any(|n| n == "data/keep.txt"), "{names:?}");
    assert!(names.iter().any(|n| n == "Cargo.toml"), "{names:?}");
    assert!(
        names
            .iter()
            .all(|n| !n.contains(".git") && !n.starts_with("target/")),
        "{names:?}"
    );
}

#[test]
fn unsafe_includes_are_refused_and_the_previous_zip_survives() {
    let crate_ = crate_with_assets("refusals");
    assert_success(&pack(&crate_, &[]));
    let good = std::fs::read(crate_.zip()).unwrap();

    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret"), "s").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret"),
        crate_.path().join("static/leak"),
    )
    .unwrap();
    let output = pack(&crate_, &["--no-build"]);
    assert_exit(&output, 4);
    assert_stderr_contains(&output, "points outside the project");
    std::fs::remove_file(crate_.path().join("static/leak")).unwrap();

    for (include, expected) in [
        ("static:../up", "escapes the archive root"),
        ("static:/abs", "is absolute"),
        (
            "conf/prod.toml:static/index.html",
            "both map to `static/index.html`",
        ),
        ("nothing-here", "no such file or folder"),
    ] {
        let output = pack(&crate_, &["--no-build", "--include", include]);
        assert_exit(&output, 4);
        assert!(
            stderr(&output).contains(expected),
            "{include}: {}",
            stderr(&output)
        );
    }
    assert!(
        std::fs::read(crate_.zip()).unwrap() == good,
        "a failed pack changed the previous zip"
    );
    let leftovers: Vec<_> = std::fs::read_dir(crate_.path().join("target/fc"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn json_messages_carry_the_package_facts() {
    let crate_ = TestCrate::new("jsonpack");
    let output = pack(
        &crate_,
        &["--message-format", "json", "--output", "out/fn.zip"],
    );
    assert_success(&output);
    let message: serde_json::Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    let zip_path = crate_.path().join("out/fn.zip");
    assert_eq!(message["zip"], zip_path.display().to_string());
    let bytes = std::fs::read(&zip_path).unwrap();
    assert_eq!(message["size"], bytes.len() as u64);
    assert_eq!(message["entries"], 1);
    assert_eq!(message["glibc"], "2.34");
    let sha = Command::new("sha256sum").arg(&zip_path).output().unwrap();
    let sha = String::from_utf8_lossy(&sha.stdout);
    assert_eq!(message["sha256"], sha.split_whitespace().next().unwrap());
    // Human lines stay off stdout.
    assert_eq!(stdout(&output).lines().count(), 1);
}

#[test]
fn zig_pack_for_custom_is_a_deployable_package() {
    if !zig_available() {
        return;
    }
    let crate_ = TestCrate::new("zigpack");
    let output = crate_.cargo_fc(&["pack", "--builder", "zig"]);
    assert_success(&output);
    let mut archive = zip::ZipArchive::new(std::fs::File::open(crate_.zip()).unwrap()).unwrap();
    let mut bootstrap = archive.by_name("bootstrap").unwrap();
    assert_eq!(bootstrap.unix_mode().unwrap() & 0o777, 0o755);
    let mut bytes = Vec::new();
    bootstrap.read_to_end(&mut bytes).unwrap();
    assert_eq!(bytes, std::fs::read(crate_.bootstrap()).unwrap());
}

#[test]
fn packages_over_100_mb_get_the_oss_warning() {
    let crate_ = TestCrate::new("large");
    // Incompressible bytes, so the zip really is over the limit.
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut data = Vec::with_capacity(101_000_000);
    while data.len() < 101_000_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        data.extend_from_slice(&state.to_le_bytes());
    }
    std::fs::create_dir_all(crate_.path().join("media")).unwrap();
    std::fs::write(crate_.path().join("media/video.bin"), &data).unwrap();
    drop(data);
    let output = pack(&crate_, &["--include", "media"]);
    assert_success(&output);
    assert_stderr_contains(
        &output,
        "over the 100.00 MB FC accepts through a direct API upload",
    );
    assert_stderr_contains(&output, "OSS");
}

#[test]
fn slash_destinations_and_links_to_target_or_git() {
    let crate_ = crate_with_assets("edges");
    assert_success(&pack(&crate_, &[]));
    crate_.write(".git/HEAD", "ref: refs/heads/main\n");
    let link = |to: &str, at: &str| {
        std::os::unix::fs::symlink(crate_.path().join(to), crate_.path().join(at)).unwrap()
    };
    link("target", "static/build");
    link("target/fc", "static/fc");
    link(".git", "static/repo");
    let output = pack(
        &crate_,
        &[
            "--no-build",
            "--include",
            "conf/prod.toml:etc/",
            "--include",
            "static/../scripts",
        ],
    );
    assert_success(&output);
    let archive = zip::ZipArchive::new(std::fs::File::open(crate_.zip()).unwrap()).unwrap();
    let mut names: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().to_string())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "bootstrap",
            "config.toml",
            "etc/prod.toml",
            "scripts/run.sh",
            "static/css/site.css",
            "static/index.html",
        ]
    );
}
