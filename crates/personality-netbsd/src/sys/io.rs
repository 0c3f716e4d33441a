//! Reading and writing a descriptor, and closing it.

use super::fd;
use kernel_ops::{KResult, KernelOps};

/// The largest read or write: NetBSD refuses more than SSIZE_MAX; the
/// core moves at most this much per call either way.
const MAX_RW: u64 = 0x7fff_f000;

pub fn read(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    Ok(ops.read(fd(a[0]), a[1], a[2].min(MAX_RW) as usize)? as u64)
}

pub fn write(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    Ok(ops.write(fd(a[0]), a[1], a[2].min(MAX_RW) as usize)? as u64)
}

pub fn close(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.close(fd(a[0])).map(|_| 0)
}
