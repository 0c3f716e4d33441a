//! File locks: flock(2)'s whole-file locks, and fcntl's record locks with
//! NetBSD's `struct flock` (sys/sys/fcntl.h): l_start i64 @0, l_len i64
//! @8, l_pid i32 @16, l_type i16 @20, l_whence i16 @22; 24 bytes.
//! F_RDLCK 1, F_UNLCK 2, F_WRLCK 3.

use super::descriptors::{F_GETLK, F_SETLKW};
use super::fd;
use kernel_ops::{Error, Fd, KResult, KernelOps, LockKind, LockRange, LockRangeError, LockScope, Whence};

pub const F_RDLCK: i16 = 1;
pub const F_UNLCK: i16 = 2;
pub const F_WRLCK: i16 = 3;
pub const FLOCK_SIZE: usize = 24;

// flock(2)'s operations.
const LOCK_SH: u32 = 1;
const LOCK_EX: u32 = 2;
const LOCK_NB: u32 = 4;
const LOCK_UN: u32 = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flock {
    pub start: i64,
    pub len: i64,
    pub pid: i32,
    pub kind: i16,
    pub whence: i16,
}

impl Flock {
    pub fn decode(b: &[u8; FLOCK_SIZE]) -> Flock {
        let i64_at =
            |o: usize| i64::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3], b[o + 4], b[o + 5], b[o + 6], b[o + 7]]);
        Flock {
            start: i64_at(0),
            len: i64_at(8),
            pid: i32::from_le_bytes([b[16], b[17], b[18], b[19]]),
            kind: i16::from_le_bytes([b[20], b[21]]),
            whence: i16::from_le_bytes([b[22], b[23]]),
        }
    }

    pub fn encode(&self) -> [u8; FLOCK_SIZE] {
        let mut b = [0u8; FLOCK_SIZE];
        b[0..8].copy_from_slice(&self.start.to_le_bytes());
        b[8..16].copy_from_slice(&self.len.to_le_bytes());
        b[16..20].copy_from_slice(&self.pid.to_le_bytes());
        b[20..22].copy_from_slice(&self.kind.to_le_bytes());
        b[22..24].copy_from_slice(&self.whence.to_le_bytes());
        b
    }
}

/// Whether `f` is a socket, which NetBSD's lock calls refuse (they take
/// vnodes only). An anonymous pipe is refused there too, but the core
/// reports it as a FIFO, like a named one, which NetBSD does lock.
fn is_socket(ops: &mut dyn KernelOps, f: Fd) -> KResult<bool> {
    Ok(ops.fstat(f)?.meta.file_type == vfs::FileType::Socket)
}

/// flock(fd, how): a shared or exclusive lock on the whole open file, or
/// none; LOCK_NB fails with EWOULDBLOCK (EAGAIN, 35) instead of waiting.
/// As sys_flock: EBADF first, a socket EOPNOTSUPP, then `how` without
/// LOCK_NB must be exactly one of LOCK_UN, LOCK_EX, LOCK_SH (EINVAL).
pub fn flock(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let f = fd(a[0]);
    if is_socket(ops, f)? {
        return Err(Error::NotSupported);
    }
    let how = a[1] as u32;
    let kind = match how & !LOCK_NB {
        LOCK_UN => None,
        LOCK_EX => Some(LockKind::Exclusive),
        LOCK_SH => Some(LockKind::Shared),
        _ => return Err(Error::InvalidArgument),
    };
    ops.lock_file(f, kind, how & LOCK_NB == 0).map(|_| 0)
}

/// F_GETLK, F_SETLK, F_SETLKW (do_fcntl_lock): POSIX locks owned by the
/// process. A socket is EINVAL; a read lock needs the descriptor open for
/// reading and a write lock one open for writing (EBADF); a bad l_type is
/// EINVAL. F_GETLK answers F_UNLCK, or the lock in the way with l_whence
/// SEEK_SET and its owner's pid (an F_UNLCK question meets write locks
/// only, as lf_getblock's test).
pub fn fcntl_lock(ops: &mut dyn KernelOps, f: Fd, cmd: u32, arg: u64) -> KResult<u64> {
    let mut raw = [0u8; FLOCK_SIZE];
    ops.copy_in(arg, &mut raw)?;
    let (opened, _) = ops.status_flags(f)?;
    if is_socket(ops, f)? {
        return Err(Error::InvalidArgument);
    }
    let request = Flock::decode(&raw);
    if cmd == F_GETLK {
        let kind = match request.kind {
            F_RDLCK | F_UNLCK => LockKind::Shared,
            F_WRLCK => LockKind::Exclusive,
            _ => return Err(Error::InvalidArgument),
        };
        let range = range_of(ops, f, &request)?;
        let mut answer = request;
        match ops.test_lock_range(f, kind, range, LockScope::Process)? {
            None => answer.kind = F_UNLCK,
            Some(holder) => {
                answer.kind = if holder.kind == LockKind::Exclusive { F_WRLCK } else { F_RDLCK };
                answer.whence = 0;
                answer.start = holder.range.start() as i64;
                answer.len = holder.range.len_or_zero() as i64;
                answer.pid = holder.pid.map_or(-1, |p| p as i32);
            }
        }
        return ops.copy_out(arg, &answer.encode()).map(|_| 0);
    }
    let kind = match request.kind {
        F_RDLCK if !opened.read => return Err(Error::BadDescriptor),
        F_WRLCK if !opened.write => return Err(Error::BadDescriptor),
        F_RDLCK => Some(LockKind::Shared),
        F_WRLCK => Some(LockKind::Exclusive),
        F_UNLCK => None,
        _ => return Err(Error::InvalidArgument),
    };
    let range = range_of(ops, f, &request)?;
    ops.lock_range(f, kind, range, LockScope::Process, cmd == F_SETLKW).map(|_| 0)
}

/// The bytes a `struct flock` names (SEEK_SET, SEEK_CUR, SEEK_END base;
/// another whence is EINVAL, as lf_advlock).
fn range_of(ops: &mut dyn KernelOps, f: Fd, l: &Flock) -> KResult<LockRange> {
    let base = match l.whence {
        0 => 0,
        1 => ops.seek(f, 0, Whence::Current)? as i64,
        2 => ops.fstat(f)?.meta.size as i64,
        _ => return Err(Error::InvalidArgument),
    };
    LockRange::from_relative(base, l.start, l.len).map_err(|e| match e {
        LockRangeError::Negative => Error::InvalidArgument,
        LockRangeError::Overflow => Error::Overflow,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flock_layout() {
        let l = Flock { start: 0x0102_0304_0506_0708, len: -1, pid: 77, kind: F_WRLCK, whence: 1 };
        let b = l.encode();
        assert_eq!(b.len(), 24);
        assert_eq!(b[0], 0x08);
        assert_eq!(&b[8..16], &[0xff; 8]);
        assert_eq!(&b[16..20], &77i32.to_le_bytes());
        assert_eq!(&b[20..22], &3i16.to_le_bytes());
        assert_eq!(&b[22..24], &1i16.to_le_bytes());
        assert_eq!(Flock::decode(&b), l);
    }
}
