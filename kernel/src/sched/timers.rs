//! Wake-ups at a point in time: sleeps and wait deadlines, objects with
//! deadlines of their own (timer descriptors, alarms), and the scheduler
//! tick, all served by one-shot timer interrupts.
//!
//! Every CPU that runs the scheduler has its own clock event (its local
//! timer) and its own tick (the time slice, and the user/system split of
//! CPU time), every `TICK_NS`. The shared wake-ups (sleepers and objects)
//! are served by one CPU, the timer CPU (the boot CPU, which always runs
//! the scheduler): its timer is armed for the earlier of its tick and the
//! earliest wake-up, so a sleep ends at its deadline, not at the next
//! tick. A deadline added on another CPU that is earlier than what the
//! timer CPU is armed for lowers that CPU's armed-for value and asks it,
//! by an interrupt, to arm its timer for it (`on_rearm_request`). With one
//! CPU, the timer CPU is the only one and nothing is sent.
//!
//! Sleepers and objects wait in queues ordered by deadline (the
//! `timer-queue` crate says why a B-tree): the interrupt takes only what
//! is due, and the next clock event is the first key, so neither costs a
//! scan of everything that waits.

use crate::arch::{self, percpu::MAX_CPUS};
use crate::sched;
use crate::sync::SpinLock;
use crate::task::thread::Thread;
use alloc::collections::BTreeMap;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use timer_queue::{PurgePolicy, TimerId, TimerQueue};

/// The scheduler tick's period.
pub const TICK_NS: u64 = 1_000_000_000 / crate::time::TIMER_HZ;

/// The CPU whose timer serves the shared wake-ups (and counts the global
/// ticks, `time::on_timer_tick`).
const TIMER_CPU: usize = 0;

/// When each CPU's next scheduler tick is due (monotonic ns).
static NEXT_TICK: [AtomicU64; MAX_CPUS] = [const { AtomicU64::new(0) }; MAX_CPUS];

/// The deadline each CPU's timer is armed for (u64::MAX: none). A lock,
/// not an atomic: comparing and re-arming must not be split by the
/// interrupt, which re-arms too (the later request would win and an earlier
/// deadline be lost). Only its own CPU programs the hardware; another CPU
/// may lower the timer CPU's value and then asks it to arm for it.
static ARMED_FOR: [SpinLock<u64>; MAX_CPUS] =
    [const { SpinLock::ranked(crate::sync::Rank::ClockEvent, u64::MAX) }; MAX_CPUS];

/// Set while this CPU runs the timer interrupt's handler: nothing there
/// may sleep (`schedule` reports it), since the interrupted thread would
/// carry the handler off with it before the timer is armed again.
static IN_HANDLER: [AtomicBool; MAX_CPUS] = [const { AtomicBool::new(false) }; MAX_CPUS];

/// Whether this CPU is inside the timer interrupt's handler.
pub fn in_handler() -> bool {
    IN_HANDLER[super::cpu()].load(Ordering::Relaxed)
}

/// Arms this CPU's timer for its first tick (once the clock is
/// calibrated, and this CPU's timer hardware started).
pub fn start_timer() {
    let cpu = super::cpu();
    let first = crate::time::now_ns() + TICK_NS;
    NEXT_TICK[cpu].store(first, Ordering::Relaxed);
    arm(cpu, first, true);
}

/// Arms this CPU's (`cpu`) hardware timer for `deadline` if that is
/// earlier than what it waits for (or unconditionally from the interrupt,
/// which has just consumed the previous arming).
fn arm(cpu: usize, deadline: u64, replace: bool) {
    let mut armed = ARMED_FOR[cpu].lock();
    if replace || deadline < *armed {
        *armed = deadline;
        arch::platform::set_timer_after(deadline.saturating_sub(crate::time::now_ns()));
    }
}

/// A deadline was added to the shared queues: make sure the timer CPU's
/// timer fires by then.
pub fn deadline_added(deadline: u64) {
    let cpu = super::cpu();
    if cpu == TIMER_CPU {
        arm(cpu, deadline, false);
        return;
    }
    // Lowered under the lock, so the timer CPU's own arming (which
    // compares against it) and the interrupt's replacement stay ordered
    // with this; the entry is in its queue already, so an interrupt that
    // replaces the value afterwards finds the entry there.
    let lowered = {
        let mut armed = ARMED_FOR[TIMER_CPU].lock();
        let lower = deadline < *armed;
        if lower {
            *armed = deadline;
        }
        lower
    };
    if lowered {
        arch::ipi::send_clock_rearm(TIMER_CPU);
    }
}

/// Another CPU lowered this CPU's armed-for value (`deadline_added`): arm
/// the hardware for it. Called by the interrupt that asks for it.
pub fn on_rearm_request() {
    let cpu = super::cpu();
    let armed = ARMED_FOR[cpu].lock();
    if *armed != u64::MAX {
        arch::platform::set_timer_after(armed.saturating_sub(crate::time::now_ns()));
    }
}

