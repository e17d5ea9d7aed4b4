//! Builder images: one recipe per FC runtime, embedded in cargo fc, built through the engine.
//!
//! A recipe is a Dockerfile based on the runtime's Debian release (so its glibc is the
//! runtime's), adding a C toolchain. The Rust toolchain comes from the host: the build context,
//! made on the fly, carries the `rustc` that would build the project (`rustc --print sysroot`
//! in the workspace, so a rust-toolchain file counts) without docs, only what compiling for
//! x86_64-unknown-linux-gnu needs. This gives the image exactly the host's Rust version and
//! needs no network for Rust at all; the price is that the host must run an x86_64 Linux
//! toolchain, which is also the only architecture FC offers for custom runtimes (docs/platform.md#runtimes).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use bollard::query_parameters::{BuildImageOptionsBuilder, ListImagesOptionsBuilder};
use bytes::Bytes;
use futures_util::StreamExt;

use super::BuildError;
use crate::engine::{
    Engine, EngineError, LABEL, api_error, describe, image_labels, image_path_env,
};
use crate::error::{Result, io};
use crate::platform::{RUNTIMES, Runtime};
use crate::project;
use crate::ui::Ui;

/// The target the toolchain in a builder image compiles for and runs on.
const TOOLCHAIN_HOST: &str = "x86_64-unknown-linux-gnu";

/// The repository builder images are tagged in: `cargo-fc/builder:<runtime>-rust-<version>`.
pub const BUILDER_REPOSITORY: &str = "cargo-fc/builder";

/// Debian packages every builder image installs: a C compiler and the C library's headers (Rust
/// links through `cc`, and `-sys` crates compile C), pkg-config (how `-sys` crates find system
/// libraries) and the CA certificates (so build scripts can fetch over HTTPS).
pub const BUILDER_PACKAGES: &[&str] = &["gcc", "libc6-dev", "pkg-config", "ca-certificates"];

/// Where Debian serves the releases marked `debian_archived`.
pub const DEBIAN_ARCHIVE_MIRROR: &str = "http://archive.debian.org/debian";

/// The embedded recipes, by runtime id.
const RECIPES: &[(&str, &str)] = &[
    ("custom", include_str!("recipes/custom.Dockerfile")),
    (
        "custom.debian10",
        include_str!("recipes/custom.debian10.Dockerfile"),
    ),
    (
        "custom.debian11",
        include_str!("recipes/custom.debian11.Dockerfile"),
    ),
    (
        "custom.debian12",
        include_str!("recipes/custom.debian12.Dockerfile"),
    ),
];

/// The linker driver the recipes of releases with GCC older than 9 install (see the file).
const CC_WITHOUT_LLD: &str = include_str!("recipes/cc-without-lld");

/// The Dockerfile of a runtime's builder image.
pub fn recipe(runtime: &Runtime) -> &'static str {
    RECIPES
        .iter()
        .find(|(id, _)| *id == runtime.id)
        .map(|(_, text)| *text)
        .expect("every runtime has a recipe (tested)")
}

/// The Rust toolchain that builds a project on this host.
#[derive(Debug, Clone)]
pub struct Toolchain {
    /// `1.95.0`, `1.97.0-nightly`.
    pub version: String,
    /// The commit rustc was built from, when it says (`rustc -vV`).
    pub commit: Option<String>,
    pub host: String,
    pub sysroot: PathBuf,
}

