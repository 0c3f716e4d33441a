use kernel_ops::{Error, KResult, KernelOps};

pub fn getpid(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    Ok(u64::from(ops.pid()))
}

pub fn getppid(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    Ok(u64::from(ops.parent_pid()))
}

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

/// setsid(): a new session and group led by the caller; EPERM for a
/// group leader.
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

/// Whether the process runs with ids it was not started with (libc then
/// distrusts the environment): real and effective ids differ.
pub fn issetugid(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    let c = ops.credentials();
    Ok(u64::from(c.uid != c.euid || c.gid != c.egid))
}

/// FreeBSD numbers threads from 100000 up, apart from process ids; a
/// thread's id here is its core id moved into that range, so that no
/// thread id is also a process id, as programs may assume.
pub const THREAD_ID_BASE: u64 = 100_000;

/// The core's id of the thread FreeBSD calls `id` (None: no thread of
/// ours has that id).
pub fn core_thread_id(id: u64) -> Option<u32> {
    id.checked_sub(THREAD_ID_BASE).and_then(|t| u32::try_from(t).ok())
}

/// thr_self(long *id).
pub fn thr_self(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let id = THREAD_ID_BASE + u64::from(ops.tid());
    ops.copy_out(a[0], &id.to_le_bytes()).map(|_| 0)
}
