//! Section headers (`Elf64_Shdr`): the linker's view of the file, needed only
//! for symbols and names, never for loading.

use core::iter::Enumerate;
use core::slice::ChunksExact;

use crate::bytes::{range, u32_at, u64_at};
use crate::header::FileHeader;
use crate::string_table::StringTable;
use crate::{ElfFile, Error, Result};

/// Size of `Elf64_Shdr`, the only `e_shentsize` accepted.
pub(crate) const SECTION_HEADER_SIZE: usize = 64;

/// `e_shstrndx` value meaning "the real index is in section 0's `sh_link`".
const SHN_XINDEX: u16 = 0xffff;

/// `sh_type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SectionType {
    Null,
    ProgBits,
    SymTab,
    StrTab,
    Rela,
    Hash,
    Dynamic,
    Note,
    /// Occupies memory but no file bytes (`.bss`).
    NoBits,
    Rel,
    DynSym,
    InitArray,
    FiniArray,
    /// `SHT_GNU_HASH`: the GNU symbol hash table.
    GnuHash,
    /// `SHT_GNU_verdef` (`.gnu.version_d`): the versions a file defines.
    GnuVerdef,
    /// `SHT_GNU_verneed` (`.gnu.version_r`): the versions a file needs.
    GnuVerneed,
    /// `SHT_GNU_versym` (`.gnu.version`): each dynamic symbol's version.
    GnuVersym,
    Other(u32),
}

impl SectionType {
    pub fn from_raw(raw: u32) -> SectionType {
        match raw {
            0 => SectionType::Null,
            1 => SectionType::ProgBits,
            2 => SectionType::SymTab,
            3 => SectionType::StrTab,
            4 => SectionType::Rela,
            5 => SectionType::Hash,
            6 => SectionType::Dynamic,
            7 => SectionType::Note,
            8 => SectionType::NoBits,
            9 => SectionType::Rel,
            11 => SectionType::DynSym,
            14 => SectionType::InitArray,
            15 => SectionType::FiniArray,
            0x6fff_fff6 => SectionType::GnuHash,
            0x6fff_fffd => SectionType::GnuVerdef,
            0x6fff_fffe => SectionType::GnuVerneed,
            0x6fff_ffff => SectionType::GnuVersym,
            other => SectionType::Other(other),
        }
    }

    pub fn raw(self) -> u32 {
        match self {
            SectionType::Null => 0,
            SectionType::ProgBits => 1,
            SectionType::SymTab => 2,
            SectionType::StrTab => 3,
            SectionType::Rela => 4,
            SectionType::Hash => 5,
            SectionType::Dynamic => 6,
            SectionType::Note => 7,
            SectionType::NoBits => 8,
            SectionType::Rel => 9,
            SectionType::DynSym => 11,
            SectionType::InitArray => 14,
            SectionType::FiniArray => 15,
            SectionType::GnuHash => 0x6fff_fff6,
            SectionType::GnuVerdef => 0x6fff_fffd,
            SectionType::GnuVerneed => 0x6fff_fffe,
            SectionType::GnuVersym => 0x6fff_ffff,
            SectionType::Other(other) => other,
        }
    }
}

/// One decoded `Elf64_Shdr` and its position in the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SectionHeader {
    pub index: usize,
    /// `sh_name`: offset of the name in the section name string table.
    pub name_offset: u32,
    pub kind: SectionType,
    pub flags: u64,
    pub addr: u64,
    pub offset: u64,
    pub size: u64,
    pub link: u32,
    pub info: u32,
    pub addralign: u64,
    pub entsize: u64,
}

impl SectionHeader {
    fn parse(index: usize, entry: &[u8]) -> Option<SectionHeader> {
        Some(SectionHeader {
            index,
            name_offset: u32_at(entry, 0)?,
            kind: SectionType::from_raw(u32_at(entry, 4)?),
            flags: u64_at(entry, 8)?,
            addr: u64_at(entry, 16)?,
            offset: u64_at(entry, 24)?,
            size: u64_at(entry, 32)?,
            link: u32_at(entry, 40)?,
            info: u32_at(entry, 44)?,
            addralign: u64_at(entry, 48)?,
            entsize: u64_at(entry, 56)?,
        })
    }
}

