//! open and openat: FreeBSD's flags (`open_flags`) onto the core's open,
//! with O_SHLOCK/O_EXLOCK's lock taken as the file opens.

use super::open_flags::{decode_open, Refusal};
use super::{dirfd, path, AT_FDCWD};
use kernel_ops::{Error, KResult, KernelOps};

/// The error for a refused flag, logged once per kind when it is one this
/// personality does not implement.
pub fn refused(ops: &mut dyn KernelOps, r: Refusal) -> Error {
    if let Refusal::Unsupported(what) = r {
        ops.log_unsupported(format_args!("freebsd: {what} is not supported"));
    }
    r.into()
}

pub fn open(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    openat(ops, [AT_FDCWD as u64, a[0], a[1], a[2], 0, 0])
}

/// openat(fd, path, flags, mode). The mode loses the sticky bit and the
/// caller's umask, as kern_openat's `cmode` (the core applies the umask).
/// With O_SHLOCK or O_EXLOCK the new descriptor takes flock's lock,
/// waiting for it unless O_NONBLOCK (then EAGAIN), and is closed again if
/// it cannot be had, as vn_open_vnode does.
pub fn openat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let request = decode_open(a[2] as u32).map_err(|r| refused(ops, r))?;
    let p = path(ops, a[1])?;
    if p.is_empty() {
        if request.empty_path {
            // Reopening `fd`'s own file with new flags needs the core to
            // open a file by descriptor, which it cannot yet.
            return Err(refused(ops, Refusal::Unsupported("O_EMPTY_PATH with an empty path")));
        }
        return Err(Error::NotFound);
    }
    let mode = a[3] as u32 & 0o6777;
    let f = ops.open(dirfd(a[0]), &p, request.flags, mode)?;
    if let Some(kind) = request.lock {
        if let Err(e) = ops.lock_file(f, Some(kind), !request.flags.non_blocking) {
            let _ = ops.close(f);
            return Err(e);
        }
    }
    Ok(f as u64)
}
