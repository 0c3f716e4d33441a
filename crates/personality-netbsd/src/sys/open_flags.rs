//! NetBSD's open(2) and fcntl(2) status flags (sys/sys/fcntl.h) to and
//! from the core's neutral `OpenFlags`/`StatusFlags`: pure functions, so
//! the tables are tested on the host.
//!
//! NetBSD's kernel keeps an open file's flags as `FFLAGS(oflags)`, the
//! open flags plus one (O_RDONLY 0 becomes FREAD 1, O_WRONLY FWRITE 2,
//! O_RDWR both), and gives them back as `OFLAGS(fflags)`, minus one.

use kernel_ops::{Error, LockKind, OpenFlags, StatusFlags};

pub const O_RDONLY: u32 = 0x0000;
pub const O_WRONLY: u32 = 0x0001;
pub const O_RDWR: u32 = 0x0002;
pub const O_ACCMODE: u32 = 0x0003;
pub const O_NONBLOCK: u32 = 0x0004;
pub const O_APPEND: u32 = 0x0008;
pub const O_SHLOCK: u32 = 0x0010;
pub const O_EXLOCK: u32 = 0x0020;
pub const O_ASYNC: u32 = 0x0040;
/// O_SYNC, also O_FSYNC.
pub const O_SYNC: u32 = 0x0080;
pub const O_NOFOLLOW: u32 = 0x0100;
pub const O_CREAT: u32 = 0x0200;
pub const O_TRUNC: u32 = 0x0400;
pub const O_EXCL: u32 = 0x0800;
pub const O_NOCTTY: u32 = 0x8000;
pub const O_DSYNC: u32 = 0x0001_0000;
pub const O_RSYNC: u32 = 0x0002_0000;
/// "Alternate I/O semantics", which only some file systems give a meaning.
pub const O_ALT_IO: u32 = 0x0004_0000;
pub const O_DIRECT: u32 = 0x0008_0000;
pub const O_DIRECTORY: u32 = 0x0020_0000;
pub const O_CLOEXEC: u32 = 0x0040_0000;
/// POSIX's O_SEARCH: NetBSD's do_open strips it before anything sees it.
#[cfg_attr(not(test), allow(dead_code))] // part of the ABI table; used by the tests
pub const O_SEARCH: u32 = 0x0080_0000;
/// A write to a broken pipe or socket fails with EPIPE but raises no
/// SIGPIPE.
pub const O_NOSIGPIPE: u32 = 0x0100_0000;

/// FCNTLFLAGS: the bits F_SETFL may change (FAPPEND, FASYNC, FFSYNC,
/// FNONBLOCK, FDSYNC, FRSYNC, FALTIO, FDIRECT, FNOSIGPIPE).
pub const FCNTLFLAGS: u32 =
    O_APPEND | O_ASYNC | O_SYNC | O_NONBLOCK | O_DSYNC | O_RSYNC | O_ALT_IO | O_DIRECT | O_NOSIGPIPE;

/// What an open asks for, decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenRequest {
    pub flags: OpenFlags,
    /// O_SHLOCK or O_EXLOCK: a whole-file lock (flock's kind) taken as the
    /// file opens, waiting for it unless O_NONBLOCK.
    pub lock: Option<LockKind>,
}

/// Why an open cannot be done here although NetBSD would try it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// NetBSD refuses it too (EINVAL).
    Invalid,
    /// A flag this personality does not implement (EOPNOTSUPP, logged).
    Unsupported(&'static str),
}

impl From<Refusal> for Error {
    fn from(r: Refusal) -> Error {
        match r {
            Refusal::Invalid => Error::InvalidArgument,
            Refusal::Unsupported(_) => Error::NotSupported,
        }
    }
}

