//! The errors a socket operation can answer. Each maps onto one errno of
//! the Linux personality (named in the comments); the codes on the wire
//! are this enum's order and never change once released.

/// Why an operation failed.
#[derive(Copy, Clone, Eq, PartialEq, Debug)]
#[repr(u16)]
pub enum Error {
    /// EAGAIN: the operation would have to wait; ask again after the next readiness event.
    WouldBlock = 1,
    /// EINPROGRESS: a TCP connect has started.
    InProgress,
    /// EALREADY: a connect is already under way.
    Already,
    /// EISCONN
    AlreadyConnected,
    /// ENOTCONN
    NotConnected,
    /// ECONNREFUSED
    ConnectionRefused,
    /// ECONNRESET
    ConnectionReset,
    /// ECONNABORTED
    ConnectionAborted,
    /// EPIPE
    BrokenPipe,
    /// EADDRINUSE
    AddressInUse,
    /// EADDRNOTAVAIL
    AddressNotAvailable,
    /// ENETUNREACH
    NetworkUnreachable,
    /// EHOSTUNREACH
    HostUnreachable,
    /// ETIMEDOUT
    TimedOut,
    /// EINVAL
    InvalidArgument,
    /// ENOBUFS
    NoBufferSpace,
    /// EMSGSIZE
    MessageTooLong,
    /// EDESTADDRREQ
    DestinationRequired,
    /// EOPNOTSUPP
    NotSupported,
    /// EAFNOSUPPORT
    FamilyNotSupported,
    /// EBADF: no such socket (a stale or forged handle).
    BadHandle,
    /// ENOPROTOOPT
    NoSuchOption,
    /// EMFILE/ENFILE: the server's socket table is full.
    TooManySockets,
    /// ENETDOWN
    NetworkDown,
    /// ENODEV: no such interface (a multicast join's).
    NoDevice,
    /// EACCES: e.g. a broadcast without SO_BROADCAST.
    PermissionDenied,
}

impl Error {
    /// Every error, in code order.
    pub const ALL: [Error; 26] = [
        Error::WouldBlock,
        Error::InProgress,
        Error::Already,
        Error::AlreadyConnected,
        Error::NotConnected,
        Error::ConnectionRefused,
        Error::ConnectionReset,
        Error::ConnectionAborted,
        Error::BrokenPipe,
        Error::AddressInUse,
        Error::AddressNotAvailable,
        Error::NetworkUnreachable,
        Error::HostUnreachable,
        Error::TimedOut,
        Error::InvalidArgument,
        Error::NoBufferSpace,
        Error::MessageTooLong,
        Error::DestinationRequired,
        Error::NotSupported,
        Error::FamilyNotSupported,
        Error::BadHandle,
        Error::NoSuchOption,
        Error::TooManySockets,
        Error::NetworkDown,
        Error::NoDevice,
        Error::PermissionDenied,
    ];

    /// The wire code (also what SO_ERROR's value carries): never 0.
    pub fn code(self) -> u16 {
        self as u16
    }

    pub fn from_code(code: u16) -> Option<Error> {
        Error::ALL.get(usize::from(code).checked_sub(1)?).copied()
    }
}
