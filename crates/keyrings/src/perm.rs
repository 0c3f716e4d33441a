//! Key permissions: four bytes of VIEW/READ/WRITE/SEARCH/LINK/SETATTR bits,
//! for the possessor, the owner, the group and everyone else.

use crate::key::Key;
use crate::store::Caller;
use crate::Error;

pub const VIEW: u32 = 0x01;
pub const READ: u32 = 0x02;
pub const WRITE: u32 = 0x04;
pub const SEARCH: u32 = 0x08;
pub const LINK: u32 = 0x10;
pub const SETATTR: u32 = 0x20;
pub const ALL: u32 = 0x3f;

/// Bit offsets of the four bytes.
pub const POSSESSOR: u32 = 24;
pub const USER: u32 = 16;
pub const GROUP: u32 = 8;
pub const OTHER: u32 = 0;

/// Every bit KEYCTL_SETPERM accepts.
pub const VALID: u32 = (ALL << POSSESSOR) | (ALL << USER) | (ALL << GROUP) | ALL;

/// Linux's `key_task_permission`: the owner's byte if the caller's fsuid
/// owns the key, else the group's if the key's group is the caller's
/// fsgid or a supplementary group (and the group byte grants anything),
/// else other's; a possessor adds the possessor byte. Root gets nothing
/// more: the few overrides are in the operations themselves.
pub fn check(key: &Key, possessed: bool, caller: &Caller, need: u32) -> crate::Result<()> {
    let perm = key.perm;
    let mut granted = if key.uid == caller.fsuid {
        perm >> USER
    } else if key.gid != u32::MAX
        && perm & (ALL << GROUP) != 0
        && (key.gid == caller.fsgid || caller.groups.contains(&key.gid))
    {
        perm >> GROUP
    } else {
        perm
    };
    if possessed {
        granted |= perm >> POSSESSOR;
    }
    if granted & need & ALL == need {
        Ok(())
    } else {
        Err(Error::Access)
    }
}
