//! Why an ELF file (or a part of it) was refused.

use core::fmt;

/// Everything that can be wrong with an ELF file, one variant per cause so a
/// caller (or a test) can tell exactly which check failed. The kernel maps all
/// of them to `ENOEXEC`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// The input ends before a structure it must contain (e.g. the file header).
    Truncated,
    /// The first four bytes are not `\x7fELF`.
    BadMagic,
    /// A 32-bit ELF file (`ELFCLASS32`); only ELF64 is read.
    NotElf64,
    /// `EI_CLASS` is neither 32-bit nor 64-bit.
    BadClass,
    /// A big-endian file (`ELFDATA2MSB`); only little-endian is read.
    BigEndian,
    /// `EI_DATA` is neither little- nor big-endian.
    BadDataEncoding,
    /// `EI_VERSION` or `e_version` is not 1 (the only ELF version there is).
    BadVersion,
    /// The file is not an executable or a shared object, so it cannot be
    /// loaded; carries the raw `e_type`.
    UnsupportedType(u16),
    /// Program headers exist but `e_phentsize` is not 56.
    BadPhdrSize,
    /// Section headers exist but `e_shentsize` is not 64.
    BadShdrSize,
    /// The program header table does not lie inside the file.
    ProgramHeadersOutOfFile,
    /// The section header table does not lie inside the file (or is absent
    /// when section headers were asked for).
    SectionHeadersOutOfFile,
    /// A count was escaped to section header 0 (`PN_XNUM`, `e_shnum == 0`,
    /// `SHN_XINDEX`) but that header cannot be read.
    MissingExtendedCount,
    /// A segment's file bytes (`p_offset .. p_offset + p_filesz`) are not all
    /// inside the file.
    SegmentOutOfFile,
    /// A section's bytes are not all inside the file.
    SectionOutOfFile,
    /// A segment has more bytes in the file than in memory.
    FileszExceedsMemsz,
    /// An alignment is neither 0, 1 nor a power of two.
    BadAlignment,
    /// A loadable segment's `p_vaddr` and `p_offset` differ modulo `p_align`,
    /// so it cannot be mapped page by page.
    Misaligned,
    /// Two loadable segments claim the same virtual addresses.
    Overlap,
    /// Loadable segments are not in ascending `p_vaddr` order, as the ELF
    /// specification requires.
    Unsorted,
    /// An address or offset computation overflows 64 bits.
    Overflow,
    /// A loadable segment, moved by the image's bias, does not lie in the
    /// addresses a process may use (see [`crate::ElfFile::check_placement`]).
    SegmentOutsideAddressRange,
    /// A loadable segment's `p_offset` is smaller than its address's offset
    /// in its page, so its first page would start before the file does.
    SegmentBeforeItsPage,
    /// An executable or shared object with no `PT_LOAD` segment.
    NoLoadSegments,
    /// The `PT_INTERP` segment does not end in a NUL byte.
    InterpreterNotTerminated,
    /// The `PT_INTERP` path is empty (its first byte is NUL). Linux opens
    /// the empty path, which names the working directory: `EACCES`.
    InterpreterEmpty,
    /// The `PT_INTERP` segment has fewer than
    /// [`crate::MIN_INTERPRETER_LEN`] bytes.
    InterpreterTooShort,
    /// The `PT_INTERP` segment is longer than [`crate::MAX_INTERPRETER_LEN`].
    InterpreterTooLong,
    /// A note segment or section has an alignment other than 4 or 8.
    BadNoteAlignment,
    /// A note's header, name or descriptor runs past the end of its segment.
    BadNote,
    /// A section index (`e_shstrndx`, `sh_link`) names no section.
    SectionIndexOutOfRange,
    /// A section used as a string table is not `SHT_STRTAB`.
    NotAStringTable,
    /// A section used as a symbol table is not `SHT_SYMTAB` or `SHT_DYNSYM`.
    NotASymbolTable,
    /// A symbol table's `sh_entsize` is not 24 or its size is not a multiple
    /// of 24.
    BadSymbolSize,
    /// The file has no `SHT_SYMTAB` section (it was stripped).
    NoSymbolTable,
    /// A string table offset points outside the table.
    StringOutOfBounds,
    /// A string runs to the end of its table without a NUL terminator.
    UnterminatedString,
    /// The dynamic section's size is not a whole number of 16-byte entries.
    BadDynamicSize,
    /// A section used as a version table is not `SHT_GNU_verdef` /
    /// `SHT_GNU_versym`.
    NotAVersionTable,
    /// A version definition (or the name record it points at) runs past its
    /// section, or has a `vd_version` other than 1.
    BadVersionDefinition,
    /// A symbol version table's size is not a whole number of entries.
    BadVersionTable,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Error::Truncated => "file is truncated",
            Error::BadMagic => "not an ELF file",
            Error::NotElf64 => "32-bit ELF is not supported",
            Error::BadClass => "invalid ELF class",
            Error::BigEndian => "big-endian ELF is not supported",
            Error::BadDataEncoding => "invalid ELF data encoding",
            Error::BadVersion => "invalid ELF version",
            Error::UnsupportedType(_) => "ELF type is neither executable nor shared object",
            Error::BadPhdrSize => "program header entry size is not 56",
            Error::BadShdrSize => "section header entry size is not 64",
            Error::ProgramHeadersOutOfFile => "program header table lies outside the file",
            Error::SectionHeadersOutOfFile => "section header table lies outside the file",
            Error::MissingExtendedCount => "extended header count cannot be read",
            Error::SegmentOutOfFile => "segment lies outside the file",
            Error::SectionOutOfFile => "section lies outside the file",
            Error::FileszExceedsMemsz => "segment file size exceeds its memory size",
            Error::BadAlignment => "alignment is not a power of two",
            Error::Misaligned => "segment address and offset disagree modulo alignment",
            Error::Overlap => "loadable segments overlap",
            Error::Unsorted => "loadable segments are not sorted by address",
            Error::Overflow => "address arithmetic overflows",
            Error::SegmentOutsideAddressRange => "segment lies outside the addresses a process may use",
            Error::SegmentBeforeItsPage => "segment's first page would start before the file",
            Error::NoLoadSegments => "no loadable segments",
            Error::InterpreterNotTerminated => "interpreter path is not NUL-terminated",
            Error::InterpreterEmpty => "interpreter path is empty",
            Error::InterpreterTooLong => "interpreter path is too long",
            Error::InterpreterTooShort => "interpreter segment is shorter than 2 bytes",
            Error::BadNoteAlignment => "note alignment is neither 4 nor 8",
            Error::BadNote => "note runs past the end of its segment",
            Error::SectionIndexOutOfRange => "section index out of range",
            Error::NotAStringTable => "section is not a string table",
            Error::NotASymbolTable => "section is not a symbol table",
            Error::BadSymbolSize => "symbol table entry size is not 24",
            Error::NoSymbolTable => "no symbol table",
            Error::StringOutOfBounds => "string offset outside its table",
            Error::UnterminatedString => "string is not NUL-terminated",
            Error::BadDynamicSize => "dynamic section size is not a multiple of 16",
            Error::NotAVersionTable => "section is not a symbol version table",
            Error::BadVersionDefinition => "version definition runs past its section",
            Error::BadVersionTable => "symbol version table size is odd",
        };
        f.write_str(text)
    }
}

impl core::error::Error for Error {}
