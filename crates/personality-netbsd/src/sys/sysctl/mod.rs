//! __sysctl(2) (sys/kern/kern_sysctl.c): the MIB of `tree` with values
//! from the core, and CTL_QUERY, which Go's syscall.Sysctl uses to turn
//! a dotted name into numbers (os.Hostname asks for "kern.hostname").
//!
//! Request rules, as `sys___sysctl`, `sysctl_dispatch` and
//! `sysctl_lookup` have them: a name of no numbers or more than
//! CTL_MAXNAME is EINVAL; without an old buffer the size of the value is
//! reported; with one too small, as much as fits is copied, the whole
//! size is reported and the call fails with ENOMEM; a new value for a
//! read-only node, or from a process without privilege, is EPERM.

pub mod tree;

use alloc::vec::Vec;
use kernel_ops::{Clock, Error, KResult, KernelOps, Privilege};
use tree::{Leaf, Target, CTL_CREATE, CTL_CREATESYM, CTL_DESTROY, CTL_MAXNAME, CTL_QUERY, MAXHOSTNAMELEN};

/// kern.osrelease: the release the test programs' ELF notes claim
/// (__NetBSD_Version__ 1000000000). Go's linker writes 7.0 in its note;
/// a process's note is not kept, so every program sees 10.0.
pub const OSRELEASE: &str = "10.0";
/// kern.osrevision: __NetBSD_Version__ for 10.0 (MMmmrrpp00). Go's
/// runtime reads it and works around a NetBSD 9.1 bug below 902000000.
pub const OSREVISION: i32 = 1_000_000_000;
/// kern.version, in the shape of NetBSD's ("NetBSD <release> (<kernel
/// config>) #<n>: <date>").
pub const VERSION: &str = "NetBSD 10.0 (HELCTIC) #0: Helctic\n";
/// kern.ngroups: NGROUPS_MAX (sys/sys/syslimits.h).
const NGROUPS_MAX: i32 = 16;
/// kern.iov_max: IOV_MAX.
const IOV_MAX: i32 = 1024;
/// kern.arandom hands out at most this much per call (sysctl_kern_arnd).
const ARANDOM_MAX: usize = 256;
const PAGE_SIZE: i32 = 4096;

/// The new value of a request: its address and length.
#[derive(Clone, Copy)]
struct New {
    at: u64,
    len: u64,
}

/// __sysctl(name, namelen, oldv, oldlenp, newv, newlen).
pub fn sysctl(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (old, oldlenp) = (a[2], a[3]);
    // oldlenp is read first, as sys___sysctl does.
    let oldlen = if oldlenp == 0 {
        0
    } else {
        let mut b = [0u8; 8];
        ops.copy_in(oldlenp, &mut b)?;
        usize::try_from(u64::from_le_bytes(b)).unwrap_or(usize::MAX)
    };
    let namelen = a[1] as u32 as usize;
    if !(1..=CTL_MAXNAME).contains(&namelen) {
        return Err(Error::InvalidArgument);
    }
    let mut raw = [0u8; CTL_MAXNAME * 4];
    ops.copy_in(a[0], &mut raw[..namelen * 4])?;
    let name: Vec<i32> =
        raw[..namelen * 4].chunks_exact(4).map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    let new = (a[4] != 0).then_some(New { at: a[4], len: a[5] });
    match tree::locate(&name)? {
        Target::Leaf { leaf, writable } => {
            // sysctl_lookup: a new value of no bytes is no new value.
            let new = new.filter(|n| n.len > 0);
            if new.is_some() && (!writable || !ops.credentials().has(Privilege::SysAdmin)) {
                return Err(Error::NotPermitted);
            }
            if leaf == Leaf::Arandom {
                // sysctl_kern_arnd: nothing asked, nothing given; more
                // than 256 bytes is E2BIG.
                if oldlen == 0 {
                    return Ok(0);
                }
                if oldlen > ARANDOM_MAX {
                    return Err(Error::ArgumentListTooLong);
                }
            }
            let v = value(ops, leaf, oldlen)?;
            let fit = tree::fit(v.len(), old != 0, oldlen);
            if fit.copy > 0 {
                ops.copy_out(old, &v[..fit.copy])?;
            }
            if oldlenp != 0 {
                ops.copy_out(oldlenp, &(fit.reported as u64).to_le_bytes())?;
            }
            if let Some(n) = new {
                set(ops, leaf, n)?;
            }
            if fit.short {
                return Err(Error::NoMemory);
            }
            Ok(0)
        }
        Target::Meta { children, op: CTL_QUERY } => {
            check_query(ops, new)?;
            let (bytes, total) = tree::query(children, if old != 0 { oldlen } else { 0 });
            if old != 0 && !bytes.is_empty() {
                ops.copy_out(old, &bytes)?;
            }
            if oldlenp != 0 {
                ops.copy_out(oldlenp, &(total as u64).to_le_bytes())?;
            }
            if old != 0 && oldlen < total {
                return Err(Error::NoMemory);
            }
            Ok(0)
        }
        Target::Meta { op: CTL_CREATE | CTL_CREATESYM | CTL_DESTROY, .. } if new.is_none() => {
            Err(Error::InvalidArgument)
        }
        Target::Meta { op, .. } => {
            // CTL_DESCRIBE (node descriptions), CTL_CREATE, CTL_CREATESYM,
            // CTL_DESTROY and CTL_MMAP are not implemented; any other
            // meta-number is EOPNOTSUPP on NetBSD too.
            ops.log_unsupported(format_args!("netbsd: sysctl meta-operation {op}"));
            Err(Error::NotSupported)
        }
    }
}

