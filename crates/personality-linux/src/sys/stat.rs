//! The stat family.

use crate::util::{dirfd, fd, mode_bits, path, stat_of};
use kernel_ops::{DirFd, Error, FileStat, FsInfo, KResult, KernelOps};
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
    // Since Linux 6.11 a NULL path with AT_EMPTY_PATH is the empty path
    // (the descriptor's file, or the working directory for AT_FDCWD), so
    // callers need not keep an "" around; without the flag it is EFAULT.
    let p = if path_addr == 0 && flags & AT_EMPTY_PATH != 0 { alloc::vec::Vec::new() } else { path(ops, path_addr)? };
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
    // STATX__RESERVED: a mask bit kept for extending the structure.
    if a[3] as u32 & 0x8000_0000 != 0 {
        return Err(Error::InvalidArgument);
    }
    // AT_STATX_FORCE_SYNC with AT_STATX_DONT_SYNC: EINVAL (Linux's do_statx).
    if a[2] as u32 & 0x6000 == 0x6000 {
        return Err(Error::InvalidArgument);
    }
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
/// Linux's magic number for a file-system type name (`f_type`); 0 for a
/// type Linux does not have. devtmpfs is a tmpfs on Linux.
pub fn fs_magic(name: &str) -> u64 {
    use linux_abi::statfs::*;
    match name {
        "ext2" | "ext3" | "ext4" => EXT2_SUPER_MAGIC,
        "tmpfs" | "devtmpfs" => TMPFS_MAGIC,
        "ramfs" | "rootfs" => RAMFS_MAGIC,
        "proc" => PROC_SUPER_MAGIC,
        "pipefs" => PIPEFS_MAGIC,
        "devpts" => DEVPTS_SUPER_MAGIC,
        "anon_inode" => ANON_INODE_FS_MAGIC,
        _ => 0,
    }
}

/// The `struct statfs` for what the core says of a file system. Free
/// blocks are all available (none are reserved for root in the numbers
/// the file systems give).
pub fn encode_statfs(info: &FsInfo) -> [u8; linux_abi::statfs::Statfs::SIZE] {
    use linux_abi::statfs::{Statfs, ST_RDONLY, ST_VALID};
    let s = &info.stats;
    let block_size = if s.block_size == 0 { 4096 } else { u64::from(s.block_size) };
    Statfs {
        f_type: fs_magic(&info.name),
        f_bsize: block_size,
        f_blocks: s.total_blocks,
        f_bfree: s.free_blocks,
        f_bavail: s.free_blocks,
        f_files: s.total_inodes,
        f_ffree: s.free_inodes,
        f_fsid: [info.id as u32, (info.id >> 32) as u32],
        f_namelen: u64::from(if s.name_max == 0 { 255 } else { s.name_max }),
        f_frsize: block_size,
        f_flags: ST_VALID | if info.read_only { ST_RDONLY } else { 0 },
    }
    .to_bytes()
}

pub fn statfs(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let p = path(ops, a[0])?;
    let info = ops.fs_info(DirFd::Cwd, &p, true)?;
    ops.copy_out(a[1], &encode_statfs(&info)).map(|_| 0)
}

pub fn fstatfs(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let info = ops.fd_fs_info(fd(a[0]))?;
    ops.copy_out(a[1], &encode_statfs(&info)).map(|_| 0)
}
