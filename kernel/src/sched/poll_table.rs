//! Waiting for any of several objects at once (poll, select, epoll_wait,
//! io_getevents' polled descriptors), the way Linux's poll_table does it.
//!
//! Every object that can become ready holds a `PollQueue`. A caller that
//! waits on several objects builds a `PollTable` and, for each object it
//! looks at, first registers the table on the object's queue and only then
//! reads the object's readiness (Linux's order): a change made after the
//! look wakes the table, a change made before it is seen by the look, so
//! no wake-up falls between the check and the sleep. The table then
//! sleeps until any of its queues is woken (or a deadline or a signal),
//! and looks again. Only the callers interested in an object are woken by
//! its changes, not every poller of the machine.
//!
//! A table's entries stay on their queues until the table is dropped (the
//! end of the call), which takes them all off again: a queue never keeps
//! a thread that has moved on. The table holds only the queues' shared
//! lists, never the objects: a descriptor closed meanwhile goes away as
//! it would without a poller (its last wake-up reaching the table).
//!
//! A table may instead carry a hook (`PollHook`, `PollTable::with_hook`):
//! a wake calls the hook rather than waking a sleeper. An event set keeps
//! one such table per watched file for as long as it watches it (Linux's
//! ep_poll_callback): the hook puts the entry on the set's ready list.
//! Hooks that say they are exclusive (EPOLLEXCLUSIVE) are woken in order
//! until one of them woke somebody; the others are always all woken.
//!
//! Locks: a wake takes the queue's list (unranked), then each table's
//! wait queue (`Rank::WaitQueue`), then the run queues, so like any wake
//! it is done with no ranked lock held. A hook takes only unranked locks
//! (an event set's ready list, the set's own queues' lists, nested as far
//! as sets nest: cycles are refused) before the same wait queues.
//! Registering takes the queue's list, and the heap the first time.

use super::{WaitError, WaitQueue};
use crate::sync::{Once, SpinLock};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{fence, AtomicBool, Ordering};

/// One waiting call: its thread sleeps in `sleep` until `woken` is set.
struct Poller {
    woken: AtomicBool,
    sleep: WaitQueue,
}

/// What a wake of a queue calls for each table registered on it. It runs
/// with the queue's list locked: it may take unranked locks and wake other
/// queues (never one that leads back here), and must not sleep.
pub trait PollHook: Send + Sync {
    /// Tells the table of the wake; returns whether that woke a waiter
    /// (what ends an exclusive wake-up).
    fn wake(&self) -> bool;
    /// Woken only until one exclusive hook of the queue woke a waiter.
    fn exclusive(&self) -> bool {
        false
    }
}

impl PollHook for Poller {
    fn wake(&self) -> bool {
        // Set before the wake-up: the sleeper's check of `woken` runs under
        // `sleep`'s lock, which `wake_all` takes after this store.
        self.woken.store(true, Ordering::Release);
        self.sleep.wake_all();
        true
    }
}

/// The tables registered on one queue.
type Entries = SpinLock<Vec<Arc<dyn PollHook>>>;

/// The address of a hook, its identity (a `dyn` pointer's vtable part may
/// differ between two pointers to one value).
fn addr(h: &Arc<dyn PollHook>) -> *const () {
    Arc::as_ptr(h) as *const ()
}

/// The pollers of one object, woken by every change of it that could
/// make it ready (or hung up, or in error). Its list is made when it is
/// first polled: until then a wake is one load, no lock.
pub struct PollQueue {
    entries: Once<Arc<Entries>>,
}

impl PollQueue {
    pub const fn new() -> PollQueue {
        PollQueue { entries: Once::new() }
    }

    /// Wakes every table registered here (they stay registered: each looks
    /// again and may sleep again), but of the exclusive hooks only the
    /// first ones up to one that woke a waiter. Returns whether it woke one.
    pub fn wake(&self) -> bool {
        // The change this wake announces is ordered before the look at the
        // list, as a registration is before the registering caller's look
        // at the object (`register`): one of the two sees the other.
        fence(Ordering::SeqCst);
        let mut woke = false;
        if let Some(e) = self.entries.get() {
            let mut exclusive_done = false;
            for p in e.lock().iter() {
                if !p.exclusive() {
                    woke |= p.wake();
                } else if !exclusive_done && p.wake() {
                    exclusive_done = true;
                    woke = true;
                }
            }
        }
        woke
    }

    /// How many tables are registered here now.
    #[cfg(feature = "ktest")]
    pub fn registered(&self) -> usize {
        self.entries.get().map_or(0, |e| e.lock().len())
    }

    /// The shared list, made on first use.
    fn shared(&self) -> &Arc<Entries> {
        self.entries.call_once(|| Arc::new(SpinLock::new(Vec::new())))
    }
}

impl Default for PollQueue {
    fn default() -> Self {
        Self::new()
    }
}

