//! Memory objects and mappings.

use super::{check, unit, Error, Syscall};
use crate::syscall::{syscall2, syscall3, syscall6};

/// Allocates `pages` zeroed pages (`flags`: 0 or `abi::MEM_DMA`). Returns
/// the slot of a Memory (or Dma) capability with all rights.
pub fn mem_alloc(pages: u64, flags: u64) -> Result<u64, Error> {
    check(syscall2(Syscall::MemAlloc.nr(), pages, flags))
}

/// Maps `pages` pages of `mem`, from page `offset`, at `vaddr` in `aspace`
/// with `prot` (`abi::PROT_*`). The range must be free, so this cannot
/// replace memory already in use.
pub fn mem_map(aspace: u64, mem: u64, vaddr: u64, offset: u64, pages: u64, prot: u64) -> Result<(), Error> {
    unit(syscall6(Syscall::MemMap.nr(), aspace, mem, vaddr, offset, pages, prot))
}

/// Unmaps `pages` pages at `vaddr` in `aspace`.
///
/// # Safety
///
/// When `aspace` is the caller's own address space, nothing in the range
/// may still be in use: no reference, heap block or stack may point there.
pub unsafe fn mem_unmap(aspace: u64, vaddr: u64, pages: u64) -> Result<(), Error> {
    unit(syscall3(Syscall::MemUnmap.nr(), aspace, vaddr, pages))
}

/// The physical address of page `page` of a Dma capability.
pub fn mem_phys(dma: u64, page: u64) -> Result<u64, Error> {
    check(syscall2(Syscall::MemPhys.nr(), dma, page))
}
