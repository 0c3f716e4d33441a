//! Visiting every mapping in a range, in address order: what fork copies and
//! what teardown or a debug dump needs to see.

use core::ops::Range;

use crate::address::VirtAddr;
use crate::entry::Entry;
use crate::level::Level;
use crate::page_table::{is_huge_leaf, PageTable, Translation};
use crate::table_memory::TableMemory;
use crate::{address::PhysAddr, flags::PageFlags, ENTRIES_PER_TABLE};

impl PageTable {
    /// Calls `f` once for every mapped page that overlaps `range`, in
    /// ascending address order, with the page's start address and a
    /// translation of that start (so `phys` is the page base).
    ///
    /// `range` is in plain `u64` addresses, so `0..u64::MAX` means "all of it"
    /// and the upper (kernel) half sorts after the lower half, as in memory.
    /// A page that straddles either end of the range is still reported whole.
    pub fn for_each_mapping<M, F>(&self, mem: &M, range: Range<u64>, mut f: F)
    where
        M: TableMemory + ?Sized,
        F: FnMut(VirtAddr, Translation),
    {
        if range.start >= range.end {
            return;
        }
        // Inclusive end: the last entry of the top half ends at 2^64, which a
        // u64 half-open range cannot express.
        let wanted = (range.start, range.end - 1);
        visit(mem, self.root(), Level::Pml4, 0, wanted, &mut f);
    }
}

/// An address as an offset into the 48-bit linear space (the upper half's
/// sign extension removed, so the halves are contiguous); addresses in the
/// non-canonical hole become the hole's lower or upper edge.
pub(crate) fn linear(addr: u64, round_up: bool) -> u64 {
    const HALF: u64 = 1 << 47;
    const UPPER: u64 = 0xffff_8000_0000_0000;
    if addr < HALF {
        addr
    } else if addr >= UPPER {
        addr - UPPER + HALF
    } else if round_up {
        HALF
    } else {
        HALF - 1
    }
}

/// The entries of a table whose first entry starts at linear `base`, each
/// spanning `span`, that overlap `wanted` (inclusive bounds, as u64
/// addresses); None when none do.
pub(crate) fn overlapping_indices(
    base: u64,
    span: u64,
    wanted: (u64, u64),
) -> Option<core::ops::RangeInclusive<usize>> {
    let (lo, hi) = (linear(wanted.0, true), linear(wanted.1, false));
    let table_last = base + (ENTRIES_PER_TABLE as u64 * span - 1);
    if lo > hi || hi < base || lo > table_last {
        return None;
    }
    let first = (lo.saturating_sub(base) / span) as usize;
    let last = ((hi.min(table_last) - base) / span) as usize;
    Some(first..=last)
}

/// Walks one table whose first entry covers virtual address `base` (before
/// sign extension, which only matters at the root).
fn visit<M, F>(mem: &M, table: PhysAddr, level: Level, base: u64, wanted: (u64, u64), f: &mut F)
where
    M: TableMemory + ?Sized,
    F: FnMut(VirtAddr, Translation),
{
    let span = level.entry_span();
    // Only the entries that can overlap the range: a walk of a few pages
    // must not look at all 512 entries of every table on the way down.
    let Some(indices) = overlapping_indices(linear(base, true), span, wanted) else { return };
    for index in indices {
        let start = VirtAddr::new_sign_extended(base + index as u64 * span);
        let first = start.as_u64();
        let last = first + (span - 1);
        if last < wanted.0 || first > wanted.1 {
            continue;
        }
        let entry = Entry::from_raw(mem.read(table, index));
        if !entry.is_present() {
            continue;
        }
        match level.lower() {
            Some(lower) if !is_huge_leaf(level, entry) => {
                visit(mem, entry.address(), lower, start.as_u64(), wanted, f);
            }
            _ => {
                // A leaf: every level with no lower table, or a huge entry,
                // has a page size.
                if let Some(size) = level.leaf_size() {
                    let translation =
                        Translation { phys: entry.page_address(size), size, flags: entry.flags() - PageFlags::HUGE };
                    f(start, translation);
                }
            }
        }
    }
}
