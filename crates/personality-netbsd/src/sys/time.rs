//! Clocks and sleeping, with NetBSD's clock ids (sys/sys/time.h) and its
//! 16-byte `struct timespec` (time_t and long).

use kernel_ops::{Clock, Error, KResult, KernelOps};

/// CLOCK_THREAD_CPUTIME_ID and CLOCK_PROCESS_CPUTIME_ID (NetBSD 7 and
/// later; not in the 2015 header this was checked against).
const CLOCK_THREAD_CPUTIME_ID: i32 = 0x2000_0000;
const CLOCK_PROCESS_CPUTIME_ID: i32 = 0x4000_0000;

pub fn clock(id: u64) -> KResult<Clock> {
    Ok(match id as i32 {
        0 => Clock::Realtime,
        3 => Clock::Monotonic,
        // VIRTUAL (user time) and PROF (user and system) are the
        // process's CPU time as the core counts it.
        1 | 2 | CLOCK_PROCESS_CPUTIME_ID => Clock::ProcessCpu,
        CLOCK_THREAD_CPUTIME_ID => Clock::ThreadCpu,
        _ => return Err(Error::InvalidArgument),
    })
}

const NANOS: u64 = 1_000_000_000;

pub fn write_timespec(ops: &mut dyn KernelOps, at: u64, ns: u64) -> KResult<()> {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&(ns / NANOS).to_le_bytes());
    bytes[8..].copy_from_slice(&(ns % NANOS).to_le_bytes());
    ops.copy_out(at, &bytes)
}

/// A `struct timespec` as nanoseconds: EINVAL for a negative time or
/// nanoseconds outside 0..1e9 (itimespecfix).
pub fn read_timespec(ops: &mut dyn KernelOps, at: u64) -> KResult<u64> {
    let mut b = [0u8; 16];
    ops.copy_in(at, &mut b)?;
    let sec = i64::from_le_bytes(b[..8].try_into().unwrap_or([0; 8]));
    let nsec = i64::from_le_bytes(b[8..].try_into().unwrap_or([0; 8]));
    if sec < 0 || !(0..NANOS as i64).contains(&nsec) {
        return Err(Error::InvalidArgument);
    }
    Ok((sec as u64).saturating_mul(NANOS).saturating_add(nsec as u64))
}

/// __clock_gettime50(id, tp).
pub fn clock_gettime(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let ns = ops.clock(clock(a[0])?)?;
    write_timespec(ops, a[1], ns).map(|_| 0)
}

/// __clock_getres50(id, tp): the clock's resolution; a null `tp` only
/// checks the id.
pub fn clock_getres(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let res = ops.clock_resolution(clock(a[0])?);
    if a[1] != 0 {
        write_timespec(ops, a[1], res)?;
    }
    Ok(0)
}

/// __nanosleep50(rqtp, rmtp): on the monotonic clock; interrupted, it is
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

/// __gettimeofday50(tp, tzp): the real-time clock as a `struct timeval`
/// (time_t, then suseconds_t, an int, padded to 16 bytes); the
/// `struct timezone` (two ints) is UTC without DST.
pub fn gettimeofday(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[0] != 0 {
        let ns = ops.clock(Clock::Realtime)?;
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&(ns / NANOS).to_le_bytes());
        b[8..12].copy_from_slice(&((ns % NANOS / 1000) as u32).to_le_bytes());
        ops.copy_out(a[0], &b)?;
    }
    if a[1] != 0 {
        ops.copy_out(a[1], &[0u8; 8])?;
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn netbsd_clock_ids() {
        use kernel_ops::Clock;
        assert_eq!(super::clock(0), Ok(Clock::Realtime));
        assert_eq!(super::clock(3), Ok(Clock::Monotonic));
        assert!(super::clock(4).is_err(), "4 is FreeBSD's CLOCK_MONOTONIC, not NetBSD's");
    }
}