impl Toolchain {
    /// Asks `rustc` in `dir`, so that rustup applies the directory's rust-toolchain file.
    pub fn detect(dir: &Path) -> Result<Self, BuildError> {
        let not_run = |e: std::io::Error| BuildError::ToolFailed {
            program: "rustc".into(),
            why: crate::error::describe_io(&e),
            help: "the builder image copies the host's Rust toolchain: install Rust (rustup.rs)",
        };
        // Both questions at once: through rustup's proxy each answer takes tens of
        // milliseconds, and every Docker build asks them.
        let spawn = |args: &[&str]| {
            Command::new("rustc")
                .args(args)
                .current_dir(dir)
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .map_err(not_run)
        };
        let version_args = ["-vV"];
        let sysroot_args = ["--print", "sysroot"];
        let version_child = spawn(&version_args)?;
        let sysroot_child = spawn(&sysroot_args)?;
        let answer = |args: &[&str], child: std::process::Child| -> Result<String, BuildError> {
            let output = child.wait_with_output().map_err(not_run)?;
            if !output.status.success() {
                return Err(BuildError::ToolFailed {
                    program: format!("rustc {}", args.join(" ")),
                    why: String::from_utf8_lossy(&output.stderr).trim().to_string(),
                    help: "check that `rustc` works in this folder (a rust-toolchain file may name a toolchain that is not installed)",
                });
            }
            Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
        };
        let verbose = answer(&version_args, version_child);
        let sysroot = answer(&sysroot_args, sysroot_child);
        let (verbose, sysroot) = (verbose?, PathBuf::from(sysroot?));
        let field = |name: &str| {
            verbose
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .map(|v| v.trim().to_string())
        };
        let unsaid = |what: &str| BuildError::Toolchain {
            problem: format!("`rustc -vV` did not say its {what}"),
            help: "check that `rustc` in this folder is a Rust compiler",
        };
        let version = field("release:").ok_or_else(|| unsaid("release"))?;
        let host = field("host:").ok_or_else(|| unsaid("host"))?;
        let commit = field("commit-hash:").filter(|c| c != "unknown");
        Ok(Self {
            version,
            commit,
            host,
            sysroot,
        })
    }

    /// The files of the toolchain a builder image gets, as (path in the sysroot, is a folder).
    fn parts(&self) -> Result<Vec<PathBuf>> {
        if self.host != TOOLCHAIN_HOST {
            return Err(BuildError::Toolchain {
                problem: format!(
                    "the Docker builder image copies the host's Rust toolchain, but this host's is for {}, not {TOOLCHAIN_HOST}",
                    self.host
                ),
                help: "build with an image that has Rust already: --image NAME, or `image = \"NAME\"` in [package.metadata.fc]; or --builder zig",
            }
            .into());
        }
        let mut parts = vec![PathBuf::from("bin/rustc"), PathBuf::from("bin/cargo")];
        let lib = self.sysroot.join("lib");
        let entries = std::fs::read_dir(&lib).map_err(io("read", &lib))?;
        // librustc_driver and libLLVM: the compiler itself.
        let mut libraries: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| {
                p.is_file()
                    && p.file_name()
                        .is_some_and(|n| n.to_string_lossy().contains(".so"))
            })
            .filter_map(|p| p.strip_prefix(&self.sysroot).ok().map(Path::to_path_buf))
            .collect();
        libraries.sort();
        parts.extend(libraries);
        // The standard library (lib) and rust-lld with its gcc-ld wrappers (bin), cargo's
        // default linker on this target since Rust 1.90.
        parts.push(PathBuf::from("lib/rustlib").join(TOOLCHAIN_HOST));
        for part in &parts {
            if !self.sysroot.join(part).exists() {
                return Err(BuildError::Toolchain {
                    problem: format!(
                        "the Rust toolchain at {} has no {}",
                        self.sysroot.display(),
                        part.display()
                    ),
                    help: "the builder image needs rustc, cargo and rust-std of one toolchain: `rustup component add rustc cargo rust-std`",
                }
                .into());
            }
        }
        Ok(parts)
    }
}

/// The tag of a runtime's builder image for a Rust version.
pub fn builder_tag(runtime: &Runtime, rust_version: &str) -> String {
    format!("{BUILDER_REPOSITORY}:{}-rust-{rust_version}", runtime.id)
}

/// The image a Docker build runs in, and how its containers run.
#[derive(Debug, Clone)]
pub struct BuildImage {
    pub name: String,
    /// The host's Rust sysroot that the containers run, bind-mounted read-only, instead of the
    /// image's copy of the same toolchain (see [`runs_host_toolchain`]).
    pub host_toolchain: Option<PathBuf>,
    /// The image's own `PATH`, which the toolchain's `bin` goes in front of.
    pub path: Option<String>,
}

