//! The core's errors as NetBSD errno values (sys/sys/errno.h, checked
//! against the 2015 NetBSD-current copy; docs/research/netbsd-amd64.md §3
//! has the table). NetBSD and Linux agree on 1 to 34 except 11 (EDEADLK
//! here, EAGAIN there); NetBSD and FreeBSD agree on 1 to 79 and on 82 to
//! 84, and differ after (NetBSD's ENOATTR is 93, EPROTO 96; it has no
//! EINTEGRITY).

use kernel_ops::Error;

pub const EPERM: i32 = 1;
pub const ENOENT: i32 = 2;
pub const ESRCH: i32 = 3;
pub const EINTR: i32 = 4;
pub const EIO: i32 = 5;
pub const ENXIO: i32 = 6;
pub const E2BIG: i32 = 7;
pub const ENOEXEC: i32 = 8;
pub const EBADF: i32 = 9;
pub const ECHILD: i32 = 10;
pub const EDEADLK: i32 = 11;
pub const ENOMEM: i32 = 12;
pub const EACCES: i32 = 13;
pub const EFAULT: i32 = 14;
pub const ENOTBLK: i32 = 15;
pub const EBUSY: i32 = 16;
pub const EEXIST: i32 = 17;
pub const EXDEV: i32 = 18;
pub const ENODEV: i32 = 19;
pub const ENOTDIR: i32 = 20;
pub const EISDIR: i32 = 21;
pub const EINVAL: i32 = 22;
pub const EMFILE: i32 = 24;
pub const ENOTTY: i32 = 25;
pub const ETXTBSY: i32 = 26;
pub const EFBIG: i32 = 27;
pub const ENOSPC: i32 = 28;
pub const ESPIPE: i32 = 29;
pub const EROFS: i32 = 30;
pub const EMLINK: i32 = 31;
pub const EPIPE: i32 = 32;
pub const EDOM: i32 = 33;
pub const ERANGE: i32 = 34;
pub const EAGAIN: i32 = 35;
pub const EINPROGRESS: i32 = 36;
pub const EALREADY: i32 = 37;
pub const ENOTSOCK: i32 = 38;
pub const EDESTADDRREQ: i32 = 39;
pub const EMSGSIZE: i32 = 40;
pub const EPROTOTYPE: i32 = 41;
pub const ENOPROTOOPT: i32 = 42;
pub const EPROTONOSUPPORT: i32 = 43;
pub const ESOCKTNOSUPPORT: i32 = 44;
pub const EOPNOTSUPP: i32 = 45;
pub const EAFNOSUPPORT: i32 = 47;
pub const EADDRINUSE: i32 = 48;
pub const EADDRNOTAVAIL: i32 = 49;
pub const ENETDOWN: i32 = 50;
pub const ENETUNREACH: i32 = 51;
pub const ECONNABORTED: i32 = 53;
pub const ECONNRESET: i32 = 54;
pub const ENOBUFS: i32 = 55;
pub const EISCONN: i32 = 56;
pub const ENOTCONN: i32 = 57;
pub const ETOOMANYREFS: i32 = 59;
pub const ETIMEDOUT: i32 = 60;
pub const ECONNREFUSED: i32 = 61;
pub const ELOOP: i32 = 62;
pub const ENAMETOOLONG: i32 = 63;
pub const EHOSTUNREACH: i32 = 65;
pub const ENOTEMPTY: i32 = 66;
pub const EDQUOT: i32 = 69;
pub const ESTALE: i32 = 70;
pub const ENOLCK: i32 = 77;
pub const ENOSYS: i32 = 78;
pub const EFTYPE: i32 = 79;
pub const EIDRM: i32 = 82;
pub const ENOMSG: i32 = 83;
pub const EOVERFLOW: i32 = 84;
pub const ENOATTR: i32 = 93;
pub const EPROTO: i32 = 96;

