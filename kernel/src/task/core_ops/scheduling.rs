//! How the kernel core implements `SchedulingOps` (scheduling policies, CPU
//! affinity and I/O priorities).

use super::*;

impl SchedulingOps for CoreOps<'_> {
    fn scheduling(&mut self, tid: u32) -> KResult<Scheduling> {
        crate::task::sched_policy::scheduling(self.thread, tid)
    }

    fn set_scheduling(&mut self, tid: u32, new: Scheduling) -> KResult<()> {
        crate::task::sched_policy::set_scheduling(self.thread, tid, new)
    }

    fn cpu_affinity(&mut self, tid: u32) -> KResult<u64> {
        crate::task::sched_policy::cpu_affinity(self.thread, tid)
    }

    fn set_cpu_affinity(&mut self, tid: u32, mask: u64) -> KResult<()> {
        crate::task::sched_policy::set_cpu_affinity(self.thread, tid, mask)
    }

    fn io_priority(&mut self, target: PriorityTarget) -> KResult<IoPriority> {
        crate::task::sched_policy::io_priority(self.thread, target)
    }

    fn set_io_priority(&mut self, target: PriorityTarget, priority: IoPriority) -> KResult<()> {
        crate::task::sched_policy::set_io_priority(self.thread, target, priority)
    }
}
