//! `struct stat` as x86_64 Linux fills it for `stat`, `fstat`, `lstat` and
//! `newfstatat` (`arch/x86/include/uapi/asm/stat.h`), plus the mode bits and
//! device-number encoding.
//!
//! This is x86_64's own layout, not the `asm-generic/stat.h` one that arm64
//! and riscv64 use: here `st_nlink` is 64 bits and comes before `st_mode`,
//! and `st_blksize` is a full `long`. 144 bytes:
//!
//! ```text
//!   0 st_dev      u64     48 st_size     i64     96 st_mtime_nsec u64
//!   8 st_ino      u64     56 st_blksize  i64    104 st_ctime      i64
//!  16 st_nlink    u64     64 st_blocks   i64    112 st_ctime_nsec u64
//!  24 st_mode     u32     72 st_atime    i64    120 __unused[3]   zero
//!  28 st_uid      u32     80 st_atime_nsec u64
//!  32 st_gid      u32     88 st_mtime    i64
//!  36 __pad0      zero
//!  40 st_rdev     u64
//! ```

use crate::wire::{get_i64, get_u32, get_u64, prefix, put_i64, put_u32, put_u64};

pub const S_IFMT: u32 = 0o170000;
pub const S_IFSOCK: u32 = 0o140000;
pub const S_IFLNK: u32 = 0o120000;
pub const S_IFREG: u32 = 0o100000;
pub const S_IFBLK: u32 = 0o060000;
pub const S_IFDIR: u32 = 0o040000;
pub const S_IFCHR: u32 = 0o020000;
pub const S_IFIFO: u32 = 0o010000;

pub const S_ISUID: u32 = 0o4000;
pub const S_ISGID: u32 = 0o2000;
pub const S_ISVTX: u32 = 0o1000;

pub const S_IRWXU: u32 = 0o700;
pub const S_IRUSR: u32 = 0o400;
pub const S_IWUSR: u32 = 0o200;
pub const S_IXUSR: u32 = 0o100;
pub const S_IRWXG: u32 = 0o070;
pub const S_IRGRP: u32 = 0o040;
pub const S_IWGRP: u32 = 0o020;
pub const S_IXGRP: u32 = 0o010;
pub const S_IRWXO: u32 = 0o007;
pub const S_IROTH: u32 = 0o004;
pub const S_IWOTH: u32 = 0o002;
pub const S_IXOTH: u32 = 0o001;

/// The bits `chmod` may set: permissions plus setuid, setgid and sticky.
pub const S_IALLUGO: u32 = S_ISUID | S_ISGID | S_ISVTX | S_IRWXU | S_IRWXG | S_IRWXO;

pub const fn s_isreg(m: u32) -> bool {
    m & S_IFMT == S_IFREG
}
pub const fn s_isdir(m: u32) -> bool {
    m & S_IFMT == S_IFDIR
}
pub const fn s_islnk(m: u32) -> bool {
    m & S_IFMT == S_IFLNK
}
pub const fn s_ischr(m: u32) -> bool {
    m & S_IFMT == S_IFCHR
}
pub const fn s_isblk(m: u32) -> bool {
    m & S_IFMT == S_IFBLK
}
pub const fn s_isfifo(m: u32) -> bool {
    m & S_IFMT == S_IFIFO
}
pub const fn s_issock(m: u32) -> bool {
    m & S_IFMT == S_IFSOCK
}

/// Packs a device number the way 64-bit Linux reports it in `st_dev` and
/// `st_rdev` (`new_encode_dev`): minor bits 0-7, major bits 8-19, minor bits
/// 8-19 at 20-31. Majors up to 4095 and minors up to 2^20-1 survive; this is
/// also what glibc's and musl's `major()`/`minor()` take apart.
pub const fn encode_dev(major: u32, minor: u32) -> u64 {
    ((minor & 0xff) | ((major & 0xfff) << 8) | ((minor & !0xff) << 12)) as u64
}

