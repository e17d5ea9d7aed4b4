//! Compression on every core, in bounded memory, handed back in archive order.
//!
//! The work is cut into jobs: a run of small entries compressed whole, or one chunk of a large
//! entry. A large entry's chunks are compressed independently, as pigz does: each is raw deflate
//! primed with the 32 KiB before it as the dictionary (what deflate's window would have held),
//! ended with a sync flush so that it stops on a byte boundary, and the last one finished; their
//! concatenation is one valid deflate stream. Each chunk's CRC-32 is combined in order. Chunk
//! boundaries depend only on the entry's size, never on the number of cores, so the bytes are the
//! same on every host.
//!
//! Workers may run at most `WINDOW_PER_WORKER` jobs per worker ahead of the writer, which bounds
//! what waits in memory to reorder: about `workers × (WINDOW_PER_WORKER + 1)` chunks, whatever the
//! entries' sizes.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::mpsc;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use flate2::{Compress, Compression, FlushCompress, Status};

use super::archive::Method;
use super::{Entry, PackError};
use crate::error::{IoError, Result};

/// The unit large entries are read, compressed and written in. A chunk costs its size twice in
/// memory while it is compressed (input and output), and deflate loses a few bytes at each
/// boundary; at 1 MiB that loss is under 0.01 %.
pub const CHUNK: u64 = 1 << 20;
/// What deflate can refer back to, so what primes the next chunk.
const DICTIONARY: u64 = 32 * 1024;
/// A run of small entries is one job up to this many entries, so that 20,000 small files are
/// not 20,000 hand-overs between threads.
const RUN_ENTRIES: usize = 64;
/// Four rather than two: on a busy machine the writer thread may wait for a core, and workers
/// with room to run ahead keep compressing meanwhile.
const WINDOW_PER_WORKER: usize = 4;
/// Level 6, as `zip -6` and zlib's default.
const LEVEL: u32 = 6;

/// One unit of work, in archive order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// Entries `first..first + count`, each at most one chunk, compressed whole.
    Small { first: usize, count: usize },
    /// Chunk `index` of a large entry, compressed as `method` decided for the whole entry.
    Chunk {
        entry: usize,
        index: u64,
        method: Method,
    },
}

/// A small entry, compressed.
#[derive(Debug)]
pub struct Compressed {
    pub method: Method,
    pub crc: u32,
    pub data: Vec<u8>,
}

/// A chunk of a large entry, compressed.
#[derive(Debug)]
pub struct Chunk {
    pub crc: crc32fast::Hasher,
    pub size: u64,
    pub data: Vec<u8>,
    /// Whether this is the entry's last chunk.
    pub last: bool,
}

#[derive(Debug)]
pub enum Done {
    Small(Vec<Compressed>),
    Chunk(Chunk),
}

/// Whether an entry is compressed in chunks.
pub fn is_large(size: u64) -> bool {
    size > CHUNK
}

/// The jobs that make `entries` (in archive order); `method_of` decides each large entry's method
/// before any of it is compressed.
pub fn plan(
    entries: &[Entry],
    mut method_of: impl FnMut(usize) -> Result<Method>,
) -> Result<Vec<Job>> {
    let mut jobs = Vec::new();
    let mut run: Option<(usize, usize, u64)> = None;
    for (index, entry) in entries.iter().enumerate() {
        if is_large(entry.size) {
            if let Some((first, count, _)) = run.take() {
                jobs.push(Job::Small { first, count });
            }
            let method = method_of(index)?;
            for chunk in 0..entry.size.div_ceil(CHUNK) {
                jobs.push(Job::Chunk {
                    entry: index,
                    index: chunk,
                    method,
                });
            }
            continue;
        }
        run = match run {
            Some((first, count, bytes)) if count < RUN_ENTRIES && bytes + entry.size <= CHUNK => {
                Some((first, count + 1, bytes + entry.size))
            }
            Some((first, count, _)) => {
                jobs.push(Job::Small { first, count });
                Some((index, 1, entry.size))
            }
            None => Some((index, 1, entry.size)),
        };
    }
    if let Some((first, count, _)) = run {
        jobs.push(Job::Small { first, count });
    }
    Ok(jobs)
}

/// How far the workers may run ahead of the writer.
struct Window {
    /// The next job to hand out.
    next: usize,
    /// How many jobs the writer has taken.
    taken: usize,
    stopped: bool,
}

