//! `bootstrap` plus assets → a byte-for-byte reproducible zip.
//!
//! Reproducible means: entries sorted by name, one fixed timestamp (`SOURCE_DATE_EPOCH` or
//! 1980-01-01), Unix modes set explicitly (0755 for executables, 0644 for the rest), no extra
//! fields, and the "made by" system fixed to Unix, so the same inputs give the same bytes on any
//! host. Entries are compressed on every core and written in order.

use std::collections::BTreeMap;
use std::io::{BufWriter, Read};
use std::os::unix::fs::PermissionsExt;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, PreparedZipFile, System, ZipWriter};

use crate::error::{Exit, Failure, Location, Result, failure_any, io};
use crate::project::IncludeSpec;
use crate::ui::{Ui, human_size};

/// Why a package cannot be made.
#[derive(Debug)]
pub enum PackError {
    /// An `include` spec that cannot be packed as written.
    Include {
        spec: String,
        problem: String,
        help: &'static str,
        at: Option<Box<Location>>,
    },
    /// The package would be over what FC takes.
    TooLarge { output: PathBuf, size: u64 },
    /// `SOURCE_DATE_EPOCH` is set to something that is not a time.
    SourceDateEpoch { value: String },
}

impl std::fmt::Display for PackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PackError::Include { spec, problem, .. } => write!(f, "include `{spec}`: {problem}"),
            PackError::TooLarge { output, size } => write!(
                f,
                "the package for {} would be {}, over FC's {} limit for code packages",
                output.display(),
                human_size(*size),
                human_size(crate::platform::PACKAGE_LIMIT)
            ),
            PackError::SourceDateEpoch { value } => {
                write!(f, "SOURCE_DATE_EPOCH=`{value}` is not a number of seconds")
            }
        }
    }
}

impl Failure for PackError {
    fn exit(&self) -> Exit {
        match self {
            PackError::SourceDateEpoch { .. } => Exit::Usage,
            _ => Exit::Pack,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            PackError::Include { .. } => "pack.include",
            PackError::TooLarge { .. } => "pack.too-large",
            PackError::SourceDateEpoch { .. } => "pack.source-date-epoch",
        }
    }

    fn location(&self) -> Option<Location> {
        match self {
            PackError::Include { at, .. } => at.as_deref().cloned(),
            _ => None,
        }
    }

    fn help(&self) -> Option<String> {
        Some(match self {
            PackError::Include { help, .. } => help.to_string(),
            PackError::TooLarge { .. } => "leave large assets out of `include` and load them at run time from OSS or NAS; the previous package was kept".into(),
            PackError::SourceDateEpoch { .. } => {
                "set it to a Unix timestamp such as `git log -1 --format=%ct`, or unset it".into()
            }
        })
    }

    fn details(&self) -> serde_json::Value {
        match self {
            PackError::Include { spec, problem, .. } => {
                serde_json::json!({ "spec": spec, "problem": problem })
            }
            PackError::TooLarge { output, size } => serde_json::json!({
                "output": output,
                "size": size,
                "limit": crate::platform::PACKAGE_LIMIT,
            }),
            PackError::SourceDateEpoch { value } => serde_json::json!({ "value": value }),
        }
    }

    failure_any!();
}

/// One file to put in the zip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Path inside the zip, `/`-separated.
    pub name: String,
    pub source: PathBuf,
    pub executable: bool,
    pub size: u64,
}

/// Where assets may come from, and what must never be swept in.
#[derive(Debug, Clone)]
pub struct AssetRoots {
    /// Paths in `include` are relative to this folder (the package's).
    pub base: PathBuf,
    /// Nothing may come from outside this folder (the workspace), symlinks included.
    pub project: PathBuf,
    /// The cargo target directory, never packed.
    pub target_dir: PathBuf,
}

/// Where an include spec came from, for error messages.
#[derive(Debug, Clone)]
pub enum Origin {
    /// The `include` setting, where it is written.
    Manifest(Option<Box<Location>>),
    CommandLine,
}

