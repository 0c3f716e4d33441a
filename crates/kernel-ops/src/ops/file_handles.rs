//! File handles: one part of the core's surface, [`crate::KernelOps`].

use crate::{DirFd, Error, Fd, KResult, OpenFlags};

/// File handles: naming a node in a way that outlives its descriptors, and
/// opening it again from that name.
pub trait FileHandleOps {
    /// The handle of the node `path` names from `dir` (None: `dir`'s own
    /// node, or the working directory), following a final symlink when
    /// `follow`.
    fn node_handle(&mut self, dir: DirFd, path: Option<&[u8]>, follow: bool) -> KResult<crate::NodeHandle> {
        let _ = (dir, path, follow);
        Err(Error::NotImplemented)
    }
    /// Opens the node a handle names (its `fs`, `ino` and `generation`) as
    /// `open` would; `anchor` (a descriptor, or the working directory) must
    /// be on that file system, the file system must be able to, and the
    /// node must still exist with a name (`Stale` otherwise). The caller
    /// checked the privilege.
    fn open_by_handle(&mut self, anchor: DirFd, handle: &crate::NodeHandle, flags: OpenFlags) -> KResult<Fd> {
        let _ = (anchor, handle, flags);
        Err(Error::NotImplemented)
    }
}
