//! Threads waiting for a condition, woken by whoever changes it.

use crate::sched;
use crate::sync::SpinLock;
use crate::task::thread::Thread;
use alloc::sync::Arc;
use alloc::vec::Vec;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitError {
    /// A signal arrived for the waiting thread.
    Interrupted,
    /// The deadline passed.
    TimedOut,
}

pub struct WaitQueue {
    waiters: SpinLock<Vec<Arc<Thread>>>,
}

impl WaitQueue {
    pub const fn new() -> Self {
        WaitQueue { waiters: SpinLock::ranked(crate::sync::Rank::WaitQueue, Vec::new()) }
    }

    /// Blocks until `ready()` holds. `ready` runs under this queue's lock, so
    /// a waker that changes the condition and then calls `wake_all` can never
    /// slip in between the check and going to sleep. With `interruptible`, a
    /// deliverable signal ends the wait; with a deadline (monotonic ns), so
    /// does the clock.
    pub fn wait_until(
        &self,
        interruptible: bool,
        deadline: Option<u64>,
        mut ready: impl FnMut() -> bool,
    ) -> Result<(), WaitError> {
        let me = sched::current();
        loop {
            {
                let mut w = self.waiters.lock();
                // (A change to `ready` cannot slip in between the look and
                // the sleep: its waker takes this queue's lock.)
                let ended = me.block_unless(|| {
                    if ready() {
                        Some(Ok(()))
                    } else if interruptible && me.has_deliverable_signal() {
                        Some(Err(WaitError::Interrupted))
                    } else if deadline.is_some_and(|d| crate::time::now_ns() >= d) {
                        Some(Err(WaitError::TimedOut))
                    } else {
                        None
                    }
                });
                if let Some(result) = ended {
                    return result;
                }
                w.push(me.clone());
            }
            let wake_up = deadline.map(|d| super::timers::wake_at(d, &me));
            sched::schedule();
            // Woken by the condition or a signal, the wake-up at the
            // deadline is withdrawn: it would only be a stale entry.
            if let Some(id) = wake_up {
                super::timers::cancel_wake(id);
            }
            self.waiters.lock().retain(|t| !Arc::ptr_eq(t, &me));
        }
    }

    /// Runs `attempt` until it finishes (returns `Some`), sleeping until
    /// `ready()` holds between tries. With several CPUs, what a wait saw
    /// can be gone by the time the waiter acts on it (another reader took
    /// the bytes first), so the action decides, not the wait: an attempt
    /// that finds nothing to do sleeps again rather than telling a blocking
    /// caller "would block". The first try takes no queue lock at all.
    pub fn wait_for<T>(
        &self,
        interruptible: bool,
        deadline: Option<u64>,
        mut ready: impl FnMut() -> bool,
        mut attempt: impl FnMut() -> Option<T>,
    ) -> Result<T, WaitError> {
        loop {
            if let Some(done) = attempt() {
                return Ok(done);
            }
            self.wait_until(interruptible, deadline, &mut ready)?;
        }
    }

    pub fn wake_all(&self) {
        let waiters = core::mem::take(&mut *self.waiters.lock());
        for t in &waiters {
            sched::wake(t);
        }
    }
}

impl Default for WaitQueue {
    fn default() -> Self {
        Self::new()
    }
}
