//! Mounts: which file system covers which directory.
//!
//! Each file system is mounted at most once (there are no bind mounts), so
//! a [`NodeRef`] needs no mount of its own: the root of a mounted file
//! system leads back, through `..`, to the directory it covers. Mounting on
//! a directory that is already covered stacks the new mount on top (on the
//! root of the mount that covers it); walking into the directory lands on
//! the topmost root.

use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::{Error, FsId, Locking, NodeRef, Vfs};

/// One mount, as `/proc/mounts` lists it.
#[derive(Copy, Clone, Eq, PartialEq, Debug)]
pub struct MountInfo {
    pub fs: FsId,
    /// The directory the mount covers; for the root mount, its own root.
    pub mount_point: NodeRef,
    /// The root directory of the mounted file system.
    pub root: NodeRef,
    /// The file system that holds `mount_point`; `None` for the root mount.
    pub parent: Option<FsId>,
}

/// The mount table: an immutable snapshot, replaced whole at each mount,
/// unmount and discard, so that a path walk can use the one it started
/// with without holding a lock ([`Vfs::mount_table`]).
#[derive(Clone, Debug)]
pub struct Mounts {
    /// In mount order; the root mount first.
    order: Vec<MountInfo>,
    /// Mount point → the file system mounted on it.
    covered: BTreeMap<NodeRef, FsId>,
}

impl Mounts {
    pub(crate) fn new(root: NodeRef) -> Self {
        let root_mount = MountInfo { fs: root.fs, mount_point: root, root, parent: None };
        Mounts { order: Vec::from([root_mount]), covered: BTreeMap::new() }
    }

    /// The root of the namespace.
    pub fn root(&self) -> NodeRef {
        self.order[0].root
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The mount of `fs`, if it is mounted.
    pub fn of_fs(&self, fs: FsId) -> Option<&MountInfo> {
        self.order.iter().find(|m| m.fs == fs)
    }

    /// The file system mounted on `node`, if any.
    pub fn covering(&self, node: NodeRef) -> Option<FsId> {
        self.covered.get(&node).copied()
    }

    /// Where the root of `fs` is mounted; `None` for the root file system
    /// and for file systems not mounted.
    pub fn mount_point_of(&self, fs: FsId) -> Option<NodeRef> {
        self.of_fs(fs).filter(|m| m.parent.is_some()).map(|m| m.mount_point)
    }

    fn has_submounts(&self, fs: FsId) -> bool {
        self.order.iter().any(|m| m.parent == Some(fs))
    }

    /// Every mount, in the order they were made; the root mount first.
    pub fn iter(&self) -> impl Iterator<Item = MountInfo> + '_ {
        self.order.iter().copied()
    }

    /// Whether `node` is covered by a mount or is the root of one.
    pub fn is_mount_point(&self, node: NodeRef) -> bool {
        self.covering(node).is_some() || self.is_mount_root(node)
    }

    /// Whether `node` is the root directory of a mounted file system.
    pub fn is_mount_root(&self, node: NodeRef) -> bool {
        self.of_fs(node.fs).is_some_and(|m| m.root == node)
    }

    /// The node a walk lands on when it reaches `node`: the root of the
    /// topmost mount stacked on it, or `node` itself.
    pub fn follow_mounts(&self, mut node: NodeRef) -> NodeRef {
        // Each file system is mounted once, so a chain has at most as many
        // steps as there are mounts.
        for _ in 0..self.len() {
            match self.covering(node).and_then(|fs| self.of_fs(fs)) {
                Some(mount) => node = mount.root,
                None => break,
            }
        }
        node
    }

    /// The file system [`Vfs::unmount`] would unmount for `target`.
    pub fn mount_at(&self, target: NodeRef) -> Result<FsId, Error> {
        if self.is_mount_root(target) {
            Ok(target.fs)
        } else if self.covering(target).is_some() {
            Ok(self.follow_mounts(target).fs)
        } else {
            Err(Error::InvalidArgument)
        }
    }
}

