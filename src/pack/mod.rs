//! `bootstrap` plus assets → a byte-for-byte reproducible zip, in bounded memory.
//!
//! Reproducible means: entries sorted by name, one fixed timestamp (`SOURCE_DATE_EPOCH` or
//! 1980-01-01), Unix modes set explicitly (0755 for executables, 0644 for the rest), no extra
//! fields, and the "made by" system fixed to Unix, so the same inputs give the same bytes on any
//! host. Entries are compressed on every core ([`compress`]), large ones in chunks, and written
//! in order by hand ([`archive`]) to a locked partial file ([`partial`]) that is renamed into
//! place once complete.

mod archive;
mod assets;
mod compress;
mod partial;

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{FileExt, PermissionsExt};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Exit, Failure, Interrupted, Location, Result, failure_any, io};
use crate::interrupt;
use crate::ui::{Ui, human_size};
use archive::{DosTime, Method, Record};

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
    TooLarge {
        output: PathBuf,
        /// What it would be at least.
        size: u64,
        known: SizeKnown,
    },
    /// A file changed while it was being packed.
    Changed { path: PathBuf },
    /// `SOURCE_DATE_EPOCH` is set to something that is not a time.
    SourceDateEpoch { value: String },
}

impl std::fmt::Display for PackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PackError::Include { spec, problem, .. } => write!(f, "include `{spec}`: {problem}"),
            PackError::TooLarge {
                output,
                size,
                known,
            } => {
                let limit = human_size(crate::platform::PACKAGE_LIMIT);
                let output = output.display();
                let size = human_size(*size);
                match known {
                    SizeKnown::BeforeCompressing { .. } => write!(
                        f,
                        "the package for {output} would be at least {size} however well it compresses, over FC's {limit} limit for code packages"
                    ),
                    SizeKnown::WhileWriting { left } => write!(
                        f,
                        "the package for {output} would be over FC's {limit} limit for code packages: it reached {size} with {} of its files still to pack",
                        human_size(*left)
                    ),
                }
            }
            PackError::Changed { path } => {
                write!(f, "{} changed while it was being packed", path.display())
            }
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
            PackError::Changed { .. } => "pack.changed",
            PackError::SourceDateEpoch { .. } => "pack.source-date-epoch",
        }
    }

    fn location(&self) -> Option<Location> {
        match self {
            PackError::Include { at, .. } => at.as_deref().cloned(),
            _ => None,
        }
    }

    fn notes(&self) -> Vec<String> {
        match self {
            PackError::TooLarge {
                known: SizeKnown::BeforeCompressing { incompressible },
                ..
            } => incompressible
                .iter()
                .map(|(name, size)| {
                    format!(
                        "`{name}` ({}) does not compress, so it is stored as it is",
                        human_size(*size)
                    )
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    fn help(&self) -> Option<String> {
        Some(match self {
            PackError::Include { help, .. } => help.to_string(),
            PackError::TooLarge { .. } => "leave large assets out of `include` and load them at run time from OSS or NAS; the previous package was kept".into(),
            PackError::Changed { .. } => {
                "pack again once nothing writes to it; the previous package was kept".into()
            }
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
            PackError::TooLarge {
                output,
                size,
                known,
            } => serde_json::json!({
                "output": output,
                "at_least": size,
                "limit": crate::platform::PACKAGE_LIMIT,
                "when": match known {
                    SizeKnown::BeforeCompressing { .. } => "before-compressing",
                    SizeKnown::WhileWriting { .. } => "while-writing",
                },
            }),
            PackError::Changed { path } => serde_json::json!({ "path": path }),
            PackError::SourceDateEpoch { value } => serde_json::json!({ "value": value }),
        }
    }

    failure_any!();
}

/// How a package is known to be over the limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SizeKnown {
    /// Before compressing: the entries judged incompressible are stored, and they, the headers
    /// and the rest at deflate's best ratio are already over. The largest stored entries, by
    /// name and size.
    BeforeCompressing { incompressible: Vec<(String, u64)> },
    /// What was written, plus the central directory still to come, passed the limit, with this
    /// much input left; writing stopped there.
    WhileWriting { left: u64 },
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
fn entry_time() -> Result<DosTime> {
    Ok(source_date_epoch()?.map_or(DosTime::EPOCH, dos_time))
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

/// A Unix time as a zip (DOS) timestamp, clamped to the range zip can store.
fn dos_time(seconds: i64) -> DosTime {
    let crate::calendar::Utc {
        year,
        month,
        day,
        hour,
        minute,
        second,
    } = crate::calendar::Utc::from_unix(seconds);
    if year < 1980 {
        return DosTime::EPOCH;
    }
    if year > 2107 {
        return DosTime::new(2107, 12, 31, 23, 59, 58);
    }
    DosTime::new(
        year as u16,
        month as u8,
        day as u8,
        hour as u8,
        minute as u8,
        second as u8,
    )
}

/// What a package is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Purpose {
    /// To ship: deflated where that pays, on disk before it counts as written.
    #[default]
    Ship,
    /// To run on this machine only (`local start --watch` rebuilds it on every save): the same
    /// entries, modes and limits, stored rather than deflated and not synced to disk, so that a
    /// save does not wait for compressing a debug bootstrap of tens of megabytes.
    Local,
}

/// Writes `bootstrap` and `assets` to `output`, replacing any previous file only once the new one
/// is complete.
pub fn write_zip(bootstrap: &Path, assets: &[Entry], output: &Path, ui: &Ui) -> Result<Package> {
    write_zip_for(Purpose::Ship, bootstrap, assets, output, ui)
}

/// [`write_zip`] for `purpose`.
pub fn write_zip_for(
    purpose: Purpose,
    bootstrap: &Path,
    assets: &[Entry],
    output: &Path,
    ui: &Ui,
) -> Result<Package> {
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
    for path in partial::sweep(dir) {
        ui.detail(
            "Removed",
            format!("{} (left by a pack that was killed)", path.display()),
        );
    }
    let jobs = compress::plan(&entries, |index| {
        interrupt::check()?;
        Ok(
            if purpose == Purpose::Ship && compress::file_looks_compressible(&entries[index])? {
                Method::Deflated
            } else {
                Method::Stored
            },
        )
    })?;
    refuse_when_surely_too_large(&entries, &jobs, output)?;

    let total: u64 = entries.iter().map(|e| e.size).sum();
    let progress = ui.bytes_bar(
        total,
        format!(
            "zipping {}",
            output.file_name().unwrap_or_default().to_string_lossy()
        ),
    );
    // From here until the partial is renamed or removed, Ctrl-C and SIGTERM are checked for
    // rather than ending the process.
    let _deferred = interrupt::Guard::new();
    let partial = partial::create(dir)?;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let written = write_archive(
        &entries,
        &jobs,
        &Target {
            file: partial.as_file(),
            output,
            limit: crate::platform::PACKAGE_LIMIT,
        },
        time,
        workers,
        &|bytes| progress.inc(bytes),
    )
    .and_then(|size| {
        partial
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(io("set the mode of", partial.path()))?;
        let sha256 = sha256_of(partial.as_file(), partial.path())?;
        if purpose == Purpose::Ship {
            partial
                .as_file()
                .sync_all()
                .map_err(io("write", partial.path()))?;
        }
        interrupt::check()?;
        Ok((size, sha256))
    });
    drop(progress);
    let (size, sha256) = match written {
        Ok(written) => written,
        Err(error) => {
            let removed = partial.close();
            if interrupt::requested() {
                return Err(Interrupted {
                    cleaned_up: Some(match removed {
                        Ok(()) if output.exists() => format!(
                            "removed the unfinished package; {} is as it was",
                            output.display()
                        ),
                        Ok(()) => "removed the unfinished package".into(),
                        Err(e) => format!("could not remove the unfinished package: {e}"),
                    }),
                }
                .into());
            }
            return Err(error);
        }
    };
    partial
        .persist(output)
        .map_err(|e| crate::error::IoError::new("write", output, e.error))?;
    Ok(Package {
        path: output.to_path_buf(),
        size,
        sha256,
        entries: entries.len(),
    })
}

/// Refuses before compressing anything when the package cannot fit, however well what may
/// compress does: headers and entries already judged incompressible (stored) count in full, and
/// everything else at deflate's best ratio, 1032:1 (a 258-byte match in two 1-bit codes).
fn refuse_when_surely_too_large(
    entries: &[Entry],
    jobs: &[compress::Job],
    output: &Path,
) -> Result<()> {
    let mut stored: Vec<&Entry> = jobs
        .iter()
        .filter_map(|job| match job {
            compress::Job::Chunk {
                entry,
                index: 0,
                method: Method::Stored,
            } => Some(&entries[*entry]),
            _ => None,
        })
        .collect();
    let headers: u64 = entries
        .iter()
        .map(|e| archive::local_header_len(&e.name, e.size))
        .sum::<u64>()
        + archive::end_records_len(
            entries.len() as u64,
            entries
                .iter()
                .map(|e| archive::central_header_len(&e.name, e.size))
                .sum(),
        );
    let stored_bytes: u64 = stored.iter().map(|e| e.size).sum();
    let best_deflated: u64 = entries.iter().map(|e| e.size / 1032).sum::<u64>()
        - stored.iter().map(|e| e.size / 1032).sum::<u64>();
    let least = headers + stored_bytes + best_deflated;
    if least <= crate::platform::PACKAGE_LIMIT {
        return Ok(());
    }
    stored.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.name.cmp(&b.name)));
    Err(PackError::TooLarge {
        output: output.to_path_buf(),
        size: least,
        known: SizeKnown::BeforeCompressing {
            incompressible: stored
                .iter()
                .take(3)
                .map(|e| (e.name.clone(), e.size))
                .collect(),
        },
    }
    .into())
}

/// Where an archive is written.
struct Target<'a> {
    file: &'a File,
    /// The package it becomes, for messages.
    output: &'a Path,
    /// The size it may not pass.
    limit: u64,
}

/// The archive as it is written: a buffered writer that knows its position and stops at the
/// limit.
struct Writer<'a> {
    target: &'a Target<'a>,
    buffer: BufWriter<&'a File>,
    position: u64,
    /// The central directory's length: known from the names before anything is written, and
    /// counted against the limit from the start.
    directory: u64,
    /// Input bytes not written yet, for the message when the limit is passed.
    left: u64,
    time: DosTime,
    /// Room for one local header, reused.
    header: Vec<u8>,
}

