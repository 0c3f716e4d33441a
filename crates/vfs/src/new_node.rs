//! What `create` is asked to make.

/// The kind of node to create, with what that kind needs.
#[derive(Copy, Clone, Eq, PartialEq, Debug)]
pub enum NewNode<'a> {
    File,
    Directory,
    /// A symbolic link to the given target (non-empty, below
    /// [`crate::PATH_MAX`] bytes, stored as given).
    Symlink(&'a [u8]),
    Device {
        char: bool,
        major: u32,
        minor: u32,
    },
    Fifo,
    Socket,
}

/// The initial attributes of a new node: its permission bits (after the
/// caller applied its umask) and owner.
#[derive(Copy, Clone, Eq, PartialEq, Debug)]
pub struct NodeAttrs {
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
}

impl NodeAttrs {
    pub const fn new(mode: u32, uid: u32, gid: u32) -> Self {
        NodeAttrs { mode, uid, gid }
    }
}
