//! getpriority and setpriority: nice values of processes, process groups
//! and users.

use kernel_ops::{Error, KResult, KernelOps, PriorityTarget};
use linux_abi::resource::{PRIO_MAX, PRIO_MIN, PRIO_PGRP, PRIO_PROCESS, PRIO_USER};

/// The processes `which` and `who` name (who 0: the caller's own).
fn target(which: u64, who: u64) -> KResult<PriorityTarget> {
    let who = who as u32;
    match which as i32 {
        PRIO_PROCESS => Ok(PriorityTarget::Process(who)),
        PRIO_PGRP => Ok(PriorityTarget::ProcessGroup(who)),
        PRIO_USER => Ok(PriorityTarget::User(who)),
        _ => Err(Error::InvalidArgument),
    }
}

/// The raw system call returns `20 - nice` (1..=40) so that a success is
/// never negative; the C library turns it back into a nice value.
pub fn getpriority(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let nice = ops.nice(target(a[0], a[1])?)?;
    Ok((PRIO_MAX - nice) as u64)
}

/// Values outside -20..=19 are clamped, as Linux does.
pub fn setpriority(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let which = target(a[0], a[1])?;
    let nice = (a[2] as i32).clamp(PRIO_MIN, PRIO_MAX - 1);
    ops.set_nice(which, nice).map(|_| 0)
}
