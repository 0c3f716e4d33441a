//! prctl(2): per-process and per-thread settings.
//!
//! Options that only record a choice (dumpable, no_new_privs, child
//! subreaper, timer slack) are kept by the core as `TaskSetting`s so that
//! the matching GET returns what was set; the parent-death signal is
//! delivered by the core when the creating thread ends. Options for other
//! architectures and for features this kernel lacks fail as they fail on
//! an x86_64 Linux built without them.

use crate::util::write_u32;
use kernel_ops::{Error, KResult, KernelOps, Signal, TaskSetting};
use linux_abi::prctl::*;

/// Linux's default timer slack for a thread (50 µs).
pub const DEFAULT_TIMER_SLACK_NS: u64 = 50_000;

pub fn prctl(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    match a[0] as u32 {
        PR_SET_NAME => set_name(ops, a[1]),
        PR_GET_NAME => {
            let n = ops.thread_name();
            ops.copy_out(a[1], &n).map(|_| 0)
        }
        PR_SET_PDEATHSIG => {
            // 0 clears; anything else must be a valid signal.
            if a[1] != 0 && (a[1] > u64::from(Signal::MAX)) {
                return Err(Error::InvalidArgument);
            }
            ops.set_task_setting(TaskSetting::ParentDeathSignal, a[1]).map(|_| 0)
        }
        PR_GET_PDEATHSIG => {
            let sig = ops.task_setting(TaskSetting::ParentDeathSignal);
            write_u32(ops, a[1], sig as u32).map(|_| 0)
        }
        PR_GET_DUMPABLE => Ok(ops.task_setting(TaskSetting::Dumpable)),
        PR_SET_DUMPABLE => {
            // SUID_DUMP_ROOT (2) may only be set by the kernel itself.
            if a[1] > SUID_DUMP_USER {
                return Err(Error::InvalidArgument);
            }
            ops.set_task_setting(TaskSetting::Dumpable, a[1]).map(|_| 0)
        }
        PR_SET_NO_NEW_PRIVS => {
            if a[1] != 1 || a[2] != 0 || a[3] != 0 || a[4] != 0 {
                return Err(Error::InvalidArgument);
            }
            ops.set_task_setting(TaskSetting::NoNewPrivileges, 1).map(|_| 0)
        }
        PR_GET_NO_NEW_PRIVS => {
            if a[1] != 0 || a[2] != 0 || a[3] != 0 || a[4] != 0 {
                return Err(Error::InvalidArgument);
            }
            Ok(ops.task_setting(TaskSetting::NoNewPrivileges))
        }
        // No seccomp filters exist: every process is in mode 0 (disabled).
        PR_GET_SECCOMP => Ok(0),
        PR_SET_CHILD_SUBREAPER => ops.set_task_setting(TaskSetting::ChildSubreaper, u64::from(a[1] != 0)).map(|_| 0),
        PR_GET_CHILD_SUBREAPER => {
            let v = ops.task_setting(TaskSetting::ChildSubreaper);
            write_u32(ops, a[1], v as u32).map(|_| 0)
        }
        PR_CAPBSET_READ => super::capability::bounding_set_read(ops, a[1]),
        PR_CAPBSET_DROP => super::capability::bounding_set_drop(ops, a[1]),
        PR_GET_KEEPCAPS => Ok(super::capability::keep_caps(ops)),
        PR_SET_KEEPCAPS => super::capability::set_keep_caps(ops, a[1]),
        PR_CAP_AMBIENT => super::capability::ambient(ops, a),
        PR_SET_TIMERSLACK => {
            // 0 restores the default.
            let ns = if a[1] == 0 { DEFAULT_TIMER_SLACK_NS } else { a[1] };
            ops.set_task_setting(TaskSetting::TimerSlack, ns).map(|_| 0)
        }
        PR_GET_TIMERSLACK => Ok(ops.task_setting(TaskSetting::TimerSlack)),
        // As Linux without CONFIG_ANON_VMA_NAME: naming mappings is not built in.
        PR_SET_VMA => Err(Error::InvalidArgument),
        // Changing the kernel's record of the memory layout needs
        // CAP_SYS_RESOURCE and checkpoint/restore support: refused.
        PR_SET_MM => Err(Error::NotPermitted),
        option => {
            ops.log_unsupported(format_args!("linux: prctl option {option}"));
            Err(Error::InvalidArgument)
        }
    }
}

/// PR_SET_NAME: up to 15 bytes, silently truncated. The name may sit at the
/// end of a mapping, so it is read a byte at a time up to its NUL.
fn set_name(ops: &mut dyn KernelOps, addr: u64) -> KResult<u64> {
    let mut name = [0u8; TASK_COMM_LEN];
    let mut got = 0;
    while got < TASK_COMM_LEN - 1 {
        if ops.copy_in(addr.wrapping_add(got as u64), &mut name[got..got + 1]).is_err() {
            if got == 0 {
                return Err(Error::Fault);
            }
            break;
        }
        if name[got] == 0 {
            break;
        }
        got += 1;
    }
    ops.set_thread_name(&name[..got]);
    Ok(0)
}
