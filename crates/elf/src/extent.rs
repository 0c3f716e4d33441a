//! How much of a file a loader reads before it maps the rest.
//!
//! A kernel should not read a whole executable (or library) into memory to
//! start it: it reads the head of the file, decides, and maps the segments
//! so pages arrive on demand. What it must look at first is the file
//! header, the program header table, and the small segments it parses:
//! `PT_INTERP` (the dynamic linker's path) and `PT_NOTE` (which OS the
//! binary is for).

use crate::header::FileHeader;
use crate::program_header::{SegmentType, PROGRAM_HEADER_SIZE};
use crate::{ElfFile, Error, Result};

/// Given `head`, the first bytes of a file (at least its 64-byte header),
/// how many bytes from the start a loader needs: the end of the program
/// header table and of every `PT_INTERP` and `PT_NOTE` segment, none of
/// which need lie inside `head` yet. When the answer exceeds `head.len()`,
/// read that much and ask again: the segments are found only once the
/// table itself has been read. Never larger than `limit` (segments ending
/// past it are left out: a loader then treats them as unreadable).
///
/// `PN_XNUM` tables (65535+ headers, count in section 0) are reported by
/// their `e_phnum` alone; [`ElfFile::parse`] resolves the real count once
/// the bytes are there.
pub fn loader_extent(head: &[u8], limit: u64) -> Result<u64> {
    let header = FileHeader::parse(head)?;
    let table_bytes = u64::from(header.phnum).checked_mul(PROGRAM_HEADER_SIZE as u64).ok_or(Error::Overflow)?;
    let table_end = header.phoff.checked_add(table_bytes).ok_or(Error::Overflow)?;
    let head_len = u64::try_from(head.len()).map_err(|_| Error::Overflow)?;
    if table_end > head_len {
        return Ok(table_end.min(limit));
    }
    let file = ElfFile::parse(head)?;
    let extent = file
        .program_headers()
        .filter(|ph| matches!(ph.kind, SegmentType::Interp | SegmentType::Note))
        .filter_map(|ph| ph.file_end())
        .filter(|end| *end <= limit)
        .fold(table_end, u64::max);
    Ok(extent.min(limit))
}
