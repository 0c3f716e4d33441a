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

const NANOS: u64 = 1_000_000_000;

fn write_timespec(ops: &mut dyn KernelOps, at: u64, ns: u64) -> KResult<()> {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&(ns / NANOS).to_le_bytes());
    bytes[8..].copy_from_slice(&(ns % NANOS).to_le_bytes());
    ops.copy_out(at, &bytes)
}

/// A `struct timespec` as nanoseconds: EINVAL for a negative time or
/// nanoseconds outside 0..1e9.
pub(crate) fn read_timespec(ops: &mut dyn KernelOps, at: u64) -> KResult<u64> {
    let mut b = [0u8; 16];
    ops.copy_in(at, &mut b)?;
    let sec = i64::from_le_bytes(b[..8].try_into().unwrap_or([0; 8]));
    let nsec = i64::from_le_bytes(b[8..].try_into().unwrap_or([0; 8]));
    if sec < 0 || !(0..NANOS as i64).contains(&nsec) {
        return Err(Error::InvalidArgument);
    }
    Ok((sec as u64).saturating_mul(NANOS).saturating_add(nsec as u64))
}

/// clock_gettime(id, tp): a `struct timespec` of two 64-bit words.
pub fn clock_gettime(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let mut ns = ops.clock(clock(a[0])?)?;
    if a[0] as i32 == 13 {
        ns -= ns % NANOS; // CLOCK_SECOND
    }
    write_timespec(ops, a[1], ns).map(|_| 0)
}

/// nanosleep(rqtp, rmtp): on the monotonic clock; interrupted, it is
/// EINTR with the time left in `rmtp`.
pub fn nanosleep(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let ns = read_timespec(ops, a[0])?;
    let deadline = ops.clock(Clock::Monotonic)?.saturating_add(ns);
    match ops.sleep_until(Clock::Monotonic, deadline) {
        Ok(()) => Ok(0),
        Err(Error::Restart) => {
            if a[1] != 0 {
                let now = ops.clock(Clock::Monotonic)?;
                write_timespec(ops, a[1], deadline.saturating_sub(now))?;
            }
            Err(Error::Interrupted)
        }
        Err(e) => Err(e),
    }
}

/// gettimeofday(tp, tzp): the real-time clock as a `struct timeval`;
/// the `struct timezone` (two ints) is always UTC without DST.
pub fn gettimeofday(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[0] != 0 {
        let ns = ops.clock(Clock::Realtime)?;
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&(ns / NANOS).to_le_bytes());
        b[8..].copy_from_slice(&(ns % NANOS / 1000).to_le_bytes());
        ops.copy_out(a[0], &b)?;
    }
    if a[1] != 0 {
        ops.copy_out(a[1], &[0u8; 8])?;
    }
    Ok(0)
}
