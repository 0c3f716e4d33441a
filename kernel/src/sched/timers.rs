//! Wake-ups at a point in time: sleeps and wait deadlines, checked on every
//! timer tick.

use crate::sched;
use crate::sync::SpinLock;
use crate::task::thread::Thread;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;

static TIMERS: SpinLock<Vec<(u64, Weak<Thread>)>> = SpinLock::new(Vec::new());

/// Wakes `thread` (if still blocked) once the monotonic clock reaches `deadline`.
pub fn wake_at(deadline: u64, thread: &Arc<Thread>) {
    TIMERS.lock().push((deadline, Arc::downgrade(thread)));
}

/// Timer interrupt: wake everything due, and ask for a reschedule (the
/// running thread's time slice is one tick).
pub fn on_tick() {
    let now = crate::time::now_ns();
    let due: Vec<Weak<Thread>> = {
        let mut timers = TIMERS.lock();
        let mut due = Vec::new();
        timers.retain(|(d, t)| {
            if *d <= now {
                due.push(t.clone());
                false
            } else {
                t.strong_count() > 0
            }
        });
        due
    };
    for t in due.iter().filter_map(Weak::upgrade) {
        sched::wake(&t);
    }
    crate::task::signal::on_tick(now);
    sched::request_resched();
}

static SLEEPERS: super::WaitQueue = super::WaitQueue::new();

/// Sleeps until the monotonic clock reaches `deadline` or a signal arrives.
pub fn sleep_until(deadline: u64) -> Result<(), super::WaitError> {
    match SLEEPERS.wait_until(true, Some(deadline), || false) {
        Err(super::WaitError::TimedOut) => Ok(()),
        other => other,
    }
}
