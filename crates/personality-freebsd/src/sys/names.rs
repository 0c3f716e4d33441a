//! The name space: creating, removing, renaming and linking names,
//! symbolic links, and the working directory.

use super::stat::{AT_EMPTY_PATH, AT_REMOVEDIR, AT_RESOLVE_BENEATH, AT_SYMLINK_FOLLOW};
use super::{dirfd, fd, nonempty_path, path, AT_FDCWD, MAXPATHLEN};
use kernel_ops::{Error, KResult, KernelOps};

const CWD: u64 = AT_FDCWD as u64;

/// AT_RESOLVE_BENEATH needs the walk confined to the directory, which the
/// core offers to open only: EOPNOTSUPP elsewhere (named in the table).
fn no_beneath(ops: &mut dyn KernelOps, flags: u32, call: &str) -> KResult<()> {
    if flags & AT_RESOLVE_BENEATH != 0 {
        ops.log_unsupported(format_args!("freebsd: {call} with AT_RESOLVE_BENEATH"));
        return Err(Error::NotSupported);
    }
    Ok(())
}

pub fn unlink(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    unlinkat(ops, [CWD, a[0], 0, 0, 0, 0])
}

/// unlinkat(fd, path, flag): AT_REMOVEDIR makes it rmdir. FreeBSD's
/// unlink of a directory is EPERM (kern_funlinkat), where Linux says
/// EISDIR.
pub fn unlinkat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let flags = a[2] as u32;
    if flags & !(AT_REMOVEDIR | AT_RESOLVE_BENEATH) != 0 {
        return Err(Error::InvalidArgument);
    }
    no_beneath(ops, flags, "unlinkat")?;
    let p = nonempty_path(ops, a[1])?;
    let remove_dir = flags & AT_REMOVEDIR != 0;
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

/// mkdirat(fd, path, mode): the permission bits only (kern_mkdirat keeps
/// ACCESSPERMS, 0777), less the umask (the core's).
pub fn mkdirat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let p = nonempty_path(ops, a[1])?;
    ops.make_dir(dirfd(a[0]), &p, a[2] as u32 & 0o777).map(|_| 0)
}

pub fn rename(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    renameat(ops, [CWD, a[0], CWD, a[1], 0, 0])
}

pub fn renameat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let old = nonempty_path(ops, a[1])?;
    let new = nonempty_path(ops, a[3])?;
    ops.rename(dirfd(a[0]), &old, dirfd(a[2]), &new, false).map(|_| 0)
}

/// link(path, link): FreeBSD's follows a symbolic link `path` names.
pub fn link(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    linkat(ops, [CWD, a[0], CWD, a[1], u64::from(AT_SYMLINK_FOLLOW), 0])
}

/// linkat(fd1, path1, fd2, path2, flag): AT_SYMLINK_FOLLOW; AT_EMPTY_PATH
/// with an empty path1 (giving `fd1`'s open file a name) and
/// AT_RESOLVE_BENEATH are not implemented (EOPNOTSUPP).
pub fn linkat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let flags = a[4] as u32;
    if flags & !(AT_SYMLINK_FOLLOW | AT_RESOLVE_BENEATH | AT_EMPTY_PATH) != 0 {
        return Err(Error::InvalidArgument);
    }
    no_beneath(ops, flags, "linkat")?;
    let old = path(ops, a[1])?;
    if old.is_empty() {
        if flags & AT_EMPTY_PATH == 0 {
            return Err(Error::NotFound);
        }
        ops.log_unsupported(format_args!("freebsd: linkat with AT_EMPTY_PATH"));
        return Err(Error::NotSupported);
    }
    let new = nonempty_path(ops, a[3])?;
    ops.link(dirfd(a[0]), &old, dirfd(a[2]), &new, flags & AT_SYMLINK_FOLLOW != 0).map(|_| 0)
}

pub fn symlink(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    symlinkat(ops, [a[0], CWD, a[1], 0, 0, 0])
}

/// symlinkat(target, fd, path): the target is any string up to
/// MAXPATHLEN (copyinstr), even an empty one.
pub fn symlinkat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let target = path(ops, a[0])?;
    let p = nonempty_path(ops, a[2])?;
    ops.symlink(&target, dirfd(a[1]), &p).map(|_| 0)
}

pub fn readlink(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    readlinkat(ops, [CWD, a[0], a[1], a[2], 0, 0])
}

/// readlinkat(fd, path, buf, bufsize): up to bufsize bytes of the target,
/// no NUL; more than IOSIZE_MAX is EINVAL, and so is a path that is not a
/// symbolic link.
pub fn readlinkat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[3] > i64::MAX as u64 {
        return Err(Error::InvalidArgument);
    }
    let p = nonempty_path(ops, a[1])?;
    let target = ops.read_link(dirfd(a[0]), &p)?;
    let n = target.len().min(a[3] as usize);
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

/// __getcwd(buf, buflen): the path and its NUL, returning 0 (libc's
/// getcwd finds the length itself). As kern___getcwd: buflen < 2 is
/// EINVAL, more than MAXPATHLEN counts as MAXPATHLEN, and a path that
/// does not fit is ENOMEM (vn_fullpath's answer).
pub fn getcwd(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[1] < 2 {
        return Err(Error::InvalidArgument);
    }
    let room = a[1].min(MAXPATHLEN as u64) as usize;
    let mut cwd = ops.getcwd()?;
    cwd.push(0);
    if cwd.len() > room {
        return Err(Error::NoMemory);
    }
    ops.copy_out(a[0], &cwd).map(|_| 0)
}
