//! Everything at once: find the RSDP, walk the root table, and parse the
//! tables the kernel needs at boot.

use crate::memory::PhysMemory;
use crate::{Error, Fadt, Hpet, Madt, Rsdp, Signature, TableDirectory};

/// The ACPI view of the machine. A table that is absent is `None`; one that
/// is present but malformed is `Some(Err(..))`, so the kernel can fall back
/// (to the 8259 and PIT, say) and log why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Platform {
    pub rsdp: Rsdp,
    pub tables: TableDirectory,
    pub madt: Option<Result<Madt, Error>>,
    pub hpet: Option<Result<Hpet, Error>>,
    pub fadt: Option<Result<Fadt, Error>>,
}

/// Finds the RSDP (at `rsdp_hint` if nonzero, else in the BIOS areas), walks
/// the root table and parses the MADT, HPET and FADT, taking the first good
/// table of each kind. Fails only if there is no usable RSDP or root table.
pub fn discover<M: PhysMemory + ?Sized>(mem: &M, rsdp_hint: u64) -> Result<Platform, Error> {
    let rsdp = Rsdp::find(mem, rsdp_hint)?;
    let tables = TableDirectory::walk(mem, &rsdp)?;
    let madt = tables.find(Signature::MADT).map(|t| Madt::parse(mem, t));
    let hpet = tables.find(Signature::HPET).map(|t| Hpet::parse(mem, t));
    let fadt = tables.find(Signature::FADT).map(|t| Fadt::parse(mem, t));
    Ok(Platform { rsdp, tables, madt, hpet, fadt })
}