/// One call's registrations and the sleep that waits for them.
pub struct PollTable {
    /// The sleeper of a waiting call (None: a hook's table).
    poller: Option<Arc<Poller>>,
    /// What the queues hold: the poller, or the hook.
    hook: Arc<dyn PollHook>,
    /// The lists this table is on, each once, sorted by address (the
    /// table keeps each alive, so an address is not reused while here).
    queues: Vec<Arc<Entries>>,
    /// A registration failed for want of memory: the sleep is then cut
    /// short, so the caller looks again on its own.
    incomplete: bool,
}

/// How long a table that could not register everywhere sleeps at most.
const INCOMPLETE_RECHECK_NS: u64 = 10_000_000;

/// Pollers of finished calls, with their lists' room, kept for the next
/// calls: the kernel heap is one lock and a search, and a poll that
/// blocks would otherwise allocate and free both on every call (about a
/// tenth of a pipe round trip through poll).
static SPARE: SpinLock<Vec<(Arc<Poller>, Vec<Arc<Entries>>)>> = SpinLock::new(Vec::new());
/// How many are kept at most, and the largest list room kept with one.
const SPARE_MAX: usize = 32;
const SPARE_ROOM_MAX: usize = 64;

impl PollTable {
    pub fn new() -> PollTable {
        let (poller, queues) = SPARE.lock().pop().unwrap_or_else(|| {
            (Arc::new(Poller { woken: AtomicBool::new(false), sleep: WaitQueue::new() }), Vec::new())
        });
        // A spare is on no queue, so nothing sets this meanwhile.
        poller.woken.store(false, Ordering::Relaxed);
        let hook: Arc<dyn PollHook> = poller.clone();
        PollTable { poller: Some(poller), hook, queues, incomplete: false }
    }

    /// A table whose wakes call `hook` (it never sleeps): it stays on its
    /// queues until dropped.
    pub fn with_hook(hook: Arc<dyn PollHook>) -> PollTable {
        PollTable { poller: None, hook, queues: Vec::new(), incomplete: false }
    }

    /// Puts this table on `queue` (once, however often it is asked). Call
    /// it before reading the object's state.
    pub fn register(&mut self, queue: &PollQueue) {
        let shared = queue.shared();
        let at = match self.queues.binary_search_by_key(&Arc::as_ptr(shared), Arc::as_ptr) {
            Ok(_) => return,
            Err(at) => at,
        };
        // A program decides how many objects one call waits for: running
        // out of memory here must not stop the kernel.
        if self.queues.try_reserve(1).is_err() {
            self.incomplete = true;
            return;
        }
        {
            let mut entries = shared.lock();
            if entries.try_reserve(1).is_err() {
                self.incomplete = true;
                return;
            }
            entries.push(self.hook.clone());
        }
        self.queues.insert(at, shared.clone());
        // Registered before the caller looks at the object (see `wake`).
        fence(Ordering::SeqCst);
    }

    /// Sleeps until a queue this table is on was woken since the last
    /// sleep (at once if one was meanwhile), a deliverable signal
    /// (`interruptible`) or the deadline (monotonic ns).
    pub fn sleep(&self, interruptible: bool, deadline: Option<u64>) -> Result<(), WaitError> {
        let Some(poller) = &self.poller else { return Ok(()) };
        let recheck = self.incomplete.then(|| crate::time::now_ns().saturating_add(INCOMPLETE_RECHECK_NS));
        let until = match (deadline, recheck) {
            (Some(d), Some(r)) => Some(d.min(r)),
            (d, r) => d.or(r),
        };
        match poller.sleep.wait_until(interruptible, until, || poller.woken.swap(false, Ordering::AcqRel)) {
            // Only the short sleep ended: look again.
            Err(WaitError::TimedOut) if deadline.is_none_or(|d| crate::time::now_ns() < d) => Ok(()),
            other => other,
        }
    }
}

impl Default for PollTable {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for PollTable {
    fn drop(&mut self) {
        let me = addr(&self.hook);
        for q in &self.queues {
            q.lock().retain(|p| addr(p) != me);
        }
        self.queues.clear();
        // Off every queue now (a waker reaches a poller only through a
        // queue's list, under its lock): it may serve another call. Held
        // twice then: as the poller and as the hook.
        let Some(poller) = &self.poller else { return };
        if Arc::strong_count(poller) == 2 && self.queues.capacity() <= SPARE_ROOM_MAX {
            let mut spare = SPARE.lock();
            if spare.len() < SPARE_MAX && spare.try_reserve(1).is_ok() {
                spare.push((poller.clone(), core::mem::take(&mut self.queues)));
            }
        }
    }
}

/// Waits until `check` gives a value: `check` registers the table on the
/// queue of each object before reading its state, then the call sleeps
/// until one of them changes, and checks again. The registrations end
/// with the call.
pub fn wait_for<T>(
    interruptible: bool,
    deadline: Option<u64>,
    mut check: impl FnMut(&mut PollTable) -> Option<T>,
) -> Result<T, WaitError> {
    let mut table = PollTable::new();
    loop {
        if let Some(v) = check(&mut table) {
            return Ok(v);
        }
        table.sleep(interruptible, deadline)?;
    }
}
