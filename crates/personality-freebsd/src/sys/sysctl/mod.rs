//! __sysctl(2) and __sysctlbyname(2) (sys/kern/kern_sysctl.c): the MIB
//! of `tree` with values from the core.
//!
//! Request rules, as `sys___sysctl`, `userland_sysctl` and `sysctl_root`
//! have them: a name of fewer than 2 or more than CTL_MAXNAME numbers is
//! EINVAL; without an old buffer the size needed is reported; a short one
//! gets what fits, ENOMEM and the bytes copied in `*oldlenp`; a new value
//! for a read-only node is EPERM.

pub mod tree;

use crate::start::OSRELDATE;
use alloc::vec::Vec;
use kernel_ops::{Clock, DirFd, Error, KResult, KernelOps, Privilege, Resource, UNLIMITED};
use tree::{Leaf, CTL_MAXNAME, CTL_SYSCTL};

/// kern.osrelease, the release AT_OSRELDATE's 1400097 belongs to.
pub const OSRELEASE: &str = "14.0-RELEASE";
/// kern.version: FreeBSD's "FreeBSD <release> #<n> <build>" line.
const VERSION: &str = "FreeBSD 14.0-RELEASE #0: Helctic\n";
/// kern.osrevision: BSD (sys/sys/param.h).
const OSREVISION: i32 = 199_506;
/// kern.ngroups: NGROUPS_MAX (sys/sys/syslimits.h); the core takes more.
const NGROUPS_MAX: i32 = 1023;
/// kern.iov_max: IOV_MAX (UIO_MAXIOV).
const IOV_MAX: i32 = 1024;
/// kern.smp.maxcpus: MAXCPU of amd64's SMP kernels (sys/amd64/include/
/// param.h); Go sizes its cpuset_getaffinity mask from it.
const MAXCPU: i32 = 1024;
/// kern.arandom hands out at most this much per call (sysctl_kern_arnd).
const ARANDOM_MAX: usize = 256;
/// A name2oid name must be shorter than MAXPATHLEN.
const MAXPATHLEN: u64 = 1024;
/// hostname and nisdomainname hold less than MAXHOSTNAMELEN bytes.
const MAXHOSTNAMELEN: u64 = 256;
const PAGE_SIZE: i32 = 4096;

/// The new value of a request: its address and length.
#[derive(Clone, Copy)]
struct New {
    at: u64,
    len: u64,
}

/// __sysctl(name, namelen, old, oldlenp, new, newlen).
pub fn sysctl(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let namelen = a[1] as u32 as usize;
    if !(2..=CTL_MAXNAME).contains(&namelen) {
        return Err(Error::InvalidArgument);
    }
    let mut raw = [0u8; CTL_MAXNAME * 4];
    ops.copy_in(a[0], &mut raw[..namelen * 4])?;
    let name: Vec<i32> =
        raw[..namelen * 4].chunks_exact(4).map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    request(ops, &name, a[2], a[3], a[4], a[5])
}

/// __sysctlbyname(name, namelen, old, oldlenp, new, newlen): name2oid
/// and the request in one call (FreeBSD 13's libc sysctlbyname). The
/// name is `namelen` bytes, without a NUL: none, or more than
/// MAXPATHLEN, is EINVAL (kern___sysctlbyname). sys___sysctlbyname
/// copies the length out only on success, but after ENOMEM __sysctl's
/// is the caller's own `*oldlenp` (the bytes copied: all of them), so
/// the two agree.
pub fn sysctlbyname(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[1] == 0 || a[1] > MAXPATHLEN {
        return Err(Error::InvalidArgument);
    }
    let mut name = alloc::vec![0u8; a[1] as usize];
    ops.copy_in(a[0], &mut name)?;
    if a[1] >= MAXPATHLEN {
        return Err(Error::NameTooLong); // name2oid's own limit
    }
    let oid = tree::name_to_oid(&name)?;
    request(ops, &oid, a[2], a[3], a[4], a[5])
}

