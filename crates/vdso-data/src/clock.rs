//! Time from the TSC: the arithmetic the kernel's clocks and the vDSO share.
//!
//! The kernel's monotonic clock is the TSC (which starts at zero with the
//! machine) scaled by a 32.32 fixed-point factor of nanoseconds per tick;
//! wall-clock time is a fixed offset added to it. Coarse, raw and boot-time
//! clocks are the same readings today (one CPU, no suspend, no NTP slewing).

/// Nanoseconds per second.
pub const NS_PER_SEC: u64 = 1_000_000_000;

/// The 32.32 fixed-point factor of nanoseconds per tick for a TSC running
/// at `tsc_hz` (a frequency of 0 counts as 1 Hz rather than dividing by 0).
pub fn ns_per_tick_fp(tsc_hz: u64) -> u64 {
    let fp = (u128::from(NS_PER_SEC) << 32) / u128::from(tsc_hz.max(1));
    u64::try_from(fp).unwrap_or(u64::MAX)
}

/// Nanoseconds since machine start at TSC reading `tsc`: `tsc * fp >> 32`,
/// in 128 bits so the product cannot overflow; a result beyond `u64` (some
/// centuries of uptime) saturates rather than wrapping, so the clock never
/// runs backwards.
#[inline]
pub fn ns_from_tsc(tsc: u64, ns_per_tick_fp: u64) -> u64 {
    let ns = (u128::from(tsc) * u128::from(ns_per_tick_fp)) >> 32;
    if ns > u128::from(u64::MAX) {
        u64::MAX
    } else {
        ns as u64
    }
}

/// Wall-clock nanoseconds from the offset at TSC zero and a monotonic reading.
#[inline]
pub fn realtime_ns(offset_ns: u64, monotonic_ns: u64) -> u64 {
    offset_ns.saturating_add(monotonic_ns)
}

/// `(seconds, nanoseconds)` of a count of nanoseconds, as `struct timespec`
/// holds it.
#[inline]
pub fn split_ns(ns: u64) -> (u64, u64) {
    (ns / NS_PER_SEC, ns % NS_PER_SEC)
}

/// The two readings every clock the vDSO serves is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServedClock {
    Realtime,
    Monotonic,
}

/// Which reading Linux clock id `id` is, if the vDSO serves it; `None`
/// means "make the system call" (CPU-time clocks, the alarm clocks and TAI,
/// which the kernel handles, and invalid ids, for which it says EINVAL).
/// The mapping is the one `personality-linux/src/sys/time.rs` uses.
#[inline]
pub fn served_clock(id: i32) -> Option<ServedClock> {
    match id {
        // CLOCK_REALTIME, CLOCK_REALTIME_COARSE
        0 | 5 => Some(ServedClock::Realtime),
        // CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME
        1 | 4 | 6 | 7 => Some(ServedClock::Monotonic),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_gigahertz_is_one_nanosecond_per_tick() {
        let fp = ns_per_tick_fp(1_000_000_000);
        assert_eq!(fp, 1 << 32);
        assert_eq!(ns_from_tsc(12_345, fp), 12_345);
    }

    #[test]
    fn formula_is_the_kernels() {
        // kernel/src/time.rs before this crate existed, verbatim.
        let hz = 2_893_123_456u64;
        let fp = ((1_000_000_000u128 << 32) / u128::from(hz)) as u64;
        assert_eq!(ns_per_tick_fp(hz), fp);
        for tsc in [0u64, 1, 2_893_123_456, 1 << 40, 1 << 55] {
            assert_eq!(ns_from_tsc(tsc, fp), ((u128::from(tsc) * u128::from(fp)) >> 32) as u64);
        }
    }

    #[test]
    fn extremes_saturate() {
        assert_eq!(ns_per_tick_fp(0), ns_per_tick_fp(1));
        assert_eq!(ns_per_tick_fp(1), 1_000_000_000 << 32);
        assert_eq!(ns_from_tsc(u64::MAX, u64::MAX), u64::MAX);
        assert_eq!(ns_from_tsc(u64::MAX, 1 << 32), u64::MAX);
        assert_eq!(realtime_ns(u64::MAX, 5), u64::MAX);
    }

    #[test]
    fn split() {
        assert_eq!(split_ns(0), (0, 0));
        assert_eq!(split_ns(1_999_999_999), (1, 999_999_999));
        assert_eq!(split_ns(u64::MAX), (18_446_744_073, 709_551_615));
    }
}
