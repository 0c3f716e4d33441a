//! Creating, replacing, waiting for and ending processes and threads.

use crate::util::{path, string_array, write_u32};
use kernel_ops::{ChildStatus, CloneArgs, Error, KResult, KernelOps, Signal, WaitOptions, WaitResult, WaitTarget};
use linux_abi::clone::*;
use linux_abi::wait::*;

/// Flags both clone and clone3 carry out. CLONE_DETACHED is ignored by
/// Linux itself; CLONE_UNTRACED only matters to a tracer and CLONE_IO only
/// to an I/O scheduler, neither of which exists here.
const SUPPORTED: u64 = CLONE_VM
    | CLONE_FS
    | CLONE_FILES
    | CLONE_SIGHAND
    | CLONE_THREAD
    | CLONE_SYSVSEM
    | CLONE_SETTLS
    | CLONE_PARENT_SETTID
    | CLONE_CHILD_CLEARTID
    | CLONE_CHILD_SETTID
    | CLONE_VFORK
    | CLONE_DETACHED
    | CLONE_UNTRACED
    | CLONE_IO
    | CLONE_CLEAR_SIGHAND;

/// The largest `struct clone_args` clone3 reads (Linux: a page; past that
/// E2BIG without looking).
const CLONE3_MAX_SIZE: u64 = 4096;

pub fn clone(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    // x86_64 order: flags, newsp, parent_tid, child_tid, tls.
    let args = linux_abi::clone::CloneArgs::from_legacy(a[0], a[1], a[2], a[3], a[4]);
    if a[0] & CLONE_CLEAR_SIGHAND != 0 {
        return Err(Error::InvalidArgument); // a clone3-only flag (bit 32)
    }
    spawn(ops, &args, true)
}

pub fn clone3(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let size = a[1];
    if size > CLONE3_MAX_SIZE {
        return Err(Error::ArgumentListTooLong);
    }
    let mut raw = crate::util::buffer(size as usize)?;
    ops.copy_in(a[0], &mut raw)?;
    let args = linux_abi::clone::CloneArgs::from_user(&raw).map_err(|e| {
        if e == linux_abi::errno::E2BIG {
            Error::ArgumentListTooLong
        } else {
            Error::InvalidArgument
        }
    })?;
    // clone3 takes the exit signal in its own field: the low byte of flags
    // (legacy CSIGNAL) and CLONE_DETACHED are refused.
    if args.flags & (CLONE_DETACHED | (CSIGNAL & !CLONE_NEWTIME)) != 0 {
        return Err(Error::InvalidArgument);
    }
    if args.exit_signal & !CSIGNAL != 0 || args.exit_signal > u64::from(Signal::MAX) {
        return Err(Error::InvalidArgument);
    }
    // set_tid: an array of set_tid_size pids, both or neither.
    if args.set_tid_size > 32 || (args.set_tid == 0) != (args.set_tid_size == 0) {
        return Err(Error::InvalidArgument);
    }
    if args.set_tid_size != 0 {
        ops.log_unsupported(format_args!("linux: clone3 set_tid (choosing the child's pid)"));
        return Err(Error::InvalidArgument);
    }
    if args.flags & (CLONE_THREAD | CLONE_PARENT) != 0 && args.exit_signal != 0 {
        return Err(Error::InvalidArgument);
    }
    // The stack is given as lowest address and size: both or neither.
    if (args.stack == 0) != (args.stack_size == 0) || args.stack.checked_add(args.stack_size).is_none() {
        return Err(Error::InvalidArgument);
    }
    spawn(ops, &args, false)
}

