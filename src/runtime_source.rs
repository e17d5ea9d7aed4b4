//! The source of the `fc-runtime` crate, carried inside cargo fc until the crate is on
//! crates.io, and how projects made by `cargo fc new` find it.
//!
//! cargo fc writes the crate once per version into its data directory
//! (`$XDG_DATA_HOME/cargo-fc`, else `~/.local/share/cargo-fc`):
//!
//! ```text
//! fc-runtime-0.1.0/        the packaged files of fc-runtime 0.1.0, never changed once complete
//! fc-runtime-0.1.1/        what a newer cargo fc brought
//! fc-runtime-0.1 -> fc-runtime-0.1.1   the newest 0.1.x installed (semver-compatible series)
//! ```
//!
//! A project depends on `fc-runtime = "0.1"` like on any crate, and its `.cargo/config.toml`
//! patches crates.io with the series link. A newer cargo fc that carries a fix installs its
//! version beside the others and moves the link; the project's lock file still names the
//! version it was built with until cargo re-resolves it (`cargo update -p fc-runtime`, or the
//! next build, since cargo follows a path dependency's version). Once fc-runtime is published,
//! deleting `.cargo/config.toml` is all a project needs.
//!
//! The crate's folder is embedded with include_dir rather than the `.crate` file `cargo package`
//! makes: building that file would run cargo (and a verification build) inside cargo fc's build
//! script, and the folder is what a path dependency reads anyway. The files embedded are the
//! ones the crate's `include` list names, which a test compares with `cargo package --list`.

use std::path::{Path, PathBuf};

use include_dir::{Dir, DirEntry, include_dir};
use sha2::{Digest, Sha256};

use crate::error::{Exit, Failure, Result, failure_any, io};

/// Why the runtime crate cannot be put where projects find it.
#[derive(Debug)]
pub enum RuntimeSourceError {
    /// A source given to [`RuntimeSource::from_files`] lacks what every crate has.
    Incomplete { missing: &'static str },
    /// Neither XDG_DATA_HOME nor HOME names an absolute folder.
    NoDataDir,
}

impl std::fmt::Display for RuntimeSourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RuntimeSourceError::Incomplete { missing } => {
                write!(f, "the fc-runtime source has no {missing}")
            }
            RuntimeSourceError::NoDataDir => f.write_str(
                "cannot find a data directory for the fc-runtime source: neither XDG_DATA_HOME nor HOME is set to an absolute path",
            ),
        }
    }
}

impl Failure for RuntimeSourceError {
    fn exit(&self) -> Exit {
        Exit::Usage
    }

    fn kind(&self) -> &'static str {
        match self {
            RuntimeSourceError::Incomplete { .. } => "runtime-source.incomplete",
            RuntimeSourceError::NoDataDir => "runtime-source.no-data-dir",
        }
    }

    fn help(&self) -> Option<String> {
        match self {
            RuntimeSourceError::NoDataDir => {
                Some("set XDG_DATA_HOME (or HOME) to a folder cargo fc may write to".into())
            }
            RuntimeSourceError::Incomplete { .. } => None,
        }
    }

    failure_any!();
}

static CRATE: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/fc-runtime");

/// The crate's name on crates.io, in dependencies and in `[patch.crates-io]`.
pub const CRATE_NAME: &str = "fc-runtime";

/// The file in an installed version's folder that says the folder is complete, and which
/// contents it holds.
const STAMP: &str = ".cargo-fc-source";

/// The first line of the `.cargo/config.toml` that `cargo fc new` writes, by which cargo fc
/// recognises the file as its own.
pub const CONFIG_MARKER: &str = "# Written by `cargo fc new`";

/// One version of the crate's source: its packaged files.
#[derive(Debug, Clone)]
pub struct RuntimeSource {
    version: String,
    files: Vec<(PathBuf, Vec<u8>)>,
}

impl RuntimeSource {
    /// The fc-runtime this cargo fc was built with.
    pub fn embedded() -> RuntimeSource {
        let mut files = Vec::new();
        collect(&CRATE, &mut files);
        files.retain(|(path, _)| packaged(path));
        files.sort();
        let manifest = files
            .iter()
            .find(|(path, _)| path == Path::new("Cargo.toml"))
            .map(|(_, contents)| String::from_utf8_lossy(contents).into_owned())
            .expect("fc-runtime has a Cargo.toml");
        let version = package_version(&manifest).expect("fc-runtime's Cargo.toml has a version");
        RuntimeSource { version, files }
    }

