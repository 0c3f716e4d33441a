//! Futexes and robust futex lists: one part of the core's surface,
//! [`crate::KernelOps`].

use crate::{Clock, Error, KResult};

/// Futexes (user-space locks the kernel waits on) and robust futex lists.
pub trait FutexOps {
    fn futex_wait(&mut self, addr: u64, expected: u32, deadline: Option<(Clock, u64)>, bitset: u32) -> KResult<()>;
    fn futex_wake(&mut self, addr: u64, count: u32, bitset: u32) -> KResult<u32>;
    fn futex_requeue(
        &mut self,
        addr: u64,
        wake: u32,
        requeue_to: u64,
        requeue: u32,
        expected: Option<u32>,
    ) -> KResult<u32>;
    /// Records the calling thread's robust futex list (head, length).
    fn set_robust_list(&mut self, head: u64, len: u64) {
        let _ = (head, len);
    }
    /// The robust futex list of thread `tid` (0: the caller). Another
    /// process's needs the right to inspect it (`NotPermitted`).
    fn robust_list(&mut self, tid: u32) -> KResult<(u64, u64)> {
        let _ = tid;
        Err(Error::NotImplemented)
    }
}
