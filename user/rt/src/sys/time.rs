//! Time and the scheduler. These calls cannot fail.

use super::Syscall;
use crate::syscall::{syscall0, syscall1};

/// Nanoseconds since boot (monotonic).
pub fn clock_ns() -> u64 {
    syscall0(Syscall::ClockNs.nr())
}

/// Lets other runnable threads run (the `yield` call).
pub fn yield_now() {
    syscall0(Syscall::Yield.nr());
}

/// Sleeps for at least `ns` nanoseconds.
pub fn sleep(ns: u64) {
    syscall1(Syscall::Sleep.nr(), ns);
}
