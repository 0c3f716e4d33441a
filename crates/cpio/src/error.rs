//! Why an archive was rejected. Every variant carries `offset`, the byte
//! position in the archive of the header of the member at fault (for
//! [`Error::BadHexDigit`], [`Error::NonZeroPadding`] and
//! [`Error::Misaligned`], the exact offending byte instead).

use core::fmt;

use crate::header::Field;
use crate::mode::FileType;

/// A compressed stream found where a cpio header should start. Linux can
/// unpack these; this crate reads only uncompressed archives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Compression {
    Gzip,
    Bzip2,
    Lzma,
    Xz,
    Lzo,
    Lz4,
    Zstd,
}

impl Compression {
    /// Recognises the magic numbers Linux's `decompress_method` knows.
    pub(crate) fn detect(bytes: &[u8]) -> Option<Compression> {
        const TABLE: [(&[u8], Compression); 8] = [
            (&[0x1f, 0x8b], Compression::Gzip),
            (&[0x1f, 0x9e], Compression::Gzip), // old gzip magic
            (b"BZh", Compression::Bzip2),
            (&[0x5d, 0x00, 0x00], Compression::Lzma),
            (&[0xfd, b'7', b'z', b'X', b'Z', 0x00], Compression::Xz),
            (&[0x89, b'L', b'Z', b'O', 0x00], Compression::Lzo),
            (&[0x02, 0x21], Compression::Lz4), // legacy lz4 frame, as Linux uses
            (&[0x28, 0xb5, 0x2f, 0xfd], Compression::Zstd),
        ];
        TABLE.iter().find(|(magic, _)| bytes.starts_with(magic)).map(|&(_, c)| c)
    }

    pub const fn name(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Bzip2 => "bzip2",
            Compression::Lzma => "lzma",
            Compression::Xz => "xz",
            Compression::Lzo => "lzo",
            Compression::Lz4 => "lz4",
            Compression::Zstd => "zstd",
        }
    }
}

/// A malformed archive. After returning one, [`crate::Entries`] yields nothing
/// more.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Error {
    /// The bytes at a member start are neither `070701` nor `070702`, nor
    /// anything more specific below.
    BadMagic { offset: usize },
    /// An old-style cpio archive: portable ASCII (`070707`, `cpio -H odc`) or
    /// binary. Linux rejects these too ("use -H newc").
    OldCpioFormat { offset: usize },
    /// A compressed stream; decompress it before parsing.
    Compressed { offset: usize, method: Compression },
    /// Non-zero bytes start a member at an offset that is not a multiple of 4
    /// (Linux: "broken padding"). `offset` is that first byte.
    Misaligned { offset: usize },
    /// The input ends inside a 110-byte header.
    TruncatedHeader { offset: usize },
    /// A header field holds a byte that is not an ASCII hex digit; `offset`
    /// is that byte.
    BadHexDigit { offset: usize, field: Field },
    /// `c_namesize` is 0 or 1: the name is empty.
    EmptyName { offset: usize },
    /// `c_namesize` exceeds [`crate::MAX_NAME_SIZE`].
    NameTooLong { offset: usize, size: u32 },
    /// The input ends inside the name.
    TruncatedName { offset: usize },
    /// The last byte counted by `c_namesize` is not NUL.
    NameWithoutNul { offset: usize },
    /// The name holds a NUL before its terminating one.
    NameContainsNul { offset: usize },
    /// The type bits of `c_mode` name no known file type.
    UnknownFileType { offset: usize, mode: u32 },
    /// An entry other than a regular file or symlink has `c_filesize != 0`.
    UnexpectedData { offset: usize, file_type: FileType },
    /// A symlink has no target (`c_filesize == 0`).
    EmptySymlink { offset: usize },
    /// A symlink target is longer than [`crate::MAX_SYMLINK_LEN`].
    SymlinkTooLong { offset: usize, size: u32 },
    /// A symlink target contains a NUL byte.
    SymlinkContainsNul { offset: usize },
    /// The `TRAILER!!!` entry has `c_filesize != 0`.
    TrailerWithData { offset: usize },
    /// The input ends inside the alignment padding after the name or data.
    TruncatedPadding { offset: usize },
    /// Alignment padding holds a non-zero byte; `offset` is that byte.
    NonZeroPadding { offset: usize },
    /// The input ends inside the data (`c_filesize` bytes).
    TruncatedData { offset: usize },
    /// A `070701` entry whose `c_chksum` is not zero.
    ChecksumNotZero { offset: usize },
    /// A `070702` entry whose `c_chksum` is not the sum of its data bytes.
    ChecksumMismatch { offset: usize, stored: u32, computed: u32 },
    /// The input ended without a final `TRAILER!!!` entry; reported only by
    /// [`crate::Entries::require_trailer`]. `offset` is the end of the input.
    MissingTrailer { offset: usize },
}

