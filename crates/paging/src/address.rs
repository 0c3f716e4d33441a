//! Physical and virtual addresses, validated once at construction so that the
//! rest of the crate never has to ask "is this address even possible?".

use core::fmt;

use crate::page_size::PageSize;

/// A physical address that fits in the architectural 52-bit physical space.
///
/// 52 bits is the most any x86_64 CPU can address (CPUID may report fewer);
/// it is also exactly what a page-table entry can hold in bits 12..51.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PhysAddr(u64);

/// A [`PhysAddr`] was requested for a value with bits above bit 51.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PhysAddrTooWide(pub u64);

impl PhysAddr {
    /// Number of bits a physical address may use.
    pub const BITS: u32 = 52;
    /// Every bit a physical address may have set.
    pub const MASK: u64 = (1 << Self::BITS) - 1;

    pub const ZERO: PhysAddr = PhysAddr(0);

    /// Checks that `addr` fits in 52 bits.
    pub const fn new(addr: u64) -> Result<Self, PhysAddrTooWide> {
        if addr & !Self::MASK == 0 {
            Ok(Self(addr))
        } else {
            Err(PhysAddrTooWide(addr))
        }
    }

    pub const fn as_u64(self) -> u64 {
        self.0
    }

    pub const fn is_aligned(self, size: PageSize) -> bool {
        self.0 & (size.bytes() - 1) == 0
    }
}

impl fmt::Debug for PhysAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhysAddr({:#x})", self.0)
    }
}

/// A canonical x86_64 virtual address (48-bit, four-level paging): bits 63..47
/// are all copies of bit 47.
///
/// Non-canonical addresses fault in hardware before any page walk, so a value
/// of this type is one the page tables can actually describe.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VirtAddr(u64);

/// A [`VirtAddr`] was requested for a value that is not sign-extended from bit 47.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NonCanonicalAddress(pub u64);

impl VirtAddr {
    /// Number of significant bits in a virtual address under four-level paging.
    pub const BITS: u32 = 48;

    /// Checks that `addr` is canonical.
    pub const fn new(addr: u64) -> Result<Self, NonCanonicalAddress> {
        let extended = Self::new_sign_extended(addr).0;
        if extended == addr {
            Ok(Self(addr))
        } else {
            Err(NonCanonicalAddress(addr))
        }
    }

    /// Makes an address canonical by copying bit 47 into bits 48..63, which is
    /// how an address is rebuilt from its page-table indices.
    pub const fn new_sign_extended(addr: u64) -> Self {
        let shift = 64 - Self::BITS;
        Self((((addr << shift) as i64) >> shift) as u64)
    }

    pub const fn as_u64(self) -> u64 {
        self.0
    }

    pub const fn is_aligned(self, size: PageSize) -> bool {
        self.0 & (size.bytes() - 1) == 0
    }

    /// Offset of this address inside a page of the given size.
    pub const fn page_offset(self, size: PageSize) -> u64 {
        self.0 & (size.bytes() - 1)
    }

    /// Start of the page of the given size that contains this address.
    pub const fn align_down(self, size: PageSize) -> Self {
        // Clearing low bits never changes bits 47..63, so the result stays canonical.
        Self(self.0 & !(size.bytes() - 1))
    }
}

impl fmt::Debug for VirtAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VirtAddr({:#x})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phys_addr_accepts_exactly_52_bits() {
        assert_eq!(PhysAddr::new(0).unwrap().as_u64(), 0);
        assert_eq!(PhysAddr::new(PhysAddr::MASK).unwrap().as_u64(), PhysAddr::MASK);
        assert_eq!(PhysAddr::new(1 << 52), Err(PhysAddrTooWide(1 << 52)));
        assert_eq!(PhysAddr::new(u64::MAX), Err(PhysAddrTooWide(u64::MAX)));
    }

    #[test]
    fn canonical_boundaries() {
        for ok in [0, 0x0000_7FFF_FFFF_FFFF, 0xFFFF_8000_0000_0000, u64::MAX] {
            assert_eq!(VirtAddr::new(ok).unwrap().as_u64(), ok, "{ok:#x}");
        }
        for bad in [0x0000_8000_0000_0000, 0xFFFF_7FFF_FFFF_FFFF, 0x0001_0000_0000_0000, 1 << 63] {
            assert_eq!(VirtAddr::new(bad), Err(NonCanonicalAddress(bad)), "{bad:#x}");
        }
    }

    #[test]
    fn sign_extension_copies_bit_47() {
        assert_eq!(VirtAddr::new_sign_extended(0x0000_8000_0000_0000).as_u64(), 0xFFFF_8000_0000_0000);
        assert_eq!(VirtAddr::new_sign_extended(0x0000_7FFF_FFFF_F000).as_u64(), 0x0000_7FFF_FFFF_F000);
        // High garbage is replaced, not kept.
        assert_eq!(VirtAddr::new_sign_extended(0x1234_0000_0000_1000).as_u64(), 0x1000);
    }

    #[test]
    fn alignment_helpers() {
        let v = VirtAddr::new(0xFFFF_8000_4030_1234).unwrap();
        assert_eq!(v.page_offset(PageSize::Size4K), 0x234);
        assert_eq!(v.page_offset(PageSize::Size2M), 0x10_1234);
        assert_eq!(v.align_down(PageSize::Size1G).as_u64(), 0xFFFF_8000_4000_0000);
        assert!(!v.is_aligned(PageSize::Size4K));
        assert!(v.align_down(PageSize::Size2M).is_aligned(PageSize::Size2M));
        assert!(PhysAddr::new(0x4000_0000).unwrap().is_aligned(PageSize::Size1G));
        assert!(!PhysAddr::new(0x20_0000).unwrap().is_aligned(PageSize::Size1G));
    }
}
