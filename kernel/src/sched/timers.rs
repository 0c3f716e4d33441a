//! Wake-ups at a point in time: sleeps and wait deadlines, objects with
//! deadlines of their own (timer descriptors), alarms, and the scheduler
//! tick, all served by one one-shot timer interrupt.
//!
//! The hardware timer is armed for the earliest of those (the clock
//! event): a sleep ends at its deadline, not at the next tick. The tick
//! (the time slice, and the user/system split of CPU time) is one more
//! deadline, every `TICK_NS`.

use crate::sched;
use crate::sync::SpinLock;
use crate::task::thread::Thread;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};

/// The scheduler tick's period.
pub const TICK_NS: u64 = 1_000_000_000 / crate::time::TIMER_HZ;

/// When the next scheduler tick is due (monotonic ns).
static NEXT_TICK: AtomicU64 = AtomicU64::new(0);

/// The deadline the hardware timer is armed for (u64::MAX: none). A lock,
/// not an atomic: comparing and re-arming must not be split by the
/// interrupt, which re-arms too (the later request would win and an earlier
/// deadline be lost).
static ARMED_FOR: SpinLock<u64> = SpinLock::new(u64::MAX);

/// Arms the timer for the first tick (once the clock is calibrated).
pub fn start_timer() {
    let first = crate::time::now_ns() + TICK_NS;
    NEXT_TICK.store(first, Ordering::Relaxed);
    arm(first, true);
}

/// Arms the hardware timer for `deadline` if that is earlier than what it
/// waits for (or unconditionally from the interrupt, which has just
/// consumed the previous arming).
fn arm(deadline: u64, replace: bool) {
    let mut armed = ARMED_FOR.lock();
    if replace || deadline < *armed {
        *armed = deadline;
        crate::arch::platform::set_timer_after(deadline.saturating_sub(crate::time::now_ns()));
    }
}

/// A deadline was added: make sure the timer fires by then.
pub fn deadline_added(deadline: u64) {
    arm(deadline, false);
}

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
    let deadline = object.upgrade().and_then(|o| o.next_deadline());
    {
        let mut tracked = TRACKED.lock();
        if !tracked.iter().any(|w| core::ptr::addr_eq(w.as_ptr(), object.as_ptr())) {
            tracked.push(object);
        }
    }
    if let Some(d) = deadline {
        deadline_added(d);
    }
}

/// Expires tracked objects whose deadline has come; returns the earliest
/// deadline still ahead.
fn expire_tracked(now: u64) -> Option<u64> {
    let (due, mut next): (Vec<Arc<dyn Expiring>>, Option<u64>) = {
        let mut tracked = TRACKED.lock();
        if tracked.is_empty() {
            return None;
        }
        let mut due = Vec::new();
        let mut next: Option<u64> = None;
        tracked.retain(|w| {
            let Some(object) = w.upgrade() else { return false };
            match object.next_deadline() {
                None => false,
                Some(d) => {
                    if d <= now {
                        due.push(object);
                    } else {
                        next = Some(next.map_or(d, |n| n.min(d)));
                    }
                    true
                }
            }
        });
        (due, next)
    };
    // Dropping the last reference here (the descriptor closed meanwhile)
    // is fine: no lock is held.
    for object in due {
        object.expire(now);
        // A periodic object has moved on to its next deadline.
        if let Some(d) = object.next_deadline().filter(|d| *d > now) {
            next = Some(next.map_or(d, |n| n.min(d)));
        }
    }
    next
}

/// Wakes `thread` (if still blocked) once the monotonic clock reaches `deadline`.
pub fn wake_at(deadline: u64, thread: &Arc<Thread>) {
    TIMERS.lock().push((deadline, Arc::downgrade(thread)));
    deadline_added(deadline);
}

/// The timer interrupt: wakes every sleeper that is due, expires timers,
/// runs the scheduler tick when its time has come (CPU time, CPU-time
/// timers, and a reschedule: the running thread's time slice is one tick),
/// then arms the timer for whatever is due next.
pub fn on_interrupt(from_user: bool) {
    let now = crate::time::now_ns();
    let tick = now >= NEXT_TICK.load(Ordering::Relaxed);
    if tick {
        // From now, not from the missed deadline: a long stretch with
        // interrupts masked does not become a burst of ticks.
        NEXT_TICK.store(now + TICK_NS, Ordering::Relaxed);
        sched::account_tick(from_user);
        crate::time::on_timer_tick();
    }
    let mut next = NEXT_TICK.load(Ordering::Relaxed);
    let due: Vec<Weak<Thread>> = {
        let mut timers = TIMERS.lock();
        let mut due = Vec::new();
        timers.retain(|(d, t)| {
            if *d <= now {
                due.push(t.clone());
                false
            } else if t.strong_count() > 0 {
                next = next.min(*d);
                true
            } else {
                false
            }
        });
        due
    };
    for t in due.iter().filter_map(Weak::upgrade) {
        sched::wake(&t);
    }
    if let Some(d) = expire_tracked(now) {
        next = next.min(d);
    }
    if let Some(d) = crate::task::signal::on_timer(now) {
        next = next.min(d);
    }
    if tick {
        crate::task::cpu_timers::on_tick(&sched::current());
        sched::request_resched();
    }
    arm(next, true);
}

/// For the NMI dump (task/dump.rs): the clock, what the timer is armed
/// for, the next tick, and the wake-ups waiting (count, earliest); locks
/// only tried, as the dump may have interrupted their holder.
pub fn print_state(out: &dyn Fn(core::fmt::Arguments<'_>)) {
    let now = crate::time::now_ns();
    let armed = ARMED_FOR.try_lock().map(|a| *a);
    let waits = TIMERS.try_lock().map(|t| (t.len(), t.iter().map(|(d, _)| *d).min()));
    out(format_args!(
        "timers: now {now} ns, armed for {:?}, next tick {}, wake-ups {:?} (count, earliest), run queue {:?}\n",
        armed,
        NEXT_TICK.load(Ordering::Relaxed),
        waits,
        super::run_queue_len()
    ));
}

static SLEEPERS: super::WaitQueue = super::WaitQueue::new();

/// Sleeps until the monotonic clock reaches `deadline` or a signal arrives.
pub fn sleep_until(deadline: u64) -> Result<(), super::WaitError> {
    match SLEEPERS.wait_until(true, Some(deadline), || false) {
        Err(super::WaitError::TimedOut) => Ok(()),
        other => other,
    }
}
