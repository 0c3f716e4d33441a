//! Names for nodes: an inode number inside one file system, and the pair
//! (file system, inode) that names a node anywhere in the namespace.

/// An inode number, unique inside one file system.
pub type Ino = u64;

/// Which file system, as handed out by [`crate::Vfs::add_filesystem`]. The
/// file system the [`crate::Vfs`] was created with is [`FsId::ROOT`].
#[derive(Copy, Clone, Eq, PartialEq, Ord, PartialOrd, Hash, Debug)]
pub struct FsId(pub u32);

impl FsId {
    /// The file system mounted at the root of the namespace.
    pub const ROOT: FsId = FsId(0);
}

/// A node anywhere in the namespace.
///
/// A `NodeRef` carries no mount: each file system is mounted at most once,
/// so the mount a node belongs to is the one its file system is mounted by.
#[derive(Copy, Clone, Eq, PartialEq, Ord, PartialOrd, Hash, Debug)]
pub struct NodeRef {
    pub fs: FsId,
    pub ino: Ino,
}

impl NodeRef {
    pub const fn new(fs: FsId, ino: Ino) -> Self {
        NodeRef { fs, ino }
    }
}