impl Writer<'_> {
    /// Writes `entry`'s local header at the current position and returns its record.
    fn start(
        &mut self,
        entry: &Entry,
        method: Method,
        crc: u32,
        compressed: u64,
    ) -> Result<Record> {
        let record = Record {
            method,
            crc,
            compressed,
            size: entry.size,
            offset: self.position,
            executable: entry.executable,
        };
        let mut header = std::mem::take(&mut self.header);
        header.clear();
        archive::local_header(&entry.name, &record, self.time, &mut header);
        let written = self.write(&header);
        self.header = header;
        written.map(|()| record)
    }

    /// Rewrites `entry`'s local header, now that its record is final.
    fn finish_entry(&mut self, entry: &Entry, record: &Record) -> Result<()> {
        let mut header = std::mem::take(&mut self.header);
        header.clear();
        archive::local_header(&entry.name, record, self.time, &mut header);
        let patched = self.patch(record.offset, &header);
        self.header = header;
        patched
    }

    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.position += bytes.len() as u64;
        if self.position + self.directory > self.target.limit {
            return Err(PackError::TooLarge {
                output: self.target.output.to_path_buf(),
                size: self.position + self.directory,
                known: SizeKnown::WhileWriting { left: self.left },
            }
            .into());
        }
        self.buffer
            .write_all(bytes)
            .map_err(io("write", self.target.output))
    }

    /// Drops what was written from `position` on.
    fn rewind(&mut self, position: u64) -> Result<()> {
        self.buffer
            .flush()
            .map_err(io("write", self.target.output))?;
        self.target
            .file
            .set_len(position)
            .map_err(io("write", self.target.output))?;
        self.buffer
            .seek(SeekFrom::Start(position))
            .map_err(io("write", self.target.output))?;
        self.position = position;
        Ok(())
    }

    /// Rewrites bytes already written at `offset`.
    fn patch(&mut self, offset: u64, bytes: &[u8]) -> Result<()> {
        self.buffer
            .flush()
            .map_err(io("write", self.target.output))?;
        self.target
            .file
            .write_all_at(bytes, offset)
            .map_err(io("write", self.target.output))
    }

    /// Copies `entry` stored, returning its CRC-32.
    fn copy_stored(&mut self, entry: &Entry) -> Result<u32> {
        let mut source = File::open(&entry.source).map_err(io("read", &entry.source))?;
        let mut crc = crc32fast::Hasher::new();
        let mut buffer = vec![0u8; compress::CHUNK as usize];
        let mut copied = 0;
        loop {
            interrupt::check()?;
            let read = source
                .read(&mut buffer)
                .map_err(io("read", &entry.source))?;
            if read == 0 {
                break;
            }
            crc.update(&buffer[..read]);
            self.write(&buffer[..read])?;
            copied += read as u64;
        }
        if copied != entry.size {
            return Err(PackError::Changed {
                path: entry.source.clone(),
            }
            .into());
        }
        Ok(crc.finalize())
    }

    /// Writes the central directory and flushes; returns the archive's size.
    fn finish(mut self, directory: &[u8]) -> Result<u64> {
        debug_assert_eq!(directory.len() as u64, self.directory);
        self.directory = 0;
        self.write(directory)?;
        self.buffer
            .flush()
            .map_err(io("write", self.target.output))?;
        Ok(self.position)
    }
}

