//! `bootstrap` plus assets → a byte-for-byte reproducible zip.
//!
//! Reproducible means: entries sorted by name, one fixed timestamp (`SOURCE_DATE_EPOCH` or
//! 1980-01-01), Unix modes set explicitly (0755 for executables, 0644 for the rest), no extra
//! fields, and the "made by" system fixed to Unix, so the same inputs give the same bytes on any
//! host. Entries are compressed on every core and written in order.

mod assets;

use std::collections::BTreeMap;
use std::io::{BufWriter, Read};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, PreparedZipFile, System, ZipWriter};

use crate::error::{Exit, Failure, Location, Result, failure_any, io};
use crate::ui::{Ui, human_size};

pub use assets::{AssetRoots, Entry, Origin, check_entry_name, resolve_assets};

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
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(value) => {
            let seconds: i64 = value
                .trim()
                .parse()
                .map_err(|_| PackError::SourceDateEpoch {
                    value: value.clone(),
                })?;
            Ok(dos_time(seconds))
        }
        Err(_) => Ok(DateTime::default()),
    }
}

/// A Unix time as a zip (DOS) timestamp, clamped to the range zip can store.
fn dos_time(seconds: i64) -> DateTime {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    // Civil-from-days (proleptic Gregorian), as in Howard Hinnant's date algorithms.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
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
        (secs / 3600) as u8,
        (secs / 60 % 60) as u8,
        (secs % 60) as u8,
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
