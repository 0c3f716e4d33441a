//! POSIX timers and interval timers: one part of the core's surface,
//! [`crate::KernelOps`].

use crate::{Clock, IntervalTimer, KResult, TimerNotify};

/// Timers that signal the process: POSIX timers (timer_create) and the
/// interval timers (setitimer).
pub trait TimerOps {
    /// POSIX timers (timer_create and friends). Times are ns; `set_timer`
    /// returns the previous (remaining, interval); a deadline is on `clock`
    /// when `absolute`, else relative.
    fn create_timer(&mut self, clock: Clock, notify: TimerNotify) -> KResult<u32>;
    fn set_timer(&mut self, id: u32, value: u64, interval: u64, absolute: bool) -> KResult<(u64, u64)>;
    fn get_timer(&mut self, id: u32) -> KResult<(u64, u64, u32)>;
    fn delete_timer(&mut self, id: u32) -> KResult<()>;
    /// Arms (value > 0) or disarms an interval timer of the process: it
    /// fires after `value_ns` of its clock, then every `interval_ns` (0:
    /// once). Returns the old (time left, interval) in ns.
    fn set_interval_timer(&mut self, which: IntervalTimer, value_ns: u64, interval_ns: u64) -> (u64, u64);
    /// (time left, interval) of an interval timer; (0, 0) when disarmed.
    fn interval_timer(&mut self, which: IntervalTimer) -> (u64, u64);
}
