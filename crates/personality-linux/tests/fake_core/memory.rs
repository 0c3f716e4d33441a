//! How the fake core implements `MemoryOps` (the caller's address space:
//! mappings, locked memory, residency).

use super::*;

/// Where the fake core has a mapping that grows down.
pub const GROWS_DOWN_START: u64 = 0x7000_0000;
pub const GROWS_DOWN_END: u64 = 0x7001_0000;

impl MemoryOps for FakeCore {
    // The break moves to any address above 0x60_0000; below it stays.
    fn brk(&mut self, new_end: u64) -> u64 {
        if new_end >= 0x60_0000 {
            self.proc_state.brk_end = new_end;
        }
        self.proc_state.brk_end
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
        // Recorded; placed at `addr` when fixed, else at 0x7000_0000.
        self.proc_state.mmaps.push(super::proc_state::MmapCall { addr, len, prot, flags, fd, offset });
        if len == 0 {
            return Err(Error::InvalidArgument);
        }
        Ok(if flags.fixed || flags.fixed_no_replace { addr } else { 0x7000_0000 })
    }
    fn munmap(&mut self, addr: u64, len: u64) -> KResult<()> {
        self.proc_state.memory_log.push(format!("munmap {addr:#x} {len:#x}"));
        Ok(())
    }
    // The fake's one grows-down mapping: [GROWS_DOWN_START, GROWS_DOWN_END).
    fn grows_down_start(&mut self, addr: u64) -> KResult<u64> {
        self.proc_state.memory_log.push(format!("grows_down_start {addr:#x}"));
        if (GROWS_DOWN_START..GROWS_DOWN_END).contains(&addr) {
            Ok(GROWS_DOWN_START)
        } else {
            Err(Error::InvalidArgument)
        }
    }
    fn mprotect(&mut self, addr: u64, len: u64, prot: Protection) -> KResult<()> {
        let Protection { read, write, execute } = prot;
        self.proc_state.memory_log.push(format!("mprotect {addr:#x} {len:#x} r{read} w{write} x{execute}"));
        Ok(())
    }
    // An unaligned start is EINVAL, as the kernel core answers.
    fn sync_mappings(&mut self, addr: u64, len: u64, invalidate: bool) -> KResult<()> {
        if !addr.is_multiple_of(4096) {
            return Err(Error::InvalidArgument);
        }
        self.proc_state.memory_log.push(format!("sync {addr:#x} {len:#x} {invalidate}"));
        Ok(())
    }
    fn discard_pages(&mut self, addr: u64, len: u64) -> KResult<()> {
        self.proc_state.memory_log.push(format!("discard {addr:#x} {len:#x}"));
        Ok(())
    }
    // Recorded; answers the fixed address, else the old one. As the kernel
    // core: an unaligned address, no new length, or a fixed target without
    // leave to move are EINVAL.
    fn mremap(
        &mut self,
        old: u64,
        old_len: u64,
        new_len: u64,
        may_move: bool,
        fixed: Option<u64>,
        dont_unmap: bool,
    ) -> KResult<u64> {
        self.proc_state.mremaps.push((old, old_len, new_len, may_move, fixed, dont_unmap));
        if !old.is_multiple_of(4096) || new_len == 0 || fixed.is_some() && !may_move {
            return Err(Error::InvalidArgument);
        }
        Ok(fixed.unwrap_or(old))
    }
    fn unlock_memory(&mut self, addr: u64, len: u64) -> KResult<()> {
        self.proc_state.memory_log.push(format!("unlock {addr:#x} {len:#x}"));
        Ok(())
    }
    fn unlock_all_memory(&mut self) -> KResult<()> {
        self.proc_state.memory_log.push("unlock_all".into());
        Ok(())
    }
    fn set_wipe_on_fork(&mut self, addr: u64, end: u64, wipe: bool) -> KResult<()> {
        self.proc_state.memory_log.push(format!("wipe_on_fork {addr:#x} {end:#x} {wipe}"));
        Ok(())
    }
    fn memory_regions(&mut self, addr: u64, end: u64) -> Vec<MemoryRegion> {
        self.proc_state.regions.iter().filter(|r| r.end > addr && r.start < end).copied().collect()
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
