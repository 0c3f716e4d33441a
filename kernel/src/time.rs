//! The monotonic clock (nanoseconds since boot, from the TSC) and the tick
//! count kept by the periodic timer interrupt.

use crate::arch::cpu::rdtsc;
use core::sync::atomic::{AtomicU64, Ordering};

static TSC_HZ: AtomicU64 = AtomicU64::new(0);
/// Nanoseconds per TSC tick as a 32.32 fixed-point factor.
static NS_PER_TICK_FP: AtomicU64 = AtomicU64::new(0);
static TICKS: AtomicU64 = AtomicU64::new(0);
/// Wall-clock time at monotonic zero, in ns since the Unix epoch.
static REALTIME_OFFSET: AtomicU64 = AtomicU64::new(0);

/// Timer interrupt frequency.
pub const TIMER_HZ: u64 = 100;
/// What `clock_getres` reports for every clock (the TSC is finer, but a
/// nanosecond is what a timespec can say).
pub const CLOCK_RESOLUTION_NS: u64 = 1;

// The arithmetic lives in crates/vdso-data because the Linux vDSO computes
// the same clocks from the same numbers (mm/vdso.rs publishes them): both
// must agree to the nanosecond, or a program would see time go backwards.

pub fn set_tsc_frequency(hz: u64) {
    TSC_HZ.store(hz, Ordering::Relaxed);
    NS_PER_TICK_FP.store(vdso_data::ns_per_tick_fp(hz), Ordering::Release);
    crate::mm::vdso::publish_clock();
}

pub fn tsc_frequency() -> u64 {
    TSC_HZ.load(Ordering::Relaxed)
}

/// Converts a TSC reading to nanoseconds since machine start (the TSC starts
/// at zero when the machine does).
pub fn tsc_to_ns(tsc: u64) -> u64 {
    vdso_data::ns_from_tsc(tsc, NS_PER_TICK_FP.load(Ordering::Acquire))
}

/// Monotonic nanoseconds since the machine started; 0 before calibration.
pub fn now_ns() -> u64 {
    tsc_to_ns(rdtsc())
}

pub fn on_timer_tick() {
    TICKS.fetch_add(1, Ordering::Relaxed);
}

#[cfg_attr(not(feature = "ktest"), allow(dead_code))] // used by the in-kernel tests
pub fn ticks() -> u64 {
    TICKS.load(Ordering::Relaxed)
}

/// Sets the wall clock from a reading taken now.
pub fn set_realtime(ns_since_epoch: u64) {
    REALTIME_OFFSET.store(ns_since_epoch.saturating_sub(now_ns()), Ordering::Release);
    crate::mm::vdso::publish_clock();
}

/// Nanoseconds since the Unix epoch.
pub fn realtime_ns() -> u64 {
    vdso_data::realtime_ns(REALTIME_OFFSET.load(Ordering::Acquire), now_ns())
}

/// (nanoseconds per tick as 32.32 fixed point, wall-clock offset in ns):
/// what the vDSO needs to compute the clocks above.
pub fn clock_parameters() -> (u64, u64) {
    (NS_PER_TICK_FP.load(Ordering::Acquire), REALTIME_OFFSET.load(Ordering::Acquire))
}
