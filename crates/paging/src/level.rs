//! The four levels of the page-table tree and which bits of a virtual address
//! index each of them.

use crate::address::VirtAddr;
use crate::page_size::PageSize;

/// Levels are numbered as the hardware manuals do: the root (PML4) is level 4
/// and the tables that map 4 KiB pages are level 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Level {
    Pt = 1,
    Pd = 2,
    Pdpt = 3,
    Pml4 = 4,
}

impl Level {
    pub(crate) const fn number(self) -> u32 {
        self as u32
    }

    /// The level of the table an entry at this level points to.
    pub(crate) const fn lower(self) -> Option<Level> {
        match self {
            Level::Pml4 => Some(Level::Pdpt),
            Level::Pdpt => Some(Level::Pd),
            Level::Pd => Some(Level::Pt),
            Level::Pt => None,
        }
    }

    const fn index_shift(self) -> u32 {
        12 + 9 * (self.number() - 1)
    }

    /// Which of this level's 512 entries covers `virt`.
    pub(crate) const fn index_of(self, virt: VirtAddr) -> usize {
        ((virt.as_u64() >> self.index_shift()) & 0x1FF) as usize
    }

    /// Bytes of virtual address space covered by one entry at this level.
    pub(crate) const fn entry_span(self) -> u64 {
        1 << self.index_shift()
    }

    /// The page size an entry at this level maps when it is a leaf, or `None`
    /// for the root, whose entries are always table pointers (bit 7 of a PML4
    /// entry is reserved, not a page-size bit).
    pub(crate) const fn leaf_size(self) -> Option<PageSize> {
        match self {
            Level::Pt => Some(PageSize::Size4K),
            Level::Pd => Some(PageSize::Size2M),
            Level::Pdpt => Some(PageSize::Size1G),
            Level::Pml4 => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_come_from_the_right_bits() {
        // PML4 511, PDPT 510, PD 1, PT 2, offset 0x345.
        let virt = VirtAddr::new_sign_extended((511 << 39) | (510 << 30) | (1 << 21) | (2 << 12) | 0x345);
        assert_eq!(Level::Pml4.index_of(virt), 511);
        assert_eq!(Level::Pdpt.index_of(virt), 510);
        assert_eq!(Level::Pd.index_of(virt), 1);
        assert_eq!(Level::Pt.index_of(virt), 2);
    }

    #[test]
    fn spans_match_page_sizes() {
        for size in PageSize::ALL {
            assert_eq!(size.leaf_level().entry_span(), size.bytes());
            assert_eq!(size.leaf_level().leaf_size(), Some(size));
        }
        assert_eq!(Level::Pml4.entry_span(), 512 << 30);
        assert_eq!(Level::Pml4.leaf_size(), None);
        assert_eq!(Level::Pml4.lower(), Some(Level::Pdpt));
        assert_eq!(Level::Pt.lower(), None);
    }
}
