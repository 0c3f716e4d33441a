//! Creating, replacing, waiting for and ending processes and threads.

use crate::util::{path, string_array, write_u32};
use kernel_ops::{ChildStatus, CloneArgs, Error, KResult, KernelOps, Signal, WaitOptions, WaitResult, WaitTarget};
use linux_abi::clone::*;
use linux_abi::wait::*;

pub fn clone(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let flags = a[0];
    let supported = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS
        | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | CLONE_VFORK | CLONE_DETACHED | 0xff;
    if flags & !supported != 0 {
        ops.log_unsupported(format_args!("linux: clone flags {:#x}", flags & !supported));
        return Err(Error::InvalidArgument);
    }
    if flags & CLONE_THREAD != 0 && flags & CLONE_SIGHAND == 0 || flags & CLONE_SIGHAND != 0 && flags & CLONE_VM == 0 {
        return Err(Error::InvalidArgument);
    }
    let exit_signal = (flags & 0xff) as u32;
    let args = CloneArgs {
        share_memory: flags & CLONE_VM != 0,
        share_files: flags & CLONE_FILES != 0,
        share_fs: flags & CLONE_FS != 0,
        share_signal_handlers: flags & CLONE_SIGHAND != 0,
        thread: flags & CLONE_THREAD != 0,
        vfork: flags & CLONE_VFORK != 0,
        new_stack: (a[1] != 0).then_some(a[1]),
        tls: (flags & CLONE_SETTLS != 0).then_some(a[4]),
        parent_tid_address: (flags & CLONE_PARENT_SETTID != 0).then_some(a[2]),
        child_set_tid_address: (flags & CLONE_CHILD_SETTID != 0).then_some(a[3]),
        child_clear_tid_address: (flags & CLONE_CHILD_CLEARTID != 0).then_some(a[3]),
        exit_signal: if flags & CLONE_THREAD != 0 { None } else { Signal::new(exit_signal) },
    };
    ops.clone_task(&args).map(u64::from)
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
        ChildStatus::Signaled { signal, core_dumped } => signaled(signal.number(), core_dumped),
        ChildStatus::Stopped(sig) => stopped(sig.number()),
        ChildStatus::Continued => continued(),
    }
}

fn put_rusage(ops: &mut dyn KernelOps, addr: u64, r: &WaitResult) -> KResult<()> {
    let mut ru = linux_abi::resource::Rusage::default();
    ru.ru_utime = linux_abi::time::Timeval::from_nanos(r.user_time_ns);
    ru.ru_stime = linux_abi::time::Timeval::from_nanos(r.system_time_ns);
    ops.copy_out(addr, &ru.to_bytes())
}

