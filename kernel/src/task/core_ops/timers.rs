//! How the kernel core implements `TimerOps` (POSIX timers and interval
//! timers).

use super::*;

impl TimerOps for CoreOps<'_> {
    fn create_timer(&mut self, clock: Clock, notify: TimerNotify) -> KResult<u32> {
        let mut timers = self.process.timers.lock();
        let t = crate::task::process::PosixTimer {
            clock,
            notify,
            deadline: 0,
            interval: 0,
            overrun: 0,
            overrun_last: 0,
            cpu_thread: self.thread.tid,
        };
        let id = match timers.iter().position(Option::is_none) {
            Some(i) => {
                timers[i] = Some(t);
                i
            }
            None if timers.len() < 4096 => {
                timers.push(Some(t));
                timers.len() - 1
            }
            None => return Err(Error::WouldBlock),
        };
        Ok(id as u32)
    }

    fn set_timer(&mut self, id: u32, value: u64, interval: u64, absolute: bool) -> KResult<(u64, u64)> {
        let timer = self.process.timers.lock().get(id as usize).copied().flatten().ok_or(Error::InvalidArgument)?;
        let now = self.posix_timer_clock(&timer);
        let old = {
            let mut timers = self.process.timers.lock();
            let t = timers.get_mut(id as usize).and_then(Option::as_mut).ok_or(Error::InvalidArgument)?;
            let old = (remaining(t.deadline, now), t.interval);
            t.deadline = match (value, absolute) {
                (0, _) => 0,
                (v, true) if t.on_cpu_clock() => v.max(1),
                (v, true) => self.monotonic_deadline(t.clock, v).max(1),
                (v, false) => now.saturating_add(v),
            };
            t.interval = interval;
            t.overrun = 0;
            t.overrun_last = 0;
            old
        };
        if value != 0 {
            if timer.on_cpu_clock() {
                crate::task::cpu_timers::posix_timer_armed(self.process);
            } else {
                signal::arm_alarm(self.process);
            }
        }
        Ok(old)
    }

    fn get_timer(&mut self, id: u32) -> KResult<(u64, u64, u32)> {
        let timer = self.process.timers.lock().get(id as usize).copied().flatten().ok_or(Error::InvalidArgument)?;
        let now = self.posix_timer_clock(&timer);
        let timers = self.process.timers.lock();
        let t = timers.get(id as usize).and_then(Option::as_ref).ok_or(Error::InvalidArgument)?;
        Ok((remaining(t.deadline, now), t.interval, t.overrun_last))
    }

    fn delete_timer(&mut self, id: u32) -> KResult<()> {
        let mut timers = self.process.timers.lock();
        let slot = timers.get_mut(id as usize).ok_or(Error::InvalidArgument)?;
        slot.take().map(|_| ()).ok_or(Error::InvalidArgument)
    }

    fn set_interval_timer(&mut self, which: IntervalTimer, value_ns: u64, interval_ns: u64) -> (u64, u64) {
        if which != IntervalTimer::Real {
            return crate::task::cpu_timers::set(self.process, self.thread, which, value_ns, interval_ns);
        }
        let now = crate::time::now_ns();
        let mut a = self.process.alarm.lock();
        let old = (remaining(a.0, now), a.1);
        *a = (if value_ns == 0 { 0 } else { now.saturating_add(value_ns) }, interval_ns);
        drop(a);
        if value_ns != 0 {
            signal::arm_alarm(self.process);
        }
        old
    }

    fn interval_timer(&mut self, which: IntervalTimer) -> (u64, u64) {
        if which != IntervalTimer::Real {
            return crate::task::cpu_timers::get(self.process, self.thread, which);
        }
        let now = crate::time::now_ns();
        let a = *self.process.alarm.lock();
        (remaining(a.0, now), a.1)
    }
}

impl CoreOps<'_> {
    /// What a POSIX timer's clock reads now: monotonic time, or the CPU
    /// time of the process or of the timer's thread.
    fn posix_timer_clock(&self, t: &crate::task::process::PosixTimer) -> u64 {
        match t.clock {
            Clock::ProcessCpu | Clock::ThreadCpu => self.cpu_clock_now(t.clock, t.cpu_thread),
            _ => crate::time::now_ns(),
        }
    }
}

/// Time left until a timer's `deadline` (0: disarmed, and one that is due
/// but not yet fired still reads as armed, 1 ns).
fn remaining(deadline: u64, now: u64) -> u64 {
    if deadline == 0 {
        0
    } else {
        deadline.saturating_sub(now).max(1)
    }
}
