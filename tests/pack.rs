//! `cargo fc pack` end to end: the zip read back three ways, reproducibility, and refusals.

mod support;

use std::io::{Read, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use support::fixture::ProcessGuard;
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
fn a_large_asset_packs_to_the_same_bytes_every_time() {
    // Chunks go to whichever worker is free, in an order that changes from run to run; the
    // bytes must not.
    let crate_ = TestCrate::new("repro-large");
    write_text(&crate_.path().join("media/big.log"), 40_000_000);
    assert_success(&pack(&crate_, &["--include", "media"]));
    let first = std::fs::read(crate_.zip()).unwrap();
    for _ in 0..3 {
        assert_success(&pack(&crate_, &["--no-build", "--include", "media"]));
        assert!(
            std::fs::read(crate_.zip()).unwrap() == first,
            "a repack changed the zip"
        );
    }
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
    write_random(
        &crate_.path().join("media/video.bin"),
        101_000_000,
        0x9E37_79B9_7F4A_7C15,
    );
    let output = pack(&crate_, &["--include", "media"]);
    assert_success(&output);
    assert_stderr_contains(
        &output,
        "over the 100.00 MB FC accepts through a direct API upload",
    );
    assert_stderr_contains(&output, "OSS");
}

/// `size` pseudo-random bytes, written piece by piece so that this test process stays small.
fn write_random(path: &Path, size: u64, seed: u64) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut state = seed | 1;
    let mut written = 0;
    let mut piece = Vec::with_capacity(1 << 16);
    while written < size {
        piece.clear();
        while piece.len() < (1 << 16) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            piece.extend_from_slice(&state.to_le_bytes());
        }
        let take = piece.len().min((size - written) as usize);
        file.write_all(&piece[..take]).unwrap();
        written += take as u64;
    }
}

/// `size` bytes of log-like text that deflate takes to about a third: a 1 MiB block of lines
/// made once, written again and again with a counter in front (deflate sees only 32 KiB back, so
/// it compresses like text that never repeats, and costs far less to make).
fn write_text(path: &Path, size: u64) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut block = String::new();
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    while block.len() < 1 << 20 {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        block.push_str(&format!(
            "GET /api/items/{} 200 {} ms user={}\n",
            state >> 40,
            state >> 57,
            state >> 52
        ));
    }
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut written = 0;
    let mut round = 0u64;
    while written < size {
        let piece = format!("block {round}\n{block}");
        let take = piece.len().min((size - written) as usize);
        file.write_all(&piece.as_bytes()[..take]).unwrap();
        written += take as u64;
        round += 1;
    }
}

