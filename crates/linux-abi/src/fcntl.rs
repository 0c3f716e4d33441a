//! File-descriptor and path flags: `open` flags, `fcntl` commands, the
//! `*at()` flags, `struct flock`, `struct open_how` (`asm-generic/fcntl.h`,
//! `linux/fcntl.h`, `linux/openat2.h`; x86_64 uses the generic values).
//!
//! The open flags are octal in the headers; they are kept octal here so a
//! reader can compare them digit by digit.

use crate::wire::{get_i32, get_i64, get_u16, get_u64, prefix, put_i32, put_i64, put_u16, put_u64};

/// The two access-mode bits (`O_RDONLY`, `O_WRONLY`, `O_RDWR`, and 3, which
/// Linux accepts to mean "ioctl only, no read or write").
pub const O_ACCMODE: u32 = 0o3;
pub const O_RDONLY: u32 = 0o0;
pub const O_WRONLY: u32 = 0o1;
pub const O_RDWR: u32 = 0o2;
pub const O_CREAT: u32 = 0o100;
pub const O_EXCL: u32 = 0o200;
pub const O_NOCTTY: u32 = 0o400;
pub const O_TRUNC: u32 = 0o1000;
pub const O_APPEND: u32 = 0o2000;
pub const O_NONBLOCK: u32 = 0o4000;
pub const O_NDELAY: u32 = O_NONBLOCK;
pub const O_DSYNC: u32 = 0o10000;
/// Signal-driven I/O (`O_ASYNC`).
pub const FASYNC: u32 = 0o20000;
pub const O_ASYNC: u32 = FASYNC;
pub const O_DIRECT: u32 = 0o40000;
/// Always set by the kernel on 64-bit; libc passes 0 and the kernel ORs it in.
pub const O_LARGEFILE: u32 = 0o100000;
pub const O_DIRECTORY: u32 = 0o200000;
pub const O_NOFOLLOW: u32 = 0o400000;
pub const O_NOATIME: u32 = 0o1000000;
pub const O_CLOEXEC: u32 = 0o2000000;
/// The raw sync bit; `O_SYNC` is this plus `O_DSYNC`.
pub const __O_SYNC: u32 = 0o4000000;
pub const O_SYNC: u32 = __O_SYNC | O_DSYNC;
pub const O_RSYNC: u32 = O_SYNC;
/// An fd that names a location but cannot be read or written.
pub const O_PATH: u32 = 0o10000000;
pub const __O_TMPFILE: u32 = 0o20000000;
/// An unnamed file in the given directory; always includes `O_DIRECTORY` so
/// old kernels fail with ENOTDIR/EISDIR instead of opening the directory.
pub const O_TMPFILE: u32 = __O_TMPFILE | O_DIRECTORY;

/// Flags `F_SETFL` may change; the rest of its argument is ignored.
pub const SETFL_MASK: u32 = O_APPEND | O_NONBLOCK | FASYNC | O_DIRECT | O_NOATIME;

// fcntl commands
pub const F_DUPFD: u32 = 0;
pub const F_GETFD: u32 = 1;
pub const F_SETFD: u32 = 2;
pub const F_GETFL: u32 = 3;
pub const F_SETFL: u32 = 4;
pub const F_GETLK: u32 = 5;
pub const F_SETLK: u32 = 6;
pub const F_SETLKW: u32 = 7;
pub const F_SETOWN: u32 = 8;
pub const F_GETOWN: u32 = 9;
pub const F_SETSIG: u32 = 10;
pub const F_GETSIG: u32 = 11;
pub const F_SETOWN_EX: u32 = 15;
pub const F_GETOWN_EX: u32 = 16;
pub const F_GETOWNER_UIDS: u32 = 17;
/// Open-file-description locks (per open file, not per process).
pub const F_OFD_GETLK: u32 = 36;
pub const F_OFD_SETLK: u32 = 37;
pub const F_OFD_SETLKW: u32 = 38;
/// Linux-specific commands start here.
pub const F_LINUX_SPECIFIC_BASE: u32 = 1024;
pub const F_SETLEASE: u32 = F_LINUX_SPECIFIC_BASE;
pub const F_GETLEASE: u32 = F_LINUX_SPECIFIC_BASE + 1;
pub const F_NOTIFY: u32 = F_LINUX_SPECIFIC_BASE + 2;
/// Whether two fds refer to the same open file (Linux 6.10).
pub const F_DUPFD_QUERY: u32 = F_LINUX_SPECIFIC_BASE + 3;
/// Whether this `open` created the file (Linux 6.12).
pub const F_CREATED_QUERY: u32 = F_LINUX_SPECIFIC_BASE + 4;
pub const F_CANCELLK: u32 = F_LINUX_SPECIFIC_BASE + 5;
pub const F_DUPFD_CLOEXEC: u32 = F_LINUX_SPECIFIC_BASE + 6;
pub const F_SETPIPE_SZ: u32 = F_LINUX_SPECIFIC_BASE + 7;
pub const F_GETPIPE_SZ: u32 = F_LINUX_SPECIFIC_BASE + 8;
pub const F_ADD_SEALS: u32 = F_LINUX_SPECIFIC_BASE + 9;
pub const F_GET_SEALS: u32 = F_LINUX_SPECIFIC_BASE + 10;
pub const F_GET_RW_HINT: u32 = F_LINUX_SPECIFIC_BASE + 11;
pub const F_SET_RW_HINT: u32 = F_LINUX_SPECIFIC_BASE + 12;
pub const F_GET_FILE_RW_HINT: u32 = F_LINUX_SPECIFIC_BASE + 13;
pub const F_SET_FILE_RW_HINT: u32 = F_LINUX_SPECIFIC_BASE + 14;

