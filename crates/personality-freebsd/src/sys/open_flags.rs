//! FreeBSD's open(2) and fcntl(2) status flags (sys/sys/fcntl.h) to and
//! from the core's neutral `OpenFlags`/`StatusFlags`: pure functions, so
//! the tables are tested on the host.

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
/// O_FSYNC, and POSIX's O_SYNC.
#[cfg_attr(not(test), allow(dead_code))] // part of the ABI table; used by the tests
pub const O_SYNC: u32 = 0x0080;
pub const O_NOFOLLOW: u32 = 0x0100;
pub const O_CREAT: u32 = 0x0200;
pub const O_TRUNC: u32 = 0x0400;
pub const O_EXCL: u32 = 0x0800;
pub const O_NOCTTY: u32 = 0x8000;
#[cfg_attr(not(test), allow(dead_code))] // part of the ABI table; used by the tests
pub const O_DIRECT: u32 = 0x0001_0000;
pub const O_DIRECTORY: u32 = 0x0002_0000;
/// O_EXEC, and POSIX's O_SEARCH.
pub const O_EXEC: u32 = 0x0004_0000;
#[cfg_attr(not(test), allow(dead_code))] // part of the ABI table; used by the tests
pub const O_TTY_INIT: u32 = 0x0008_0000;
pub const O_CLOEXEC: u32 = 0x0010_0000;
#[cfg_attr(not(test), allow(dead_code))] // part of the ABI table; used by the tests
pub const O_VERIFY: u32 = 0x0020_0000;
pub const O_PATH: u32 = 0x0040_0000;
pub const O_RESOLVE_BENEATH: u32 = 0x0080_0000;
#[cfg_attr(not(test), allow(dead_code))] // part of the ABI table; used by the tests
pub const O_DSYNC: u32 = 0x0100_0000;
/// FreeBSD 14: with an empty path, open the file `fd` names anew.
pub const O_EMPTY_PATH: u32 = 0x0200_0000;

/// F_SETFL's FRDAHEAD: O_CREAT's bit, which means nothing after open.
#[cfg_attr(not(test), allow(dead_code))] // part of the ABI table; used by the tests
pub const FRDAHEAD: u32 = O_CREAT;

/// What an open asks for, decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenRequest {
    pub flags: OpenFlags,
    /// O_SHLOCK or O_EXLOCK: a whole-file lock taken as the file opens
    /// (flock's kind), waiting for it unless O_NONBLOCK.
    pub lock: Option<LockKind>,
    /// O_EMPTY_PATH: an empty path names `fd`'s own file.
    pub empty_path: bool,
}

/// Why an open cannot be done here although FreeBSD would try it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// FreeBSD refuses it too (EINVAL).
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

