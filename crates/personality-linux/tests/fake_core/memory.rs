//! How the fake core implements `MemoryOps` (the caller's address space:
//! mappings, locked memory, residency).

use super::*;

impl MemoryOps for FakeCore {
    fn brk(&mut self, new_end: u64) -> u64 {
        unimplemented!("fake core: brk")
    }
    fn mmap(
        &mut self,
        addr: u64,
        len: u64,
        prot: Protection,
        flags: MapFlags,
        fd: Option<Fd>,
        offset: u64,
    ) -> KResult<u64> {
        unimplemented!("fake core: mmap")
    }
    fn munmap(&mut self, addr: u64, len: u64) -> KResult<()> {
        unimplemented!("fake core: munmap")
    }
    fn mprotect(&mut self, addr: u64, len: u64, prot: Protection) -> KResult<()> {
        unimplemented!("fake core: mprotect")
    }
    fn sync_mappings(&mut self, addr: u64, len: u64, _invalidate: bool) -> KResult<()> {
        unimplemented!("fake core: sync_mappings")
    }
    fn discard_pages(&mut self, addr: u64, len: u64) -> KResult<()> {
        unimplemented!("fake core: discard_pages")
    }
    fn mremap(&mut self, old: u64, old_len: u64, new_len: u64, may_move: bool, fixed: Option<u64>) -> KResult<u64> {
        unimplemented!("fake core: mremap")
    }
    // Locked memory: every change is recorded in `log`.
    fn lock_memory(&mut self, addr: u64, len: u64, on_fault: bool) -> KResult<()> {
        self.log.push(format!("lock_memory {addr:#x} {len:#x} {on_fault}"));
        Ok(())
    }
    fn lock_all_memory(&mut self, current: bool, future: bool, on_fault: bool) -> KResult<()> {
        self.log.push(format!("lock_all_memory {current} {future} {on_fault}"));
        Ok(())
    }
    fn resident_pages(&mut self, addr: u64, pages: usize) -> KResult<Vec<bool>> {
        Ok((0..pages).map(|i| i % 2 == 0).collect())
    }
}