/// Expands the include specs into files, checking every rule an archive entry must follow.
pub fn resolve_assets(roots: &AssetRoots, specs: &[(IncludeSpec, Origin)]) -> Result<Vec<Entry>> {
    let project = canonical(&roots.project)?;
    let target_dir = roots
        .target_dir
        .canonicalize()
        .unwrap_or_else(|_| roots.target_dir.clone());
    let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
    for (spec, origin) in specs {
        let fail = |problem: String, help: &'static str| -> crate::error::Error {
            PackError::Include {
                spec: display_spec(spec),
                problem,
                help,
                at: match origin {
                    Origin::Manifest(at) => at.clone(),
                    Origin::CommandLine => None,
                },
            }
            .into()
        };
        if let Some(dest) = &spec.dest {
            check_entry_name(dest).map_err(|m| fail(format!("destination {m}"), "destinations are relative paths inside the zip, such as `static` or `lib/libfoo.so`"))?;
        }
        let is_glob = spec.src.contains(['*', '?', '[']);
        let mut matches = Vec::new();
        if is_glob {
            let pattern = roots.base.join(&spec.src);
            let paths = glob::glob(&pattern.to_string_lossy()).map_err(|e| {
                fail(
                    format!("is not a valid glob ({e})"),
                    "use *, ** and ? as in .gitignore",
                )
            })?;
            for path in paths {
                let path = path.map_err(|e| fail(e.to_string(), "check the file's permissions"))?;
                matches.push(path);
            }
        } else {
            let path = roots.base.join(&spec.src);
            if std::fs::symlink_metadata(&path).is_err() {
                return Err(fail(
                    "no such file or folder".into(),
                    "paths are relative to the package folder (where its Cargo.toml is)",
                ));
            }
            matches.push(path);
        }
        let mut added = 0;
        for matched in matches {
            let walk = walkdir::WalkDir::new(&matched)
                .follow_links(true)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| !is_excluded(e.path(), &target_dir));
            for item in walk {
                let item = item.map_err(|e| {
                    fail(e.to_string(), "fix or remove the link or file named there")
                })?;
                if item.path_is_symlink() || item.depth() == 0 {
                    let real = item.path().canonicalize().map_err(|e| {
                        fail(
                            format!("{}: {e}", item.path().display()),
                            "fix or remove the broken symlink",
                        )
                    })?;
                    if !real.starts_with(&project) {
                        return Err(fail(
                            format!(
                                "{} points outside the project, to {}",
                                item.path().display(),
                                real.display()
                            ),
                            "copy what it points to into the project, or leave it out",
                        ));
                    }
                    if is_excluded(&real, &target_dir) {
                        continue;
                    }
                }
                if !item.file_type().is_file() {
                    continue;
                }
                let name = entry_name(spec, is_glob, &matched, item.path(), &roots.base)
                    .map_err(|m| fail(m, "give it a destination inside the zip: SRC:DEST"))?;
                check_entry_name(&name).map_err(|m| {
                    fail(
                        format!("entry {m}"),
                        "give it a destination inside the zip: SRC:DEST",
                    )
                })?;
                let metadata = item
                    .metadata()
                    .map_err(|e| fail(e.to_string(), "check the file's permissions"))?;
                let entry = Entry {
                    name: name.clone(),
                    source: item.path().to_path_buf(),
                    executable: metadata.permissions().mode() & 0o111 != 0,
                    size: metadata.len(),
                };
                if name == "bootstrap" {
                    return Err(fail(
                        format!(
                            "{} would replace the bootstrap cargo fc builds",
                            item.path().display()
                        ),
                        "give the asset another destination",
                    ));
                }
                added += 1;
                if let Some(previous) = entries.get(&name) {
                    if previous.source != entry.source {
                        return Err(fail(
                            format!(
                                "{} and {} both map to `{name}` in the zip",
                                previous.source.display(),
                                entry.source.display()
                            ),
                            "give one of them another destination with SRC:DEST",
                        ));
                    }
                    continue;
                }
                entries.insert(name, entry);
            }
        }
        if added == 0 {
            return Err(fail(
                "matched no files".into(),
                "the target directory and .git are never packed; check the path, which is relative to the package folder",
            ));
        }
    }
    Ok(entries.into_values().collect())
}

