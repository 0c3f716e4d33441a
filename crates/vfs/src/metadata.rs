//! What `stat` reports about a node, and the changes `chmod`, `chown` and
//! `utimens` make to it.

use crate::{FileType, Ino, Timestamp};

/// The permission bits of a mode: `rwx` for owner, group and others plus
/// set-user-ID, set-group-ID and sticky.
pub const PERMISSION_BITS: u32 = 0o7777;
pub const SET_UID: u32 = 0o4000;
pub const SET_GID: u32 = 0o2000;
pub const STICKY: u32 = 0o1000;

/// A device number, split the way the kernel's drivers name devices.
#[derive(Copy, Clone, Eq, PartialEq, Ord, PartialOrd, Hash, Debug, Default)]
pub struct DeviceNumber {
    pub major: u32,
    pub minor: u32,
}

/// The attributes of a node.
#[derive(Clone, Eq, PartialEq, Debug)]
pub struct Metadata {
    pub file_type: FileType,
    /// Permission bits only (see [`PERMISSION_BITS`]); the type is in
    /// `file_type`.
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub nlink: u32,
    /// Bytes: a file's length, a symlink's target length, a directory's
    /// nominal size.
    pub size: u64,
    /// The device a device node names; zero for every other kind.
    pub rdev: DeviceNumber,
    pub atime: Timestamp,
    pub mtime: Timestamp,
    pub ctime: Timestamp,
    pub ino: Ino,
    /// Storage used, in 512-byte units (the unit `stat` uses everywhere).
    pub blocks: u64,
    /// The preferred I/O size.
    pub blksize: u32,
}

impl Metadata {
    pub fn is_dir(&self) -> bool {
        self.file_type.is_dir()
    }
}

/// A change to a node's attributes; `None` leaves a field as it is. Applying
/// any change also sets the status-change time to the `now` passed with it.
///
/// The file system applies the change as given: whether the caller may make
/// it, and which set-ID bits it clears on the way, are decided beforehand by
/// the rules in [`crate::ownership`].
#[derive(Copy, Clone, Eq, PartialEq, Debug, Default)]
pub struct MetadataChange {
    /// New permission bits (masked with [`PERMISSION_BITS`]).
    pub mode: Option<u32>,
    pub uid: Option<u32>,
    pub gid: Option<u32>,
    pub atime: Option<Timestamp>,
    pub mtime: Option<Timestamp>,
}

/// A node's owner and times, as a file system stores them: what
/// [`MetadataChange::apply`] changes.
#[derive(Debug)]
pub struct OwnerAndTimes<'a> {
    pub uid: &'a mut u32,
    pub gid: &'a mut u32,
    pub atime: &'a mut Timestamp,
    pub mtime: &'a mut Timestamp,
    pub ctime: &'a mut Timestamp,
}

impl MetadataChange {
    /// Applies the owner and times this change names, and the status-change
    /// time `now`, the same way in every file system. The mode is the file
    /// system's to apply, since each keeps the type bits beside it its own
    /// way.
    pub fn apply(&self, node: OwnerAndTimes<'_>, now: Timestamp) {
        if let Some(uid) = self.uid {
            *node.uid = uid;
        }
        if let Some(gid) = self.gid {
            *node.gid = gid;
        }
        if let Some(atime) = self.atime {
            *node.atime = atime;
        }
        if let Some(mtime) = self.mtime {
            *node.mtime = mtime;
        }
        *node.ctime = now;
    }
}
