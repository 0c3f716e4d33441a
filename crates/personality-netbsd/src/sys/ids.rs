//! Process, user and group ids. NetBSD's getpid, getuid and getgid each
//! return two values (syscalls.master's `getpid_with_ppid`,
//! `getuid_with_euid`, `getgid_with_egid`): the second in rdx, which
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