fn display_spec(spec: &IncludeSpec) -> String {
    match &spec.dest {
        Some(dest) => format!("{}:{dest}", spec.src),
        None => spec.src.clone(),
    }
}

fn canonical(path: &Path) -> Result<PathBuf> {
    path.canonicalize().map_err(io("read", path))
}

fn is_excluded(path: &Path, target_dir: &Path) -> bool {
    path.file_name().is_some_and(|n| n == ".git") || path.starts_with(target_dir)
}

/// The zip path of `file`, found while walking `matched` (a match of `spec.src`).
fn entry_name(
    spec: &IncludeSpec,
    is_glob: bool,
    matched: &Path,
    file: &Path,
    base: &Path,
) -> std::result::Result<String, String> {
    let within_match = file
        .strip_prefix(matched)
        .expect("walked files are under their root");
    let name = match &spec.dest {
        None => {
            let relative = file.strip_prefix(base).map_err(|_| {
                format!(
                    "{} is outside the package folder, so it has no place in the zip",
                    file.display()
                )
            })?;
            path_to_name(relative)?
        }
        Some(dest) => {
            let dest = dest.trim_end_matches('/');
            let matched_name = matched
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let tail = path_to_name(within_match)?;
            // A single named file goes exactly to DEST; a folder's contents and glob matches go
            // under DEST.
            if !is_glob
                && within_match.as_os_str().is_empty()
                && !spec.dest.as_deref().unwrap_or("").ends_with('/')
            {
                dest.to_string()
            } else if is_glob {
                join_names(&[dest, &matched_name, &tail])
            } else {
                join_names(&[dest, &tail])
            }
        }
    };
    Ok(name)
}

fn join_names(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("/")
}

fn path_to_name(path: &Path) -> std::result::Result<String, String> {
    let mut parts = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(
                part.to_str()
                    .ok_or_else(|| format!("{} is not valid UTF-8", path.display()))?
                    .to_string(),
            ),
            Component::CurDir => {}
            _ => return Err(format!("{} leaves the package folder", path.display())),
        }
    }
    Ok(parts.join("/"))
}

/// An entry name must stay inside the archive root once unpacked at /code.
pub fn check_entry_name(name: &str) -> std::result::Result<(), String> {
    if name.starts_with('/') || name.starts_with('\\') {
        return Err(format!("`{name}` is absolute"));
    }
    if name.contains('\\') {
        return Err(format!("`{name}` contains a backslash"));
    }
    for part in name.trim_end_matches('/').split('/') {
        match part {
            "" => return Err(format!("`{name}` has an empty path component")),
            ".." => return Err(format!("`{name}` escapes the archive root with `..`")),
            _ => {}
        }
    }
    Ok(())
}

/// What `write_zip` produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub path: PathBuf,
    pub size: u64,
    pub sha256: String,
    pub entries: usize,
}

/// The timestamp every entry gets: `SOURCE_DATE_EPOCH` when set, else the zip epoch.
pub fn entry_time() -> Result<DateTime> {
    Ok(source_date_epoch()?.map_or_else(DateTime::default, dos_time))
}

/// `SOURCE_DATE_EPOCH` in seconds, when it is set: the one time reproducible outputs carry.
pub fn source_date_epoch() -> Result<Option<i64>> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(value) => value
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| PackError::SourceDateEpoch { value }.into()),
        Err(_) => Ok(None),
    }
}

/// A Unix time as a calendar date and time of day in UTC: (year, month, day, hour, minute,
/// second). Civil-from-days (proleptic Gregorian), as in Howard Hinnant's date algorithms.
pub fn civil_time(seconds: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        month as u32,
        day as u32,
        (secs / 3600) as u32,
        (secs / 60 % 60) as u32,
        (secs % 60) as u32,
    )
}