/// open/openat's flags as kern_openat and vn_open_cred read them. Bits
/// FreeBSD does not define are ignored, as FreeBSD ignores them.
///
/// - O_PATH ignores O_CREAT and the access mode; otherwise O_EXEC with an
///   access mode, or O_ACCMODE itself, is EINVAL.
/// - O_CREAT | O_EXCL | O_DIRECTORY is EINVAL; O_CREAT | O_DIRECTORY
///   without O_EXCL is a plain lookup of a directory (nothing is created).
/// - O_EXEC (O_SEARCH) opens without read or write access; the core has no
///   execute-only open, so it is an open for neither (a directory opened
///   so still serves the *at calls and fchdir).
/// - O_DIRECT, O_TTY_INIT (FreeBSD's default anyway) and O_VERIFY (needs
///   the veriexec module, absent here as on a stock kernel) change
///   nothing; O_SYNC and O_DSYNC are accepted but writes are not forced to
///   storage one by one (the table's note says so).
/// - O_ASYNC (SIGIO on I/O) and O_RESOLVE_BENEATH are not implemented.
pub fn decode_open(raw: u32) -> Result<OpenRequest, Refusal> {
    let path_only = raw & O_PATH != 0;
    let access = raw & O_ACCMODE;
    if !path_only && ((raw & O_EXEC != 0 && access != 0) || access == O_ACCMODE) {
        return Err(Refusal::Invalid);
    }
    if raw & (O_CREAT | O_EXCL | O_DIRECTORY) == O_CREAT | O_EXCL | O_DIRECTORY {
        return Err(Refusal::Invalid);
    }
    if raw & O_ASYNC != 0 {
        return Err(Refusal::Unsupported("O_ASYNC"));
    }
    if raw & O_RESOLVE_BENEATH != 0 {
        return Err(Refusal::Unsupported("O_RESOLVE_BENEATH"));
    }
    let exec = raw & O_EXEC != 0;
    let create = !path_only && raw & O_CREAT != 0 && raw & O_DIRECTORY == 0;
    let lock = if path_only {
        None
    } else if raw & O_EXLOCK != 0 {
        Some(LockKind::Exclusive)
    } else if raw & O_SHLOCK != 0 {
        Some(LockKind::Shared)
    } else {
        None
    };
    Ok(OpenRequest {
        flags: OpenFlags {
            read: !path_only && !exec && (access == O_RDONLY || access == O_RDWR),
            write: !path_only && !exec && (access == O_WRONLY || access == O_RDWR),
            append: raw & O_APPEND != 0,
            create,
            exclusive: create && raw & O_EXCL != 0,
            truncate: !path_only && raw & O_TRUNC != 0,
            directory: raw & O_DIRECTORY != 0,
            no_follow: raw & O_NOFOLLOW != 0,
            close_on_exec: raw & O_CLOEXEC != 0,
            non_blocking: raw & O_NONBLOCK != 0,
            path_only,
            no_controlling_tty: raw & O_NOCTTY != 0,
            no_atime: false,
        },
        lock,
        empty_path: raw & O_EMPTY_PATH != 0,
    })
}

/// F_GETFL: OFLAGS(f_flag), the access mode (O_PATH for a path-only
/// descriptor) and the status flags that can change.
pub fn encode_status(opened: &OpenFlags, status: &StatusFlags) -> u32 {
    let mut v = if opened.path_only {
        O_PATH
    } else if opened.read && opened.write {
        O_RDWR
    } else if opened.write {
        O_WRONLY
    } else if opened.read {
        O_RDONLY
    } else {
        O_EXEC
    };
    if status.append {
        v |= O_APPEND;
    }
    if status.non_blocking {
        v |= O_NONBLOCK;
    }
    v
}

