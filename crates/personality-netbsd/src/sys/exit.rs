//! exit(2) (sys/kern/kern_exit.c `sys_exit`): the whole process ends;
//! an LWP alone ends with _lwp_exit.

use kernel_ops::{KResult, KernelOps};

/// exit(status): the low 8 bits are the exit code.
pub fn exit(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.exit(a[0] as u8, true);
    Ok(0)
}