pub fn wait4(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let options = a[2] as u32;
    if options & !(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE | __WNOTHREAD) != 0 {
        return Err(Error::InvalidArgument);
    }
    let pid = a[0] as i32;
    let target = match pid {
        -1 => WaitTarget::Any,
        0 => WaitTarget::ProcessGroup(ops.process_group(0)?),
        p if p < -1 => WaitTarget::ProcessGroup(p.unsigned_abs()),
        p => WaitTarget::Pid(p as u32),
    };
    let opts = WaitOptions { no_hang: options & WNOHANG != 0, stopped: options & WUNTRACED != 0, continued: options & WCONTINUED != 0, exited: true, no_reap: false };
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
    if options & !(WNOHANG | WEXITED | WSTOPPED | WCONTINUED | WNOWAIT | __WALL | __WCLONE | __WNOTHREAD) != 0 || options & (WEXITED | WSTOPPED | WCONTINUED) == 0 {
        return Err(Error::InvalidArgument);
    }
    let target = match a[0] as u32 {
        P_ALL => WaitTarget::Any,
        P_PID => WaitTarget::Pid(a[1] as u32),
        P_PGID if a[1] == 0 => WaitTarget::ProcessGroup(ops.process_group(0)?),
        P_PGID => WaitTarget::ProcessGroup(a[1] as u32),
        _ => return Err(Error::InvalidArgument),
    };
    let opts = WaitOptions {
        no_hang: options & WNOHANG != 0,
        stopped: options & WSTOPPED != 0,
        continued: options & WCONTINUED != 0,
        exited: options & WEXITED != 0,
        no_reap: options & WNOWAIT != 0,
    };
    let result = ops.wait(target, opts)?;
    if a[2] != 0 {
        let info = match result {
            None => [0u8; 128],
            Some(r) => {
                use linux_abi::siginfo::*;
                let (code, status) = match r.status {
                    ChildStatus::Exited(c) => (CLD_EXITED, i32::from(c)),
                    ChildStatus::Signaled { signal, core_dumped } => (if core_dumped { CLD_DUMPED } else { CLD_KILLED }, signal.number() as i32),
                    ChildStatus::Stopped(s) => (CLD_STOPPED, s.number() as i32),
                    ChildStatus::Continued => (CLD_CONTINUED, Signal::CONT.number() as i32),
                };
                Siginfo::child(code, r.pid as i32, r.uid, status, (r.user_time_ns / 10_000_000) as i64, 0).to_bytes()
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

pub fn set_robust_list(_: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[1] != 24 {
        return Err(Error::InvalidArgument);
    }
    Ok(0)
}

pub fn arch_prctl(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    use linux_abi::arch_prctl::*;
    match a[0] as u32 {
        ARCH_SET_FS => ops.set_fs_base(a[1]).map(|_| 0),
        ARCH_GET_FS => {
            let v = ops.fs_base();
            crate::util::write_u64(ops, a[1], v).map(|_| 0)
        }
        code => {
            ops.log_unsupported(format_args!("linux: arch_prctl code {code:#x}"));
            Err(Error::InvalidArgument)
        }
    }
}

pub fn prctl(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    use linux_abi::prctl::*;
    match a[0] as u32 {
        PR_SET_NAME => {
            let mut name = [0u8; 16];
            // The name may sit at the end of a mapping: read what is there.
            let mut got = 0;
            while got < 16 && ops.copy_in(a[1].wrapping_add(got as u64), &mut name[got..got + 1]).is_ok() {
                if name[got] == 0 {
                    break;
                }
                got += 1;
            }
            if got == 0 && name[0] != 0 {
                return Err(Error::Fault);
            }
            ops.set_thread_name(&name[..got.min(15)]);
            let _ = a[1].checked_add(16).ok_or(Error::Fault)?;
            Ok(0)
        }
        PR_GET_NAME => {
            let n = ops.thread_name();
            ops.copy_out(a[1], &n).map(|_| 0)
        }
        PR_SET_PDEATHSIG | PR_SET_DUMPABLE | PR_SET_NO_NEW_PRIVS => Ok(0),
        PR_GET_DUMPABLE => Ok(1),
        PR_GET_NO_NEW_PRIVS => Ok(0),
        PR_GET_PDEATHSIG => write_u32(ops, a[1], 0).map(|_| 0),
        option => {
            ops.log_unsupported(format_args!("linux: prctl option {option}"));
            Err(Error::InvalidArgument)
        }
    }
}

pub fn getpriority(_: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[0] > 2 {
        return Err(Error::InvalidArgument);
    }
    Ok(20) // the kernel's encoding of nice 0 (20 - nice)
}

pub fn setpriority(_: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[0] > 2 {
        return Err(Error::InvalidArgument);
    }
    Ok(0)
}

pub fn sched_ok(_: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    Ok(0)
}

pub fn sched_getparam(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    write_u32(ops, a[1], 0).map(|_| 0)
}

pub fn sched_getscheduler(_: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    Ok(0) // SCHED_OTHER
}

pub fn sched_getaffinity(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[1] < 8 || a[1] % 8 != 0 {
        return Err(Error::InvalidArgument);
    }
    crate::util::write_u64(ops, a[2], 1)?;
    Ok(8)
}
