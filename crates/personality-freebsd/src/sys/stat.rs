//! fstat and fstatat with FreeBSD's ino64 `struct stat` (sys/sys/stat.h,
//! FreeBSD 12 and later: 224 bytes; docs/research/freebsd-amd64.md §8).
//! stat(2) and lstat(2) are fstatat(AT_FDCWD, path, sb, 0 or
//! AT_SYMLINK_NOFOLLOW) in FreeBSD's libc, so fstatat serves them.

use super::{dirfd, fd, path};
use kernel_ops::{DirFd, Error, FileStat, KResult, KernelOps};

pub const STAT_SIZE: usize = 224;

// Field offsets (the fact sheet's table, checked there against the
// compiler's offsetof and Go's syscall.Stat_t).
pub const OFF_DEV: usize = 0;
pub const OFF_INO: usize = 8;
pub const OFF_NLINK: usize = 16;
pub const OFF_MODE: usize = 24;
/// st_padding0 (FreeBSD 15: st_bsdflags), left 0.
#[cfg_attr(not(test), allow(dead_code))] // part of the ABI table; used by the tests
pub const OFF_PADDING0: usize = 26;
pub const OFF_UID: usize = 28;
pub const OFF_GID: usize = 32;
pub const OFF_RDEV: usize = 40;
pub const OFF_ATIM: usize = 48;
pub const OFF_MTIM: usize = 64;
pub const OFF_CTIM: usize = 80;
pub const OFF_BIRTHTIM: usize = 96;
pub const OFF_SIZE: usize = 112;
pub const OFF_BLOCKS: usize = 120;
pub const OFF_BLKSIZE: usize = 128;
#[cfg_attr(not(test), allow(dead_code))] // part of the ABI table; used by the tests
pub const OFF_FLAGS: usize = 132;
#[cfg_attr(not(test), allow(dead_code))] // part of the ABI table; used by the tests
pub const OFF_GEN: usize = 136;
/// st_spare[10] (FreeBSD 15: st_filerev then 9 spares), left 0.
#[cfg_attr(not(test), allow(dead_code))] // part of the ABI table; used by the tests
pub const OFF_SPARE: usize = 144;

pub const S_IFIFO: u32 = 0o010000;
pub const S_IFCHR: u32 = 0o020000;
pub const S_IFDIR: u32 = 0o040000;
pub const S_IFBLK: u32 = 0o060000;
pub const S_IFREG: u32 = 0o100000;
pub const S_IFLNK: u32 = 0o120000;
pub const S_IFSOCK: u32 = 0o140000;

pub const AT_EACCESS: u32 = 0x100;
pub const AT_SYMLINK_NOFOLLOW: u32 = 0x200;
pub const AT_SYMLINK_FOLLOW: u32 = 0x400;
pub const AT_REMOVEDIR: u32 = 0x800;
pub const AT_RESOLVE_BENEATH: u32 = 0x2000;
pub const AT_EMPTY_PATH: u32 = 0x4000;

/// The type bits of st_mode (FreeBSD's S_IF* values).
pub fn type_bits(t: vfs::FileType) -> u32 {
    match t {
        vfs::FileType::Regular => S_IFREG,
        vfs::FileType::Directory => S_IFDIR,
        vfs::FileType::Symlink => S_IFLNK,
        vfs::FileType::CharDevice => S_IFCHR,
        vfs::FileType::BlockDevice => S_IFBLK,
        vfs::FileType::Fifo => S_IFIFO,
        vfs::FileType::Socket => S_IFSOCK,
    }
}

/// FreeBSD's 64-bit dev_t from a major and minor (sys/sys/types.h
/// `__makedev`): the low 8 bits of the major at bits 8-15, its upper bits
/// at 40-63; the minor's bits 8-15 at 32-39, the rest in place.
pub fn makedev(major: u32, minor: u32) -> u64 {
    let (ma, mi) = (u64::from(major), u64::from(minor));
    ((ma & 0xffff_ff00) << 32) | ((ma & 0xff) << 8) | ((mi & 0xff00) << 24) | (mi & 0xffff_00ff)
}

fn put(b: &mut [u8], at: usize, v: &[u8]) {
    b[at..at + v.len()].copy_from_slice(v);
}

