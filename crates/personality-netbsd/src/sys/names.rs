//! The name space: creating, removing, renaming and linking names,
//! symbolic links, and the working directory (sys/kern/vfs_syscalls.c,
//! vfs_getcwd.c).

use super::args::{dirfd, nonempty_path, path, AT_FDCWD, MAXPATHLEN};
use super::fd;
use super::stat::{AT_REMOVEDIR, AT_SYMLINK_FOLLOW};
use kernel_ops::{Error, KResult, KernelOps};

const CWD: u64 = AT_FDCWD as u64;

pub fn unlink(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    unlinkat(ops, [CWD, a[0], 0, 0, 0, 0])
}

/// unlinkat(fd, path, flag): AT_REMOVEDIR makes it rmdir; other bits are
/// ignored. As do_sys_unlinkat: a directory without AT_REMOVEDIR is
/// EPERM (Linux says EISDIR), AT_REMOVEDIR on anything else ENOTDIR.
pub fn unlinkat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let remove_dir = a[2] as u32 & AT_REMOVEDIR != 0;
    let p = nonempty_path(ops, a[1])?;
    match ops.unlink(dirfd(a[0]), &p, remove_dir) {
        Err(Error::IsDirectory) if !remove_dir => Err(Error::NotPermitted),
        r => r.map(|_| 0),
    }
}

pub fn rmdir(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    unlinkat(ops, [CWD, a[0], u64::from(AT_REMOVEDIR), 0, 0, 0])
}

pub fn mkdir(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    mkdirat(ops, [CWD, a[0], a[1], 0, 0, 0])
}

/// mkdirat(fd, path, mode): the permission bits only (do_sys_mkdirat
/// keeps ACCESSPERMS, 0777), less the umask (the core's).
pub fn mkdirat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let p = nonempty_path(ops, a[1])?;
    ops.make_dir(dirfd(a[0]), &p, a[2] as u32 & 0o777).map(|_| 0)
}

pub fn rename(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    renameat(ops, [CWD, a[0], CWD, a[1], 0, 0])
}

/// renameat(fromfd, from, tofd, to).
pub fn renameat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let old = nonempty_path(ops, a[1])?;
    let new = nonempty_path(ops, a[3])?;
    ops.rename(dirfd(a[0]), &old, dirfd(a[2]), &new, false).map(|_| 0)
}

/// link(path, link): NetBSD's follows a symbolic link `path` names
/// (sys_link passes AT_SYMLINK_FOLLOW).
pub fn link(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    linkat(ops, [CWD, a[0], CWD, a[1], u64::from(AT_SYMLINK_FOLLOW), 0])
}

/// linkat(fd1, name1, fd2, name2, flags): AT_SYMLINK_FOLLOW follows a
/// symbolic link name1; other bits are ignored (sys_linkat).
pub fn linkat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let follow = a[4] as u32 & AT_SYMLINK_FOLLOW != 0;
    let old = nonempty_path(ops, a[1])?;
    let new = nonempty_path(ops, a[3])?;
    ops.link(dirfd(a[0]), &old, dirfd(a[2]), &new, follow).map(|_| 0)
}

pub fn symlink(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    symlinkat(ops, [a[0], CWD, a[1], 0, 0, 0])
}

/// symlinkat(path1, fd, path2): the target is any string shorter than
/// MAXPATHLEN (copyinstr).
pub fn symlinkat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let target = path(ops, a[0])?;
    let p = nonempty_path(ops, a[2])?;
    ops.symlink(&target, dirfd(a[1]), &p).map(|_| 0)
}

pub fn readlink(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    readlinkat(ops, [CWD, a[0], a[1], a[2], 0, 0])
}

/// readlinkat(fd, path, buf, bufsize): up to bufsize bytes of the target,
/// no NUL; a path that is not a symbolic link is EINVAL (the core's).
pub fn readlinkat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let p = nonempty_path(ops, a[1])?;
    let target = ops.read_link(dirfd(a[0]), &p)?;
    let n = target.len().min(usize::try_from(a[3]).unwrap_or(usize::MAX));
    ops.copy_out(a[2], &target[..n])?;
    Ok(n as u64)
}

pub fn chdir(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let p = nonempty_path(ops, a[0])?;
    ops.chdir(&p).map(|_| 0)
}

pub fn fchdir(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.fchdir(fd(a[0])).map(|_| 0)
}

/// __getcwd(bufp, length): the path and its NUL, returning their length
/// (libc's getcwd uses it). As sys___getcwd: the length is read as an
/// `int`, more than MAXPATHLEN * 4 counts as that, less than 2 is ERANGE,
/// and so is a path that does not fit.
pub fn getcwd(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let len = a[1] as i32;
    let room = if len > (MAXPATHLEN * 4) as i32 {
        MAXPATHLEN * 4
    } else if len < 2 {
        return Err(Error::OutOfRange);
    } else {
        len as usize
    };
    let mut cwd = ops.getcwd()?;
    cwd.push(0);
    if cwd.len() > room {
        return Err(Error::OutOfRange);
    }
    ops.copy_out(a[0], &cwd)?;
    Ok(cwd.len() as u64)
}