fn request(ops: &mut dyn KernelOps, name: &[i32], old: u64, oldlenp: u64, new: u64, newlen: u64) -> KResult<u64> {
    let oldlen = if oldlenp == 0 {
        0
    } else {
        let mut b = [0u8; 8];
        ops.copy_in(oldlenp, &mut b)?;
        u64::from_le_bytes(b)
    };
    let oldlen = usize::try_from(oldlen).unwrap_or(usize::MAX);
    let new = (new != 0).then_some(New { at: new, len: newlen });
    let value = answer(ops, name, oldlen, new)?;
    let fit = tree::fit(value.len(), old != 0, oldlen);
    if fit.copy > 0 {
        ops.copy_out(old, &value[..fit.copy])?;
    }
    if oldlenp != 0 {
        ops.copy_out(oldlenp, &(fit.reported as u64).to_le_bytes())?;
    }
    if fit.short {
        Err(Error::NoMemory)
    } else {
        Ok(0)
    }
}

/// The whole value the request asks for (before it meets the buffer),
/// having carried out its new value if any.
fn answer(ops: &mut dyn KernelOps, name: &[i32], oldlen: usize, new: Option<New>) -> KResult<Vec<u8>> {
    if name[0] == CTL_SYSCTL {
        return magic(ops, &name[1..], new);
    }
    let found = tree::find(name)?;
    if new.is_some() && !found.writable {
        return Err(Error::NotPermitted);
    }
    value(ops, found.leaf, &name[found.rest..], oldlen, new)
}

fn ints(oid: &[i32]) -> Vec<u8> {
    oid.iter().flat_map(|n| n.to_le_bytes()).collect()
}

/// CTL_SYSCTL's nodes: {0,1} name, {0,2} next, {0,3} name2oid. The
/// others (oidfmt, oiddescr, oidlabel, nextnoskip) are not kept here.
fn magic(ops: &mut dyn KernelOps, rest: &[i32], new: Option<New>) -> KResult<Vec<u8>> {
    const NAME: i32 = 1;
    const NEXT: i32 = 2;
    const NAME2OID: i32 = 3;
    match rest {
        [NAME, ..] | [NEXT, ..] if new.is_some() => Err(Error::NotPermitted),
        [NAME, oid @ ..] => Ok(tree::oid_to_name(oid)),
        [NEXT, oid @ ..] => tree::next(oid).map(|n| ints(&n)),
        [NAME2OID] => {
            // The name is the new value: none is ENOENT, a long one
            // ENAMETOOLONG (sysctl_sysctl_name2oid).
            let n = new.filter(|n| n.len > 0).ok_or(Error::NotFound)?;
            if n.len >= MAXPATHLEN {
                return Err(Error::NameTooLong);
            }
            let mut text = alloc::vec![0u8; n.len as usize];
            ops.copy_in(n.at, &mut text)?;
            tree::name_to_oid(&text).map(|oid| ints(&oid))
        }
        [NAME2OID, ..] => Err(Error::NotDirectory),
        [other, ..] => {
            ops.log_unsupported(format_args!("freebsd: sysctl {{0,{other}}}"));
            Err(Error::NotFound)
        }
        [] => Err(Error::IsDirectory),
    }
}

fn string(s: &[u8]) -> Vec<u8> {
    let mut v = s.to_vec();
    v.push(0);
    v
}

fn int(v: i64) -> Vec<u8> {
    (v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32).to_le_bytes().to_vec()
}

/// A writable string node's new value (sysctl_handle_string): shorter
/// than `max`, cut at a NUL. Changing a node needs privilege
/// (PRIV_SYSCTL_WRITE).
fn new_string(ops: &mut dyn KernelOps, n: New, max: u64) -> KResult<Vec<u8>> {
    if !ops.credentials().has(Privilege::SysAdmin) {
        return Err(Error::NotPermitted);
    }
    if n.len >= max {
        return Err(Error::InvalidArgument);
    }
    let mut s = alloc::vec![0u8; n.len as usize];
    ops.copy_in(n.at, &mut s)?;
    if let Some(end) = s.iter().position(|&b| b == 0) {
        s.truncate(end);
    }
    Ok(s)
}

