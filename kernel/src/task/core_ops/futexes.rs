//! How the kernel core implements `FutexOps` (futexes and robust futex
//! lists).

use super::*;

impl FutexOps for CoreOps<'_> {
    fn futex_wait(&mut self, addr: u64, expected: u32, deadline: Option<(Clock, u64)>, bitset: u32) -> KResult<()> {
        let deadline = deadline.map(|(c, d)| self.monotonic_deadline(c, d));
        futex::wait(self.thread, addr, expected, deadline, bitset)
    }

    fn futex_wake(&mut self, addr: u64, count: u32, bitset: u32) -> KResult<u32> {
        Ok(futex::wake(self.process, addr, count, bitset))
    }

    fn futex_requeue(
        &mut self,
        addr: u64,
        wake: u32,
        requeue_to: u64,
        requeue: u32,
        expected: Option<u32>,
    ) -> KResult<u32> {
        futex::requeue(self.process, addr, wake, requeue_to, requeue, expected)
    }

    fn park(&mut self, deadline: Option<(Clock, u64)>) -> KResult<()> {
        let deadline = deadline.map(|(c, d)| self.monotonic_deadline(c, d));
        futex::park(self.thread, deadline)
    }

    fn unpark_thread(&mut self, tid: u32) -> KResult<()> {
        let target = self.process.threads.lock().iter().find(|t| t.tid == tid).cloned();
        futex::unpark(&target.ok_or(Error::NoSuchProcess)?);
        Ok(())
    }

    fn set_robust_list(&mut self, head: u64, len: u64) {
        *self.thread.settings.robust_list.lock() = (head, len);
    }

    fn robust_list(&mut self, tid: u32) -> KResult<(u64, u64)> {
        crate::task::inspect::robust_list(self.thread, tid)
    }
}
