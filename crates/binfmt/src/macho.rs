//! Single-architecture Mach-O files (Darwin): the `mach_header` and
//! `mach_header_64` structures.

use crate::bytes::{u32_in, Endian};
use crate::identity::{Identity, Malformed};

/// `MH_MAGIC` (32-bit) as stored by a little-endian machine.
pub(crate) const MH_MAGIC_LE: &[u8] = &[0xce, 0xfa, 0xed, 0xfe];
/// `MH_MAGIC_64` as stored by a little-endian machine (x86_64, arm64).
pub(crate) const MH_MAGIC_64_LE: &[u8] = &[0xcf, 0xfa, 0xed, 0xfe];
/// `MH_MAGIC` as stored by a big-endian machine (PowerPC).
pub(crate) const MH_MAGIC_BE: &[u8] = &[0xfe, 0xed, 0xfa, 0xce];
/// `MH_MAGIC_64` as stored by a big-endian machine (PowerPC 64).
pub(crate) const MH_MAGIC_64_BE: &[u8] = &[0xfe, 0xed, 0xfa, 0xcf];

const HEADER_SIZE_32: usize = 28;
const HEADER_SIZE_64: usize = 32;

/// `cpu_type_t`. The 64-bit types are the 32-bit ones with
/// `CPU_ARCH_ABI64` (0x0100_0000) set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CpuType {
    X86,
    /// `CPU_TYPE_X86_64` (0x0100_0007).
    X86_64,
    Arm,
    /// `CPU_TYPE_ARM64` (0x0100_000c).
    Arm64,
    /// `CPU_TYPE_ARM64_32` (0x0200_000c): arm64 with 32-bit pointers.
    Arm64_32,
    PowerPc,
    PowerPc64,
    Other(u32),
}

impl CpuType {
    pub const X86_RAW: u32 = 7;
    pub const X86_64_RAW: u32 = 0x0100_0007;
    pub const ARM_RAW: u32 = 12;
    pub const ARM64_RAW: u32 = 0x0100_000c;
    pub const ARM64_32_RAW: u32 = 0x0200_000c;
    pub const POWERPC_RAW: u32 = 18;
    pub const POWERPC64_RAW: u32 = 0x0100_0012;

    pub fn from_raw(raw: u32) -> CpuType {
        match raw {
            Self::X86_RAW => CpuType::X86,
            Self::X86_64_RAW => CpuType::X86_64,
            Self::ARM_RAW => CpuType::Arm,
            Self::ARM64_RAW => CpuType::Arm64,
            Self::ARM64_32_RAW => CpuType::Arm64_32,
            Self::POWERPC_RAW => CpuType::PowerPc,
            Self::POWERPC64_RAW => CpuType::PowerPc64,
            other => CpuType::Other(other),
        }
    }

    pub fn raw(self) -> u32 {
        match self {
            CpuType::X86 => Self::X86_RAW,
            CpuType::X86_64 => Self::X86_64_RAW,
            CpuType::Arm => Self::ARM_RAW,
            CpuType::Arm64 => Self::ARM64_RAW,
            CpuType::Arm64_32 => Self::ARM64_32_RAW,
            CpuType::PowerPc => Self::POWERPC_RAW,
            CpuType::PowerPc64 => Self::POWERPC64_RAW,
            CpuType::Other(other) => other,
        }
    }
}

/// `filetype`: what kind of Mach-O file this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MachOFileType {
    /// `MH_OBJECT`: a relocatable object.
    Object,
    /// `MH_EXECUTE`: a program.
    Execute,
    /// `MH_DYLIB`: a shared library.
    Dylib,
    /// `MH_DYLINKER`: dyld itself.
    Dylinker,
    /// `MH_BUNDLE`: a plug-in.
    Bundle,
    Core,
    /// `MH_DSYM`: debug symbols only.
    Dsym,
    KextBundle,
    Other(u32),
}

impl MachOFileType {
    pub fn from_raw(raw: u32) -> MachOFileType {
        match raw {
            1 => MachOFileType::Object,
            2 => MachOFileType::Execute,
            4 => MachOFileType::Core,
            6 => MachOFileType::Dylib,
            7 => MachOFileType::Dylinker,
            8 => MachOFileType::Bundle,
            10 => MachOFileType::Dsym,
            11 => MachOFileType::KextBundle,
            other => MachOFileType::Other(other),
        }
    }
}

/// A Mach-O header's identifying facts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MachOBinary {
    pub cputype: CpuType,
    pub cpusubtype: u32,
    pub filetype: MachOFileType,
    /// `mach_header_64` rather than `mach_header`.
    pub is_64_bit: bool,
    /// Stored big-endian (PowerPC); every current Darwin target is little.
    pub is_big_endian: bool,
    pub ncmds: u32,
    pub sizeofcmds: u32,
    pub flags: u32,
}

/// Why a file with a Mach-O magic number is not usable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MachOError {
    /// Shorter than the header.
    Truncated,
    /// The load commands (`sizeofcmds` bytes after the header) run past the
    /// end of the file.
    CommandsOutOfFile,
}

pub(crate) fn identify(bytes: &[u8]) -> Identity<'_> {
    let Some((is_64_bit, endian)) = bytes.get(..4).and_then(header_kind) else {
        return Identity::Unknown;
    };
    match parse(bytes, is_64_bit, endian) {
        Ok(binary) => Identity::MachO(binary),
        Err(error) => Identity::Malformed(Malformed::MachO(error)),
    }
}

/// Word size and byte order announced by a magic number.
fn header_kind(magic: &[u8]) -> Option<(bool, Endian)> {
    match magic {
        MH_MAGIC_LE => Some((false, Endian::Little)),
        MH_MAGIC_64_LE => Some((true, Endian::Little)),
        MH_MAGIC_BE => Some((false, Endian::Big)),
        MH_MAGIC_64_BE => Some((true, Endian::Big)),
        _ => None,
    }
}

fn parse(bytes: &[u8], is_64_bit: bool, endian: Endian) -> Result<MachOBinary, MachOError> {
    let header_size = if is_64_bit { HEADER_SIZE_64 } else { HEADER_SIZE_32 };
    let header = bytes.get(..header_size).ok_or(MachOError::Truncated)?;
    let word = |at| u32_in(endian, header, at).ok_or(MachOError::Truncated);
    let sizeofcmds = word(20)?;
    let commands_end = usize::try_from(sizeofcmds)
        .ok()
        .and_then(|size| header_size.checked_add(size))
        .ok_or(MachOError::CommandsOutOfFile)?;
    if commands_end > bytes.len() {
        return Err(MachOError::CommandsOutOfFile);
    }
    Ok(MachOBinary {
        cputype: CpuType::from_raw(word(4)?),
        cpusubtype: word(8)?,
        filetype: MachOFileType::from_raw(word(12)?),
        is_64_bit,
        is_big_endian: endian == Endian::Big,
        ncmds: word(16)?,
        sizeofcmds,
        flags: word(24)?,
    })
}
