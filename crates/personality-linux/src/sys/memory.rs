//! Address-space calls.

use kernel_ops::{Error, KResult, KernelOps, MapFlags, Protection};
use linux_abi::mman::*;

fn protection(raw: u64) -> KResult<Protection> {
    let raw = raw as u32;
    if raw & !(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN | PROT_GROWSUP) != 0 {
        return Err(Error::InvalidArgument);
    }
    Ok(Protection { read: raw & PROT_READ != 0, write: raw & PROT_WRITE != 0, execute: raw & PROT_EXEC != 0 })
}

pub fn mmap(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let prot = protection(a[2])?;
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
    let fd = if flags.anonymous { None } else { Some(a[4] as i32) };
    ops.mmap(a[0], a[1], prot, flags, fd, if flags.anonymous { 0 } else { a[5] })
}

pub fn munmap(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.munmap(a[0], a[1]).map(|_| 0)
}

pub fn mprotect(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let prot = protection(a[2])?;
    ops.mprotect(a[0], a[1], prot).map(|_| 0)
}

pub fn mremap(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    const MREMAP_MAYMOVE: u64 = 1;
    const MREMAP_FIXED: u64 = 2;
    if a[3] & !(MREMAP_MAYMOVE | MREMAP_FIXED) != 0 {
        return Err(Error::InvalidArgument);
    }
    let fixed = (a[3] & MREMAP_FIXED != 0).then_some(a[4]);
    ops.mremap(a[0], a[1], a[2], a[3] & MREMAP_MAYMOVE != 0, fixed)
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
    ops.sync_mappings(a[0], a[1]).map(|_| 0)
}

pub fn madvise(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[0] % 4096 != 0 {
        return Err(Error::InvalidArgument);
    }
    match a[2] as u32 {
        MADV_DONTNEED | MADV_FREE => ops.discard_pages(a[0], a[1]).map(|_| 0),
        // Advice about access patterns: nothing to act on with RAM-only memory.
        _ => Ok(0),
    }
}

pub fn mlock(_: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    Ok(0)
}
