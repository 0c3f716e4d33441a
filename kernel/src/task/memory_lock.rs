//! Who may lock how much memory (mlock, mlockall): Linux's rules over the
//! address space's accounting in mm/memory_lock.rs.

use super::process::Process;
use crate::mm::memory_lock::LockError;
use kernel_ops::{Error, KResult, Resource};

const PAGE: u64 = 4096;

/// The most the process may lock: None with CAP_IPC_LOCK, else
/// RLIMIT_MEMLOCK in whole pages; a limit of 0 forbids locking at all
/// (`NotPermitted`, Linux's can_do_mlock).
fn allowance(p: &Process) -> KResult<Option<u64>> {
    if p.creds.lock().has(kernel_ops::Privilege::IpcLock) {
        return Ok(None);
    }
    let limit = p.limit(Resource::LockedMemory).soft;
    if limit == 0 {
        return Err(Error::NotPermitted);
    }
    Ok(Some(limit & !(PAGE - 1)))
}

fn error(e: LockError) -> Error {
    match e {
        LockError::Unmapped | LockError::OverLimit => Error::NoMemory,
    }
}

pub fn lock(p: &Process, addr: u64, len: u64, on_fault: bool) -> KResult<()> {
    let limit = allowance(p)?;
    let end = addr.checked_add(len).ok_or(Error::InvalidArgument)?;
    p.mm().lock_range(addr, end, limit, on_fault).map_err(error)
}

pub fn unlock(p: &Process, addr: u64, len: u64) -> KResult<()> {
    let end = addr.checked_add(len).ok_or(Error::InvalidArgument)?;
    p.mm().unlock_range(addr, end).map_err(error)
}

pub fn lock_all(p: &Process, current: bool, future: bool, on_fault: bool) -> KResult<()> {
    let limit = allowance(p)?;
    p.mm().lock_all(current, future, on_fault, limit).map_err(error)
}

pub fn unlock_all(p: &Process) {
    p.mm().unlock_all();
}
