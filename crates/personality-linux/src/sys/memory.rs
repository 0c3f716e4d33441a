//! Address-space calls.

use kernel_ops::{Error, KResult, KernelOps, MapFlags, Protection};
use linux_abi::mman::*;

/// mmap's prot: Linux uses only the read, write and execute bits and
/// ignores the rest (no EINVAL for unknown bits, unlike mprotect).
fn protection(raw: u64) -> Protection {
    let raw = raw as u32;
    Protection { read: raw & PROT_READ != 0, write: raw & PROT_WRITE != 0, execute: raw & PROT_EXEC != 0 }
}

pub fn mmap(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let prot = protection(a[2]);
    let raw = a[3] as u32;
    let kind = raw & MAP_TYPE;
    if kind != MAP_PRIVATE && kind != MAP_SHARED && kind != MAP_SHARED_VALIDATE {
        return Err(Error::InvalidArgument);
    }
    let flags = MapFlags {
        shared: kind != MAP_PRIVATE,
        fixed: raw & MAP_FIXED != 0,
        fixed_no_replace: raw & MAP_FIXED_NOREPLACE != 0,
        anonymous: raw & MAP_ANONYMOUS != 0,
        populate: raw & MAP_POPULATE != 0,
        grows_down: raw & MAP_GROWSDOWN != 0,
    };
    // MAP_SHARED_VALIDATE refuses flags it does not know for a file
    // mapping (EOPNOTSUPP), Linux's LEGACY_MAP_MASK being what it knows;
    // MAP_SYNC is only for DAX files, which there are none of.
    const KNOWN: u32 = MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | 0x40 /* MAP_32BIT */ | MAP_GROWSDOWN | 0x800 /* MAP_DENYWRITE */ | 0x1000 /* MAP_EXECUTABLE */
        | MAP_LOCKED | 0x4000 /* MAP_NORESERVE */ | MAP_POPULATE | 0x10000 /* MAP_NONBLOCK */ | 0x20000 /* MAP_STACK */ | 0x40000 /* MAP_HUGETLB */
        | MAP_FIXED_NOREPLACE | 0x400_0000 /* MAP_UNINITIALIZED */ | 0xfc00_0000 /* MAP_HUGE_MASK */;
    if kind == MAP_SHARED_VALIDATE && !flags.anonymous && raw & !KNOWN != 0 {
        return Err(Error::NotSupported);
    }
    let fd = if flags.anonymous { None } else { Some(a[4] as i32) };
    let addr = ops.mmap(a[0], a[1], prot, flags, fd, if flags.anonymous { 0 } else { a[5] })?;
    // MAP_LOCKED: locked as mlock would (faulted in, counted against
    // RLIMIT_MEMLOCK); past the limit the mapping is undone and the call
    // is EAGAIN, as Linux.
    if raw & MAP_LOCKED != 0 {
        if let Err(e) = ops.lock_memory(addr, a[1], false) {
            let _ = ops.munmap(addr, a[1]);
            return Err(if e == Error::NoMemory || e == Error::NotPermitted { Error::WouldBlock } else { e });
        }
    }
    Ok(addr)
}

pub fn munmap(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.munmap(a[0], a[1]).map(|_| 0)
}

/// mprotect checks in Linux's order (do_mprotect_pkey): both grow
/// directions, then the address's alignment, then an empty range succeeds
/// whatever the protection, then a range wrapping around is ENOMEM, and
/// only then are bits other than read, write, execute and PROT_SEM EINVAL.
/// PROT_GROWSUP is EINVAL on x86_64, which has no mappings growing up.
/// PROT_GROWSDOWN extends the change down to the start of the mapping
/// holding `addr`, which must grow down (EINVAL otherwise): glibc makes
/// the stack executable so for a library that asks for one.
pub fn mprotect(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    const PAGE: u64 = 4096;
    let raw = a[2] as u32;
    let (addr, len) = (a[0], a[1]);
    if raw & (PROT_GROWSDOWN | PROT_GROWSUP) == PROT_GROWSDOWN | PROT_GROWSUP || addr % PAGE != 0 {
        return Err(Error::InvalidArgument);
    }
    if len == 0 {
        return Ok(0);
    }
    let end = len.checked_add(PAGE - 1).map(|l| l & !(PAGE - 1)).and_then(|l| addr.checked_add(l));
    if end.is_none_or(|e| e <= addr) {
        return Err(Error::NoMemory);
    }
    if raw & !(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM | PROT_GROWSDOWN | PROT_GROWSUP) != 0
        || raw & PROT_GROWSUP != 0
    {
        return Err(Error::InvalidArgument);
    }
    let (start, len) = if raw & PROT_GROWSDOWN != 0 {
        let start = ops.grows_down_start(addr)?;
        (start, len + (addr - start))
    } else {
        (addr, len)
    };
    ops.mprotect(start, len, protection(a[2])).map(|_| 0)
}

