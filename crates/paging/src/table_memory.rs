//! How the page-table code reaches the frames that hold tables.

use crate::address::PhysAddr;

/// The frame allocator has no frame left for a new page table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutOfMemory;

/// Access to page-table frames by physical address.
///
/// This is the single seam between the pure model and real memory: the kernel
/// implements it over its direct physical map (the only `unsafe` involved is
/// there), the tests over a map of fake frames. `index` is always below 512.
pub trait TableMemory {
    /// Reads entry `index` of the table in frame `table`.
    fn read(&self, table: PhysAddr, index: usize) -> u64;
    /// Writes entry `index` of the table in frame `table`.
    fn write(&mut self, table: PhysAddr, index: usize, value: u64);
    /// Returns a 4 KiB-aligned, zero-filled frame for a new table.
    fn alloc_table(&mut self) -> Result<PhysAddr, OutOfMemory>;
    /// Gives back a frame obtained from `alloc_table` that no entry points to any more.
    fn free_table(&mut self, table: PhysAddr);
}
