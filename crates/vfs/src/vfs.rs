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
    pub(crate) mounts: MountTable,
}

impl Vfs {
    /// A namespace whose root is the root of `root_fs` ([`FsId::ROOT`]).
    pub fn new(root_fs: Box<dyn FileSystem>) -> Self {
        let root = NodeRef::new(FsId::ROOT, root_fs.root());
        Vfs {
            filesystems: Vec::from([root_fs]),
            mounts: MountTable::new(root),
        }
    }

    /// Registers a file system so that it can be mounted; its id stays
    /// valid for the life of the `Vfs`.
    pub fn add_filesystem(&mut self, fs: Box<dyn FileSystem>) -> FsId {
        let id = FsId(self.filesystems.len() as u32);
        self.filesystems.push(fs);
        id
    }

    /// The root of the namespace: the root directory of the root file system.
    pub fn root(&self) -> NodeRef {
        self.mounts.root()
    }

    /// The file system `id` names; `InvalidArgument` if none.
    pub fn fs(&self, id: FsId) -> Result<&dyn FileSystem, Error> {
        self.filesystems
            .get(id.0 as usize)
            .map(|fs| fs.as_ref())
            .ok_or(Error::InvalidArgument)
    }

    pub fn fs_mut(&mut self, id: FsId) -> Result<&mut (dyn FileSystem + 'static), Error> {
        self.filesystems
            .get_mut(id.0 as usize)
            .map(|fs| fs.as_mut())
            .ok_or(Error::InvalidArgument)
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
    pub fn retain(&mut self, node: NodeRef) -> Result<(), Error> {
        self.fs_mut(node.fs)?.retain(node.ino)
    }

    /// The kernel closed `node`; see [`FileSystem::release`].
    pub fn release(&mut self, node: NodeRef) -> Result<(), Error> {
        self.fs_mut(node.fs)?.release(node.ino)
    }
}

impl fmt::Debug for Vfs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.filesystems.iter().map(|fs| fs.name()).collect();
        f.debug_struct("Vfs")
            .field("filesystems", &names)
            .field("mounts", &self.mounts)
            .finish()
    }
}
