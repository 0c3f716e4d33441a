//! How the kernel core implements `MemoryOps` (the caller's address space:
//! mappings, locked memory, residency).

use super::*;

const PAGE: u64 = 4096;

impl MemoryOps for CoreOps<'_> {
    fn brk(&mut self, new_end: u64) -> u64 {
        let mm = self.mm();
        if new_end != 0 && new_end < mm.lock().brk {
            // Memory given back may have been the peak (getrusage).
            crate::task::usage::sample_peak_rss(self.process);
        }
        let mut a = mm.lock();
        if new_end == 0 {
            return a.brk;
        }
        a.set_brk(new_end)
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
        if len == 0 || !offset.is_multiple_of(PAGE) {
            return Err(Error::InvalidArgument);
        }
        let len = len.checked_add(PAGE - 1).ok_or(Error::NoMemory)? & !(PAGE - 1);
        if len > crate::arch::layout::USER_END {
            return Err(Error::NoMemory);
        }
        let backing = match (flags.anonymous, fd) {
            (true, _) if flags.shared => Backing::Shared(SharedPages::new()),
            (true, _) => Backing::Anonymous,
            (false, Some(fd)) => {
                let file = self.file(fd)?;
                if !file.can_read() {
                    return Err(Error::PermissionDenied);
                }
                if flags.shared && prot.write && !file.can_write() {
                    return Err(Error::PermissionDenied);
                }
                match &file.object {
                    FileObject::Node(n) if flags.shared => {
                        // A memory file sealed against writes refuses a
                        // writable shared mapping, and a read-only one may
                        // never become writable.
                        let sealed = fs::memfd::forbids_writable_mapping(*n);
                        if sealed && prot.write {
                            return Err(Error::NotPermitted);
                        }
                        let hold = crate::mm::NodeHold::new(*n, file.path.clone());
                        Backing::SharedFile {
                            file: crate::mm::page_cache::SharedFile::new(hold, file.can_write() && !sealed),
                            offset,
                        }
                    }
                    FileObject::Node(n) => {
                        let size = fs::with_vfs(|v| v.metadata(*n))?.size;
                        Backing::File {
                            node: crate::mm::NodeHold::new(*n, file.path.clone()),
                            offset,
                            valid: size.saturating_sub(offset).min(len),
                        }
                    }
                    FileObject::Device(fs::Device::Zero) => Backing::Anonymous,
                    _ => return Err(Error::NoDevice),
                }
            }
            (false, None) => return Err(Error::BadDescriptor),
        };
        let mm = self.mm();
        let mut a = mm.lock();
        let start = if flags.fixed || flags.fixed_no_replace {
            if !addr.is_multiple_of(PAGE) {
                return Err(Error::InvalidArgument);
            }
            let end = addr.checked_add(len).ok_or(Error::NoMemory)?;
            if addr < crate::mm::USER_MIN || end > crate::arch::layout::USER_END {
                return Err(Error::NoMemory);
            }
            if !a.is_free(addr, end) {
                if flags.fixed_no_replace {
                    return Err(Error::Exists);
                }
                a.unmap(addr, end);
            }
            addr
        } else if addr != 0 && addr.is_multiple_of(PAGE) && addr.checked_add(len).is_some_and(|e| a.is_free(addr, e)) {
            addr
        } else {
            a.find_free(len).ok_or(Error::NoMemory)?
        };
        a.insert(
            start,
            Vma { end: start + len, prot, backing, pgoff: 0, is_stack: false, grows_down: flags.grows_down },
        );
        drop(a);
        mm.lock_if_future(start, start + len);
        Ok(start)
    }

    fn munmap(&mut self, addr: u64, len: u64) -> KResult<()> {
        if !addr.is_multiple_of(PAGE) || len == 0 {
            return Err(Error::InvalidArgument);
        }
        let end =
            addr.checked_add(len).and_then(|e| e.checked_add(PAGE - 1)).ok_or(Error::InvalidArgument)? & !(PAGE - 1);
        if end > crate::arch::layout::USER_END {
            return Err(Error::InvalidArgument);
        }
        crate::task::usage::sample_peak_rss(self.process);
        self.mm().lock().unmap(addr, end);
        Ok(())
    }

    fn grows_down_start(&mut self, addr: u64) -> KResult<u64> {
        match self.mm().lock().grows_down_start(addr) {
            Some(Ok(start)) => Ok(start),
            Some(Err(())) => Err(Error::InvalidArgument),
            None => Err(Error::NoMemory),
        }
    }

    fn mprotect(&mut self, addr: u64, len: u64, prot: Protection) -> KResult<()> {
        if !addr.is_multiple_of(PAGE) {
            return Err(Error::InvalidArgument);
        }
        let end = addr.checked_add(len).and_then(|e| e.checked_add(PAGE - 1)).ok_or(Error::NoMemory)? & !(PAGE - 1);
        if end == addr {
            return Ok(());
        }
        let mm = self.mm();
        let mut a = mm.lock();
        // A shared file mapping that may not write (the file was opened
        // read-only, or is a memory file sealed against writes) cannot be
        // made writable, as on Linux.
        let read_only_shared = |v: &Vma| match &v.backing {
            Backing::SharedFile { file, .. } => !file.is_writable(),
            // Attached with SHM_RDONLY.
            Backing::SysvShm(s) => !s.may_write,
            _ => false,
        };
        if prot.write && a.regions().any(|(s, v)| s < end && v.end > addr && read_only_shared(v)) {
            return Err(Error::PermissionDenied);
        }
        a.protect(addr, end, prot).map_err(|_| Error::NoMemory)
    }

    fn sync_mappings(&mut self, addr: u64, len: u64, invalidate: bool) -> KResult<()> {
        if !addr.is_multiple_of(PAGE) {
            return Err(Error::InvalidArgument);
        }
        let end = addr.checked_add(len).and_then(|e| e.checked_add(PAGE - 1)).ok_or(Error::NoMemory)? & !(PAGE - 1);
        if end == addr {
            return Ok(());
        }
        let mm = self.mm();
        let fully_mapped = {
            let a = mm.lock();
            if invalidate && a.locks.ranges.covered(addr, end) > 0 {
                return Err(Error::Busy);
            }
            a.covers(addr, end)
        };
        for (file, first, last) in mm.shared_files_in(addr, end.min(crate::arch::layout::USER_END)) {
            crate::mm::page_cache::write_back(file.hold.node, first, last);
        }
        if fully_mapped {
            Ok(())
        } else {
            Err(Error::NoMemory)
        }
    }

    fn discard_pages(&mut self, addr: u64, len: u64) -> KResult<()> {
        if !addr.is_multiple_of(PAGE) {
            return Err(Error::InvalidArgument);
        }
        let end =
            addr.checked_add(len).and_then(|e| e.checked_add(PAGE - 1)).ok_or(Error::InvalidArgument)? & !(PAGE - 1);
        crate::task::usage::sample_peak_rss(self.process);
        self.mm().lock().discard(addr, end.min(crate::arch::layout::USER_END));
        Ok(())
    }

    fn mremap(
        &mut self,
        old: u64,
        old_len: u64,
        new_len: u64,
        may_move: bool,
        fixed: Option<u64>,
        dont_unmap: bool,
    ) -> KResult<u64> {
        if !old.is_multiple_of(PAGE) || new_len == 0 {
            return Err(Error::InvalidArgument);
        }
        let round = |v: u64| v.checked_add(PAGE - 1).map(|x| x & !(PAGE - 1)).ok_or(Error::InvalidArgument);
        let (old_len, new_len) = (round(old_len)?, round(new_len)?);
        let mm = self.mm();
        let mut a = mm.lock();
        let region_end = a.region_end(old).ok_or(Error::Fault)?;
        let old_end = old.checked_add(old_len).ok_or(Error::Fault)?;
        let new_end = old.checked_add(new_len).ok_or(Error::NoMemory)?;
        if old_end > region_end || new_end > crate::arch::layout::USER_END {
            return Err(Error::Fault);
        }
        if dont_unmap {
            // The personality checked MREMAP_MAYMOVE and equal lengths.
            // Memory that is not the process's own pages (device memory,
            // the vDSO, a System V segment counting its attachments) is
            // refused, as Linux refuses VM_PFNMAP/VM_DONTEXPAND regions.
            let (_, vma) = a.regions().find(|(s, v)| *s <= old && v.end > old).ok_or(Error::Fault)?;
            if matches!(vma.backing, Backing::Device { .. } | Backing::Kernel(_) | Backing::SysvShm(_)) {
                return Err(Error::InvalidArgument);
            }
            let target = match fixed {
                Some(t) => {
                    if t % PAGE != 0
                        || t < crate::mm::USER_MIN
                        || t.checked_add(new_len).is_none_or(|e| e > crate::arch::layout::USER_END)
                    {
                        return Err(Error::InvalidArgument);
                    }
                    a.unmap(t, t + new_len);
                    t
                }
                None => a.find_free(new_len).ok_or(Error::NoMemory)?,
            };
            a.move_range_keeping_old(old, old_len, target);
            return Ok(target);
        }
        if let Some(target) = fixed {
            if target % PAGE != 0
                || !may_move
                || target.checked_add(new_len).is_none_or(|e| e > crate::arch::layout::USER_END)
                || target < crate::mm::USER_MIN
            {
                return Err(Error::InvalidArgument);
            }
            a.unmap(target, target + new_len);
            a.move_range(old, old_len.min(new_len), target);
            if old_len > new_len {
                a.unmap(old + new_len, old + old_len);
            } else if let Some(s) = a.region_start(target) {
                a.resize_region(s, target + new_len);
            }
            return Ok(target);
        }
        if new_len <= old_len {
            a.unmap(old + new_len, old + old_len);
            return Ok(old);
        }
        if region_end == old + old_len && a.is_free(old + old_len, old + new_len) {
            let s = a.region_start(old).ok_or(Error::Fault)?;
            a.resize_region(s, old + new_len);
            return Ok(old);
        }
        if !may_move {
            return Err(Error::NoMemory);
        }
        let target = a.find_free(new_len).ok_or(Error::NoMemory)?;
        a.move_range(old, old_len, target);
        let s = a.region_start(target).ok_or(Error::Fault)?;
        a.resize_region(s, target + new_len);
        Ok(target)
    }

    fn lock_memory(&mut self, addr: u64, len: u64, on_fault: bool) -> KResult<()> {
        crate::task::memory_lock::lock(self.process, addr, len, on_fault)
    }

    fn unlock_memory(&mut self, addr: u64, len: u64) -> KResult<()> {
        crate::task::memory_lock::unlock(self.process, addr, len)
    }

    fn lock_all_memory(&mut self, current: bool, future: bool, on_fault: bool) -> KResult<()> {
        crate::task::memory_lock::lock_all(self.process, current, future, on_fault)
    }

    fn unlock_all_memory(&mut self) -> KResult<()> {
        crate::task::memory_lock::unlock_all(self.process);
        Ok(())
    }

    fn resident_pages(&mut self, addr: u64, pages: usize) -> KResult<Vec<bool>> {
        let end = (pages as u64).checked_mul(PAGE).and_then(|len| addr.checked_add(len)).ok_or(Error::NoMemory)?;
        let mm = self.mm();
        let a = mm.lock();
        if !a.covers(addr, end) {
            return Err(Error::NoMemory);
        }
        Ok(a.resident_pages(addr, end))
    }

    fn memory_regions(&mut self, addr: u64, end: u64) -> Vec<MemoryRegion> {
        let mm = self.mm();
        let a = mm.lock();
        crate::mm::memory_lock::pieces(&a)
            .into_iter()
            .filter(|p| p.end > addr && p.start < end)
            .map(|p| MemoryRegion {
                start: p.start.max(addr),
                end: p.end.min(end),
                file: matches!(p.vma.backing, Backing::File { .. } | Backing::SharedFile { .. }),
                shared: p.vma.backing.is_shared(),
                locked: p.locked,
            })
            .collect()
    }

    fn set_wipe_on_fork(&mut self, addr: u64, end: u64, wipe: bool) -> KResult<()> {
        let mm = self.mm();
        let mut a = mm.lock();
        if wipe {
            a.wipe_on_fork.insert(addr, end);
        } else {
            a.wipe_on_fork.remove(addr, end);
        }
        Ok(())
    }
}