/// The image a Docker build runs in: `image` if given (pulled when absent), otherwise the
/// runtime's builder image for the project's Rust toolchain (built when absent).
pub fn resolve(
    engine: &Engine,
    image: Option<&str>,
    runtime: &'static Runtime,
    workspace_root: &Path,
    ui: &Ui,
) -> Result<BuildImage> {
    let (name, inspected, toolchain) = match image {
        Some(name) => {
            let inspected = engine.ensure_image(name, ui)?;
            // Only cargo fc's own images are candidates, and only they make the host's
            // toolchain worth asking for: a failure to ask is no reason to fail the build.
            let toolchain = is_ours(&image_labels(&inspected))
                .then(|| Toolchain::detect(workspace_root).ok())
                .flatten();
            (name.to_string(), inspected, toolchain)
        }
        None => {
            let toolchain = Toolchain::detect(workspace_root)?;
            let tag = builder_tag(runtime, &toolchain.version);
            let inspected = match engine.inspect_image(&tag)? {
                Some(inspected) => inspected,
                None => {
                    ui.status(
                        "Image",
                        format!("builder image {tag} is not here yet; building it (first use)"),
                    );
                    build(engine, runtime, &toolchain, ui)?;
                    engine
                        .inspect_image(&tag)?
                        .ok_or_else(|| BuildError::ImageVanished { image: tag.clone() })?
                }
            };
            (tag, inspected, Some(toolchain))
        }
    };
    let labels = image_labels(&inspected);
    let host_toolchain = toolchain
        .filter(|toolchain| runs_host_toolchain(&labels, toolchain, workspace_root))
        .map(|toolchain| toolchain.sysroot);
    Ok(BuildImage {
        name,
        host_toolchain,
        path: image_path_env(&inspected),
    })
}

/// Whether cargo fc made an image: a builder image (`cargo fc image build`) or the test image
/// (`scripts/make-test-image`). Both hold a copy of the host's Rust toolchain in /usr/local,
/// and say its version in the `cargo-fc.rust` label.
fn is_ours(labels: &HashMap<String, String>) -> bool {
    labels.get(LABEL).is_some_and(|v| v == "builder")
        || labels
            .get(&format!("{LABEL}.test-image"))
            .is_some_and(|v| v == "1")
}

/// Whether a build container of an image with `labels` may run the host's toolchain, bind-mounted
/// read-only at its own path, instead of the image's copy of it.
///
/// The copy is the same files, so the result is the same; the difference is speed: the image's
/// copy is read through the engine's layered file system (fuse-overlayfs or overlayfs), which
/// for half a gigabyte of compiler libraries costs tens of milliseconds at every rustc start
/// in a fresh container, while a bind mount reads the host's files directly.
///
/// Only for cargo fc's own images, whose toolchain is by construction a copy of the host's:
/// the `cargo-fc.rust` label must equal the host's version (and `cargo-fc.rust-commit`, when the
/// image has it, the host's commit); never for any other `--image`, whatever its tag says. Only
/// on an x86_64 Linux host, whose toolchain is one the container can run. Never when the sysroot
/// is a system folder (a distribution's rustc in /usr), which would hide the image's own files,
/// or overlaps the workspace, which is mounted already.
fn runs_host_toolchain(
    labels: &HashMap<String, String>,
    toolchain: &Toolchain,
    workspace_root: &Path,
) -> bool {
    let host_fits =
        cfg!(all(target_os = "linux", target_arch = "x86_64")) && toolchain.host == TOOLCHAIN_HOST;
    let version_fits = labels.get(&format!("{LABEL}.rust")) == Some(&toolchain.version);
    let commit_fits = match labels.get(&format!("{LABEL}.rust-commit")) {
        None => true,
        Some(commit) => toolchain.commit.as_ref() == Some(commit),
    };
    let sysroot = &toolchain.sysroot;
    let place_fits = sysroot.is_absolute()
        && !is_system_folder(sysroot)
        && !sysroot.starts_with(workspace_root)
        && !workspace_root.starts_with(sysroot);
    host_fits
        && is_ours(labels)
        && version_fits
        && commit_fits
        && place_fits
        && toolchain.parts().is_ok()
}

