//! Windows Portable Executable images: the DOS stub's `e_lfanew` leads to
//! the `PE\0\0` signature, the COFF file header and the optional header.

use crate::bytes::{u16_le, u32_le, u64_le};
use crate::identity::{Identity, Malformed};

/// Size of the DOS header, which ends with `e_lfanew`.
const DOS_HEADER_SIZE: usize = 0x40;
const E_LFANEW: usize = 0x3c;
const PE_SIGNATURE: &[u8] = b"PE\0\0";
const COFF_HEADER_SIZE: usize = 20;
/// The optional header up to and including `DllCharacteristics`, the part
/// read here; its layout up to there differs between PE32 and PE32+ only in
/// `BaseOfData` and the width of `ImageBase`.
const OPTIONAL_HEADER_NEEDED: usize = 72;

const PE32_MAGIC: u16 = 0x10b;
const PE32_PLUS_MAGIC: u16 = 0x20b;
const IMAGE_FILE_EXECUTABLE_IMAGE: u16 = 0x0002;
const IMAGE_FILE_DLL: u16 = 0x2000;

/// COFF `Machine`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeMachine {
    /// `IMAGE_FILE_MACHINE_AMD64` (0x8664).
    Amd64,
    /// `IMAGE_FILE_MACHINE_ARM64` (0xaa64).
    Arm64,
    /// `IMAGE_FILE_MACHINE_I386` (0x14c).
    I386,
    Other(u16),
}

impl PeMachine {
    pub fn from_raw(raw: u16) -> PeMachine {
        match raw {
            0x8664 => PeMachine::Amd64,
            0xaa64 => PeMachine::Arm64,
            0x014c => PeMachine::I386,
            other => PeMachine::Other(other),
        }
    }
}

/// The optional header's magic: 32-bit or 64-bit address fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeFormat {
    Pe32,
    Pe32Plus,
}

/// The optional header's `Subsystem`: which environment the image expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subsystem {
    /// A driver or native NT process.
    Native,
    /// A GUI program (`IMAGE_SUBSYSTEM_WINDOWS_GUI`).
    WindowsGui,
    /// A console program (`IMAGE_SUBSYSTEM_WINDOWS_CUI`).
    WindowsConsole,
    EfiApplication,
    EfiBootServiceDriver,
    EfiRuntimeDriver,
    Other(u16),
}

impl Subsystem {
    pub fn from_raw(raw: u16) -> Subsystem {
        match raw {
            1 => Subsystem::Native,
            2 => Subsystem::WindowsGui,
            3 => Subsystem::WindowsConsole,
            10 => Subsystem::EfiApplication,
            11 => Subsystem::EfiBootServiceDriver,
            12 => Subsystem::EfiRuntimeDriver,
            other => Subsystem::Other(other),
        }
    }
}

/// A PE image's identifying facts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeBinary {
    pub machine: PeMachine,
    pub format: PeFormat,
    pub subsystem: Subsystem,
    /// `IMAGE_FILE_DLL`: a library, not a program.
    pub is_dll: bool,
    /// `IMAGE_FILE_EXECUTABLE_IMAGE`: linked and runnable (unset for
    /// images the linker refused to finish).
    pub is_executable_image: bool,
    /// `AddressOfEntryPoint`, relative to the image base.
    pub entry_rva: u32,
    /// `ImageBase`, the preferred load address.
    pub image_base: u64,
}

/// Why an `MZ` file is not a usable PE image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeError {
    /// Shorter than the 64-byte DOS header.
    Truncated,
    /// `e_lfanew` points where the signature and COFF header cannot fit.
    HeaderOutOfFile,
    /// No `PE\0\0` at `e_lfanew`: a plain DOS program, or garbage.
    NoPeSignature,
    /// The optional header is absent, too small, or cut off by the file end.
    OptionalHeaderTooSmall,
    /// The optional header magic is neither PE32 nor PE32+ (e.g. a ROM image).
    BadOptionalMagic(u16),
}

pub(crate) fn identify(bytes: &[u8]) -> Identity<'_> {
    match parse(bytes) {
        Ok(binary) => Identity::Pe(binary),
        Err(error) => Identity::Malformed(Malformed::Pe(error)),
    }
}

fn parse(bytes: &[u8]) -> Result<PeBinary, PeError> {
    if bytes.len() < DOS_HEADER_SIZE {
        return Err(PeError::Truncated);
    }
    let signature_at = u32_le(bytes, E_LFANEW).ok_or(PeError::Truncated)?;
    let signature_at = usize::try_from(signature_at).map_err(|_| PeError::HeaderOutOfFile)?;
    let coff_at = signature_at.checked_add(PE_SIGNATURE.len()).ok_or(PeError::HeaderOutOfFile)?;
    let optional_at = coff_at.checked_add(COFF_HEADER_SIZE).ok_or(PeError::HeaderOutOfFile)?;
    if optional_at > bytes.len() {
        return Err(PeError::HeaderOutOfFile);
    }
    if bytes.get(signature_at..coff_at) != Some(PE_SIGNATURE) {
        return Err(PeError::NoPeSignature);
    }
    let coff = |at: usize| coff_at.checked_add(at).and_then(|at| u16_le(bytes, at)).ok_or(PeError::HeaderOutOfFile);
    let machine = PeMachine::from_raw(coff(0)?);
    let optional_size = usize::from(coff(16)?);
    let characteristics = coff(18)?;

    if optional_size < OPTIONAL_HEADER_NEEDED {
        return Err(PeError::OptionalHeaderTooSmall);
    }
    let optional = optional_at
        .checked_add(OPTIONAL_HEADER_NEEDED)
        .and_then(|end| bytes.get(optional_at..end))
        .ok_or(PeError::OptionalHeaderTooSmall)?;
    let field16 = |at| u16_le(optional, at).ok_or(PeError::OptionalHeaderTooSmall);
    let field32 = |at| u32_le(optional, at).ok_or(PeError::OptionalHeaderTooSmall);
    let (format, image_base) = match field16(0)? {
        PE32_MAGIC => (PeFormat::Pe32, u64::from(field32(28)?)),
        PE32_PLUS_MAGIC => (PeFormat::Pe32Plus, u64_le(optional, 24).ok_or(PeError::OptionalHeaderTooSmall)?),
        other => return Err(PeError::BadOptionalMagic(other)),
    };
    Ok(PeBinary {
        machine,
        format,
        subsystem: Subsystem::from_raw(field16(68)?),
        is_dll: characteristics & IMAGE_FILE_DLL != 0,
        is_executable_image: characteristics & IMAGE_FILE_EXECUTABLE_IMAGE != 0,
        entry_rva: field32(16)?,
        image_base,
    })
}
