//! An image layer as a byte-for-byte reproducible tar: entries sorted by path, every parent
//! folder present, one fixed modification time, owner root (0:0) with no user or group names,
//! modes set explicitly. The same files give the same bytes, so the same `diff_id` and, with the
//! same configuration, the same image id.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use sha2::{Digest, Sha256};

/// Where a file's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Path(PathBuf),
    Bytes(Arc<Vec<u8>>),
}

impl Source {
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        match self {
            Source::Path(path) => std::fs::read(path),
            Source::Bytes(bytes) => Ok(bytes.as_ref().clone()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    File { source: Source, mode: u32 },
    Dir { mode: u32 },
}

/// A layer's files by absolute path in the image (`/code/bootstrap`).
#[derive(Debug, Clone, Default)]
pub struct Layer {
    entries: BTreeMap<String, Content>,
}

/// What writing a layer gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// `sha256:<hex>` of the uncompressed tar: the layer's `diff_id`.
    pub diff_id: String,
    pub size: u64,
}

/// `/a/b/` → `a/b`, the form tar entries of a layer take.
fn relative(path: &str) -> String {
    path.trim_matches('/').to_string()
}

impl Layer {
    pub fn add_file(&mut self, path: &str, source: Source, mode: u32) {
        self.parents(path);
        self.entries
            .insert(relative(path), Content::File { source, mode });
    }

    pub fn add_dir(&mut self, path: &str, mode: u32) {
        self.parents(path);
        self.entries.insert(relative(path), Content::Dir { mode });
    }

    /// Adds the folders above `path` that are not there yet, as 0755.
    fn parents(&mut self, path: &str) {
        let path = relative(path);
        let mut end = 0;
        while let Some(slash) = path[end..].find('/') {
            end += slash;
            self.entries
                .entry(path[..end].to_string())
                .or_insert(Content::Dir { mode: 0o755 });
            end += 1;
        }
    }

    /// The entry at an absolute path, if the layer has one.
    pub fn get(&self, path: &str) -> Option<&Content> {
        self.entries.get(&relative(path))
    }

    /// Writes the tar to `out`, every entry stamped `mtime` (seconds since the epoch).
    pub fn write(&self, out: impl Write, mtime: u64) -> std::io::Result<Written> {
        let mut builder = tar::Builder::new(Hashing::new(out));
        // Nothing of the host (owner names, device numbers, extended attributes) may leak in.
        builder.mode(tar::HeaderMode::Deterministic);
        for (path, content) in &self.entries {
            let mut header = tar::Header::new_gnu();
            header.set_uid(0);
            header.set_gid(0);
            header.set_mtime(mtime);
            match content {
                Content::Dir { mode } => {
                    header.set_entry_type(tar::EntryType::Directory);
                    header.set_mode(*mode);
                    header.set_size(0);
                    builder.append_data(&mut header, format!("{path}/"), std::io::empty())?;
                }
                Content::File { source, mode } => {
                    let data = source.read()?;
                    header.set_entry_type(tar::EntryType::Regular);
                    header.set_mode(*mode);
                    header.set_size(data.len() as u64);
                    builder.append_data(&mut header, path, data.as_slice())?;
                }
            }
        }
        let mut hashing = builder.into_inner()?;
        hashing.flush()?;
        Ok(Written {
            diff_id: format!("sha256:{}", hex(&hashing.hasher.finalize())),
            size: hashing.written,
        })
    }
}

/// Lowercase hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Passes bytes on while hashing and counting them.
pub struct Hashing<W> {
    inner: W,
    hasher: Sha256,
    written: u64,
}

impl<W: Write> Hashing<W> {
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            hasher: Sha256::new(),
            written: 0,
        }
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(data)?;
        self.hasher.update(&data[..n]);
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Layer {
        let mut layer = Layer::default();
        layer.add_file(
            "/code/bootstrap",
            Source::Bytes(Arc::new(b"\x7fELF".to_vec())),
            0o755,
        );
        layer.add_dir("/tmp", 0o1777);
        layer.add_file(
            "/lib64/ld-linux-x86-64.so.2",
            Source::Bytes(Arc::new(b"loader".to_vec())),
            0o755,
        );
        layer.add_file(
            "/code/a/very/long/path/that/goes/on/and/on/and/on/past/the/hundred/characters/ustar/allows/in/a/name.txt",
            Source::Bytes(Arc::new(b"x".to_vec())),
            0o644,
        );
        layer
    }

    #[test]
    fn the_same_files_give_the_same_bytes_and_digest() {
        let (mut first, mut second) = (Vec::new(), Vec::new());
        let a = sample().write(&mut first, 315_532_800).unwrap();
        let b = sample().write(&mut second, 315_532_800).unwrap();
        assert_eq!(first, second);
        assert_eq!(a, b);
        assert_eq!(a.size, first.len() as u64);
        assert_eq!(
            a.diff_id,
            format!("sha256:{}", hex(&Sha256::digest(&first))),
            "the diff_id is the digest of the uncompressed tar"
        );
        let mut later = Vec::new();
        let c = sample().write(&mut later, 315_532_801).unwrap();
        assert_ne!(a.diff_id, c.diff_id, "the time is part of the layer");
    }

    #[test]
    fn entries_are_sorted_with_their_folders_and_owned_by_root() {
        let mut bytes = Vec::new();
        sample().write(&mut bytes, 315_532_800).unwrap();
        let mut archive = tar::Archive::new(bytes.as_slice());
        let mut seen = Vec::new();
        for entry in archive.entries().unwrap() {
            let entry = entry.unwrap();
            let header = entry.header();
            assert_eq!(header.uid().unwrap(), 0);
            assert_eq!(header.gid().unwrap(), 0);
            assert_eq!(header.mtime().unwrap(), 315_532_800);
            assert_eq!(header.username().unwrap(), Some(""));
            let path = entry.path().unwrap().display().to_string();
            let mode = header.mode().unwrap();
            seen.push((path, mode));
        }
        let paths: Vec<&str> = seen.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths[0], "code/");
        assert!(paths.contains(&"code/bootstrap"));
        assert!(paths.contains(&"lib64/"), "{paths:?}");
        let mut sorted = paths.clone();
        sorted.sort_by_key(|p| p.trim_end_matches('/').to_string());
        assert_eq!(paths, sorted);
        assert!(seen.contains(&("tmp/".to_string(), 0o1777)));
        assert!(seen.contains(&("code/bootstrap".to_string(), 0o755)));
        assert!(paths.iter().any(|p| p.ends_with("in/a/name.txt")));
    }
}
