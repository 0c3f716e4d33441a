//! Who is asking: the identity file-system permission checks use.

use alloc::vec::Vec;

/// The file-system identity of a caller (Linux: fsuid, fsgid and the
/// supplementary groups).
#[derive(Clone, Eq, PartialEq, Debug, Default)]
pub struct Credentials {
    pub uid: u32,
    pub gid: u32,
    pub groups: Vec<u32>,
}

impl Credentials {
    /// The superuser: passes every permission check except executing a file
    /// that no one may execute.
    pub fn root() -> Self {
        Credentials::new(0, 0)
    }

    pub fn new(uid: u32, gid: u32) -> Self {
        Credentials {
            uid,
            gid,
            groups: Vec::new(),
        }
    }

    pub fn with_groups(mut self, groups: &[u32]) -> Self {
        self.groups = groups.to_vec();
        self
    }

    pub fn is_root(&self) -> bool {
        self.uid == 0
    }

    /// Whether `gid` is the primary or a supplementary group.
    pub fn in_group(&self, gid: u32) -> bool {
        self.gid == gid || self.groups.contains(&gid)
    }
}
