//! Tearing an address space down: freeing the user half's pages and tables.

use crate::address::PhysAddr;
use crate::entry::Entry;
use crate::flags::PageFlags;
use crate::level::Level;
use crate::page_size::PageSize;
use crate::page_table::{is_huge_leaf, PageTable};
use crate::table_memory::TableMemory;
use crate::{ENTRIES_PER_TABLE, KERNEL_HALF_FIRST_INDEX};

impl PageTable {
    /// Removes every user-half mapping (PML4 entries 0..256), frees every
    /// table below them, and hands each mapped page to `free_leaf` with its
    /// flags, so the caller can tell owned frames from `SHARED`,
    /// `COPY_ON_WRITE` or `DEVICE` ones.
    ///
    /// The PML4 itself and the shared kernel half stay. Call this only when no
    /// CPU can be running on this address space any more: tables are freed at
    /// once, with no TLB shootdown.
    pub fn free_user_half<M, F>(&mut self, mem: &mut M, mut free_leaf: F)
    where
        M: TableMemory + ?Sized,
        F: FnMut(PhysAddr, PageSize, PageFlags),
    {
        for index in 0..KERNEL_HALF_FIRST_INDEX {
            let entry = Entry::from_raw(mem.read(self.root(), index));
            if entry.is_present() {
                free_table_tree(mem, entry.address(), Level::Pdpt, &mut free_leaf);
                mem.write(self.root(), index, Entry::EMPTY.raw());
            }
        }
    }

    /// Frees the user half as [`Self::free_user_half`] does, then the PML4.
    /// The kernel half's tables are shared with every other address space and
    /// are not touched.
    pub fn destroy<M, F>(mut self, mem: &mut M, free_leaf: F)
    where
        M: TableMemory + ?Sized,
        F: FnMut(PhysAddr, PageSize, PageFlags),
    {
        self.free_user_half(mem, free_leaf);
        mem.free_table(self.root());
    }
}

/// Frees `table` (at `level`), everything below it, and reports its leaves.
fn free_table_tree<M, F>(mem: &mut M, table: PhysAddr, level: Level, free_leaf: &mut F)
where
    M: TableMemory + ?Sized,
    F: FnMut(PhysAddr, PageSize, PageFlags),
{
    for index in 0..ENTRIES_PER_TABLE {
        let entry = Entry::from_raw(mem.read(table, index));
        if !entry.is_present() {
            continue;
        }
        match level.lower() {
            Some(lower) if !is_huge_leaf(level, entry) => free_table_tree(mem, entry.address(), lower, free_leaf),
            _ => {
                if let Some(size) = level.leaf_size() {
                    free_leaf(entry.page_address(size), size, entry.flags() - PageFlags::HUGE);
                }
            }
        }
    }
    mem.free_table(table);
}
