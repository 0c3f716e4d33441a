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
    // Timer ids are 1.. in creation order; a deleted id is reused.
    fn create_timer(&mut self, clock: Clock, notify: TimerNotify) -> KResult<u32> {
        let timers = &mut self.proc_state.timers;
        let at = timers.iter().position(Option::is_none).unwrap_or(timers.len());
        if at == timers.len() {
            timers.push(None);
        }
        timers[at] = Some((clock, notify));
        Ok(at as u32 + 1)
    }
    // Answers the setting before (from `timer_sets`) and records this one.
    fn set_timer(&mut self, id: u32, value: u64, interval: u64, absolute: bool) -> KResult<(u64, u64)> {
        let (old_v, old_i, _) = self.get_timer(id)?;
        self.proc_state.timer_sets.push((id, value, interval, absolute));
        Ok((old_v, old_i))
    }
    // The last setting, with an overrun count of 3 once set.
    fn get_timer(&mut self, id: u32) -> KResult<(u64, u64, u32)> {
        let live = id.checked_sub(1).and_then(|i| self.proc_state.timers.get(i as usize)).is_some_and(Option::is_some);
        if !live {
            return Err(Error::InvalidArgument);
        }
        Ok(self.proc_state.timer_sets.iter().rev().find(|s| s.0 == id).map_or((0, 0, 0), |s| (s.1, s.2, 3)))
    }
    fn delete_timer(&mut self, id: u32) -> KResult<()> {
        self.get_timer(id)?;
        self.proc_state.timers[id as usize - 1] = None;
        self.proc_state.timer_sets.retain(|s| s.0 != id);
        Ok(())
    }
}
