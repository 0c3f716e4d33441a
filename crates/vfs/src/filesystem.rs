//! The interface every file system implements: ramfs, the device tree, /proc
//! and, through a proxy, the servers in user space.
//!
//! A file system knows only its own inodes. Mounts, path resolution and
//! permission checks happen above it, in [`crate::Vfs`]; a file system
//! trusts its caller on permissions but checks everything that keeps its
//! own structure sound (names, types, emptiness, cycles).
//!
//! Every call that changes something takes `now`, the time to record: the
//! file system keeps no clock. Reading does not update access times (the
//! behaviour of a `noatime` mount); `set_metadata` can set them.

use alloc::vec::Vec;

use crate::{DirEntry, Error, FsStats, Ino, Metadata, MetadataChange, NewNode, NodeAttrs, Timestamp};

/// How `set_xattr` may treat an existing attribute (Linux's XATTR_CREATE
/// and XATTR_REPLACE flags).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XattrSet {
    /// Create it or replace it.
    Any,
    /// Only create: an existing one is `Exists`.
    Create,
    /// Only replace: a missing one is `NoAttribute`.
    Replace,
}

pub trait FileSystem: Send {
    /// A short name for the file system type ("ramfs", "proc", ...).
    fn name(&self) -> &str;

    /// The inode of the root directory.
    fn root(&self) -> Ino;

    fn metadata(&self, ino: Ino) -> Result<Metadata, Error>;

    /// The inode `name` names in the directory `dir`. `.` is `dir` itself;
    /// `..` is its parent, and the root's parent is the root.
    fn lookup(&self, dir: Ino, name: &[u8]) -> Result<Ino, Error>;

    /// Makes a new node named `name` in `dir` and returns its inode.
    /// `Exists` if the name is taken, `NotFound` if `dir` has been removed.
    fn create(
        &mut self,
        dir: Ino,
        name: &[u8],
        node: NewNode<'_>,
        attrs: NodeAttrs,
        now: Timestamp,
    ) -> Result<Ino, Error>;

    /// Adds the name `name` in `dir` for the existing non-directory `target`.
    fn link(&mut self, dir: Ino, name: &[u8], target: Ino, now: Timestamp) -> Result<(), Error>;

    /// Removes the name of a non-directory. The node itself lives on while
    /// it has other names or is open (see [`FileSystem::retain`]).
    fn unlink(&mut self, dir: Ino, name: &[u8], now: Timestamp) -> Result<(), Error>;

    /// Removes an empty directory.
    fn rmdir(&mut self, dir: Ino, name: &[u8], now: Timestamp) -> Result<(), Error>;

    /// Moves the name `from_name` in `from_dir` to `to_name` in `to_dir`,
    /// replacing what `to_name` named, as POSIX `rename` does: a file may
    /// replace a file, a directory an empty directory; renaming a name onto
    /// another name of the same node does nothing; a directory cannot move
    /// into its own subtree (`InvalidArgument`).
    fn rename(
        &mut self,
        from_dir: Ino,
        from_name: &[u8],
        to_dir: Ino,
        to_name: &[u8],
        now: Timestamp,
    ) -> Result<(), Error>;

    /// The target of a symbolic link (`InvalidArgument` for other kinds).
    fn readlink(&self, ino: Ino) -> Result<Vec<u8>, Error>;

    /// Reads file data at `offset`; returns the number of bytes read, 0 at
    /// or past the end. Holes read as zeros.
    fn read(&self, ino: Ino, offset: u64, buf: &mut [u8]) -> Result<usize, Error>;

    /// Writes file data at `offset`, extending the file (the gap, if any,
    /// reads as zeros). Returns how much was written: less than asked when
    /// space ran out part way, `NoSpace` when nothing fitted.
    fn write(&mut self, ino: Ino, offset: u64, data: &[u8], now: Timestamp) -> Result<usize, Error>;

    /// Sets a file's length, dropping data past it or adding a hole.
    fn truncate(&mut self, ino: Ino, len: u64, now: Timestamp) -> Result<(), Error>;

    /// Lists the directory `dir` from `cookie` (0 for the start): offers
    /// each entry, `.` and `..` included, to `emit` until it returns false
    /// (that entry is then not consumed: resume from the cookie before it)
    /// or the entries run out. A cookie stays valid while entries are added
    /// and removed: the listing resumes after the entry it came from, and
    /// entries that stayed in the directory the whole time are each listed
    /// exactly once.
    fn read_dir(&self, dir: Ino, cookie: u64, emit: &mut dyn FnMut(DirEntry<'_>) -> bool) -> Result<(), Error>;

    /// Applies `change` and sets the status-change time to `now`.
    fn set_metadata(&mut self, ino: Ino, change: MetadataChange, now: Timestamp) -> Result<(), Error>;

    fn statfs(&self) -> FsStats;

    /// Checks the file system's own invariants (link counts, accounting...)
    /// and names the first one broken; for tests and self-checks.
    fn check_consistency(&self) -> Result<(), &'static str> {
        Ok(())
    }

    /// The kernel opened `ino` (a file descriptor, a working directory, a
    /// mapping): keep it, even after its last name is removed, until the
    /// matching [`FileSystem::release`].
    fn retain(&mut self, ino: Ino) -> Result<(), Error> {
        let _ = ino;
        Ok(())
    }

    /// The kernel closed `ino`; a node with no names and no opens is freed.
    fn release(&mut self, ino: Ino) -> Result<(), Error> {
        let _ = ino;
        Ok(())
    }

    /// A name under which the directory `dir` lists `ino` (not `.` or
    /// `..`), if the file system knows one without reading `dir`: a file
    /// system served over IPC remembers what its lookups found. `None`
    /// sends [`crate::Vfs::path_of`] to read the directory.
    fn known_name(&self, dir: Ino, ino: Ino) -> Option<Vec<u8>> {
        let _ = (dir, ino);
        None
    }

    /// Refuse (`true`) or allow every change from now on: a read-only
    /// mount or remount. `NotSupported` where the file system cannot.
    fn set_read_only(&mut self, read_only: bool) -> Result<(), Error> {
        let _ = read_only;
        Err(Error::NotSupported)
    }

    /// Whether every change is refused (`ReadOnly`): the kernel answers
    /// EROFS to an open for writing before asking anything else.
    fn is_read_only(&self) -> bool {
        false
    }

    /// The value of `ino`'s extended attribute `name` (the full
    /// `namespace.name`); `NoAttribute` when it has none of that name,
    /// `NotSupported` on a file system that stores none. Permission and
    /// namespace rules are the caller's: a file system only stores.
    fn get_xattr(&self, ino: Ino, name: &[u8]) -> Result<Vec<u8>, Error> {
        let _ = (ino, name);
        Err(Error::NotSupported)
    }

    /// Sets (`XattrSet::Create`: only a new one, `Exists` otherwise;
    /// `Replace`: only an existing one, `NoAttribute` otherwise) and
    /// updates the status-change time.
    fn set_xattr(&mut self, ino: Ino, name: &[u8], value: &[u8], how: XattrSet, now: Timestamp) -> Result<(), Error> {
        let _ = (ino, name, value, how, now);
        Err(Error::NotSupported)
    }

    /// The names of `ino`'s attributes, in the order they were set.
    fn list_xattr(&self, ino: Ino) -> Result<Vec<Vec<u8>>, Error> {
        let _ = ino;
        Err(Error::NotSupported)
    }

    fn remove_xattr(&mut self, ino: Ino, name: &[u8], now: Timestamp) -> Result<(), Error> {
        let _ = (ino, name, now);
        Err(Error::NotSupported)
    }
}
