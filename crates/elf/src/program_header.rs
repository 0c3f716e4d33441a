//! Program headers (`Elf64_Phdr`): the segments a loader maps.

use core::slice::ChunksExact;

use crate::bytes::{u32_at, u64_at};

/// Size of `Elf64_Phdr`, the only `e_phentsize` accepted.
pub(crate) const PROGRAM_HEADER_SIZE: usize = 56;

/// `p_type`: what a segment is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SegmentType {
    Null,
    /// Mapped into memory.
    Load,
    /// The dynamic linking table.
    Dynamic,
    /// Path of the program interpreter (the dynamic linker).
    Interp,
    /// Vendor notes, e.g. the OS ABI tag.
    Note,
    Shlib,
    /// The program header table itself, as mapped (for `AT_PHDR`).
    Phdr,
    /// The thread-local storage template.
    Tls,
    /// `PT_GNU_EH_FRAME`: the unwind table index.
    GnuEhFrame,
    /// `PT_GNU_STACK`: its flags say whether the stack must be executable.
    GnuStack,
    /// `PT_GNU_RELRO`: made read-only after relocation.
    GnuRelro,
    /// `PT_GNU_PROPERTY`: the `.note.gnu.property` note (CET, BTI).
    GnuProperty,
    /// Any other value, kept raw.
    Unknown(u32),
}

impl SegmentType {
    pub const PT_NULL: u32 = 0;
    pub const PT_LOAD: u32 = 1;
    pub const PT_DYNAMIC: u32 = 2;
    pub const PT_INTERP: u32 = 3;
    pub const PT_NOTE: u32 = 4;
    pub const PT_SHLIB: u32 = 5;
    pub const PT_PHDR: u32 = 6;
    pub const PT_TLS: u32 = 7;
    pub const PT_GNU_EH_FRAME: u32 = 0x6474_e550;
    pub const PT_GNU_STACK: u32 = 0x6474_e551;
    pub const PT_GNU_RELRO: u32 = 0x6474_e552;
    pub const PT_GNU_PROPERTY: u32 = 0x6474_e553;

    pub fn from_raw(raw: u32) -> SegmentType {
        match raw {
            Self::PT_NULL => SegmentType::Null,
            Self::PT_LOAD => SegmentType::Load,
            Self::PT_DYNAMIC => SegmentType::Dynamic,
            Self::PT_INTERP => SegmentType::Interp,
            Self::PT_NOTE => SegmentType::Note,
            Self::PT_SHLIB => SegmentType::Shlib,
            Self::PT_PHDR => SegmentType::Phdr,
            Self::PT_TLS => SegmentType::Tls,
            Self::PT_GNU_EH_FRAME => SegmentType::GnuEhFrame,
            Self::PT_GNU_STACK => SegmentType::GnuStack,
            Self::PT_GNU_RELRO => SegmentType::GnuRelro,
            Self::PT_GNU_PROPERTY => SegmentType::GnuProperty,
            other => SegmentType::Unknown(other),
        }
    }

    pub fn raw(self) -> u32 {
        match self {
            SegmentType::Null => Self::PT_NULL,
            SegmentType::Load => Self::PT_LOAD,
            SegmentType::Dynamic => Self::PT_DYNAMIC,
            SegmentType::Interp => Self::PT_INTERP,
            SegmentType::Note => Self::PT_NOTE,
            SegmentType::Shlib => Self::PT_SHLIB,
            SegmentType::Phdr => Self::PT_PHDR,
            SegmentType::Tls => Self::PT_TLS,
            SegmentType::GnuEhFrame => Self::PT_GNU_EH_FRAME,
            SegmentType::GnuStack => Self::PT_GNU_STACK,
            SegmentType::GnuRelro => Self::PT_GNU_RELRO,
            SegmentType::GnuProperty => Self::PT_GNU_PROPERTY,
            SegmentType::Unknown(other) => other,
        }
    }
}

/// `p_flags`: the access a segment asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SegmentFlags(pub u32);

impl SegmentFlags {
    pub const EXECUTE: u32 = 1;
    pub const WRITE: u32 = 2;
    pub const READ: u32 = 4;

    pub fn readable(self) -> bool {
        self.0 & Self::READ != 0
    }

    pub fn writable(self) -> bool {
        self.0 & Self::WRITE != 0
    }

    pub fn executable(self) -> bool {
        self.0 & Self::EXECUTE != 0
    }
}

/// One decoded `Elf64_Phdr`. The values are the file's claims; use
/// [`crate::ElfFile::load_plan`] before trusting any of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProgramHeader {
    pub kind: SegmentType,
    pub flags: SegmentFlags,
    pub offset: u64,
    pub vaddr: u64,
    pub paddr: u64,
    pub filesz: u64,
    pub memsz: u64,
    pub align: u64,
}

impl ProgramHeader {
    /// Decodes one table entry; `None` only if `entry` is shorter than 56
    /// bytes, which the table iterator never lets happen.
    pub(crate) fn parse(entry: &[u8]) -> Option<ProgramHeader> {
        Some(ProgramHeader {
            kind: SegmentType::from_raw(u32_at(entry, 0)?),
            flags: SegmentFlags(u32_at(entry, 4)?),
            offset: u64_at(entry, 8)?,
            vaddr: u64_at(entry, 16)?,
            paddr: u64_at(entry, 24)?,
            filesz: u64_at(entry, 32)?,
            memsz: u64_at(entry, 40)?,
            align: u64_at(entry, 48)?,
        })
    }

    /// One past the last file byte, or `None` on overflow.
    pub fn file_end(&self) -> Option<u64> {
        self.offset.checked_add(self.filesz)
    }

    /// One past the last virtual address, or `None` on overflow.
    pub fn vaddr_end(&self) -> Option<u64> {
        self.vaddr.checked_add(self.memsz)
    }
}

/// Iterator over the entries of a program header table that
/// [`crate::ElfFile::parse`] has already found to lie inside the file.
#[derive(Clone, Debug)]
pub struct ProgramHeaders<'a> {
    entries: ChunksExact<'a, u8>,
}

impl<'a> ProgramHeaders<'a> {
    pub(crate) fn new(table: &'a [u8]) -> ProgramHeaders<'a> {
        ProgramHeaders { entries: table.chunks_exact(PROGRAM_HEADER_SIZE) }
    }
}

impl Iterator for ProgramHeaders<'_> {
    type Item = ProgramHeader;

    fn next(&mut self) -> Option<ProgramHeader> {
        self.entries.next().and_then(ProgramHeader::parse)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.entries.size_hint()
    }
}

impl ExactSizeIterator for ProgramHeaders<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_types_round_trip() {
        for raw in [0, 1, 2, 3, 4, 5, 6, 7, 0x6474_e550, 0x6474_e551, 0x6474_e552, 0x6474_e553, 8, 0x7000_0001] {
            assert_eq!(SegmentType::from_raw(raw).raw(), raw);
        }
        assert_eq!(SegmentType::from_raw(0x6474_e551), SegmentType::GnuStack);
        assert_eq!(SegmentType::from_raw(99), SegmentType::Unknown(99));
    }

    #[test]
    fn flags() {
        let rx = SegmentFlags(SegmentFlags::READ | SegmentFlags::EXECUTE);
        assert!(rx.readable() && rx.executable() && !rx.writable());
    }

    #[test]
    fn short_entry_is_none() {
        assert_eq!(ProgramHeader::parse(&[0u8; 55]), None);
        assert!(ProgramHeader::parse(&[0u8; 56]).is_some());
    }
}
