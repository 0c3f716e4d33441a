//! Copying the mappings of a range into another address space in one walk:
//! what fork does for every region.
//!
//! Mapping each page into the child one at a time walks the child's tree
//! from the root for every page, and write-protecting the parent's copy one
//! page at a time walks the parent's again; here one walk of the parent's
//! tree creates the child's tables level by level as it descends and
//! writes both leaves where it stands, so a table of 512 pages costs one
//! visit of each tree instead of 512 of each.

use core::ops::Range;

use crate::address::VirtAddr;
use crate::entry::Entry;
use crate::flags::PageFlags;
use crate::level::Level;
use crate::mapping_walk::{linear, overlapping_indices};
use crate::page_table::{is_huge_leaf, PageTable, Translation};
use crate::table_memory::{OutOfMemory, TableMemory};

/// What to do with one leaf: the child's flags for the same frame, and new
/// flags for the parent's entry (None: leave it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LeafCopy {
    pub child: PageFlags,
    pub parent: Option<PageFlags>,
}

impl PageTable {
    /// Maps in `child` every page this tree maps in `range` (pages that
    /// straddle the range's ends whole, as [`PageTable::for_each_mapping`]
    /// reports them), to the same frame, with the flags `leaf` gives for
    /// it, and re-flags this tree's entry where `leaf` asks. `child` must
    /// map nothing in the range. Intermediate tables are created in
    /// `child` as the walk descends, with the parent entry's flags.
    ///
    /// Returns how many of this tree's entries changed: the caller flushes
    /// the TLB once if any did (one flush instead of one per page).
    ///
    /// Not atomic: on `OutOfMemory` the pages copied so far stay mapped in
    /// `child` (whose teardown undoes them) and re-flagged here. `leaf` is
    /// called only for a page that is then mapped in `child`.
    pub fn copy_range<M, F>(
        &mut self,
        child: &mut PageTable,
        mem: &mut M,
        range: Range<u64>,
        mut leaf: F,
    ) -> Result<usize, OutOfMemory>
    where
        M: TableMemory + ?Sized,
        F: FnMut(VirtAddr, Translation) -> LeafCopy,
    {
        if range.start >= range.end {
            return Ok(0);
        }
        let wanted = (range.start, range.end - 1);
        let mut changed = 0;
        copy_table(mem, self.root(), child.root(), Level::Pml4, 0, wanted, &mut leaf, &mut changed)?;
        Ok(changed)
    }
}

#[allow(clippy::too_many_arguments)]
fn copy_table<M, F>(
    mem: &mut M,
    parent: crate::address::PhysAddr,
    child: crate::address::PhysAddr,
    level: Level,
    base: u64,
    wanted: (u64, u64),
    leaf: &mut F,
    changed: &mut usize,
) -> Result<(), OutOfMemory>
where
    M: TableMemory + ?Sized,
    F: FnMut(VirtAddr, Translation) -> LeafCopy,
{
    let span = level.entry_span();
    let Some(indices) = overlapping_indices(linear(base, true), span, wanted) else { return Ok(()) };
    for index in indices {
        let start = VirtAddr::new_sign_extended(base + index as u64 * span);
        let first = start.as_u64();
        let last = first + (span - 1);
        if last < wanted.0 || first > wanted.1 {
            continue;
        }
        let entry = Entry::from_raw(mem.read(parent, index));
        if !entry.is_present() {
            continue;
        }
        match level.lower() {
            Some(lower) if !is_huge_leaf(level, entry) => {
                let existing = Entry::from_raw(mem.read(child, index));
                let child_table = if existing.is_present() {
                    existing.address()
                } else {
                    let table = mem.alloc_table()?;
                    // The parent's intermediate flags (present, writable,
                    // user); the address is a fresh table's, page aligned.
                    let flags = entry.flags() - PageFlags::ACCESSED;
                    mem.write(child, index, table.as_u64() | flags.bits());
                    table
                };
                copy_table(mem, entry.address(), child_table, lower, first, wanted, leaf, changed)?;
            }
            _ => {
                let Some(size) = level.leaf_size() else { continue };
                let huge = entry.flags() & PageFlags::HUGE;
                let translation =
                    Translation { phys: entry.page_address(size), size, flags: entry.flags() - PageFlags::HUGE };
                let copy = leaf(start, translation);
                // The frame address and whatever else is not a flag (a huge
                // page's PAT bit, protection keys) stay as they are.
                let kept = entry.raw() & !PageFlags::ALL_MASK.bits();
                mem.write(child, index, kept | (copy.child | huge | PageFlags::PRESENT).bits());
                if let Some(flags) = copy.parent {
                    let new = kept | (flags | huge | PageFlags::PRESENT).bits();
                    if new != entry.raw() {
                        mem.write(parent, index, new);
                        *changed += 1;
                    }
                }
            }
        }
    }
    Ok(())
}
