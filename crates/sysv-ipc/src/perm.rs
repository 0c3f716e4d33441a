//! Ownership and permission of an IPC object (`struct kern_ipc_perm`) and
//! the checks Linux makes with it.

use alloc::vec::Vec;

/// Who makes a call: effective ids, groups and the privileges Linux checks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Caller {
    pub pid: u32,
    pub uid: u32,
    pub gid: u32,
    pub groups: Vec<u32>,
    /// CAP_IPC_OWNER: bypasses the mode bits.
    pub ipc_owner: bool,
    /// CAP_SYS_ADMIN: may IPC_SET/IPC_RMID objects of others.
    pub sys_admin: bool,
    /// CAP_SYS_RESOURCE: may raise msg_qbytes past msgmnb.
    pub sys_resource: bool,
    /// CAP_IPC_LOCK: may SHM_LOCK segments it does not own.
    pub ipc_lock: bool,
    /// Seconds since the epoch (for the *_time fields).
    pub now: i64,
}

impl Caller {
    /// An ordinary process or root (all four privileges).
    pub fn new(pid: u32, uid: u32, gid: u32, groups: Vec<u32>, root: bool, now: i64) -> Self {
        Caller { pid, uid, gid, groups, ipc_owner: root, sys_admin: root, sys_resource: root, ipc_lock: root, now }
    }

    pub fn in_group(&self, gid: u32) -> bool {
        self.gid == gid || self.groups.contains(&gid)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IpcPerm {
    pub key: i32,
    pub uid: u32,
    pub gid: u32,
    pub cuid: u32,
    pub cgid: u32,
    /// The low nine bits are rwx for owner, group and others; shm adds
    /// SHM_DEST and SHM_LOCKED above them.
    pub mode: u32,
    /// The sequence number the id was built with.
    pub seq: u32,
}

impl IpcPerm {
    pub fn new(key: i32, mode: u32, caller: &Caller) -> Self {
        IpcPerm {
            key,
            uid: caller.uid,
            gid: caller.gid,
            cuid: caller.uid,
            cgid: caller.gid,
            mode: mode & 0o777,
            seq: 0,
        }
    }

    /// Linux's `ipcperms`: `flag`'s rwx bits (in any of the three places,
    /// as `0600` or `S_IRUGO`) are what is asked; the owner class, else the
    /// group class, else the others' bits of the mode must grant it all,
    /// unless the caller has CAP_IPC_OWNER.
    pub fn allows(&self, caller: &Caller, flag: u32) -> bool {
        let requested = ((flag >> 6) | (flag >> 3) | flag) & 0o7;
        let mut granted = self.mode;
        if caller.uid == self.cuid || caller.uid == self.uid {
            granted >>= 6;
        } else if caller.in_group(self.cgid) || caller.in_group(self.gid) {
            granted >>= 3;
        }
        requested & !granted & 0o7 == 0 || caller.ipc_owner
    }

    /// IPC_SET and IPC_RMID: the owner, the creator or CAP_SYS_ADMIN.
    pub fn may_change(&self, caller: &Caller) -> bool {
        caller.uid == self.cuid || caller.uid == self.uid || caller.sys_admin
    }

    /// IPC_SET: new owner ids and permission bits (the rest of the mode stays).
    pub fn set(&mut self, uid: u32, gid: u32, mode: u32) {
        self.uid = uid;
        self.gid = gid;
        self.mode = (self.mode & !0o777) | (mode & 0o777);
    }
}

/// `S_IRUGO` and `S_IWUGO`: what reading and changing an object ask for.
pub const READ: u32 = 0o444;
pub const WRITE: u32 = 0o222;
pub const EXEC: u32 = 0o111;

#[cfg(test)]
mod tests {
    use super::*;

    fn user(uid: u32, gid: u32) -> Caller {
        Caller::new(1, uid, gid, Vec::new(), false, 0)
    }

    #[test]
    fn owner_group_other_classes() {
        let mut p = IpcPerm::new(5, 0o640, &user(100, 200));
        assert!(p.allows(&user(100, 1), 0o600));
        assert!(p.allows(&user(7, 200), READ));
        assert!(!p.allows(&user(7, 200), WRITE));
        assert!(!p.allows(&user(7, 8), READ));
        assert!(p.allows(&user(7, 8), 0));
        // The owner class decides alone, even when it grants less than others.
        p.mode = 0o066;
        assert!(!p.allows(&user(100, 200), READ));
        let root = Caller::new(1, 0, 0, Vec::new(), true, 0);
        assert!(p.allows(&root, 0o777));
        let mut grouped = user(7, 8);
        grouped.groups.push(200);
        p.mode = 0o060;
        assert!(p.allows(&grouped, 0o600));
    }

    #[test]
    fn creator_keeps_rights_after_handing_over() {
        let mut p = IpcPerm::new(5, 0o600, &user(100, 200));
        p.set(300, 300, 0o600);
        assert!(p.allows(&user(100, 1), READ));
        assert!(p.may_change(&user(100, 1)));
        assert!(p.may_change(&user(300, 1)));
        assert!(!p.may_change(&user(5, 1)));
    }
}