/// The inverse of [`encode_dev`]: `(major, minor)`.
pub const fn decode_dev(dev: u64) -> (u32, u32) {
    let d = dev as u32;
    ((d & 0xfff00) >> 8, (d & 0xff) | ((d >> 12) & 0xfff00))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stat {
    pub st_dev: u64,
    pub st_ino: u64,
    pub st_nlink: u64,
    pub st_mode: u32,
    pub st_uid: u32,
    pub st_gid: u32,
    pub st_rdev: u64,
    pub st_size: i64,
    /// Preferred I/O size.
    pub st_blksize: i64,
    /// Allocated space in 512-byte units, whatever the file system's block size.
    pub st_blocks: i64,
    pub st_atime: i64,
    pub st_atime_nsec: u64,
    pub st_mtime: i64,
    pub st_mtime_nsec: u64,
    pub st_ctime: i64,
    pub st_ctime_nsec: u64,
}

impl Stat {
    pub const SIZE: usize = 144;

    pub const OFF_DEV: usize = 0;
    pub const OFF_INO: usize = 8;
    pub const OFF_NLINK: usize = 16;
    pub const OFF_MODE: usize = 24;
    pub const OFF_UID: usize = 28;
    pub const OFF_GID: usize = 32;
    pub const OFF_RDEV: usize = 40;
    pub const OFF_SIZE: usize = 48;
    pub const OFF_BLKSIZE: usize = 56;
    pub const OFF_BLOCKS: usize = 64;
    pub const OFF_ATIME: usize = 72;
    pub const OFF_ATIME_NSEC: usize = 80;
    pub const OFF_MTIME: usize = 88;
    pub const OFF_MTIME_NSEC: usize = 96;
    pub const OFF_CTIME: usize = 104;
    pub const OFF_CTIME_NSEC: usize = 112;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u64(&mut b, Self::OFF_DEV, self.st_dev);
        put_u64(&mut b, Self::OFF_INO, self.st_ino);
        put_u64(&mut b, Self::OFF_NLINK, self.st_nlink);
        put_u32(&mut b, Self::OFF_MODE, self.st_mode);
        put_u32(&mut b, Self::OFF_UID, self.st_uid);
        put_u32(&mut b, Self::OFF_GID, self.st_gid);
        put_u64(&mut b, Self::OFF_RDEV, self.st_rdev);
        put_i64(&mut b, Self::OFF_SIZE, self.st_size);
        put_i64(&mut b, Self::OFF_BLKSIZE, self.st_blksize);
        put_i64(&mut b, Self::OFF_BLOCKS, self.st_blocks);
        put_i64(&mut b, Self::OFF_ATIME, self.st_atime);
        put_u64(&mut b, Self::OFF_ATIME_NSEC, self.st_atime_nsec);
        put_i64(&mut b, Self::OFF_MTIME, self.st_mtime);
        put_u64(&mut b, Self::OFF_MTIME_NSEC, self.st_mtime_nsec);
        put_i64(&mut b, Self::OFF_CTIME, self.st_ctime);
        put_u64(&mut b, Self::OFF_CTIME_NSEC, self.st_ctime_nsec);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self {
            st_dev: get_u64(b, Self::OFF_DEV),
            st_ino: get_u64(b, Self::OFF_INO),
            st_nlink: get_u64(b, Self::OFF_NLINK),
            st_mode: get_u32(b, Self::OFF_MODE),
            st_uid: get_u32(b, Self::OFF_UID),
            st_gid: get_u32(b, Self::OFF_GID),
            st_rdev: get_u64(b, Self::OFF_RDEV),
            st_size: get_i64(b, Self::OFF_SIZE),
            st_blksize: get_i64(b, Self::OFF_BLKSIZE),
            st_blocks: get_i64(b, Self::OFF_BLOCKS),
            st_atime: get_i64(b, Self::OFF_ATIME),
            st_atime_nsec: get_u64(b, Self::OFF_ATIME_NSEC),
            st_mtime: get_i64(b, Self::OFF_MTIME),
            st_mtime_nsec: get_u64(b, Self::OFF_MTIME_NSEC),
            st_ctime: get_i64(b, Self::OFF_CTIME),
            st_ctime_nsec: get_u64(b, Self::OFF_CTIME_NSEC),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn mode_predicates() {
        assert!(s_isreg(S_IFREG | 0o644));
        assert!(s_isdir(S_IFDIR));
        assert!(!s_isdir(S_IFLNK));
        assert!(s_islnk(S_IFLNK));
        assert!(s_ischr(S_IFCHR) && s_isblk(S_IFBLK) && s_isfifo(S_IFIFO) && s_issock(S_IFSOCK));
        assert_eq!(S_IALLUGO, 0o7777);
    }

    #[test]
    fn device_numbers() {
        // /dev/null is 1:3, /dev/tty 5:0, /dev/sda1 8:1, a pty slave 136:0.
        assert_eq!(encode_dev(1, 3), 0x103);
        assert_eq!(encode_dev(5, 0), 0x500);
        assert_eq!(encode_dev(8, 1), 0x801);
        assert_eq!(encode_dev(136, 0x1234), 0x0120_8834);
        assert_eq!(decode_dev(0x0120_8834), (136, 0x1234));
    }

    #[test]
    fn padding_is_zero() {
        let s = Stat { st_gid: u32::MAX, st_rdev: u64::MAX, st_ctime_nsec: u64::MAX, ..Default::default() };
        let b = s.to_bytes();
        assert_eq!(&b[36..40], &[0; 4]);
        assert_eq!(&b[120..144], &[0; 24]);
    }

    proptest! {
        #[test]
        fn dev_round_trip(major in 0u32..4096, minor in 0u32..(1 << 20)) {
            prop_assert_eq!(decode_dev(encode_dev(major, minor)), (major, minor));
        }

        #[test]
        fn round_trip(a: [u64; 6], m: [u32; 3], t: [i64; 7]) {
            let s = Stat {
                st_dev: a[0], st_ino: a[1], st_nlink: a[2], st_mode: m[0], st_uid: m[1], st_gid: m[2],
                st_rdev: a[3], st_size: t[0], st_blksize: t[1], st_blocks: t[2], st_atime: t[3],
                st_atime_nsec: a[4], st_mtime: t[4], st_mtime_nsec: a[5], st_ctime: t[5],
                st_ctime_nsec: t[6] as u64,
            };
            prop_assert_eq!(Stat::from_bytes(&s.to_bytes()), Some(s));
        }
    }
}
