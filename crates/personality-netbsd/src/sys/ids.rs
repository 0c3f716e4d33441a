//! Process, user and group ids. NetBSD's getpid, getuid and getgid each
//! return two values (syscalls.master's `getpid_with_ppid`,
//! `getuid_with_euid`, `getgid_with_egid`): the second in the second
//! result register (`arch::syscall_abi`), which
//! libc's getppid/geteuid/getegid do not use but Go's runtime and
//! old programs may.

use crate::arch::syscall_abi;
use kernel_ops::{KResult, KernelOps};

/// getpid(): the pid, and the parent's pid as the second result.
pub fn getpid(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    let (pid, ppid) = (u64::from(ops.pid()), u64::from(ops.parent_pid()));
    syscall_abi::set_success(ops.context(), pid, Some(ppid));
    Ok(pid)
}

/// getppid().
pub fn getppid(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    Ok(u64::from(ops.parent_pid()))
}

/// getuid(): the real uid, and the effective one as the second result.
pub fn getuid(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    let c = ops.credentials();
    syscall_abi::set_success(ops.context(), u64::from(c.uid), Some(u64::from(c.euid)));
    Ok(u64::from(c.uid))
}

pub fn geteuid(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    Ok(u64::from(ops.credentials().euid))
}

/// getgid(): the real gid, and the effective one as the second result.
pub fn getgid(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    let c = ops.credentials();
    syscall_abi::set_success(ops.context(), u64::from(c.gid), Some(u64::from(c.egid)));
    Ok(u64::from(c.gid))
}

pub fn getegid(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    Ok(u64::from(ops.credentials().egid))
}

/// issetugid(): whether the process runs with ids it was not started
/// with: here, while its real and effective ids differ (NetBSD also
/// stays tainted after a set-id exec or an id change: PK_SUGID).
pub fn issetugid(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    let c = ops.credentials();
    Ok(u64::from(c.uid != c.euid || c.gid != c.egid))
}
