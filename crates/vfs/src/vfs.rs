//! The namespace: the file systems the kernel knows, by [`FsId`], and the
//! mount table that joins them into one tree. Path resolution is in
//! [`crate::walk`], mounting in [`crate::mount`], reverse lookup in
//! [`crate::path_of`].
//!
//! # Locks
//!
//! A `Vfs` is shared (`&Vfs` from any number of threads); nothing in it is
//! one lock held across a file system's work:
//!
//! - each file system is behind its own lock ([`FsHandle::lock`]), taken
//!   for one call at a time;
//! - the file-system table (which [`FsId`] is which file system) is behind
//!   a lock held only to copy out an [`FsHandle`];
//! - the mount table is an immutable snapshot ([`Mounts`]) behind the
//!   namespace lock, held only to copy out the snapshot's `Arc` or, at
//!   mount, unmount and discard, to put a changed copy in its place.
//!
//! The order: the namespace lock, then the file-system table's lock; both
//! are leaves as far as file systems go: no file-system method is ever
//! called while either is held, so a file system that takes its time (a
//! server in user space) stalls only its own callers. A file system's lock
//! may be held while taking either of them (a caller looking up the mounts
//! while it holds a file system), never the other way round, and no
//! caller holds two file systems' locks at once.

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;
use core::sync::atomic::{AtomicUsize, Ordering};

use crate::mount::Mounts;
use crate::{Error, FileSystem, FsId, Ino, LockClass, Locking, Metadata, NodeRef};

/// One registered file system and what the namespace knows of it without
/// asking it.
pub(crate) struct FsEntry<L: Locking> {
    fs: L::Lock<Box<dyn FileSystem>>,
    /// The root's inode, which never changes.
    root: Ino,
    /// How many of its nodes the kernel holds open (`retain` minus
    /// `release`): a file system with open nodes cannot be unmounted.
    open_nodes: AtomicUsize,
}

/// A shareable handle on one file system: clone it, drop the namespace's
/// locks, and call the file system through [`FsHandle::lock`].
pub struct FsHandle<L: Locking>(Arc<FsEntry<L>>);

impl<L: Locking> Clone for FsHandle<L> {
    fn clone(&self) -> Self {
        FsHandle(self.0.clone())
    }
}

impl<L: Locking> FsHandle<L> {
    /// Takes the file system's own lock for the caller's calls. Hold it
    /// for one operation (or a few that must not be separated, such as a
    /// check and the change it allows), never while taking another file
    /// system's lock.
    pub fn lock(&self) -> L::Guard<'_, Box<dyn FileSystem>> {
        L::lock(&self.0.fs)
    }

    /// The inode of its root directory, without asking it.
    pub fn root(&self) -> Ino {
        self.0.root
    }

    /// Whether the kernel holds any of its nodes open.
    pub fn has_open_nodes(&self) -> bool {
        self.0.open_nodes.load(Ordering::Acquire) > 0
    }
}

impl<L: Locking> fmt::Debug for FsHandle<L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FsHandle").field("root", &self.0.root).finish()
    }
}

fn entry<L: Locking>(fs: Box<dyn FileSystem>) -> Arc<FsEntry<L>> {
    let root = fs.root();
    Arc::new(FsEntry { fs: L::new_lock(LockClass::FileSystem, fs), root, open_nodes: AtomicUsize::new(0) })
}

/// File systems and mounts, shared by every thread: see the module's
/// notes on locks.
pub struct Vfs<L: Locking> {
    /// By `FsId`; only ever grows (a discarded file system's entry is
    /// replaced by a [`crate::detached::Detached`] one).
    filesystems: L::Lock<Vec<Arc<FsEntry<L>>>>,
    /// The namespace lock: the current mount table, replaced whole.
    pub(crate) mounts: L::Lock<Arc<Mounts>>,
}