/// Whether mounting over `path` in a container would hide files a Debian image needs.
fn is_system_folder(path: &Path) -> bool {
    const SYSTEM: &[&str] = &[
        "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/run",
        "/sbin", "/sys", "/usr", "/var",
    ];
    path.parent().is_none() || SYSTEM.iter().any(|folder| path.starts_with(folder))
}

/// Builds a runtime's builder image through the engine, showing the build steps.
pub fn build(
    engine: &Engine,
    runtime: &'static Runtime,
    toolchain: &Toolchain,
    ui: &Ui,
) -> Result<String> {
    let tag = builder_tag(runtime, &toolchain.version);
    let parts = toolchain.parts()?;
    let base = format!("debian:{}", runtime.debian_codename);
    if let Err(error) = engine.ensure_image(&base, ui) {
        return Err(match error {
            EngineError::ImageUnavailable { why, .. } => BuildError::BuilderImage {
                runtime: runtime.id,
                problem: format!(
                    "cannot be built: its base image {base} is not present locally and could not be pulled: {why}"
                ),
                help: format!(
                    "make {base} available (a reachable registry, or `docker load`), or use an image you already have: --image NAME or `image = \"NAME\"` in [package.metadata.fc]; or --builder zig"
                ),
            }
            .into(),
            other => other.into(),
        });
    }
    ui.status(
        "Building",
        format!(
            "image {tag} (Debian {} {}, Rust {} from {})",
            runtime.debian_version,
            runtime.debian_codename,
            toolchain.version,
            toolchain.sysroot.display()
        ),
    );
    let mut labels = HashMap::from([
        (LABEL.to_string(), "builder".to_string()),
        (format!("{LABEL}.runtime"), runtime.id.to_string()),
        (format!("{LABEL}.rust"), toolchain.version.clone()),
    ]);
    if let Some(commit) = &toolchain.commit {
        labels.insert(format!("{LABEL}.rust-commit"), commit.clone());
    }
    let options = BuildImageOptionsBuilder::new()
        .dockerfile("Dockerfile")
        .t(&tag)
        .labels(&labels)
        .rm(true)
        .forcerm(true)
        .build();
    let context = context_stream(recipe(runtime), toolchain.sysroot.clone(), parts);
    let progress = ui.spinner(format!("building {tag}"));
    let verbose = ui.verbosity() > 0;
    let result: std::result::Result<(), String> = engine.block_on(async {
        let mut stream =
            engine
                .docker()
                .build_image(options, None, Some(bollard::body_try_stream(context)));
        while let Some(item) = stream.next().await {
            let info = item.map_err(|e| describe(&e))?;
            if let Some(text) = &info.stream {
                for line in text.lines().filter(|l| !l.trim().is_empty()) {
                    if line.starts_with("Step ") {
                        progress.set_message(line.to_string());
                        progress.println(line);
                    } else if verbose {
                        progress.println(line);
                    }
                }
            }
        }
        Ok(())
    });
    drop(progress);
    result.map_err(|why| BuildError::BuilderImage {
        runtime: runtime.id,
        problem: format!("{tag} could not be built: {why}"),
        help: "run again with -v to see every build step's output; or use --image NAME, or --builder zig".into(),
    })?;
    ui.status("Built", format!("image {tag}"));
    Ok(tag)
}

