//! Clocks, with FreeBSD's ids (sys/sys/_clock_id.h).

use kernel_ops::{Clock, Error, KResult, KernelOps};

fn clock(id: u64) -> KResult<Clock> {
    Ok(match id as i32 {
        // REALTIME, REALTIME_PRECISE, REALTIME_FAST, SECOND (whole seconds,
        // cut below).
        0 | 9 | 10 | 13 => Clock::Realtime,
        // MONOTONIC, MONOTONIC_PRECISE, MONOTONIC_FAST.
        4 | 11 | 12 => Clock::Monotonic,
        // UPTIME, UPTIME_PRECISE, UPTIME_FAST: time since boot, counting
        // suspension (there is none here).
        5 | 7 | 8 => Clock::Boottime,
        // VIRTUAL and PROF are the process's CPU time as FreeBSD counts it.
        1 | 2 | 15 => Clock::ProcessCpu,
        14 => Clock::ThreadCpu,
        _ => return Err(Error::InvalidArgument),
    })
}

/// clock_gettime(id, tp): a `struct timespec` of two 64-bit words.
pub fn clock_gettime(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let mut ns = ops.clock(clock(a[0])?)?;
    if a[0] as i32 == 13 {
        ns -= ns % 1_000_000_000; // CLOCK_SECOND
    }
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&(ns / 1_000_000_000).to_le_bytes());
    bytes[8..].copy_from_slice(&(ns % 1_000_000_000).to_le_bytes());
    ops.copy_out(a[1], &bytes).map(|_| 0)
}
