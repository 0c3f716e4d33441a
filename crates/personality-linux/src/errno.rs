//! The core's errors as Linux errno values.

use kernel_ops::Error;
use linux_abi::errno::*;

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
        Error::NoData => ENODATA,
        Error::Overflow => EOVERFLOW,
        Error::TimedOut => ETIMEDOUT,
        Error::NoSuchDeviceOrAddress => ENXIO,
        Error::Corrupted => EUCLEAN,
        Error::NotBlockDevice => ENOTBLK,
        Error::BadLibrary => ELIBBAD,
        Error::Deadlock => EDEADLK,
        Error::NoLocks => ENOLCK,
        Error::IdentifierRemoved => EIDRM,
        Error::NoMessage => ENOMSG,
        Error::MessageSize => EMSGSIZE,
    }
}

/// The rax value for a failed call: -errno.
pub fn encode(e: Error) -> u64 {
    (-(errno_of(e) as i64)) as u64
}
