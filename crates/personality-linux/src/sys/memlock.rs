//! Locking memory (mlock, mlock2, munlock, mlockall, munlockall) and
//! asking which pages are resident (mincore).
//!
//! Nothing is ever swapped out here, so a lock changes no paging: it is
//! accounted (RLIMIT_MEMLOCK, VmLck in /proc/<pid>/status, Locked in
//! smaps) and, unless MLOCK_ONFAULT, faults the pages in as Linux does.

use kernel_ops::{Error, KResult, KernelOps};
use linux_abi::mman::{MCL_CURRENT, MCL_FUTURE, MCL_ONFAULT, MLOCK_ONFAULT};

const PAGE: u64 = 4096;
/// The top of the user half (TASK_SIZE_MAX on x86_64).
const USER_TOP: u64 = 0x7fff_ffff_f000;

/// Linux's rounding: the range grows to whole pages around [addr,
/// addr+len). A range that wraps around is EINVAL; None when it is empty.
fn pages(addr: u64, len: u64) -> KResult<Option<(u64, u64)>> {
    let start = addr & !(PAGE - 1);
    let len = len.checked_add(addr - start).and_then(|l| l.checked_add(PAGE - 1)).ok_or(Error::InvalidArgument)?
        & !(PAGE - 1);
    let end = start.checked_add(len).ok_or(Error::InvalidArgument)?;
    Ok((end > start).then_some((start, len)))
}

fn lock(ops: &mut dyn KernelOps, addr: u64, len: u64, on_fault: bool) -> KResult<u64> {
    match pages(addr, len)? {
        Some((start, len)) => ops.lock_memory(start, len, on_fault).map(|_| 0),
        None => Ok(0),
    }
}

pub fn mlock(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    lock(ops, a[0], a[1], false)
}

pub fn mlock2(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let flags = a[2] as u32;
    if flags & !MLOCK_ONFAULT != 0 {
        return Err(Error::InvalidArgument);
    }
    lock(ops, a[0], a[1], flags & MLOCK_ONFAULT != 0)
}

pub fn munlock(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    match pages(a[0], a[1])? {
        Some((start, len)) => ops.unlock_memory(start, len).map(|_| 0),
        None => Ok(0),
    }
}

pub fn mlockall(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let flags = a[0] as u32;
    if flags == 0 || flags & !(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) != 0 || flags == MCL_ONFAULT {
        return Err(Error::InvalidArgument);
    }
    ops.lock_all_memory(flags & MCL_CURRENT != 0, flags & MCL_FUTURE != 0, flags & MCL_ONFAULT != 0).map(|_| 0)
}

pub fn munlockall(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    ops.unlock_all_memory().map(|_| 0)
}

/// One byte per page: bit 0 set when it is resident. An unaligned start
/// is EINVAL, a range beyond user space or with unmapped pages ENOMEM, a
/// vector that cannot be written EFAULT.
pub fn mincore(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (start, len, vec) = (a[0], a[1], a[2]);
    if start % PAGE != 0 {
        return Err(Error::InvalidArgument);
    }
    if start.checked_add(len).is_none_or(|end| end > USER_TOP) {
        return Err(Error::NoMemory);
    }
    let count = len.div_ceil(PAGE);
    if vec.checked_add(count).is_none_or(|end| end > USER_TOP) {
        return Err(Error::Fault);
    }
    // In chunks, as Linux does, so that a huge range costs no huge buffer.
    const CHUNK: u64 = 4096;
    let mut done = 0;
    while done < count {
        let n = (count - done).min(CHUNK);
        let resident = ops.resident_pages(start + done * PAGE, n as usize)?;
        let bytes: alloc::vec::Vec<u8> = resident.iter().map(|&r| u8::from(r)).collect();
        ops.copy_out(vec + done, &bytes)?;
        done += n;
    }
    Ok(0)
}
