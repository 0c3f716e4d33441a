//! Permission checks: the owner/group/other bits against a caller's
//! credentials, and the rules built on them for looking up, creating and
//! deleting names.
//!
//! A caller that overrides discretionary access control (the superuser)
//! passes every read and write check and searches every directory, but
//! may execute a non-directory only if at least one of its three execute
//! bits is set; one that overrides only read-and-search may read any file
//! and read and search any directory.

use core::ops::BitOr;

use crate::{Credentials, Error, Metadata, Overrides, STICKY};

/// What a caller wants to do with a node, as a set of `rwx` bits.
#[derive(Copy, Clone, Eq, PartialEq, Hash, Debug)]
pub struct Access(u8);

impl Access {
    pub const NONE: Access = Access(0);
    pub const READ: Access = Access(4);
    pub const WRITE: Access = Access(2);
    /// Execute a file, or search (look names up in) a directory.
    pub const EXECUTE: Access = Access(1);

    /// From the low three bits of `bits` (`4` read, `2` write, `1` exec).
    pub const fn from_bits(bits: u32) -> Access {
        Access((bits & 7) as u8)
    }

    pub const fn bits(self) -> u32 {
        self.0 as u32
    }

    pub const fn contains(self, other: Access) -> bool {
        self.0 & other.0 == other.0
    }
}

impl BitOr for Access {
    type Output = Access;
    fn bitor(self, rhs: Access) -> Access {
        Access(self.0 | rhs.0)
    }
}

/// Whether `creds` may access the node described by `meta` as `want` says.
pub fn check_access(meta: &Metadata, creds: &Credentials, want: Access) -> Result<(), Error> {
    // Only the most specific class counts: an owner denied a right that
    // "others" have is still denied.
    let class_bits = if creds.uid == meta.uid {
        meta.mode >> 6
    } else if creds.in_group(meta.gid) {
        meta.mode >> 3
    } else {
        meta.mode
    };
    if Access::from_bits(class_bits).contains(want) {
        return Ok(());
    }
    // The overrides, in Linux's order (generic_permission).
    let exec_ok = meta.is_dir() || meta.mode & 0o111 != 0;
    if creds.may(Overrides::DAC) && (!want.contains(Access::EXECUTE) || exec_ok) {
        return Ok(());
    }
    let read_search = if meta.is_dir() { !want.contains(Access::WRITE) } else { want == Access::READ };
    if creds.may(Overrides::READ_SEARCH) && read_search {
        return Ok(());
    }
    Err(Error::PermissionDenied)
}

/// Whether names may be looked up in the directory `dir` (search permission).
pub fn may_lookup(dir: &Metadata, creds: &Credentials) -> Result<(), Error> {
    if !dir.is_dir() {
        return Err(Error::NotDirectory);
    }
    check_access(dir, creds, Access::EXECUTE)
}

/// Whether a name may be added to the directory `dir`: write and search
/// permission on it.
pub fn may_create(dir: &Metadata, creds: &Credentials) -> Result<(), Error> {
    if !dir.is_dir() {
        return Err(Error::NotDirectory);
    }
    check_access(dir, creds, Access::WRITE | Access::EXECUTE)
}

/// Whether the name of `victim` may be removed from (or renamed out of, or
/// replaced in) the directory `dir`: write and search permission on `dir`
/// and, if `dir` is sticky, ownership of `victim` or `dir`.
pub fn may_delete(dir: &Metadata, victim: &Metadata, creds: &Credentials) -> Result<(), Error> {
    may_create(dir, creds)?;
    if dir.mode & STICKY != 0 && !creds.may(Overrides::OWNER) && creds.uid != victim.uid && creds.uid != dir.uid {
        return Err(Error::NotPermitted);
    }
    Ok(())
}