/// F_SETFL's argument. FreeBSD changes only FCNTLFLAGS (O_APPEND,
/// O_ASYNC, O_FSYNC, O_DSYNC, O_NONBLOCK, FRDAHEAD, O_DIRECT) and ignores
/// every other bit; O_DIRECT and FRDAHEAD are hints, O_FSYNC and O_DSYNC
/// are taken as at open. O_ASYNC is not implemented.
pub fn decode_set_status(raw: u32) -> Result<StatusFlags, Refusal> {
    if raw & O_ASYNC != 0 {
        return Err(Refusal::Unsupported("F_SETFL O_ASYNC"));
    }
    Ok(StatusFlags { append: raw & O_APPEND != 0, non_blocking: raw & O_NONBLOCK != 0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_modes() {
        let r = decode_open(O_RDONLY).unwrap().flags;
        assert!(r.read && !r.write);
        let w = decode_open(O_WRONLY).unwrap().flags;
        assert!(!w.read && w.write);
        let rw = decode_open(O_RDWR).unwrap().flags;
        assert!(rw.read && rw.write);
        assert_eq!(decode_open(O_ACCMODE), Err(Refusal::Invalid));
        assert_eq!(decode_open(O_EXEC | O_WRONLY), Err(Refusal::Invalid));
        let x = decode_open(O_EXEC).unwrap().flags;
        assert!(!x.read && !x.write && !x.path_only);
        // O_PATH ignores the access mode and O_CREAT.
        let p = decode_open(O_PATH | O_ACCMODE | O_CREAT).unwrap().flags;
        assert!(p.path_only && !p.read && !p.write && !p.create);
    }

    #[test]
    fn freebsd_bits_map_to_their_meaning() {
        let f = decode_open(
            O_RDWR | O_NONBLOCK | O_APPEND | O_NOFOLLOW | O_CREAT | O_TRUNC | O_EXCL | O_NOCTTY | O_CLOEXEC,
        )
        .unwrap()
        .flags;
        assert!(f.non_blocking && f.append && f.no_follow && f.create && f.truncate && f.exclusive);
        assert!(f.no_controlling_tty && f.close_on_exec && !f.directory);
        assert!(decode_open(O_DIRECTORY).unwrap().flags.directory);
        // Linux's numbers mean other things here: Linux's O_CREAT (0x40) is
        // O_ASYNC, its O_CLOEXEC (0x80000) is O_TTY_INIT.
        assert_eq!(decode_open(0x40), Err(Refusal::Unsupported("O_ASYNC")));
        let linux_cloexec = decode_open(0x80000).unwrap().flags;
        assert!(!linux_cloexec.close_on_exec);
        assert!(decode_open(O_CREAT).unwrap().flags.create);
    }

    #[test]
    fn create_with_directory() {
        assert_eq!(decode_open(O_CREAT | O_EXCL | O_DIRECTORY), Err(Refusal::Invalid));
        let d = decode_open(O_CREAT | O_DIRECTORY).unwrap().flags;
        assert!(!d.create && d.directory);
    }

    #[test]
    fn locks_and_unknown_bits() {
        assert_eq!(decode_open(O_EXLOCK).unwrap().lock, Some(LockKind::Exclusive));
        assert_eq!(decode_open(O_SHLOCK).unwrap().lock, Some(LockKind::Shared));
        assert_eq!(decode_open(O_RDONLY).unwrap().lock, None);
        assert_eq!(decode_open(O_RESOLVE_BENEATH), Err(Refusal::Unsupported("O_RESOLVE_BENEATH")));
        assert!(decode_open(O_EMPTY_PATH).unwrap().empty_path);
        // Bits FreeBSD does not define are ignored, as kern_openat does.
        assert_eq!(decode_open(0x4000_0000 | O_WRONLY).unwrap().flags, decode_open(O_WRONLY).unwrap().flags);
        // Hints and O_SYNC change nothing in the neutral flags.
        assert_eq!(
            decode_open(O_DIRECT | O_SYNC | O_DSYNC | O_TTY_INIT | O_VERIFY).unwrap().flags,
            decode_open(O_RDONLY).unwrap().flags
        );
    }

    #[test]
    fn status_flags_both_ways() {
        let opened = decode_open(O_WRONLY).unwrap().flags;
        let s = StatusFlags { append: true, non_blocking: true };
        assert_eq!(encode_status(&opened, &s), O_WRONLY | O_APPEND | O_NONBLOCK);
        assert_eq!(encode_status(&decode_open(O_RDWR).unwrap().flags, &StatusFlags::default()), O_RDWR);
        assert_eq!(encode_status(&decode_open(O_PATH).unwrap().flags, &StatusFlags::default()), O_PATH);
        assert_eq!(encode_status(&decode_open(O_EXEC).unwrap().flags, &StatusFlags::default()), O_EXEC);
        assert_eq!(decode_set_status(O_APPEND | O_NONBLOCK).unwrap(), s);
        // Bits outside FCNTLFLAGS are ignored; hints are accepted.
        assert_eq!(decode_set_status(O_CREAT | O_DIRECT | O_RDWR | O_CLOEXEC).unwrap(), StatusFlags::default());
        assert!(decode_set_status(O_ASYNC).is_err());
        assert_eq!(FRDAHEAD, 0x200);
    }
}
