//! The dynamic section (`PT_DYNAMIC`, `Elf64_Dyn`): the tagged values a
//! dynamic loader reads (symbol and string tables, hash tables, versions,
//! relocations). Read here from the segment, as a loader finds it.

use core::slice::ChunksExact;

use crate::bytes::u64_at;
use crate::program_header::SegmentType;
use crate::{ElfFile, Error, Result};

/// Size of `Elf64_Dyn`.
const DYNAMIC_ENTRY_SIZE: usize = 16;

/// One `Elf64_Dyn`: a tag (`DT_*`) and its value or address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DynamicEntry {
    pub tag: u64,
    pub value: u64,
}

impl DynamicEntry {
    pub const DT_NULL: u64 = 0;
    pub const DT_NEEDED: u64 = 1;
    pub const DT_PLTRELSZ: u64 = 2;
    pub const DT_HASH: u64 = 4;
    pub const DT_STRTAB: u64 = 5;
    pub const DT_SYMTAB: u64 = 6;
    pub const DT_RELA: u64 = 7;
    pub const DT_RELASZ: u64 = 8;
    pub const DT_STRSZ: u64 = 10;
    pub const DT_SYMENT: u64 = 11;
    pub const DT_SONAME: u64 = 14;
    pub const DT_REL: u64 = 17;
    pub const DT_RELSZ: u64 = 18;
    pub const DT_TEXTREL: u64 = 22;
    pub const DT_JMPREL: u64 = 23;
    pub const DT_FLAGS: u64 = 30;
    pub const DT_RELRSZ: u64 = 35;
    pub const DT_RELR: u64 = 36;
    pub const DT_GNU_HASH: u64 = 0x6fff_fef5;
    pub const DT_VERSYM: u64 = 0x6fff_fff0;
    pub const DT_RELACOUNT: u64 = 0x6fff_fff9;
    pub const DT_RELCOUNT: u64 = 0x6fff_fffa;
    pub const DT_VERDEF: u64 = 0x6fff_fffc;
    pub const DT_VERDEFNUM: u64 = 0x6fff_fffd;
    pub const DT_VERNEED: u64 = 0x6fff_fffe;
    pub const DT_VERNEEDNUM: u64 = 0x6fff_ffff;

    /// Whether the entry asks the loader to relocate something (a table
    /// of relocations, or permission to patch text).
    pub fn is_relocation(&self) -> bool {
        matches!(
            self.tag,
            Self::DT_RELA
                | Self::DT_RELASZ
                | Self::DT_REL
                | Self::DT_RELSZ
                | Self::DT_JMPREL
                | Self::DT_PLTRELSZ
                | Self::DT_TEXTREL
                | Self::DT_RELR
                | Self::DT_RELRSZ
                | Self::DT_RELACOUNT
                | Self::DT_RELCOUNT
        )
    }
}

/// The entries of a dynamic section up to (not including) `DT_NULL`, or
/// to the end of the data if it has none.
#[derive(Clone, Debug)]
pub struct DynamicEntries<'a> {
    entries: ChunksExact<'a, u8>,
}

impl<'a> DynamicEntries<'a> {
    /// The entries in `data`, whose length must be a multiple of 16.
    pub fn new(data: &'a [u8]) -> Result<DynamicEntries<'a>> {
        if !data.len().is_multiple_of(DYNAMIC_ENTRY_SIZE) {
            return Err(Error::BadDynamicSize);
        }
        Ok(DynamicEntries { entries: data.chunks_exact(DYNAMIC_ENTRY_SIZE) })
    }
}

impl Iterator for DynamicEntries<'_> {
    type Item = DynamicEntry;

    fn next(&mut self) -> Option<DynamicEntry> {
        let entry = self.entries.next()?;
        let decoded = DynamicEntry { tag: u64_at(entry, 0)?, value: u64_at(entry, 8)? };
        if decoded.tag == DynamicEntry::DT_NULL {
            // Nothing after the terminator counts.
            self.entries = [].chunks_exact(DYNAMIC_ENTRY_SIZE);
            return None;
        }
        Some(decoded)
    }
}

impl<'a> ElfFile<'a> {
    /// The entries of the first `PT_DYNAMIC` segment (as loaders take it),
    /// or `None` for a file without one (a static executable).
    pub fn dynamic_entries(&self) -> Result<Option<DynamicEntries<'a>>> {
        let Some(ph) = self.first_segment(SegmentType::Dynamic) else {
            return Ok(None);
        };
        DynamicEntries::new(self.segment_data(&ph)?).map(Some)
    }

    /// The value of the first dynamic entry with `tag`, if any.
    pub fn dynamic_value(&self, tag: u64) -> Result<Option<u64>> {
        Ok(self.dynamic_entries()?.and_then(|mut entries| entries.find(|e| e.tag == tag)).map(|e| e.value))
    }
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::*;
    use std::vec::Vec;

    fn table(entries: &[(u64, u64)]) -> Vec<u8> {
        entries.iter().flat_map(|(t, v)| t.to_le_bytes().into_iter().chain(v.to_le_bytes())).collect()
    }

    #[test]
    fn stops_at_dt_null() {
        let data =
            table(&[(DynamicEntry::DT_SONAME, 1), (DynamicEntry::DT_HASH, 0x120), (0, 0), (DynamicEntry::DT_RELA, 5)]);
        let got: Vec<_> = DynamicEntries::new(&data).unwrap().collect();
        assert_eq!(got, [DynamicEntry { tag: 14, value: 1 }, DynamicEntry { tag: 4, value: 0x120 }]);
    }

    #[test]
    fn without_terminator_ends_with_the_data() {
        let data = table(&[(DynamicEntry::DT_STRTAB, 7)]);
        assert_eq!(DynamicEntries::new(&data).unwrap().count(), 1);
        assert_eq!(DynamicEntries::new(&[]).unwrap().count(), 0);
    }

    #[test]
    fn size_must_be_whole_entries() {
        let data = table(&[(DynamicEntry::DT_STRTAB, 7)]);
        for len in 1..16 {
            assert_eq!(DynamicEntries::new(&data[..len]).err(), Some(Error::BadDynamicSize));
        }
    }

    #[test]
    fn relocation_tags() {
        for tag in [7u64, 8, 17, 18, 22, 23, 2, 36, 35, 0x6fff_fff9, 0x6fff_fffa] {
            assert!(DynamicEntry { tag, value: 0 }.is_relocation(), "{tag:#x}");
        }
        for tag in [1u64, 4, 5, 6, 10, 11, 14, 0x6fff_fef5, 0x6fff_fff0, 0x6fff_fffc] {
            assert!(!DynamicEntry { tag, value: 0 }.is_relocation(), "{tag:#x}");
        }
    }
}
