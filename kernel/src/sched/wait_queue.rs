//! Threads waiting for a condition, woken by whoever changes it.

use crate::sched;
use crate::sync::SpinLock;
use crate::task::thread::{Thread, ThreadState};
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
                // Marked Blocked before the looks, not after: a signal's
                // sender that came between the look and the mark would
                // find the thread not Blocked, so not wake it, and it would
                // sleep with the signal pending. (A change to `ready` cannot
                // slip in so: its waker takes this queue's lock.)
                me.set_state(ThreadState::Blocked);
                let ended = if ready() {
                    Some(Ok(()))
                } else if interruptible && me.has_deliverable_signal() {
                    Some(Err(WaitError::Interrupted))
                } else if deadline.is_some_and(|d| crate::time::now_ns() >= d) {
                    Some(Err(WaitError::TimedOut))
                } else {
                    None
                };
                if let Some(result) = ended {
                    // Woken meanwhile (Runnable, queued) or not: it goes on.
                    // A queue entry left behind is stale once it is Running.
                    me.set_state(ThreadState::Running);
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
