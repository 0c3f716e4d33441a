//! Who a process is and what it may do: user and group ids (real,
//! effective, saved, file-system) and privilege sets.
//!
//! Privileges split the superuser's power into named parts, as POSIX.1e
//! capabilities do; the bit numbers are the POSIX.1e/Linux capability
//! numbers, so the Linux personality passes its masks through unchanged
//! and other personalities map their own notions (FreeBSD's priv(9),
//! Windows' privileges) onto them. The core checks a privilege wherever a
//! traditional kernel would ask "is this root?".
//!
//! The rules for changing credentials are the ones every Unix-like
//! personality needs, enforced here so that no personality can grant
//! more than the process holds: ids change only to ids the process
//! already has unless it holds SetUid/SetGid; privilege sets only
//! shrink; and giving up uid 0 gives up the privileges it carried.

use crate::Error;

/// One privilege (a POSIX.1e / Linux capability number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Privilege {
    Chown = 0,
    DacOverride = 1,
    DacReadSearch = 2,
    Fowner = 3,
    Fsetid = 4,
    Kill = 5,
    SetGid = 6,
    SetUid = 7,
    SetPcap = 8,
    LinuxImmutable = 9,
    NetBindService = 10,
    NetBroadcast = 11,
    NetAdmin = 12,
    NetRaw = 13,
    IpcLock = 14,
    IpcOwner = 15,
    SysModule = 16,
    SysRawio = 17,
    SysChroot = 18,
    SysPtrace = 19,
    SysPacct = 20,
    SysAdmin = 21,
    SysBoot = 22,
    SysNice = 23,
    SysResource = 24,
    SysTime = 25,
    SysTtyConfig = 26,
    Mknod = 27,
    Lease = 28,
    AuditWrite = 29,
    AuditControl = 30,
    SetFcap = 31,
    MacOverride = 32,
    MacAdmin = 33,
    Syslog = 34,
    WakeAlarm = 35,
    BlockSuspend = 36,
    AuditRead = 37,
    Perfmon = 38,
    Bpf = 39,
    CheckpointRestore = 40,
}

impl Privilege {
    /// The highest privilege number.
    pub const LAST: u32 = 40;
}

/// A set of privileges, one bit per privilege number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PrivilegeSet(pub u64);

impl PrivilegeSet {
    pub const EMPTY: PrivilegeSet = PrivilegeSet(0);
    pub const FULL: PrivilegeSet = PrivilegeSet((1u64 << (Privilege::LAST + 1)) - 1);
    /// What the file-system uid carries with it (Linux's
    /// CAP_FS_MASK): dropped when the fsuid leaves 0, restored on return.
    pub const FILE_SYSTEM: PrivilegeSet = PrivilegeSet(
        1 << Privilege::Chown as u8
            | 1 << Privilege::DacOverride as u8
            | 1 << Privilege::DacReadSearch as u8
            | 1 << Privilege::Fowner as u8
            | 1 << Privilege::Fsetid as u8
            | 1 << Privilege::LinuxImmutable as u8
            | 1 << Privilege::MacOverride as u8
            | 1 << Privilege::Mknod as u8,
    );

    pub const fn contains(self, p: Privilege) -> bool {
        self.0 & (1 << p as u8) != 0
    }

    pub const fn is_subset_of(self, other: PrivilegeSet) -> bool {
        self.0 & !other.0 == 0
    }

    pub const fn union(self, other: PrivilegeSet) -> PrivilegeSet {
        PrivilegeSet(self.0 | other.0)
    }

    pub const fn intersection(self, other: PrivilegeSet) -> PrivilegeSet {
        PrivilegeSet(self.0 & other.0)
    }

    pub const fn without(self, other: PrivilegeSet) -> PrivilegeSet {
        PrivilegeSet(self.0 & !other.0)
    }
}

/// The privilege sets of a process (POSIX.1e's effective, permitted and
/// inheritable, and Linux's bounding and ambient sets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Privileges {
    /// What permission checks consult.
    pub effective: PrivilegeSet,
    /// What the process may make effective.
    pub permitted: PrivilegeSet,
    /// What may pass to a program it executes (with the file's consent).
    pub inheritable: PrivilegeSet,
    /// The most any program it executes may gain.
    pub bounding: PrivilegeSet,
    /// What passes to a program it executes without the file's consent.
    pub ambient: PrivilegeSet,
    /// Keep the permitted set when every uid leaves 0 (PR_SET_KEEPCAPS);
    /// cleared by exec.
    pub keep_on_uid_change: bool,
}

