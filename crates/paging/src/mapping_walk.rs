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

/// Walks one table whose first entry covers virtual address `base` (before
/// sign extension, which only matters at the root).
fn visit<M, F>(mem: &M, table: PhysAddr, level: Level, base: u64, wanted: (u64, u64), f: &mut F)
where
    M: TableMemory + ?Sized,
    F: FnMut(VirtAddr, Translation),
{
    let span = level.entry_span();
    for index in 0..ENTRIES_PER_TABLE {
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
                    let translation = Translation {
                        phys: entry.page_address(size),
                        size,
                        flags: entry.flags() - PageFlags::HUGE,
                    };
                    f(start, translation);
                }
            }
        }
    }
}