/// A timer queue and when to purge it of entries nobody will cancel.
struct Queue<T> {
    queue: TimerQueue<T>,
    purge: PurgePolicy,
}

impl<T> Queue<T> {
    const fn new() -> Self {
        Queue { queue: TimerQueue::new(), purge: PurgePolicy::new() }
    }

    /// Adds an entry; first drops those `dead` says are gone if enough
    /// were added since the last purge that they could dominate. Returns
    /// whether it purged.
    fn insert(&mut self, deadline: u64, value: T, dead: impl Fn(&T) -> bool) -> (TimerId, bool) {
        let purge = self.purge.due(self.queue.len());
        if purge {
            self.queue.retain(|_, v| !dead(v));
            self.purge.purged(self.queue.len());
        }
        (self.queue.insert(deadline, value), purge)
    }
}

/// Sleeping threads by deadline. A sleeper that wakes for another reason
/// cancels its entry (`cancel_wake`), so nearly every entry is live; the
/// few whose thread went without cancelling are purged on insertion.
static SLEEPS: SpinLock<Queue<Weak<Thread>>> = SpinLock::ranked(crate::sync::Rank::Timers, Queue::new());

/// Wakes `thread` (if still blocked) once the monotonic clock reaches
/// `deadline`. The sleeper cancels the wake-up with the returned id if it
/// wakes first.
pub fn wake_at(deadline: u64, thread: &Arc<Thread>) -> TimerId {
    let (id, _) = SLEEPS.lock().insert(deadline, Arc::downgrade(thread), |w| w.strong_count() == 0);
    deadline_added(deadline);
    id
}

/// Withdraws a wake-up `wake_at` registered (nothing if it came already).
/// The timer stays armed for it: one interrupt that finds nothing due is
/// cheaper than working out the next deadline here.
pub fn cancel_wake(id: TimerId) {
    let gone = SLEEPS.lock().queue.cancel(id);
    // The Weak is dropped outside the lock (dropping never frees a thread,
    // but keeps the lock short).
    drop(gone);
}

/// An object whose deadline the timer interrupt watches (a timer
/// descriptor): it keeps its own deadline, which may move or go away at
/// any time.
pub trait Expiring: Send + Sync {
    /// The next deadline (monotonic ns); None once disarmed, which ends
    /// the tracking.
    fn next_deadline(&self) -> Option<u64>;
    /// Called, holding no lock, at the first timer interrupt at or after
    /// the deadline.
    fn expire(self: Arc<Self>, now: u64);
}

/// Armed objects by deadline, each at most once: `index` maps an object
/// (by address) to its one entry, so arming again moves the entry rather
/// than adding one. An object disarmed or dropped keeps its entry until
/// that deadline (then it is found disarmed, or gone, and let go) or a
/// purge, whichever comes first.
struct Tracked {
    queue: Queue<Weak<dyn Expiring>>,
    index: BTreeMap<usize, TimerId>,
}

static TRACKED: SpinLock<Tracked> =
    SpinLock::ranked(crate::sync::Rank::Timers, Tracked { queue: Queue::new(), index: BTreeMap::new() });

/// An object's identity in the index. A Weak keeps its allocation, so the
/// address is not reused while the object has an entry.
fn address_of(object: &Weak<dyn Expiring>) -> usize {
    object.as_ptr().cast::<()>() as usize
}

impl Tracked {
    /// Puts `object`'s entry at `deadline`, moving the one it has.
    fn place(&mut self, object: Weak<dyn Expiring>, deadline: u64) {
        let key = address_of(&object);
        if let Some(old) = self.index.get(&key).copied() {
            if old.deadline() == deadline {
                return;
            }
            self.queue.queue.cancel(old);
        }
        let (id, purged) = self.queue.insert(deadline, object, |w| w.strong_count() == 0);
        if purged {
            self.index = self.queue.queue.iter().map(|(id, w)| (address_of(w), id)).collect();
        }
        self.index.insert(key, id);
    }

    /// Takes the entry at the head if it is due, index included.
    fn pop_due(&mut self, now: u64) -> Option<Weak<dyn Expiring>> {
        let (id, object) = self.queue.queue.pop_due(now)?;
        let key = address_of(&object);
        if self.index.get(&key) == Some(&id) {
            self.index.remove(&key);
        }
        Some(object)
    }
}

/// Makes the timer interrupt watch `object` until it is disarmed or
/// dropped (call it whenever it is armed; an object tracked already has its
/// entry moved, not doubled).
pub fn track(object: Weak<dyn Expiring>) {
    let Some(deadline) = object.upgrade().and_then(|o| o.next_deadline()) else { return };
    TRACKED.lock().place(object, deadline);
    deadline_added(deadline);
}