fn put_time(b: &mut [u8], at: usize, secs: i64, nanos: i64) {
    put(b, at, &secs.to_le_bytes());
    put(b, at + 8, &nanos.to_le_bytes());
}

/// The `struct stat` for what the core reports. The core's device number
/// of the file system is an opaque identifier and goes in as it is. No file
/// system here records a birth time, so st_birthtim is { -1, 0 }, what
/// FreeBSD's vn_stat reports when va_birthtime is VNOVAL; no file has
/// chflags(2) flags or a generation number (0).
pub fn encode(s: &FileStat) -> [u8; STAT_SIZE] {
    let m = &s.meta;
    let mut b = [0u8; STAT_SIZE];
    put(&mut b, OFF_DEV, &s.dev.to_le_bytes());
    put(&mut b, OFF_INO, &m.ino.to_le_bytes());
    put(&mut b, OFF_NLINK, &u64::from(m.nlink).to_le_bytes());
    put(&mut b, OFF_MODE, &((type_bits(m.file_type) | (m.mode & 0o7777)) as u16).to_le_bytes());
    put(&mut b, OFF_UID, &m.uid.to_le_bytes());
    put(&mut b, OFF_GID, &m.gid.to_le_bytes());
    put(&mut b, OFF_RDEV, &makedev(m.rdev.major, m.rdev.minor).to_le_bytes());
    put_time(&mut b, OFF_ATIM, m.atime.secs, i64::from(m.atime.nanos));
    put_time(&mut b, OFF_MTIM, m.mtime.secs, i64::from(m.mtime.nanos));
    put_time(&mut b, OFF_CTIM, m.ctime.secs, i64::from(m.ctime.nanos));
    put_time(&mut b, OFF_BIRTHTIM, -1, 0);
    put(&mut b, OFF_SIZE, &m.size.to_le_bytes());
    put(&mut b, OFF_BLOCKS, &m.blocks.to_le_bytes());
    put(&mut b, OFF_BLKSIZE, &m.blksize.max(512).to_le_bytes());
    b
}

fn put_stat(ops: &mut dyn KernelOps, addr: u64, s: &FileStat) -> KResult<u64> {
    ops.copy_out(addr, &encode(s)).map(|_| 0)
}

pub fn fstat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let s = ops.fstat(fd(a[0]))?;
    put_stat(ops, a[1], &s)
}