/// open/openat's flags as do_open and vn_open read them. Bits NetBSD
/// does not define are ignored, as NetBSD ignores them.
///
/// - O_ACCMODE itself is EINVAL: FFLAGS(3) has neither FREAD nor FWRITE.
/// - O_CREAT with O_DIRECTORY is EINVAL, with or without O_EXCL.
/// - O_EXCL without O_CREAT means nothing.
/// - O_SEARCH is dropped (do_open), O_DIRECT and O_ALT_IO are hints;
///   O_SYNC, O_DSYNC and O_RSYNC are accepted but writes are not forced
///   to storage one by one (the table's note says so).
/// - O_ASYNC (SIGIO on I/O) and O_NOSIGPIPE (no SIGPIPE for this open
///   file) need per-file state the core does not keep.
pub fn decode_open(raw: u32) -> Result<OpenRequest, Refusal> {
    let access = raw & O_ACCMODE;
    if access == O_ACCMODE {
        return Err(Refusal::Invalid);
    }
    if raw & (O_CREAT | O_DIRECTORY) == O_CREAT | O_DIRECTORY {
        return Err(Refusal::Invalid);
    }
    if raw & O_ASYNC != 0 {
        return Err(Refusal::Unsupported("O_ASYNC"));
    }
    if raw & O_NOSIGPIPE != 0 {
        return Err(Refusal::Unsupported("O_NOSIGPIPE"));
    }
    let create = raw & O_CREAT != 0;
    let lock = if raw & O_EXLOCK != 0 {
        Some(LockKind::Exclusive)
    } else if raw & O_SHLOCK != 0 {
        Some(LockKind::Shared)
    } else {
        None
    };
    Ok(OpenRequest {
        flags: OpenFlags {
            read: access == O_RDONLY || access == O_RDWR,
            write: access == O_WRONLY || access == O_RDWR,
            append: raw & O_APPEND != 0,
            create,
            exclusive: create && raw & O_EXCL != 0,
            truncate: raw & O_TRUNC != 0,
            directory: raw & O_DIRECTORY != 0,
            no_follow: raw & O_NOFOLLOW != 0,
            close_on_exec: raw & O_CLOEXEC != 0,
            non_blocking: raw & O_NONBLOCK != 0,
            path_only: false,
            no_controlling_tty: raw & O_NOCTTY != 0,
            no_atime: false,
        },
        lock,
    })
}