/// The partial files in `dir`.
fn partials(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|listing| {
            listing
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| {
                    let name = p.file_name().unwrap().to_string_lossy();
                    name.starts_with(".cargo-fc-") && name.ends_with(".zip.partial")
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `cargo-fc fc pack --no-build --include media`, started.
fn spawn_pack_of_media(crate_: &TestCrate) -> ProcessGuard {
    let mut command = cargo_fc();
    command
        .args(["pack", "--no-build", "--include", "media"])
        .args(HOST)
        .current_dir(crate_.path());
    ProcessGuard::spawn(command, libc::SIGKILL)
}

/// A packed crate, and a `cargo-fc fc pack --no-build` of it plus a large text asset, started
/// and caught while it writes its partial zip.
struct Interruptible {
    crate_: TestCrate,
    previous: Vec<u8>,
    pack: ProcessGuard,
}

impl Interruptible {
    fn start(name: &str) -> Interruptible {
        let crate_ = crate_with_assets(name);
        assert_success(&pack(&crate_, &[]));
        let previous = std::fs::read(crate_.zip()).unwrap();
        write_text(&crate_.path().join("media/big.log"), 400_000_000);
        let mut pack = spawn_pack_of_media(&crate_);
        // Signal once the partial exists: it is made just before compression starts, and
        // compressing 400 MB takes seconds.
        let fc = crate_.path().join("target/fc");
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if !partials(&fc).is_empty() {
                break;
            }
            if let Some(status) = pack.child.try_wait().unwrap() {
                panic!(
                    "the pack ended ({status}) before it was caught writing:\n{}",
                    pack.stderr.text()
                );
            }
            assert!(Instant::now() < deadline, "no partial zip appeared");
            std::thread::sleep(Duration::from_millis(2));
        }
        Interruptible {
            crate_,
            previous,
            pack,
        }
    }

    fn fc_dir(&self) -> PathBuf {
        self.crate_.path().join("target/fc")
    }
}

#[test]
fn ctrl_c_and_sigterm_while_zipping_exit_130_and_leave_the_previous_zip() {
    for (name, signal) in [("sigint", libc::SIGINT), ("sigterm", libc::SIGTERM)] {
        let mut run = Interruptible::start(name);
        run.pack.signal(signal);
        let status = run
            .pack
            .wait(Duration::from_secs(60))
            .expect("the interrupted pack exits");
        // The error line is the last thing the process writes; its pipe may still be draining.
        let line = run
            .pack
            .stderr
            .wait_for(Duration::from_secs(10), |l| l.contains("error:"));
        let text = run.pack.stderr.text();
        assert_eq!(status.code(), Some(130), "{name}: {text}");
        let line = line.unwrap_or_else(|| panic!("{name}: no error line in\n{text}"));
        assert!(
            line.contains("interrupted; removed the unfinished package"),
            "{name}: {text}"
        );
        assert!(!text.contains("panicked"), "{name}: {text}");
        assert_eq!(partials(&run.fc_dir()), Vec::<PathBuf>::new(), "{name}");
        assert!(
            std::fs::read(run.crate_.zip()).unwrap() == run.previous,
            "{name}: the previous zip changed"
        );
    }
}

#[test]
fn a_killed_pack_s_partial_is_swept_by_the_next_pack_and_live_ones_are_not() {
    let mut run = Interruptible::start("sigkill");
    run.pack.signal(libc::SIGKILL);
    run.pack
        .wait(Duration::from_secs(60))
        .expect("SIGKILL ends it");
    let debris = partials(&run.fc_dir());
    assert_eq!(
        debris.len(),
        1,
        "SIGKILL cannot be cleaned up after: {debris:?}"
    );
    assert!(std::fs::read(run.crate_.zip()).unwrap() == run.previous);

    // Another pack's partial, alive: this test's pid, and locked as a writer locks it.
    let live = run.fc_dir().join(format!(
        ".cargo-fc-{}-tEsT01.zip.partial",
        std::process::id()
    ));
    let file = std::fs::File::create(&live).unwrap();
    file.lock().unwrap();

    let output = pack(&run.crate_, &["--no-build", "-v"]);
    assert_success(&output);
    assert_stderr_contains(&output, "left by a pack that was killed");
    assert_eq!(partials(&run.fc_dir()), std::slice::from_ref(&live));
    let archive = zip::ZipArchive::new(std::fs::File::open(run.crate_.zip()).unwrap()).unwrap();
    assert_eq!(archive.len(), 4);
    drop(file);
    std::fs::remove_file(live).unwrap();
}

/// The peak resident memory of a process, read from /proc while it runs: VmHWM, its own
/// high-water mark (getrusage's would add this test process's own memory, from before exec).
fn peak_memory_while_running(pack: &mut ProcessGuard) -> (std::process::ExitStatus, u64) {
    let status_file = format!("/proc/{}/status", pack.pid());
    let mut peak = 0;
    loop {
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:"))
        {
            let kb: u64 = line
                .split_whitespace()
                .nth(1)
                .and_then(|v| v.parse().ok())
                .unwrap();
            peak = peak.max(kb * 1024);
        }
        if let Some(status) = pack.child.try_wait().unwrap() {
            return (status, peak);
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn memory_stays_bounded_whatever_the_size_of_an_asset() {
    let crate_ = TestCrate::new("bounded");
    assert_success(&pack(&crate_, &[]));
    write_text(&crate_.path().join("media/big.log"), 200_000_000);
    write_random(&crate_.path().join("media/big.bin"), 120_000_000, 42);
    let mut run = spawn_pack_of_media(&crate_);
    let (status, peak) = peak_memory_while_running(&mut run);
    assert!(status.success(), "{}", run.stderr.text());
    // The bound: 64 MB plus a chunk (1 MiB) per core, for any asset size.
    let cores = std::thread::available_parallelism().unwrap().get() as u64;
    let bound = 64_000_000 + cores * (1 << 20);
    assert!(peak > 0, "VmHWM was never read");
    assert!(
        peak <= bound,
        "peak RSS {peak} bytes packing 320 MB of assets, over {bound}"
    );
    // And the zip is whole: both assets read back.
    let mut archive = zip::ZipArchive::new(std::fs::File::open(crate_.zip()).unwrap()).unwrap();
    for (name, size) in [
        ("media/big.bin", 120_000_000),
        ("media/big.log", 200_000_000),
    ] {
        let mut file = archive.by_name(name).unwrap();
        assert_eq!(
            std::io::copy(&mut file, &mut std::io::sink()).unwrap(),
            size
        );
    }
}

#[test]
fn incompressible_inputs_over_500_mb_are_refused_before_compressing() {
    let crate_ = TestCrate::new("toolarge");
    assert_success(&pack(&crate_, &[]));
    let previous = std::fs::read(crate_.zip()).unwrap();
    // 100 MB of random bytes packed six times over (six destinations, one file on disk).
    write_random(&crate_.path().join("media/video.bin"), 100_000_000, 7);
    let mut args = vec!["--no-build"];
    let specs: Vec<String> = (0..6)
        .map(|i| format!("media/video.bin:copies/{i}.bin"))
        .collect();
    for spec in &specs {
        args.extend(["--include", spec]);
    }
    let output = pack(&crate_, &args);
    assert_exit(&output, 4);
    assert_stderr_contains(
        &output,
        "would be at least 600.00 MB however well it compresses",
    );
    assert_stderr_contains(&output, "`copies/0.bin` (100.00 MB) does not compress");
    assert!(std::fs::read(crate_.zip()).unwrap() == previous);
    assert_eq!(
        partials(&crate_.path().join("target/fc")),
        Vec::<PathBuf>::new()
    );
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

#[test]
fn an_entry_of_4_gib_or_more_gets_zip64_sizes() {
    let crate_ = TestCrate::new("zip64");
    // 4.5 GB that take no disk: a sparse file of zeros, with a tail to check.
    let big = crate_.path().join("media/sparse.bin");
    std::fs::create_dir_all(big.parent().unwrap()).unwrap();
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(4_500_000_000).unwrap();
    file.write_all_at(b"end", 4_500_000_000).unwrap();
    drop(file);
    let output = pack(&crate_, &["--include", "media"]);
    assert_success(&output);
    let listing = Command::new("unzip")
        .arg("-Z")
        .arg(crate_.zip())
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&listing.stdout);
    assert!(
        listing.contains("4500000003") && listing.contains("media/sparse.bin"),
        "{listing}"
    );
    // Python's zipfile checks every CRC-32 and size as it reads.
    let script = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\ni = z.getinfo('media/sparse.bin')\nprint(i.file_size, z.open(i).read(1) == b'\\0')";
    let python = Command::new("python3")
        .args(["-c", script])
        .arg(crate_.zip())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&python.stdout).trim(),
        "4500000003 True",
        "{}",
        String::from_utf8_lossy(&python.stderr)
    );
}
