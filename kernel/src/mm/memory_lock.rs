//! Locked memory of an address space (mlock, mlockall): accounting only.
//!
//! Nothing is ever swapped out, so a lock changes no paging. What Linux
//! shows of it is kept: which ranges are locked (merged, so locking twice
//! counts once; unmapping drops the lock; mremap moves it), the total
//! against RLIMIT_MEMLOCK and in VmLck, and whether new mappings are
//! locked too (MCL_FUTURE). Locking faults the pages in, as Linux does,
//! unless asked to wait for the faults (MLOCK_ONFAULT, MCL_ONFAULT).

use super::{Access, Backing, Mm};
use alloc::vec::Vec;
use range_set::RangeSet;

const PAGE: u64 = 4096;

pub struct MemoryLocks {
    pub ranges: RangeSet,
    /// After mlockall(MCL_FUTURE): new mappings are locked; the flag says
    /// whether they are left to fault in (MCL_ONFAULT).
    pub future: Option<bool>,
}

impl MemoryLocks {
    pub const fn new() -> MemoryLocks {
        MemoryLocks { ranges: RangeSet::new(), future: None }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockError {
    /// Part of the range is not mapped.
    Unmapped,
    /// The lock would pass the caller's limit.
    OverLimit,
}

impl Mm {
    /// Locks `[start, end)` (page aligned); `limit` is the most that may
    /// be locked in all (None: no limit, a privileged caller).
    pub fn lock_range(&self, start: u64, end: u64, limit: Option<u64>, on_fault: bool) -> Result<(), LockError> {
        {
            let mut a = self.lock();
            let already = a.locks.ranges.covered(start, end);
            let after = a.locks.ranges.total() - already + (end - start);
            if limit.is_some_and(|l| after > l) {
                return Err(LockError::OverLimit);
            }
            if !a.covers(start, end) {
                return Err(LockError::Unmapped);
            }
            a.locks.ranges.insert(start, end);
        }
        if !on_fault {
            self.populate(start, end);
        }
        Ok(())
    }

    pub fn unlock_range(&self, start: u64, end: u64) -> Result<(), LockError> {
        let mut a = self.lock();
        if !a.covers(start, end) {
            return Err(LockError::Unmapped);
        }
        a.locks.ranges.remove(start, end);
        Ok(())
    }

    /// mlockall: every mapping now (`current`) and/or every later one
    /// (`future`); without `future`, later mappings are no longer locked.
    pub fn lock_all(&self, current: bool, future: bool, on_fault: bool, limit: Option<u64>) -> Result<(), LockError> {
        let regions = {
            let mut a = self.lock();
            let regions = lockable_regions(&a);
            if current && limit.is_some_and(|l| a.sizes().0 > l) {
                return Err(LockError::OverLimit);
            }
            a.locks.future = future.then_some(on_fault);
            if current {
                for &(s, e) in &regions {
                    a.locks.ranges.insert(s, e);
                }
            }
            regions
        };
        if current && !on_fault {
            // The stack region is reserved whole here but grows on Linux,
            // whose stack VMA holds only what is in use (resident
            // already): its untouched reserve is not faulted in.
            let stacks: Vec<u64> = self.lock().vmas().filter(|(_, v)| v.is_stack).map(|(s, _)| s).collect();
            for (s, e) in regions.into_iter().filter(|(s, _)| !stacks.contains(s)) {
                self.populate(s, e);
            }
        }
        Ok(())
    }

    pub fn unlock_all(&self) {
        let mut a = self.lock();
        a.locks.ranges.clear();
        a.locks.future = None;
    }

    /// A new mapping at `[start, end)`: locked when mlockall(MCL_FUTURE)
    /// asked for it.
    pub fn lock_if_future(&self, start: u64, end: u64) {
        let future = {
            let mut a = self.lock();
            let future = a.locks.future;
            if future.is_some() {
                a.locks.ranges.insert(start, end);
            }
            future
        };
        if future == Some(false) {
            self.populate(start, end);
        }
    }

    /// Faults in every accessible page of `[start, end)` as a touch would
    /// (a write for private writable memory, so copy-on-write is broken
    /// as Linux's populate does). Errors are left for the real touch.
    fn populate(&self, start: u64, end: u64) {
        let plan: Vec<(u64, u64, Access)> = {
            let a = self.lock();
            a.vmas()
                .filter(|(s, v)| v.end > start && *s < end && !matches!(v.backing, Backing::Kernel(_)))
                .filter_map(|(s, v)| {
                    let access = if v.prot.write && !v.backing.is_shared() {
                        Access::Write
                    } else if v.prot.read || v.prot.write {
                        Access::Read
                    } else if v.prot.execute {
                        Access::Execute
                    } else {
                        return None;
                    };
                    Some((s.max(start), v.end.min(end), access))
                })
                .collect()
        };
        for (s, e, access) in plan {
            let mut page = s;
            while page < e {
                let _ = self.handle_fault(page, access);
                page += PAGE;
            }
        }
    }
}

/// The regions mlockall locks: all but the kernel's own pages (the vDSO),
/// which Linux does not lock either.
fn lockable_regions(a: &super::AddressSpace) -> Vec<(u64, u64)> {
    a.vmas().filter(|(_, v)| !matches!(v.backing, Backing::Kernel(_))).map(|(s, v)| (s, v.end)).collect()
}

/// A part of a region that is wholly locked or wholly unlocked.
pub struct Piece<'a> {
    pub start: u64,
    pub end: u64,
    /// Where the region it belongs to starts.
    pub region_start: u64,
    pub vma: &'a super::Vma,
    pub locked: bool,
}

/// The address space's regions split where a lock starts or ends, as
/// Linux splits a VMA that is partly mlocked (maps, smaps, madvise).
pub fn pieces(a: &super::AddressSpace) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    for (start, vma) in a.vmas() {
        let mut at = start;
        for (ls, le) in a.locks.ranges.iter().filter(|&(ls, le)| le > start && ls < vma.end) {
            let (ls, le) = (ls.max(start), le.min(vma.end));
            if ls > at {
                out.push(Piece { start: at, end: ls, region_start: start, vma, locked: false });
            }
            out.push(Piece { start: ls, end: le, region_start: start, vma, locked: true });
            at = le;
        }
        if at < vma.end {
            out.push(Piece { start: at, end: vma.end, region_start: start, vma, locked: false });
        }
    }
    out
}