    /// A source made of `files`, whose Cargo.toml must carry the package version.
    pub fn from_files(files: Vec<(PathBuf, Vec<u8>)>) -> Result<RuntimeSource> {
        let manifest = files
            .iter()
            .find(|(path, _)| path == Path::new("Cargo.toml"))
            .map(|(_, contents)| String::from_utf8_lossy(contents).into_owned())
            .ok_or(RuntimeSourceError::Incomplete {
                missing: "a Cargo.toml",
            })?;
        let version = package_version(&manifest).ok_or(RuntimeSourceError::Incomplete {
            missing: "a package version in its Cargo.toml",
        })?;
        let mut files = files;
        files.sort();
        Ok(RuntimeSource { version, files })
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    /// The packaged files, relative to the crate's folder, sorted.
    pub fn files(&self) -> &[(PathBuf, Vec<u8>)] {
        &self.files
    }

    /// The semver-compatible series a caret requirement accepts: `0.1` for 0.1.x, `1` for 1.x.
    pub fn series(&self) -> String {
        series_of(&self.version)
    }

    /// The requirement a project's Cargo.toml writes for this version.
    pub fn requirement(&self) -> String {
        self.series()
    }

    fn checksum(&self) -> String {
        let mut hasher = Sha256::new();
        for (path, contents) in &self.files {
            let name = path.to_string_lossy();
            hasher.update((name.len() as u64).to_le_bytes());
            hasher.update(name.as_bytes());
            hasher.update((contents.len() as u64).to_le_bytes());
            hasher.update(contents);
        }
        hasher
            .finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }
}

/// The crate's `include` list: only these reach a `.crate` file, and only these are carried.
fn packaged(path: &Path) -> bool {
    let first = path.components().next().map(|c| c.as_os_str());
    matches!(
        first.and_then(|name| name.to_str()),
        Some("src" | "tests" | "README.md" | "CHANGELOG.md" | "Cargo.toml")
    )
}

fn collect(dir: &Dir<'_>, files: &mut Vec<(PathBuf, Vec<u8>)>) {
    for entry in dir.entries() {
        match entry {
            DirEntry::Dir(sub) => collect(sub, files),
            DirEntry::File(file) => {
                files.push((file.path().to_path_buf(), file.contents().to_vec()))
            }
        }
    }
}

/// `version = "…"` of the `[package]` table.
fn package_version(manifest: &str) -> Option<String> {
    let mut in_package = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        if !in_package {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        if key.trim() == "version" {
            return Some(value.trim().trim_matches('"').to_owned());
        }
    }
    None
}

fn series_of(version: &str) -> String {
    let mut parts = version.split(['.', '-', '+']);
    let major = parts.next().unwrap_or("0");
    let minor = parts.next().unwrap_or("0");
    if major == "0" {
        format!("0.{minor}")
    } else {
        major.to_owned()
    }
}

/// `(major, minor, patch)` of a plain version, for choosing the newest of a series.
fn numeric_version(version: &str) -> Option<(u64, u64, u64)> {
    let mut parts = version.split('.');
    let triple = (
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
    );
    parts.next().is_none().then_some(triple)
}

/// cargo fc's data directory: `$XDG_DATA_HOME/cargo-fc`, else `~/.local/share/cargo-fc`.
pub fn data_dir() -> Result<PathBuf> {
    data_dir_from(|name| std::env::var_os(name))
}

fn data_dir_from(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> Result<PathBuf> {
    // The XDG base directory spec says a relative value is invalid and must be ignored.
    if let Some(data) = var("XDG_DATA_HOME").map(PathBuf::from)
        && data.is_absolute()
    {
        return Ok(data.join("cargo-fc"));
    }
    match var("HOME").map(PathBuf::from) {
        Some(home) if home.is_absolute() => Ok(home.join(".local/share/cargo-fc")),
        _ => Err(RuntimeSourceError::NoDataDir.into()),
    }
}

/// Where an installed source lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    /// `fc-runtime-<version>`: this version's files.
    pub version_dir: PathBuf,
    /// `fc-runtime-<series>`: the link to the newest installed version of the series, which
    /// projects patch crates.io with.
    pub series_link: PathBuf,
}

/// Writes `source` into `data` unless that version is there already, and points the series link
/// at it unless a newer version of the series is installed.
pub fn install(source: &RuntimeSource, data: &Path) -> Result<Installed> {
    std::fs::create_dir_all(data).map_err(io("create", data))?;
    let name = format!("{CRATE_NAME}-{}", source.version);
    let version_dir = data.join(&name);
    let checksum = source.checksum();
    let complete =
        |dir: &Path| std::fs::read_to_string(dir.join(STAMP)).is_ok_and(|s| s == checksum);
    if !complete(&version_dir) {
        write_version(source, data, &version_dir, &checksum, &complete)?;
    }
    let series_link = data.join(format!("{CRATE_NAME}-{}", source.series()));
    let current = std::fs::read_link(&series_link).ok();
    let newer_installed = current
        .as_deref()
        .and_then(|target| target.to_str())
        .and_then(|target| target.strip_prefix(&format!("{CRATE_NAME}-")))
        .and_then(numeric_version)
        .zip(numeric_version(&source.version))
        .is_some_and(|(linked, ours)| linked > ours)
        && current
            .as_deref()
            .is_some_and(|target| data.join(target).join(STAMP).is_file());
    if current.as_deref() != Some(Path::new(&name)) && !newer_installed {
        // A new link renamed over the old one: readers see one or the other, never neither.
        let staged = data.join(format!(".{name}.{}.link", std::process::id()));
        let _ = std::fs::remove_file(&staged);
        std::os::unix::fs::symlink(&name, &staged).map_err(io("create", &staged))?;
        std::fs::rename(&staged, &series_link).map_err(|e| {
            let _ = std::fs::remove_file(&staged);
            crate::error::IoError::new("replace", &series_link, e)
        })?;
    }
    Ok(Installed {
        version_dir,
        series_link,
    })
}

/// Writes a version's folder beside its final place and renames it there, so that a build never
/// sees half a crate. A folder of the same version with other contents (a development build of
/// cargo fc) is replaced.
fn write_version(
    source: &RuntimeSource,
    data: &Path,
    version_dir: &Path,
    checksum: &str,
    complete: &dyn Fn(&Path) -> bool,
) -> Result<()> {
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{CRATE_NAME}-{}.", source.version))
        .tempdir_in(data)
        .map_err(io("create a temporary folder in", data))?;
    for (relative, contents) in &source.files {
        let path = staging.path().join(relative);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(io("create", folder))?;
        }
        std::fs::write(&path, contents).map_err(io("write", &path))?;
    }
    let stamp = staging.path().join(STAMP);
    std::fs::write(&stamp, checksum).map_err(io("write", &stamp))?;
    let old = data.join(format!(
        ".{CRATE_NAME}-{}.old.{}",
        source.version,
        std::process::id()
    ));
    let moved_aside = version_dir.exists() && std::fs::rename(version_dir, &old).is_ok();
    let staged = staging.keep();
    let placed = std::fs::rename(&staged, version_dir);
    if moved_aside {
        let _ = std::fs::remove_dir_all(&old);
    }
    match placed {
        Ok(()) => Ok(()),
        // Another cargo fc installed the same version at the same moment.
        Err(_) if complete(version_dir) => {
            let _ = std::fs::remove_dir_all(&staged);
            Ok(())
        }
        Err(error) => {
            let _ = std::fs::remove_dir_all(&staged);
            Err(crate::error::IoError::new("create", version_dir, error).into())
        }
    }
}

