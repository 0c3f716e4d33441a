//! File handles (name_to_handle_at, open_by_handle_at): what names a node
//! apart from any path to it.

/// A node's identity on its file system, with the mount it was reached
/// through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeHandle {
    /// The mount's id, as /proc/self/mountinfo shows it.
    pub mount_id: u32,
    /// The file system, and the node on it.
    pub fs: u32,
    pub ino: u64,
    /// Tells apart nodes that reuse a number (0 where the file system
    /// keeps none).
    pub generation: u32,
    /// Whether the file system can open a node from its handle; the others
    /// give handles only as identifiers (Linux's AT_HANDLE_FID).
    pub decodable: bool,
}
