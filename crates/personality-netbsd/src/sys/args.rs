//! Decoding the arguments the file calls share: directory descriptors,
//! paths and bounce buffers.

use alloc::vec::Vec;
use kernel_ops::{DirFd, Error, KResult, KernelOps};

/// NetBSD's AT_FDCWD (sys/sys/fcntl.h), the same number as Linux's.
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
/// ENAMETOOLONG (pathbuf_copyin's copyinstr); NULL is EFAULT. A path into
/// NetBSD's procfs under `curproc` is read as the same path under `self`
/// (`procfs_alias`).
pub fn path(ops: &mut dyn KernelOps, addr: u64) -> KResult<Vec<u8>> {
    if addr == 0 {
        return Err(Error::Fault);
    }
    ops.copy_in_cstring(addr, MAXPATHLEN - 1).map(procfs_alias)
}

/// NetBSD's procfs names the calling process's directory `/proc/curproc`
/// (Go's os.Executable reads the link `/proc/curproc/exe`); Helctic's
/// /proc is the Linux personality's, which calls the same directory
/// `/proc/self`. An absolute path naming `/proc/curproc` or something in
/// it is taken as that under `/proc/self`; a relative one (from a working
/// directory of /proc) is not.
pub fn procfs_alias(p: Vec<u8>) -> Vec<u8> {
    const CURPROC: &[u8] = b"/proc/curproc";
    match p.strip_prefix(CURPROC) {
        Some(rest) if rest.is_empty() || rest[0] == b'/' => {
            let mut q = Vec::with_capacity(p.len());
            q.extend_from_slice(b"/proc/self");
            q.extend_from_slice(rest);
            q
        }
        _ => p,
    }
}

/// A path that must name something: namei refuses the empty path with
/// ENOENT (the core would read "" as the directory itself).
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

#[cfg(test)]
mod tests {
    use super::procfs_alias;

    #[test]
    fn curproc_is_self() {
        assert_eq!(procfs_alias(b"/proc/curproc/exe".to_vec()), b"/proc/self/exe");
        assert_eq!(procfs_alias(b"/proc/curproc".to_vec()), b"/proc/self");
        assert_eq!(procfs_alias(b"/proc/curprocx/exe".to_vec()), b"/proc/curprocx/exe");
        assert_eq!(procfs_alias(b"proc/curproc/exe".to_vec()), b"proc/curproc/exe");
        assert_eq!(procfs_alias(b"/tmp/proc/curproc".to_vec()), b"/tmp/proc/curproc");
    }
}
