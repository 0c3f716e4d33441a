//! The Root System Description Pointer: where the table walk starts.
//!
//! A boot protocol may hand the kernel its address (PVH's `rsdp_paddr`,
//! multiboot2's RSDP tags); on a BIOS machine it is found by scanning the
//! first KiB of the Extended BIOS Data Area and the BIOS ROM area on 16-byte
//! boundaries.

use crate::memory::{self, PhysMemory};
use crate::{bytes, checksum, Error};

/// The eight bytes an RSDP starts with.
pub const RSDP_SIGNATURE: [u8; 8] = *b"RSD PTR ";
/// Bytes covered by the ACPI 1.0 checksum.
pub const RSDP_V1_LEN: u32 = 20;
/// The length of a revision 2 RSDP.
pub const RSDP_V2_LEN: u32 = 36;
/// The longest RSDP accepted; the specification's is 36 bytes, this leaves
/// room for growth without letting a bad length send the checksum far away.
pub const MAX_RSDP_LEN: u32 = 1024;
/// Where the BIOS Data Area keeps the EBDA's real-mode segment.
pub const EBDA_POINTER: u64 = 0x40e;
/// How much of the EBDA is searched.
pub const EBDA_SCAN_LEN: u64 = 1024;
/// The BIOS read-only area searched after the EBDA (end exclusive).
pub const BIOS_AREA_START: u64 = 0xe_0000;
/// End (exclusive) of the BIOS read-only area.
pub const BIOS_AREA_END: u64 = 0x10_0000;

/// The EBDA lies in conventional memory, above the BIOS Data Area and below
/// the video hole; a segment pointing elsewhere is not believed.
const EBDA_LOWEST: u64 = 0x500;
const EBDA_END: u64 = 0xa_0000;
/// The RSDP is always 16-byte aligned.
const RSDP_ALIGN: u64 = 16;

/// A Root System Description Pointer whose signature and checksums are good.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Rsdp {
    /// Where the RSDP was found.
    pub paddr: u64,
    /// 0 for ACPI 1.0; 2 for ACPI 2.0 and later.
    pub revision: u8,
    pub oem_id: [u8; 6],
    /// The RSDT's address; 0 if none.
    pub rsdt_address: u32,
    /// The XSDT's address, for revision 2+ when it is nonzero.
    pub xsdt_address: Option<u64>,
}

impl Rsdp {
    /// The RSDP at `hint` if it is nonzero (the boot protocol's word is
    /// final: a bad RSDP there is an error, not a reason to go scanning),
    /// otherwise the first valid one in the BIOS areas.
    pub fn find<M: PhysMemory + ?Sized>(mem: &M, hint: u64) -> Result<Rsdp, Error> {
        if hint != 0 {
            Self::at(mem, hint)
        } else {
            Self::scan_bios(mem)
        }
    }

    /// Checks the RSDP at `paddr`: signature, the ACPI 1.0 checksum over 20
    /// bytes and, for revision 2 or later, the length and the extended
    /// checksum over the whole structure.
    pub fn at<M: PhysMemory + ?Sized>(mem: &M, paddr: u64) -> Result<Rsdp, Error> {
        let v1: [u8; RSDP_V1_LEN as usize] = memory::read_array(mem, paddr)?;
        if bytes::array::<8>(&v1, 0) != Some(RSDP_SIGNATURE) {
            return Err(Error::RsdpBadSignature);
        }
        if checksum::sum(&v1) != 0 {
            return Err(Error::RsdpBadChecksum);
        }
        let mut rsdp = Rsdp {
            paddr,
            revision: bytes::u8_at(&v1, 15).unwrap_or(0),
            oem_id: bytes::array(&v1, 9).unwrap_or_default(),
            rsdt_address: bytes::u32_at(&v1, 16).unwrap_or(0),
            xsdt_address: None,
        };
        if rsdp.revision < 2 {
            return Ok(rsdp);
        }
        let v2: [u8; RSDP_V2_LEN as usize] = memory::read_array(mem, paddr)?;
        let length = bytes::u32_at(&v2, 20).unwrap_or(0);
        if !(RSDP_V2_LEN..=MAX_RSDP_LEN).contains(&length) {
            return Err(Error::RsdpBadLength(length));
        }
        if checksum::sum_phys(mem, paddr, length)? != 0 {
            return Err(Error::RsdpBadExtendedChecksum);
        }
        rsdp.xsdt_address = bytes::u64_at(&v2, 24).filter(|address| *address != 0);
        Ok(rsdp)
    }

    /// Searches the first KiB of the EBDA, then `0xE0000..0x100000`, for a
    /// valid RSDP. A signature match whose checksums fail is passed over (a
    /// stale copy), and so is a slot that cannot be read.
    pub fn scan_bios<M: PhysMemory + ?Sized>(mem: &M) -> Result<Rsdp, Error> {
        if let Some(ebda) = ebda_base(mem) {
            if let Some(rsdp) = scan(mem, ebda, ebda.saturating_add(EBDA_SCAN_LEN)) {
                return Ok(rsdp);
            }
        }
        scan(mem, BIOS_AREA_START, BIOS_AREA_END).ok_or(Error::RsdpNotFound)
    }

    /// The root table to walk: the XSDT when there is one, else the RSDT.
    pub fn root_address(&self) -> Option<u64> {
        match (self.xsdt_address, self.rsdt_address) {
            (Some(xsdt), _) => Some(xsdt),
            (None, 0) => None,
            (None, rsdt) => Some(u64::from(rsdt)),
        }
    }
}

/// The EBDA's physical address, from the segment the BIOS left at 0x40E.
fn ebda_base<M: PhysMemory + ?Sized>(mem: &M) -> Option<u64> {
    let segment = u16::from_le_bytes(memory::read_array(mem, EBDA_POINTER).ok()?);
    let base = u64::from(segment) << 4;
    (EBDA_LOWEST..EBDA_END).contains(&base).then_some(base)
}

/// The first valid RSDP on a 16-byte boundary in `start..end`.
fn scan<M: PhysMemory + ?Sized>(mem: &M, start: u64, end: u64) -> Option<Rsdp> {
    let mut at = start;
    while at < end {
        let signature = memory::read_array::<8, M>(mem, at);
        if signature == Ok(RSDP_SIGNATURE) {
            if let Ok(rsdp) = Rsdp::at(mem, at) {
                return Some(rsdp);
            }
        }
        at = at.checked_add(RSDP_ALIGN)?;
    }
    None
}
