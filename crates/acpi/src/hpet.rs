//! The IA-PC HPET description table (signature `HPET`): where the High
//! Precision Event Timer's registers are and what its first timer block can
//! do. The table's event timer block ID is a copy of the low half of the
//! HPET's own capabilities register.

use crate::gas::GenericAddress;
use crate::memory::PhysMemory;
use crate::{bytes, AddressSpace, Error, Signature, Table};

/// Bytes in the HPET table.
pub const HPET_LEN: u32 = 56;

/// What the HPET table says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Hpet {
    /// Physical address of the register block (always system memory).
    pub base_address: u64,
    /// The raw event timer block ID, decoded into the fields below.
    pub event_timer_block_id: u32,
    /// Bits 7:0.
    pub hardware_revision: u8,
    /// Comparators (timers) in the first block: bits 12:8 hold the number of
    /// the last one, so this is that plus one (1 to 32).
    pub comparator_count: u8,
    /// Bit 13: the main counter can run 64 bits wide.
    pub counter_is_64bit: bool,
    /// Bit 15: timers 0 and 1 can replace the PIT and RTC interrupts.
    pub legacy_replacement_capable: bool,
    /// Bits 31:16.
    pub pci_vendor_id: u16,
    /// Which HPET block this table describes (0 for the first).
    pub hpet_number: u8,
    /// The smallest period, in main-counter ticks, that a timer in periodic
    /// mode can be set to without losing interrupts.
    pub minimum_tick: u16,
    /// Bits 3:0: 0 no guarantee, 1 the block sits alone in a 4 KiB page, 2 in
    /// a 64 KiB page. Bits 7:4 are OEM attributes.
    pub page_protection: u8,
}

impl Hpet {
    /// Parses a checked HPET table; the registers must be in system memory
    /// at a nonzero address.
    pub fn parse<M: PhysMemory + ?Sized>(mem: &M, table: &Table) -> Result<Hpet, Error> {
        table.require_signature(Signature::HPET)?;
        table.require_length(HPET_LEN)?;
        let mut raw = [0u8; HPET_LEN as usize];
        table.read(mem, 0, &mut raw)?;
        let too_short = Error::TableTooShort { signature: table.signature, length: table.length };
        let id = bytes::u32_at(&raw, 36).ok_or(too_short)?;
        let base = GenericAddress::decode(&raw, 40).ok_or(too_short)?;
        if base.space != AddressSpace::SystemMemory {
            return Err(Error::HpetNotSystemMemory { address_space: base.space.id() });
        }
        if base.address == 0 {
            return Err(Error::HpetNullAddress);
        }
        let [revision, capabilities, vendor_low, vendor_high] = id.to_le_bytes();
        Ok(Hpet {
            base_address: base.address,
            event_timer_block_id: id,
            hardware_revision: revision,
            comparator_count: (capabilities & 0x1f).saturating_add(1),
            counter_is_64bit: capabilities & (1 << 5) != 0,
            legacy_replacement_capable: capabilities & (1 << 7) != 0,
            pci_vendor_id: u16::from_le_bytes([vendor_low, vendor_high]),
            hpet_number: bytes::u8_at(&raw, 52).ok_or(too_short)?,
            minimum_tick: bytes::u16_at(&raw, 53).ok_or(too_short)?,
            page_protection: bytes::u8_at(&raw, 55).ok_or(too_short)?,
        })
    }
}