/// The only fd flag: close on exec.
pub const FD_CLOEXEC: u32 = 1;

/// `l_type` values of `struct flock`, and `F_SETLEASE` arguments.
pub const F_RDLCK: u16 = 0;
pub const F_WRLCK: u16 = 1;
pub const F_UNLCK: u16 = 2;

/// `F_SETOWN_EX` owner kinds.
pub const F_OWNER_TID: u32 = 0;
pub const F_OWNER_PID: u32 = 1;
pub const F_OWNER_PGRP: u32 = 2;

/// `flock(2)` operations.
pub const LOCK_SH: u32 = 1;
pub const LOCK_EX: u32 = 2;
pub const LOCK_NB: u32 = 4;
pub const LOCK_UN: u32 = 8;
/// The old mandatory-lock flag: Linux now ignores requests carrying it.
pub const LOCK_MAND: u32 = 32;

/// memfd seals (`F_ADD_SEALS`).
pub const F_SEAL_SEAL: u32 = 0x0001;
pub const F_SEAL_SHRINK: u32 = 0x0002;
pub const F_SEAL_GROW: u32 = 0x0004;
pub const F_SEAL_WRITE: u32 = 0x0008;
pub const F_SEAL_FUTURE_WRITE: u32 = 0x0010;
pub const F_SEAL_EXEC: u32 = 0x0020;

/// The `dirfd` meaning "relative to the current directory".
pub const AT_FDCWD: i32 = -100;
/// Do not follow a final symlink (`fstatat`, `fchownat`, `utimensat`, ...).
pub const AT_SYMLINK_NOFOLLOW: u32 = 0x100;
/// `faccessat`: check with the effective, not the real, ids.
pub const AT_EACCESS: u32 = 0x200;
/// `unlinkat`: remove a directory (rmdir) instead of a file.
pub const AT_REMOVEDIR: u32 = 0x200;
/// `linkat`: follow a final symlink.
pub const AT_SYMLINK_FOLLOW: u32 = 0x400;
pub const AT_NO_AUTOMOUNT: u32 = 0x800;
/// Operate on `dirfd` itself when the path is empty.
pub const AT_EMPTY_PATH: u32 = 0x1000;
pub const AT_RECURSIVE: u32 = 0x8000;

/// `renameat2` flags.
pub const RENAME_NOREPLACE: u32 = 1 << 0;
pub const RENAME_EXCHANGE: u32 = 1 << 1;
pub const RENAME_WHITEOUT: u32 = 1 << 2;

/// `splice`, `tee` and `vmsplice` flags.
pub const SPLICE_F_MOVE: u32 = 1;
pub const SPLICE_F_NONBLOCK: u32 = 2;
pub const SPLICE_F_MORE: u32 = 4;
pub const SPLICE_F_GIFT: u32 = 8;
pub const SPLICE_F_ALL: u32 = SPLICE_F_MOVE | SPLICE_F_NONBLOCK | SPLICE_F_MORE | SPLICE_F_GIFT;

