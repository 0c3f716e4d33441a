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

pub fn set_tsc_frequency(hz: u64) {
    TSC_HZ.store(hz, Ordering::Relaxed);
    NS_PER_TICK_FP.store(((1_000_000_000u128 << 32) / u128::from(hz.max(1))) as u64, Ordering::Release);
}

pub fn tsc_frequency() -> u64 {
    TSC_HZ.load(Ordering::Relaxed)
}

/// Converts a TSC reading to nanoseconds since machine start (the TSC starts
/// at zero when the machine does).
pub fn tsc_to_ns(tsc: u64) -> u64 {
    let fp = NS_PER_TICK_FP.load(Ordering::Acquire);
    ((u128::from(tsc) * u128::from(fp)) >> 32) as u64
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
}

/// Nanoseconds since the Unix epoch.
pub fn realtime_ns() -> u64 {
    REALTIME_OFFSET.load(Ordering::Acquire) + now_ns()
}
