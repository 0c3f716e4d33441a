//! How the fake core implements `TimerOps` (POSIX timers and interval
//! timers).

use super::*;

impl TimerOps for FakeCore {
    fn set_interval_timer(&mut self, which: IntervalTimer, value_ns: u64, interval_ns: u64) -> (u64, u64) {
        let old = self.interval_timer(which);
        self.interval_timers.push((which, value_ns, interval_ns));
        old
    }
    fn interval_timer(&mut self, which: IntervalTimer) -> (u64, u64) {
        self.interval_timers.iter().rev().find(|t| t.0 == which).map_or((0, 0), |t| (t.1, t.2))
    }
    fn create_timer(&mut self, clock: Clock, notify: TimerNotify) -> KResult<u32> {
        unimplemented!("fake core: create_timer")
    }
    fn set_timer(&mut self, id: u32, value: u64, interval: u64, absolute: bool) -> KResult<(u64, u64)> {
        unimplemented!("fake core: set_timer")
    }
    fn get_timer(&mut self, id: u32) -> KResult<(u64, u64, u32)> {
        unimplemented!("fake core: get_timer")
    }
    fn delete_timer(&mut self, id: u32) -> KResult<()> {
        unimplemented!("fake core: delete_timer")
    }
}
