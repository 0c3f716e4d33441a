//! The clock arithmetic over wide ranges, and its agreement with the
//! system calls' own conversions and clock ids (`linux-abi`, which is
//! checked against the host's kernel headers).

use linux_abi::time::*;
use proptest::prelude::*;
use vdso_data::{
    ns_from_tsc, ns_per_tick_fp, realtime_ns, served_clock, split_ns, ServedClock, VvarData, FLAG_CLOCKS_USABLE,
};

/// TSC frequencies from 1 MHz to 10 GHz.
fn frequency() -> impl Strategy<Value = u64> {
    1_000_000u64..=10_000_000_000
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The kernel's formula, computed independently, in 128 bits.
    #[test]
    fn formula_matches(hz in frequency(), tsc in any::<u64>()) {
        let fp = ns_per_tick_fp(hz);
        prop_assert_eq!(u128::from(fp), (1_000_000_000u128 << 32) / u128::from(hz));
        let exact = (u128::from(tsc) * u128::from(fp)) >> 32;
        prop_assert_eq!(u128::from(ns_from_tsc(tsc, fp)), exact.min(u128::from(u64::MAX)));
    }

    #[test]
    fn monotonic_in_the_tsc(hz in frequency(), a in any::<u64>(), b in any::<u64>()) {
        let fp = ns_per_tick_fp(hz);
        let (lo, hi) = (a.min(b), a.max(b));
        prop_assert!(ns_from_tsc(lo, fp) <= ns_from_tsc(hi, fp));
        let offset = a ^ b;
        prop_assert!(realtime_ns(offset, ns_from_tsc(lo, fp)) <= realtime_ns(offset, ns_from_tsc(hi, fp)));
    }

    /// Over 500 years of uptime at any frequency nothing overflows and the
    /// fixed-point error stays below 10 µs per hour of uptime (at most
    /// hz / (1e9 * 2^32) relative, 2.3e-9 at 10 GHz).
    #[test]
    fn no_overflow_and_small_error_for_centuries(hz in frequency(), seconds in 0u64..500 * 366 * 86_400, frac in 0u64..1_000_000_000) {
        let tsc = u128::from(seconds) * u128::from(hz) + u128::from(frac) * u128::from(hz) / 1_000_000_000;
        let Ok(tsc) = u64::try_from(tsc) else { return Ok(()) }; // the TSC itself would have wrapped
        let got = ns_from_tsc(tsc, ns_per_tick_fp(hz));
        prop_assert!(got < u64::MAX, "saturated");
        let exact = u128::from(tsc) * 1_000_000_000 / u128::from(hz);
        let error = exact - u128::from(got); // the factor rounds down, so time runs slightly slow
        prop_assert!(error <= 1 + exact / 360_000_000, "error {} ns after {} ns", error, exact);
    }

    #[test]
    fn split_is_the_syscalls_timespec_and_timeval(ns in any::<u64>()) {
        let (sec, nsec) = split_ns(ns);
        let ts = Timespec::from_nanos(ns);
        prop_assert_eq!((sec as i64, nsec as i64), (ts.tv_sec, ts.tv_nsec));
        let tv = Timeval::from_nanos(ns);
        prop_assert_eq!((sec as i64, (nsec / 1000) as i64), (tv.tv_sec, tv.tv_usec));
    }

    #[test]
    fn snapshot_clocks(fp in any::<u64>(), offset in any::<u64>(), tsc in any::<u64>()) {
        let d = VvarData { seq: 2, flags: FLAG_CLOCKS_USABLE, ns_per_tick_fp: fp, realtime_offset_ns: offset, resolution_ns: 1 };
        let mono = ns_from_tsc(tsc, fp);
        prop_assert_eq!(d.clock_ns(ServedClock::Monotonic, tsc), mono);
        prop_assert_eq!(d.clock_ns(ServedClock::Realtime, tsc), offset.saturating_add(mono));
    }
}

/// Exactly the clocks whose system call reads the TSC are served; the rest
/// go to the kernel (personality-linux/src/sys/time.rs `clock`).
#[test]
fn served_clock_ids() {
    for id in [CLOCK_REALTIME, CLOCK_REALTIME_COARSE] {
        assert_eq!(served_clock(id), Some(ServedClock::Realtime), "{id}");
    }
    for id in [CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME] {
        assert_eq!(served_clock(id), Some(ServedClock::Monotonic), "{id}");
    }
    for id in [
        CLOCK_PROCESS_CPUTIME_ID,
        CLOCK_THREAD_CPUTIME_ID,
        CLOCK_REALTIME_ALARM,
        CLOCK_BOOTTIME_ALARM,
        CLOCK_SGI_CYCLE,
        CLOCK_TAI,
        12,
        -1,
        i32::MIN,
        i32::MAX,
    ] {
        assert_eq!(served_clock(id), None, "{id}");
    }
}
