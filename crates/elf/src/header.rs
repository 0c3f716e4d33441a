//! The ELF file header (`Elf64_Ehdr`): identification and table locations.

use crate::bytes::{u16_at, u32_at, u64_at, u8_at};
use crate::{Error, Result};

/// Size of `Elf64_Ehdr`: what a loader reads of a file before anything else.
pub const FILE_HEADER_SIZE: usize = 64;
/// Size of `e_ident`, the part whose layout is the same for every ELF class.
const IDENT_SIZE: usize = 16;

const MAGIC: [u8; 4] = *b"\x7fELF";
const EI_CLASS: usize = 4;
const EI_DATA: usize = 5;
const EI_VERSION: usize = 6;
const EI_OSABI: usize = 7;
const EI_ABIVERSION: usize = 8;

const ELFCLASS32: u8 = 1;
const ELFCLASS64: u8 = 2;
const ELFDATA2LSB: u8 = 1;
const ELFDATA2MSB: u8 = 2;
const EV_CURRENT: u8 = 1;

/// `e_type`: what kind of object the file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElfType {
    /// `ET_NONE`.
    None,
    /// `ET_REL`: an object file for the linker.
    Relocatable,
    /// `ET_EXEC`: an executable linked at fixed addresses.
    Executable,
    /// `ET_DYN`: a shared object, a PIE, or a static PIE.
    SharedObject,
    /// `ET_CORE`: a core dump.
    Core,
    /// Any other value (OS- or processor-specific), kept raw.
    Other(u16),
}

impl ElfType {
    pub fn from_raw(raw: u16) -> ElfType {
        match raw {
            0 => ElfType::None,
            1 => ElfType::Relocatable,
            2 => ElfType::Executable,
            3 => ElfType::SharedObject,
            4 => ElfType::Core,
            other => ElfType::Other(other),
        }
    }

    pub fn raw(self) -> u16 {
        match self {
            ElfType::None => 0,
            ElfType::Relocatable => 1,
            ElfType::Executable => 2,
            ElfType::SharedObject => 3,
            ElfType::Core => 4,
            ElfType::Other(other) => other,
        }
    }
}

/// `e_machine`: the instruction set. Only the two Helctic runs on are named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Machine {
    /// `EM_X86_64` (62).
    X86_64,
    /// `EM_AARCH64` (183).
    Aarch64,
    /// Any other machine, kept raw.
    Other(u16),
}

impl Machine {
    pub const EM_X86_64: u16 = 62;
    pub const EM_AARCH64: u16 = 183;

    pub fn from_raw(raw: u16) -> Machine {
        match raw {
            Self::EM_X86_64 => Machine::X86_64,
            Self::EM_AARCH64 => Machine::Aarch64,
            other => Machine::Other(other),
        }
    }

    pub fn raw(self) -> u16 {
        match self {
            Machine::X86_64 => Self::EM_X86_64,
            Machine::Aarch64 => Self::EM_AARCH64,
            Machine::Other(other) => other,
        }
    }
}

/// `EI_OSABI`: the operating system ABI the file claims, kept as the raw byte
/// because most toolchains leave it 0 and the real answer often lives in a
/// note (deciding that is the `binfmt` crate's job).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OsAbi(pub u8);

impl OsAbi {
    /// `ELFOSABI_NONE`/`ELFOSABI_SYSV`: no claim.
    pub const SYSV: OsAbi = OsAbi(0);
    pub const HPUX: OsAbi = OsAbi(1);
    pub const NETBSD: OsAbi = OsAbi(2);
    /// `ELFOSABI_GNU` (also spelled `ELFOSABI_LINUX`): GNU extensions such as
    /// `STT_GNU_IFUNC` are used, which in practice means glibc on Linux.
    pub const GNU: OsAbi = OsAbi(3);
    pub const SOLARIS: OsAbi = OsAbi(6);
    pub const FREEBSD: OsAbi = OsAbi(9);
    pub const OPENBSD: OsAbi = OsAbi(12);
}

/// The decoded `Elf64_Ehdr`. Counts are the raw header fields; the escaped
/// forms (`PN_XNUM`, `e_shnum == 0`, `SHN_XINDEX`) are resolved by
/// [`crate::ElfFile`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileHeader {
    pub os_abi: OsAbi,
    pub abi_version: u8,
    pub kind: ElfType,
    pub machine: Machine,
    pub entry: u64,
    pub phoff: u64,
    pub shoff: u64,
    pub flags: u32,
    pub ehsize: u16,
    pub phentsize: u16,
    pub phnum: u16,
    pub shentsize: u16,
    pub shnum: u16,
    pub shstrndx: u16,
}