struct Shared {
    window: Mutex<Window>,
    changed: Condvar,
}

impl Shared {
    fn stop(&self) {
        self.window.lock().expect("no worker panics").stopped = true;
        self.changed.notify_all();
    }
}

/// Runs `jobs` on `workers` threads and hands each one's result to `take` in order. `poll` is
/// called at least every 100 ms while waiting, so that an interrupt is seen even when no job
/// finishes.
pub fn run_in_order(
    entries: &[Entry],
    jobs: &[Job],
    workers: usize,
    mut poll: impl FnMut() -> Result<()>,
    mut take: impl FnMut(&Job, Done) -> Result<()>,
) -> Result<()> {
    let workers = workers.clamp(1, jobs.len().max(1));
    let window = workers * WINDOW_PER_WORKER;
    let shared = Shared {
        window: Mutex::new(Window {
            next: 0,
            taken: 0,
            stopped: false,
        }),
        changed: Condvar::new(),
    };
    let (sender, receiver) = mpsc::channel::<(usize, Result<Done>)>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let sender = sender.clone();
            let shared = &shared;
            scope.spawn(move || {
                let mut worker = Worker::new();
                while let Some(index) = next_job(shared, jobs.len(), window) {
                    let done = worker.run(entries, &jobs[index]);
                    if sender.send((index, done)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let outcome = (|| {
            let mut pending: BTreeMap<usize, Done> = BTreeMap::new();
            let mut expected = 0;
            while expected < jobs.len() {
                poll()?;
                match receiver.recv_timeout(Duration::from_millis(100)) {
                    Ok((index, done)) => {
                        pending.insert(index, done?);
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => continue,
                    Err(mpsc::RecvTimeoutError::Disconnected) => {
                        panic!("the workers stop only when every job is handed out")
                    }
                }
                while let Some(done) = pending.remove(&expected) {
                    take(&jobs[expected], done)?;
                    expected += 1;
                    shared.window.lock().expect("no worker panics").taken = expected;
                    shared.changed.notify_all();
                    poll()?;
                }
            }
            Ok(())
        })();
        // On failure the workers finish the job at hand and stop; the scope waits for them.
        shared.stop();
        outcome
    })
}

fn next_job(shared: &Shared, jobs: usize, window: usize) -> Option<usize> {
    let mut state = shared.window.lock().expect("no worker panics");
    loop {
        if state.stopped || state.next >= jobs {
            return None;
        }
        if state.next < state.taken + window {
            state.next += 1;
            return Some(state.next - 1);
        }
        state = shared.changed.wait(state).expect("no worker panics");
    }
}

/// A worker's reusable state: its read buffer and the large entry it last read from.
///
/// Not its deflate stream: zlib-rs's reset clears the hash heads but keeps the window and the
/// hash chains, and deflate's choices can depend on them, so a reused stream writes different
/// (valid) bytes depending on which jobs the worker happened to run before. Each entry and each
/// chunk gets a new stream, zeroed as it is made.
struct Worker {
    input: Vec<u8>,
    open: Option<(usize, File)>,
    /// The stream used last, dropped only once the next one is made: freed first, its 300 KiB
    /// would go back to the kernel and be faulted in again for every small entry.
    last_stream: Option<Compress>,
}

/// A new raw deflate stream at level 6.
fn deflate_stream() -> Compress {
    Compress::new(Compression::new(LEVEL), false)
}

/// A new stream in `last`; the one it held is released after the new one is made.
fn replace_stream(last: &mut Option<Compress>) -> &mut Compress {
    let fresh = deflate_stream();
    last.insert(fresh)
}

impl Worker {
    fn new() -> Worker {
        Worker {
            input: Vec::new(),
            open: None,
            last_stream: None,
        }
    }

    fn run(&mut self, entries: &[Entry], job: &Job) -> Result<Done> {
        match *job {
            Job::Small { first, count } => entries[first..first + count]
                .iter()
                .map(|entry| self.small(entry))
                .collect::<Result<Vec<_>>>()
                .map(Done::Small),
            Job::Chunk {
                entry,
                index,
                method,
            } => self.chunk(entries, entry, index, method).map(Done::Chunk),
        }
    }

    /// A whole small entry: deflated when that makes it smaller, else stored.
    fn small(&mut self, entry: &Entry) -> Result<Compressed> {
        let mut data = Vec::with_capacity(entry.size as usize);
        File::open(&entry.source)
            .and_then(|file| file.take(entry.size + 1).read_to_end(&mut data))
            .map_err(read_error(&entry.source))?;
        if data.len() as u64 != entry.size {
            return Err(PackError::Changed {
                path: entry.source.clone(),
            }
            .into());
        }
        let crc = crc32fast::hash(&data);
        if data.len() >= 4096 && !looks_compressible(&data) {
            return Ok(Compressed {
                method: Method::Stored,
                crc,
                data,
            });
        }
        let deflate = replace_stream(&mut self.last_stream);
        // Output as large as the input: if deflate fills it before it finishes, it does not
        // shrink the entry, which is then stored.
        let mut out = Vec::with_capacity(data.len());
        let mut consumed = 0;
        loop {
            let before = deflate.total_in();
            let status = deflate
                .compress_vec(&data[consumed..], &mut out, FlushCompress::Finish)
                .map_err(|e| compress_error(&entry.source, e))?;
            consumed += (deflate.total_in() - before) as usize;
            if status == Status::StreamEnd {
                break;
            }
            if out.len() == out.capacity() {
                return Ok(Compressed {
                    method: Method::Stored,
                    crc,
                    data,
                });
            }
        }
        if out.len() < data.len() {
            Ok(Compressed {
                method: Method::Deflated,
                crc,
                data: out,
            })
        } else {
            Ok(Compressed {
                method: Method::Stored,
                crc,
                data,
            })
        }
    }

    /// Chunk `index` of `entries[entry]`.
    fn chunk(
        &mut self,
        entries: &[Entry],
        entry: usize,
        index: u64,
        method: Method,
    ) -> Result<Chunk> {
        let source = &entries[entry];
        let start = index * CHUNK;
        let size = CHUNK.min(source.size - start);
        let last = start + size == source.size;
        if self.open.as_ref().is_none_or(|(open, _)| *open != entry) {
            let file = File::open(&source.source).map_err(read_error(&source.source))?;
            self.open = Some((entry, file));
        }
        let (_, file) = self.open.as_ref().expect("opened above");
        let primed = if method == Method::Deflated {
            DICTIONARY.min(start)
        } else {
            0
        };
        self.input.resize((primed + size) as usize, 0);
        file.read_exact_at(&mut self.input, start - primed)
            .map_err(|e| {
                if e.kind() == std::io::ErrorKind::UnexpectedEof {
                    PackError::Changed {
                        path: source.source.clone(),
                    }
                    .into()
                } else {
                    read_error(&source.source)(e)
                }
            })?;
        if last {
            let now = file.metadata().map_err(read_error(&source.source))?.len();
            if now != source.size {
                return Err(PackError::Changed {
                    path: source.source.clone(),
                }
                .into());
            }
            // The next job is another entry's; do not keep this one open.
            self.open = None;
        }
        let (dictionary, own) = self.input.split_at(primed as usize);
        let mut crc = crc32fast::Hasher::new();
        crc.update(own);
        let data = match method {
            Method::Stored => own.to_vec(),
            Method::Deflated => {
                let deflate = replace_stream(&mut self.last_stream);
                if !dictionary.is_empty() {
                    deflate
                        .set_dictionary(dictionary)
                        .map_err(|e| compress_error(&source.source, e))?;
                }
                let flush = if last {
                    FlushCompress::Finish
                } else {
                    FlushCompress::Sync
                };
                deflate_all(deflate, own, flush).map_err(|e| compress_error(&source.source, e))?
            }
        };
        Ok(Chunk {
            crc,
            size,
            data,
            last,
        })
    }
}

/// Deflates all of `input`, ending with `flush` (sync: on a byte boundary, the stream open;
/// finish: the stream's last block).
fn deflate_all(
    deflate: &mut Compress,
    input: &[u8],
    flush: FlushCompress,
) -> std::result::Result<Vec<u8>, flate2::CompressError> {
    // Deflate's worst case is 5 bytes per stored 16 KiB block, plus the flush marker.
    let mut out = Vec::with_capacity(input.len() + input.len() / 1024 + 64);
    let mut consumed = 0;
    loop {
        let before = deflate.total_in();
        let status = deflate.compress_vec(&input[consumed..], &mut out, flush)?;
        consumed += (deflate.total_in() - before) as usize;
        if status == Status::StreamEnd {
            return Ok(out);
        }
        // zlib has completed a flush when it returns with output space to spare.
        if flush != FlushCompress::Finish && consumed == input.len() && out.len() < out.capacity() {
            return Ok(out);
        }
        if out.len() == out.capacity() {
            out.reserve(64 * 1024);
        }
    }
}

fn read_error(path: &Path) -> impl Fn(std::io::Error) -> crate::error::Error + '_ {
    move |e| IoError::new("read", path, e).into()
}

fn compress_error(path: &Path, e: flate2::CompressError) -> crate::error::Error {
    IoError::new("compress", path, std::io::Error::other(e)).into()
}

/// Runs of 4 KiB taken, spread over the whole entry, to judge whether it compresses.
const SAMPLE_RUN: u64 = 4096;
const SAMPLE_RUNS: u64 = 16;

/// Where the sample runs of an entry of `len` bytes start: evenly spread from its start to its
/// end, so that neither a header nor a tail decides alone.
fn sample_offsets(len: u64) -> impl Iterator<Item = u64> {
    let runs = len.div_ceil(SAMPLE_RUN).min(SAMPLE_RUNS);
    let last = len.saturating_sub(SAMPLE_RUN);
    (0..runs).map(move |i| if runs == 1 { 0 } else { last * i / (runs - 1) })
}

/// Whether deflating an entry is worth trying: already-compressed data (images, archives,
/// random bytes) uses nearly all 256 byte values evenly, so a sample's entropy tells cheaply.
pub fn looks_compressible(data: &[u8]) -> bool {
    let mut counts = [0u32; 256];
    for offset in sample_offsets(data.len() as u64) {
        let offset = offset as usize;
        let end = (offset + SAMPLE_RUN as usize).min(data.len());
        for &byte in &data[offset..end] {
            counts[byte as usize] += 1;
        }
    }
    low_entropy(&counts)
}

/// The same judgement for a large entry, from its file.
pub fn file_looks_compressible(entry: &Entry) -> Result<bool> {
    let file = File::open(&entry.source).map_err(read_error(&entry.source))?;
    let mut counts = [0u32; 256];
    let mut run = vec![0u8; SAMPLE_RUN as usize];
    for offset in sample_offsets(entry.size) {
        let read = file
            .read_at(&mut run, offset)
            .map_err(read_error(&entry.source))?;
        for &byte in &run[..read] {
            counts[byte as usize] += 1;
        }
    }
    Ok(low_entropy(&counts))
}

fn low_entropy(counts: &[u32; 256]) -> bool {
    let n: u32 = counts.iter().sum();
    if n == 0 {
        return true;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn random(len: usize, seed: u64) -> Vec<u8> {
        let mut state = seed;
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect()
    }

    #[test]
    fn random_data_is_stored_and_text_is_deflated() {
        let text = "hello world ".repeat(10_000).into_bytes();
        assert!(looks_compressible(&text));
        assert!(!looks_compressible(&random(200_000, 0x2545F4914F6CDD1D)));
    }

    #[test]
    fn the_sample_covers_the_whole_entry() {
        // A binary header, then text: a sample of the head alone would store it whole.
        let mut data = random(1 << 20, 7);
        data.extend("hello world ".repeat(2_000_000).into_bytes());
        assert!(looks_compressible(&data));
        let offsets: Vec<u64> = sample_offsets(100 << 20).collect();
        assert_eq!(offsets.len(), 16);
        assert_eq!(offsets[0], 0);
        assert_eq!(*offsets.last().unwrap(), (100 << 20) - 4096);
        assert_eq!(sample_offsets(10).collect::<Vec<_>>(), [0]);
    }

    #[test]
    fn chunks_deflated_apart_are_one_stream() {
        // Text whose repeats span chunk boundaries, so the primed dictionary matters.
        let mut data = Vec::new();
        let mut state = 1u64;
        while data.len() < 3 * CHUNK as usize + 12_345 {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
            data.extend_from_slice(format!("line {} of the log\n", state >> 50).as_bytes());
        }
        let mut worker = Worker::new();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.txt");
        std::fs::write(&path, &data).unwrap();
        let entries = [Entry {
            name: "log.txt".into(),
            source: path,
            executable: false,
            size: data.len() as u64,
        }];
        let mut stream = Vec::new();
        let mut crc = crc32fast::Hasher::new();
        let chunks = (data.len() as u64).div_ceil(CHUNK);
        for index in 0..chunks {
            let chunk = worker.chunk(&entries, 0, index, Method::Deflated).unwrap();
            assert_eq!(chunk.last, index + 1 == chunks);
            crc.combine(&chunk.crc);
            stream.extend(chunk.data);
        }
        let mut inflated = Vec::new();
        flate2::read::DeflateDecoder::new(&stream[..])
            .read_to_end(&mut inflated)
            .unwrap();
        assert!(inflated == data, "the chunks do not inflate to the entry");
        assert_eq!(crc.finalize(), crc32fast::hash(&data));
        // Priming keeps the ratio of one stream: within a few bytes a chunk.
        let whole = deflate_all(&mut deflate_stream(), &data, FlushCompress::Finish).unwrap();
        assert!(
            stream.len() <= whole.len() + 64 * chunks as usize,
            "{} vs {}",
            stream.len(),
            whole.len()
        );
    }

    /// Log-like text: random request lines, so that deflate finds many matches of many lengths.
    fn log_text(len: usize, seed: u64) -> Vec<u8> {
        let mut data = Vec::with_capacity(len + 64);
        let mut state = seed;
        while data.len() < len {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            data.extend_from_slice(
                format!(
                    "GET /api/v1/items/{} {} {}ms\n",
                    state >> 44,
                    200 + (state >> 62),
                    state >> 55
                )
                .as_bytes(),
            );
        }
        data.truncate(len);
        data
    }

    #[test]
    fn what_a_worker_did_before_does_not_change_what_it_writes() {
        // zlib-rs's reset keeps the window and hash chains of the previous stream, and deflate's
        // choices can depend on them: a reused stream made different (valid) bytes depending on
        // which jobs a worker happened to run first.
        let dir = tempfile::tempdir().unwrap();
        let mut entries = Vec::new();
        for (index, len) in [12 * CHUNK as usize + 999, 3000, 70_000]
            .into_iter()
            .enumerate()
        {
            let path = dir.path().join(format!("{index}.log"));
            std::fs::write(&path, log_text(len, index as u64 + 1)).unwrap();
            entries.push(Entry {
                name: format!("{index}.log"),
                source: path,
                executable: false,
                size: len as u64,
            });
        }
        let chunks = entries[0].size.div_ceil(CHUNK);
        let mut busy = Worker::new();
        for index in (0..chunks).rev() {
            let after_others = busy.chunk(&entries, 0, index, Method::Deflated).unwrap();
            let fresh = Worker::new()
                .chunk(&entries, 0, index, Method::Deflated)
                .unwrap();
            assert!(after_others.data == fresh.data, "chunk {index} differs");
        }
        for entry in &entries[1..] {
            let after_others = busy.small(entry).unwrap();
            let fresh = Worker::new().small(entry).unwrap();
            assert!(after_others.data == fresh.data, "{} differs", entry.name);
        }
    }

    #[test]
    fn small_runs_and_chunks_are_planned_in_order() {
        let entry = |name: &str, size: u64| Entry {
            name: name.into(),
            source: name.into(),
            executable: false,
            size,
        };
        let mut entries: Vec<Entry> = (0..70).map(|i| entry(&format!("a{i:02}"), 10)).collect();
        entries.push(entry("big", 2 * CHUNK + 1));
        entries.push(entry("c", CHUNK));
        entries.push(entry("d", 1));
        let jobs = plan(&entries, |_| Ok(Method::Deflated)).unwrap();
        let chunk = |index| Job::Chunk {
            entry: 70,
            index,
            method: Method::Deflated,
        };
        assert_eq!(
            jobs,
            [
                Job::Small {
                    first: 0,
                    count: 64
                },
                Job::Small {
                    first: 64,
                    count: 6
                },
                chunk(0),
                chunk(1),
                chunk(2),
                Job::Small {
                    first: 71,
                    count: 1
                },
                Job::Small {
                    first: 72,
                    count: 1
                },
            ]
        );
    }
}
