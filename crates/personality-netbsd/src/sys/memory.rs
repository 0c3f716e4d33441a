//! mmap, munmap, mprotect and madvise, with NetBSD's flag values
//! (sys/sys/mman.h). mmap's offset is its seventh argument, on the user
//! stack: the sixth register carries a pad (syscalls.master's `long PAD`).

use crate::arch::syscall_abi::stack_argument_address;
use kernel_ops::{Error, KResult, KernelOps, MapFlags, Protection};

const PROT_READ: u32 = 1;
const PROT_WRITE: u32 = 2;
const PROT_EXEC: u32 = 4;

const MAP_SHARED: u32 = 0x1;
const MAP_PRIVATE: u32 = 0x2;
const MAP_FIXED: u32 = 0x10;
const MAP_ANON: u32 = 0x1000;
/// MAP_ALIGNED(n): the mapping aligned to 2^n.
const MAP_ALIGNMENT_MASK: u32 = 0xff << 24;
const MAP_ALIGNMENT_SHIFT: u32 = 24;
const PAGE_SHIFT: u32 = 12;

fn protection(raw: u64) -> KResult<Protection> {
    let raw = raw as u32;
    // PROT_MPROTECT(x) (PaX: x << 3, the most a later mprotect may
    // give) is accepted and not kept: nothing here restricts mprotect.
    let raw = raw & 0x7;
    Ok(Protection { read: raw & PROT_READ != 0, write: raw & PROT_WRITE != 0, execute: raw & PROT_EXEC != 0 })
}

/// mmap(addr, len, prot, flags, fd, PAD, pos). An address without
/// MAP_FIXED is a hint, taken when that range is free (Go's heap asks
/// for 0xc000000000 so). MAP_SHARED with MAP_PRIVATE is EINVAL, as is
/// MAP_ANON with a descriptor other than -1. Flags without an effect
/// here (MAP_STACK, MAP_NORESERVE, MAP_INHERIT, MAP_HASSEMAPHORE,
/// MAP_TRYFIXED, MAP_WIRED) are accepted; an alignment above a page
/// (MAP_ALIGNED) is not met and is refused with one log line.
pub fn mmap(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let mut pos = [0u8; 8];
    let at = stack_argument_address(ops.context(), 0);
    ops.copy_in(at, &mut pos)?;
    let pos = u64::from_le_bytes(pos);
    let raw = a[3] as u32;
    let shared = raw & MAP_SHARED != 0;
    if shared && raw & MAP_PRIVATE != 0 {
        return Err(Error::InvalidArgument);
    }
    let anonymous = raw & MAP_ANON != 0;
    if anonymous && a[4] as i32 != -1 {
        return Err(Error::InvalidArgument);
    }
    let align = (raw & MAP_ALIGNMENT_MASK) >> MAP_ALIGNMENT_SHIFT;
    if align > PAGE_SHIFT {
        ops.log_unsupported(format_args!("netbsd: mmap with MAP_ALIGNED({align})"));
        return Err(Error::InvalidArgument);
    }
    let flags = MapFlags {
        shared,
        fixed: raw & MAP_FIXED != 0,
        fixed_no_replace: false,
        anonymous,
        populate: false,
        grows_down: false,
    };
    let fd = if anonymous { None } else { Some(a[4] as i32) };
    ops.mmap(a[0], a[1], protection(a[2])?, flags, fd, if anonymous { 0 } else { pos })
}

pub fn munmap(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.munmap(a[0], a[1]).map(|_| 0)
}

pub fn mprotect(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.mprotect(a[0], a[1], protection(a[2])?).map(|_| 0)
}

/// The last advice NetBSD knows (MADV_FREE).
const MADV_LAST: u64 = 6;

/// madvise(addr, len, behav): checked, then taken as the hint it is.
/// NetBSD's MADV_DONTNEED only deactivates pages (their contents stay)
/// and after MADV_FREE the contents are undefined, so not acting on any
/// advice is a faithful answer.
pub fn madvise(_ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[2] > MADV_LAST || a[0].checked_add(a[1]).is_none() {
        return Err(Error::InvalidArgument);
    }
    Ok(0)
}
