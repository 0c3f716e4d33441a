//! mmap, munmap, mprotect and madvise, with FreeBSD's flag values
//! (sys/sys/mman.h).

use kernel_ops::{Error, KResult, KernelOps, MapFlags, Protection};

const PROT_READ: u32 = 1;
const PROT_WRITE: u32 = 2;
const PROT_EXEC: u32 = 4;

const MAP_SHARED: u32 = 0x1;
const MAP_PRIVATE: u32 = 0x2;
const MAP_FIXED: u32 = 0x10;
const MAP_HASSEMAPHORE: u32 = 0x200;
const MAP_STACK: u32 = 0x400;
const MAP_NOSYNC: u32 = 0x800;
const MAP_ANON: u32 = 0x1000;
const MAP_GUARD: u32 = 0x2000;
const MAP_EXCL: u32 = 0x4000;
const MAP_NOCORE: u32 = 0x20000;
const MAP_PREFAULT_READ: u32 = 0x40000;
const MAP_32BIT: u32 = 0x80000;
/// MAP_ALIGNED(n): the mapping aligned to 2^n (0: none, 1: superpage).
const MAP_ALIGNMENT_MASK: u32 = 0xff << 24;

/// Every flag FreeBSD knows; the rest (0x20 to 0x100 were old flags) is EINVAL.
const KNOWN: u32 = MAP_SHARED
    | MAP_PRIVATE
    | MAP_FIXED
    | MAP_HASSEMAPHORE
    | MAP_STACK
    | MAP_NOSYNC
    | MAP_ANON
    | MAP_GUARD
    | MAP_EXCL
    | MAP_NOCORE
    | MAP_PREFAULT_READ
    | MAP_32BIT
    | MAP_ALIGNMENT_MASK;

fn protection(raw: u64) -> KResult<Protection> {
    let raw = raw as u32;
    if raw & !(PROT_READ | PROT_WRITE | PROT_EXEC) != 0 {
        return Err(Error::InvalidArgument);
    }
    Ok(Protection { read: raw & PROT_READ != 0, write: raw & PROT_WRITE != 0, execute: raw & PROT_EXEC != 0 })
}

/// mmap(addr, len, prot, flags, fd, offset). An address without
/// MAP_FIXED is a hint, taken when that range is free (Go's heap asks for
/// 0xc000000000 so). MAP_GUARD reserves address space nothing may touch;
/// an alignment request is met only as far as the core's placement meets
/// it (page alignment), which no program found so far depends on.
pub fn mmap(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let raw = a[3] as u32;
    if raw & !KNOWN != 0 {
        return Err(Error::InvalidArgument);
    }
    let guard = raw & MAP_GUARD != 0;
    let anonymous = raw & MAP_ANON != 0 || guard;
    let prot = protection(a[2])?;
    if guard && (a[2] as u32 != 0 || raw & !(MAP_GUARD | MAP_FIXED | MAP_EXCL | MAP_ALIGNMENT_MASK) != 0) {
        return Err(Error::InvalidArgument); // a guard is PROT_NONE and nothing else
    }
    let shared = raw & MAP_SHARED != 0;
    if shared && raw & MAP_PRIVATE != 0 {
        return Err(Error::InvalidArgument);
    }
    if raw & MAP_EXCL != 0 && raw & MAP_FIXED == 0 {
        return Err(Error::InvalidArgument);
    }
    if anonymous && !guard && (a[4] as i32 != -1 || a[5] != 0) {
        return Err(Error::InvalidArgument);
    }
    let flags = MapFlags {
        shared,
        fixed: raw & MAP_FIXED != 0,
        fixed_no_replace: raw & MAP_EXCL != 0,
        anonymous,
        populate: raw & MAP_PREFAULT_READ != 0,
        grows_down: false,
    };
    let fd = if anonymous { None } else { Some(a[4] as i32) };
    match ops.mmap(a[0], a[1], prot, flags, fd, if anonymous { 0 } else { a[5] }) {
        // MAP_EXCL over a mapping: FreeBSD says EINVAL, not EEXIST.
        Err(Error::Exists) if flags.fixed_no_replace => Err(Error::InvalidArgument),
        other => other,
    }
}

pub fn munmap(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.munmap(a[0], a[1]).map(|_| 0)
}

pub fn mprotect(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.mprotect(a[0], a[1], protection(a[2])?).map(|_| 0)
}

/// The last advice FreeBSD knows (MADV_PROTECT).
const MADV_LAST: u64 = 10;

/// madvise(addr, len, advice): checked, then taken as the hint it is.
/// FreeBSD's advice never changes what a mapping holds (MADV_DONTNEED
/// and MADV_FREE only let the pages go if memory is short, and a later
/// read sees the old contents or zeros alike for MADV_FREE), so not
/// acting on it is a faithful answer.
pub fn madvise(_ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[2] > MADV_LAST || !a[0].is_multiple_of(4096) || a[0].checked_add(a[1]).is_none() {
        return Err(Error::InvalidArgument);
    }
    Ok(0)
}