/// A Unix time as a zip (DOS) timestamp, clamped to the range zip can store.
fn dos_time(seconds: i64) -> DateTime {
    let (year, month, day, hour, minute, second) = civil_time(seconds);
    if year < 1980 {
        return DateTime::default();
    }
    if year > 2107 {
        return DateTime::from_date_and_time(2107, 12, 31, 23, 59, 58).expect("a valid date");
    }
    DateTime::from_date_and_time(
        year as u16,
        month as u8,
        day as u8,
        hour as u8,
        minute as u8,
        second as u8,
    )
    .unwrap_or_default()
}

/// Writes `bootstrap` and `assets` to `output`, replacing any previous file only once the new one
/// is complete.
pub fn write_zip(bootstrap: &Path, assets: &[Entry], output: &Path, ui: &Ui) -> Result<Package> {
    let bootstrap_size = std::fs::metadata(bootstrap)
        .map_err(io("read", bootstrap))?
        .len();
    let mut entries = vec![Entry {
        name: "bootstrap".into(),
        source: bootstrap.to_path_buf(),
        executable: true,
        size: bootstrap_size,
    }];
    entries.extend(assets.iter().cloned());
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    let time = entry_time()?;

    let dir = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io("create", dir))?;
    let partial = tempfile::Builder::new()
        .prefix(".cargo-fc-")
        .suffix(".zip.partial")
        .tempfile_in(dir)
        .map_err(io("create a temporary file in", dir))?;
    let total: u64 = entries.iter().map(|e| e.size).sum();
    let progress = ui.bytes_bar(
        total,
        format!(
            "zipping {}",
            output.file_name().unwrap_or_default().to_string_lossy()
        ),
    );

    let mut writer = ZipWriter::new(BufWriter::with_capacity(1 << 20, partial.as_file()));
    compress_in_parallel(&entries, time, |index, prepared| {
        progress.inc(entries[index].size);
        writer.add_prepared_file(prepared).map_err(|e| {
            crate::error::IoError::new("write", output, std::io::Error::other(e)).into()
        })
    })?;
    let buffered = writer
        .finish()
        .map_err(|e| crate::error::IoError::new("write", output, std::io::Error::other(e)))?;
    buffered
        .into_inner()
        .map_err(|e| crate::error::IoError::new("write", output, e.into_error()))?;
    drop(progress);

    let size = partial
        .as_file()
        .metadata()
        .map_err(io("read", partial.path()))?
        .len();
    if size > crate::platform::PACKAGE_LIMIT {
        return Err(PackError::TooLarge {
            output: output.to_path_buf(),
            size,
        }
        .into());
    }
    let sha256 = sha256_of(partial.path())?;
    partial
        .as_file()
        .sync_all()
        .map_err(io("write", partial.path()))?;
    partial
        .persist(output)
        .map_err(|e| crate::error::IoError::new("write", output, e.error))?;
    // A temporary file is created 0600; a package is an ordinary file.
    std::fs::set_permissions(output, std::fs::Permissions::from_mode(0o644))
        .map_err(io("set the mode of", output))?;
    Ok(Package {
        path: output.to_path_buf(),
        size,
        sha256,
        entries: entries.len(),
    })
}

/// Compresses entries on all cores and hands them to `write` in order.
fn compress_in_parallel(
    entries: &[Entry],
    time: DateTime,
    mut write: impl FnMut(usize, PreparedZipFile) -> Result<()>,
) -> Result<()> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(entries.len().max(1));
    let next = AtomicUsize::new(0);
    // Bounded so that fast workers cannot hold the whole archive in memory ahead of the writer.
    let (sender, receiver) = mpsc::sync_channel::<(usize, Result<PreparedZipFile>)>(workers * 4);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let sender = sender.clone();
            let next = &next;
            scope.spawn(move || {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(entry) = entries.get(index) else {
                        break;
                    };
                    if sender.send((index, prepare(entry, time))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let mut pending: BTreeMap<usize, PreparedZipFile> = BTreeMap::new();
        let mut expected = 0;
        let mut outcome = Ok(());
        for (index, prepared) in receiver.iter() {
            match prepared {
                Ok(prepared) => {
                    pending.insert(index, prepared);
                }
                Err(error) => {
                    outcome = Err(error);
                    break;
                }
            }
            while let Some(prepared) = pending.remove(&expected) {
                if let Err(error) = write(expected, prepared) {
                    outcome = Err(error);
                    break;
                }
                expected += 1;
            }
            if outcome.is_err() {
                break;
            }
        }
        // Stop the workers early on failure: dropping the receiver makes their sends fail.
        drop(receiver);
        if outcome.is_ok() && expected != entries.len() {
            panic!("every entry is compressed and written exactly once");
        }
        outcome
    })
}

