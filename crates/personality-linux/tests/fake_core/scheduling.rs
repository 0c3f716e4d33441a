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
}
