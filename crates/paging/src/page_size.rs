//! The three page sizes x86_64 four-level paging can map.

use crate::level::Level;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PageSize {
    /// 4 KiB, mapped by a page-table (level 1) entry.
    Size4K,
    /// 2 MiB, mapped by a page-directory (level 2) entry with `HUGE` set.
    Size2M,
    /// 1 GiB, mapped by a PDPT (level 3) entry with `HUGE` set.
    Size1G,
}

impl PageSize {
    pub const ALL: [PageSize; 3] = [PageSize::Size4K, PageSize::Size2M, PageSize::Size1G];

    pub const fn bytes(self) -> u64 {
        match self {
            PageSize::Size4K => 1 << 12,
            PageSize::Size2M => 1 << 21,
            PageSize::Size1G => 1 << 30,
        }
    }

    /// The table level whose entries map pages of this size.
    pub(crate) const fn leaf_level(self) -> Level {
        match self {
            PageSize::Size4K => Level::Pt,
            PageSize::Size2M => Level::Pd,
            PageSize::Size1G => Level::Pdpt,
        }
    }
}
