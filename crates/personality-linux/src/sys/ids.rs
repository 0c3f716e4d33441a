//! Process, group, session and user ids.

use alloc::vec::Vec;
use kernel_ops::{Credentials, Error, KResult, KernelOps, Privilege};
use linux_abi::limits::NGROUPS_MAX;

pub fn getpid(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    Ok(u64::from(ops.pid()))
}

pub fn gettid(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    Ok(u64::from(ops.tid()))
}

pub fn getppid(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    Ok(u64::from(ops.parent_pid()))
}

pub fn getpgrp(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    ops.process_group(0).map(u64::from)
}

pub fn getpgid(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.process_group(a[0] as u32).map(u64::from)
}

pub fn setpgid(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if (a[1] as i32) < 0 {
        return Err(Error::InvalidArgument);
    }
    ops.set_process_group(a[0] as u32, a[1] as u32).map(|_| 0)
}

pub fn getsid(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.session(a[0] as u32).map(u64::from)
}

pub fn setsid(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    ops.new_session().map(u64::from)
}

pub fn getuid(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    Ok(u64::from(ops.credentials().uid))
}

pub fn geteuid(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    Ok(u64::from(ops.credentials().euid))
}

pub fn getgid(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    Ok(u64::from(ops.credentials().gid))
}

pub fn getegid(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    Ok(u64::from(ops.credentials().egid))
}

/// -1 (as a 32-bit id) means "leave unchanged".
fn keep(raw: u64, current: u32) -> u32 {
    if raw as u32 == u32::MAX {
        current
    } else {
        raw as u32
    }
}

/// Linux's setuid: with CAP_SETUID every uid; otherwise only the
/// effective one, and only back to the real or saved uid.
pub fn setuid(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let c = ops.credentials();
    let u = a[0] as u32;
    if u == u32::MAX {
        return Err(Error::InvalidArgument);
    }
    let new = if c.has(Privilege::SetUid) {
        Credentials { uid: u, euid: u, suid: u, fsuid: u, ..c }
    } else if u == c.uid || u == c.suid {
        Credentials { euid: u, fsuid: u, ..c }
    } else {
        return Err(Error::NotPermitted);
    };
    ops.set_credentials(new).map(|_| 0)
}

pub fn setgid(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let c = ops.credentials();
    let g = a[0] as u32;
    if g == u32::MAX {
        return Err(Error::InvalidArgument);
    }
    let new = if c.has(Privilege::SetGid) {
        Credentials { gid: g, egid: g, sgid: g, fsgid: g, ..c }
    } else if g == c.gid || g == c.sgid {
        Credentials { egid: g, fsgid: g, ..c }
    } else {
        return Err(Error::NotPermitted);
    };
    ops.set_credentials(new).map(|_| 0)
}

/// setreuid/setregid: without privilege the real id may become the real or
/// effective one, the effective id any of the three; the saved id follows
/// the new effective id when the real id is set or the effective id moves
/// away from the old real one.
fn set_real_effective(held: [u32; 3], raw: [u64; 2], privileged: bool) -> KResult<[u32; 3]> {
    let [real, effective, saved] = held;
    let r = keep(raw[0], real);
    let e = keep(raw[1], effective);
    if !privileged && ((r != real && r != effective) || (e != real && e != effective && e != saved)) {
        return Err(Error::NotPermitted);
    }
    let s = if raw[0] as u32 != u32::MAX || (raw[1] as u32 != u32::MAX && e != real) { e } else { saved };
    Ok([r, e, s])
}

pub fn setreuid(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let c = ops.credentials();
    let [uid, euid, suid] = set_real_effective([c.uid, c.euid, c.suid], [a[0], a[1]], c.has(Privilege::SetUid))?;
    ops.set_credentials(Credentials { uid, euid, suid, fsuid: euid, ..c }).map(|_| 0)
}

pub fn setregid(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let c = ops.credentials();
    let [gid, egid, sgid] = set_real_effective([c.gid, c.egid, c.sgid], [a[0], a[1]], c.has(Privilege::SetGid))?;
    ops.set_credentials(Credentials { gid, egid, sgid, fsgid: egid, ..c }).map(|_| 0)
}

pub fn setresuid(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let c = ops.credentials();
    let euid = keep(a[1], c.euid);
    let new = Credentials { uid: keep(a[0], c.uid), euid, suid: keep(a[2], c.suid), fsuid: euid, ..c };
    ops.set_credentials(new).map(|_| 0)
}

pub fn setresgid(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let c = ops.credentials();
    let egid = keep(a[1], c.egid);
    let new = Credentials { gid: keep(a[0], c.gid), egid, sgid: keep(a[2], c.sgid), fsgid: egid, ..c };
    ops.set_credentials(new).map(|_| 0)
}

/// setfsuid never fails: it returns the old file-system uid and changes
/// it only when the caller may (CAP_SETUID, or one of its four uids).
pub fn setfsuid(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let c = ops.credentials();
    let u = a[0] as u32;
    if u != u32::MAX && u != c.fsuid {
        let _ = ops.set_credentials(Credentials { fsuid: u, ..c });
    }
    Ok(u64::from(c.fsuid))
}

pub fn setfsgid(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let c = ops.credentials();
    let g = a[0] as u32;
    if g != u32::MAX && g != c.fsgid {
        let _ = ops.set_credentials(Credentials { fsgid: g, ..c });
    }
    Ok(u64::from(c.fsgid))
}

fn put_three(ops: &mut dyn KernelOps, addrs: [u64; 3], vals: [u32; 3]) -> KResult<u64> {
    for (addr, v) in addrs.into_iter().zip(vals) {
        crate::util::write_u32(ops, addr, v)?;
    }
    Ok(0)
}

pub fn getresuid(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let c = ops.credentials();
    put_three(ops, [a[0], a[1], a[2]], [c.uid, c.euid, c.suid])
}

pub fn getresgid(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let c = ops.credentials();
    put_three(ops, [a[0], a[1], a[2]], [c.gid, c.egid, c.sgid])
}

/// getgroups(size, list): size 0 asks only for the count; a list too
/// small for every group is EINVAL.
pub fn getgroups(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let size = a[0] as i32;
    if size < 0 {
        return Err(Error::InvalidArgument);
    }
    let groups = ops.groups();
    if size == 0 {
        return Ok(groups.len() as u64);
    }
    if groups.len() > size as usize {
        return Err(Error::InvalidArgument);
    }
    let bytes: Vec<u8> = groups.iter().flat_map(|g| g.to_le_bytes()).collect();
    ops.copy_out(a[1], &bytes)?;
    Ok(groups.len() as u64)
}

/// setgroups(size, list): privilege is checked first (EPERM), then the
/// size (at most NGROUPS_MAX), then every id (-1 is not a group).
pub fn setgroups(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if !ops.credentials().has(Privilege::SetGid) {
        return Err(Error::NotPermitted);
    }
    let size = a[0] as i32;
    if size < 0 || size as u32 > NGROUPS_MAX {
        return Err(Error::InvalidArgument);
    }
    let mut bytes = crate::util::buffer(size as usize * 4)?;
    if size > 0 {
        ops.copy_in(a[1], &mut bytes)?;
    }
    let groups: Vec<u32> = bytes.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    if groups.contains(&u32::MAX) {
        return Err(Error::InvalidArgument);
    }
    ops.set_groups(&groups).map(|_| 0)
}
