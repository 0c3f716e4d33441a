//! The monotonic clock and the periodic timer.

use super::TestResult;
use crate::check;
use crate::time;

pub fn monotonic_clock() -> TestResult {
    check!(time::tsc_frequency() > 1_000_000, "TSC frequency {} Hz is implausible", time::tsc_frequency());
    let mut last = time::now_ns();
    for _ in 0..10_000 {
        let now = time::now_ns();
        check!(now >= last, "clock went backwards: {last} -> {now}");
        last = now;
    }
    Ok(())
}

pub fn timer_interrupts_arrive() -> TestResult {
    let start = time::ticks();
    let deadline = time::now_ns() + 2_000_000_000;
    while time::ticks() < start + 3 {
        check!(time::now_ns() < deadline, "fewer than 3 timer ticks in 2 s of clock time");
        crate::arch::cpu::wait_for_interrupt();
    }
    Ok(())
}
