//! Opening, closing and managing descriptors and file attributes.

use crate::util::{dirfd, fd, open_flags, open_flags_to_raw, path};
use kernel_ops::{DirFd, Error, KResult, KernelOps, StatusFlags};
use linux_abi::fcntl::*;

pub fn open(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    openat(ops, [AT_FDCWD as u64, a[0], a[1], a[2], 0, 0])
}

pub fn openat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let raw = a[2] as u32;
    // O_CREAT with O_DIRECTORY: EINVAL, before the path is read (Linux's
    // build_open_flags since 6.4; it once created a regular file).
    if raw & (O_CREAT | O_DIRECTORY) == O_CREAT | O_DIRECTORY {
        return Err(Error::InvalidArgument);
    }
    let p = path(ops, a[1])?;
    if raw & O_TMPFILE == O_TMPFILE {
        ops.log_unsupported(format_args!("linux: openat with O_TMPFILE"));
        return Err(Error::NotSupported);
    }
    Ok(ops.open(dirfd(a[0]), &p, open_flags(raw), a[3] as u32)? as u64)
}

/// Every flag open knows (Linux's VALID_OPEN_FLAGS): openat2 refuses
/// others, where open and openat ignore them.
const VALID_OPEN_FLAGS: u64 = 0o37777703;
/// The largest `struct open_how` openat2 reads (a page).
const OPEN_HOW_MAX: u64 = 4096;

/// openat2(dirfd, path, how, size): openat with an extensible `struct
/// open_how` checked as Linux's build_open_flags does (unknown flags,
/// a mode without O_CREAT, unknown resolve flags, BENEATH with IN_ROOT,
/// O_PATH with other flags: EINVAL; RESOLVE_CACHED with anything that
/// would create or truncate: EAGAIN), then the path walked under the
/// RESOLVE_* rules. Everything is cached here, so RESOLVE_CACHED lookups
/// never need to fail with EAGAIN otherwise.
pub fn openat2(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let size = a[3];
    if size < OpenHow::SIZE_VER0 as u64 {
        return Err(Error::InvalidArgument);
    }
    if size > OPEN_HOW_MAX {
        return Err(Error::ArgumentListTooLong);
    }
    let mut raw = crate::util::buffer(size as usize)?;
    ops.copy_in(a[2], &mut raw)?;
    let how = OpenHow::from_user(&raw).map_err(|e| {
        if e == linux_abi::errno::E2BIG {
            Error::ArgumentListTooLong
        } else {
            Error::InvalidArgument
        }
    })?;
    if how.flags & !VALID_OPEN_FLAGS != 0 {
        return Err(Error::InvalidArgument);
    }
    let flags = how.flags as u32;
    let creates = flags & O_CREAT != 0 || flags & O_TMPFILE == O_TMPFILE;
    if (creates && how.mode & !0o7777 != 0) || (!creates && how.mode != 0) {
        return Err(Error::InvalidArgument);
    }
    if how.resolve
        & !(RESOLVE_NO_XDEV
            | RESOLVE_NO_MAGICLINKS
            | RESOLVE_NO_SYMLINKS
            | RESOLVE_BENEATH
            | RESOLVE_IN_ROOT
            | RESOLVE_CACHED)
        != 0
    {
        return Err(Error::InvalidArgument);
    }
    if how.resolve & RESOLVE_BENEATH != 0 && how.resolve & RESOLVE_IN_ROOT != 0 {
        return Err(Error::InvalidArgument);
    }
    if flags & O_PATH != 0 && flags & !(O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC) != 0 {
        return Err(Error::InvalidArgument);
    }
    if flags & O_CREAT != 0 && flags & O_DIRECTORY != 0 {
        return Err(Error::InvalidArgument);
    }
    if how.resolve & RESOLVE_CACHED != 0 && (creates || flags & O_TRUNC != 0) {
        return Err(Error::WouldBlock);
    }
    let p = path(ops, a[1])?;
    if flags & O_TMPFILE == O_TMPFILE {
        ops.log_unsupported(format_args!("linux: openat2 with O_TMPFILE"));
        return Err(Error::NotSupported);
    }
    let rules = kernel_ops::ResolveRules {
        no_xdev: how.resolve & RESOLVE_NO_XDEV != 0,
        no_magic_links: how.resolve & RESOLVE_NO_MAGICLINKS != 0,
        no_symlinks: how.resolve & RESOLVE_NO_SYMLINKS != 0,
        beneath: how.resolve & RESOLVE_BENEATH != 0,
        in_root: how.resolve & RESOLVE_IN_ROOT != 0,
    };
    Ok(ops.open_with_rules(dirfd(a[0]), &p, open_flags(flags), how.mode as u32, rules)? as u64)
}

