//! __stat50, __lstat50, __fstat50 and fstatat with NetBSD's `struct stat`
//! (sys/sys/stat.h since NetBSD 5.0: 152 bytes on amd64;
//! docs/research/netbsd-amd64.md §8, checked against the header).

use super::args::{dirfd, nonempty_path, AT_FDCWD};
use super::fd;
use kernel_ops::{FileStat, KResult, KernelOps};

pub const STAT_SIZE: usize = 152;

// Field offsets: dev_t st_dev, mode_t st_mode (u32, then 4 bytes of
// padding for the u64 that follows), ino_t st_ino, nlink_t st_nlink
// (u32), uid, gid, padding, dev_t st_rdev, four timespecs, off_t
// st_size, blkcnt_t st_blocks, blksize_t st_blksize (i32), st_flags,
// st_gen, st_spare[2], and 4 bytes of tail padding.
pub const OFF_DEV: usize = 0;
pub const OFF_MODE: usize = 8;
pub const OFF_INO: usize = 16;
pub const OFF_NLINK: usize = 24;
pub const OFF_UID: usize = 28;
pub const OFF_GID: usize = 32;
pub const OFF_RDEV: usize = 40;
pub const OFF_ATIM: usize = 48;
pub const OFF_MTIM: usize = 64;
pub const OFF_CTIM: usize = 80;
#[cfg_attr(not(test), allow(dead_code))] // part of the ABI table; used by the tests
pub const OFF_BIRTHTIM: usize = 96;
pub const OFF_SIZE: usize = 112;
pub const OFF_BLOCKS: usize = 120;
pub const OFF_BLKSIZE: usize = 128;
#[cfg_attr(not(test), allow(dead_code))] // part of the ABI table; used by the tests
pub const OFF_FLAGS: usize = 132;
#[cfg_attr(not(test), allow(dead_code))] // part of the ABI table; used by the tests
pub const OFF_GEN: usize = 136;
#[cfg_attr(not(test), allow(dead_code))] // part of the ABI table; used by the tests
pub const OFF_SPARE: usize = 140;

pub const S_IFIFO: u32 = 0o010000;
pub const S_IFCHR: u32 = 0o020000;
pub const S_IFDIR: u32 = 0o040000;
pub const S_IFBLK: u32 = 0o060000;
pub const S_IFREG: u32 = 0o100000;
pub const S_IFLNK: u32 = 0o120000;
pub const S_IFSOCK: u32 = 0o140000;

// The *at calls' flags (sys/sys/fcntl.h).
pub const AT_EACCESS: u32 = 0x100;
pub const AT_SYMLINK_NOFOLLOW: u32 = 0x200;
pub const AT_SYMLINK_FOLLOW: u32 = 0x400;
pub const AT_REMOVEDIR: u32 = 0x800;

/// The type bits of st_mode (the same S_IF* values as everywhere).
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

/// NetBSD's dev_t from a major and minor (sys/sys/types.h `makedev`):
/// the major's 12 bits at 8-19, the minor's low 8 bits at 0-7 and its
/// next 12 at 20-31. Wider numbers lose their upper bits, as in C.
pub fn makedev(major: u32, minor: u32) -> u64 {
    let (ma, mi) = (u64::from(major), u64::from(minor));
    ((ma << 8) & 0x000f_ff00) | ((mi << 12) & 0xfff0_0000) | (mi & 0xff)
}

fn put(b: &mut [u8], at: usize, v: &[u8]) {
    b[at..at + v.len()].copy_from_slice(v);
}

fn put_time(b: &mut [u8], at: usize, secs: i64, nanos: i64) {
    put(b, at, &secs.to_le_bytes());
    put(b, at + 8, &nanos.to_le_bytes());
}

/// The `struct stat` for what the core reports. The file system's device
/// number is the core's opaque identifier, as it is. No file system here
/// records a birth time: st_birthtim is {0, 0}, what vn_stat reports for
/// one that does not (it zeroes the attributes before VOP_GETATTR, and
/// UFS1's getattr, for one, leaves the birth time 0). st_flags (no file
/// has chflags(2) flags here) and st_gen (vn_stat always writes 0) are 0.
pub fn encode(s: &FileStat) -> [u8; STAT_SIZE] {
    let m = &s.meta;
    let mut b = [0u8; STAT_SIZE];
    put(&mut b, OFF_DEV, &s.dev.to_le_bytes());
    put(&mut b, OFF_MODE, &(type_bits(m.file_type) | (m.mode & 0o7777)).to_le_bytes());
    put(&mut b, OFF_INO, &m.ino.to_le_bytes());
    put(&mut b, OFF_NLINK, &m.nlink.to_le_bytes());
    put(&mut b, OFF_UID, &m.uid.to_le_bytes());
    put(&mut b, OFF_GID, &m.gid.to_le_bytes());
    put(&mut b, OFF_RDEV, &makedev(m.rdev.major, m.rdev.minor).to_le_bytes());
    put_time(&mut b, OFF_ATIM, m.atime.secs, i64::from(m.atime.nanos));
    put_time(&mut b, OFF_MTIM, m.mtime.secs, i64::from(m.mtime.nanos));
    put_time(&mut b, OFF_CTIM, m.ctime.secs, i64::from(m.ctime.nanos));
    put(&mut b, OFF_SIZE, &m.size.to_le_bytes());
    put(&mut b, OFF_BLOCKS, &m.blocks.to_le_bytes());
    put(&mut b, OFF_BLKSIZE, &m.blksize.max(512).to_le_bytes());
    b
}