/// The build context as a stream of tar chunks: the Dockerfile and the toolchain under `rust/`.
/// A thread writes the tar while the engine reads it, so the half-gigabyte toolchain is never
/// held in memory at once.
fn context_stream(
    dockerfile: &'static str,
    sysroot: PathBuf,
    parts: Vec<PathBuf>,
) -> impl futures_util::Stream<Item = std::io::Result<Bytes>> + Send + 'static {
    let (sender, receiver) = tokio::sync::mpsc::channel::<std::io::Result<Bytes>>(8);
    std::thread::spawn(move || {
        let writer = ChunkWriter {
            sender: sender.clone(),
            buffer: Vec::with_capacity(CHUNK),
        };
        let result = (|| -> std::io::Result<()> {
            let mut tar = tar::Builder::new(writer);
            let mut header = tar::Header::new_gnu();
            header.set_size(dockerfile.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            tar.append_data(&mut header, "Dockerfile", dockerfile.as_bytes())?;
            let mut header = tar::Header::new_gnu();
            header.set_size(CC_WITHOUT_LLD.len() as u64);
            header.set_mode(0o755);
            header.set_cksum();
            tar.append_data(&mut header, "cc-without-lld", CC_WITHOUT_LLD.as_bytes())?;
            for part in &parts {
                let source = sysroot.join(part);
                let name = Path::new("rust").join(part);
                if source.is_dir() {
                    tar.append_dir_all(&name, &source)?;
                } else {
                    tar.append_path_with_name(&source, &name)?;
                }
            }
            tar.into_inner()?.flush()
        })();
        if let Err(e) = result {
            let _ = sender.blocking_send(Err(e));
        }
    });
    futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|item| (item, receiver))
    })
}

const CHUNK: usize = 1 << 20;

/// Sends what is written in chunks to the engine request's body.
struct ChunkWriter {
    sender: tokio::sync::mpsc::Sender<std::io::Result<Bytes>>,
    buffer: Vec<u8>,
}

impl Write for ChunkWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK),
        ));
        self.sender.blocking_send(Ok(chunk)).map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "the engine stopped reading the build context",
            )
        })
    }
}

/// A builder image present in the engine.
#[derive(Debug)]
pub struct Present {
    pub tag: String,
    pub runtime: String,
    pub rust: String,
    pub size: i64,
    pub created: i64,
}

pub fn list_builders(engine: &Engine) -> Result<Vec<Present>, EngineError> {
    let filters = HashMap::from([("label", vec![format!("{LABEL}=builder")])]);
    let options = ListImagesOptionsBuilder::new().filters(&filters).build();
    let images = engine
        .block_on(engine.docker().list_images(Some(options)))
        .map_err(|e| api_error("listing images", e))?;
    let mut present: Vec<Present> = images
        .into_iter()
        .flat_map(|image| {
            let runtime = image.labels.get(&format!("{LABEL}.runtime")).cloned();
            let rust = image.labels.get(&format!("{LABEL}.rust")).cloned();
            let tags = if image.repo_tags.is_empty() {
                vec![image.id.clone()]
            } else {
                image.repo_tags.clone()
            };
            tags.into_iter()
                .filter(|t| t != "<none>:<none>")
                .map(move |tag| Present {
                    tag,
                    runtime: runtime.clone().unwrap_or_default(),
                    rust: rust.clone().unwrap_or_default(),
                    size: image.size,
                    created: image.created,
                })
        })
        .collect();
    present.sort_by(|a, b| a.tag.cmp(&b.tag));
    Ok(present)
}

/// The runtimes a build of `project` targets, or the default runtime without a project: the
/// builder images it needs.
pub fn runtimes_of(project: Option<&project::Project>) -> Vec<&'static Runtime> {
    let mut runtimes: Vec<&'static Runtime> = project
        .map(|p| p.functions.iter().map(|f| f.config.runtime).collect())
        .unwrap_or_default();
    runtimes.sort_by_key(|r| r.id);
    runtimes.dedup();
    if runtimes.is_empty() {
        runtimes.push(Runtime::default_runtime());
    }
    runtimes
}

