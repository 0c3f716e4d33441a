//! Universal ("fat") Mach-O files: a big-endian table of architectures,
//! each naming a slice of the file that is itself a thin Mach-O file.
//!
//! `0xcafebabe` is also the magic number of Java class files. A class file
//! follows it with its minor and major version, which read as an
//! architecture count are at least 45 (major 45 is Java 1.0), while real
//! universal files hold a handful of slices; so a count above
//! [`MAX_FAT_ARCHES`] means "Java class", reported as `Unknown`.

use core::slice::ChunksExact;

use crate::bytes::{u32_in, u64_in, Endian};
use crate::identity::{Identity, Malformed};
use crate::macho::CpuType;

pub(crate) const FAT_MAGIC: &[u8] = &[0xca, 0xfe, 0xba, 0xbe];
/// The variant with 64-bit offsets and sizes, for slices beyond 4 GiB.
pub(crate) const FAT_MAGIC_64: &[u8] = &[0xca, 0xfe, 0xba, 0xbf];

/// The most architectures a universal file may list: one less than the
/// smallest count a Java class file would show.
pub const MAX_FAT_ARCHES: u32 = 44;

const FAT_HEADER_SIZE: usize = 8;
const FAT_ARCH_SIZE: usize = 20;
const FAT_ARCH_64_SIZE: usize = 32;

/// One entry of the architecture table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FatArch {
    pub cputype: CpuType,
    pub cpusubtype: u32,
    /// File offset of the slice.
    pub offset: u64,
    pub size: u64,
    /// Alignment of the slice as a power of two.
    pub align: u32,
}

impl FatArch {
    fn parse(entry: &[u8], is_64: bool) -> Option<FatArch> {
        let word = |at| u32_in(Endian::Big, entry, at);
        let (offset, size, align) = if is_64 {
            (u64_in(Endian::Big, entry, 8)?, u64_in(Endian::Big, entry, 16)?, word(24)?)
        } else {
            (u64::from(word(8)?), u64::from(word(12)?), word(16)?)
        };
        Some(FatArch { cputype: CpuType::from_raw(word(0)?), cpusubtype: word(4)?, offset, size, align })
    }

    fn end(&self) -> Option<u64> {
        self.offset.checked_add(self.size)
    }
}

/// A universal file whose table has been checked: at most
/// [`MAX_FAT_ARCHES`] entries, every slice inside the file, after the table,
/// and not overlapping another slice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FatBinary<'a> {
    bytes: &'a [u8],
    table: &'a [u8],
    is_64: bool,
}

impl<'a> FatBinary<'a> {
    pub fn arches(&self) -> FatArches<'a> {
        let entry_size = if self.is_64 { FAT_ARCH_64_SIZE } else { FAT_ARCH_SIZE };
        FatArches { entries: self.table.chunks_exact(entry_size), is_64: self.is_64 }
    }

    /// How many architectures the file holds (at least one).
    pub fn len(&self) -> usize {
        self.arches().len()
    }

    /// Never true: a universal file without slices is malformed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The first slice for `cputype`, which exec identifies again.
    pub fn find(&self, cputype: CpuType) -> Option<FatArch> {
        self.arches().find(|arch| arch.cputype == cputype)
    }

    /// The bytes of one slice.
    pub fn slice(&self, arch: &FatArch) -> Option<&'a [u8]> {
        let start = usize::try_from(arch.offset).ok()?;
        let end = usize::try_from(arch.end()?).ok()?;
        self.bytes.get(start..end)
    }
}

/// Iterator over a checked architecture table.
#[derive(Clone, Debug)]
pub struct FatArches<'a> {
    entries: ChunksExact<'a, u8>,
    is_64: bool,
}

impl Iterator for FatArches<'_> {
    type Item = FatArch;

    fn next(&mut self) -> Option<FatArch> {
        let entry = self.entries.next()?;
        FatArch::parse(entry, self.is_64)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.entries.size_hint()
    }
}

impl ExactSizeIterator for FatArches<'_> {}

/// Why a universal file's table is not usable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FatError {
    /// The header or architecture table runs past the end of the file.
    Truncated,
    /// The table lists no architectures.
    NoArches,
    /// A 64-bit table listing more than [`MAX_FAT_ARCHES`] architectures.
    TooManyArches,
    /// A slice lies (partly) outside the file.
    ArchOutOfFile,
    /// A slice overlaps the table or another slice.
    ArchOverlap,
}

pub(crate) fn identify(bytes: &[u8]) -> Identity<'_> {
    match parse(bytes) {
        Ok(Some(binary)) => Identity::FatMachO(binary),
        Ok(None) => Identity::Unknown,
        Err(error) => Identity::Malformed(Malformed::FatMachO(error)),
    }
}

/// `Ok(None)` for a Java class file.
fn parse(bytes: &[u8]) -> Result<Option<FatBinary<'_>>, FatError> {
    let is_64 = bytes.get(..4) == Some(FAT_MAGIC_64);
    let count = u32_in(Endian::Big, bytes, 4).ok_or(FatError::Truncated)?;
    if count > MAX_FAT_ARCHES {
        return if is_64 { Err(FatError::TooManyArches) } else { Ok(None) };
    }
    if count == 0 {
        return Err(FatError::NoArches);
    }
    let entry_size = if is_64 { FAT_ARCH_64_SIZE } else { FAT_ARCH_SIZE };
    // Both factors are small (count <= 44), so neither step can overflow.
    let table_size = usize::try_from(count).map_err(|_| FatError::Truncated)?.saturating_mul(entry_size);
    let table_end = FAT_HEADER_SIZE.saturating_add(table_size);
    let table = bytes.get(FAT_HEADER_SIZE..table_end).ok_or(FatError::Truncated)?;
    let binary = FatBinary { bytes, table, is_64 };

    let file_len = u64::try_from(bytes.len()).map_err(|_| FatError::ArchOutOfFile)?;
    let table_end = u64::try_from(table_end).map_err(|_| FatError::Truncated)?;
    for (index, arch) in binary.arches().enumerate() {
        let end = arch.end().ok_or(FatError::ArchOutOfFile)?;
        if end > file_len {
            return Err(FatError::ArchOutOfFile);
        }
        if arch.offset < table_end {
            return Err(FatError::ArchOverlap);
        }
        // Quadratic, but over at most 44 entries.
        let overlaps = binary.arches().take(index).any(|other| {
            let other_end = other.end().unwrap_or(u64::MAX);
            arch.size != 0 && other.size != 0 && arch.offset < other_end && other.offset < end
        });
        if overlaps {
            return Err(FatError::ArchOverlap);
        }
    }
    Ok(Some(binary))
}