/// A large entry whose chunks are being written.
struct Streaming {
    record: Record,
    data_start: u64,
    crc: crc32fast::Hasher,
}

/// Writes the archive of `entries` (sorted) as `jobs` planned it, compressing on `workers`
/// threads; returns its size. `progress` is told of every entry and chunk written, in input
/// bytes.
fn write_archive(
    entries: &[Entry],
    jobs: &[compress::Job],
    target: &Target<'_>,
    time: DosTime,
    workers: usize,
    progress: &dyn Fn(u64),
) -> Result<u64> {
    let directory = archive::end_records_len(
        entries.len() as u64,
        entries
            .iter()
            .map(|e| archive::central_header_len(&e.name, e.size))
            .sum(),
    );
    let mut out = Writer {
        target,
        buffer: BufWriter::with_capacity(256 * 1024, target.file),
        position: 0,
        directory,
        left: entries.iter().map(|e| e.size).sum(),
        time,
        header: Vec::with_capacity(512),
    };
    let mut records: Vec<Record> = Vec::with_capacity(entries.len());
    let mut streaming: Option<Streaming> = None;
    compress::run_in_order(
        entries,
        jobs,
        workers,
        || Ok(interrupt::check()?),
        |job, done| {
            match (job, done) {
                (compress::Job::Small { first, .. }, compress::Done::Small(items)) => {
                    for (entry, item) in entries[*first..].iter().zip(items) {
                        let record =
                            out.start(entry, item.method, item.crc, item.data.len() as u64)?;
                        out.write(&item.data)?;
                        out.left -= entry.size;
                        records.push(record);
                        progress(entry.size);
                    }
                }
                (
                    compress::Job::Chunk {
                        entry,
                        index,
                        method,
                    },
                    compress::Done::Chunk(chunk),
                ) => {
                    let entry = &entries[*entry];
                    if *index == 0 {
                        // A provisional header of the final length, rewritten once the CRC and
                        // sizes are known.
                        let record = out.start(entry, *method, 0, 0)?;
                        streaming = Some(Streaming {
                            record,
                            data_start: out.position,
                            crc: crc32fast::Hasher::new(),
                        });
                    }
                    let open = streaming
                        .as_mut()
                        .expect("a large entry's chunks arrive in order, the first first");
                    open.crc.combine(&chunk.crc);
                    open.record.compressed += chunk.data.len() as u64;
                    out.write(&chunk.data)?;
                    out.left -= chunk.size;
                    progress(chunk.size);
                    if chunk.last {
                        let Streaming {
                            mut record,
                            data_start,
                            crc,
                        } = streaming.take().expect("opened above");
                        record.crc = crc.finalize();
                        if record.method == Method::Deflated && record.compressed >= record.size {
                            // The sample looked compressible but the whole did not shrink: store
                            // it instead, over what was written.
                            out.rewind(data_start)?;
                            record.crc = out.copy_stored(entry)?;
                            record.method = Method::Stored;
                            record.compressed = record.size;
                        }
                        out.finish_entry(entry, &record)?;
                        records.push(record);
                    }
                }
                _ => panic!("each job's result is of its own kind"),
            }
            Ok(())
        },
    )?;
    assert_eq!(records.len(), entries.len(), "every entry is written once");
    let mut directory = Vec::with_capacity(out.directory as usize);
    archive::central_directory(
        entries.iter().map(|e| e.name.as_str()).zip(&records),
        time,
        out.position,
        &mut directory,
    );
    out.finish(&directory)
}