impl FileHeader {
    /// Decodes and checks the identification and header of `bytes`.
    ///
    /// The checks run in the order a reader needs them so each failure is
    /// reported precisely: a 52-byte ELF32 file is `NotElf64`, not
    /// `Truncated`, because the class byte is known after 16 bytes.
    pub fn parse(bytes: &[u8]) -> Result<FileHeader> {
        let magic_len = bytes.len().min(MAGIC.len());
        if bytes.get(..magic_len) != MAGIC.get(..magic_len) {
            return Err(Error::BadMagic);
        }
        if bytes.len() < IDENT_SIZE {
            return Err(Error::Truncated);
        }
        let ident = |at| u8_at(bytes, at).ok_or(Error::Truncated);
        match ident(EI_CLASS)? {
            ELFCLASS64 => {}
            ELFCLASS32 => return Err(Error::NotElf64),
            _ => return Err(Error::BadClass),
        }
        match ident(EI_DATA)? {
            ELFDATA2LSB => {}
            ELFDATA2MSB => return Err(Error::BigEndian),
            _ => return Err(Error::BadDataEncoding),
        }
        if ident(EI_VERSION)? != EV_CURRENT {
            return Err(Error::BadVersion);
        }
        let header = bytes.get(..FILE_HEADER_SIZE).ok_or(Error::Truncated)?;
        let half = |at| u16_at(header, at).ok_or(Error::Truncated);
        let word = |at| u32_at(header, at).ok_or(Error::Truncated);
        let xword = |at| u64_at(header, at).ok_or(Error::Truncated);
        if word(20)? != u32::from(EV_CURRENT) {
            return Err(Error::BadVersion);
        }
        Ok(FileHeader {
            os_abi: OsAbi(ident(EI_OSABI)?),
            abi_version: ident(EI_ABIVERSION)?,
            kind: ElfType::from_raw(half(16)?),
            machine: Machine::from_raw(half(18)?),
            entry: xword(24)?,
            phoff: xword(32)?,
            shoff: xword(40)?,
            flags: word(48)?,
            ehsize: half(52)?,
            phentsize: half(54)?,
            phnum: half(56)?,
            shentsize: half(58)?,
            shnum: half(60)?,
            shstrndx: half(62)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minimal() -> [u8; 64] {
        let mut h = [0u8; 64];
        h[..4].copy_from_slice(&MAGIC);
        h[EI_CLASS] = ELFCLASS64;
        h[EI_DATA] = ELFDATA2LSB;
        h[EI_VERSION] = EV_CURRENT;
        h[EI_OSABI] = 9;
        h[16..18].copy_from_slice(&2u16.to_le_bytes());
        h[18..20].copy_from_slice(&62u16.to_le_bytes());
        h[20..24].copy_from_slice(&1u32.to_le_bytes());
        h[24..32].copy_from_slice(&0x401000u64.to_le_bytes());
        h
    }

    #[test]
    fn decodes_fields() {
        let h = FileHeader::parse(&minimal()).unwrap();
        assert_eq!(h.kind, ElfType::Executable);
        assert_eq!(h.machine, Machine::X86_64);
        assert_eq!(h.os_abi, OsAbi::FREEBSD);
        assert_eq!(h.entry, 0x401000);
    }

    #[test]
    fn each_identification_check_has_its_own_error() {
        let mut h = minimal();
        h[EI_CLASS] = ELFCLASS32;
        assert_eq!(FileHeader::parse(&h), Err(Error::NotElf64));
        assert_eq!(FileHeader::parse(&h[..52]), Err(Error::NotElf64));
        h[EI_CLASS] = 7;
        assert_eq!(FileHeader::parse(&h), Err(Error::BadClass));
        let mut h = minimal();
        h[EI_DATA] = ELFDATA2MSB;
        assert_eq!(FileHeader::parse(&h), Err(Error::BigEndian));
        h[EI_DATA] = 0;
        assert_eq!(FileHeader::parse(&h), Err(Error::BadDataEncoding));
        let mut h = minimal();
        h[EI_VERSION] = 2;
        assert_eq!(FileHeader::parse(&h), Err(Error::BadVersion));
        let mut h = minimal();
        h[20] = 0;
        assert_eq!(FileHeader::parse(&h), Err(Error::BadVersion));
        let mut h = minimal();
        h[1] = b'X';
        assert_eq!(FileHeader::parse(&h), Err(Error::BadMagic));
    }

    #[test]
    fn short_inputs() {
        let h = minimal();
        assert_eq!(FileHeader::parse(&[]), Err(Error::Truncated));
        assert_eq!(FileHeader::parse(&h[..3]), Err(Error::Truncated));
        assert_eq!(FileHeader::parse(b"\x7fEL_"), Err(Error::BadMagic));
        assert_eq!(FileHeader::parse(b"MZ"), Err(Error::BadMagic));
        assert_eq!(FileHeader::parse(&h[..63]), Err(Error::Truncated));
    }

    #[test]
    fn enums_round_trip() {
        for raw in [0u16, 1, 2, 3, 4, 5, 0xfe00, 0xffff] {
            assert_eq!(ElfType::from_raw(raw).raw(), raw);
        }
        for raw in [0u16, 3, 62, 183, 243] {
            assert_eq!(Machine::from_raw(raw).raw(), raw);
        }
    }
}
