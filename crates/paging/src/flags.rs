//! The flag bits of a page-table entry: hardware bits plus the bits the CPU
//! ignores, which the kernel uses for its own bookkeeping.

use core::fmt;
use core::ops::{BitAnd, BitOr, BitOrAssign, Not, Sub};

/// A set of page-table entry flags.
///
/// Only bits that are flags can be stored: the address field (bits 12..51) and
/// the protection-key field (bits 59..62, which changes meaning when
/// CR4.PKE is set) are never part of a `PageFlags`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PageFlags(u64);

impl PageFlags {
    pub const PRESENT: Self = Self(1 << 0);
    pub const WRITABLE: Self = Self(1 << 1);
    /// Reachable from ring 3; effective only if set at every level of the walk.
    pub const USER: Self = Self(1 << 2);
    pub const WRITE_THROUGH: Self = Self(1 << 3);
    pub const NO_CACHE: Self = Self(1 << 4);
    /// Set by the CPU when the entry is used for a translation.
    pub const ACCESSED: Self = Self(1 << 5);
    /// Set by the CPU on a write through a leaf entry.
    pub const DIRTY: Self = Self(1 << 6);
    /// In a PDPT or PD entry: this entry maps a 1 GiB / 2 MiB page instead of
    /// pointing to a table. Managed by [`crate::PageTable`], not by callers.
    pub const HUGE: Self = Self(1 << 7);
    /// Kept in the TLB across CR3 reloads; for kernel mappings only.
    pub const GLOBAL: Self = Self(1 << 8);
    pub const NO_EXECUTE: Self = Self(1 << 63);

    // Software bits: ignored by the CPU, so the kernel may give them meaning.
    /// The frame is shared read-only after fork; a write fault copies it.
    pub const COPY_ON_WRITE: Self = Self(1 << 9);
    /// The frame is also mapped elsewhere (shared memory): teardown must drop a
    /// reference instead of freeing it.
    pub const SHARED: Self = Self(1 << 10);
    /// The frame is device memory (MMIO), not RAM from the frame allocator:
    /// teardown must never free it.
    pub const DEVICE: Self = Self(1 << 11);

    /// Bits the CPU ignores in every entry: 9..11 and 52..58.
    pub const SOFTWARE_MASK: Self = Self((0b111 << 9) | (0x7F << 52));
    /// Every bit a `PageFlags` may hold.
    pub const ALL_MASK: Self = Self(0x1FF | Self::SOFTWARE_MASK.0 | Self::NO_EXECUTE.0);

    pub const fn empty() -> Self {
        Self(0)
    }

    pub const fn bits(self) -> u64 {
        self.0
    }

    /// Accepts `bits` only if every set bit is a flag bit.
    pub const fn from_bits(bits: u64) -> Option<Self> {
        if bits & !Self::ALL_MASK.0 == 0 {
            Some(Self(bits))
        } else {
            None
        }
    }

    /// Keeps the flag bits of `bits` and drops everything else (address,
    /// protection key, reserved bits); used to decode raw entries.
    pub const fn from_bits_truncate(bits: u64) -> Self {
        Self(bits & Self::ALL_MASK.0)
    }

    /// Sets one of the high software bits, 52..=58, which have no fixed
    /// meaning yet. Returns `None` for any other bit number.
    pub const fn software_high_bit(bit: u32) -> Option<Self> {
        if bit >= 52 && bit <= 58 {
            Some(Self(1 << bit))
        } else {
            None
        }
    }

    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    pub const fn intersects(self, other: Self) -> bool {
        self.0 & other.0 != 0
    }

    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    pub const fn difference(self, other: Self) -> Self {
        Self(self.0 & !other.0)
    }

    pub fn insert(&mut self, other: Self) {
        self.0 |= other.0;
    }

    pub fn remove(&mut self, other: Self) {
        self.0 &= !other.0;
    }
}

impl BitOr for PageFlags {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        self.union(rhs)
    }
}

impl BitOrAssign for PageFlags {
    fn bitor_assign(&mut self, rhs: Self) {
        self.insert(rhs);
    }
}

impl BitAnd for PageFlags {
    type Output = Self;
    fn bitand(self, rhs: Self) -> Self {
        Self(self.0 & rhs.0)
    }
}

impl Sub for PageFlags {
    type Output = Self;
    fn sub(self, rhs: Self) -> Self {
        self.difference(rhs)
    }
}

impl Not for PageFlags {
    type Output = Self;
    /// Complement within the flag bits, so the result is still a valid set.
    fn not(self) -> Self {
        Self(!self.0 & Self::ALL_MASK.0)
    }
}