/// Carries out a clone or clone3 request once each call's own rules have
/// been checked. `legacy`: the stack is a top address with no size.
fn spawn(ops: &mut dyn KernelOps, args: &linux_abi::clone::CloneArgs, legacy: bool) -> KResult<u64> {
    let flags = args.flags;
    // A pidfd is a process's: not for a thread (PIDFD_THREAD is Linux
    // 6.9's) nor for a detached child. clone stores it where the parent's
    // tid would go, so the two cannot be asked for together.
    if flags & CLONE_PIDFD != 0
        && (flags & (CLONE_THREAD | CLONE_DETACHED) != 0 || legacy && flags & CLONE_PARENT_SETTID != 0)
    {
        return Err(Error::InvalidArgument);
    }
    if flags & !(SUPPORTED | CLONE_PIDFD) != 0 {
        ops.log_unsupported(format_args!("linux: clone flags {:#x}", flags & !SUPPORTED));
        return Err(Error::InvalidArgument);
    }
    if flags & CLONE_THREAD != 0 && flags & CLONE_SIGHAND == 0 || flags & CLONE_SIGHAND != 0 && flags & CLONE_VM == 0 {
        return Err(Error::InvalidArgument);
    }
    if flags & CLONE_SIGHAND != 0 && flags & CLONE_CLEAR_SIGHAND != 0 {
        return Err(Error::InvalidArgument);
    }
    let new_stack = if legacy { args.stack } else { args.stack + args.stack_size };
    let core = CloneArgs {
        share_memory: flags & CLONE_VM != 0,
        share_files: flags & CLONE_FILES != 0,
        share_fs: flags & CLONE_FS != 0,
        share_signal_handlers: flags & CLONE_SIGHAND != 0,
        thread: flags & CLONE_THREAD != 0,
        vfork: flags & CLONE_VFORK != 0,
        new_stack: (new_stack != 0).then_some(new_stack),
        tls: (flags & CLONE_SETTLS != 0).then_some(args.tls),
        parent_tid_address: (flags & CLONE_PARENT_SETTID != 0).then_some(args.parent_tid),
        child_set_tid_address: (flags & CLONE_CHILD_SETTID != 0).then_some(args.child_tid),
        child_clear_tid_address: (flags & CLONE_CHILD_CLEARTID != 0).then_some(args.child_tid),
        pidfd_address: (flags & CLONE_PIDFD != 0).then_some(args.pidfd),
        // A thread never signals; a process with exit signal 0 (or an
        // invalid legacy byte) signals nobody, as on Linux.
        exit_signal: if flags & CLONE_THREAD != 0 { None } else { crate::signals::from_linux(args.exit_signal as u32) },
        clear_signal_handlers: flags & CLONE_CLEAR_SIGHAND != 0,
        start: None,
    };
    ops.clone_task(&core).map(u64::from)
}

pub fn fork(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    ops.clone_task(&CloneArgs { exit_signal: Some(Signal::CHLD), ..CloneArgs::default() }).map(u64::from)
}

pub fn vfork(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    let args = CloneArgs { share_memory: true, vfork: true, exit_signal: Some(Signal::CHLD), ..CloneArgs::default() };
    ops.clone_task(&args).map(u64::from)
}

pub fn execve(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let p = path(ops, a[0])?;
    let argv = string_array(ops, a[1])?;
    let envp = string_array(ops, a[2])?;
    ops.exec(&p, &argv, &envp).map(|_| 0)
}

/// execveat(dirfd, path, argv, envp, flags): execve from a directory
/// descriptor, or of the descriptor's own file with AT_EMPTY_PATH and an
/// empty path (an O_PATH or ordinary descriptor); AT_SYMLINK_NOFOLLOW
/// makes a final symlink ELOOP.
pub fn execveat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    use linux_abi::fcntl::{AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW};
    let flags = a[4] as u32;
    if flags & !(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) != 0 {
        return Err(Error::InvalidArgument);
    }
    let p = path(ops, a[1])?;
    if p.is_empty() && flags & AT_EMPTY_PATH == 0 {
        return Err(Error::NotFound);
    }
    let argv = string_array(ops, a[2])?;
    let envp = string_array(ops, a[3])?;
    let dir = if p.first() == Some(&b'/') { kernel_ops::DirFd::Cwd } else { crate::util::dirfd(a[0]) };
    ops.exec_at(dir, &p, flags & AT_SYMLINK_NOFOLLOW == 0, &argv, &envp).map(|_| 0)
}

pub fn exit(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.exit(a[0] as u8, false);
    Ok(0)
}

pub fn exit_group(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.exit(a[0] as u8, true);
    Ok(0)
}

fn status_word(s: ChildStatus) -> i32 {
    match s {
        ChildStatus::Exited(c) => exited(i32::from(c)),
        ChildStatus::Signaled { signal, core_dumped } => signaled(crate::signals::to_linux(signal), core_dumped),
        ChildStatus::Stopped(sig) => stopped(crate::signals::to_linux(sig)),
        ChildStatus::Continued => continued(),
        ChildStatus::Traced { signal, syscall, event } => linux_abi::ptrace::traced_status(
            crate::signals::to_linux(signal),
            syscall,
            crate::sys::ptrace::event_code(event),
        ),
    }
}