pub fn creat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    openat(ops, [AT_FDCWD as u64, a[0], u64::from(O_CREAT | O_WRONLY | O_TRUNC), a[1], 0, 0])
}

pub fn close(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.close(fd(a[0])).map(|_| 0)
}

/// close_range(first, last, flags): the core walks only the descriptors
/// that are open, so `last` may be ~0U as programs pass it.
pub fn close_range(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (first, last, flags) = (a[0] as u32, a[1] as u32, a[2] as u32);
    if flags & !(CLOSE_RANGE_CLOEXEC | CLOSE_RANGE_UNSHARE) != 0 || first > last {
        return Err(Error::InvalidArgument);
    }
    ops.close_range(first, last, flags & CLOSE_RANGE_CLOEXEC != 0, flags & CLOSE_RANGE_UNSHARE != 0).map(|_| 0)
}

pub fn dup(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    Ok(ops.dup(fd(a[0]), 0, false)? as u64)
}

pub fn dup2(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    // The descriptors are unsigned ints: compared as such.
    if a[0] as u32 == a[1] as u32 {
        // dup2 to itself only checks that the descriptor is open.
        ops.close_on_exec(fd(a[0]))?;
        return Ok(u64::from(a[1] as u32));
    }
    Ok(ops.dup_to(fd(a[0]), fd(a[1]), false)? as u64)
}

pub fn dup3(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[0] as u32 == a[1] as u32 || a[2] as u32 & !O_CLOEXEC != 0 {
        return Err(Error::InvalidArgument);
    }
    Ok(ops.dup_to(fd(a[0]), fd(a[1]), a[2] as u32 & O_CLOEXEC != 0)? as u64)
}

pub fn pipe(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    pipe2(ops, [a[0], 0, 0, 0, 0, 0])
}

pub fn pipe2(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let flags = a[1] as u32;
    if flags & !(O_CLOEXEC | O_NONBLOCK | O_DIRECT) != 0 {
        return Err(Error::InvalidArgument);
    }
    // Check the destination before creating anything.
    ops.copy_out(a[0], &[0u8; 8])?;
    let (r, w) = ops.pipe(flags & O_CLOEXEC != 0, flags & O_NONBLOCK != 0)?;
    let mut out = [0u8; 8];
    out[..4].copy_from_slice(&r.to_le_bytes());
    out[4..].copy_from_slice(&w.to_le_bytes());
    if let Err(e) = ops.copy_out(a[0], &out) {
        let _ = ops.close(r);
        let _ = ops.close(w);
        return Err(e);
    }
    Ok(0)
}

pub fn fcntl(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let f = fd(a[0]);
    match a[1] as u32 {
        F_DUPFD => Ok(ops.dup(f, a[2] as i32, false)? as u64),
        F_DUPFD_CLOEXEC => Ok(ops.dup(f, a[2] as i32, true)? as u64),
        F_GETFD => Ok(u64::from(ops.close_on_exec(f)?) * u64::from(FD_CLOEXEC)),
        F_SETFD => ops.set_close_on_exec(f, a[2] as u32 & FD_CLOEXEC != 0).map(|_| 0),
        F_GETFL => {
            let (opened, status) = ops.status_flags(f)?;
            Ok(u64::from(open_flags_to_raw(&opened, &status)))
        }
        F_SETFL => {
            let raw = a[2] as u32;
            ops.status_flags(f)?;
            ops.set_status_flags(f, StatusFlags { append: raw & O_APPEND != 0, non_blocking: raw & O_NONBLOCK != 0 })
                .map(|_| 0)
        }
        F_GETLK | F_SETLK | F_SETLKW | F_OFD_GETLK | F_OFD_SETLK | F_OFD_SETLKW => {
            super::locks::fcntl_lock(ops, f, a[1] as u32, a[2])
        }
        F_GETPIPE_SZ => ops.pipe_capacity(f).map(|n| n as u64),
        F_SETPIPE_SZ => {
            let size = pipe_size(a[2]).ok_or(Error::InvalidArgument)?;
            ops.set_pipe_capacity(f, size).map(|n| n as u64)
        }
        F_GETLEASE => Ok(u64::from(match ops.lease(f)? {
            Some(kernel_ops::LeaseKind::Read) => F_RDLCK,
            Some(kernel_ops::LeaseKind::Write) => F_WRLCK,
            None => F_UNLCK,
        })),
        F_SETLEASE => {
            let kind = match a[2] {
                x if x == u64::from(F_RDLCK) => Some(kernel_ops::LeaseKind::Read),
                x if x == u64::from(F_WRLCK) => Some(kernel_ops::LeaseKind::Write),
                x if x == u64::from(F_UNLCK) => None,
                _ => return Err(Error::InvalidArgument),
            };
            ops.set_lease(f, kind).map(|_| 0)
        }
        F_GET_SEALS => ops.seals(f).map(|s| u64::from(super::memfd::seals_to_raw(s))),
        F_ADD_SEALS => {
            let seals = super::memfd::seals_from_raw(a[2] as u32).ok_or(Error::InvalidArgument)?;
            ops.add_seals(f, seals).map(|_| 0)
        }
        cmd => {
            ops.log_unsupported(format_args!("linux: fcntl command {cmd}"));
            Err(Error::InvalidArgument)
        }
    }
}