/// All runtimes with a recipe, for tests and documentation.
pub fn recipes() -> impl Iterator<Item = (&'static Runtime, &'static str)> {
    RUNTIMES.iter().map(|r| (r, recipe(r)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const INSTRUCTIONS: &[&str] = &[
        "FROM",
        "RUN",
        "CMD",
        "LABEL",
        "EXPOSE",
        "ENV",
        "ADD",
        "COPY",
        "ENTRYPOINT",
        "VOLUME",
        "USER",
        "WORKDIR",
        "ARG",
        "ONBUILD",
        "STOPSIGNAL",
        "HEALTHCHECK",
        "SHELL",
    ];

    /// A Dockerfile's instructions, continuation lines joined and comments dropped, as the
    /// engine's parser reads them.
    fn instructions(text: &str) -> Vec<(String, String)> {
        let mut result = Vec::new();
        let mut pending = String::new();
        for line in text.lines() {
            let trimmed = line.trim();
            if trimmed.starts_with('#') || (pending.is_empty() && trimmed.is_empty()) {
                continue;
            }
            match trimmed.strip_suffix('\\') {
                Some(head) => {
                    pending.push_str(head);
                    pending.push(' ');
                }
                None => {
                    pending.push_str(trimmed);
                    let (keyword, rest) = pending.split_once(' ').unwrap_or((&pending, ""));
                    result.push((keyword.to_string(), rest.trim().to_string()));
                    pending.clear();
                }
            }
        }
        assert!(pending.is_empty(), "a continuation line ends the file");
        result
    }

    #[test]
    fn every_runtime_has_a_valid_recipe_matching_the_runtime_table() {
        assert_eq!(RECIPES.len(), RUNTIMES.len());
        for (runtime, text) in recipes() {
            let steps = instructions(text);
            for (keyword, arguments) in &steps {
                assert!(
                    INSTRUCTIONS.contains(&keyword.as_str()),
                    "{}: unknown instruction {keyword}",
                    runtime.id
                );
                assert!(
                    !arguments.is_empty(),
                    "{}: {keyword} without arguments",
                    runtime.id
                );
            }
            assert_eq!(steps[0].0, "FROM", "{}: the first instruction", runtime.id);
            assert_eq!(
                steps[0].1,
                format!("debian:{}", runtime.debian_codename),
                "{}: base image",
                runtime.id
            );
            assert_eq!(
                steps.iter().filter(|(k, _)| k == "FROM").count(),
                1,
                "{}: one stage",
                runtime.id
            );
            let install = steps
                .iter()
                .find(|(k, a)| k == "RUN" && a.contains("apt-get install"))
                .unwrap_or_else(|| panic!("{}: no apt-get install", runtime.id));
            let packages: Vec<&str> = install
                .1
                .split("apt-get install")
                .nth(1)
                .unwrap()
                .split("&&")
                .next()
                .unwrap()
                .split_whitespace()
                .filter(|word| !word.starts_with('-'))
                .collect();
            assert_eq!(packages, BUILDER_PACKAGES, "{}: packages", runtime.id);
            let archive = format!(
                "deb {DEBIAN_ARCHIVE_MIRROR} {} main",
                runtime.debian_codename
            );
            assert_eq!(
                text.contains(&archive),
                runtime.debian_archived,
                "{}: archive mirror exactly when the release is archived",
                runtime.id
            );
            assert!(
                steps
                    .iter()
                    .any(|(k, a)| k == "COPY" && a == "rust/ /usr/local/"),
                "{}: the toolchain from the context",
                runtime.id
            );
            // rustc links through `cc -fuse-ld=lld` since 1.90, which GCC understands from 9 on.
            let wrapped = text.contains(
                "ENV CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER=/usr/local/bin/cc-without-lld",
            ) && text.contains("COPY cc-without-lld /usr/local/bin/cc-without-lld");
            assert_eq!(
                wrapped,
                runtime.gcc_major < 9,
                "{}: the linker wrapper exactly when GCC is older than 9",
                runtime.id
            );
            // No other Debian release may be named anywhere in the recipe.
            for other in RUNTIMES.iter().filter(|r| r.id != runtime.id) {
                assert!(
                    !text.contains(other.debian_codename),
                    "{}: mentions {}",
                    runtime.id,
                    other.debian_codename
                );
            }
        }
    }

    #[test]
    fn the_linker_wrapper_drops_only_fuse_ld_lld() {
        let dir = tempfile::tempdir().unwrap();
        let fake_cc = dir.path().join("cc");
        std::fs::write(&fake_cc, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n").unwrap();
        let wrapper = dir.path().join("cc-without-lld");
        std::fs::write(&wrapper, CC_WITHOUT_LLD).unwrap();
        use std::os::unix::fs::PermissionsExt;
        for file in [&fake_cc, &wrapper] {
            std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let output = Command::new(&wrapper)
            .args(["-B/x/gcc-ld", "-fuse-ld=lld", "a b", "-o", "out"])
            .env("PATH", dir.path())
            .output()
            .unwrap();
        assert!(output.status.success());
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            "-B/x/gcc-ld\na b\n-o\nout\n"
        );
    }

    fn host_toolchain(sysroot: &str) -> Toolchain {
        Toolchain {
            version: "1.95.0".to_string(),
            commit: Some("5980".to_string()),
            host: TOOLCHAIN_HOST.to_string(),
            sysroot: PathBuf::from(sysroot),
        }
    }

    fn image_labels(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn only_our_images_of_the_hosts_rust_run_the_hosts_toolchain() {
        // A real sysroot, so that the check for rustc, cargo and rust-std has files to find.
        let sysroot = Toolchain::detect(Path::new(".")).unwrap().sysroot;
        let mut toolchain = host_toolchain(&sysroot.display().to_string());
        let workspace = Path::new("/work/project");
        let fits = |labels: &[(&str, &str)], toolchain: &Toolchain| {
            runs_host_toolchain(&image_labels(labels), toolchain, workspace)
        };
        let builder = [("cargo-fc", "builder"), ("cargo-fc.rust", "1.95.0")];
        let test_image = [("cargo-fc.test-image", "1"), ("cargo-fc.rust", "1.95.0")];
        let expected = cfg!(all(target_os = "linux", target_arch = "x86_64"));
        assert_eq!(fits(&builder, &toolchain), expected);
        assert_eq!(fits(&test_image, &toolchain), expected);
        // Someone else's image says nothing about its toolchain, whatever its tag claims.
        assert!(!fits(&[], &toolchain));
        assert!(!fits(&[("cargo-fc.rust", "1.95.0")], &toolchain));
        assert!(!fits(&[("cargo-fc", "build")], &toolchain));
        // Another Rust version, or the same version from another commit.
        assert!(!fits(
            &[("cargo-fc", "builder"), ("cargo-fc.rust", "1.94.1")],
            &toolchain
        ));
        assert!(!fits(
            &[
                ("cargo-fc", "builder"),
                ("cargo-fc.rust", "1.95.0"),
                ("cargo-fc.rust-commit", "1234")
            ],
            &toolchain
        ));
        assert_eq!(
            fits(
                &[
                    ("cargo-fc", "builder"),
                    ("cargo-fc.rust", "1.95.0"),
                    ("cargo-fc.rust-commit", "5980")
                ],
                &toolchain
            ),
            expected
        );
        toolchain.host = "aarch64-unknown-linux-gnu".to_string();
        assert!(!fits(&builder, &toolchain));
        // A toolchain in a system folder, or one that is not there.
        for sysroot in ["/usr", "/usr/local", "/", "/opt/no-such-rust"] {
            assert!(!fits(&builder, &host_toolchain(sysroot)), "{sysroot}");
        }
    }

    #[test]
    fn system_folders_are_never_mounted_over() {
        for path in [
            "/",
            "/usr",
            "/usr/local",
            "/usr/lib/rust",
            "/lib64",
            "/etc/x",
        ] {
            assert!(is_system_folder(Path::new(path)), "{path}");
        }
        for path in [
            "/root/.rustup/toolchains/stable-x86_64-unknown-linux-gnu",
            "/home/me/.rustup/toolchains/1.95.0-x86_64-unknown-linux-gnu",
            "/opt/rust",
            "/usrx",
        ] {
            assert!(!is_system_folder(Path::new(path)), "{path}");
        }
    }

    #[test]
    fn builder_tags_name_runtime_and_rust_version() {
        let runtime = Runtime::default_runtime();
        assert_eq!(
            builder_tag(runtime, "1.95.0"),
            "cargo-fc/builder:custom-rust-1.95.0"
        );
    }
}
