//! CRC-64/XZ (ECMA-182 polynomial, reflected, initial and final value all ones): the checksum
//! OSS reports as `x-oss-hash-crc64ecma` and FC reports as a function's `codeChecksum`, "the
//! CRC-64 value of the function code package" (FC 3.0 API, OutputFuncCode/Function), written as
//! a decimal string. Serverless Devs' fc3 component compares the same value (computed with the
//! `crc64-ecma182.js` package) with `codeChecksum` to skip unchanged uploads.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crc::{CRC_64_XZ, Crc};

use crate::error::IoError;

const ALGORITHM: Crc<u64> = Crc::<u64>::new(&CRC_64_XZ);

/// The checksum of `bytes`.
pub fn of_bytes(bytes: &[u8]) -> u64 {
    ALGORITHM.checksum(bytes)
}

/// The checksum of a file, read in blocks, and its size.
pub fn of_file(path: &Path) -> Result<(u64, u64), IoError> {
    let mut file = File::open(path).map_err(|e| IoError::new("read", path, e))?;
    let mut digest = ALGORITHM.digest();
    let mut buffer = vec![0u8; 1 << 16];
    let mut size = 0u64;
    loop {
        let read = file
            .read(&mut buffer)
            .map_err(|e| IoError::new("read", path, e))?;
        if read == 0 {
            break;
        }
        size += read as u64;
        digest.update(&buffer[..read]);
    }
    Ok((digest.finalize(), size))
}

/// FC's `codeChecksum` text as a number; `None` when it is absent or not a decimal number, so
/// that a checksum cargo fc cannot read always means "upload".
pub fn parse_code_checksum(text: &str) -> Option<u64> {
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The catalogue check value of CRC-64/XZ: the CRC of the ASCII string "123456789"
    /// (Greg Cook's "Catalogue of parametrised CRC algorithms", CRC-64/XZ: check=0x995dc9bbdf1939fa).
    #[test]
    fn matches_the_catalogue_check_value() {
        assert_eq!(of_bytes(b"123456789"), 0x995d_c9bb_df19_39fa);
        assert_eq!(of_bytes(b""), 0);
    }

    #[test]
    fn a_file_streams_to_the_same_value_as_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("code.zip");
        // Larger than one read block, so the streaming path joins blocks.
        let content: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &content).unwrap();
        assert_eq!(
            of_file(&path).unwrap(),
            (of_bytes(&content), content.len() as u64)
        );
    }

    #[test]
    fn code_checksums_are_decimal_text() {
        assert_eq!(
            parse_code_checksum("11051386003617612026"),
            Some(11051386003617612026)
        );
        assert_eq!(parse_code_checksum(""), None);
        assert_eq!(parse_code_checksum("0x12"), None);
    }
}

#[cfg(test)]
mod against_xz {
    use std::io::Write;
    use std::process::Command;

    use super::*;

    /// xz's own CRC-64 (the check it stores for `--check=crc64`, printed by `xz -lvv`) of a real
    /// zip: an implementation independent of the `crc` crate, of the same CRC-64/XZ.
    #[test]
    fn a_zip_checksums_to_what_xz_computes_for_it() {
        let Ok(xz) = which::which("xz") else {
            let message = "xz is not installed (apt-get install xz-utils)";
            assert!(
                std::env::var_os("CI").is_none_or(|v| v.is_empty() || v == "false"),
                "{message}"
            );
            eprintln!("SKIPPED: {message}");
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let zip_path = dir.path().join("code.zip");
        {
            let file = std::fs::File::create(&zip_path).unwrap();
            let mut zip = zip::ZipWriter::new(file);
            let options = zip::write::SimpleFileOptions::default().unix_permissions(0o755);
            zip.start_file("bootstrap", options).unwrap();
            zip.write_all(b"#!/bin/sh\necho hello\n").unwrap();
            zip.finish().unwrap();
        }
        let output = Command::new(xz)
            .args(["--check=crc64", "--keep", "--force"])
            .arg(&zip_path)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let listing = Command::new("xz")
            .args(["--robot", "--list", "-vv"])
            .arg(dir.path().join("code.zip.xz"))
            .output()
            .unwrap();
        let text = String::from_utf8(listing.stdout).unwrap();
        let check = text
            .lines()
            .find_map(|line| {
                let fields: Vec<&str> = line.split('\t').collect();
                (fields.first() == Some(&"block")).then(|| fields[10].to_string())
            })
            .unwrap_or_else(|| panic!("no block line in xz's listing:\n{text}"));
        let (crc, _) = of_file(&zip_path).unwrap();
        assert_eq!(format!("{crc:016x}"), check);
    }
}
