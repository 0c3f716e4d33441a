//! The stat family.

use crate::util::{dirfd, fd, mode_bits, path, stat_of};
use kernel_ops::{DirFd, Error, FileStat, KResult, KernelOps};
use linux_abi::fcntl::{AT_EMPTY_PATH, AT_NO_AUTOMOUNT, AT_SYMLINK_NOFOLLOW};
use linux_abi::statx::{Statx, StatxTimestamp};

fn put_stat(ops: &mut dyn KernelOps, addr: u64, s: &FileStat) -> KResult<u64> {
    ops.copy_out(addr, &stat_of(s).to_bytes()).map(|_| 0)
}

pub fn stat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let p = path(ops, a[0])?;
    let s = ops.stat(DirFd::Cwd, &p, true)?;
    put_stat(ops, a[1], &s)
}

pub fn lstat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let p = path(ops, a[0])?;
    let s = ops.stat(DirFd::Cwd, &p, false)?;
    put_stat(ops, a[1], &s)
}

pub fn fstat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let s = ops.fstat(fd(a[0]))?;
    put_stat(ops, a[1], &s)
}

/// Resolves the target of an *at stat call, honouring AT_EMPTY_PATH.
fn stat_at(ops: &mut dyn KernelOps, dir: u64, path_addr: u64, flags: u32) -> KResult<FileStat> {
    if flags & !(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | 0x6000) != 0 {
        return Err(Error::InvalidArgument);
    }
    let p = path(ops, path_addr)?;
    if p.is_empty() {
        if flags & AT_EMPTY_PATH == 0 {
            return Err(Error::NotFound);
        }
        return match dirfd(dir) {
            DirFd::Fd(f) => ops.fstat(f),
            DirFd::Cwd => ops.stat(DirFd::Cwd, b".", true),
        };
    }
    ops.stat(dirfd(dir), &p, flags & AT_SYMLINK_NOFOLLOW == 0)
}

pub fn newfstatat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let s = stat_at(ops, a[0], a[1], a[3] as u32)?;
    put_stat(ops, a[2], &s)
}

pub fn statx(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let s = stat_at(ops, a[0], a[1], a[2] as u32)?;
    let m = &s.meta;
    let t = |ts: vfs::Timestamp| StatxTimestamp { tv_sec: ts.secs, tv_nsec: ts.nanos };
    let (dev_major, dev_minor) = crate::util::decode_dev(s.dev);
    let out = Statx {
        stx_mask: linux_abi::statx::STATX_BASIC_STATS,
        stx_blksize: m.blksize.max(512),
        stx_nlink: m.nlink,
        stx_uid: m.uid,
        stx_gid: m.gid,
        stx_mode: (mode_bits(m.file_type) | (m.mode & 0o7777)) as u16,
        stx_ino: m.ino,
        stx_size: m.size,
        stx_blocks: m.blocks,
        stx_atime: t(m.atime),
        stx_ctime: t(m.ctime),
        stx_mtime: t(m.mtime),
        stx_rdev_major: m.rdev.major,
        stx_rdev_minor: m.rdev.minor,
        stx_dev_major: dev_major,
        stx_dev_minor: dev_minor,
        ..Statx::default()
    };
    ops.copy_out(a[4], &out.to_bytes()).map(|_| 0)
}

/// struct statfs on x86_64: 120 bytes of 64-bit fields.
fn put_statfs(ops: &mut dyn KernelOps, addr: u64, magic: u64) -> KResult<u64> {
    let mut b = [0u8; 120];
    let fields: [u64; 9] = [magic, 4096, 0, 0, 0, 0, 0, 0, 255];
    for (i, v) in fields.iter().enumerate() {
        let off = if i < 7 { i * 8 } else if i == 7 { 56 } else { 64 };
        b[off..off + 8].copy_from_slice(&v.to_le_bytes());
    }
    b[72..80].copy_from_slice(&4096u64.to_le_bytes()); // f_frsize
    ops.copy_out(addr, &b).map(|_| 0)
}

const RAMFS_MAGIC: u64 = 0x8584_58f6;
const PROC_SUPER_MAGIC: u64 = 0x9fa0;

pub fn statfs(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let p = path(ops, a[0])?;
    let s = ops.stat(DirFd::Cwd, &p, true)?;
    put_statfs(ops, a[1], if s.dev == 2 { PROC_SUPER_MAGIC } else { RAMFS_MAGIC })
}

pub fn fstatfs(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let s = ops.fstat(fd(a[0]))?;
    put_statfs(ops, a[1], if s.dev == 2 { PROC_SUPER_MAGIC } else { RAMFS_MAGIC })
}
