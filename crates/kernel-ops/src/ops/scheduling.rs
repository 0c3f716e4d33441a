//! Scheduling policies, CPU affinity and I/O priorities: one part of the
//! core's surface, [`crate::KernelOps`].

use crate::{Error, IoPriority, KResult, PriorityTarget, Scheduling};

/// Scheduling: policies and priorities, CPU affinity and I/O priorities.
/// Cores without these (test fakes) answer `NotImplemented`.
pub trait SchedulingOps {
    /// The scheduling of thread `tid` (0: the caller); `NoSuchProcess`
    /// when there is none.
    fn scheduling(&mut self, tid: u32) -> KResult<Scheduling> {
        let _ = tid;
        Err(Error::NotImplemented)
    }
    /// Sets it (values already checked by the personality). Needs
    /// privilege or an RLIMIT_RTPRIO allowing it for a real-time policy,
    /// always for a deadline one, and to leave SCHED_IDLE or drop
    /// reset-on-fork; changing another user's thread too (all
    /// `NotPermitted`). A deadline budget beyond the CPU is `Busy`.
    fn set_scheduling(&mut self, tid: u32, new: Scheduling) -> KResult<()> {
        let _ = (tid, new);
        Err(Error::NotImplemented)
    }
    /// The CPUs thread `tid` may run on (bit n: CPU n).
    fn cpu_affinity(&mut self, tid: u32) -> KResult<u64> {
        let _ = tid;
        Err(Error::NotImplemented)
    }
    /// Sets them: a mask without an online CPU is `InvalidArgument`,
    /// another user's thread `NotPermitted`.
    fn set_cpu_affinity(&mut self, tid: u32, mask: u64) -> KResult<()> {
        let _ = (tid, mask);
        Err(Error::NotImplemented)
    }
    /// The I/O priority of the threads `target` names (the best of them;
    /// a thread id for `PriorityTarget::Process`).
    fn io_priority(&mut self, target: PriorityTarget) -> KResult<IoPriority> {
        let _ = target;
        Err(Error::NotImplemented)
    }
    /// Sets it on each of them; the real-time class needs privilege, and
    /// another user's threads cannot be changed (`NotPermitted`).
    fn set_io_priority(&mut self, target: PriorityTarget, priority: IoPriority) -> KResult<()> {
        let _ = (target, priority);
        Err(Error::NotImplemented)
    }
}
