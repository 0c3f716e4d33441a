//! [`ElfFile`]: a checked view of a whole ELF64 file.

use crate::bytes::range;
use crate::header::FileHeader;
use crate::program_header::{ProgramHeader, ProgramHeaders, SegmentType, PROGRAM_HEADER_SIZE};
use crate::section_header::section_zero;
use crate::{Error, Result};

/// `e_phnum` value meaning "the real count is in section header 0's `sh_info`".
const PN_XNUM: u16 = 0xffff;

/// A parsed ELF64 little-endian file borrowing its bytes.
///
/// Construction checks the file header and that the program header table is
/// inside the file; everything else is checked by the accessor that reads it.
#[derive(Clone, Copy, Debug)]
pub struct ElfFile<'a> {
    bytes: &'a [u8],
    header: FileHeader,
    program_header_table: &'a [u8],
}

impl<'a> ElfFile<'a> {
    /// Checks the file header and locates the program header table.
    ///
    /// Section headers are deliberately not checked here: a loader (Linux's
    /// included) ignores them, and stripped or packed binaries carry broken
    /// ones. They are checked by [`ElfFile::section_headers`].
    pub fn parse(bytes: &'a [u8]) -> Result<ElfFile<'a>> {
        let header = FileHeader::parse(bytes)?;
        let count = if header.phnum == PN_XNUM {
            u64::from(section_zero(bytes, &header)?.info)
        } else {
            u64::from(header.phnum)
        };
        let program_header_table: &[u8] = if count == 0 {
            &[]
        } else {
            if usize::from(header.phentsize) != PROGRAM_HEADER_SIZE {
                return Err(Error::BadPhdrSize);
            }
            let size = count.checked_mul(PROGRAM_HEADER_SIZE as u64).ok_or(Error::Overflow)?;
            range(bytes, header.phoff, size).ok_or(Error::ProgramHeadersOutOfFile)?
        };
        Ok(ElfFile { bytes, header, program_header_table })
    }

    /// The whole file.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    pub fn header(&self) -> &FileHeader {
        &self.header
    }

    /// The number of program headers, with `PN_XNUM` resolved.
    pub fn program_header_count(&self) -> usize {
        self.program_header_table.len() / PROGRAM_HEADER_SIZE
    }

    pub fn program_headers(&self) -> ProgramHeaders<'a> {
        ProgramHeaders::new(self.program_header_table)
    }

    /// The `PT_LOAD` program headers, in table order.
    pub fn load_segments(&self) -> impl Iterator<Item = ProgramHeader> + 'a {
        self.program_headers().filter(|ph| ph.kind == SegmentType::Load)
    }

    /// The first program header of the given type, as loaders take it.
    pub fn first_segment(&self, kind: SegmentType) -> Option<ProgramHeader> {
        self.program_headers().find(|ph| ph.kind == kind)
    }

    /// A segment's bytes in the file (`p_filesz` of them from `p_offset`).
    pub fn segment_data(&self, ph: &ProgramHeader) -> Result<&'a [u8]> {
        ph.file_end().ok_or(Error::Overflow)?;
        range(self.bytes, ph.offset, ph.filesz).ok_or(Error::SegmentOutOfFile)
    }
}
