//! Who is asking: the identity file-system permission checks use.

use alloc::vec::Vec;

/// The file-system identity of a caller (Linux: fsuid, fsgid and the
/// supplementary groups) and the permission rules it may override.
#[derive(Clone, Eq, PartialEq, Debug, Default)]
pub struct Credentials {
    pub uid: u32,
    pub gid: u32,
    pub groups: Vec<u32>,
    pub overrides: Overrides,
}

/// The parts of the superuser's power that file-system checks consult
/// (the kernel derives them from a process's effective privileges).
#[derive(Clone, Copy, Eq, PartialEq, Debug, Default)]
pub struct Overrides(u8);

impl Overrides {
    pub const NONE: Overrides = Overrides(0);
    /// Read and write any node, search any directory, execute any file
    /// with at least one execute bit.
    pub const DAC: Overrides = Overrides(1);
    /// Read any file and read and search any directory.
    pub const READ_SEARCH: Overrides = Overrides(2);
    /// Act as the owner of any node (mode, times, sticky directories).
    pub const OWNER: Overrides = Overrides(4);
    /// Change any node's owner and group.
    pub const CHOWN: Overrides = Overrides(8);
    /// Keep set-ID bits that a change would otherwise drop.
    pub const SET_ID: Overrides = Overrides(16);
    pub const ALL: Overrides = Overrides(31);

    pub const fn contains(self, other: Overrides) -> bool {
        self.0 & other.0 == other.0
    }

    pub const fn union(self, other: Overrides) -> Overrides {
        Overrides(self.0 | other.0)
    }
}

impl Credentials {
    /// The superuser: passes every permission check except executing a file
    /// that no one may execute.
    pub fn root() -> Self {
        Credentials::new(0, 0)
    }

    /// `uid`/`gid` as a traditional Unix sees them: uid 0 overrides
    /// every rule, anyone else none (`with_overrides` says otherwise).
    pub fn new(uid: u32, gid: u32) -> Self {
        Credentials { uid, gid, groups: Vec::new(), overrides: if uid == 0 { Overrides::ALL } else { Overrides::NONE } }
    }

    pub fn with_overrides(mut self, overrides: Overrides) -> Self {
        self.overrides = overrides;
        self
    }

    pub fn may(&self, o: Overrides) -> bool {
        self.overrides.contains(o)
    }

    pub fn with_groups(mut self, groups: &[u32]) -> Self {
        self.groups = groups.to_vec();
        self
    }

    /// Whether `gid` is the primary or a supplementary group.
    pub fn in_group(&self, gid: u32) -> bool {
        self.gid == gid || self.groups.contains(&gid)
    }
}
