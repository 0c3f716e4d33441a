//! How the kernel core implements `TimeOps` (clocks and sleeping).

use super::*;

/// What adjtimex set (kept and reported; the clock is not slewed by it).
static CLOCK_DISCIPLINE: SpinLock<ClockDiscipline> = SpinLock::new(ClockDiscipline::UNSYNCHRONISED);

impl TimeOps for CoreOps<'_> {
    fn clock(&mut self, clock: Clock) -> KResult<u64> {
        Ok(match clock {
            Clock::Realtime => crate::time::realtime_ns(),
            Clock::Monotonic | Clock::Boottime => crate::time::now_ns(),
            Clock::ProcessCpu | Clock::ThreadCpu => self.cpu_clock_now(clock, self.thread.tid),
        })
    }

    fn clock_resolution(&self, _clock: Clock) -> u64 {
        crate::time::CLOCK_RESOLUTION_NS
    }

    fn sleep_until(&mut self, clock: Clock, deadline: u64) -> KResult<()> {
        let deadline = self.monotonic_deadline(clock, deadline);
        crate::sched::sleep_until(deadline).map_err(|_| Error::Restart)
    }

    fn set_realtime(&mut self, ns_since_epoch: u64) -> KResult<()> {
        if !self.has(Privilege::SysTime) {
            return Err(Error::NotPermitted);
        }
        crate::time::set_realtime(ns_since_epoch);
        Ok(())
    }

    fn clock_discipline(&mut self) -> ClockDiscipline {
        *CLOCK_DISCIPLINE.lock()
    }

    fn set_clock_discipline(&mut self, d: ClockDiscipline) -> KResult<()> {
        if !self.has(Privilege::SysTime) {
            return Err(Error::NotPermitted);
        }
        *CLOCK_DISCIPLINE.lock() = d;
        Ok(())
    }

    fn cpu_clock(&mut self, id: u32, thread: bool) -> KResult<u64> {
        let running =
            |t: &Arc<Thread>| if crate::sched::current().tid == t.tid { crate::sched::current_slice_ns() } else { 0 };
        if thread {
            let t = if id == 0 {
                Some(self.thread.clone())
            } else {
                self.process.threads.lock().iter().find(|t| t.tid == id).cloned()
            };
            let t = t.ok_or(Error::InvalidArgument)?;
            return Ok(t.cpu_ns.load(Ordering::Relaxed) + running(&t));
        }
        let p = if id == 0 {
            self.process.clone()
        } else {
            crate::task::process::find(id).ok_or(Error::InvalidArgument)?
        };
        let here = if Arc::ptr_eq(&p, self.process) { running(self.thread) } else { 0 };
        let u = crate::task::usage::of_process(&p, here);
        Ok(u.user_ns + u.system_ns)
    }
}
