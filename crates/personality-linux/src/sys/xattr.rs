//! Extended attributes. No Helctic file system stores them yet (ramfs,
//! /proc and the ext2 server have none), so every file has an empty set:
//! reading one gives ENODATA, listing gives nothing, and setting one is
//! refused with EOPNOTSUPP, which is what Linux answers for a file system
//! mounted without xattr support. Programs (ls, cp -a, tar, python's
//! shutil) treat those answers as "no attributes". The file must still
//! exist and the name must be valid, as on Linux.

use crate::util::{fd, path};
use kernel_ops::{DirFd, Error, KResult, KernelOps};

/// XATTR_NAME_MAX: the longest attribute name.
const NAME_MAX: usize = 255;
/// XATTR_SIZE_MAX: the largest value.
const SIZE_MAX: u64 = 65536;
/// setxattr's flags: XATTR_CREATE | XATTR_REPLACE.
const SET_FLAGS: u64 = 3;

/// The file a path call names must exist (following links or not).
fn check_path(ops: &mut dyn KernelOps, path_addr: u64, follow: bool) -> KResult<()> {
    let p = path(ops, path_addr)?;
    ops.stat(DirFd::Cwd, &p, follow).map(drop)
}

/// An attribute name: `namespace.name`, 1 to 255 bytes.
fn check_name(ops: &mut dyn KernelOps, addr: u64) -> KResult<()> {
    let name = ops.copy_in_cstring(addr, NAME_MAX).map_err(|e| if e == Error::NameTooLong { Error::OutOfRange } else { e })?;
    if name.is_empty() {
        return Err(Error::OutOfRange);
    }
    Ok(())
}

fn get(ops: &mut dyn KernelOps, name: u64) -> KResult<u64> {
    check_name(ops, name)?;
    Err(Error::NoData)
}

fn set(ops: &mut dyn KernelOps, name: u64, size: u64, flags: u64) -> KResult<u64> {
    if flags & !SET_FLAGS != 0 || size > SIZE_MAX {
        return Err(if size > SIZE_MAX { Error::OutOfRange } else { Error::InvalidArgument });
    }
    check_name(ops, name)?;
    if flags & 2 != 0 {
        return Err(Error::NoData); // XATTR_REPLACE of an attribute that is not there
    }
    Err(Error::NotSupported)
}

pub fn getxattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    check_path(ops, a[0], true)?;
    get(ops, a[1])
}

pub fn lgetxattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    check_path(ops, a[0], false)?;
    get(ops, a[1])
}

pub fn fgetxattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.fstat(fd(a[0]))?;
    get(ops, a[1])
}

/// The list is empty: its size is 0 whatever the buffer.
pub fn listxattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    check_path(ops, a[0], true).map(|_| 0)
}

pub fn llistxattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    check_path(ops, a[0], false).map(|_| 0)
}

pub fn flistxattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.fstat(fd(a[0])).map(|_| 0)
}

pub fn setxattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    check_path(ops, a[0], true)?;
    set(ops, a[1], a[3], a[4])
}

pub fn lsetxattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    check_path(ops, a[0], false)?;
    set(ops, a[1], a[3], a[4])
}

pub fn fsetxattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.fstat(fd(a[0]))?;
    set(ops, a[1], a[3], a[4])
}

pub fn removexattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    check_path(ops, a[0], true)?;
    get(ops, a[1])
}

pub fn lremovexattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    check_path(ops, a[0], false)?;
    get(ops, a[1])
}

pub fn fremovexattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.fstat(fd(a[0]))?;
    get(ops, a[1])
}
