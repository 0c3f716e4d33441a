//! The caller's address space: mappings, locked memory, residency: one part
//! of the core's surface, [`crate::KernelOps`].

use crate::{Error, Fd, KResult, MapFlags, MemoryRegion, Protection};
use alloc::vec::Vec;

/// The caller's address space: the break, mappings and their protection,
/// locked memory, residency and fork behaviour. Cores without the later
/// ones (test fakes) answer `NotImplemented`.
pub trait MemoryOps {
    fn brk(&mut self, new_end: u64) -> u64;
    fn mmap(
        &mut self,
        addr: u64,
        len: u64,
        prot: Protection,
        flags: MapFlags,
        fd: Option<Fd>,
        offset: u64,
    ) -> KResult<u64>;
    fn munmap(&mut self, addr: u64, len: u64) -> KResult<()>;
    fn mprotect(&mut self, addr: u64, len: u64, prot: Protection) -> KResult<()>;
    /// The start of the mapping holding `addr`, which must grow down (the
    /// main stack, a MAP_GROWSDOWN mapping): where mprotect's
    /// PROT_GROWSDOWN extends a change down to. `InvalidArgument` for a
    /// mapping that does not grow down, `NoMemory` where nothing is mapped.
    fn grows_down_start(&mut self, addr: u64) -> KResult<u64>;
    /// Drops the pages of private mappings in the range: the next touch
    /// sees fresh zeros (anonymous) or the file again (MADV_DONTNEED).
    fn discard_pages(&mut self, addr: u64, len: u64) -> KResult<()>;
    /// Writes shared file mappings in the range back to their files (msync).
    /// `Busy` when `invalidate` meets locked memory, `NoMemory` when part
    /// of the range is not mapped (after syncing the rest), as Linux.
    fn sync_mappings(&mut self, addr: u64, len: u64, invalidate: bool) -> KResult<()>;
    /// `dont_unmap` (MREMAP_DONTUNMAP, only with `may_move` and equal
    /// lengths): the pages move, and the old range stays mapped as it
    /// was but empty (zeros for a private anonymous mapping; the file or
    /// shared object again for the others).
    fn mremap(
        &mut self,
        old: u64,
        old_len: u64,
        new_len: u64,
        may_move: bool,
        fixed: Option<u64>,
        dont_unmap: bool,
    ) -> KResult<u64>;
    /// Locks the pages of `[addr, addr+len)` (page-aligned) in memory,
    /// faulting them in unless `on_fault`. Unmapped pages in the range are
    /// `NoMemory`; RLIMIT_MEMLOCK applies to unprivileged callers (0:
    /// `NotPermitted`, exceeded: `NoMemory`).
    fn lock_memory(&mut self, addr: u64, len: u64, on_fault: bool) -> KResult<()> {
        let _ = (addr, len, on_fault);
        Err(Error::NotImplemented)
    }
    /// Unlocks them (`NoMemory` when part of the range is unmapped).
    fn unlock_memory(&mut self, addr: u64, len: u64) -> KResult<()> {
        let _ = (addr, len);
        Err(Error::NotImplemented)
    }
    /// mlockall: locks every current mapping and/or every future one.
    fn lock_all_memory(&mut self, current: bool, future: bool, on_fault: bool) -> KResult<()> {
        let _ = (current, future, on_fault);
        Err(Error::NotImplemented)
    }
    /// munlockall: unlocks everything, future mappings included.
    fn unlock_all_memory(&mut self) -> KResult<()> {
        Err(Error::NotImplemented)
    }
    /// Whether each of `pages` pages from `addr` (page-aligned) is
    /// resident; `NoMemory` when one is not mapped.
    fn resident_pages(&mut self, addr: u64, pages: usize) -> KResult<Vec<bool>> {
        let _ = (addr, pages);
        Err(Error::NotImplemented)
    }
    /// The mapped stretches of `[addr, end)`, in order (gaps are unmapped).
    fn memory_regions(&mut self, addr: u64, end: u64) -> Vec<MemoryRegion> {
        let _ = (addr, end);
        Vec::new()
    }
    /// MADV_WIPEONFORK (`wipe`) and MADV_KEEPONFORK over `[addr, end)`:
    /// whether a forked child gets the range's private anonymous pages
    /// as fresh zeros.
    fn set_wipe_on_fork(&mut self, addr: u64, end: u64, wipe: bool) -> KResult<()> {
        let _ = (addr, end, wipe);
        Err(Error::NotImplemented)
    }
}
