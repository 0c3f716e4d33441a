//! What can go wrong in the file system, named by meaning. A personality maps
//! each variant to its own error numbers (Linux: `ENOENT`, `ENOTDIR`, ...).

use core::fmt;

/// A file-system error.
#[derive(Copy, Clone, Eq, PartialEq, Hash, Debug)]
pub enum Error {
    /// A name does not exist, a path is empty, or a directory was removed.
    NotFound,
    /// A directory was needed: a non-final path component, a path with a
    /// trailing slash, the target of a directory rename, a `dirfd`.
    NotDirectory,
    /// The operation does not apply to a directory (writing one, unlinking
    /// one, renaming a file over one).
    IsDirectory,
    /// The name is already taken.
    Exists,
    /// A directory that must be empty is not.
    NotEmpty,
    /// More than [`crate::MAX_SYMLINKS`] symbolic links in one resolution.
    Loop,
    /// A component longer than [`crate::NAME_MAX`] bytes, or a path of
    /// [`crate::PATH_MAX`] bytes or more.
    NameTooLong,
    /// The permission bits refuse the access (Linux `EACCES`).
    PermissionDenied,
    /// The caller is not privileged enough for the operation at all
    /// (Linux `EPERM`): chown by a non-owner, deleting from a sticky
    /// directory, hard-linking a directory.
    NotPermitted,
    /// The two names are on different file systems.
    CrossDevice,
    /// The node is in use: a mount point, a mount with submounts.
    Busy,
    /// The file system's byte or inode budget is spent.
    NoSpace,
    /// An argument is malformed: renaming a directory into itself, an
    /// invalid name, `readlink` of a non-symlink.
    InvalidArgument,
    /// The file system cannot be changed.
    ReadOnly,
    /// The file system does not implement the operation.
    NotSupported,
    /// The node is of a kind the operation does not handle here, such as
    /// reading data from a device node through the file system that only
    /// stores it (the kernel routes those to the driver).
    BadFileType,
    /// A file would grow beyond the file system's largest size.
    FileTooBig,
    /// A node would get more hard links than the file system can count.
    TooManyLinks,
    /// The storage under the file system failed, or its server did not
    /// answer (Linux `EIO`).
    Io,
    /// The file system's on-disk structures are inconsistent: a check
    /// caught corruption before it could do harm (Linux `EUCLEAN`).
    Corrupted,
    /// The file system could not get the memory the operation needs
    /// (Linux `ENOMEM`): a server's heap is spent. Not `NoSpace`, which is
    /// about the disk.
    NoMemory,
    /// The node has no extended attribute of that name.
    NoAttribute,
    /// A value or list does not fit the caller's buffer or a limit.
    OutOfRange,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Error::NotFound => "no such file or directory",
            Error::NotDirectory => "not a directory",
            Error::IsDirectory => "is a directory",
            Error::Exists => "file exists",
            Error::NotEmpty => "directory not empty",
            Error::Loop => "too many levels of symbolic links",
            Error::NameTooLong => "file name too long",
            Error::PermissionDenied => "permission denied",
            Error::NotPermitted => "operation not permitted",
            Error::CrossDevice => "cross-device link",
            Error::Busy => "device or resource busy",
            Error::NoSpace => "no space left on device",
            Error::InvalidArgument => "invalid argument",
            Error::ReadOnly => "read-only file system",
            Error::NotSupported => "operation not supported",
            Error::BadFileType => "inappropriate file type",
            Error::FileTooBig => "file too large",
            Error::TooManyLinks => "too many links",
            Error::Io => "input/output error",
            Error::Corrupted => "structure needs cleaning",
            Error::NoMemory => "out of memory",
            Error::NoAttribute => "no such attribute",
            Error::OutOfRange => "result out of range",
        };
        f.write_str(text)
    }
}