impl<L: Locking> Vfs<L> {
    /// Mounts the file system `fs` on the directory `at`, or on top of the
    /// mounts already stacked there.
    ///
    /// `Busy` if `fs` is already mounted (or is the root file system);
    /// `NotDirectory` if `at` is not a directory; `NotFound` if it was
    /// removed; `InvalidArgument` if `at` is not in a mounted file system.
    ///
    /// `at` is looked at before the namespace lock is taken (its file
    /// system may be slow to answer); the table is changed under it.
    pub fn mount(&self, at: NodeRef, fs: FsId) -> Result<(), Error> {
        let fs_root = self.fs(fs)?.root();
        if fs == FsId::ROOT {
            return Err(Error::Busy);
        }
        let meta = self.metadata(at)?;
        if !meta.is_dir() {
            return Err(Error::NotDirectory);
        }
        if meta.nlink == 0 {
            return Err(Error::NotFound);
        }
        let mut current = L::lock(&self.mounts);
        if current.of_fs(fs).is_some() {
            return Err(Error::Busy);
        }
        if current.of_fs(at.fs).is_none() {
            return Err(Error::InvalidArgument);
        }
        let mut next = Mounts::clone(&current);
        let point = next.follow_mounts(at);
        let info = MountInfo { fs, mount_point: point, root: NodeRef::new(fs, fs_root), parent: Some(point.fs) };
        next.covered.insert(point, fs);
        next.order.push(info);
        *current = Arc::new(next);
        Ok(())
    }

    /// The file system [`Vfs::unmount`] would unmount for `target`: the
    /// mount whose root is `target`, or the topmost mount on the mount
    /// point `target`; `InvalidArgument` if `target` is neither.
    pub fn mount_at(&self, target: NodeRef) -> Result<FsId, Error> {
        self.mount_table().mount_at(target)
    }

    /// Unmounts the file system [`Vfs::mount_at`] names for `target` and
    /// returns it (it stays registered and may be mounted again, unless
    /// [`Vfs::discard`]ed).
    ///
    /// `Busy` for the root mount, for a file system with nodes open, and
    /// for a mount that others are mounted in; `InvalidArgument` if
    /// `target` is neither a mount's root nor a mount point.
    pub fn unmount(&self, target: NodeRef) -> Result<FsId, Error> {
        self.unmount_unless(target, |_| false)
    }

    /// As [`Vfs::unmount`], also `Busy` when `in_use` says so of the file
    /// system it would unmount: decided under the namespace lock, so no
    /// mount or unmount comes between the choice and the check. `in_use`
    /// must not call into a file system or this `Vfs`.
    pub fn unmount_unless(&self, target: NodeRef, in_use: impl Fn(FsId) -> bool) -> Result<FsId, Error> {
        let mut current = L::lock(&self.mounts);
        let fs = current.mount_at(target)?;
        let info = *current.of_fs(fs).ok_or(Error::InvalidArgument)?;
        if info.parent.is_none() || current.has_submounts(fs) || self.has_open_nodes(fs) || in_use(fs) {
            return Err(Error::Busy);
        }
        let mut next = Mounts::clone(&current);
        next.covered.remove(&info.mount_point);
        next.order.retain(|m| m.fs != fs);
        *current = Arc::new(next);
        Ok(fs)
    }

    /// Frees the unmounted file system `fs`, leaving a [`Detached`] in its
    /// place, for a file system that will not be mounted again (the
    /// kernel makes a new one for every mount): its memory is not held for
    /// the life of the namespace (it goes when the last [`FsHandle`] on it
    /// does). `Busy` while it is mounted or has nodes open;
    /// `InvalidArgument` for the root file system or an unknown id.
    ///
    /// [`Detached`]: crate::detached::Detached
    /// [`FsHandle`]: crate::FsHandle
    pub fn discard(&self, fs: FsId) -> Result<(), Error> {
        if fs == FsId::ROOT {
            return Err(Error::InvalidArgument);
        }
        // Held so that no mount of `fs` can come between the check and the
        // replacement.
        let current = L::lock(&self.mounts);
        if current.of_fs(fs).is_some() || self.has_open_nodes(fs) {
            return Err(Error::Busy);
        }
        self.replace_with_detached(fs)
    }

    /// Every mount, in the order they were made; the root mount first.
    pub fn mounts(&self) -> Vec<MountInfo> {
        self.mount_table().iter().collect()
    }

    /// Whether `node` is covered by a mount or is the root of one: such a
    /// directory cannot be removed or renamed (`Busy`).
    pub fn is_mount_point(&self, node: NodeRef) -> bool {
        self.mount_table().is_mount_point(node)
    }

    /// Whether `node` is the root directory of a mounted file system.
    pub fn is_mount_root(&self, node: NodeRef) -> bool {
        self.mount_table().is_mount_root(node)
    }

    /// The node a walk lands on when it reaches `node`: the root of the
    /// topmost mount stacked on it, or `node` itself.
    pub fn follow_mounts(&self, node: NodeRef) -> NodeRef {
        self.mount_table().follow_mounts(node)
    }
}