/// The capacity F_SETPIPE_SZ gives for a requested size, as Linux rounds
/// it: at least a page, up to the next power-of-two number of pages;
/// None (EINVAL) past 2^31 bytes.
pub fn pipe_size(requested: u64) -> Option<usize> {
    const PAGE: u64 = 4096;
    if requested > 1 << 31 {
        return None;
    }
    Some(requested.max(PAGE).next_power_of_two() as usize)
}

pub fn fsync(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.fsync(fd(a[0])).map(|_| 0)
}

pub fn sync(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    ops.sync();
    Ok(0)
}

pub fn truncate(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if (a[1] as i64) < 0 {
        return Err(Error::InvalidArgument);
    }
    let p = path(ops, a[0])?;
    ops.truncate(DirFd::Cwd, &p, a[1]).map(|_| 0)
}

pub fn ftruncate(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if (a[1] as i64) < 0 {
        return Err(Error::InvalidArgument);
    }
    ops.ftruncate(fd(a[0]), a[1]).map(|_| 0)
}

pub fn access(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    faccessat2(ops, [AT_FDCWD as u64, a[0], a[1], 0, 0, 0])
}

pub fn faccessat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    faccessat2(ops, [a[0], a[1], a[2], 0, 0, 0])
}

pub fn faccessat2(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let mode = a[2] as u32;
    let flags = a[3] as u32;
    if mode & !7 != 0 || flags & !(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) != 0 {
        return Err(Error::InvalidArgument);
    }
    let p = path(ops, a[1])?;
    // An empty path names the descriptor's own file only with
    // AT_EMPTY_PATH (the core takes an empty path as that).
    if p.is_empty() && flags & AT_EMPTY_PATH == 0 {
        return Err(Error::NotFound);
    }
    ops.access(dirfd(a[0]), &p, mode, flags & AT_EACCESS != 0, flags & AT_SYMLINK_NOFOLLOW == 0).map(|_| 0)
}

pub fn chmod(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let p = path(ops, a[0])?;
    ops.chmod(DirFd::Cwd, &p, a[1] as u32, true).map(|_| 0)
}

/// The calls that use a descriptor's file through kernel operations that
/// also serve the AT_EMPTY_PATH forms (fchmod, fchown, futimens) or only
/// look at its node (fadvise) refuse an O_PATH descriptor here (EBADF, as
/// Linux's fdget); fchmodat2, fchownat and utimensat with AT_EMPTY_PATH
/// accept one.
fn not_path_only(ops: &mut dyn KernelOps, f: i32) -> KResult<()> {
    if ops.status_flags(f)?.0.path_only {
        return Err(Error::BadDescriptor);
    }
    Ok(())
}

pub fn fchmod(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    not_path_only(ops, fd(a[0]))?;
    ops.fchmod(fd(a[0]), a[1] as u32).map(|_| 0)
}

pub fn fchmodat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let p = path(ops, a[1])?;
    ops.chmod(dirfd(a[0]), &p, a[2] as u32, true).map(|_| 0)
}

