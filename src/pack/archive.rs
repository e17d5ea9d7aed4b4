//! The zip container, written by hand.
//!
//! The zip crate's writer either compresses an entry itself, on one thread, or takes a
//! `PreparedZipFile` that holds the whole entry compressed in memory; neither lets an entry's
//! deflate stream arrive in chunks compressed elsewhere. So cargo fc writes the container itself
//! (the zip crate still reads it back in the tests) to APPNOTE 6.3.10:
//!
//! - Each local header carries the entry's real CRC-32 and sizes. Entries that fit one chunk
//!   are compressed before their header is written; a streamed entry's header is written with
//!   zeros first and rewritten in place once its data is out. Data descriptors (flag bit 3) would
//!   have spared that one write per large entry, but streaming readers (Java's `ZipInputStream`,
//!   `unzip` and `bsdtar` reading a pipe) cannot find the end of a stored entry from them, and they
//!   add 16 bytes per entry.
//! - No extra fields, except the zip64 one an entry of 4 GiB or more needs; zip64 end records
//!   when there are more than 65,534 entries.
//! - "Made by Unix", with the Unix mode (0755 or 0644, regular file) in the external attributes,
//!   and one DOS timestamp for every entry.

/// What a 32-bit size, offset or 16-bit count field holds when the zip64 record has the value.
const ZIP64_SIZE: u32 = 0xFFFF_FFFF;
const ZIP64_COUNT: u16 = 0xFFFF;
/// Made by Unix (3, in the high byte), to APPNOTE 3.0, as Info-ZIP writes it.
const MADE_BY_UNIX: u16 = 3 << 8 | 30;
const MADE_BY_UNIX_ZIP64: u16 = 3 << 8 | 45;
/// Bit 11: the name is UTF-8.
const UTF8_NAME: u16 = 1 << 11;
const S_IFREG: u32 = 0o100_000;

/// How an entry's data is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Stored,
    Deflated,
}

impl Method {
    fn code(self) -> u16 {
        match self {
            Method::Stored => 0,
            Method::Deflated => 8,
        }
    }
}

/// A zip (MS-DOS) timestamp: local date and time with two-second resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DosTime {
    pub date: u16,
    pub time: u16,
}

impl DosTime {
    /// 1980-01-01 00:00:00, the earliest time zip can hold.
    pub const EPOCH: DosTime = DosTime {
        date: 1 << 5 | 1,
        time: 0,
    };

    pub fn new(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> DosTime {
        DosTime {
            date: (year - 1980) << 9 | u16::from(month) << 5 | u16::from(day),
            time: u16::from(hour) << 11 | u16::from(minute) << 5 | u16::from(second / 2),
        }
    }
}

/// What the central directory records of one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    pub method: Method,
    pub crc: u32,
    pub compressed: u64,
    pub size: u64,
    /// Where its local header starts.
    pub offset: u64,
    pub executable: bool,
}

/// Whether an entry of `size` bytes needs zip64 sizes. Its compressed size is never larger, since
/// an entry that deflate does not shrink is stored.
pub fn needs_zip64(size: u64) -> bool {
    size >= u64::from(ZIP64_SIZE)
}

fn version_needed(method: Method, zip64: bool) -> u16 {
    if zip64 {
        45
    } else {
        match method {
            Method::Stored => 10,
            Method::Deflated => 20,
        }
    }
}

fn flags(name: &str) -> u16 {
    if name.is_ascii() { 0 } else { UTF8_NAME }
}

/// The local header of an entry. Its length depends only on the name and on `needs_zip64`, so
/// a header written with provisional values can be rewritten in place.
pub fn local_header(name: &str, record: &Record, time: DosTime, out: &mut Vec<u8>) {
    out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    common_fields(name, record, time, out);
    out.extend_from_slice(name.as_bytes());
    if needs_zip64(record.size) {
        zip64_sizes(record, out);
    }
}

/// The fields the local and the central header share, in the same order: version needed,
/// flags, method, time, date, CRC-32, sizes and the lengths of the name and the extra field.
fn common_fields(name: &str, record: &Record, time: DosTime, out: &mut Vec<u8>) {
    let zip64 = needs_zip64(record.size);
    out.extend_from_slice(&version_needed(record.method, zip64).to_le_bytes());
    out.extend_from_slice(&flags(name).to_le_bytes());
    out.extend_from_slice(&record.method.code().to_le_bytes());
    out.extend_from_slice(&time.time.to_le_bytes());
    out.extend_from_slice(&time.date.to_le_bytes());
    out.extend_from_slice(&record.crc.to_le_bytes());
    if zip64 {
        out.extend_from_slice(&ZIP64_SIZE.to_le_bytes());
        out.extend_from_slice(&ZIP64_SIZE.to_le_bytes());
    } else {
        out.extend_from_slice(&(record.compressed as u32).to_le_bytes());
        out.extend_from_slice(&(record.size as u32).to_le_bytes());
    }
    out.extend_from_slice(&name_length(name).to_le_bytes());
    out.extend_from_slice(&(if zip64 { 20u16 } else { 0 }).to_le_bytes());
}

