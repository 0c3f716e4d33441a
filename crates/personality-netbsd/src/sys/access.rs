//! Permissions: access checks, modes and the umask (sys/kern/vfs_syscalls.c).

use super::args::{dirfd, nonempty_path, AT_FDCWD};
use super::fd;
use super::stat::{AT_EACCESS, AT_SYMLINK_NOFOLLOW};
use kernel_ops::{Error, KResult, KernelOps};

/// R_OK | W_OK | X_OK (F_OK is 0).
const ACCESS_BITS: u32 = 7;
/// ALLPERMS: the bits chmod and umask keep.
const ALLPERMS: u32 = 0o7777;

pub fn access(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    faccessat(ops, [AT_FDCWD as u64, a[0], a[1], 0, 0, 0])
}

/// faccessat(fd, path, amode, flag), as do_sys_accessat: an amode bit
/// beyond R/W/X is EINVAL; AT_EACCESS checks with the effective ids (the
/// real ones otherwise); AT_SYMLINK_NOFOLLOW checks a symbolic link
/// itself. Other flag bits are ignored, as NetBSD ignores them.
pub fn faccessat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let mode = a[2] as u32;
    let flags = a[3] as u32;
    if mode & !ACCESS_BITS != 0 {
        return Err(Error::InvalidArgument);
    }
    let p = nonempty_path(ops, a[1])?;
    ops.access(dirfd(a[0]), &p, mode, flags & AT_EACCESS != 0, flags & AT_SYMLINK_NOFOLLOW == 0).map(|_| 0)
}

pub fn chmod(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    fchmodat(ops, [AT_FDCWD as u64, a[0], a[1], 0, 0, 0])
}

pub fn fchmod(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.fchmod(fd(a[0]), a[1] as u32 & ALLPERMS).map(|_| 0)
}

/// fchmodat(fd, path, mode, flag): AT_SYMLINK_NOFOLLOW changes a symbolic
/// link itself where the file system can (else EOPNOTSUPP, the core's
/// answer); other flag bits are ignored (do_sys_chmodat).
pub fn fchmodat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let flags = a[3] as u32;
    let mode = a[2] as u32 & ALLPERMS;
    let p = nonempty_path(ops, a[1])?;
    ops.chmod(dirfd(a[0]), &p, mode, flags & AT_SYMLINK_NOFOLLOW == 0).map(|_| 0)
}

/// umask(newmask): the previous mask; the new one keeps ALLPERMS' bits.
pub fn umask(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    Ok(u64::from(ops.umask(a[0] as u32 & ALLPERMS)))
}
