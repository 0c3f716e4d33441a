//! Decoding Linux arguments into the core's neutral types.

use alloc::vec::Vec;
use kernel_ops::{DirFd, Error, FileStat, KResult, KernelOps, OpenFlags, Signal};
use linux_abi::fcntl::*;
use linux_abi::stat::Stat;
use linux_abi::time::Timespec;

/// PATH_MAX, including the NUL.
pub const PATH_MAX: usize = 4096;
/// Limit on the total size of argv + envp (Linux: a quarter of the stack
/// limit, at least 128 KiB; we use the common 2 MiB).
pub const ARG_MAX: usize = 2 << 20;

/// A zero-filled buffer whose size a program chose: running out of memory
/// is ENOMEM for the caller, never an abort of the kernel.
pub fn buffer(len: usize) -> KResult<Vec<u8>> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).map_err(|_| Error::NoMemory)?;
    v.resize(len, 0);
    Ok(v)
}

pub fn path(ops: &mut dyn KernelOps, addr: u64) -> KResult<Vec<u8>> {
    if addr == 0 {
        return Err(Error::Fault);
    }
    ops.copy_in_cstring(addr, PATH_MAX - 1)
}

pub fn dirfd(raw: u64) -> DirFd {
    if raw as i32 == AT_FDCWD {
        DirFd::Cwd
    } else {
        DirFd::Fd(raw as i32)
    }
}

pub fn fd(raw: u64) -> i32 {
    raw as i32
}

pub fn open_flags(raw: u32) -> OpenFlags {
    let access = raw & O_ACCMODE;
    let path_only = raw & O_PATH != 0;
    OpenFlags {
        read: !path_only && (access == O_RDONLY || access == O_RDWR),
        write: !path_only && (access == O_WRONLY || access == O_RDWR),
        append: raw & O_APPEND != 0,
        create: raw & O_CREAT != 0 && !path_only,
        exclusive: raw & O_EXCL != 0,
        truncate: raw & O_TRUNC != 0,
        directory: raw & O_DIRECTORY != 0,
        no_follow: raw & O_NOFOLLOW != 0,
        close_on_exec: raw & O_CLOEXEC != 0,
        non_blocking: raw & O_NONBLOCK != 0,
        path_only,
        no_controlling_tty: raw & O_NOCTTY != 0,
        no_atime: raw & O_NOATIME != 0,
    }
}

/// The F_GETFL value for an open file.
pub fn open_flags_to_raw(opened: &OpenFlags, status: &kernel_ops::StatusFlags) -> u32 {
    let mut v = if opened.path_only {
        O_PATH
    } else if opened.read && opened.write {
        O_RDWR
    } else if opened.write {
        O_WRONLY
    } else {
        O_RDONLY
    };
    if status.append {
        v |= O_APPEND;
    }
    if status.non_blocking {
        v |= O_NONBLOCK;
    }
    v | O_LARGEFILE
}

pub fn signal(raw: u64) -> KResult<Signal> {
    u32::try_from(raw).ok().and_then(crate::signals::from_linux).ok_or(Error::InvalidArgument)
}

/// An optional signal: 0 means "only check that the target exists".
pub fn optional_signal(raw: u64) -> KResult<Option<Signal>> {
    if raw == 0 {
        Ok(None)
    } else {
        signal(raw).map(Some)
    }
}

pub fn read_bytes<const N: usize>(ops: &mut dyn KernelOps, addr: u64) -> KResult<[u8; N]> {
    let mut b = [0u8; N];
    ops.copy_in(addr, &mut b)?;
    Ok(b)
}

pub fn read_u64(ops: &mut dyn KernelOps, addr: u64) -> KResult<u64> {
    Ok(u64::from_le_bytes(read_bytes::<8>(ops, addr)?))
}

pub fn write_u32(ops: &mut dyn KernelOps, addr: u64, v: u32) -> KResult<()> {
    ops.copy_out(addr, &v.to_le_bytes())
}

pub fn write_u64(ops: &mut dyn KernelOps, addr: u64, v: u64) -> KResult<()> {
    ops.copy_out(addr, &v.to_le_bytes())
}

pub fn read_timespec(ops: &mut dyn KernelOps, addr: u64) -> KResult<Timespec> {
    let b = read_bytes::<{ Timespec::SIZE }>(ops, addr)?;
    let t = Timespec::from_bytes(&b).ok_or(Error::Fault)?;
    if !t.is_valid() {
        return Err(Error::InvalidArgument);
    }
    Ok(t)
}

pub fn write_timespec(ops: &mut dyn KernelOps, addr: u64, ns: u64) -> KResult<()> {
    ops.copy_out(addr, &Timespec::from_nanos(ns).to_bytes())
}

/// A NULL-terminated array of string pointers (argv, envp).
pub fn string_array(ops: &mut dyn KernelOps, addr: u64) -> KResult<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    if addr == 0 {
        return Ok(out);
    }
    let mut total = 0usize;
    for i in 0.. {
        let ptr = read_u64(ops, addr.checked_add(i * 8).ok_or(Error::Fault)?)?;
        if ptr == 0 {
            break;
        }
        let s = ops.copy_in_cstring(ptr, ARG_MAX).map_err(|e| {
            if e == Error::NameTooLong {
                Error::ArgumentListTooLong
            } else {
                e
            }
        })?;
        total += s.len() + 1 + 8;
        if total > ARG_MAX {
            return Err(Error::ArgumentListTooLong);
        }
        out.push(s);
    }
    Ok(out)
}

pub fn mode_bits(ft: vfs::FileType) -> u32 {
    match ft {
        vfs::FileType::Regular => S_IFREG_,
        vfs::FileType::Directory => linux_abi::stat::S_IFDIR,
        vfs::FileType::Symlink => linux_abi::stat::S_IFLNK,
        vfs::FileType::CharDevice => linux_abi::stat::S_IFCHR,
        vfs::FileType::BlockDevice => linux_abi::stat::S_IFBLK,
        vfs::FileType::Fifo => linux_abi::stat::S_IFIFO,
        vfs::FileType::Socket => linux_abi::stat::S_IFSOCK,
    }
}

const S_IFREG_: u32 = linux_abi::stat::S_IFREG;

/// Linux's encoding of a device number (the "new" 32-bit-minor format).
pub fn encode_dev(major: u32, minor: u32) -> u64 {
    let (major, minor) = (u64::from(major), u64::from(minor));
    (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & !0xff) << 12) | ((major & !0xfff) << 32)
}

pub fn decode_dev(dev: u64) -> (u32, u32) {
    let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff);
    let minor = (dev & 0xff) | ((dev >> 12) & !0xff);
    (major as u32, minor as u32)
}

pub fn stat_of(s: &FileStat) -> Stat {
    let m = &s.meta;
    Stat {
        st_dev: s.dev,
        st_ino: m.ino,
        st_nlink: u64::from(m.nlink),
        st_mode: mode_bits(m.file_type) | (m.mode & 0o7777),
        st_uid: m.uid,
        st_gid: m.gid,
        st_rdev: encode_dev(m.rdev.major, m.rdev.minor),
        st_size: m.size as i64,
        st_blksize: i64::from(m.blksize.max(512)),
        st_blocks: m.blocks as i64,
        st_atime: m.atime.secs,
        st_atime_nsec: u64::from(m.atime.nanos),
        st_mtime: m.mtime.secs,
        st_mtime_nsec: u64::from(m.mtime.nanos),
        st_ctime: m.ctime.secs,
        st_ctime_nsec: u64::from(m.ctime.nanos),
    }
}
