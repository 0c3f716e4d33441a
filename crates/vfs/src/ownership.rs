//! Who may change a node's owner, mode and times, what a new node's owner
//! is, and when set-user-ID and set-group-ID bits are dropped. These are
//! decisions made before a call into a file system, which then applies the
//! result as given.

use crate::permission::check_access;
use crate::{Access, Credentials, Error, Metadata, NodeAttrs, Overrides, PERMISSION_BITS, SET_GID, SET_UID};

/// The owner and mode of a node created in `dir` by `creds`, with `mode`
/// the requested permission bits after the umask.
///
/// In a set-group-ID directory the new node takes the directory's group,
/// and a new subdirectory inherits the set-group-ID bit. A caller outside
/// that group cannot create a group-executable set-group-ID file there.
pub fn new_node_attrs(dir: &Metadata, creds: &Credentials, is_dir: bool, mode: u32) -> NodeAttrs {
    let mut mode = mode & PERMISSION_BITS;
    let gid = if dir.mode & SET_GID != 0 {
        if is_dir {
            mode |= SET_GID;
        } else if mode & (SET_GID | 0o010) == (SET_GID | 0o010)
            && !creds.in_group(dir.gid)
            && !creds.may(Overrides::SET_ID)
        {
            mode &= !SET_GID;
        }
        dir.gid
    } else {
        creds.gid
    };
    NodeAttrs::new(mode, creds.uid, gid)
}

/// `chmod`: only the owner or the superuser may change the mode. Returns the
/// permission bits to store: a caller outside the node's group cannot set
/// set-group-ID, which is dropped silently.
pub fn chmod_mode(meta: &Metadata, creds: &Credentials, requested: u32) -> Result<u32, Error> {
    if !creds.may(Overrides::OWNER) && creds.uid != meta.uid {
        return Err(Error::NotPermitted);
    }
    let mut mode = requested & PERMISSION_BITS;
    if !creds.may(Overrides::SET_ID) && !creds.in_group(meta.gid) {
        mode &= !SET_GID;
    }
    Ok(mode)
}

/// `chown`: the superuser may set any owner and group. Anyone else may only
/// "change" the owner to itself, and then only on a node it owns, and may
/// set the group to one of its own groups.
pub fn check_chown(meta: &Metadata, creds: &Credentials, uid: Option<u32>, gid: Option<u32>) -> Result<(), Error> {
    if creds.may(Overrides::CHOWN) {
        return Ok(());
    }
    let owner = creds.uid == meta.uid;
    if let Some(uid) = uid {
        if uid != meta.uid || !owner {
            return Err(Error::NotPermitted);
        }
    }
    if let Some(gid) = gid {
        if !owner || (gid != meta.gid && !creds.in_group(gid)) {
            return Err(Error::NotPermitted);
        }
    }
    Ok(())
}

/// The mode after a change of owner or group: a non-directory loses
/// set-user-ID, and set-group-ID too when it is group-executable (otherwise
/// the bit means mandatory locking, not privilege). `None` if unchanged.
pub fn mode_after_chown(meta: &Metadata) -> Option<u32> {
    if meta.is_dir() {
        return None;
    }
    strip_set_id(meta.mode)
}

/// The mode after a non-superuser writes to or truncates a regular file: the
/// same set-ID bits as for a change of owner are dropped, so that changing
/// a privileged program does not keep its privilege. `None` if unchanged.
pub fn mode_after_write(meta: &Metadata, creds: &Credentials) -> Option<u32> {
    if creds.may(Overrides::SET_ID) || meta.file_type != crate::FileType::Regular {
        return None;
    }
    strip_set_id(meta.mode)
}

fn strip_set_id(mode: u32) -> Option<u32> {
    let mut new = mode & !SET_UID;
    if mode & (SET_GID | 0o010) == (SET_GID | 0o010) {
        new &= !SET_GID;
    }
    (new != mode).then_some(new)
}

/// `utimens`: setting explicit times needs ownership (or the superuser);
/// setting both times to "now" needs only write permission.
pub fn check_utimes(meta: &Metadata, creds: &Credentials, explicit: bool) -> Result<(), Error> {
    if creds.may(Overrides::OWNER) || creds.uid == meta.uid {
        return Ok(());
    }
    if explicit {
        return Err(Error::NotPermitted);
    }
    check_access(meta, creds, Access::WRITE)
}