/// Expires tracked objects whose deadline has come; returns the earliest
/// deadline still ahead.
fn expire_tracked(now: u64) -> Option<u64> {
    let due: Vec<Weak<dyn Expiring>> = {
        let mut tracked = TRACKED.lock();
        core::iter::from_fn(|| tracked.pop_due(now)).collect()
    };
    // Dropping the last reference here (the descriptor closed meanwhile)
    // is fine: no lock is held.
    for weak in due {
        let Some(object) = weak.upgrade() else { continue };
        let Some(d) = object.next_deadline() else { continue };
        if d <= now {
            object.clone().expire(now);
        }
        // A periodic object has moved on to its next deadline; one armed
        // again, or advanced by a reader, waits for its new one.
        if let Some(d) = object.next_deadline() {
            TRACKED.lock().place(weak, d.max(now.saturating_add(1)));
        }
    }
    TRACKED.lock().queue.queue.earliest()
}

/// Wakes the sleepers that are due; returns the earliest deadline still
/// ahead.
fn wake_sleepers(now: u64) -> Option<u64> {
    let due: Vec<Weak<Thread>> = {
        let mut sleeps = SLEEPS.lock();
        core::iter::from_fn(|| sleeps.queue.pop_due(now).map(|(_, t)| t)).collect()
    };
    for t in due.iter().filter_map(Weak::upgrade) {
        sched::wake(&t);
    }
    SLEEPS.lock().queue.earliest()
}

/// The timer interrupt: on the timer CPU, wakes every sleeper that is due
/// and expires timers; on every CPU, runs its scheduler tick when its time
/// has come (CPU time, CPU-time timers, and a reschedule: the running
/// thread's time slice is one tick), then makes sure the timer is armed
/// for whatever is due next.
pub fn on_interrupt(from_user: bool) {
    let cpu = super::cpu();
    IN_HANDLER[cpu].store(true, Ordering::Relaxed);
    let now = crate::time::now_ns();
    let tick = now >= NEXT_TICK[cpu].load(Ordering::Relaxed);
    if tick {
        // From now, not from the missed deadline: a long stretch with
        // interrupts masked does not become a burst of ticks.
        NEXT_TICK[cpu].store(now + TICK_NS, Ordering::Relaxed);
    }
    // This interrupt consumed the last arming. Arm again first, for the
    // next tick, so that ARMED_FOR is true to the hardware while the work
    // below runs: a deadline it adds (a periodic timer, an alarm) then
    // arms the timer through deadline_added like any other, and whatever
    // happens below, the clock events go on.
    arm(cpu, NEXT_TICK[cpu].load(Ordering::Relaxed), true);
    if tick {
        sched::account_tick(from_user);
        if cpu == TIMER_CPU {
            crate::time::on_timer_tick();
        }
    }
    let next =
        if cpu == TIMER_CPU { [wake_sleepers(now), expire_tracked(now)].into_iter().flatten().min() } else { None };
    if tick {
        crate::task::cpu_timers::on_tick(&sched::current());
        sched::request_resched();
    }
    if let Some(d) = next {
        arm(cpu, d, false);
    }
    IN_HANDLER[cpu].store(false, Ordering::Relaxed);
}

/// For the NMI dump (task/dump.rs): the clock, what each scheduling CPU's
/// timer is armed for and its next tick, and the wake-ups waiting (count,
/// earliest); locks only tried, as the dump may have interrupted their
/// holder.
pub fn print_state(out: &dyn Fn(core::fmt::Arguments<'_>)) {
    let now = crate::time::now_ns();
    let waits = SLEEPS.try_lock().map(|s| (s.queue.len(), s.queue.earliest()));
    let tracked = TRACKED.try_lock().map(|t| (t.queue.queue.len(), t.queue.queue.earliest()));
    out(format_args!(
        "timers: now {now} ns, wake-ups {:?} and tracked objects {:?} (count, earliest), in handler {}, run queue {:?}\n",
        waits,
        tracked,
        in_handler(),
        super::run_queue_len()
    ));
    for cpu in 0..MAX_CPUS {
        let next_tick = NEXT_TICK[cpu].load(Ordering::Relaxed);
        if next_tick == 0 {
            continue; // not scheduling
        }
        let armed = ARMED_FOR[cpu].try_lock().map(|a| *a);
        out(format_args!("  CPU {cpu}: armed for {armed:?}, next tick {next_tick}\n"));
    }
}

static SLEEPERS: super::WaitQueue = super::WaitQueue::new();

/// Sleeps until the monotonic clock reaches `deadline` or a signal arrives.
pub fn sleep_until(deadline: u64) -> Result<(), super::WaitError> {
    match SLEEPERS.wait_until(true, Some(deadline), || false) {
        Err(super::WaitError::TimedOut) => Ok(()),
        other => other,
    }
}
