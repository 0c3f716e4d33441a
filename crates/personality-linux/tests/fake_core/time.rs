//! How the fake core implements `TimeOps` (clocks and sleeping).

use super::*;

impl TimeOps for FakeCore {
    // Every clock reads the same, advanced by `elapsed`.
    fn clock(&mut self, clock: Clock) -> KResult<u64> {
        Ok(1_700_000_000_123_456_789 + self.proc_state.elapsed)
    }
    // 1 ns for the wall and monotonic clocks, 10 ms for the CPU clocks.
    fn clock_resolution(&self, clock: Clock) -> u64 {
        match clock {
            Clock::ProcessCpu | Clock::ThreadCpu => 10_000_000,
            _ => 1,
        }
    }
    // Records the sleep; interrupted (Restart) `interrupt_sleep_after` ns in.
    fn sleep_until(&mut self, clock: Clock, deadline: u64) -> KResult<()> {
        self.proc_state.sleeps.push((clock, deadline));
        match self.proc_state.interrupt_sleep_after {
            Some(ns) => {
                self.proc_state.elapsed += ns;
                Err(Error::Restart)
            }
            None => Ok(()),
        }
    }
    fn set_realtime(&mut self, ns_since_epoch: u64) -> KResult<()> {
        if !self.creds.has(Privilege::SysTime) {
            return Err(Error::NotPermitted);
        }
        self.proc_state.realtime_set.push(ns_since_epoch);
        Ok(())
    }
    fn clock_discipline(&mut self) -> ClockDiscipline {
        self.proc_state.discipline
    }
    fn set_clock_discipline(&mut self, d: ClockDiscipline) -> KResult<()> {
        self.proc_state.discipline = d;
        Ok(())
    }
    // Process 7 and thread 7 (or 0, the caller's) have used 5.000000123 s.
    fn cpu_clock(&mut self, id: u32, thread: bool) -> KResult<u64> {
        match id {
            0 | 7 => Ok(5_000_000_123),
            _ => Err(Error::InvalidArgument),
        }
    }
}
