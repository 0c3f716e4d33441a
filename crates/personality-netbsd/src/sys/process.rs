//! Creating and replacing processes (sys/kern/kern_fork.c, kern_exec.c)
//! and sending them signals (kern_sig.c `sys_kill`).

use crate::arch::syscall_abi;
use alloc::vec::Vec;
use kernel_ops::{CloneArgs, DirFd, Error, KResult, KernelOps, KillTarget, Signal};

/// ARG_MAX (sys/sys/syslimits.h): the most bytes of argument and
/// environment strings, NULs included, an exec takes; kern.argmax.
pub const ARG_MAX: usize = 256 * 1024;
/// A path is shorter than MAXPATHLEN (1024) bytes with its NUL.
const PATH_MAX: usize = 1024;
/// NSIG: kill takes signal numbers below it.
const NSIG: u32 = 64;

/// The parent's side of fork and vfork: the child's pid as the result and
/// 0 as the second one (fork1's `retval[1] = 0`; libc's stub masks the
/// result with the second result less one, keeping the pid). The child's
/// result is 0, from `Personality::start_child`.
fn parent_returns(ops: &mut dyn KernelOps, child: u32) -> KResult<u64> {
    syscall_abi::set_success(ops.context(), u64::from(child), Some(0));
    Ok(u64::from(child))
}

/// fork(): a copy of the process, SIGCHLD at its end.
pub fn fork(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    let child = ops.clone_task(&CloneArgs { exit_signal: Some(Signal::CHLD), ..CloneArgs::default() })?;
    parent_returns(ops, child)
}

/// vfork() (66), 4.4BSD's: the child gets a copy of the memory, not the
/// parent's own (sys_vfork passes FORK_PPWAIT without FORK_SHAREVM), and
/// the parent waits until the child execs or exits.
pub fn vfork(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    let args = CloneArgs { vfork: true, exit_signal: Some(Signal::CHLD), ..CloneArgs::default() };
    let child = ops.clone_task(&args)?;
    parent_returns(ops, child)
}

/// __vfork14() (282), what libc's vfork calls: the child borrows the
/// parent's memory (FORK_SHAREVM) and the parent waits until the child
/// execs or exits.
pub fn vfork14(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    let args = CloneArgs { share_memory: true, vfork: true, exit_signal: Some(Signal::CHLD), ..CloneArgs::default() };
    let child = ops.clone_task(&args)?;
    parent_returns(ops, child)
}

fn read_pointer(ops: &mut dyn KernelOps, at: u64) -> KResult<u64> {
    let mut b = [0u8; 8];
    ops.copy_in(at, &mut b)?;
    Ok(u64::from_le_bytes(b))
}

/// A NULL-terminated array of strings (copyinargstrs): every string with
/// its NUL counts against `budget`, and running out is E2BIG.
fn strings(ops: &mut dyn KernelOps, at: u64, budget: &mut usize) -> KResult<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    for i in 0u64.. {
        let p = read_pointer(ops, at.checked_add(i * 8).ok_or(Error::Fault)?)?;
        if p == 0 {
            break;
        }
        let s = ops.copy_in_cstring(p, *budget).map_err(|e| {
            if e == Error::NameTooLong {
                Error::ArgumentListTooLong
            } else {
                e
            }
        })?;
        *budget = budget.checked_sub(s.len() + 1).ok_or(Error::ArgumentListTooLong)?;
        out.push(s);
    }
    Ok(out)
}

/// execve(path, argp, envp). The core loads the file and picks the
/// personality its ELF note asks for, so a NetBSD program may run a
/// Linux one. As execve_loadvm and copyinargs: a NULL argp is EINVAL (an
/// empty one is allowed) once the program is found, a NULL envp an empty
/// environment.
pub fn execve(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[0] == 0 {
        return Err(Error::Fault);
    }
    let path = ops.copy_in_cstring(a[0], PATH_MAX - 1)?;
    if a[1] == 0 {
        // execve_loadvm looks the program up before it copies the
        // arguments in: a missing one is still ENOENT.
        ops.stat(DirFd::Cwd, &path, true)?;
        return Err(Error::InvalidArgument);
    }
    let mut budget = ARG_MAX;
    let argv = strings(ops, a[1], &mut budget)?;
    let envp = if a[2] == 0 { Vec::new() } else { strings(ops, a[2], &mut budget)? };
    ops.exec(&path, &argv, &envp).map(|_| 0)
}

/// Where kill(pid, sig) sends: one process, the caller's group (0),
/// every process it may signal (-1), or group -pid.
pub fn kill_target(pid: i32) -> KResult<KillTarget> {
    Ok(match pid {
        p if p > 0 => KillTarget::Process(p as u32),
        0 => KillTarget::ProcessGroup(0),
        -1 => KillTarget::All,
        // -INT_MIN is no group.
        i32::MIN => return Err(Error::NoSuchProcess),
        p => KillTarget::ProcessGroup(p.unsigned_abs()),
    })
}

/// kill(pid, signum): NetBSD's signal numbers, below NSIG (64; compared
/// as unsigned, so a negative one is EINVAL too); 0 only checks that the
/// target exists and may be signalled.
pub fn kill(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let n = a[1] as u32;
    if n >= NSIG {
        return Err(Error::InvalidArgument);
    }
    let signal = if n == 0 {
        None
    } else {
        let Some(s) = crate::signals::to_core(n) else {
            ops.log_unsupported(format_args!("netbsd: kill with signal {n}"));
            return Err(Error::InvalidArgument);
        };
        Some(s)
    };
    let target = kill_target(a[0] as i32)?;
    ops.kill(target, signal).map(|_| 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kill_targets_follow_the_pid_forms() {
        assert_eq!(kill_target(42), Ok(KillTarget::Process(42)));
        assert_eq!(kill_target(0), Ok(KillTarget::ProcessGroup(0)));
        assert_eq!(kill_target(-1), Ok(KillTarget::All));
        assert_eq!(kill_target(-7), Ok(KillTarget::ProcessGroup(7)));
        assert_eq!(kill_target(i32::MIN), Err(Error::NoSuchProcess));
    }
}