/// F_GETFL: OFLAGS(f_flag), the access mode and the status flags the core
/// keeps. A descriptor open for neither reading nor writing (the core's
/// path-only kind; NetBSD opens none) reads as O_RDONLY.
pub fn encode_status(opened: &OpenFlags, status: &StatusFlags) -> u32 {
    let mut v = if opened.read && opened.write {
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
    v
}

/// F_SETFL's argument, as sys_fcntl reads it: `FFLAGS(arg) & FCNTLFLAGS`
/// (the +1 can carry out of the access bits: O_ACCMODE turns into
/// O_NONBLOCK, as on NetBSD). O_SYNC, O_DSYNC, O_RSYNC, O_ALT_IO and
/// O_DIRECT are accepted without effect; O_ASYNC and O_NOSIGPIPE are not
/// implemented.
pub fn decode_set_status(raw: u32) -> Result<StatusFlags, Refusal> {
    let f = raw.wrapping_add(1) & FCNTLFLAGS;
    if f & O_ASYNC != 0 {
        return Err(Refusal::Unsupported("F_SETFL O_ASYNC"));
    }
    if f & O_NOSIGPIPE != 0 {
        return Err(Refusal::Unsupported("F_SETFL O_NOSIGPIPE"));
    }
    Ok(StatusFlags { append: f & O_APPEND != 0, non_blocking: f & O_NONBLOCK != 0 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_numbers_are_fcntl_h_s() {
        assert_eq!([O_NONBLOCK, O_APPEND, O_SHLOCK, O_EXLOCK, O_ASYNC, O_SYNC], [4, 8, 0x10, 0x20, 0x40, 0x80]);
        assert_eq!([O_NOFOLLOW, O_CREAT, O_TRUNC, O_EXCL, O_NOCTTY], [0x100, 0x200, 0x400, 0x800, 0x8000]);
        assert_eq!([O_DSYNC, O_RSYNC, O_ALT_IO, O_DIRECT], [0x10000, 0x20000, 0x40000, 0x80000]);
        assert_eq!([O_DIRECTORY, O_CLOEXEC, O_SEARCH, O_NOSIGPIPE], [0x20_0000, 0x40_0000, 0x80_0000, 0x100_0000]);
    }

    #[test]
    fn access_modes() {
        let r = decode_open(O_RDONLY).unwrap().flags;
        assert!(r.read && !r.write);
        let w = decode_open(O_WRONLY).unwrap().flags;
        assert!(!w.read && w.write);
        let rw = decode_open(O_RDWR).unwrap().flags;
        assert!(rw.read && rw.write);
        assert_eq!(decode_open(O_ACCMODE), Err(Refusal::Invalid));
    }

    #[test]
    fn netbsd_bits_map_to_their_meaning() {
        let f = decode_open(
            O_RDWR | O_NONBLOCK | O_APPEND | O_NOFOLLOW | O_CREAT | O_TRUNC | O_EXCL | O_NOCTTY | O_CLOEXEC,
        )
        .unwrap()
        .flags;
        assert!(f.non_blocking && f.append && f.no_follow && f.create && f.truncate && f.exclusive);
        assert!(f.no_controlling_tty && f.close_on_exec && !f.directory && !f.path_only);
        assert!(decode_open(O_DIRECTORY).unwrap().flags.directory);
        // FreeBSD's O_CLOEXEC (0x100000) is an undefined bit here, and
        // Linux's O_CREAT (0x40) is O_ASYNC.
        assert!(!decode_open(0x10_0000).unwrap().flags.close_on_exec);
        assert_eq!(decode_open(0x40), Err(Refusal::Unsupported("O_ASYNC")));
        assert_eq!(decode_open(O_NOSIGPIPE), Err(Refusal::Unsupported("O_NOSIGPIPE")));
    }

    #[test]
    fn create_with_directory_is_invalid() {
        assert_eq!(decode_open(O_CREAT | O_DIRECTORY), Err(Refusal::Invalid));
        assert_eq!(decode_open(O_CREAT | O_EXCL | O_DIRECTORY), Err(Refusal::Invalid));
        assert!(!decode_open(O_EXCL).unwrap().flags.exclusive, "O_EXCL alone means nothing");
    }

    #[test]
    fn locks_hints_and_unknown_bits() {
        assert_eq!(decode_open(O_EXLOCK).unwrap().lock, Some(LockKind::Exclusive));
        assert_eq!(decode_open(O_SHLOCK).unwrap().lock, Some(LockKind::Shared));
        assert_eq!(decode_open(O_RDONLY).unwrap().lock, None);
        assert_eq!(
            decode_open(O_SEARCH | O_DIRECT | O_ALT_IO | O_SYNC | O_DSYNC | O_RSYNC).unwrap().flags,
            decode_open(O_RDONLY).unwrap().flags
        );
        assert_eq!(decode_open(0x4000_0000 | O_WRONLY).unwrap().flags, decode_open(O_WRONLY).unwrap().flags);
    }

    #[test]
    fn status_flags_both_ways() {
        let opened = decode_open(O_WRONLY).unwrap().flags;
        let s = StatusFlags { append: true, non_blocking: true };
        assert_eq!(encode_status(&opened, &s), O_WRONLY | O_APPEND | O_NONBLOCK);
        assert_eq!(encode_status(&decode_open(O_RDWR).unwrap().flags, &StatusFlags::default()), O_RDWR);
        assert_eq!(decode_set_status(O_APPEND | O_NONBLOCK).unwrap(), s);
        // Bits outside FCNTLFLAGS are ignored, hints accepted.
        assert_eq!(decode_set_status(O_CREAT | O_DIRECT | O_CLOEXEC).unwrap(), StatusFlags::default());
        // FFLAGS' +1: O_RDWR | O_WRONLY (3) becomes FNONBLOCK (4).
        assert_eq!(decode_set_status(O_ACCMODE).unwrap(), StatusFlags { append: false, non_blocking: true });
        assert!(decode_set_status(O_ASYNC).is_err());
        assert!(decode_set_status(O_NOSIGPIPE).is_err());
    }

    proptest! {
        #[test]
        fn decoding_never_panics_and_keeps_the_access_mode(raw in any::<u32>()) {
            if let Ok(r) = decode_open(raw) {
                let back = encode_status(&r.flags, &StatusFlags::default());
                prop_assert_eq!(back, raw & O_ACCMODE);
            }
        }
    }
}