/// The zip64 extra field with both sizes, uncompressed first. The local header must carry both;
/// the central one carries what its fixed fields left at 0xFFFFFFFF, which is both sizes too
/// (offsets stay under 4 GiB).
fn zip64_sizes(record: &Record, out: &mut Vec<u8>) {
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(&record.size.to_le_bytes());
    out.extend_from_slice(&record.compressed.to_le_bytes());
}

/// The length `local_header` writes.
pub fn local_header_len(name: &str, size: u64) -> u64 {
    30 + name.len() as u64 + if needs_zip64(size) { 20 } else { 0 }
}

/// The length of an entry's central directory header.
pub fn central_header_len(name: &str, size: u64) -> u64 {
    46 + name.len() as u64 + if needs_zip64(size) { 20 } else { 0 }
}

fn name_length(name: &str) -> u16 {
    u16::try_from(name.len()).expect("entry names are checked to fit a zip header")
}

/// The longest entry name a zip header holds.
pub const MAX_NAME: usize = u16::MAX as usize;

/// The central directory and end records, for entries whose local headers start at the
/// records' offsets, followed by the directory starting at `directory_offset`.
///
/// Offsets and the directory's size must fit 32 bits: the caller keeps the whole archive under
/// FC's package limit, far below 4 GiB.
pub fn central_directory<'a>(
    entries: impl ExactSizeIterator<Item = (&'a str, &'a Record)>,
    time: DosTime,
    directory_offset: u64,
    out: &mut Vec<u8>,
) {
    let count = entries.len() as u64;
    let start = out.len();
    for (name, record) in entries {
        let zip64 = needs_zip64(record.size);
        let mode = S_IFREG | if record.executable { 0o755 } else { 0o644 };
        out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        let made_by = if zip64 {
            MADE_BY_UNIX_ZIP64
        } else {
            MADE_BY_UNIX
        };
        out.extend_from_slice(&made_by.to_le_bytes());
        common_fields(name, record, time, out);
        // Comment length, disk number, internal attributes.
        out.extend_from_slice(&[0; 6]);
        out.extend_from_slice(&(mode << 16).to_le_bytes());
        out.extend_from_slice(&small_offset(record.offset).to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        if zip64 {
            zip64_sizes(record, out);
        }
    }
    let directory_size = (out.len() - start) as u64;
    let many = count >= u64::from(ZIP64_COUNT);
    if many {
        let record_offset = directory_offset + directory_size;
        // Zip64 end of central directory record; its size field excludes the first 12 bytes.
        out.extend_from_slice(&0x0606_4b50u32.to_le_bytes());
        out.extend_from_slice(&44u64.to_le_bytes());
        out.extend_from_slice(&MADE_BY_UNIX_ZIP64.to_le_bytes());
        out.extend_from_slice(&45u16.to_le_bytes());
        out.extend_from_slice(&[0; 8]);
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&directory_size.to_le_bytes());
        out.extend_from_slice(&directory_offset.to_le_bytes());
        // Its locator: disk 0, the record's offset, one disk in all.
        out.extend_from_slice(&0x0706_4b50u32.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&record_offset.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
    }
    let short_count = if many { ZIP64_COUNT } else { count as u16 };
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&short_count.to_le_bytes());
    out.extend_from_slice(&short_count.to_le_bytes());
    out.extend_from_slice(&small_offset(directory_size).to_le_bytes());
    out.extend_from_slice(&small_offset(directory_offset).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
}

fn small_offset(offset: u64) -> u32 {
    u32::try_from(offset)
        .ok()
        .filter(|&o| o != ZIP64_SIZE)
        .expect("archives stay under FC's package limit, far below 4 GiB")
}

/// The length of the central directory and end records of `count` entries whose central
/// headers add up to `headers` bytes.
pub fn end_records_len(count: u64, headers: u64) -> u64 {
    headers
        + 22
        + if count >= u64::from(ZIP64_COUNT) {
            56 + 20
        } else {
            0
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dos_time_fields_pack_as_appnote_says() {
        let time = DosTime::new(2023, 11, 14, 22, 13, 21);
        assert_eq!(time.date >> 9, 43);
        assert_eq!(time.date >> 5 & 0xF, 11);
        assert_eq!(time.date & 0x1F, 14);
        assert_eq!(time.time >> 11, 22);
        assert_eq!(time.time >> 5 & 0x3F, 13);
        assert_eq!(time.time & 0x1F, 10);
        assert_eq!(DosTime::new(1980, 1, 1, 0, 0, 0), DosTime::EPOCH);
    }

    #[test]
    fn header_lengths_match_what_is_written() {
        for (name, size) in [("a", 0), ("static/ü.txt", 1 << 20), ("big", 5 << 30)] {
            let record = Record {
                method: Method::Deflated,
                crc: 0,
                compressed: size,
                size,
                offset: 0,
                executable: false,
            };
            let mut local = Vec::new();
            local_header(name, &record, DosTime::EPOCH, &mut local);
            assert_eq!(local.len() as u64, local_header_len(name, size));
            let mut central = Vec::new();
            central_directory(
                [(name, &record)].into_iter(),
                DosTime::EPOCH,
                0,
                &mut central,
            );
            assert_eq!(
                central.len() as u64,
                end_records_len(1, central_header_len(name, size))
            );
        }
    }
}