/// Compresses one entry: deflate level 6 like `zip -6`, stored when deflate would not shrink it.
fn prepare(entry: &Entry, time: DateTime) -> Result<PreparedZipFile> {
    let mut data = Vec::with_capacity(entry.size as usize);
    std::fs::File::open(&entry.source)
        .and_then(|mut f| f.read_to_end(&mut data))
        .map_err(io("read", &entry.source))?;
    let mode = if entry.executable { 0o755 } else { 0o644 };
    let options = SimpleFileOptions::default()
        .system(System::Unix)
        .unix_permissions(mode)
        .last_modified_time(time);
    let zip_error = |e: zip::result::ZipError| {
        crate::error::IoError::new("compress", &entry.source, std::io::Error::other(e))
    };
    if looks_compressible(&data) {
        let deflated = PreparedZipFile::from_data(
            &entry.name,
            options
                .compression_method(CompressionMethod::Deflated)
                .compression_level(Some(6)),
            &data,
        )
        .map_err(zip_error)?;
        if deflated.compressed_size() < deflated.uncompressed_size() {
            return Ok(deflated);
        }
    }
    PreparedZipFile::from_data(
        &entry.name,
        options.compression_method(CompressionMethod::Stored),
        &data,
    )
    .map_err(|e| zip_error(e).into())
}

/// Whether deflating is worth trying: already-compressed data (images, archives, random bytes)
/// uses nearly all 256 byte values evenly, so a sample's entropy tells cheaply.
fn looks_compressible(data: &[u8]) -> bool {
    const SAMPLE: usize = 64 * 1024;
    if data.len() < 4096 {
        return true;
    }
    let mut counts = [0u32; 256];
    let step = (data.len() / SAMPLE).max(1);
    let mut n = 0u32;
    // Sample spread over the whole file, in runs, so headers alone do not decide.
    for chunk in data
        .chunks(4096)
        .step_by(step.div_ceil(4096).max(1))
        .take(SAMPLE / 4096)
    {
        for &byte in chunk {
            counts[byte as usize] += 1;
            n += 1;
        }
    }
    let n = f64::from(n);
    let entropy: f64 = counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum();
    entropy < 7.95
}

