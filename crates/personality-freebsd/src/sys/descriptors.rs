//! Duplicating descriptors, their flags (fcntl) and pipes, with FreeBSD's
//! command numbers (sys/sys/fcntl.h).

use super::fd;
use super::open::refused;
use super::open_flags::{decode_set_status, encode_status, O_CLOEXEC, O_NONBLOCK};
use kernel_ops::{Error, KResult, KernelOps};

pub const F_DUPFD: u32 = 0;
pub const F_GETFD: u32 = 1;
pub const F_SETFD: u32 = 2;
pub const F_GETFL: u32 = 3;
pub const F_SETFL: u32 = 4;
pub const F_DUP2FD: u32 = 10;
pub const F_GETLK: u32 = 11;
pub const F_SETLK: u32 = 12;
pub const F_SETLKW: u32 = 13;
pub const F_DUPFD_CLOEXEC: u32 = 17;
pub const F_DUP2FD_CLOEXEC: u32 = 18;
pub const F_ISUNIONSTACK: u32 = 21;

pub const FD_CLOEXEC: u32 = 1;

pub fn dup(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    Ok(ops.dup(fd(a[0]), 0, false)? as u64)
}

/// dup2(from, to) and F_DUP2FD: `to` negative is EBADF (kern_dup); the
/// same descriptor twice only checks that it is open.
fn dup_fixed(ops: &mut dyn KernelOps, from: i32, to: i32, close_on_exec: bool) -> KResult<u64> {
    if to < 0 {
        return Err(Error::BadDescriptor);
    }
    if from == to {
        ops.close_on_exec(from)?;
        if close_on_exec {
            // F_DUP2FD_CLOEXEC onto itself still sets the flag (kern_dup's
            // FDDUP_FLAG_CLOEXEC path).
            ops.set_close_on_exec(from, true)?;
        }
        return Ok(to as u64);
    }
    Ok(ops.dup_to(from, to, close_on_exec)? as u64)
}

pub fn dup2(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    dup_fixed(ops, fd(a[0]), fd(a[1]), false)
}

/// fcntl(fd, cmd, arg). Commands not listed are EINVAL, as kern_fcntl's
/// default: F_GETOWN/F_SETOWN, the old lock commands 7-9, F_SETLK_REMOTE,
/// F_READAHEAD/F_RDAHEAD, the seals (FreeBSD's are for shm objects, which
/// this personality does not make) and F_KINFO.
pub fn fcntl(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let f = fd(a[0]);
    let arg = a[2];
    match a[1] as u32 {
        // The lowest free descriptor at or above arg; a negative arg is
        // EINVAL.
        cmd @ (F_DUPFD | F_DUPFD_CLOEXEC) => {
            let min = arg as i32;
            if min < 0 {
                return Err(Error::InvalidArgument);
            }
            Ok(ops.dup(f, min, cmd == F_DUPFD_CLOEXEC)? as u64)
        }
        cmd @ (F_DUP2FD | F_DUP2FD_CLOEXEC) => dup_fixed(ops, f, arg as i32, cmd == F_DUP2FD_CLOEXEC),
        F_GETFD => Ok(if ops.close_on_exec(f)? { u64::from(FD_CLOEXEC) } else { 0 }),
        F_SETFD => ops.set_close_on_exec(f, arg as u32 & FD_CLOEXEC != 0).map(|_| 0),
        F_GETFL => {
            let (opened, status) = ops.status_flags(f)?;
            Ok(u64::from(encode_status(&opened, &status)))
        }
        F_SETFL => {
            ops.status_flags(f)?;
            let status = decode_set_status(arg as u32).map_err(|r| refused(ops, r))?;
            ops.set_status_flags(f, status).map(|_| 0)
        }
        cmd @ (F_GETLK | F_SETLK | F_SETLKW) => super::locks::fcntl_lock(ops, f, cmd, arg),
        // libc's opendir asks whether a directory is a union mount's stack
        // (to merge duplicate names); there are no union mounts here.
        F_ISUNIONSTACK => ops.fstat(f).map(|_| 0),
        cmd => {
            ops.status_flags(f)?;
            ops.log_unsupported(format_args!("freebsd: fcntl command {cmd}"));
            Err(Error::InvalidArgument)
        }
    }
}

/// pipe2(fildes, flags): two ints, the read end first; flags other than
/// O_CLOEXEC and O_NONBLOCK (FreeBSD's numbers) are EINVAL.
pub fn pipe2(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let flags = a[1] as u32;
    if flags & !(O_CLOEXEC | O_NONBLOCK) != 0 {
        return Err(Error::InvalidArgument);
    }
    // Check the destination before creating anything.
    ops.copy_out(a[0], &[0u8; 8])?;
    let (r, w) = ops.pipe(flags & O_CLOEXEC != 0, flags & O_NONBLOCK != 0)?;
    let mut out = [0u8; 8];
    out[..4].copy_from_slice(&r.to_le_bytes());
    out[4..].copy_from_slice(&w.to_le_bytes());
    if let Err(e) = ops.copy_out(a[0], &out) {
        let _ = ops.close(r);
        let _ = ops.close(w);
        return Err(e);
    }
    Ok(0)
}