impl Error {
    /// Byte offset in the archive that the error is about.
    pub const fn offset(&self) -> usize {
        match *self {
            Error::BadMagic { offset }
            | Error::OldCpioFormat { offset }
            | Error::Compressed { offset, .. }
            | Error::Misaligned { offset }
            | Error::TruncatedHeader { offset }
            | Error::BadHexDigit { offset, .. }
            | Error::EmptyName { offset }
            | Error::NameTooLong { offset, .. }
            | Error::TruncatedName { offset }
            | Error::NameWithoutNul { offset }
            | Error::NameContainsNul { offset }
            | Error::UnknownFileType { offset, .. }
            | Error::UnexpectedData { offset, .. }
            | Error::EmptySymlink { offset }
            | Error::SymlinkTooLong { offset, .. }
            | Error::SymlinkContainsNul { offset }
            | Error::TrailerWithData { offset }
            | Error::TruncatedPadding { offset }
            | Error::NonZeroPadding { offset }
            | Error::TruncatedData { offset }
            | Error::ChecksumNotZero { offset }
            | Error::ChecksumMismatch { offset, .. }
            | Error::MissingTrailer { offset } => offset,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.offset();
        match *self {
            Error::BadMagic { .. } => write!(f, "no cpio newc magic at offset {at}"),
            Error::OldCpioFormat { .. } => {
                write!(f, "old cpio format at offset {at}; use -H newc")
            }
            Error::Compressed { method, .. } => {
                write!(f, "{} compressed data at offset {at}", method.name())
            }
            Error::Misaligned { .. } => {
                write!(f, "archive member at offset {at} is not 4-byte aligned")
            }
            Error::TruncatedHeader { .. } => write!(f, "truncated header at offset {at}"),
            Error::BadHexDigit { field, .. } => {
                write!(f, "bad hex digit in {} at offset {at}", field.name())
            }
            Error::EmptyName { .. } => write!(f, "empty name in entry at offset {at}"),
            Error::NameTooLong { size, .. } => {
                write!(f, "name of {size} bytes too long in entry at offset {at}")
            }
            Error::TruncatedName { .. } => write!(f, "truncated name in entry at offset {at}"),
            Error::NameWithoutNul { .. } => {
                write!(f, "name not NUL-terminated in entry at offset {at}")
            }
            Error::NameContainsNul { .. } => write!(f, "name contains NUL in entry at offset {at}"),
            Error::UnknownFileType { mode, .. } => {
                write!(f, "unknown file type in mode {mode:#o} in entry at offset {at}")
            }
            Error::UnexpectedData { file_type, .. } => {
                write!(f, "{file_type:?} entry at offset {at} carries data")
            }
            Error::EmptySymlink { .. } => write!(f, "symlink without target at offset {at}"),
            Error::SymlinkTooLong { size, .. } => {
                write!(f, "symlink target of {size} bytes too long at offset {at}")
            }
            Error::SymlinkContainsNul { .. } => {
                write!(f, "symlink target contains NUL at offset {at}")
            }
            Error::TrailerWithData { .. } => write!(f, "trailer at offset {at} carries data"),
            Error::TruncatedPadding { .. } => {
                write!(f, "truncated padding in entry at offset {at}")
            }
            Error::NonZeroPadding { .. } => write!(f, "non-zero padding byte at offset {at}"),
            Error::TruncatedData { .. } => write!(f, "truncated data in entry at offset {at}"),
            Error::ChecksumNotZero { .. } => {
                write!(f, "newc entry at offset {at} has a non-zero checksum")
            }
            Error::ChecksumMismatch { stored, computed, .. } => write!(
                f,
                "checksum mismatch in entry at offset {at}: \
                 stored {stored:#010x}, computed {computed:#010x}"
            ),
            Error::MissingTrailer { .. } => {
                write!(f, "archive ends at offset {at} without TRAILER!!!")
            }
        }
    }
}
