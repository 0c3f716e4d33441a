//! Limits on names and paths, and what makes a valid directory entry name.

use crate::Error;

/// Longest directory entry name, in bytes.
pub const NAME_MAX: usize = 255;

/// Size of the longest path including its terminating NUL, as C sees it: a
/// path argument of `PATH_MAX` bytes or more is refused. Symlink targets
/// obey the same limit; paths built internally by following them do not.
pub const PATH_MAX: usize = 4096;

/// Most symbolic links followed in one path resolution.
pub const MAX_SYMLINKS: u32 = 40;

pub fn is_dot(name: &[u8]) -> bool {
    name == b"."
}

pub fn is_dotdot(name: &[u8]) -> bool {
    name == b".."
}

/// Checks a name a file system is asked to create or remove: non-empty, at
/// most [`NAME_MAX`] bytes, without `/` or NUL, and neither `.` nor `..`
/// (the path walk handles those before a file system sees them).
pub fn check_name(name: &[u8]) -> Result<(), Error> {
    if name.len() > NAME_MAX {
        return Err(Error::NameTooLong);
    }
    if name.is_empty() || is_dot(name) || is_dotdot(name) || name.iter().any(|&b| b == b'/' || b == 0) {
        return Err(Error::InvalidArgument);
    }
    Ok(())
}

/// Checks a symlink target: non-empty (an empty target names nothing) and
/// shorter than [`PATH_MAX`].
pub fn check_symlink_target(target: &[u8]) -> Result<(), Error> {
    if target.is_empty() {
        return Err(Error::NotFound);
    }
    if target.len() >= PATH_MAX {
        return Err(Error::NameTooLong);
    }
    Ok(())
}
