//! Wake-ups at a point in time: sleeps and wait deadlines, and objects with
//! deadlines of their own (timer descriptors), checked on every timer tick.

use crate::sched;
use crate::sync::SpinLock;
use crate::task::thread::Thread;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;

static TIMERS: SpinLock<Vec<(u64, Weak<Thread>)>> = SpinLock::new(Vec::new());

/// An object whose deadline the tick checks (a timer descriptor): it keeps
/// its own deadline, which may move or go away at any time.
pub trait Expiring: Send + Sync {
    /// The next deadline (monotonic ns); None once disarmed, which ends
    /// the tracking.
    fn next_deadline(&self) -> Option<u64>;
    /// Called, holding no lock, on the first tick at or after the deadline.
    fn expire(&self, now: u64);
}

/// Armed objects, each once. Few exist, so every tick scans them all.
static TRACKED: SpinLock<Vec<Weak<dyn Expiring>>> = SpinLock::new(Vec::new());

/// Makes the tick watch `object` until it is disarmed or dropped (call it
/// whenever it is armed; an object already tracked is not added twice).
pub fn track(object: Weak<dyn Expiring>) {
    let mut tracked = TRACKED.lock();
    if !tracked.iter().any(|w| core::ptr::addr_eq(w.as_ptr(), object.as_ptr())) {
        tracked.push(object);
    }
}

/// Expires tracked objects whose deadline has come.
fn expire_tracked(now: u64) {
    let due: Vec<Arc<dyn Expiring>> = {
        let mut tracked = TRACKED.lock();
        if tracked.is_empty() {
            return;
        }
        let mut due = Vec::new();
        tracked.retain(|w| {
            let Some(object) = w.upgrade() else { return false };
            match object.next_deadline() {
                None => false,
                Some(d) => {
                    if d <= now {
                        due.push(object);
                    }
                    true
                }
            }
        });
        due
    };
    // Dropping the last reference here (the descriptor closed meanwhile)
    // is fine: no lock is held.
    for object in due {
        object.expire(now);
    }
}

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
    expire_tracked(now);
    crate::task::signal::on_tick(now);
    crate::task::cpu_timers::on_tick(&sched::current());
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