impl Privileges {
    pub const ALL: Privileges = Privileges {
        effective: PrivilegeSet::FULL,
        permitted: PrivilegeSet::FULL,
        inheritable: PrivilegeSet::EMPTY,
        bounding: PrivilegeSet::FULL,
        ambient: PrivilegeSet::EMPTY,
        keep_on_uid_change: false,
    };

    /// An ordinary user's: nothing, with the full bounding set.
    pub const NONE: Privileges =
        Privileges { effective: PrivilegeSet::EMPTY, permitted: PrivilegeSet::EMPTY, ..Privileges::ALL };
}

impl Default for Privileges {
    fn default() -> Self {
        Privileges::ALL
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credentials {
    pub uid: u32,
    pub euid: u32,
    pub suid: u32,
    /// The uid file-system permission checks use; follows euid unless
    /// set on its own (setfsuid).
    pub fsuid: u32,
    pub gid: u32,
    pub egid: u32,
    pub sgid: u32,
    pub fsgid: u32,
    pub privileges: Privileges,
}

impl Default for Credentials {
    /// The superuser with every privilege (the first process).
    fn default() -> Self {
        Credentials::ROOT
    }
}

/// A set-user-ID or set-group-ID program's owner, as exec applies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SetIds {
    pub uid: Option<u32>,
    pub gid: Option<u32>,
}

impl Credentials {
    pub const ROOT: Credentials = Credentials {
        uid: 0,
        euid: 0,
        suid: 0,
        fsuid: 0,
        gid: 0,
        egid: 0,
        sgid: 0,
        fsgid: 0,
        privileges: Privileges::ALL,
    };

    /// A user's credentials as a login would set them: every id `uid`/`gid`,
    /// privileges as a uid change from root leaves them.
    pub fn user(uid: u32, gid: u32) -> Credentials {
        let privileges = if uid == 0 { Privileges::ALL } else { Privileges::NONE };
        Credentials { uid, euid: uid, suid: uid, fsuid: uid, gid, egid: gid, sgid: gid, fsgid: gid, privileges }
    }

    /// Whether the effective set holds `p`.
    pub fn has(&self, p: Privilege) -> bool {
        self.privileges.effective.contains(p)
    }