fn put_stat(ops: &mut dyn KernelOps, addr: u64, s: &FileStat) -> KResult<u64> {
    ops.copy_out(addr, &encode(s)).map(|_| 0)
}

/// __fstat50(fd, sb).
pub fn fstat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let s = ops.fstat(fd(a[0]))?;
    put_stat(ops, a[1], &s)
}

/// __stat50(path, sb).
pub fn stat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    fstatat(ops, [AT_FDCWD as u64, a[0], a[1], 0, 0, 0])
}

/// __lstat50(path, sb).
pub fn lstat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    fstatat(ops, [AT_FDCWD as u64, a[0], a[1], u64::from(AT_SYMLINK_NOFOLLOW), 0, 0])
}

/// fstatat(fd, path, sb, flag): AT_SYMLINK_NOFOLLOW is the only flag
/// sys_fstatat looks at; other bits are ignored. An empty path is ENOENT
/// (namei; NetBSD has no AT_EMPTY_PATH).
pub fn fstatat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let flags = a[3] as u32;
    let p = nonempty_path(ops, a[1])?;
    let s = ops.stat(dirfd(a[0]), &p, flags & AT_SYMLINK_NOFOLLOW == 0)?;
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
    fn layout_is_netbsds() {
        // sys/sys/stat.h on LP64, and Go's syscall.Stat_t for netbsd/amd64.
        assert_eq!(STAT_SIZE, 152);
        assert_eq!([OFF_DEV, OFF_MODE, OFF_INO, OFF_NLINK, OFF_UID, OFF_GID, OFF_RDEV], [0, 8, 16, 24, 28, 32, 40]);
        assert_eq!([OFF_ATIM, OFF_MTIM, OFF_CTIM, OFF_BIRTHTIM], [48, 64, 80, 96]);
        assert_eq!([OFF_SIZE, OFF_BLOCKS, OFF_BLKSIZE, OFF_FLAGS, OFF_GEN, OFF_SPARE], [112, 120, 128, 132, 136, 140]);
        // st_spare[2], then padding to the struct's 8-byte alignment.
        assert_eq!((OFF_SPARE + 2 * 4 + 7) & !7, STAT_SIZE);
    }

    #[test]
    fn fields_land_at_their_offsets() {
        let b = encode(&sample());
        assert_eq!(u64_at(&b, OFF_DEV), 0x0801);
        assert_eq!(u32_at(&b, OFF_MODE), S_IFREG | 0o4755);
        assert_eq!(u32_at(&b, 12), 0, "padding after st_mode");
        assert_eq!(u64_at(&b, OFF_INO), 0xdead_beef_0042);
        assert_eq!(u32_at(&b, OFF_NLINK), 3);
        assert_eq!(u32_at(&b, OFF_UID), 1001);
        assert_eq!(u32_at(&b, OFF_GID), 1002);
        assert_eq!(u32_at(&b, 36), 0, "padding after st_gid");
        assert_eq!(u64_at(&b, OFF_ATIM), 1_700_000_000);
        assert_eq!(u64_at(&b, OFF_ATIM + 8), 1);
        assert_eq!(u64_at(&b, OFF_MTIM), 1_700_000_001);
        assert_eq!(u64_at(&b, OFF_CTIM + 8), 3);
        assert_eq!((u64_at(&b, OFF_BIRTHTIM), u64_at(&b, OFF_BIRTHTIM + 8)), (0, 0));
        assert_eq!(u64_at(&b, OFF_SIZE), 0x1_2345_6789);
        assert_eq!(u64_at(&b, OFF_BLOCKS), 77);
        assert_eq!(u32_at(&b, OFF_BLKSIZE), 4096);
        assert!(b[OFF_FLAGS..].iter().all(|&x| x == 0), "st_flags, st_gen, st_spare, padding");
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
            assert_eq!(u32_at(&encode(&s), OFF_MODE) & 0o170000, bits);
        }
        // NetBSD's makedev: /dev/null is (2, 2) there, 0x202.
        assert_eq!(makedev(2, 2), 0x202);
        assert_eq!(makedev(0xabc, 0x12345), 0x123a_bc45);
        s.meta.rdev = DeviceNumber { major: 4, minor: 0x300 };
        assert_eq!(u64_at(&encode(&s), OFF_RDEV), makedev(4, 0x300));
    }
}