fn put_rusage(ops: &mut dyn KernelOps, addr: u64, r: &WaitResult) -> KResult<()> {
    ops.copy_out(addr, &crate::sys::info::rusage_of(&r.usage).to_bytes())
}

pub fn wait4(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let options = a[2] as u32;
    if options & !(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE | __WNOTHREAD) != 0 {
        return Err(Error::InvalidArgument);
    }
    let pid = a[0] as i32;
    let target = match pid {
        // -INT_MIN names no process group (Linux refuses it outright).
        i32::MIN => return Err(Error::NoSuchProcess),
        -1 => WaitTarget::Any,
        0 => WaitTarget::ProcessGroup(ops.process_group(0)?),
        p if p < -1 => WaitTarget::ProcessGroup(p.unsigned_abs()),
        p => WaitTarget::Pid(p as u32),
    };
    let opts = WaitOptions {
        no_hang: options & WNOHANG != 0,
        stopped: options & WUNTRACED != 0,
        continued: options & WCONTINUED != 0,
        exited: true,
        no_reap: false,
    };
    match ops.wait(target, opts)? {
        None => Ok(0),
        Some(r) => {
            if a[1] != 0 {
                write_u32(ops, a[1], status_word(r.status) as u32)?;
            }
            if a[3] != 0 {
                put_rusage(ops, a[3], &r)?;
            }
            Ok(u64::from(r.pid))
        }
    }
}

pub fn waitid(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let options = a[3] as u32;
    if options & !(WNOHANG | WEXITED | WSTOPPED | WCONTINUED | WNOWAIT | __WALL | __WCLONE | __WNOTHREAD) != 0
        || options & (WEXITED | WSTOPPED | WCONTINUED) == 0
    {
        return Err(Error::InvalidArgument);
    }
    const P_PIDFD: u32 = 3;
    // A non-blocking pidfd makes the wait WNOHANG, and EAGAIN when the
    // child has not changed state (Linux 5.10).
    let mut would_block = false;
    let target = match a[0] as u32 {
        P_ALL => WaitTarget::Any,
        // The id is a pid_t: P_PID needs a positive one, P_PGID a
        // non-negative one (0: the caller's group), as kernel_waitid.
        P_PID if a[1] as i32 <= 0 => return Err(Error::InvalidArgument),
        P_PID => WaitTarget::Pid(a[1] as u32),
        P_PGID if (a[1] as i32) < 0 => return Err(Error::InvalidArgument),
        P_PGID if a[1] as i32 == 0 => WaitTarget::ProcessGroup(ops.process_group(0)?),
        P_PGID => WaitTarget::ProcessGroup(a[1] as u32),
        P_PIDFD => {
            let fd = a[1] as i32;
            if fd < 0 {
                return Err(Error::InvalidArgument);
            }
            let pid = ops.process_handle_pid(fd as kernel_ops::Fd)?.ok_or(Error::NoChild)?;
            would_block = ops.status_flags(fd as kernel_ops::Fd)?.0.non_blocking;
            WaitTarget::Pid(pid)
        }
        _ => return Err(Error::InvalidArgument),
    };
    let opts = WaitOptions {
        no_hang: options & WNOHANG != 0 || would_block,
        stopped: options & WSTOPPED != 0,
        continued: options & WCONTINUED != 0,
        exited: options & WEXITED != 0,
        no_reap: options & WNOWAIT != 0,
    };
    let result = ops.wait(target, opts)?;
    if would_block && options & WNOHANG == 0 && result.is_none() {
        return Err(Error::WouldBlock);
    }
    if a[2] != 0 {
        let info = match result {
            None => [0u8; 128],
            Some(r) => {
                use linux_abi::siginfo::*;
                let (code, status) = match r.status {
                    ChildStatus::Exited(c) => (CLD_EXITED, i32::from(c)),
                    ChildStatus::Signaled { signal, core_dumped } => {
                        (if core_dumped { CLD_DUMPED } else { CLD_KILLED }, crate::signals::to_linux(signal) as i32)
                    }
                    ChildStatus::Stopped(s) => (CLD_STOPPED, crate::signals::to_linux(s) as i32),
                    ChildStatus::Continued => (CLD_CONTINUED, crate::signals::to_linux(Signal::CONT) as i32),
                    ChildStatus::Traced { signal, .. } => (CLD_TRAPPED, crate::signals::to_linux(signal) as i32),
                };
                Siginfo::child(
                    code,
                    r.pid as i32,
                    r.uid,
                    status,
                    (r.usage.user_ns / 10_000_000) as i64,
                    (r.usage.system_ns / 10_000_000) as i64,
                )
                .to_bytes()
            }
        };
        ops.copy_out(a[2], &info)?;
    }
    if a[4] != 0 {
        if let Some(r) = &result {
            put_rusage(ops, a[4], r)?;
        }
    }
    Ok(0)
}