/// CTL_QUERY's new value is a `struct sysctlnode` of SYSCTL_VERS_1
/// (sysctl_cvt_in: anything else is EINVAL); a version number in it must
/// match the node's, and no node here has one.
fn check_query(ops: &mut dyn KernelOps, new: Option<New>) -> KResult<()> {
    let n = new.filter(|n| n.len >= 4).ok_or(Error::InvalidArgument)?;
    if n.len != tree::NODE_SIZE as u64 {
        return Err(Error::InvalidArgument);
    }
    let mut q = [0u8; tree::NODE_SIZE];
    ops.copy_in(n.at, &mut q)?;
    let flags = u32::from_le_bytes([q[0], q[1], q[2], q[3]]);
    let version = u32::from_le_bytes([q[40], q[41], q[42], q[43]]);
    if flags & 0xff00_0000 != tree::SYSCTL_VERS_1 || version != 0 {
        return Err(Error::InvalidArgument);
    }
    Ok(())
}

fn string(s: &[u8]) -> Vec<u8> {
    let mut v = s.to_vec();
    v.push(0);
    v
}

fn int(v: i64) -> Vec<u8> {
    (v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32).to_le_bytes().to_vec()
}

/// The whole value of `leaf`, before it meets the caller's buffer.
fn value(ops: &mut dyn KernelOps, leaf: Leaf, oldlen: usize) -> KResult<Vec<u8>> {
    Ok(match leaf {
        Leaf::OsType => string(b"NetBSD"),
        Leaf::OsRelease => string(OSRELEASE.as_bytes()),
        Leaf::OsRevision => int(OSREVISION.into()),
        Leaf::Version => string(VERSION.as_bytes()),
        Leaf::ArgMax => int(super::process::ARG_MAX as i64),
        Leaf::Hostname => string(&ops.hostname()),
        Leaf::DomainName => string(&ops.domain_name()),
        Leaf::NGroups => int(NGROUPS_MAX.into()),
        Leaf::IovMax => int(IOV_MAX.into()),
        Leaf::Urandom => {
            let mut b = alloc::vec![0u8; 4];
            ops.random_bytes(&mut b);
            b
        }
        Leaf::Arandom => {
            let mut b = alloc::vec![0u8; oldlen.min(ARANDOM_MAX)];
            ops.random_bytes(&mut b);
            b
        }
        Leaf::BootTime => {
            // A struct timespec: the real-time clock's reading at boot,
            // now less the time since.
            let booted = ops.clock(Clock::Realtime)?.saturating_sub(ops.clock(Clock::Boottime)?);
            let mut b = Vec::with_capacity(16);
            b.extend_from_slice(&(booted / 1_000_000_000).to_le_bytes());
            b.extend_from_slice(&(booted % 1_000_000_000).to_le_bytes());
            b
        }
        Leaf::Machine => string(b"amd64"),
        Leaf::MachineArch => string(b"x86_64"),
        Leaf::NCpu | Leaf::NCpuOnline => int(ops.cpu_count().into()),
        // hw.physmem is an unsigned int, UINT_MAX when the memory does not fit.
        Leaf::PhysMem => (ops.system_info().total_ram.min(u64::from(u32::MAX)) as u32).to_le_bytes().to_vec(),
        Leaf::PhysMem64 => ops.system_info().total_ram.to_le_bytes().to_vec(),
        Leaf::PageSize => int(PAGE_SIZE.into()),
    })
}

/// A writable node's new value (sysctl_lookup's CTLTYPE_STRING case):
/// more than the node's MAXHOSTNAMELEN bytes, or a string that leaves no
/// room for its NUL, is EINVAL; it ends at its first NUL.
fn set(ops: &mut dyn KernelOps, leaf: Leaf, n: New) -> KResult<()> {
    if n.len > MAXHOSTNAMELEN {
        return Err(Error::InvalidArgument);
    }
    let mut s = alloc::vec![0u8; n.len as usize];
    ops.copy_in(n.at, &mut s)?;
    if let Some(end) = s.iter().position(|&b| b == 0) {
        s.truncate(end);
    }
    if s.len() as u64 >= MAXHOSTNAMELEN {
        return Err(Error::InvalidArgument);
    }
    match leaf {
        Leaf::Hostname => ops.set_hostname(&s),
        Leaf::DomainName => ops.set_domain_name(&s),
        _ => Err(Error::NotPermitted),
    }
}