fn value(ops: &mut dyn KernelOps, leaf: Leaf, args: &[i32], oldlen: usize, new: Option<New>) -> KResult<Vec<u8>> {
    Ok(match leaf {
        Leaf::OsType => string(b"FreeBSD"),
        Leaf::OsRelease => string(OSRELEASE.as_bytes()),
        Leaf::OsRevision => int(OSREVISION.into()),
        Leaf::Version => string(VERSION.as_bytes()),
        Leaf::ArgMax => int(super::process::ARG_MAX as i64),
        Leaf::Hostname => {
            let old = string(&ops.hostname());
            if let Some(n) = new {
                let name = new_string(ops, n, MAXHOSTNAMELEN)?;
                ops.set_hostname(&name)?;
            }
            old
        }
        Leaf::NisDomainName => {
            let old = string(&ops.domain_name());
            if let Some(n) = new {
                let name = new_string(ops, n, MAXHOSTNAMELEN)?;
                ops.set_domain_name(&name)?;
            }
            old
        }
        Leaf::NGroups => int(NGROUPS_MAX.into()),
        Leaf::BootTime => {
            // The real-time clock's reading at boot: now less the uptime.
            let booted = ops.clock(Clock::Realtime)?.saturating_sub(ops.clock(Clock::Boottime)?);
            let mut b = Vec::with_capacity(16);
            b.extend_from_slice(&(booted / 1_000_000_000).to_le_bytes());
            b.extend_from_slice(&(booted % 1_000_000_000 / 1000).to_le_bytes());
            b
        }
        Leaf::OsRelDate => int(OSRELDATE as i64),
        Leaf::MaxFilesPerProc => {
            // FreeBSD's cap on RLIMIT_NOFILE: here the core's hard limit.
            let hard = ops.limit(Resource::OpenFiles).hard;
            int(if hard == UNLIMITED { i64::from(i32::MAX) } else { hard.min(i32::MAX as u64) as i64 })
        }
        Leaf::IovMax => int(IOV_MAX.into()),
        Leaf::Arandom => {
            // As many bytes as asked for (oldlen, even without a buffer),
            // at most 256.
            let mut b = alloc::vec![0u8; oldlen.min(ARANDOM_MAX)];
            ops.random_bytes(&mut b);
            b
        }
        Leaf::ProcPathname => string(&executable(ops, args)?),
        Leaf::SmpMaxCpus => int(MAXCPU.into()),
        Leaf::SmpCpus | Leaf::NCpu => int(ops.cpu_count().into()),
        Leaf::Machine | Leaf::MachineArch => string(b"amd64"),
        Leaf::PhysMem => ops.system_info().total_ram.to_le_bytes().to_vec(),
        Leaf::PageSize => int(PAGE_SIZE.into()),
    })
}

/// kern.proc.pathname.<pid> (sysctl_kern_proc_pathname): exactly one
/// argument, -1 for the caller; the path is the core's record of the
/// program each process runs (/proc/<pid>/exe).
fn executable(ops: &mut dyn KernelOps, args: &[i32]) -> KResult<Vec<u8>> {
    let [pid] = args else { return Err(Error::InvalidArgument) };
    if *pid == -1 || *pid as u32 == ops.pid() {
        let link = alloc::format!("/proc/{}/exe", ops.pid());
        return ops.read_link(DirFd::Cwd, link.as_bytes());
    }
    if *pid <= 0 {
        return Err(Error::NoSuchProcess);
    }
    let link = alloc::format!("/proc/{pid}/exe");
    // pget's ESRCH for a process that is not there.
    ops.read_link(DirFd::Cwd, link.as_bytes()).map_err(|e| if e == Error::NotFound { Error::NoSuchProcess } else { e })
}