/// `sync_file_range` flags (`linux/fs.h`).
pub const SYNC_FILE_RANGE_WAIT_BEFORE: u32 = 1;
pub const SYNC_FILE_RANGE_WRITE: u32 = 2;
pub const SYNC_FILE_RANGE_WAIT_AFTER: u32 = 4;
pub const SYNC_FILE_RANGE_WRITE_AND_WAIT: u32 =
    SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WAIT_AFTER;

/// `close_range` flags.
pub const CLOSE_RANGE_UNSHARE: u32 = 1 << 1;
pub const CLOSE_RANGE_CLOEXEC: u32 = 1 << 2;

/// `openat2` `resolve` flags.
pub const RESOLVE_NO_XDEV: u64 = 0x01;
pub const RESOLVE_NO_MAGICLINKS: u64 = 0x02;
pub const RESOLVE_NO_SYMLINKS: u64 = 0x04;
pub const RESOLVE_BENEATH: u64 = 0x08;
pub const RESOLVE_IN_ROOT: u64 = 0x10;
pub const RESOLVE_CACHED: u64 = 0x20;

/// `struct flock` (32 bytes on x86_64; `flock64` is the same):
/// `0 l_type i16 | 2 l_whence i16 | 8 l_start i64 | 16 l_len i64 | 24 l_pid i32`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flock {
    pub l_type: u16,
    pub l_whence: u16,
    pub l_start: i64,
    /// 0 means "to end of file, however long it grows".
    pub l_len: i64,
    pub l_pid: i32,
}

impl Flock {
    pub const SIZE: usize = 32;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u16(&mut b, 0, self.l_type);
        put_u16(&mut b, 2, self.l_whence);
        put_i64(&mut b, 8, self.l_start);
        put_i64(&mut b, 16, self.l_len);
        put_i32(&mut b, 24, self.l_pid);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self {
            l_type: get_u16(b, 0),
            l_whence: get_u16(b, 2),
            l_start: get_i64(b, 8),
            l_len: get_i64(b, 16),
            l_pid: get_i32(b, 24),
        })
    }
}

/// `struct open_how` of `openat2` (24 bytes in its first version).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OpenHow {
    pub flags: u64,
    pub mode: u64,
    pub resolve: u64,
}

impl OpenHow {
    pub const SIZE: usize = 24;
    /// `OPEN_HOW_SIZE_VER0`: the smallest size `openat2` accepts.
    pub const SIZE_VER0: usize = 24;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u64(&mut b, 0, self.flags);
        put_u64(&mut b, 8, self.mode);
        put_u64(&mut b, 16, self.resolve);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self { flags: get_u64(b, 0), mode: get_u64(b, 8), resolve: get_u64(b, 16) })
    }

    /// Reads the `size`-byte structure user space passed, with the kernel's
    /// extensible-struct rules (`copy_struct_from_user`): smaller than
    /// version 0 is EINVAL; bytes past the fields this crate knows must be
    /// zero, else E2BIG.
    pub fn from_user(bytes: &[u8]) -> Result<Self, i32> {
        crate::extensible::check(bytes, Self::SIZE_VER0, Self::SIZE)?;
        Ok(Self::from_bytes(bytes).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errno::{E2BIG, EINVAL};
    use proptest::prelude::*;

    #[test]
    fn composite_flags() {
        assert_eq!(O_SYNC, 0o4010000);
        assert_eq!(O_TMPFILE, 0o20200000);
        assert_eq!(F_DUPFD_CLOEXEC, 1030);
        assert_eq!(F_GET_SEALS, 1034);
    }

    #[test]
    fn open_how_sizes() {
        let h = OpenHow { flags: O_RDONLY as u64, mode: 0, resolve: RESOLVE_BENEATH };
        let mut big = [0u8; 40];
        big[..24].copy_from_slice(&h.to_bytes());
        assert_eq!(OpenHow::from_user(&big), Ok(h));
        big[30] = 1;
        assert_eq!(OpenHow::from_user(&big), Err(E2BIG));
        assert_eq!(OpenHow::from_user(&big[..16]), Err(EINVAL));
    }

    proptest! {
        #[test]
        fn round_trips(t: u16, w: u16, s: i64, l: i64, p: i32, a: u64, b: u64, c: u64) {
            let f = Flock { l_type: t, l_whence: w, l_start: s, l_len: l, l_pid: p };
            prop_assert_eq!(Flock::from_bytes(&f.to_bytes()), Some(f));
            let h = OpenHow { flags: a, mode: b, resolve: c };
            prop_assert_eq!(OpenHow::from_bytes(&h.to_bytes()), Some(h));
        }
    }
}