fn sha256_of(path: &Path) -> Result<String> {
    let mut file = std::fs::File::open(path).map_err(io("read", path))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let read = file.read(&mut buffer).map_err(io("read", path))?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            use std::fmt::Write as _;
            let _ = write!(hex, "{byte:02x}");
            hex
        }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roots(dir: &Path) -> AssetRoots {
        AssetRoots {
            base: dir.to_path_buf(),
            project: dir.to_path_buf(),
            target_dir: dir.join("target"),
        }
    }

    fn spec(text: &str) -> (IncludeSpec, Origin) {
        (IncludeSpec::parse(text), Origin::CommandLine)
    }

    fn write(dir: &Path, name: &str, content: &str) {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    fn names(entries: &[Entry]) -> Vec<&str> {
        entries.iter().map(|e| e.name.as_str()).collect()
    }

    #[test]
    fn entry_names_never_escape_the_root() {
        assert!(check_entry_name("static/index.html").is_ok());
        assert!(check_entry_name("../etc/passwd").is_err());
        assert!(check_entry_name("a/../../b").is_err());
        assert!(check_entry_name("/etc/passwd").is_err());
        assert!(check_entry_name("a//b").is_err());
        assert!(check_entry_name("a\\b").is_err());
    }

    #[test]
    fn folders_files_and_globs_map_to_their_destinations() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "static/index.html", "<html>");
        write(d, "static/css/site.css", "body{}");
        write(d, "conf/prod.toml", "a = 1");
        write(d, "data/a.json", "{}");
        write(d, "data/b.json", "{}");
        write(d, "data/c.txt", "");
        let entries = resolve_assets(
            &roots(d),
            &[
                spec("static"),
                spec("conf/prod.toml:config.toml"),
                spec("data/*.json:json"),
                spec("static:www"),
            ],
        )
        .unwrap();
        assert_eq!(
            names(&entries),
            [
                "config.toml",
                "json/a.json",
                "json/b.json",
                "static/css/site.css",
                "static/index.html",
                "www/css/site.css",
                "www/index.html"
            ]
        );
    }

    #[test]
    fn git_and_target_are_never_swept_in() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "assets/.git/config", "x");
        write(d, "assets/ok.txt", "x");
        write(d, "target/debug/app", "x");
        let entries = resolve_assets(&roots(d), &[spec("assets"), spec("*")]).unwrap();
        assert!(
            names(&entries)
                .iter()
                .all(|n| !n.contains(".git") && !n.starts_with("target")),
            "{:?}",
            names(&entries)
        );
        assert!(names(&entries).contains(&"assets/ok.txt"));
    }

    #[test]
    fn unsafe_or_ambiguous_inputs_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        write(outside.path(), "secret.txt", "s");
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "a/x.txt", "1");
        write(d, "b/x.txt", "2");
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), d.join("link.txt")).unwrap();

        let error = resolve_assets(&roots(d), &[spec("a:same"), spec("b:same")]).unwrap_err();
        assert!(
            error.to_string().contains("both map to `same/x.txt`"),
            "{error}"
        );
        let error = resolve_assets(&roots(d), &[spec("link.txt")]).unwrap_err();
        assert!(
            error.to_string().contains("points outside the project"),
            "{error}"
        );
        let error = resolve_assets(&roots(d), &[spec("a:../up")]).unwrap_err();
        assert!(
            error.to_string().contains("escapes the archive root"),
            "{error}"
        );
        let error = resolve_assets(&roots(d), &[spec("a:/abs")]).unwrap_err();
        assert!(error.to_string().contains("is absolute"), "{error}");
        let error = resolve_assets(&roots(d), &[spec("a/x.txt:bootstrap")]).unwrap_err();
        assert!(
            error.to_string().contains("would replace the bootstrap"),
            "{error}"
        );
        let error = resolve_assets(&roots(d), &[spec("missing")]).unwrap_err();
        assert!(error.to_string().contains("no such file"), "{error}");
    }

    #[test]
    fn symlinks_inside_the_project_are_followed() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "real/data.txt", "d");
        std::os::unix::fs::symlink(d.join("real"), d.join("alias")).unwrap();
        let entries = resolve_assets(&roots(d), &[spec("alias")]).unwrap();
        assert_eq!(names(&entries), ["alias/data.txt"]);
    }

    #[test]
    fn dos_times_match_the_calendar() {
        let t = dos_time(1_700_000_000); // 2023-11-14T22:13:20Z
        assert_eq!(
            (t.year(), t.month(), t.day(), t.hour(), t.minute()),
            (2023, 11, 14, 22, 13)
        );
        assert_eq!(dos_time(0), DateTime::default());
    }

    #[test]
    fn random_data_is_stored_and_text_is_deflated() {
        let text = "hello world ".repeat(10_000).into_bytes();
        assert!(looks_compressible(&text));
        let mut state = 0x2545F4914F6CDD1Du64;
        let random: Vec<u8> = (0..200_000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        assert!(!looks_compressible(&random));
    }

    #[test]
    fn sizes_read_like_fc_limits() {
        assert_eq!(human_size(999), "999 B");
        assert_eq!(human_size(100_000_000), "100.00 MB");
    }
}
