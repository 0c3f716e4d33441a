//! The handlers, one file per kind of call. Each decodes FreeBSD's
//! arguments (an `int` is the low 32 bits of its register) and asks the
//! core.

pub mod access;
pub mod descriptors;
pub mod dirent;
pub mod ids;
pub mod io;
pub mod ioctl;
pub mod kqueue;
pub mod locks;
pub mod memory;
pub mod names;
pub mod open;
pub mod open_flags;
pub mod process;
pub mod random;
pub mod resources;
pub mod signal;
pub mod stat;
pub mod sysctl;
pub mod thread;
pub mod time;
pub mod wait;

use alloc::vec::Vec;
use kernel_ops::{DirFd, Error, KResult, KernelOps};

/// An `int` descriptor argument: the low 32 bits, sign-extended.
pub fn fd(raw: u64) -> i32 {
    raw as i32
}

/// FreeBSD's AT_FDCWD (sys/sys/fcntl.h), the same number as Linux's.
pub const AT_FDCWD: i32 = -100;

/// A directory descriptor argument of the *at calls.
pub fn dirfd(raw: u64) -> DirFd {
    match raw as i32 {
        AT_FDCWD => DirFd::Cwd,
        f => DirFd::Fd(f),
    }
}

/// MAXPATHLEN (sys/sys/param.h): a path's bytes including the NUL.
pub const MAXPATHLEN: usize = 1024;

/// A path argument: at most MAXPATHLEN - 1 bytes before the NUL, else
/// ENAMETOOLONG (namei's copyinstr), NULL is EFAULT.
pub fn path(ops: &mut dyn KernelOps, addr: u64) -> KResult<Vec<u8>> {
    if addr == 0 {
        return Err(Error::Fault);
    }
    ops.copy_in_cstring(addr, MAXPATHLEN - 1)
}

/// A path that must name something: namei refuses the empty path with
/// ENOENT unless the call takes AT_EMPTY_PATH (the core would read "" as
/// the directory itself).
pub fn nonempty_path(ops: &mut dyn KernelOps, addr: u64) -> KResult<Vec<u8>> {
    let p = path(ops, addr)?;
    if p.is_empty() {
        return Err(Error::NotFound);
    }
    Ok(p)
}

/// A zero-filled buffer of a size the program chose: running out of
/// memory is ENOMEM for the caller, never an abort of the kernel.
pub fn buffer(len: usize) -> KResult<Vec<u8>> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).map_err(|_| Error::NoMemory)?;
    v.resize(len, 0);
    Ok(v)
}