impl<L: Locking> Vfs<L> {
    /// A namespace whose root is the root of `root_fs` ([`FsId::ROOT`]).
    pub fn new(root_fs: Box<dyn FileSystem>) -> Self {
        let root = NodeRef::new(FsId::ROOT, root_fs.root());
        Vfs {
            filesystems: L::new_lock(LockClass::FsTable, Vec::from([entry::<L>(root_fs)])),
            mounts: L::new_lock(LockClass::MountTable, Arc::new(Mounts::new(root))),
        }
    }

    /// Registers a file system so that it can be mounted; its id stays
    /// valid for the life of the `Vfs`.
    pub fn add_filesystem(&self, fs: Box<dyn FileSystem>) -> FsId {
        let new = entry::<L>(fs);
        let mut table = L::lock(&self.filesystems);
        table.push(new);
        FsId((table.len() - 1) as u32)
    }

    /// The root of the namespace: the root directory of the root file system.
    pub fn root(&self) -> NodeRef {
        self.mount_table().root()
    }

    /// The file system `id` names; `InvalidArgument` if none. Takes only
    /// the file-system table's lock, for a moment: `v.fs(id)?.lock().read(..)`.
    pub fn fs(&self, id: FsId) -> Result<FsHandle<L>, Error> {
        L::lock(&self.filesystems).get(id.0 as usize).cloned().map(FsHandle).ok_or(Error::InvalidArgument)
    }

    /// The mount table as it is now. Later mounts and unmounts replace the
    /// namespace's table and leave this one as it was.
    pub fn mount_table(&self) -> Arc<Mounts> {
        L::lock(&self.mounts).clone()
    }

    pub fn metadata(&self, node: NodeRef) -> Result<Metadata, Error> {
        self.fs(node.fs)?.lock().metadata(node.ino)
    }

    /// The node `name` names in the directory `dir`, without crossing into a
    /// file system mounted on it and without following a symlink: what
    /// `unlink`, `rmdir` and `rename` act on.
    pub fn lookup_entry(&self, dir: NodeRef, name: &[u8]) -> Result<NodeRef, Error> {
        let ino = self.fs(dir.fs)?.lock().lookup(dir.ino, name)?;
        Ok(NodeRef::new(dir.fs, ino))
    }

    /// The kernel opened `node`; see [`FileSystem::retain`].
    /// Counted whatever the file system answers, since the kernel holds
    /// the node either way and will `release` it.
    pub fn retain(&self, node: NodeRef) -> Result<(), Error> {
        let fs = self.fs(node.fs)?;
        fs.0.open_nodes.fetch_add(1, Ordering::AcqRel);
        let mut guard = fs.lock();
        guard.retain(node.ino)
    }

    /// The kernel closed `node`; see [`FileSystem::release`].
    pub fn release(&self, node: NodeRef) -> Result<(), Error> {
        let fs = self.fs(node.fs)?;
        let _ = fs.0.open_nodes.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| Some(n.saturating_sub(1)));
        let mut guard = fs.lock();
        guard.release(node.ino)
    }

    /// Whether the kernel holds any node of `fs` open.
    pub fn has_open_nodes(&self, fs: FsId) -> bool {
        self.fs(fs).is_ok_and(|fs| fs.has_open_nodes())
    }

    /// Puts a [`crate::detached::Detached`] in place of `id`'s file system
    /// (see [`Vfs::discard`]); the old one is freed when the last handle
    /// on it is dropped.
    pub(crate) fn replace_with_detached(&self, id: FsId) -> Result<(), Error> {
        let mut table = L::lock(&self.filesystems);
        let slot = table.get_mut(id.0 as usize).ok_or(Error::InvalidArgument)?;
        let root = slot.root;
        *slot = entry::<L>(Box::new(crate::detached::Detached { root }));
        Ok(())
    }
}

impl<L: Locking> fmt::Debug for Vfs<L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = L::lock(&self.filesystems).len();
        f.debug_struct("Vfs").field("filesystems", &count).field("mounts", &*self.mount_table()).finish()
    }
}
