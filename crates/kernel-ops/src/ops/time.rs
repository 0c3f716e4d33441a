//! Clocks and sleeping: one part of the core's surface,
//! [`crate::KernelOps`].

use crate::{Clock, ClockDiscipline, Error, KResult};

/// Clocks: reading and setting them, their discipline, per-thread and
/// per-process CPU clocks, and sleeping on them.
pub trait TimeOps {
    /// Nanoseconds on `clock` (since the epoch for Realtime).
    fn clock(&mut self, clock: Clock) -> KResult<u64>;
    fn clock_resolution(&self, clock: Clock) -> u64;
    /// Sleeps until `deadline` on `clock`; a signal ends it early with
    /// `Error::Restart` (the personality computes what is left).
    fn sleep_until(&mut self, clock: Clock, deadline: u64) -> KResult<()>;
    fn set_realtime(&mut self, ns_since_epoch: u64) -> KResult<()>;
    /// The clock's discipline state (adjtimex).
    fn clock_discipline(&mut self) -> ClockDiscipline {
        ClockDiscipline::UNSYNCHRONISED
    }
    /// Replaces it (the caller checked the privilege).
    fn set_clock_discipline(&mut self, d: ClockDiscipline) -> KResult<()> {
        let _ = d;
        Err(Error::NotImplemented)
    }
    /// CPU time in ns of thread `id` (of the caller's process) or of
    /// process `id` (0: the caller's own); `InvalidArgument` when there is
    /// no such thread or process (a clock id that names nothing).
    fn cpu_clock(&mut self, id: u32, thread: bool) -> KResult<u64> {
        let _ = (id, thread);
        Err(Error::NotImplemented)
    }
}