/// NetBSD's errno for a core error. Where NetBSD has no error of the
/// same meaning, the nearest one it returns in the same situation.
pub fn errno_of(e: Error) -> i32 {
    match e {
        Error::NotPermitted => EPERM,
        Error::NotFound => ENOENT,
        Error::NoSuchProcess => ESRCH,
        Error::Interrupted | Error::Restart => EINTR,
        Error::Io => EIO,
        Error::NoDevice => ENODEV,
        Error::ArgumentListTooLong => E2BIG,
        Error::ExecFormat => ENOEXEC,
        Error::BadDescriptor => EBADF,
        Error::NoChild => ECHILD,
        Error::WouldBlock => EAGAIN,
        Error::NoMemory => ENOMEM,
        Error::PermissionDenied => EACCES,
        Error::Fault => EFAULT,
        Error::Busy => EBUSY,
        Error::TextBusy => ETXTBSY,
        Error::Exists => EEXIST,
        Error::CrossDevice => EXDEV,
        Error::NotDirectory => ENOTDIR,
        Error::IsDirectory => EISDIR,
        Error::InvalidArgument => EINVAL,
        Error::TooManyOpenFiles => EMFILE,
        Error::NotATerminal => ENOTTY,
        Error::FileTooBig => EFBIG,
        Error::NoSpace => ENOSPC,
        Error::IllegalSeek => ESPIPE,
        Error::ReadOnly => EROFS,
        Error::TooManyLinks => EMLINK,
        Error::BrokenPipe => EPIPE,
        Error::OutOfRange => ERANGE,
        Error::NameTooLong => ENAMETOOLONG,
        Error::NotImplemented => ENOSYS,
        Error::NotEmpty => ENOTEMPTY,
        Error::Loop => ELOOP,
        Error::NotSupported => EOPNOTSUPP,
        // An extended attribute that is not there.
        Error::NoData => ENOATTR,
        Error::Overflow => EOVERFLOW,
        Error::TimedOut => ETIMEDOUT,
        Error::NoSuchDeviceOrAddress => ENXIO,
        // NetBSD has no EINTEGRITY: a file system that finds itself
        // corrupt reports EIO.
        Error::Corrupted => EIO,
        Error::Stale => ESTALE,
        Error::NotBlockDevice => ENOTBLK,
        // A program or library of the wrong format.
        Error::BadLibrary => EFTYPE,
        Error::Deadlock => EDEADLK,
        Error::NoLocks => ENOLCK,
        Error::NotASocket => ENOTSOCK,
        Error::AddressInUse => EADDRINUSE,
        Error::ConnectionRefused => ECONNREFUSED,
        Error::ConnectionReset => ECONNRESET,
        Error::AlreadyConnected => EISCONN,
        Error::NotConnected => ENOTCONN,
        Error::WrongProtocolType => EPROTOTYPE,
        Error::MessageTooLong | Error::MessageSize => EMSGSIZE,
        Error::TooManyReferences => ETOOMANYREFS,
        Error::NoBufferSpace => ENOBUFS,
        Error::FamilyNotSupported => EAFNOSUPPORT,
        Error::ProtocolNotSupported => EPROTONOSUPPORT,
        Error::ProtocolError => EPROTO,
        Error::SocketTypeNotSupported => ESOCKTNOSUPPORT,
        Error::NoSuchOption => ENOPROTOOPT,
        Error::OutOfDomain => EDOM,
        Error::IdentifierRemoved => EIDRM,
        Error::NoMessage => ENOMSG,
        // Linux's key retention service has no NetBSD counterpart; its
        // errors cannot arise from a NetBSD call, and would read as
        // "no such entry".
        Error::NoKey | Error::KeyRevoked | Error::KeyExpired => ENOENT,
        Error::QuotaExceeded => EDQUOT,
        Error::InProgress => EINPROGRESS,
        Error::Already => EALREADY,
        Error::AddressNotAvailable => EADDRNOTAVAIL,
        Error::NetworkUnreachable => ENETUNREACH,
        Error::HostUnreachable => EHOSTUNREACH,
        Error::ConnectionAborted => ECONNABORTED,
        Error::DestinationRequired => EDESTADDRREQ,
        Error::NetworkDown => ENETDOWN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values from NetBSD's sys/sys/errno.h, not from FreeBSD's.
    #[test]
    fn netbsd_numbers() {
        assert_eq!((EAGAIN, EALREADY, ETIMEDOUT, ENOSYS, EFTYPE), (35, 37, 60, 78, 79));
        assert_eq!((EOVERFLOW, ENOATTR, EPROTO), (84, 93, 96));
        assert_eq!(errno_of(Error::Corrupted), EIO);
        assert_eq!(errno_of(Error::NoData), ENOATTR);
    }
}
