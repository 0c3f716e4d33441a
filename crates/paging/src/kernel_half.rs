//! The kernel half (PML4 entries 256..512), shared by every address space.
//!
//! Sharing works by copying the kernel's PML4 entries into each new PML4, so
//! all of them point to the same PDPTs. A kernel mapping added later under an
//! existing PDPT is then seen everywhere at once; one that needed a *new* PML4
//! entry would be seen only by the kernel's own tree. Hence
//! [`PageTable::preallocate_kernel_half`], run once on the kernel's tree
//! before any address space copies it.

use crate::entry::Entry;
use crate::flags::PageFlags;
use crate::page_table::PageTable;
use crate::table_memory::{OutOfMemory, TableMemory};
use crate::{ENTRIES_PER_TABLE, KERNEL_HALF_FIRST_INDEX};

impl PageTable {
    /// Copies PML4 entries 256..512 from `kernel` into this tree, so this
    /// address space sees the kernel. Entries already present here are
    /// overwritten: the kernel half is not per-process.
    pub fn share_kernel_half<M: TableMemory + ?Sized>(&mut self, mem: &mut M, kernel: &PageTable) {
        for index in KERNEL_HALF_FIRST_INDEX..ENTRIES_PER_TABLE {
            let entry = mem.read(kernel.root(), index);
            mem.write(self.root(), index, entry);
        }
    }

    /// Gives every empty kernel-half PML4 entry an empty PDPT (256 tables,
    /// 1 MiB, at most), so that later kernel mappings never need a new PML4
    /// entry. The entries are `PRESENT | WRITABLE`, never `USER`.
    ///
    /// On `OutOfMemory` the PDPTs already added stay: each is a valid, empty
    /// table, and calling this again fills in the rest.
    pub fn preallocate_kernel_half<M: TableMemory + ?Sized>(&mut self, mem: &mut M) -> Result<(), OutOfMemory> {
        for index in KERNEL_HALF_FIRST_INDEX..ENTRIES_PER_TABLE {
            if Entry::from_raw(mem.read(self.root(), index)).is_present() {
                continue;
            }
            let pdpt = mem.alloc_table()?;
            let flags = PageFlags::PRESENT | PageFlags::WRITABLE;
            mem.write(self.root(), index, pdpt.as_u64() | flags.bits());
        }
        Ok(())
    }
}