fn sha256_of(file: &File, path: &Path) -> Result<String> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut offset = 0;
    loop {
        let read = file
            .read_at(&mut buffer, offset)
            .map_err(io("read", path))?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        offset += read as u64;
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
    use std::cell::RefCell;
    use std::io::Cursor;

    use super::*;

    #[test]
    fn dos_times_match_the_calendar() {
        // 2023-11-14T22:13:20Z.
        assert_eq!(
            dos_time(1_700_000_000),
            DosTime::new(2023, 11, 14, 22, 13, 20)
        );
        assert_eq!(dos_time(0), DosTime::EPOCH);
        assert_eq!(
            dos_time(i64::MAX / 4),
            DosTime::new(2107, 12, 31, 23, 59, 58)
        );
    }

    #[test]
    fn sizes_read_like_fc_limits() {
        assert_eq!(human_size(999), "999 B");
        assert_eq!(human_size(100_000_000), "100.00 MB");
    }

    fn random(len: usize, seed: u64) -> Vec<u8> {
        let mut state = seed | 1;
        let mut data = Vec::with_capacity(len + 8);
        while data.len() < len {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            data.extend_from_slice(&state.to_le_bytes());
        }
        data.truncate(len);
        data
    }

    fn text(len: usize, seed: u64) -> Vec<u8> {
        let mut state = seed;
        let mut data = Vec::with_capacity(len + 64);
        while data.len() < len {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            data.extend_from_slice(
                format!("GET /item/{} 200 {}\n", state >> 44, state >> 58).as_bytes(),
            );
        }
        data.truncate(len);
        data
    }

    /// Files in a folder, as entries sorted by name.
    struct Inputs {
        dir: tempfile::TempDir,
        entries: Vec<Entry>,
    }

    impl Inputs {
        fn new(files: &[(&str, &[u8])]) -> Inputs {
            let dir = tempfile::tempdir().unwrap();
            let mut entries: Vec<Entry> = files
                .iter()
                .enumerate()
                .map(|(index, (name, data))| {
                    let source = dir.path().join(format!("{index}"));
                    std::fs::write(&source, data).unwrap();
                    Entry {
                        name: name.to_string(),
                        source,
                        executable: name.ends_with(".sh"),
                        size: data.len() as u64,
                    }
                })
                .collect();
            entries.sort_by(|a, b| a.name.cmp(&b.name));
            Inputs { dir, entries }
        }

        /// The archive, and every progress step it reported.
        fn zip(&self, workers: usize, limit: u64) -> Result<(Vec<u8>, Vec<u64>)> {
            let jobs = compress::plan(&self.entries, |index| {
                Ok(
                    if compress::file_looks_compressible(&self.entries[index])? {
                        Method::Deflated
                    } else {
                        Method::Stored
                    },
                )
            })?;
            let path = self.dir.path().join("out.zip");
            let file = File::options()
                .read(true)
                .write(true)
                .create(true)
                .truncate(true)
                .open(&path)
                .unwrap();
            let steps = RefCell::new(Vec::new());
            let size = write_archive(
                &self.entries,
                &jobs,
                &Target {
                    file: &file,
                    output: &path,
                    limit,
                },
                DosTime::EPOCH,
                workers,
                &|bytes| steps.borrow_mut().push(bytes),
            )?;
            let bytes = std::fs::read(&path).unwrap();
            assert_eq!(bytes.len() as u64, size);
            Ok((bytes, steps.into_inner()))
        }
    }

    fn read_back(bytes: &[u8]) -> Vec<(String, Vec<u8>, zip::CompressionMethod, u32)> {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        (0..archive.len())
            .map(|index| {
                let mut file = archive.by_index(index).unwrap();
                let mut data = Vec::new();
                file.read_to_end(&mut data).unwrap();
                assert!(file.extra_data().is_none_or(|e| e.is_empty()));
                (
                    file.name().unwrap().to_string(),
                    data,
                    file.compression(),
                    file.unix_mode().unwrap(),
                )
            })
            .collect()
    }

    const CHUNK: usize = compress::CHUNK as usize;

    #[test]
    fn every_kind_of_entry_reads_back_and_the_bytes_do_not_depend_on_the_cores() {
        let large_text = text(3 * CHUNK + 12_345, 1);
        let large_random = random(2 * CHUNK + 1, 2);
        let exact_chunk = text(CHUNK, 3);
        let small_random = random(50_000, 4);
        let files: Vec<(&str, &[u8])> = vec![
            ("empty", b""),
            ("tiny.txt", b"hi\n"),
            ("run.sh", b"#!/bin/sh\necho run\n"),
            ("large.log", &large_text),
            ("large.bin", &large_random),
            ("exact.log", &exact_chunk),
            ("small.bin", &small_random),
            ("dir/\u{fc}ber.txt", b"unicode name"),
        ];
        let inputs = Inputs::new(&files);
        let (one, steps) = inputs.zip(1, u64::MAX / 2).unwrap();
        for workers in [2, 3, 8] {
            let (other, _) = inputs.zip(workers, u64::MAX / 2).unwrap();
            assert!(one == other, "{workers} workers wrote other bytes than one");
        }
        let read = read_back(&one);
        let mut expected: Vec<(&str, &[u8])> = files.clone();
        expected.sort();
        assert_eq!(
            read.iter().map(|(n, ..)| n.as_str()).collect::<Vec<_>>(),
            expected.iter().map(|(n, _)| *n).collect::<Vec<_>>()
        );
        for ((name, data, method, mode), (_, want)) in read.iter().zip(&expected) {
            assert!(data == want, "{name} reads back different");
            let expected_method = match name.as_str() {
                "empty" | "large.bin" | "small.bin" => zip::CompressionMethod::Stored,
                "large.log" | "exact.log" => zip::CompressionMethod::Deflated,
                // A few bytes: whichever is smaller.
                _ => *method,
            };
            assert_eq!(*method, expected_method, "{name}");
            let executable = name.ends_with(".sh");
            assert_eq!(
                *mode,
                if executable { 0o100755 } else { 0o100644 },
                "{name}"
            );
        }
        // Progress moves per chunk of a large entry, not once per entry.
        assert_eq!(
            steps.iter().sum::<u64>(),
            files.iter().map(|(_, d)| d.len() as u64).sum::<u64>()
        );
        assert!(steps.len() >= 4 + 3 + 1 + 5, "{steps:?}");
        assert!(steps.iter().all(|&s| s <= CHUNK as u64), "{steps:?}");
    }

    #[test]
    fn an_entry_that_only_looked_compressible_is_stored() {
        // Random bytes; where the sample looks, random bytes of 240 values only: low enough an
        // entropy to try deflate, which cannot save there what it loses on the rest.
        let len = 10 * CHUNK + 777;
        let mut data = random(len, 9);
        let last = len - 4096;
        for i in 0..16 {
            let at = last * i / 15;
            for (byte, value) in data[at..at + 4096]
                .iter_mut()
                .zip(random(4096, i as u64 + 100))
            {
                *byte = value % 240;
            }
        }
        let inputs = Inputs::new(&[("sneaky.bin", &data), ("z.txt", b"after")]);
        assert!(compress::file_looks_compressible(&inputs.entries[0]).unwrap());
        let (bytes, _) = inputs.zip(2, u64::MAX / 2).unwrap();
        let read = read_back(&bytes);
        assert_eq!(read[0].2, zip::CompressionMethod::Stored);
        assert!(read[0].1 == data);
        assert_eq!(read[1].1, b"after");
        // Nothing of the abandoned deflate stream is left between the entries.
        assert_eq!(
            bytes.len(),
            data.len() + 5 + 2 * 30 + 2 * 46 + "sneaky.bin".len() * 2 + "z.txt".len() * 2 + 22
        );
    }

    #[test]
    fn more_than_65535_entries_get_zip64_end_records() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("one");
        std::fs::write(&source, b"x").unwrap();
        let entries: Vec<Entry> = (0..65_600)
            .map(|i| Entry {
                name: format!("f/{i:05}"),
                source: source.clone(),
                executable: false,
                size: 1,
            })
            .collect();
        let inputs = Inputs { dir, entries };
        let (bytes, _) = inputs.zip(2, u64::MAX / 2).unwrap();
        let archive = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
        assert_eq!(archive.len(), 65_600);
        let path = inputs.dir.path().join("many.zip");
        std::fs::write(&path, &bytes).unwrap();
        let python = std::process::Command::new("python3")
            .args([
                "-c",
                "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(len(z.infolist()), z.infolist()[-1].filename)",
            ])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&python.stdout).trim(),
            "65600 f/65599",
            "{}",
            String::from_utf8_lossy(&python.stderr)
        );
        let unzip = std::process::Command::new("unzip")
            .arg("-tq")
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            unzip.status.success(),
            "{}",
            String::from_utf8_lossy(&unzip.stdout)
        );
    }

    #[test]
    fn writing_stops_once_the_limit_is_passed() {
        let data = random(4 * CHUNK, 5);
        let inputs = Inputs::new(&[("a.bin", &data), ("b.bin", &data)]);
        let error = inputs.zip(2, 3 * CHUNK as u64).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("would be over FC's"), "{text}");
        assert!(text.contains("still to pack"), "{text}");
        // Stopped at the limit: nothing much past it was written.
        let written = std::fs::metadata(inputs.dir.path().join("out.zip"))
            .unwrap()
            .len();
        assert!(written <= 3 * CHUNK as u64, "{written}");
    }

    #[test]
    fn files_that_change_while_packing_are_refused() {
        for size in [1000, 3 * CHUNK] {
            let data = text(size, 7);
            let mut inputs = Inputs::new(&[("log.txt", &data)]);
            for claimed in [size as u64 - 1, size as u64 + 1] {
                inputs.entries[0].size = claimed;
                let error = inputs.zip(2, u64::MAX / 2).unwrap_err();
                assert!(
                    error
                        .to_string()
                        .contains("changed while it was being packed"),
                    "{size} as {claimed}: {error}"
                );
            }
        }
    }

    #[test]
    fn incompressible_inputs_over_the_limit_are_refused_before_compressing() {
        let entry = |name: &str, size: u64| Entry {
            name: name.into(),
            source: name.into(),
            executable: false,
            size,
        };
        let entries = [
            entry("a.bin", 300_000_000),
            entry("b.bin", 250_000_000),
            entry("c.txt", 900_000_000),
        ];
        let stored = |index| compress::Job::Chunk {
            entry: index,
            index: 0,
            method: Method::Stored,
        };
        let deflated = compress::Job::Chunk {
            entry: 2,
            index: 0,
            method: Method::Deflated,
        };
        let output = Path::new("target/fc/app.zip");
        let error = refuse_when_surely_too_large(
            &entries,
            &[stored(0), stored(1), deflated.clone()],
            output,
        )
        .unwrap_err();
        assert!(
            error.to_string().contains("would be at least 550.87 MB"),
            "{error}"
        );
        // One of them compressible: under the limit at best, so it is tried.
        refuse_when_surely_too_large(&entries, &[stored(0), deflated], output).unwrap();
    }
}
