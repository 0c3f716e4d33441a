//! Extended attributes: argument checks in Linux's order, then the core
//! (which applies the namespaces' permission rules and asks the file
//! system). ramfs/tmpfs store them; /proc and the ext2 server store none
//! (setting one is EOPNOTSUPP, listing gives nothing).

use crate::util::{fd, path};
use alloc::vec::Vec;
use kernel_ops::{DirFd, Error, KResult, KernelOps, NodeTarget};
use vfs::XattrSet;

/// XATTR_NAME_MAX: the longest attribute name.
const NAME_MAX: usize = 255;
/// XATTR_SIZE_MAX: the largest value (and the most a read asks for).
const SIZE_MAX: u64 = 65536;
/// XATTR_LIST_MAX: the longest list.
const LIST_MAX: u64 = 65536;
const XATTR_CREATE: u64 = 1;
const XATTR_REPLACE: u64 = 2;

/// An attribute name: 1 to 255 bytes (ERANGE otherwise, as Linux).
fn name(ops: &mut dyn KernelOps, addr: u64) -> KResult<Vec<u8>> {
    let name =
        ops.copy_in_cstring(addr, NAME_MAX).map_err(|e| if e == Error::NameTooLong { Error::OutOfRange } else { e })?;
    if name.is_empty() {
        return Err(Error::OutOfRange);
    }
    Ok(name)
}

/// Which node: a path (following a final link or not) or a descriptor.
enum Via {
    Path(bool),
    Fd,
}

fn with_target<T>(
    ops: &mut dyn KernelOps,
    via: Via,
    arg: u64,
    f: impl FnOnce(&mut dyn KernelOps, NodeTarget<'_>) -> KResult<T>,
) -> KResult<T> {
    match via {
        Via::Path(follow) => {
            let p = path(ops, arg)?;
            f(ops, NodeTarget::Path { dir: DirFd::Cwd, path: &p, follow })
        }
        Via::Fd => f(ops, NodeTarget::Fd(fd(arg))),
    }
}

/// Copies a value or list to a buffer of `size` bytes: size 0 asks only
/// for the length; a smaller buffer is ERANGE.
fn give(ops: &mut dyn KernelOps, data: &[u8], buf: u64, size: u64, max: u64) -> KResult<u64> {
    if size == 0 {
        return Ok(data.len() as u64);
    }
    if data.len() as u64 > size.min(max) {
        return Err(if data.len() as u64 > max { Error::ArgumentListTooLong } else { Error::OutOfRange });
    }
    ops.copy_out(buf, data)?;
    Ok(data.len() as u64)
}

fn get(ops: &mut dyn KernelOps, via: Via, a: [u64; 6]) -> KResult<u64> {
    let value = with_target(ops, via, a[0], |ops, target| {
        let n = name(ops, a[1])?;
        ops.get_xattr(target, &n)
    })?;
    give(ops, &value, a[2], a[3], SIZE_MAX)
}

fn set(ops: &mut dyn KernelOps, via: Via, a: [u64; 6]) -> KResult<u64> {
    let how = match a[4] {
        0 => XattrSet::Any,
        XATTR_CREATE => XattrSet::Create,
        XATTR_REPLACE => XattrSet::Replace,
        _ => return Err(Error::InvalidArgument),
    };
    let n = name(ops, a[1])?;
    if a[3] > SIZE_MAX {
        return Err(Error::ArgumentListTooLong);
    }
    let mut value = crate::util::buffer(a[3] as usize)?;
    if !value.is_empty() {
        ops.copy_in(a[2], &mut value)?;
    }
    with_target(ops, via, a[0], |ops, target| ops.set_xattr(target, &n, &value, how)).map(|_| 0)
}

fn list(ops: &mut dyn KernelOps, via: Via, a: [u64; 6]) -> KResult<u64> {
    let names = with_target(ops, via, a[0], |ops, target| ops.list_xattr(target))?;
    let mut bytes = Vec::new();
    for n in names {
        bytes.extend_from_slice(&n);
        bytes.push(0);
    }
    give(ops, &bytes, a[1], a[2], LIST_MAX)
}

fn remove(ops: &mut dyn KernelOps, via: Via, a: [u64; 6]) -> KResult<u64> {
    with_target(ops, via, a[0], |ops, target| {
        let n = name(ops, a[1])?;
        ops.remove_xattr(target, &n)
    })
    .map(|_| 0)
}

pub fn getxattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    get(ops, Via::Path(true), a)
}

pub fn lgetxattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    get(ops, Via::Path(false), a)
}

pub fn fgetxattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    get(ops, Via::Fd, a)
}

pub fn listxattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    list(ops, Via::Path(true), a)
}

pub fn llistxattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    list(ops, Via::Path(false), a)
}

pub fn flistxattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    list(ops, Via::Fd, a)
}

pub fn setxattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    set(ops, Via::Path(true), a)
}

pub fn lsetxattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    set(ops, Via::Path(false), a)
}

pub fn fsetxattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    set(ops, Via::Fd, a)
}

pub fn removexattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    remove(ops, Via::Path(true), a)
}

pub fn lremovexattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    remove(ops, Via::Path(false), a)
}

pub fn fremovexattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    remove(ops, Via::Fd, a)
}
