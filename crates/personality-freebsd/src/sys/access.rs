//! Permissions: access checks, modes and the umask.

use super::stat::{AT_EACCESS, AT_EMPTY_PATH, AT_RESOLVE_BENEATH, AT_SYMLINK_NOFOLLOW};
use super::{dirfd, fd, path, AT_FDCWD};
use kernel_ops::{DirFd, Error, KResult, KernelOps};

/// R_OK | W_OK | X_OK (F_OK is 0), as everywhere.
const ACCESS_BITS: u32 = 7;
/// ALLPERMS: the bits chmod and umask keep.
const ALLPERMS: u32 = 0o7777;

fn beneath_unsupported(ops: &mut dyn KernelOps, call: &str) -> Error {
    ops.log_unsupported(format_args!("freebsd: {call} with AT_RESOLVE_BENEATH"));
    Error::NotSupported
}

pub fn access(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    faccessat(ops, [AT_FDCWD as u64, a[0], a[1], 0, 0, 0])
}

/// faccessat(fd, path, amode, flag): AT_EACCESS checks with the effective
/// ids; AT_EMPTY_PATH with an empty path checks `fd`'s own file. FreeBSD
/// follows symbolic links here and has no AT_SYMLINK_NOFOLLOW for it:
/// that bit, like any other unknown one or an amode bit beyond R/W/X, is
/// EINVAL (kern_accessat).
pub fn faccessat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let mode = a[2] as u32;
    let flags = a[3] as u32;
    if flags & !(AT_EACCESS | AT_RESOLVE_BENEATH | AT_EMPTY_PATH) != 0 || mode & !ACCESS_BITS != 0 {
        return Err(Error::InvalidArgument);
    }
    if flags & AT_RESOLVE_BENEATH != 0 {
        return Err(beneath_unsupported(ops, "faccessat"));
    }
    let p = path(ops, a[1])?;
    // The core takes an empty path as the directory descriptor's own file.
    if p.is_empty() && flags & AT_EMPTY_PATH == 0 {
        return Err(Error::NotFound);
    }
    ops.access(dirfd(a[0]), &p, mode, flags & AT_EACCESS != 0, true).map(|_| 0)
}

pub fn chmod(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    fchmodat(ops, [AT_FDCWD as u64, a[0], a[1], 0, 0, 0])
}

pub fn fchmod(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.fchmod(fd(a[0]), a[1] as u32 & ALLPERMS).map(|_| 0)
}

/// fchmodat(fd, path, mode, flag): AT_SYMLINK_NOFOLLOW changes a symbolic
/// link itself where the file system can (else EOPNOTSUPP, as FreeBSD's
/// file systems without lchmod); AT_EMPTY_PATH with an empty path changes
/// `fd`'s file.
pub fn fchmodat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let flags = a[3] as u32;
    if flags & !(AT_SYMLINK_NOFOLLOW | AT_RESOLVE_BENEATH | AT_EMPTY_PATH) != 0 {
        return Err(Error::InvalidArgument);
    }
    if flags & AT_RESOLVE_BENEATH != 0 {
        return Err(beneath_unsupported(ops, "fchmodat"));
    }
    let mode = a[2] as u32 & ALLPERMS;
    let p = path(ops, a[1])?;
    if p.is_empty() {
        if flags & AT_EMPTY_PATH == 0 {
            return Err(Error::NotFound);
        }
        return match dirfd(a[0]) {
            DirFd::Fd(f) => ops.fchmod(f, mode).map(|_| 0),
            DirFd::Cwd => ops.chmod(DirFd::Cwd, b".", mode, true).map(|_| 0),
        };
    }
    ops.chmod(dirfd(a[0]), &p, mode, flags & AT_SYMLINK_NOFOLLOW == 0).map(|_| 0)
}

/// umask(newmask): the previous mask; the new one keeps ALLPERMS' bits.
pub fn umask(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    Ok(u64::from(ops.umask(a[0] as u32 & ALLPERMS)))
}
