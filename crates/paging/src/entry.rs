//! One 64-bit page-table entry: a frame address in bits 12..51 plus flags.

use core::fmt;

use crate::address::PhysAddr;
use crate::flags::PageFlags;
use crate::page_size::PageSize;

/// Bits 12..51: where an entry keeps the address of a table or 4 KiB frame.
const ADDRESS_MASK: u64 = PhysAddr::MASK & !0xFFF;

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Entry(u64);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryError {
    /// Entries hold frame numbers; the low 12 bits of the address must be 0.
    AddressNotPageAligned(PhysAddr),
}

impl Entry {
    /// The not-present entry every fresh table is full of.
    pub const EMPTY: Entry = Entry(0);

    /// Encodes an entry. The address must be 4 KiB aligned; it already fits
    /// the physical mask because [`PhysAddr`] guarantees that.
    pub const fn new(addr: PhysAddr, flags: PageFlags) -> Result<Self, EntryError> {
        if addr.as_u64() & 0xFFF != 0 {
            return Err(EntryError::AddressNotPageAligned(addr));
        }
        Ok(Entry(addr.as_u64() | flags.bits()))
    }

    /// Wraps a value read from a table, whatever it holds.
    pub const fn from_raw(raw: u64) -> Self {
        Entry(raw)
    }

    pub const fn raw(self) -> u64 {
        self.0
    }

    pub const fn is_present(self) -> bool {
        self.0 & PageFlags::PRESENT.bits() != 0
    }

    /// The address in bits 12..51.
    pub const fn address(self) -> PhysAddr {
        match PhysAddr::new(self.0 & ADDRESS_MASK) {
            Ok(addr) => addr,
            // ADDRESS_MASK is inside PhysAddr::MASK, so this cannot happen.
            Err(_) => unreachable!(),
        }
    }

    /// The address of the page this entry maps as a leaf of `size`. A huge
    /// entry's low address bits are not address (bit 12 is the PAT selector),
    /// so they are cleared here.
    pub const fn page_address(self, size: PageSize) -> PhysAddr {
        match PhysAddr::new(self.0 & ADDRESS_MASK & !(size.bytes() - 1)) {
            Ok(addr) => addr,
            Err(_) => unreachable!(),
        }
    }

    pub const fn flags(self) -> PageFlags {
        PageFlags::from_bits_truncate(self.0)
    }
}

impl fmt::Debug for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Entry({:#x}, {:?})", self.address().as_u64(), self.flags())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phys(addr: u64) -> PhysAddr {
        PhysAddr::new(addr).unwrap()
    }

    #[test]
    fn encode_decode_round_trip() {
        let flags = PageFlags::PRESENT | PageFlags::WRITABLE | PageFlags::NO_EXECUTE | PageFlags::COPY_ON_WRITE;
        let entry = Entry::new(phys(0x000F_FFFF_FFFF_F000), flags).unwrap();
        assert_eq!(entry.address(), phys(0x000F_FFFF_FFFF_F000));
        assert_eq!(entry.flags(), flags);
        assert!(entry.is_present());
        assert_eq!(Entry::from_raw(entry.raw()), entry);
    }

    #[test]
    fn address_and_flags_do_not_bleed_into_each_other() {
        let all = Entry::new(phys(PhysAddr::MASK & !0xFFF), PageFlags::ALL_MASK).unwrap();
        assert_eq!(all.address(), phys(PhysAddr::MASK & !0xFFF));
        assert_eq!(all.flags(), PageFlags::ALL_MASK);
        let bare = Entry::new(phys(0x1000), PageFlags::empty()).unwrap();
        assert!(!bare.is_present());
        assert_eq!(bare.flags(), PageFlags::empty());
    }

    #[test]
    fn rejects_unaligned_addresses() {
        assert_eq!(Entry::new(phys(0x1234), PageFlags::PRESENT), Err(EntryError::AddressNotPageAligned(phys(0x1234))));
        // Bits beyond the physical mask cannot even reach Entry::new.
        assert!(PhysAddr::new(1 << 52).is_err());
    }

    #[test]
    fn raw_decoding_ignores_protection_key_bits() {
        let raw = (0xF << 59) | 0x5000 | 0x1;
        let entry = Entry::from_raw(raw);
        assert_eq!(entry.address(), phys(0x5000));
        assert_eq!(entry.flags(), PageFlags::PRESENT);
    }

    #[test]
    fn huge_page_address_drops_pat_and_low_bits() {
        // Bit 12 set: the PAT selector of a huge entry, not part of the address.
        let entry = Entry::from_raw(0x4000_1000 | 0x81);
        assert_eq!(entry.address(), phys(0x4000_1000));
        assert_eq!(entry.page_address(PageSize::Size2M), phys(0x4000_0000));
        assert_eq!(entry.page_address(PageSize::Size1G), phys(0x4000_0000));
        assert_eq!(entry.page_address(PageSize::Size4K), phys(0x4000_1000));
    }
}