const NAMED_FLAGS: [(PageFlags, &str); 13] = [
    (PageFlags::PRESENT, "PRESENT"),
    (PageFlags::WRITABLE, "WRITABLE"),
    (PageFlags::USER, "USER"),
    (PageFlags::WRITE_THROUGH, "WRITE_THROUGH"),
    (PageFlags::NO_CACHE, "NO_CACHE"),
    (PageFlags::ACCESSED, "ACCESSED"),
    (PageFlags::DIRTY, "DIRTY"),
    (PageFlags::HUGE, "HUGE"),
    (PageFlags::GLOBAL, "GLOBAL"),
    (PageFlags::COPY_ON_WRITE, "COPY_ON_WRITE"),
    (PageFlags::SHARED, "SHARED"),
    (PageFlags::DEVICE, "DEVICE"),
    (PageFlags::NO_EXECUTE, "NO_EXECUTE"),
];

impl fmt::Debug for PageFlags {
    /// Prints names, e.g. `PRESENT | USER | 0x10000000000000`, so that test
    /// failures and kernel logs can be read without decoding hex.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("(empty)");
        }
        let mut rest = *self;
        let mut first = true;
        for (flag, name) in NAMED_FLAGS {
            if self.contains(flag) {
                if !first {
                    f.write_str(" | ")?;
                }
                f.write_str(name)?;
                first = false;
                rest.remove(flag);
            }
        }
        if !rest.is_empty() {
            if !first {
                f.write_str(" | ")?;
            }
            write!(f, "{:#x}", rest.0)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::format;

    #[test]
    fn hardware_bit_positions_match_the_architecture() {
        assert_eq!(PageFlags::PRESENT.bits(), 1);
        assert_eq!(PageFlags::WRITABLE.bits(), 2);
        assert_eq!(PageFlags::USER.bits(), 4);
        assert_eq!(PageFlags::WRITE_THROUGH.bits(), 8);
        assert_eq!(PageFlags::NO_CACHE.bits(), 0x10);
        assert_eq!(PageFlags::ACCESSED.bits(), 0x20);
        assert_eq!(PageFlags::DIRTY.bits(), 0x40);
        assert_eq!(PageFlags::HUGE.bits(), 0x80);
        assert_eq!(PageFlags::GLOBAL.bits(), 0x100);
        assert_eq!(PageFlags::NO_EXECUTE.bits(), 1 << 63);
    }

    #[test]
    fn software_bits_are_ignored_bits_only() {
        for named in [PageFlags::COPY_ON_WRITE, PageFlags::SHARED, PageFlags::DEVICE] {
            assert!(PageFlags::SOFTWARE_MASK.contains(named));
        }
        for bit in 52..=58 {
            assert!(PageFlags::SOFTWARE_MASK.contains(PageFlags::software_high_bit(bit).unwrap()));
        }
        assert_eq!(PageFlags::software_high_bit(51), None);
        assert_eq!(PageFlags::software_high_bit(59), None);
        // No software bit overlaps the address field or the hardware flags.
        assert_eq!(PageFlags::SOFTWARE_MASK.bits() & 0x000F_FFFF_FFFF_F000, 0);
        assert_eq!(PageFlags::SOFTWARE_MASK.bits() & 0x1FF, 0);
    }

    #[test]
    fn from_bits_rejects_address_and_protection_key_bits() {
        assert_eq!(PageFlags::from_bits(0x1000), None);
        assert_eq!(PageFlags::from_bits(1 << 51), None);
        assert_eq!(PageFlags::from_bits(1 << 59), None);
        assert_eq!(PageFlags::from_bits(1 << 62), None);
        assert_eq!(PageFlags::from_bits(0x3), Some(PageFlags::PRESENT | PageFlags::WRITABLE));
        assert_eq!(PageFlags::from_bits_truncate(u64::MAX), PageFlags::ALL_MASK);
    }

    #[test]
    fn set_operations() {
        let rw = PageFlags::PRESENT | PageFlags::WRITABLE;
        assert!(rw.contains(PageFlags::PRESENT));
        assert!(!rw.contains(PageFlags::PRESENT | PageFlags::USER));
        assert!(rw.intersects(PageFlags::WRITABLE | PageFlags::USER));
        assert_eq!(rw - PageFlags::WRITABLE, PageFlags::PRESENT);
        assert_eq!(rw & PageFlags::WRITABLE, PageFlags::WRITABLE);
        assert!((!rw).bits() & rw.bits() == 0);
        assert_eq!((!PageFlags::empty()), PageFlags::ALL_MASK);
        let mut f = PageFlags::empty();
        f |= PageFlags::USER;
        assert_eq!(f, PageFlags::USER);
    }

    #[test]
    fn debug_names_flags() {
        assert_eq!(format!("{:?}", PageFlags::PRESENT | PageFlags::USER), "PRESENT | USER");
        assert_eq!(format!("{:?}", PageFlags::empty()), "(empty)");
        assert_eq!(
            format!("{:?}", PageFlags::NO_EXECUTE | PageFlags::software_high_bit(52).unwrap()),
            "NO_EXECUTE | 0x10000000000000"
        );
    }
}
