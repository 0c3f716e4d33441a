//! How the fake core implements `SchedulingOps` (scheduling policies, CPU
//! affinity and I/O priorities).

use super::*;

impl SchedulingOps for FakeCore {
    // Thread 0 (the caller) and 7 exist; every change is recorded in `log`.
    fn scheduling(&mut self, tid: u32) -> KResult<Scheduling> {
        if tid == 0 || tid == 7 {
            Ok(Scheduling::NORMAL)
        } else {
            Err(Error::NoSuchProcess)
        }
    }
    fn set_scheduling(&mut self, tid: u32, new: Scheduling) -> KResult<()> {
        self.log.push(format!("set_scheduling {tid} {new:?}"));
        Ok(())
    }
    fn cpu_affinity(&mut self, tid: u32) -> KResult<u64> {
        if tid == 0 || tid == 7 {
            Ok(1)
        } else {
            Err(Error::NoSuchProcess)
        }
    }
    fn set_cpu_affinity(&mut self, tid: u32, mask: u64) -> KResult<()> {
        if tid != 0 && tid != 7 {
            return Err(Error::NoSuchProcess);
        }
        if mask & 1 == 0 {
            return Err(Error::InvalidArgument); // no online CPU (only CPU 0 is)
        }
        self.proc_state.affinity_sets.push((tid, mask));
        Ok(())
    }
    // Answers the last priority set for the target (class none before).
    fn io_priority(&mut self, target: PriorityTarget) -> KResult<IoPriority> {
        let set = self.proc_state.io_priorities.iter().rev().find(|(t, _)| *t == target);
        Ok(set.map_or(IoPriority { class: IoClass::None, data: 0 }, |(_, p)| *p))
    }
    fn set_io_priority(&mut self, target: PriorityTarget, priority: IoPriority) -> KResult<()> {
        self.proc_state.io_priorities.push((target, priority));
        Ok(())
    }
}
