//! The kernel's own symbol table, for symbolized backtraces.
//!
//! After the kernel is linked, `cargo xtask` reads its ELF symbol table,
//! writes it in this format and patches it into the reserved `.ksyms`
//! section, so the running kernel can name the functions in a backtrace
//! without carrying (or parsing) DWARF. Layout, all little-endian:
//!
//! ```text
//! magic      8 bytes   b"HKSYMS\x00\x01"
//! count      u32       number of entries
//! names_len  u32       bytes of name text
//! entries    count × { addr: u64, size: u32, name_offset: u32, name_len: u32, pad: u32 }
//!                      sorted by addr
//! names      names_len bytes of UTF-8
//! ```
#![no_std]
#![forbid(unsafe_code)]

#[cfg(feature = "alloc")]
extern crate alloc;

#[cfg(feature = "alloc")]
mod writer;
#[cfg(feature = "alloc")]
pub use writer::{build, Symbol};

pub const MAGIC: [u8; 8] = *b"HKSYMS\x00\x01";
const HEADER_LEN: usize = 16;
const ENTRY_LEN: usize = 24;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// The blob does not start with the magic: no table was patched in.
    Missing,
    /// The header promises more than the blob holds.
    Truncated,
}

/// A validated view of a symbol table.
#[derive(Debug, Clone, Copy)]
pub struct Table<'a> {
    entries: &'a [u8],
    names: &'a [u8],
    count: usize,
}

/// A symbol that covers a looked-up address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found<'a> {
    pub name: &'a str,
    pub start: u64,
    pub offset: u64,
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at.checked_add(8)?)?.try_into().ok()?))
}

impl<'a> Table<'a> {
    pub fn parse(blob: &'a [u8]) -> Result<Self, Error> {
        if blob.get(..8) != Some(&MAGIC[..]) {
            return Err(Error::Missing);
        }
        let count = u32_at(blob, 8).ok_or(Error::Truncated)? as usize;
        let names_len = u32_at(blob, 12).ok_or(Error::Truncated)? as usize;
        let entries_len = count.checked_mul(ENTRY_LEN).ok_or(Error::Truncated)?;
        let names_start = HEADER_LEN.checked_add(entries_len).ok_or(Error::Truncated)?;
        let names_end = names_start.checked_add(names_len).ok_or(Error::Truncated)?;
        let entries = blob.get(HEADER_LEN..names_start).ok_or(Error::Truncated)?;
        let names = blob.get(names_start..names_end).ok_or(Error::Truncated)?;
        Ok(Table { entries, names, count })
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    fn addr(&self, i: usize) -> u64 {
        u64_at(self.entries, i * ENTRY_LEN).unwrap_or(u64::MAX)
    }

    /// Entry `i` as (start, size, name); a name pointing outside the text or
    /// not UTF-8 reads as "?" rather than failing the whole backtrace.
    pub fn entry(&self, i: usize) -> Option<(u64, u32, &'a str)> {
        if i >= self.count {
            return None;
        }
        let base = i * ENTRY_LEN;
        let addr = u64_at(self.entries, base)?;
        let size = u32_at(self.entries, base + 8)?;
        let off = u32_at(self.entries, base + 12)? as usize;
        let len = u32_at(self.entries, base + 16)? as usize;
        let name = off
            .checked_add(len)
            .and_then(|end| self.names.get(off..end))
            .and_then(|b| core::str::from_utf8(b).ok())
            .unwrap_or("?");
        Some((addr, size, name))
    }

    /// The symbol containing `addr`: the last one starting at or below it,
    /// provided `addr` is inside its size (a zero size means "up to the next").
    pub fn lookup(&self, addr: u64) -> Option<Found<'a>> {
        // Binary search for the first entry starting above `addr`.
        let (mut lo, mut hi) = (0usize, self.count);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.addr(mid) <= addr {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let i = lo.checked_sub(1)?;
        let (start, size, name) = self.entry(i)?;
        let offset = addr - start;
        if size != 0 && offset >= u64::from(size) {
            return None;
        }
        Some(Found { name, start, offset })
    }
}

#[cfg(test)]
mod tests;
