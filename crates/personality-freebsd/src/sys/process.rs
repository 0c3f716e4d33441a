//! Creating, replacing and ending processes (sys/kern/kern_fork.c,
//! kern_exec.c, kern_exit.c) and sending them signals (kern_sig.c
//! `sys_kill`).

use alloc::vec::Vec;
use kernel_ops::{CloneArgs, Error, KResult, KernelOps, KillTarget, Signal};

/// The most bytes of argument and environment strings an exec takes
/// (ARG_MAX of sys/sys/syslimits.h for 64-bit programs; kern.argmax).
pub const ARG_MAX: usize = 2 * 256 * 1024;
/// A path is shorter than MAXPATHLEN (1024) bytes with its NUL.
const PATH_MAX: usize = 1024;
/// The highest signal number kill takes (_SIG_MAXSIG).
const SIG_MAXSIG: u64 = 128;

/// exit(status): the whole process ends (FreeBSD's threads end with
/// thr_exit).
pub fn exit(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.exit(a[0] as u8, true);
    Ok(0)
}

/// The parent's side of fork and vfork: the child's pid, and 0 as the
/// second result (sys_fork's td_retval[1]); the child gets 0 and 1
/// through `Personality::start_child`.
fn parent_returns(ops: &mut dyn KernelOps, child: u32) -> KResult<u64> {
    crate::arch::syscall_abi::set_second_result(ops.context(), 0);
    Ok(u64::from(child))
}

pub fn fork(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    let child = ops.clone_task(&CloneArgs { exit_signal: Some(Signal::CHLD), ..CloneArgs::default() })?;
    parent_returns(ops, child)
}

/// vfork: the child borrows the parent's memory, and the parent waits
/// until the child execs or exits.
pub fn vfork(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    let args = CloneArgs { share_memory: true, vfork: true, exit_signal: Some(Signal::CHLD), ..CloneArgs::default() };
    let child = ops.clone_task(&args)?;
    parent_returns(ops, child)
}

fn read_pointer(ops: &mut dyn KernelOps, at: u64) -> KResult<u64> {
    let mut b = [0u8; 8];
    ops.copy_in(at, &mut b)?;
    Ok(u64::from_le_bytes(b))
}

/// A NULL-terminated array of strings (exec_copyin_args): every string
/// with its NUL counts against `budget`, and running out is E2BIG. A
/// NULL array is empty here; the caller decides what that means.
fn strings(ops: &mut dyn KernelOps, at: u64, budget: &mut usize) -> KResult<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    if at == 0 {
        return Ok(out);
    }
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

/// execve(path, argv, envv). The core loads the file and picks the
/// personality its ELF brand asks for, so a FreeBSD program may run a
/// Linux one. argv must hold at least the program's name: FreeBSD 14
/// refuses an empty one with EINVAL, and a NULL one faults.
pub fn execve(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[0] == 0 || a[1] == 0 {
        return Err(Error::Fault);
    }
    let path = ops.copy_in_cstring(a[0], PATH_MAX - 1)?;
    let mut budget = ARG_MAX.saturating_sub(path.len() + 1);
    let argv = strings(ops, a[1], &mut budget)?;
    let envp = strings(ops, a[2], &mut budget)?;
    if argv.is_empty() {
        return Err(Error::InvalidArgument);
    }
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

/// kill(pid, sig): FreeBSD's signal numbers; 0 only checks that the
/// target exists and may be signalled.
pub fn kill(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let n = a[1] as u32 as u64;
    if n > SIG_MAXSIG {
        return Err(Error::InvalidArgument);
    }
    let signal = if n == 0 {
        None
    } else {
        // FreeBSD's unnamed numbers (34..=64, 127, 128) and its real-time
        // signals past the 31 the core holds have no core number.
        let Some(s) = crate::signals::to_core(n as u32) else {
            ops.log_unsupported(format_args!("freebsd: kill with signal {n}"));
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