/// fchmodat2(dirfd, path, mode, flags): fchmodat with flags. With
/// AT_SYMLINK_NOFOLLOW a symlink itself cannot change mode (EOPNOTSUPP,
/// as Linux); AT_EMPTY_PATH with an empty path changes `dirfd`'s file.
pub fn fchmodat2(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let flags = a[3] as u32;
    if flags & !(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) != 0 {
        return Err(Error::InvalidArgument);
    }
    let p = path(ops, a[1])?;
    let (dir, mode) = (dirfd(a[0]), a[2] as u32);
    if p.is_empty() && flags & AT_EMPTY_PATH != 0 {
        return match dir {
            DirFd::Cwd => ops.chmod(DirFd::Cwd, b".", mode, true).map(|_| 0),
            DirFd::Fd(f) => ops.fchmod(f, mode).map(|_| 0),
        };
    }
    let follow = flags & AT_SYMLINK_NOFOLLOW == 0;
    if !follow && ops.stat(dir, &p, false)?.meta.file_type == vfs::FileType::Symlink {
        return Err(Error::NotSupported);
    }
    ops.chmod(dir, &p, mode, follow).map(|_| 0)
}

fn id(raw: u64) -> Option<u32> {
    (raw as u32 != u32::MAX).then_some(raw as u32)
}

pub fn chown(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let p = path(ops, a[0])?;
    ops.chown(DirFd::Cwd, &p, id(a[1]), id(a[2]), true).map(|_| 0)
}

pub fn lchown(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let p = path(ops, a[0])?;
    ops.chown(DirFd::Cwd, &p, id(a[1]), id(a[2]), false).map(|_| 0)
}

pub fn fchown(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    not_path_only(ops, fd(a[0]))?;
    ops.fchown(fd(a[0]), id(a[1]), id(a[2])).map(|_| 0)
}

pub fn fchownat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let flags = a[4] as u32;
    if flags & !(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) != 0 {
        return Err(Error::InvalidArgument);
    }
    let p = path(ops, a[1])?;
    if p.is_empty() && flags & AT_EMPTY_PATH != 0 {
        // The directory descriptor's own file; AT_FDCWD's is the working
        // directory (Linux's lookup of "" with LOOKUP_EMPTY).
        return match dirfd(a[0]) {
            DirFd::Cwd => ops.chown(DirFd::Cwd, b".", id(a[2]), id(a[3]), true).map(|_| 0),
            DirFd::Fd(f) => ops.fchown(f, id(a[2]), id(a[3])).map(|_| 0),
        };
    }
    ops.chown(dirfd(a[0]), &p, id(a[2]), id(a[3]), flags & AT_SYMLINK_NOFOLLOW == 0).map(|_| 0)
}

pub fn umask(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    Ok(u64::from(ops.umask(a[0] as u32)))
}

const UTIME_NOW: i64 = (1 << 30) - 1;
const UTIME_OMIT: i64 = (1 << 30) - 2;

/// utimensat(dirfd, path, times, flags) in Linux's order: both times
/// read (EFAULT); both UTIME_OMIT is success without looking at the flags
/// or the path; a bad tv_nsec EINVAL; then a NULL path names `dirfd`'s own
/// file (no flags allowed, EINVAL; with AT_FDCWD it is EFAULT, as Linux's
/// path lookup of NULL), else the flags are checked and the path walked.
pub fn utimensat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let flags = a[3] as u32;
    let (atime, mtime) = if a[2] == 0 {
        (Some(None), Some(None))
    } else {
        let mut b = [0u8; 32];
        ops.copy_in(a[2], &mut b)?;
        let t = [
            linux_abi::time::Timespec::from_bytes(&b[..16]).ok_or(Error::Fault)?,
            linux_abi::time::Timespec::from_bytes(&b[16..]).ok_or(Error::Fault)?,
        ];
        if t[0].tv_nsec == UTIME_OMIT && t[1].tv_nsec == UTIME_OMIT {
            return Ok(0);
        }
        let mut out = [None, None];
        for (slot, t) in out.iter_mut().zip(t) {
            *slot = match t.tv_nsec {
                UTIME_NOW => Some(None),
                UTIME_OMIT => None,
                n if (0..1_000_000_000).contains(&n) => Some(Some((t.tv_sec, n as u32))),
                _ => return Err(Error::InvalidArgument),
            };
        }
        (out[0], out[1])
    };
    if a[1] == 0 {
        let dir = dirfd(a[0]);
        if dir != DirFd::Cwd && flags != 0 {
            return Err(Error::InvalidArgument);
        }
    }
    if flags & !(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) != 0 {
        return Err(Error::InvalidArgument);
    }
    if a[1] == 0 {
        // The descriptor's own file (Linux's do_utimes_fd): an O_PATH
        // descriptor is EBADF here, unlike AT_EMPTY_PATH's path walk.
        return match dirfd(a[0]) {
            DirFd::Cwd => Err(Error::Fault),
            DirFd::Fd(f) => {
                not_path_only(ops, f)?;
                ops.set_times(DirFd::Fd(f), None, atime, mtime, true).map(|_| 0)
            }
        };
    }
    let p = path(ops, a[1])?;
    if p.is_empty() {
        // An empty path names the descriptor only with AT_EMPTY_PATH.
        if flags & AT_EMPTY_PATH == 0 {
            return Err(Error::NotFound);
        }
        return ops.set_times(dirfd(a[0]), None, atime, mtime, true).map(|_| 0);
    }
    ops.set_times(dirfd(a[0]), Some(&p), atime, mtime, flags & AT_SYMLINK_NOFOLLOW == 0).map(|_| 0)
}

