//! The namespace: the file systems the kernel knows, by [`FsId`], and the
//! mount table that joins them into one tree. Path resolution is in
//! [`crate::walk`], mounting in [`crate::mount`], reverse lookup in
//! [`crate::path_of`].

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;

use crate::mount::MountTable;
use crate::{Error, FileSystem, FsId, Metadata, NodeRef};

/// File systems and mounts. The kernel keeps one behind a lock.
pub struct Vfs {
    pub(crate) filesystems: Vec<Box<dyn FileSystem>>,
    /// How many of each file system's nodes the kernel holds open
    /// (`retain` minus `release`), by `FsId`: a file system with open
    /// nodes cannot be unmounted.
    pub(crate) open_nodes: Vec<usize>,
    pub(crate) mounts: MountTable,
}

impl Vfs {
    /// A namespace whose root is the root of `root_fs` ([`FsId::ROOT`]).
    pub fn new(root_fs: Box<dyn FileSystem>) -> Self {
        let root = NodeRef::new(FsId::ROOT, root_fs.root());
        Vfs { filesystems: Vec::from([root_fs]), open_nodes: Vec::from([0]), mounts: MountTable::new(root) }
    }

    /// Registers a file system so that it can be mounted; its id stays
    /// valid for the life of the `Vfs`.
    pub fn add_filesystem(&mut self, fs: Box<dyn FileSystem>) -> FsId {
        let id = FsId(self.filesystems.len() as u32);
        self.filesystems.push(fs);
        self.open_nodes.push(0);
        id
    }

    /// The root of the namespace: the root directory of the root file system.
    pub fn root(&self) -> NodeRef {
        self.mounts.root()
    }

    /// The file system `id` names; `InvalidArgument` if none.
    pub fn fs(&self, id: FsId) -> Result<&dyn FileSystem, Error> {
        self.filesystems.get(id.0 as usize).map(|fs| fs.as_ref()).ok_or(Error::InvalidArgument)
    }

    pub fn fs_mut(&mut self, id: FsId) -> Result<&mut (dyn FileSystem + 'static), Error> {
        self.filesystems.get_mut(id.0 as usize).map(|fs| fs.as_mut()).ok_or(Error::InvalidArgument)
    }

    pub fn metadata(&self, node: NodeRef) -> Result<Metadata, Error> {
        self.fs(node.fs)?.metadata(node.ino)
    }

    /// The node `name` names in the directory `dir`, without crossing into a
    /// file system mounted on it and without following a symlink: what
    /// `unlink`, `rmdir` and `rename` act on.
    pub fn lookup_entry(&self, dir: NodeRef, name: &[u8]) -> Result<NodeRef, Error> {
        let ino = self.fs(dir.fs)?.lookup(dir.ino, name)?;
        Ok(NodeRef::new(dir.fs, ino))
    }

    /// The kernel opened `node`; see [`FileSystem::retain`].
    /// Counted whatever the file system answers, since the kernel holds
    /// the node either way and will `release` it.
    pub fn retain(&mut self, node: NodeRef) -> Result<(), Error> {
        let count = self.open_nodes.get_mut(node.fs.0 as usize).ok_or(Error::InvalidArgument)?;
        *count += 1;
        self.fs_mut(node.fs)?.retain(node.ino)
    }

    /// The kernel closed `node`; see [`FileSystem::release`].
    pub fn release(&mut self, node: NodeRef) -> Result<(), Error> {
        let count = self.open_nodes.get_mut(node.fs.0 as usize).ok_or(Error::InvalidArgument)?;
        *count = count.saturating_sub(1);
        self.fs_mut(node.fs)?.release(node.ino)
    }

    /// Whether the kernel holds any node of `fs` open.
    pub fn has_open_nodes(&self, fs: FsId) -> bool {
        self.open_nodes.get(fs.0 as usize).is_some_and(|&n| n > 0)
    }
}

impl fmt::Debug for Vfs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.filesystems.iter().map(|fs| fs.name()).collect();
        f.debug_struct("Vfs").field("filesystems", &names).field("mounts", &self.mounts).finish()
    }
}