/// The `.cargo/config.toml` of a project that takes fc-runtime from `installed`.
pub fn cargo_config(source: &RuntimeSource, installed: &Installed) -> String {
    format!(
        "{CONFIG_MARKER}: fc-runtime is not on crates.io yet, so cargo builds it from the copy\n\
         # that cargo fc keeps in its data directory. `{link}` there is the newest fc-runtime\n\
         # {series}.x that a cargo fc has installed: a newer cargo fc brings its fixes, and\n\
         # `cargo update -p fc-runtime` takes them. Once fc-runtime is on crates.io, delete this file.\n\
         [patch.crates-io]\n\
         {CRATE_NAME} = {{ path = {path} }}\n",
        link = installed
            .series_link
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default(),
        series = source.series(),
        path = toml_string(&installed.series_link.to_string_lossy()),
    )
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(version: &str, lib: &str) -> RuntimeSource {
        RuntimeSource::from_files(vec![
            (
                "Cargo.toml".into(),
                format!("[package]\nname = \"fc-runtime\"\nversion = \"{version}\"\n").into_bytes(),
            ),
            ("src/lib.rs".into(), lib.as_bytes().to_vec()),
        ])
        .unwrap()
    }

    #[test]
    fn the_embedded_source_is_the_crate() {
        let embedded = RuntimeSource::embedded();
        assert_eq!(embedded.version(), env_version());
        let names: Vec<_> = embedded.files().iter().map(|(p, _)| p.clone()).collect();
        assert!(names.contains(&PathBuf::from("src/lib.rs")), "{names:?}");
        assert!(names.contains(&PathBuf::from("README.md")), "{names:?}");
        assert!(names.iter().all(|p| !p.starts_with("target")), "{names:?}");
    }

    fn env_version() -> String {
        let manifest = include_str!("../fc-runtime/Cargo.toml");
        package_version(manifest).unwrap()
    }

    #[test]
    fn versions_and_series() {
        assert_eq!(
            package_version(
                "[package]\nname = \"x\"\nversion = \"0.3.1\"\n[dependencies]\nversion = 1"
            ),
            Some("0.3.1".into())
        );
        assert_eq!(package_version("[dependencies]\nversion = \"1\""), None);
        assert_eq!(series_of("0.1.7"), "0.1");
        assert_eq!(series_of("1.2.3"), "1");
        assert_eq!(series_of("0.2.0-beta.1"), "0.2");
        assert_eq!(numeric_version("0.1.10"), Some((0, 1, 10)));
        assert_eq!(numeric_version("0.1.0-rc.1"), None);
    }

    #[test]
    fn data_dir_follows_xdg_then_home() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| value.into())
            }
        };
        assert_eq!(
            data_dir_from(vars(&[("XDG_DATA_HOME", "/x/data"), ("HOME", "/h")])).unwrap(),
            Path::new("/x/data/cargo-fc")
        );
        assert_eq!(
            data_dir_from(vars(&[("XDG_DATA_HOME", "relative"), ("HOME", "/h")])).unwrap(),
            Path::new("/h/.local/share/cargo-fc")
        );
        assert!(data_dir_from(vars(&[])).is_err());
    }

    #[test]
    fn installs_once_and_links_the_newest_of_the_series() {
        let data = tempfile::tempdir().unwrap();
        let first = install(&source("0.1.0", "// one"), data.path()).unwrap();
        assert_eq!(first.series_link, data.path().join("fc-runtime-0.1"));
        let lib = first.series_link.join("src/lib.rs");
        assert_eq!(std::fs::read_to_string(&lib).unwrap(), "// one");
        let stamp_time = std::fs::metadata(first.version_dir.join(STAMP))
            .unwrap()
            .modified()
            .unwrap();

        // The same version again: nothing is rewritten.
        install(&source("0.1.0", "// one"), data.path()).unwrap();
        let again = std::fs::metadata(first.version_dir.join(STAMP))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(stamp_time, again);

        // A fix moves the link; the old version stays for the projects locked to it.
        install(&source("0.1.1", "// two"), data.path()).unwrap();
        assert_eq!(std::fs::read_to_string(&lib).unwrap(), "// two");
        assert!(data.path().join("fc-runtime-0.1.0/src/lib.rs").is_file());

        // An older cargo fc does not move it back, and another series has its own link.
        install(&source("0.1.0", "// one"), data.path()).unwrap();
        assert_eq!(std::fs::read_to_string(&lib).unwrap(), "// two");
        let next = install(&source("0.2.0", "// three"), data.path()).unwrap();
        assert_eq!(next.series_link, data.path().join("fc-runtime-0.2"));
        assert_eq!(std::fs::read_to_string(&lib).unwrap(), "// two");

        // No staging folders or links are left behind.
        let mut names: Vec<_> = std::fs::read_dir(data.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "fc-runtime-0.1",
                "fc-runtime-0.1.0",
                "fc-runtime-0.1.1",
                "fc-runtime-0.2",
                "fc-runtime-0.2.0"
            ]
        );
    }

    #[test]
    fn a_changed_source_of_the_same_version_replaces_the_folder() {
        let data = tempfile::tempdir().unwrap();
        install(&source("0.1.0", "// old"), data.path()).unwrap();
        let installed = install(&source("0.1.0", "// new"), data.path()).unwrap();
        assert_eq!(
            std::fs::read_to_string(installed.series_link.join("src/lib.rs")).unwrap(),
            "// new"
        );
    }

    #[test]
    fn the_project_config_patches_crates_io_with_the_series_link() {
        let source = source("0.1.0", "");
        let installed = Installed {
            version_dir: "/d/cargo-fc/fc-runtime-0.1.0".into(),
            series_link: "/d/a \"b\"/fc-runtime-0.1".into(),
        };
        let config = cargo_config(&source, &installed);
        assert!(config.starts_with(CONFIG_MARKER), "{config}");
        assert!(
            config.ends_with(
                "[patch.crates-io]\nfc-runtime = { path = \"/d/a \\\"b\\\"/fc-runtime-0.1\" }\n"
            ),
            "{config}"
        );
    }
}
