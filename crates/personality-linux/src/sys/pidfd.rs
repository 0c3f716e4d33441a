//! Process descriptors: pidfd_open and pidfd_send_signal.

use crate::util::optional_signal;
use kernel_ops::{Error, Fd, KResult, KernelOps};

/// PIDFD_NONBLOCK, which is O_NONBLOCK.
const PIDFD_NONBLOCK: u64 = 0o4000;
/// `si_code` of a signal sent by tkill/tgkill: a process may not forge it
/// (nor any code >= 0, the kernel's) for another process.
const SI_TKILL: i32 = -6;
/// Bytes of a `siginfo_t`.
const SIGINFO_SIZE: usize = 128;

pub fn pidfd_open(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let pid = a[0] as i32;
    if a[1] & !PIDFD_NONBLOCK != 0 || pid <= 0 {
        return Err(Error::InvalidArgument);
    }
    ops.open_process_handle(pid as u32, a[1] & PIDFD_NONBLOCK != 0).map(|fd| fd as u64)
}

/// PIDFD_SIGNAL_THREAD_GROUP: what a process's pidfd signals anyway.
const PIDFD_SIGNAL_THREAD_GROUP: u64 = 2;

pub fn pidfd_send_signal(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    // PIDFD_SIGNAL_THREAD and PIDFD_SIGNAL_PROCESS_GROUP (Linux 6.9) are
    // not supported: EINVAL, as a kernel before them says.
    if a[3] != 0 && a[3] != PIDFD_SIGNAL_THREAD_GROUP {
        return Err(Error::InvalidArgument);
    }
    let fd = a[0] as i32 as Fd;
    // The descriptor first (EBADF, ESRCH), as Linux checks it.
    let target = ops.signal_process_handle(fd, None)?;
    let mut queued_value = None;
    if a[2] != 0 {
        let mut info = [0u8; SIGINFO_SIZE];
        ops.copy_in(a[2], &mut info)?;
        let signo = i32::from_ne_bytes([info[0], info[1], info[2], info[3]]);
        let code = i32::from_ne_bytes([info[8], info[9], info[10], info[11]]);
        if i64::from(signo) != a[1] as i64 {
            return Err(Error::InvalidArgument);
        }
        if target != ops.pid() && (code >= 0 || code == SI_TKILL) {
            return Err(Error::NotPermitted);
        }
        queued_value = Some(u64::from_ne_bytes(info[24..32].try_into().unwrap_or([0; 8])));
    }
    let signal = optional_signal(a[1])?;
    match (signal, queued_value) {
        // With a siginfo: what rt_sigqueueinfo sends (its value reaches the
        // handler), to the process the descriptor names.
        (Some(s), Some(value)) => ops.queue_signal(target, s, value).map(|_| 0),
        _ => ops.signal_process_handle(fd, signal).map(|_| 0),
    }
}

/// pidfd_getfd(pidfd, targetfd, flags): a copy of another process's
/// descriptor, close-on-exec; flags must be 0.
pub fn pidfd_getfd(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[2] as u32 != 0 {
        return Err(Error::InvalidArgument);
    }
    ops.take_process_descriptor(a[0] as i32 as Fd, a[1] as i32 as Fd).map(|fd| fd as u64)
}