pub fn sched_yield(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    ops.yield_now();
    Ok(0)
}

pub fn set_tid_address(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.set_clear_child_tid(a[0]);
    Ok(u64::from(ops.tid()))
}

/// The size of `struct robust_list_head`, the only length Linux takes.
const ROBUST_LIST_HEAD_SIZE: u64 = 24;

pub fn set_robust_list(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[1] != ROBUST_LIST_HEAD_SIZE {
        return Err(Error::InvalidArgument);
    }
    ops.set_robust_list(a[0], a[1]);
    Ok(0)
}

/// get_robust_list(pid, head_ptr, len_ptr): pid 0 is the caller.
pub fn get_robust_list(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let pid = a[0] as i32;
    if pid < 0 {
        return Err(Error::NoSuchProcess);
    }
    // The length reported is always the structure's, as Linux does.
    let (head, _) = ops.robust_list(pid as u32)?;
    crate::util::write_u64(ops, a[2], ROBUST_LIST_HEAD_SIZE)?;
    crate::util::write_u64(ops, a[1], head).map(|_| 0)
}

pub fn arch_prctl(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    use linux_abi::arch::arch_prctl::*;
    match a[0] as u32 {
        ARCH_SET_FS => ops.set_thread_pointer(a[1]).map(|_| 0),
        ARCH_GET_FS => {
            let v = ops.thread_pointer();
            crate::util::write_u64(ops, a[1], v).map(|_| 0)
        }
        code => {
            ops.log_unsupported(format_args!("linux: arch_prctl code {code:#x}"));
            Err(Error::InvalidArgument)
        }
    }
}

/// getcpu(cpu, node, cache): the cache argument is unused since Linux 2.6.24.
pub fn getcpu(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let cpu = ops.current_cpu();
    if a[0] != 0 {
        write_u32(ops, a[0], cpu)?;
    }
    if a[1] != 0 {
        write_u32(ops, a[1], 0)?; // one NUMA node
    }
    Ok(0)
}

/// unshare(2): the descriptor table and the file-system context become
/// the caller's own; CLONE_SYSVSEM needs nothing (semaphore adjustments
/// are per process already); CLONE_THREAD, CLONE_SIGHAND and CLONE_VM
/// are accepted as Linux accepts them from a process that shares none of
/// those. Namespaces do not exist: a new one is EPERM without
/// CAP_SYS_ADMIN and otherwise EINVAL, as on a kernel built without them.
pub fn unshare(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    use linux_abi::clone::*;
    let flags = a[0];
    let namespaces = CLONE_NEWNS
        | CLONE_NEWCGROUP
        | CLONE_NEWUTS
        | CLONE_NEWIPC
        | CLONE_NEWUSER
        | CLONE_NEWPID
        | CLONE_NEWNET
        | CLONE_NEWTIME;
    let known = CLONE_THREAD | CLONE_FS | CLONE_SIGHAND | CLONE_VM | CLONE_FILES | CLONE_SYSVSEM | namespaces;
    if flags & !known != 0 {
        return Err(Error::InvalidArgument);
    }
    if flags & namespaces != 0 {
        if !ops.credentials().has(kernel_ops::Privilege::SysAdmin) {
            return Err(Error::NotPermitted);
        }
        ops.log_unsupported(format_args!("unshare: namespaces (flags {:#x})", flags & namespaces));
        return Err(Error::InvalidArgument);
    }
    if flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_VM) != 0 && ops.thread_count() > 1 {
        return Err(Error::InvalidArgument);
    }
    ops.unshare(flags & CLONE_FILES != 0, flags & CLONE_FS != 0).map(|_| 0)
}