/// fstatat(fd, path, sb, flag): AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH (an
/// empty path is `fd`'s own file, or the working directory for
/// AT_FDCWD); AT_RESOLVE_BENEATH is not implemented (EOPNOTSUPP); other
/// bits EINVAL (kern_statat).
pub fn fstatat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let flags = a[3] as u32;
    if flags & !(AT_SYMLINK_NOFOLLOW | AT_RESOLVE_BENEATH | AT_EMPTY_PATH) != 0 {
        return Err(Error::InvalidArgument);
    }
    if flags & AT_RESOLVE_BENEATH != 0 {
        ops.log_unsupported(format_args!("freebsd: fstatat with AT_RESOLVE_BENEATH"));
        return Err(Error::NotSupported);
    }
    let p = path(ops, a[1])?;
    let s = if p.is_empty() {
        if flags & AT_EMPTY_PATH == 0 {
            return Err(Error::NotFound);
        }
        match dirfd(a[0]) {
            DirFd::Fd(f) => ops.fstat(f)?,
            DirFd::Cwd => ops.stat(DirFd::Cwd, b".", true)?,
        }
    } else {
        ops.stat(dirfd(a[0]), &p, flags & AT_SYMLINK_NOFOLLOW == 0)?
    };
    put_stat(ops, a[2], &s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use vfs::{DeviceNumber, FileType, Metadata, Timestamp};

    fn sample() -> FileStat {
        FileStat {
            dev: 0x0801,
            meta: Metadata {
                file_type: FileType::Regular,
                mode: 0o4755,
                uid: 1001,
                gid: 1002,
                nlink: 3,
                size: 0x1_2345_6789,
                rdev: DeviceNumber { major: 0, minor: 0 },
                atime: Timestamp { secs: 1_700_000_000, nanos: 1 },
                mtime: Timestamp { secs: 1_700_000_001, nanos: 2 },
                ctime: Timestamp { secs: 1_700_000_002, nanos: 3 },
                ino: 0xdead_beef_0042,
                blocks: 77,
                blksize: 4096,
            },
        }
    }

    fn u64_at(b: &[u8], at: usize) -> u64 {
        u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
    }

    fn u32_at(b: &[u8], at: usize) -> u32 {
        u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
    }

    #[test]
    fn layout_is_freebsds() {
        // Offsets as sys/sys/stat.h (ino64) lays them out; the size the
        // kernel's copyout writes.
        assert_eq!(STAT_SIZE, 224);
        assert_eq!(
            [OFF_DEV, OFF_INO, OFF_NLINK, OFF_MODE, OFF_PADDING0, OFF_UID, OFF_GID, OFF_RDEV],
            [0, 8, 16, 24, 26, 28, 32, 40]
        );
        assert_eq!([OFF_ATIM, OFF_MTIM, OFF_CTIM, OFF_BIRTHTIM], [48, 64, 80, 96]);
        assert_eq!([OFF_SIZE, OFF_BLOCKS, OFF_BLKSIZE, OFF_FLAGS, OFF_GEN, OFF_SPARE], [112, 120, 128, 132, 136, 144]);
        assert_eq!(OFF_SPARE + 10 * 8, STAT_SIZE);
    }

    #[test]
    fn fields_land_at_their_offsets() {
        let b = encode(&sample());
        assert_eq!(u64_at(&b, OFF_DEV), 0x0801);
        assert_eq!(u64_at(&b, OFF_INO), 0xdead_beef_0042);
        assert_eq!(u64_at(&b, OFF_NLINK), 3);
        assert_eq!(u16::from_le_bytes([b[OFF_MODE], b[OFF_MODE + 1]]), (S_IFREG | 0o4755) as u16);
        assert_eq!(&b[OFF_PADDING0..OFF_UID], &[0, 0]);
        assert_eq!(u32_at(&b, OFF_UID), 1001);
        assert_eq!(u32_at(&b, OFF_GID), 1002);
        assert_eq!(u32_at(&b, 36), 0, "st_padding1");
        assert_eq!(u64_at(&b, OFF_ATIM), 1_700_000_000);
        assert_eq!(u64_at(&b, OFF_ATIM + 8), 1);
        assert_eq!(u64_at(&b, OFF_MTIM), 1_700_000_001);
        assert_eq!(u64_at(&b, OFF_CTIM + 8), 3);
        assert_eq!(u64_at(&b, OFF_BIRTHTIM) as i64, -1);
        assert_eq!(u64_at(&b, OFF_BIRTHTIM + 8), 0);
        assert_eq!(u64_at(&b, OFF_SIZE), 0x1_2345_6789);
        assert_eq!(u64_at(&b, OFF_BLOCKS), 77);
        assert_eq!(u32_at(&b, OFF_BLKSIZE), 4096);
        assert_eq!(u32_at(&b, OFF_FLAGS), 0);
        assert!(b[OFF_GEN..].iter().all(|&x| x == 0));
    }

    #[test]
    fn types_and_devices() {
        let mut s = sample();
        for (t, bits) in [
            (FileType::Directory, 0o040000),
            (FileType::Symlink, 0o120000),
            (FileType::CharDevice, 0o020000),
            (FileType::BlockDevice, 0o060000),
            (FileType::Fifo, 0o010000),
            (FileType::Socket, 0o140000),
        ] {
            s.meta.file_type = t;
            let b = encode(&s);
            assert_eq!(u32::from(u16::from_le_bytes([b[OFF_MODE], b[OFF_MODE + 1]])) & 0o170000, bits);
        }
        // /dev/null on FreeBSD is a devfs node; here it is (1, 3): the
        // encoding is makedev's.
        assert_eq!(makedev(1, 3), 0x103);
        assert_eq!(makedev(0x1234_5678, 0x9abc_def0), 0x1234_56de_9abc_78f0);
        s.meta.rdev = DeviceNumber { major: 4, minor: 0x1_0002 };
        assert_eq!(u64_at(&encode(&s), OFF_RDEV), makedev(4, 0x1_0002));
    }
}
