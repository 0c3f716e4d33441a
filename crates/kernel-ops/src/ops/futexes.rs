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
    /// Parks the calling thread: it sleeps until another thread of its
    /// process unparks it ([`FutexOps::unpark_thread`]), a signal is to
    /// be delivered (`Restart`) or the deadline passes (`TimedOut`). An
    /// unpark that came while the thread was not parked is kept (one at
    /// most, like a binary semaphore's token) and makes the next park
    /// return `Already` at once, using it up. NetBSD's `_lwp_park` and
    /// `_lwp_unpark` (and Solaris' lwp_park) are these; unlike a futex
    /// wait it is keyed by thread, not by a memory word.
    fn park(&mut self, deadline: Option<(Clock, u64)>) -> KResult<()> {
        let _ = deadline;
        Err(Error::NotImplemented)
    }
    /// Wakes thread `tid` of the caller's process from [`FutexOps::park`],
    /// or leaves it the token its next park finds; `NoSuchProcess` if the
    /// process has no such thread.
    fn unpark_thread(&mut self, tid: u32) -> KResult<()> {
        let _ = tid;
        Err(Error::NotImplemented)
    }
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
