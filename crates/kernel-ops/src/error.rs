//! Why a core operation failed, independent of any OS's error numbers.

/// Each variant names one POSIX error condition; personalities map them to
/// their OS's numbers (Linux errno, NTSTATUS, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    NotPermitted,
    NotFound,
    NoSuchProcess,
    /// A blocking call was interrupted by a signal and must not restart.
    Interrupted,
    /// A blocking call was interrupted by a signal; the personality decides
    /// (from the handler's flags) whether to restart it or fail with EINTR.
    Restart,
    Io,
    NoDevice,
    ArgumentListTooLong,
    ExecFormat,
    BadDescriptor,
    NoChild,
    WouldBlock,
    NoMemory,
    PermissionDenied,
    Fault,
    Busy,
    /// The file is a running program's image (or, for exec, open for
    /// writing): Linux's ETXTBSY.
    TextBusy,
    Exists,
    CrossDevice,
    NotDirectory,
    IsDirectory,
    InvalidArgument,
    TooManyOpenFiles,
    NotATerminal,
    FileTooBig,
    NoSpace,
    IllegalSeek,
    ReadOnly,
    TooManyLinks,
    BrokenPipe,
    OutOfRange,
    NameTooLong,
    NotImplemented,
    NotEmpty,
    Loop,
    NotSupported,
    Overflow,
    TimedOut,
    NoSuchDeviceOrAddress,
    /// A block device was needed (ENOTBLK).
    NotBlockDevice,
    /// On-disk structures are corrupt (EUCLEAN).
    Corrupted,
    /// A file handle names a node that is gone, or one of another file
    /// system (ESTALE).
    Stale,
    /// No such attribute (ENODATA): an extended attribute that is not set.
    NoData,
    /// A program's dynamic linker (its `PT_INTERP`) is not one that can be
    /// loaded: not ELF, another architecture, broken headers (ELIBBAD).
    BadLibrary,
    /// Waiting for a lock would close a cycle of waiters (EDEADLK).
    Deadlock,
    /// No room for another lock (ENOLCK).
    NoLocks,
    // ---- sockets ----
    /// The descriptor is not a socket (ENOTSOCK).
    NotASocket,
    AddressInUse,
    ConnectionRefused,
    ConnectionReset,
    AlreadyConnected,
    NotConnected,
    /// The other socket is of another type (EPROTOTYPE).
    WrongProtocolType,
    /// A datagram larger than the buffers can ever hold (EMSGSIZE).
    MessageTooLong,
    /// Too many descriptors in flight, or a descriptor cycle (ETOOMANYREFS).
    TooManyReferences,
    NoBufferSpace,
    /// The address family is not supported (EAFNOSUPPORT).
    FamilyNotSupported,
    ProtocolNotSupported,
    /// A protocol rule broken (Linux's EPROTO), e.g. an IPv6 multicast
    /// membership asked of a TCP socket.
    ProtocolError,
    SocketTypeNotSupported,
    /// Unknown socket option (ENOPROTOOPT).
    NoSuchOption,
    /// An argument outside the function's domain (EDOM).
    OutOfDomain,
    /// The IPC object was removed (EIDRM), e.g. while the caller waited.
    IdentifierRemoved,
    /// No message of the wanted type (ENOMSG).
    NoMessage,
    /// A message longer than the queue allows, or a buffer shorter (EMSGSIZE).
    MessageSize,
    // ---- keys ----
    /// No such key, or a negative one (ENOKEY).
    NoKey,
    /// EKEYREVOKED.
    KeyRevoked,
    /// EKEYEXPIRED.
    KeyExpired,
    /// The owner's quota would be passed (EDQUOT).
    QuotaExceeded,
    /// A connection is being made; it finishes in the background
    /// (EINPROGRESS).
    InProgress,
    /// One is being made already (EALREADY).
    Already,
    /// No local interface has that address (EADDRNOTAVAIL).
    AddressNotAvailable,
    /// No route leads there (ENETUNREACH).
    NetworkUnreachable,
    /// The host does not answer (EHOSTUNREACH).
    HostUnreachable,
    /// The connection was given up on this side (ECONNABORTED).
    ConnectionAborted,
    /// A datagram with no destination on an unconnected socket
    /// (EDESTADDRREQ).
    DestinationRequired,
    /// The network is down: no network server runs (ENETDOWN).
    NetworkDown,
}

pub type KResult<T> = Result<T, Error>;

impl From<vfs::Error> for Error {
    fn from(e: vfs::Error) -> Self {
        use vfs::Error as V;
        match e {
            V::NotFound => Error::NotFound,
            V::NotDirectory => Error::NotDirectory,
            V::IsDirectory => Error::IsDirectory,
            V::Exists => Error::Exists,
            V::NotEmpty => Error::NotEmpty,
            V::Loop => Error::Loop,
            V::NameTooLong => Error::NameTooLong,
            V::PermissionDenied => Error::PermissionDenied,
            V::NotPermitted => Error::NotPermitted,
            V::CrossDevice => Error::CrossDevice,
            V::Busy => Error::Busy,
            V::NoSpace => Error::NoSpace,
            V::InvalidArgument => Error::InvalidArgument,
            V::ReadOnly => Error::ReadOnly,
            V::NotSupported => Error::NotSupported,
            V::BadFileType => Error::InvalidArgument,
            V::FileTooBig => Error::FileTooBig,
            V::TooManyLinks => Error::TooManyLinks,
            V::Io => Error::Io,
            V::Corrupted => Error::Corrupted,
            V::NoMemory => Error::NoMemory,
            V::NoAttribute => Error::NoData,
            V::OutOfRange => Error::OutOfRange,
        }
    }
}

impl From<sysv_ipc::Error> for Error {
    fn from(e: sysv_ipc::Error) -> Self {
        use sysv_ipc::Error as S;
        match e {
            S::Access => Error::PermissionDenied,
            S::NotPermitted => Error::NotPermitted,
            S::Removed => Error::IdentifierRemoved,
            S::Invalid => Error::InvalidArgument,
            S::NoEntry => Error::NotFound,
            S::Exists => Error::Exists,
            S::NoSpace => Error::NoSpace,
            S::NoMemory => Error::NoMemory,
            S::TooBig => Error::ArgumentListTooLong,
            S::Again | S::WouldBlock => Error::WouldBlock,
            S::NoMessage => Error::NoMessage,
            S::Range => Error::OutOfRange,
            S::TooLarge => Error::FileTooBig,
            S::NameTooLong => Error::NameTooLong,
            S::Busy => Error::Busy,
            S::Overflow => Error::Overflow,
        }
    }
}

impl From<keyrings::Error> for Error {
    fn from(e: keyrings::Error) -> Self {
        use keyrings::Error as K;
        match e {
            K::NoKey => Error::NoKey,
            K::Revoked => Error::KeyRevoked,
            K::Expired => Error::KeyExpired,
            K::Access => Error::PermissionDenied,
            K::NotPermitted => Error::NotPermitted,
            K::Invalid => Error::InvalidArgument,
            K::Quota => Error::QuotaExceeded,
            K::NotKeyring => Error::NotDirectory,
            K::NoType => Error::NoDevice,
            K::NotSupported => Error::NotSupported,
            K::Deadlock => Error::Deadlock,
            K::Exists => Error::Exists,
            K::NotFound => Error::NotFound,
            K::TooDeep => Error::Loop,
        }
    }
}