pub fn utimes(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    times_from_timevals(ops, DirFd::Cwd, a[0], a[1], false)
}

/// futimesat(dirfd, path, times): utimes relative to a directory; a NULL
/// path means `dirfd`'s own file, as Linux's do_utimes.
pub fn futimesat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    times_from_timevals(ops, dirfd(a[0]), a[1], a[2], true)
}

/// utimes and futimesat: two `struct timeval`s (NULL: now), microseconds
/// outside 0..1_000_000 EINVAL.
fn times_from_timevals(
    ops: &mut dyn KernelOps,
    dir: DirFd,
    path_addr: u64,
    times_addr: u64,
    null_path_is_dir: bool,
) -> KResult<u64> {
    let a = [path_addr, times_addr];
    let times = if a[1] == 0 {
        (Some(None), Some(None))
    } else {
        let mut b = [0u8; 32];
        ops.copy_in(a[1], &mut b)?;
        let tv = |o: usize| {
            let s = i64::from_le_bytes(b[o..o + 8].try_into().unwrap_or([0; 8]));
            let us = i64::from_le_bytes(b[o + 8..o + 16].try_into().unwrap_or([0; 8]));
            if !(0..1_000_000).contains(&us) {
                return Err(Error::InvalidArgument);
            }
            Ok(Some(Some((s, (us * 1000) as u32))))
        };
        (tv(0)?, tv(16)?)
    };
    if a[0] == 0 && null_path_is_dir {
        return match dir {
            DirFd::Fd(_) => ops.set_times(dir, None, times.0, times.1, true).map(|_| 0),
            DirFd::Cwd => Err(Error::Fault),
        };
    }
    let p = path(ops, a[0])?;
    ops.set_times(dir, Some(&p), times.0, times.1, true).map(|_| 0)
}

pub fn utime(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let p = path(ops, a[0])?;
    let (at, mt) = if a[1] == 0 {
        (Some(None), Some(None))
    } else {
        let mut b = [0u8; 16];
        ops.copy_in(a[1], &mut b)?;
        let at = i64::from_le_bytes(b[..8].try_into().unwrap_or([0; 8]));
        let mt = i64::from_le_bytes(b[8..].try_into().unwrap_or([0; 8]));
        (Some(Some((at, 0))), Some(Some((mt, 0))))
    };
    ops.set_times(DirFd::Cwd, Some(&p), at, mt, true).map(|_| 0)
}

/// fadvise64(fd, offset, len, advice): the advice is only a hint. Checked
/// as Linux checks it (a descriptor, not a pipe, a known advice, a length
/// that is not negative) and then accepted.
pub fn fadvise64(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    not_path_only(ops, fd(a[0]))?;
    let st = ops.fstat(fd(a[0]))?;
    if st.meta.file_type == vfs::FileType::Fifo {
        return Err(Error::IllegalSeek);
    }
    // advice is an int: only its low 32 bits count.
    if a[3] as u32 > 5 || (a[2] as i64) < 0 {
        return Err(Error::InvalidArgument);
    }
    Ok(0)
}