    /// The credentials after a request to become `new`, or `NotPermitted`.
    ///
    /// Ids: without SetUid (SetGid), each new real, effective and saved id
    /// must be one of the current three, and the file-system id one of
    /// the current four. Privileges: the permitted and bounding sets may
    /// only shrink; the effective set must lie in the new permitted set;
    /// the inheritable set may grow only from the permitted set (from the
    /// bounding set with SetPcap); the ambient set must lie in permitted
    /// and inheritable. Then the privileges follow the uids as POSIX.1e
    /// systems make them: leaving uid 0 everywhere drops the permitted and
    /// effective sets (unless kept), an effective uid leaving 0 drops the
    /// effective set and one returning to 0 restores it from the permitted
    /// set, and the file-system uid does the same for the file-system
    /// privileges.
    pub fn change(&self, new: &Credentials) -> Result<Credentials, Error> {
        let old = self;
        if !old.has(Privilege::SetUid) {
            let held = [old.uid, old.euid, old.suid];
            if ![new.uid, new.euid, new.suid].iter().all(|u| held.contains(u))
                || !(held.contains(&new.fsuid) || new.fsuid == old.fsuid)
            {
                return Err(Error::NotPermitted);
            }
        }
        if !old.has(Privilege::SetGid) {
            let held = [old.gid, old.egid, old.sgid];
            if ![new.gid, new.egid, new.sgid].iter().all(|g| held.contains(g))
                || !(held.contains(&new.fsgid) || new.fsgid == old.fsgid)
            {
                return Err(Error::NotPermitted);
            }
        }
        let (o, n) = (&old.privileges, &new.privileges);
        let inheritable_room = if old.has(Privilege::SetPcap) {
            o.inheritable.union(o.bounding)
        } else {
            o.inheritable.union(o.permitted)
        };
        let allowed = n.permitted.is_subset_of(o.permitted)
            && n.bounding.is_subset_of(o.bounding)
            && n.effective.is_subset_of(n.permitted)
            && n.inheritable.is_subset_of(inheritable_room)
            && n.inheritable.is_subset_of(o.inheritable.union(o.bounding))
            && n.ambient.is_subset_of(n.permitted.intersection(n.inheritable));
        if !allowed {
            return Err(Error::NotPermitted);
        }
        let mut result = *new;
        let p = &mut result.privileges;
        let was_root = old.uid == 0 || old.euid == 0 || old.suid == 0;
        let is_root = new.uid == 0 || new.euid == 0 || new.suid == 0;
        if was_root && !is_root {
            if !p.keep_on_uid_change {
                p.permitted = PrivilegeSet::EMPTY;
                p.effective = PrivilegeSet::EMPTY;
            }
            p.ambient = PrivilegeSet::EMPTY;
        }
        if old.euid == 0 && new.euid != 0 {
            p.effective = PrivilegeSet::EMPTY;
        }
        if old.euid != 0 && new.euid == 0 {
            p.effective = p.permitted;
        }
        if old.fsuid == 0 && new.fsuid != 0 {
            p.effective = p.effective.without(PrivilegeSet::FILE_SYSTEM);
        }
        if old.fsuid != 0 && new.fsuid == 0 {
            p.effective = p.effective.union(p.permitted.intersection(PrivilegeSet::FILE_SYSTEM));
        }
        Ok(result)
    }

