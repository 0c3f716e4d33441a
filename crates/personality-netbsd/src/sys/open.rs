//! open and openat: NetBSD's flags (`open_flags`) onto the core's open,
//! with O_SHLOCK/O_EXLOCK's lock taken as the file opens.

use super::args::{dirfd, nonempty_path, AT_FDCWD};
use super::open_flags::{decode_open, Refusal};
use kernel_ops::{Error, KResult, KernelOps};

/// EFTYPE, "inappropriate file type or format": what NetBSD's vn_open
/// answers when O_NOFOLLOW meets a symbolic link. The core has no error
/// of that name; `Error::BadLibrary` (Linux's ELIBBAD, which NetBSD lacks)
/// is the one this personality's errno table writes as EFTYPE.
pub const EFTYPE: Error = Error::BadLibrary;

/// The error for a refused flag, logged once per kind when it is one this
/// personality does not implement.
pub fn refused(ops: &mut dyn KernelOps, r: Refusal) -> Error {
    if let Refusal::Unsupported(what) = r {
        ops.log_unsupported(format_args!("netbsd: {what} is not supported"));
    }
    r.into()
}

pub fn open(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    openat(ops, [AT_FDCWD as u64, a[0], a[1], a[2], 0, 0])
}

/// openat(fd, path, oflags, mode). The mode loses the sticky bit and the
/// umask (do_open's `cmode`; the core applies the umask). With O_SHLOCK
/// or O_EXLOCK the new descriptor takes flock's lock, waiting for it
/// unless O_NONBLOCK (then EAGAIN), and is closed again if it cannot be
/// had (open_setfp). O_NOFOLLOW on a symbolic link is EFTYPE where the
/// core says ELOOP; a loop met earlier in the path stays ELOOP.
pub fn openat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let request = decode_open(a[2] as u32).map_err(|r| refused(ops, r))?;
    let p = nonempty_path(ops, a[1])?;
    let mode = a[3] as u32 & 0o6777;
    let f = match ops.open(dirfd(a[0]), &p, request.flags, mode) {
        Err(Error::Loop) if request.flags.no_follow => {
            let last_is_link = ops.stat(dirfd(a[0]), &p, false).map(|s| s.meta.file_type == vfs::FileType::Symlink);
            return Err(if last_is_link == Ok(true) { EFTYPE } else { Error::Loop });
        }
        r => r?,
    };
    if let Some(kind) = request.lock {
        if let Err(e) = ops.lock_file(f, Some(kind), !request.flags.non_blocking) {
            let _ = ops.close(f);
            return Err(e);
        }
    }
    Ok(f as u64)
}

#[cfg(test)]
mod tests {
    #[test]
    fn eftype_is_written_as_netbsd_s_79() {
        assert_eq!(crate::errno::errno_of(super::EFTYPE), 79);
    }
}
