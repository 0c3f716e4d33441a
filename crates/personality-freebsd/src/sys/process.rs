use kernel_ops::{KResult, KernelOps};

/// exit(status): the whole process ends (FreeBSD's threads end with
/// thr_exit).
pub fn exit(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.exit(a[0] as u8, true);
    Ok(0)
}
