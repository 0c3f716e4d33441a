//! Keeping a file's inode alive while memory maps it.

use alloc::sync::Arc;
use alloc::vec::Vec;

/// Keeps a file's inode alive while mappings (or the page cache) use it,
/// as an open file does: a mapping outlives its descriptor and the file's
/// name. It also remembers the path the file was mapped by, for
/// /proc/<pid>/maps.
pub struct NodeHold {
    pub node: vfs::NodeRef,
    pub path: Vec<u8>,
}

impl NodeHold {
    /// Takes a VFS reference on `node`. Sleeps (its file system's lock,
    /// perhaps a file server): never call it under a spinlock.
    pub fn new(node: vfs::NodeRef, path: Vec<u8>) -> Arc<NodeHold> {
        crate::fs::with_vfs(|v| {
            let _ = v.retain(node);
        });
        Arc::new(NodeHold { node, path })
    }
}

impl Drop for NodeHold {
    fn drop(&mut self) {
        // The last mapping often goes away under the address-space lock
        // (munmap, exec): then the release waits for a safe moment.
        if super::deferred::can_sleep_now() {
            crate::fs::release_node(self.node);
        } else {
            super::deferred::push(super::deferred::Job::Release(self.node));
        }
    }
}