    /// The credentials of the program an exec starts: a set-user-ID or
    /// set-group-ID file's owner becomes the effective (and saved and
    /// file-system) id; then a program run with uid or euid 0 gets the
    /// bounding set (and, with euid 0, makes it effective), as if every
    /// program's file privileges were full for the superuser; anyone else
    /// keeps only the ambient set (cleared by a set-ID exec). Keeping
    /// privileges over a uid change ends with the exec.
    pub fn after_exec(&self, set_ids: SetIds) -> Credentials {
        let mut c = *self;
        if let Some(uid) = set_ids.uid {
            c.euid = uid;
        }
        if let Some(gid) = set_ids.gid {
            c.egid = gid;
        }
        c.suid = c.euid;
        c.fsuid = c.euid;
        c.sgid = c.egid;
        c.fsgid = c.egid;
        let p = &mut c.privileges;
        if set_ids.uid.is_some() || set_ids.gid.is_some() {
            p.ambient = PrivilegeSet::EMPTY;
        }
        if c.uid == 0 || c.euid == 0 {
            p.permitted = p.inheritable.union(p.bounding);
            p.effective = if c.euid == 0 { p.permitted } else { p.ambient };
        } else {
            p.permitted = p.ambient;
            p.effective = p.ambient;
        }
        p.keep_on_uid_change = false;
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nobody() -> Credentials {
        Credentials::user(65534, 65534)
    }

    #[test]
    fn root_becoming_a_user_loses_its_privileges() {
        let root = Credentials::ROOT;
        let user = root.change(&Credentials { uid: 1000, euid: 1000, suid: 1000, fsuid: 1000, ..root }).unwrap();
        assert_eq!(user.privileges.permitted, PrivilegeSet::EMPTY);
        assert_eq!(user.privileges.effective, PrivilegeSet::EMPTY);
        assert_eq!(user.privileges.bounding, PrivilegeSet::FULL);
        // and cannot come back.
        assert_eq!(user.change(&Credentials { euid: 0, ..user }), Err(Error::NotPermitted));
    }

    #[test]
    fn keep_caps_keeps_permitted_but_not_effective() {
        let mut root = Credentials::ROOT;
        root.privileges.keep_on_uid_change = true;
        let user = root.change(&Credentials { uid: 1000, euid: 1000, suid: 1000, fsuid: 1000, ..root }).unwrap();
        assert_eq!(user.privileges.permitted, PrivilegeSet::FULL);
        assert_eq!(user.privileges.effective, PrivilegeSet::EMPTY);
    }

    #[test]
    fn effective_uid_round_trip_through_saved_root() {
        let root = Credentials::ROOT;
        let dropped = root.change(&Credentials { euid: 1000, fsuid: 1000, ..root }).unwrap();
        assert!(!dropped.has(Privilege::DacOverride));
        assert_eq!(dropped.privileges.permitted, PrivilegeSet::FULL);
        let back = dropped.change(&Credentials { euid: 0, fsuid: 0, ..dropped }).unwrap();
        assert_eq!(back.privileges.effective, PrivilegeSet::FULL);
    }

    #[test]
    fn fsuid_carries_the_file_system_privileges() {
        let root = Credentials::ROOT;
        let fs = root.change(&Credentials { fsuid: 1000, ..root }).unwrap();
        assert!(!fs.has(Privilege::DacOverride) && !fs.has(Privilege::Chown));
        assert!(fs.has(Privilege::SetUid) && fs.has(Privilege::SysAdmin));
        let back = fs.change(&Credentials { fsuid: 0, ..fs }).unwrap();
        assert!(back.has(Privilege::DacOverride));
    }

    #[test]
    fn unprivileged_ids_change_only_among_held_ones() {
        let c = Credentials { uid: 1, euid: 2, suid: 3, fsuid: 2, ..nobody() };
        assert!(c.change(&Credentials { euid: 3, fsuid: 3, ..c }).is_ok());
        assert!(c.change(&Credentials { uid: 2, euid: 1, ..c }).is_ok());
        assert_eq!(c.change(&Credentials { euid: 4, ..c }), Err(Error::NotPermitted));
        assert_eq!(c.change(&Credentials { fsuid: 9, ..c }), Err(Error::NotPermitted));
        assert_eq!(c.change(&Credentials { egid: 0, ..c }), Err(Error::NotPermitted));
    }

    #[test]
    fn privilege_sets_only_shrink() {
        let root = Credentials::ROOT;
        let mut fewer = root;
        fewer.privileges.effective = PrivilegeSet::FULL.without(PrivilegeSet(1 << Privilege::SysTime as u8));
        let fewer = root.change(&fewer).unwrap();
        assert!(!fewer.has(Privilege::SysTime));
        // Effective may come back from permitted...
        assert!(fewer.change(&root).is_ok());
        // ... but not beyond it.
        let mut small = root;
        small.privileges.permitted = PrivilegeSet::EMPTY;
        small.privileges.effective = PrivilegeSet::EMPTY;
        let small = root.change(&small).unwrap();
        assert_eq!(small.change(&root), Err(Error::NotPermitted));
        let mut over = small;
        over.privileges.effective = PrivilegeSet(1);
        assert_eq!(small.change(&over), Err(Error::NotPermitted));
    }

    #[test]
    fn exec_gives_root_the_bounding_set_and_users_the_ambient_set() {
        let mut root = Credentials::ROOT;
        root.privileges.effective = PrivilegeSet::EMPTY;
        root.privileges.bounding = PrivilegeSet::FULL.without(PrivilegeSet(1 << Privilege::SysAdmin as u8));
        let after = root.after_exec(SetIds::default());
        assert!(after.has(Privilege::Kill) && !after.has(Privilege::SysAdmin));
        let user = nobody().after_exec(SetIds::default());
        assert_eq!(user.privileges.effective, PrivilegeSet::EMPTY);
        let suid_root = nobody().after_exec(SetIds { uid: Some(0), gid: None });
        assert_eq!((suid_root.uid, suid_root.euid, suid_root.suid, suid_root.fsuid), (65534, 0, 0, 0));
        assert_eq!(suid_root.privileges.effective, PrivilegeSet::FULL);
        let suid_user = Credentials::ROOT.after_exec(SetIds { uid: Some(5), gid: Some(7) });
        assert_eq!((suid_user.euid, suid_user.egid, suid_user.sgid), (5, 7, 7));
        // uid 0 but euid 5: permitted, not effective.
        assert_eq!(suid_user.privileges.permitted, PrivilegeSet::FULL);
        assert_eq!(suid_user.privileges.effective, PrivilegeSet::EMPTY);
    }
}
