//! membarrier(2): memory barriers on every thread of the process (or of
//! the machine).
//!
//! On one CPU a barrier on the other threads is already done: a thread on
//! the same CPU can only run after a context switch, which orders memory
//! (every switch goes through the kernel's locks, which are full barriers
//! on x86). So the barrier commands only check their preconditions. With
//! SMP, the expedited commands will need an IPI to every CPU running a
//! thread of the process (Linux's `smp_call_function_many`), and the
//! SYNC_CORE ones a serializing instruction there.
//!
//! The RSEQ commands are not offered: there is no rseq (see the table).

use kernel_ops::{Error, KResult, KernelOps, TaskSetting};
use linux_abi::membarrier::*;

/// What MEMBARRIER_CMD_QUERY reports (Linux 6.1 on x86_64, without rseq).
pub const SUPPORTED: u32 = MEMBARRIER_CMD_GLOBAL
    | MEMBARRIER_CMD_GLOBAL_EXPEDITED
    | MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED
    | MEMBARRIER_CMD_PRIVATE_EXPEDITED
    | MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED
    | MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE
    | MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE;

pub fn membarrier(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (cmd, flags) = (a[0] as u32, a[1] as u32);
    if flags != 0 {
        return Err(Error::InvalidArgument);
    }
    let registered = ops.task_setting(TaskSetting::MembarrierRegistrations) as u32;
    let register = |ops: &mut dyn KernelOps, bit: u32| {
        ops.set_task_setting(TaskSetting::MembarrierRegistrations, u64::from(registered | bit)).map(|_| 0)
    };
    match cmd {
        MEMBARRIER_CMD_QUERY => Ok(u64::from(SUPPORTED)),
        // Nothing to wait for on one CPU (see above).
        MEMBARRIER_CMD_GLOBAL | MEMBARRIER_CMD_GLOBAL_EXPEDITED => Ok(0),
        MEMBARRIER_CMD_PRIVATE_EXPEDITED if registered & MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED != 0 => Ok(0),
        MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE
            if registered & MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE != 0 =>
        {
            Ok(0)
        }
        // Expedited private barriers need the process to have registered.
        MEMBARRIER_CMD_PRIVATE_EXPEDITED | MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE => Err(Error::NotPermitted),
        MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED
        | MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED
        | MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE => register(ops, cmd),
        _ => Err(Error::InvalidArgument),
    }
}
