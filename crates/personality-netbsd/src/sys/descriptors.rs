//! Duplicating descriptors, their flags (fcntl) and pipes, with NetBSD's
//! command numbers (sys/sys/fcntl.h) and the rules of
//! sys/kern/sys_descrip.c.

use super::fd;
use super::open::refused;
use super::open_flags::{decode_set_status, encode_status, Refusal, O_CLOEXEC, O_NONBLOCK, O_NOSIGPIPE};
use kernel_ops::{Error, KResult, KernelOps, Resource, StatusFlags, UNLIMITED};

pub const F_DUPFD: u32 = 0;
pub const F_GETFD: u32 = 1;
pub const F_SETFD: u32 = 2;
pub const F_GETFL: u32 = 3;
pub const F_SETFL: u32 = 4;
pub const F_GETOWN: u32 = 5;
pub const F_SETOWN: u32 = 6;
pub const F_GETLK: u32 = 7;
pub const F_SETLK: u32 = 8;
pub const F_SETLKW: u32 = 9;
/// Close every descriptor from the argument up.
pub const F_CLOSEM: u32 = 10;
/// The highest open descriptor.
pub const F_MAXFD: u32 = 11;
pub const F_DUPFD_CLOEXEC: u32 = 12;
pub const F_GETNOSIGPIPE: u32 = 13;
pub const F_SETNOSIGPIPE: u32 = 14;
/// The bit of a command meant for the file system (`F_FSCTL`).
pub const F_FSCTL: u32 = 0x8000_0000;

pub const FD_CLOEXEC: u32 = 1;

/// The soft RLIMIT_NOFILE, the bound dodup and F_DUPFD hold a descriptor
/// number to.
fn open_files_limit(ops: &mut dyn KernelOps) -> u64 {
    let soft = ops.limit(Resource::OpenFiles).soft;
    if soft == UNLIMITED {
        u64::from(u32::MAX)
    } else {
        soft
    }
}

pub fn dup(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    Ok(ops.dup(fd(a[0]), 0, false)? as u64)
}

/// dodup: `from` must be open (EBADF); `to` at or past the soft
/// RLIMIT_NOFILE, or negative (it is compared as unsigned), is EBADF; the
/// same descriptor twice does nothing, flags and all. Otherwise dup3's
/// flags may be O_CLOEXEC (for the new descriptor) and O_NONBLOCK (set on
/// the open file both descriptors share); anything else is EINVAL.
fn dodup(ops: &mut dyn KernelOps, from: i32, to: i32, flags: u32) -> KResult<u64> {
    ops.close_on_exec(from)?;
    if u64::from(to as u32) >= open_files_limit(ops) {
        return Err(Error::BadDescriptor);
    }
    if from == to {
        return Ok(to as u64);
    }
    if flags & !(O_CLOEXEC | O_NONBLOCK) != 0 {
        return Err(Error::InvalidArgument);
    }
    let new = ops.dup_to(from, to, flags & O_CLOEXEC != 0)?;
    if flags & O_NONBLOCK != 0 {
        let (_, s) = ops.status_flags(new)?;
        ops.set_status_flags(new, StatusFlags { non_blocking: true, ..s })?;
    }
    Ok(new as u64)
}

pub fn dup2(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    dodup(ops, fd(a[0]), fd(a[1]), 0)
}

/// dup3(from, to, flags).
pub fn dup3(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    dodup(ops, fd(a[0]), fd(a[1]), a[2] as u32)
}

/// F_MAXFD: the highest open descriptor, -1 with none (fd_lastfile). The
/// core keeps no such number; the table is searched downwards from its
/// size, which bounds every number ever installed.
fn highest_open(ops: &mut dyn KernelOps) -> i64 {
    let size = ops.descriptor_table_size();
    (0..size).rev().find(|&n| ops.close_on_exec(n as i32).is_ok()).map_or(-1, i64::from)
}

/// fcntl(fd, cmd, arg). F_CLOSEM, F_MAXFD and the lock commands come
/// before the descriptor is looked up, as in sys_fcntl. F_GETOWN and
/// F_SETOWN (SIGIO/SIGURG owners), F_GETNOSIGPIPE/F_SETNOSIGPIPE (the
/// core keeps no per-file SIGPIPE switch) and the file-system commands
/// (F_FSCTL) are not implemented: EINVAL and one log line. Unknown
/// commands are EINVAL, as NetBSD's default case.
pub fn fcntl(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let f = fd(a[0]);
    let arg = a[2];
    let cmd = a[1] as u32;
    match cmd {
        F_CLOSEM => {
            if f < 0 {
                return Err(Error::BadDescriptor);
            }
            return ops.close_range(f as u32, u32::MAX, false, false).map(|_| 0);
        }
        F_MAXFD => return Ok(highest_open(ops) as u64),
        F_GETLK | F_SETLK | F_SETLKW => return super::locks::fcntl_lock(ops, f, cmd, arg),
        _ => {}
    }
    // Every other command needs an open descriptor first (EBADF).
    ops.close_on_exec(f)?;
    match cmd {
        F_DUPFD | F_DUPFD_CLOEXEC => {
            // (u_int)arg at or past the soft RLIMIT_NOFILE is EINVAL.
            if u64::from(arg as u32) >= open_files_limit(ops) {
                return Err(Error::InvalidArgument);
            }
            Ok(ops.dup(f, arg as i32, cmd == F_DUPFD_CLOEXEC)? as u64)
        }
        F_GETFD => Ok(u64::from(ops.close_on_exec(f)?)),
        F_SETFD => ops.set_close_on_exec(f, arg as u32 & FD_CLOEXEC != 0).map(|_| 0),
        F_GETFL => {
            let (opened, status) = ops.status_flags(f)?;
            Ok(u64::from(encode_status(&opened, &status)))
        }
        F_SETFL => {
            let status = decode_set_status(arg as u32).map_err(|r| refused(ops, r))?;
            ops.set_status_flags(f, status).map(|_| 0)
        }
        F_GETOWN | F_SETOWN | F_GETNOSIGPIPE | F_SETNOSIGPIPE => {
            ops.log_unsupported(format_args!("netbsd: fcntl command {cmd}"));
            Err(Error::InvalidArgument)
        }
        c if c & F_FSCTL != 0 => {
            ops.log_unsupported(format_args!("netbsd: fcntl file-system command {c:#x}"));
            Err(Error::InvalidArgument)
        }
        _ => Err(Error::InvalidArgument),
    }
}

/// pipe2(fildes, flags): two ints, the read end first; flags other than
/// O_CLOEXEC, O_NONBLOCK and O_NOSIGPIPE are EINVAL (pipe1). O_NOSIGPIPE
/// is not implemented (EOPNOTSUPP, logged). Returns 0.
pub fn pipe2(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let flags = a[1] as u32;
    if flags & !(O_CLOEXEC | O_NONBLOCK | O_NOSIGPIPE) != 0 {
        return Err(Error::InvalidArgument);
    }
    if flags & O_NOSIGPIPE != 0 {
        return Err(refused(ops, Refusal::Unsupported("pipe2 O_NOSIGPIPE")));
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
