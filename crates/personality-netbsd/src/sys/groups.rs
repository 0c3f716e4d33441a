//! Process groups and sessions (sys/kern/kern_prot.c, kern_proc.c).

use kernel_ops::{Error, KResult, KernelOps};

pub fn getpgrp(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    ops.process_group(0).map(u64::from)
}

/// getpgid(pid): 0 is the caller.
pub fn getpgid(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.process_group(a[0] as u32).map(u64::from)
}

/// setpgid(pid, pgid): 0 for either is the caller's pid; a negative
/// group is EINVAL (sys_setpgid).
pub fn setpgid(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if (a[1] as i32) < 0 {
        return Err(Error::InvalidArgument);
    }
    ops.set_process_group(a[0] as u32, a[1] as u32).map(|_| 0)
}

/// getsid(pid): 0 is the caller.
pub fn getsid(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.session(a[0] as u32).map(u64::from)
}

/// setsid(): a new session and group led by the caller, returning its
/// id; EPERM for a group leader.
pub fn setsid(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    ops.new_session().map(u64::from)
}
