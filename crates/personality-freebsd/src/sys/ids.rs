use kernel_ops::{KResult, KernelOps};

pub fn getpid(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    Ok(u64::from(ops.pid()))
}

pub fn getppid(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    Ok(u64::from(ops.parent_pid()))
}

pub fn getuid(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    Ok(u64::from(ops.credentials().uid))
}

pub fn geteuid(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    Ok(u64::from(ops.credentials().euid))
}

pub fn getgid(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    Ok(u64::from(ops.credentials().gid))
}

pub fn getegid(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    Ok(u64::from(ops.credentials().egid))
}

/// Whether the process runs with ids it was not started with (libc then
/// distrusts the environment): real and effective ids differ.
pub fn issetugid(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    let c = ops.credentials();
    Ok(u64::from(c.uid != c.euid || c.gid != c.egid))
}