/// Section header 0, which holds the escaped counts (`PN_XNUM`,
/// `e_shnum == 0`, `SHN_XINDEX`) of files with very many headers.
pub(crate) fn section_zero(bytes: &[u8], header: &FileHeader) -> Result<SectionHeader> {
    if header.shoff == 0 {
        return Err(Error::MissingExtendedCount);
    }
    if usize::from(header.shentsize) != SECTION_HEADER_SIZE {
        return Err(Error::BadShdrSize);
    }
    range(bytes, header.shoff, SECTION_HEADER_SIZE as u64)
        .and_then(|entry| SectionHeader::parse(0, entry))
        .ok_or(Error::MissingExtendedCount)
}

/// Iterator over a section header table already found to lie in the file.
#[derive(Clone, Debug)]
pub struct SectionHeaders<'a> {
    entries: Enumerate<ChunksExact<'a, u8>>,
}

impl Iterator for SectionHeaders<'_> {
    type Item = SectionHeader;

    fn next(&mut self) -> Option<SectionHeader> {
        let (index, entry) = self.entries.next()?;
        SectionHeader::parse(index, entry)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.entries.size_hint()
    }
}

impl ExactSizeIterator for SectionHeaders<'_> {}

impl<'a> ElfFile<'a> {
    /// The number of section headers, with the `e_shnum == 0` escape
    /// resolved; 0 if the file has no section header table.
    pub fn section_count(&self) -> Result<usize> {
        let header = self.header();
        if header.shoff == 0 {
            return Ok(0);
        }
        if header.shnum != 0 {
            return Ok(usize::from(header.shnum));
        }
        let size = section_zero(self.bytes(), header)?.size;
        usize::try_from(size).map_err(|_| Error::Overflow)
    }

    fn section_table(&self) -> Result<&'a [u8]> {
        let count = self.section_count()?;
        if count == 0 {
            return Ok(&[]);
        }
        let header = self.header();
        if usize::from(header.shentsize) != SECTION_HEADER_SIZE {
            return Err(Error::BadShdrSize);
        }
        let size = count.checked_mul(SECTION_HEADER_SIZE).ok_or(Error::Overflow)?;
        let size = u64::try_from(size).map_err(|_| Error::Overflow)?;
        range(self.bytes(), header.shoff, size).ok_or(Error::SectionHeadersOutOfFile)
    }

    /// Checks that the section header table lies in the file and iterates it.
    pub fn section_headers(&self) -> Result<SectionHeaders<'a>> {
        let table = self.section_table()?;
        Ok(SectionHeaders { entries: table.chunks_exact(SECTION_HEADER_SIZE).enumerate() })
    }

    pub fn section_header(&self, index: usize) -> Result<SectionHeader> {
        self.section_headers()?.nth(index).ok_or(Error::SectionIndexOutOfRange)
    }

    /// A section's file bytes; empty for `SHT_NOBITS`, which has none.
    pub fn section_data(&self, sh: &SectionHeader) -> Result<&'a [u8]> {
        if sh.kind == SectionType::NoBits {
            return Ok(&[]);
        }
        sh.offset.checked_add(sh.size).ok_or(Error::Overflow)?;
        range(self.bytes(), sh.offset, sh.size).ok_or(Error::SectionOutOfFile)
    }

    /// The section name string table (`e_shstrndx`, escape resolved).
    pub fn section_names(&self) -> Result<StringTable<'a>> {
        let raw = self.header().shstrndx;
        let index = if raw == SHN_XINDEX {
            usize::try_from(section_zero(self.bytes(), self.header())?.link).map_err(|_| Error::Overflow)?
        } else {
            usize::from(raw)
        };
        self.string_table(&self.section_header(index)?)
    }

    pub fn section_name(&self, sh: &SectionHeader) -> Result<&'a [u8]> {
        self.section_names()?.get(sh.name_offset)
    }

    /// The first section called `name`, if any.
    pub fn section_by_name(&self, name: &[u8]) -> Result<Option<SectionHeader>> {
        let names = self.section_names()?;
        for sh in self.section_headers()? {
            if names.get(sh.name_offset)? == name {
                return Ok(Some(sh));
            }
        }
        Ok(None)
    }
}
