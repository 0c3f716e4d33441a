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

/// FreeBSD numbers threads from 100000 up, apart from process ids; a
/// thread's id here is its core id moved into that range, so that no
/// thread id is also a process id, as programs may assume.
pub const THREAD_ID_BASE: u64 = 100_000;

/// The core's id of the thread FreeBSD calls `id` (None: no thread of
/// ours has that id).
pub fn core_thread_id(id: u64) -> Option<u32> {
    id.checked_sub(THREAD_ID_BASE).and_then(|t| u32::try_from(t).ok())
}

/// thr_self(long *id).
pub fn thr_self(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let id = THREAD_ID_BASE + u64::from(ops.tid());
    ops.copy_out(a[0], &id.to_le_bytes()).map(|_| 0)
}
