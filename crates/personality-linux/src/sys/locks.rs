//! Advisory file locks: flock(2) and the record-lock commands of fcntl
//! (`F_GETLK`/`F_SETLK`/`F_SETLKW` and their open-file-description forms
//! `F_OFD_*`), decoded and checked in the order Linux checks them.

use crate::util::fd;
use kernel_ops::{Error, Fd, KResult, KernelOps, LockKind, LockRange, LockRangeError, LockScope, Whence};
use linux_abi::fcntl::*;
use linux_abi::seek::{SEEK_CUR, SEEK_END, SEEK_SET};

/// flock(fd, operation): LOCK_SH, LOCK_EX or LOCK_UN, maybe with LOCK_NB.
pub fn flock(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let cmd = a[1] as u32;
    if cmd & LOCK_MAND != 0 {
        // Linux ignores these (mandatory locks are gone) and says yes.
        ops.log_unsupported(format_args!("linux: flock with LOCK_MAND (ignored, as Linux does)"));
        return Ok(0);
    }
    let kind = match cmd & !LOCK_NB {
        LOCK_SH => Some(LockKind::Shared),
        LOCK_EX => Some(LockKind::Exclusive),
        LOCK_UN => None,
        _ => return Err(Error::InvalidArgument),
    };
    let f = fd(a[0]);
    let (opened, _) = ops.status_flags(f)?;
    if opened.path_only || (kind.is_some() && !opened.read && !opened.write) {
        return Err(Error::BadDescriptor);
    }
    ops.lock_file(f, kind, cmd & LOCK_NB == 0).map(|_| 0)
}

/// The lock commands of fcntl(fd, cmd, struct flock *).
pub fn fcntl_lock(ops: &mut dyn KernelOps, f: Fd, cmd: u32, arg: u64) -> KResult<u64> {
    let (opened, _) = ops.status_flags(f)?;
    // Before the struct is read: EBADF comes before EFAULT, as on Linux.
    if opened.path_only {
        return Err(Error::BadDescriptor);
    }
    let mut raw = [0u8; Flock::SIZE];
    ops.copy_in(arg, &mut raw)?;
    let request = Flock::from_bytes(&raw).ok_or(Error::Fault)?;
    let ofd = matches!(cmd, F_OFD_GETLK | F_OFD_SETLK | F_OFD_SETLKW);
    let scope = if ofd { LockScope::OpenFile } else { LockScope::Process };
    if cmd == F_GETLK || cmd == F_OFD_GETLK {
        let kind = match request.l_type {
            F_RDLCK => LockKind::Shared,
            F_WRLCK => LockKind::Exclusive,
            _ => return Err(Error::InvalidArgument),
        };
        let range = range_of(ops, f, &request)?;
        if ofd && request.l_pid != 0 {
            return Err(Error::InvalidArgument);
        }
        let mut answer = request;
        match ops.test_lock_range(f, kind, range, scope)? {
            None => answer.l_type = F_UNLCK,
            Some(holder) => {
                answer.l_type = if holder.kind == LockKind::Exclusive { F_WRLCK } else { F_RDLCK };
                answer.l_whence = SEEK_SET as u16;
                answer.l_start = holder.range.start() as i64;
                answer.l_len = holder.range.len_or_zero() as i64;
                answer.l_pid = holder.pid.map_or(-1, |p| p as i32);
            }
        }
        // The whole structure goes back, padding as the caller wrote it.
        let fields = answer.to_bytes();
        raw[..4].copy_from_slice(&fields[..4]);
        raw[8..28].copy_from_slice(&fields[8..28]);
        return ops.copy_out(arg, &raw).map(|_| 0);
    }
    let range = range_of(ops, f, &request)?;
    let kind = match request.l_type {
        F_RDLCK => Some(LockKind::Shared),
        F_WRLCK => Some(LockKind::Exclusive),
        F_UNLCK => None,
        _ => return Err(Error::InvalidArgument),
    };
    // A read lock needs a descriptor open for reading, a write lock one
    // open for writing.
    match kind {
        Some(LockKind::Shared) if !opened.read => return Err(Error::BadDescriptor),
        Some(LockKind::Exclusive) if !opened.write => return Err(Error::BadDescriptor),
        _ => {}
    }
    if ofd && request.l_pid != 0 {
        return Err(Error::InvalidArgument);
    }
    let wait = cmd == F_SETLKW || cmd == F_OFD_SETLKW;
    ops.lock_range(f, kind, range, scope, wait).map(|_| 0)
}

/// The bytes a `struct flock` names: whence gives the base (the start, the
/// file position, the file size), then Linux's range rules.
fn range_of(ops: &mut dyn KernelOps, f: Fd, l: &Flock) -> KResult<LockRange> {
    let base = match u32::from(l.l_whence) {
        SEEK_SET => 0,
        // Files that cannot seek (pipes) are at position 0, as on Linux.
        SEEK_CUR => ops.seek(f, 0, Whence::Current).map_or(0, |p| p as i64),
        SEEK_END => ops.fstat(f)?.meta.size as i64,
        _ => return Err(Error::InvalidArgument),
    };
    LockRange::from_relative(base, l.l_start, l.l_len).map_err(|e| match e {
        LockRangeError::Negative => Error::InvalidArgument,
        LockRangeError::Overflow => Error::Overflow,
    })
}
