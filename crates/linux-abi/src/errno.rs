//! Error numbers (`asm-generic/errno-base.h` and `asm-generic/errno.h`;
//! x86_64 uses the generic values).
//!
//! A Linux system call fails by returning `-errno` in the result register, a value in
//! `-4095..=-1`; libc turns that into `errno` and a `-1` return. The kernel
//! core speaks its own error type, and the personality maps it onto these.

/// Defines each errno constant and the number-to-name table from one list, so
/// the two cannot drift apart.
macro_rules! errnos {
    ($($(#[doc = $doc:literal])* $name:ident = $val:literal,)*) => {
        $($(#[doc = $doc])* pub const $name: i32 = $val;)*

        /// Every errno Linux defines, in numeric order, with its name.
        /// Aliases ([`EWOULDBLOCK`], [`EDEADLOCK`]) are not repeated here.
        pub const ERRNOS: &[(i32, &str)] = &[$(($val, stringify!($name)),)*];
    };
}

errnos! {
    /// Operation not permitted (lacking privilege, not permission bits).
    EPERM = 1,
    /// No such file or directory.
    ENOENT = 2,
    /// No such process.
    ESRCH = 3,
    /// Interrupted by a signal.
    EINTR = 4,
    /// I/O error.
    EIO = 5,
    /// No such device or address.
    ENXIO = 6,
    /// Argument list too long.
    E2BIG = 7,
    /// Exec format error.
    ENOEXEC = 8,
    /// Bad file descriptor.
    EBADF = 9,
    /// No child processes.
    ECHILD = 10,
    /// Try again (also `EWOULDBLOCK`).
    EAGAIN = 11,
    /// Out of memory.
    ENOMEM = 12,
    /// Permission denied.
    EACCES = 13,
    /// Bad address.
    EFAULT = 14,
    /// Block device required.
    ENOTBLK = 15,
    /// Device or resource busy.
    EBUSY = 16,
    /// File exists.
    EEXIST = 17,
    /// Cross-device link.
    EXDEV = 18,
    /// No such device.
    ENODEV = 19,
    /// Not a directory.
    ENOTDIR = 20,
    /// Is a directory.
    EISDIR = 21,
    /// Invalid argument.
    EINVAL = 22,
    /// File table overflow (system-wide).
    ENFILE = 23,
    /// Too many open files (per process).
    EMFILE = 24,
    /// Not a typewriter: the ioctl does not apply to this file.
    ENOTTY = 25,
    /// Text file busy.
    ETXTBSY = 26,
    /// File too large.
    EFBIG = 27,
    /// No space left on device.
    ENOSPC = 28,
    /// Illegal seek (pipe, socket, tty).
    ESPIPE = 29,
    /// Read-only file system.
    EROFS = 30,
    /// Too many links.
    EMLINK = 31,
    /// Broken pipe.
    EPIPE = 32,
    /// Math argument out of domain.
    EDOM = 33,
    /// Math result not representable.
    ERANGE = 34,
    /// Resource deadlock would occur (also `EDEADLOCK`).
    EDEADLK = 35,
    /// File name too long.
    ENAMETOOLONG = 36,
    /// No record locks available.
    ENOLCK = 37,
    /// Invalid system call number.
    ENOSYS = 38,
    /// Directory not empty.
    ENOTEMPTY = 39,
    /// Too many symbolic links encountered.
    ELOOP = 40,
    /// No message of desired type.
    ENOMSG = 42,
    /// Identifier removed.
    EIDRM = 43,
    /// Channel number out of range.
    ECHRNG = 44,
    /// Level 2 not synchronized.
    EL2NSYNC = 45,
    /// Level 3 halted.
    EL3HLT = 46,
    /// Level 3 reset.
    EL3RST = 47,
    /// Link number out of range.
    ELNRNG = 48,
    /// Protocol driver not attached.
    EUNATCH = 49,
    /// No CSI structure available.
    ENOCSI = 50,
    /// Level 2 halted.
    EL2HLT = 51,
    /// Invalid exchange.
    EBADE = 52,
    /// Invalid request descriptor.
    EBADR = 53,
    /// Exchange full.
    EXFULL = 54,
    /// No anode.
    ENOANO = 55,
    /// Invalid request code.
    EBADRQC = 56,
    /// Invalid slot.
    EBADSLT = 57,
    /// Bad font file format.
    EBFONT = 59,
    /// Device not a stream.
    ENOSTR = 60,
    /// No data available.
    ENODATA = 61,
    /// Timer expired.
    ETIME = 62,
    /// Out of streams resources.
    ENOSR = 63,
    /// Machine is not on the network.
    ENONET = 64,
    /// Package not installed.
    ENOPKG = 65,
    /// Object is remote.
    EREMOTE = 66,
    /// Link has been severed.
    ENOLINK = 67,
    /// Advertise error.
    EADV = 68,
    /// Srmount error.
    ESRMNT = 69,
    /// Communication error on send.
    ECOMM = 70,
    /// Protocol error.
    EPROTO = 71,
    /// Multihop attempted.
    EMULTIHOP = 72,
    /// RFS specific error.
    EDOTDOT = 73,
    /// Not a data message.
    EBADMSG = 74,
    /// Value too large for defined data type.
    EOVERFLOW = 75,
    /// Name not unique on network.
    ENOTUNIQ = 76,
    /// File descriptor in bad state.
    EBADFD = 77,
    /// Remote address changed.
    EREMCHG = 78,
    /// Can not access a needed shared library.
    ELIBACC = 79,
    /// Accessing a corrupted shared library.
    ELIBBAD = 80,
    /// .lib section in a.out corrupted.
    ELIBSCN = 81,
    /// Attempting to link in too many shared libraries.
    ELIBMAX = 82,
    /// Cannot exec a shared library directly.
    ELIBEXEC = 83,
    /// Illegal byte sequence.
    EILSEQ = 84,
    /// Interrupted system call should be restarted.
    ERESTART = 85,
    /// Streams pipe error.
    ESTRPIPE = 86,
    /// Too many users.
    EUSERS = 87,
    /// Socket operation on non-socket.
    ENOTSOCK = 88,
    /// Destination address required.
    EDESTADDRREQ = 89,
    /// Message too long.
    EMSGSIZE = 90,
    /// Protocol wrong type for socket.
    EPROTOTYPE = 91,
    /// Protocol not available.
    ENOPROTOOPT = 92,
    /// Protocol not supported.
    EPROTONOSUPPORT = 93,
    /// Socket type not supported.
    ESOCKTNOSUPPORT = 94,
    /// Operation not supported on transport endpoint (libc's `ENOTSUP` too).
    EOPNOTSUPP = 95,
    /// Protocol family not supported.
    EPFNOSUPPORT = 96,
    /// Address family not supported by protocol.
    EAFNOSUPPORT = 97,
    /// Address already in use.
    EADDRINUSE = 98,
    /// Cannot assign requested address.
    EADDRNOTAVAIL = 99,
    /// Network is down.
    ENETDOWN = 100,
    /// Network is unreachable.
    ENETUNREACH = 101,
    /// Network dropped connection because of reset.
    ENETRESET = 102,
    /// Software caused connection abort.
    ECONNABORTED = 103,
    /// Connection reset by peer.
    ECONNRESET = 104,
    /// No buffer space available.
    ENOBUFS = 105,
    /// Transport endpoint is already connected.
    EISCONN = 106,
    /// Transport endpoint is not connected.
    ENOTCONN = 107,
    /// Cannot send after transport endpoint shutdown.
    ESHUTDOWN = 108,
    /// Too many references: cannot splice.
    ETOOMANYREFS = 109,
    /// Connection timed out.
    ETIMEDOUT = 110,
    /// Connection refused.
    ECONNREFUSED = 111,
    /// Host is down.
    EHOSTDOWN = 112,
    /// No route to host.
    EHOSTUNREACH = 113,
    /// Operation already in progress.
    EALREADY = 114,
    /// Operation now in progress.
    EINPROGRESS = 115,
    /// Stale file handle.
    ESTALE = 116,
    /// Structure needs cleaning.
    EUCLEAN = 117,
    /// Not a XENIX named type file.
    ENOTNAM = 118,
    /// No XENIX semaphores available.
    ENAVAIL = 119,
    /// Is a named type file.
    EISNAM = 120,
    /// Remote I/O error.
    EREMOTEIO = 121,
    /// Quota exceeded.
    EDQUOT = 122,
    /// No medium found.
    ENOMEDIUM = 123,
    /// Wrong medium type.
    EMEDIUMTYPE = 124,
    /// Operation canceled.
    ECANCELED = 125,
    /// Required key not available.
    ENOKEY = 126,
    /// Key has expired.
    EKEYEXPIRED = 127,
    /// Key has been revoked.
    EKEYREVOKED = 128,
    /// Key was rejected by service.
    EKEYREJECTED = 129,
    /// Owner died (robust mutexes).
    EOWNERDEAD = 130,
    /// State not recoverable (robust mutexes).
    ENOTRECOVERABLE = 131,
    /// Operation not possible due to RF-kill.
    ERFKILL = 132,
    /// Memory page has hardware error.
    EHWPOISON = 133,
}

/// Same value as [`EAGAIN`]: the name BSD sockets code uses.
pub const EWOULDBLOCK: i32 = EAGAIN;
/// Same value as [`EDEADLK`].
pub const EDEADLOCK: i32 = EDEADLK;
/// The largest errno Linux defines for user space.
pub const MAX_ERRNO_NAMED: i32 = 133;

/// A raw syscall return in `-MAX_ERRNO..=-1` (read as unsigned: the top 4095
/// values) is an error; anything else is a result, even a "negative" pointer
/// such as an `mmap` address high in memory.
pub const MAX_ERRNO: i32 = 4095;

// Kernel-internal restart codes (include/linux/errno.h). They never reach
// user space: the signal-delivery path turns them into EINTR or restarts the
// call. A Linuxulator needs the same distinctions to implement SA_RESTART.

/// Restart the call if the handler had `SA_RESTART`, else fail with EINTR.
pub const ERESTARTSYS: i32 = 512;
/// Always restart the call, whatever the handler's flags.
pub const ERESTARTNOINTR: i32 = 513;
/// Restart only if no handler ran (the signal was ignored or defaulted).
pub const ERESTARTNOHAND: i32 = 514;
/// The ioctl is not handled by this driver (becomes ENOTTY).
pub const ENOIOCTLCMD: i32 = 515;
/// Restart through `restart_syscall(2)` with the saved restart block.
pub const ERESTART_RESTARTBLOCK: i32 = 516;

/// The name of errno `n` (`"ENOENT"` for 2), or `None` for a number Linux
/// does not define (0, 41, 58, negatives, above 133).
pub fn errno_name(n: i32) -> Option<&'static str> {
    // ERRNOS is sorted by value, so binary search by number.
    ERRNOS.binary_search_by_key(&n, |&(v, _)| v).ok().map(|i| ERRNOS[i].1)
}

/// The errno called `name`, including the aliases, or `None`.
pub fn errno_number(name: &str) -> Option<i32> {
    match name {
        "EWOULDBLOCK" => Some(EWOULDBLOCK),
        "EDEADLOCK" => Some(EDEADLOCK),
        _ => ERRNOS.iter().find(|&&(_, n)| n == name).map(|&(v, _)| v),
    }
}

/// The raw result-register value for a failed call: `-errno`, sign-extended.
pub const fn error_return(errno: i32) -> u64 {
    (-(errno as i64)) as u64
}

/// Splits a raw syscall return into `Ok(value)` or `Err(errno)`, the way libc
/// reads the result register.
pub const fn decode_return(raw: u64) -> Result<u64, i32> {
    if raw >= (-(MAX_ERRNO as i64)) as u64 {
        Err((raw as i64).wrapping_neg() as i32)
    } else {
        Ok(raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_unique_and_complete() {
        for w in ERRNOS.windows(2) {
            assert!(w[0].0 < w[1].0, "{:?} then {:?}", w[0], w[1]);
        }
        // 1..=133 minus the two retired numbers 41 and 58.
        assert_eq!(ERRNOS.len(), 131);
        assert_eq!(ERRNOS.first(), Some(&(1, "EPERM")));
        assert_eq!(ERRNOS.last(), Some(&(133, "EHWPOISON")));
    }

    #[test]
    fn names_and_numbers() {
        assert_eq!(errno_name(2), Some("ENOENT"));
        assert_eq!(errno_name(38), Some("ENOSYS"));
        assert_eq!(errno_name(110), Some("ETIMEDOUT"));
        assert_eq!(errno_name(0), None);
        assert_eq!(errno_name(41), None);
        assert_eq!(errno_name(58), None);
        assert_eq!(errno_name(134), None);
        assert_eq!(errno_name(-1), None);
        assert_eq!(errno_number("EWOULDBLOCK"), Some(11));
        assert_eq!(errno_number("EDEADLOCK"), Some(35));
        assert_eq!(errno_number("EHWPOISON"), Some(133));
        assert_eq!(errno_number("ENOPE"), None);
        for &(v, n) in ERRNOS {
            assert_eq!(errno_number(n), Some(v));
        }
    }

    #[test]
    fn return_encoding() {
        assert_eq!(error_return(ENOENT), (-2i64) as u64);
        assert_eq!(decode_return(error_return(ENOENT)), Err(ENOENT));
        assert_eq!(decode_return(error_return(4095)), Err(4095));
        assert_eq!(decode_return((-4096i64) as u64), Ok((-4096i64) as u64));
        assert_eq!(decode_return(0), Ok(0));
        assert_eq!(decode_return(0x7fff_f000_0000), Ok(0x7fff_f000_0000));
    }
}