/// MREMAP_DONTUNMAP moves the pages and leaves the old range mapped but
/// empty (userfaultfd-based garbage collectors and checkpointing use it).
/// Linux's rules (check_mremap_params): it needs MREMAP_MAYMOVE and the
/// same old and new length; like MREMAP_FIXED it takes the new address
/// (a hint without MREMAP_FIXED) and refuses one not page-aligned, too
/// high, or overlapping the old range.
pub fn mremap(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    const MREMAP_MAYMOVE: u64 = 1;
    const MREMAP_FIXED: u64 = 2;
    const MREMAP_DONTUNMAP: u64 = 4;
    const PAGE: u64 = 4096;
    let flags = a[3];
    if flags & !(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP) != 0 {
        return Err(Error::InvalidArgument);
    }
    let dont_unmap = flags & MREMAP_DONTUNMAP != 0;
    if dont_unmap {
        let round = |v: u64| v.checked_add(PAGE - 1).map(|x| x & !(PAGE - 1));
        let (old, new_addr) = (a[0], a[4]);
        let (old_len, new_len) = (round(a[1]), round(a[2]));
        if old % PAGE != 0 || new_len == Some(0) || new_addr % PAGE != 0 || flags & MREMAP_MAYMOVE == 0 {
            return Err(Error::InvalidArgument);
        }
        let (Some(old_len), Some(new_len)) = (old_len, new_len) else { return Err(Error::InvalidArgument) };
        let overlaps = old.saturating_add(old_len) > new_addr && new_addr.saturating_add(new_len) > old;
        if old_len != new_len || overlaps {
            return Err(Error::InvalidArgument);
        }
    }
    let fixed = (flags & MREMAP_FIXED != 0).then_some(a[4]);
    ops.mremap(a[0], a[1], a[2], flags & MREMAP_MAYMOVE != 0, fixed, dont_unmap)
}

pub fn brk(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    Ok(ops.brk(a[0]))
}

pub fn msync(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    const MS_ASYNC: u64 = 1;
    const MS_INVALIDATE: u64 = 2;
    const MS_SYNC: u64 = 4;
    if a[2] & !(MS_ASYNC | MS_INVALIDATE | MS_SYNC) != 0 || a[2] & (MS_ASYNC | MS_SYNC) == (MS_ASYNC | MS_SYNC) {
        return Err(Error::InvalidArgument);
    }
    ops.sync_mappings(a[0], a[1], a[2] & MS_INVALIDATE != 0).map(|_| 0)
}

/// The advice values Linux knows that this kernel takes. KSM's
/// (MERGEABLE, UNMERGEABLE) are EINVAL as on a Linux without KSM; the
/// memory-failure injections (HWPOISON, SOFT_OFFLINE) as without
/// CONFIG_MEMORY_FAILURE.
fn advice_known(advice: u32) -> bool {
    matches!(advice, 0..=4 | 8..=11 | 14..=25)
}

const MADV_WIPEONFORK: u32 = 18;
const MADV_KEEPONFORK: u32 = 19;
const MADV_COLD: u32 = 20;
const MADV_PAGEOUT: u32 = 21;
const MADV_DONTNEED_LOCKED: u32 = 24;

/// Linux's per-region refusals: what may not be dropped while locked,
/// MADV_FREE only for private anonymous memory, MADV_REMOVE only for
/// shared files, MADV_WIPEONFORK only for private anonymous memory.
fn region_refusal(advice: u32, r: &kernel_ops::MemoryRegion) -> Option<Error> {
    match advice {
        MADV_DONTNEED | MADV_COLD | MADV_PAGEOUT if r.locked => Some(Error::InvalidArgument),
        MADV_FREE if r.locked || r.file || r.shared => Some(Error::InvalidArgument),
        MADV_REMOVE if r.locked || !r.file => Some(Error::InvalidArgument),
        MADV_REMOVE if !r.shared => Some(Error::PermissionDenied),
        MADV_WIPEONFORK if r.file || r.shared => Some(Error::InvalidArgument),
        _ => None,
    }
}

/// madvise: the advice and range checked as Linux checks them (EINVAL
/// for unknown advice, an unaligned start or a wrapping length), then
/// region by region; pages not mapped make the answer ENOMEM after the
/// mapped ones have been advised. MADV_DONTNEED and MADV_FREE drop
/// private pages, MADV_WIPEONFORK/KEEPONFORK choose what a forked child
/// sees; the rest is advice about access patterns and paging, with
/// nothing to act on in memory that is never swapped.
pub fn madvise(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (start, len, advice) = (a[0], a[1], a[2] as u32);
    if !advice_known(advice) || start % 4096 != 0 {
        return Err(Error::InvalidArgument);
    }
    let aligned = len.checked_add(4095).ok_or(Error::InvalidArgument)? & !4095;
    let end = start.checked_add(aligned).ok_or(Error::InvalidArgument)?;
    if end == start {
        return Ok(0);
    }
    let regions = ops.memory_regions(start, end);
    let mut at = start;
    let mut unmapped = regions.is_empty();
    for r in &regions {
        if r.start > at {
            unmapped = true;
        }
        at = r.end;
        if let Some(e) = region_refusal(advice, r) {
            return Err(e);
        }
    }
    if at < end {
        unmapped = true;
    }
    if matches!(advice, MADV_DONTNEED | MADV_FREE | MADV_DONTNEED_LOCKED) {
        for r in &regions {
            ops.discard_pages(r.start, r.end - r.start)?;
        }
    }
    if matches!(advice, MADV_WIPEONFORK | MADV_KEEPONFORK) {
        for r in &regions {
            ops.set_wipe_on_fork(r.start, r.end, advice == MADV_WIPEONFORK)?;
        }
    }
    if unmapped {
        return Err(Error::NoMemory);
    }
    Ok(0)
}
