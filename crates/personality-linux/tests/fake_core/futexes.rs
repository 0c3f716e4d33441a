//! How the fake core implements `FutexOps` (futexes and robust futex lists).

use super::*;

impl FutexOps for FakeCore {
    // A wait is recorded and times out (ETIMEDOUT) as nobody wakes it.
    fn futex_wait(&mut self, addr: u64, expected: u32, deadline: Option<(Clock, u64)>, bitset: u32) -> KResult<()> {
        self.proc_state.futex_waits.push((addr, expected, deadline, bitset));
        Err(Error::TimedOut)
    }
    // A wake is recorded and wakes one waiter at most.
    fn futex_wake(&mut self, addr: u64, count: u32, bitset: u32) -> KResult<u32> {
        self.proc_state.futex_wakes.push((addr, count, bitset));
        Ok(count.min(1))
    }
    fn futex_requeue(
        &mut self,
        addr: u64,
        wake: u32,
        requeue_to: u64,
        requeue: u32,
        expected: Option<u32>,
    ) -> KResult<u32> {
        self.proc_state.futex_requeues.push((addr, wake, requeue_to, requeue, expected));
        Ok(wake.min(1) + requeue.min(2))
    }
    fn set_robust_list(&mut self, head: u64, len: u64) {
        self.proc_state.robust_list = (head, len);
    }
    fn robust_list(&mut self, tid: u32) -> KResult<(u64, u64)> {
        match tid {
            0 | 7 => Ok(self.proc_state.robust_list),
            _ => Err(Error::NoSuchProcess),
        }
    }
}
