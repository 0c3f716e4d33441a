//! Why a table (or a part of one) was refused.

use crate::Signature;
use core::fmt;

/// Everything that can be wrong, one variant per cause so a caller (or a test)
/// can tell exactly which check failed and log it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// The [`PhysMemory`](crate::PhysMemory) refused to read the range that
    /// starts at `paddr`.
    Read { paddr: u64 },
    /// An address computed from a table (address plus length) overflows 64
    /// bits.
    AddressOverflow,
    /// Neither the boot-provided address nor the BIOS areas hold an RSDP
    /// with a good signature and checksums.
    RsdpNotFound,
    /// The bytes at the RSDP address do not start with `"RSD PTR "`.
    RsdpBadSignature,
    /// The first 20 bytes of the RSDP do not sum to zero.
    RsdpBadChecksum,
    /// A revision 2+ RSDP claims a length below 36 or above
    /// [`MAX_RSDP_LEN`](crate::MAX_RSDP_LEN).
    RsdpBadLength(u32),
    /// A revision 2+ RSDP's whole length does not sum to zero.
    RsdpBadExtendedChecksum,
    /// The RSDP names neither an RSDT nor an XSDT.
    NoRootTable,
    /// A table pointer is zero.
    NullTable,
    /// The table found is not the kind that was looked for.
    BadSignature { expected: Signature, found: Signature },
    /// The table's length is too small for its header or its fixed fields.
    TableTooShort { signature: Signature, length: u32 },
    /// The table claims more than [`MAX_TABLE_LEN`](crate::MAX_TABLE_LEN)
    /// bytes.
    TableTooLong { signature: Signature, length: u32 },
    /// The table's bytes do not sum to zero.
    BadChecksum { signature: Signature },
    /// The RSDT's or XSDT's entry area is not a whole number of pointers.
    RootTableMisaligned { length: u32 },
    /// The MADT entry at byte `offset` of the table declares a length below
    /// 2, or below what its type needs.
    MadtEntryTooShort { offset: u32, entry_type: u8, length: u8 },
    /// The MADT entry at byte `offset` runs past the end of the table;
    /// `length` is its declared length, or 0 if not even its two-byte header
    /// fits.
    MadtEntryPastEnd { offset: u32, length: u8 },
    /// The MADT has more than [`MAX_MADT_ENTRIES`](crate::MAX_MADT_ENTRIES)
    /// entries.
    MadtTooManyEntries,
    /// The HPET's registers are not in system memory (carries the ACPI
    /// address space ID).
    HpetNotSystemMemory { address_space: u8 },
    /// The HPET's base address is zero.
    HpetNullAddress,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Error::Read { paddr } => write!(f, "cannot read physical memory at {paddr:#x}"),
            Error::AddressOverflow => f.write_str("table address arithmetic overflows"),
            Error::RsdpNotFound => f.write_str("no valid RSDP found"),
            Error::RsdpBadSignature => f.write_str("RSDP signature is not \"RSD PTR \""),
            Error::RsdpBadChecksum => f.write_str("RSDP checksum is wrong"),
            Error::RsdpBadLength(length) => write!(f, "RSDP length {length} is out of range"),
            Error::RsdpBadExtendedChecksum => f.write_str("RSDP extended checksum is wrong"),
            Error::NoRootTable => f.write_str("RSDP names neither an RSDT nor an XSDT"),
            Error::NullTable => f.write_str("table pointer is zero"),
            Error::BadSignature { expected, found } => {
                write!(f, "expected table {expected}, found {found}")
            }
            Error::TableTooShort { signature, length } => {
                write!(f, "table {signature} is too short ({length} bytes)")
            }
            Error::TableTooLong { signature, length } => {
                write!(f, "table {signature} is too long ({length} bytes)")
            }
            Error::BadChecksum { signature } => write!(f, "table {signature} checksum is wrong"),
            Error::RootTableMisaligned { length } => {
                write!(f, "root table length {length} is not a whole number of entries")
            }
            Error::MadtEntryTooShort { offset, entry_type, length } => {
                write!(f, "MADT entry type {entry_type} at offset {offset} is too short ({length} bytes)")
            }
            Error::MadtEntryPastEnd { offset, length } => {
                write!(f, "MADT entry at offset {offset} ({length} bytes) runs past the table")
            }
            Error::MadtTooManyEntries => f.write_str("MADT has too many entries"),
            Error::HpetNotSystemMemory { address_space } => {
                write!(f, "HPET is in address space {address_space}, not system memory")
            }
            Error::HpetNullAddress => f.write_str("HPET base address is zero"),
        }
    }
}
