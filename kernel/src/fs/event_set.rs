//! What an event set (epoll) reports: each watched file's readiness, as
//! its interest asks for it, level-triggered, edge-triggered or one-shot.
//!
//! An edge-triggered watch reports a file once per change of it: objects
//! that count their changes (`PollState::changes`: pipes, eventfd) report
//! input readiness when their input count moved since the last report and
//! output readiness when their output count did, as Linux reports a wake-up
//! of the file's wait queue. Other objects are reported level-triggered,
//! which only ever reports more: a program that reads until EAGAIN, as
//! edge-triggered programs must, works unchanged.
//!
//! The ready list (Linux's rdllist): a watch is put on its file's poll
//! queues once, when it is added (a `PollTable` with the watch as its
//! hook, kept until the watch goes), and a wake of such a queue puts the
//! watch on the set's ready list and wakes the set's waiters. A wait takes
//! the watches off the list and polls only those: its cost follows what
//! is ready, not what is watched. A watch reported level-triggered goes
//! back on the list (it is polled again by the next wait, and dropped
//! then if it is no longer ready); one added or modified is put on the
//! list to be polled once. A watch belongs to the open file description
//! it was added with (its key is the descriptor number and that file):
//! closing one of two duplicates leaves it, and the file's last reference
//! ends it (`file_closed`, from `OpenFile`'s drop: the file keeps a list of
//! its watches), as the set's end ends all of its watches.
//!
//! Locks, all unranked spinlocks: the interest list; the ready list; each
//! watch's state and registration; a file's list of its watches. A wake
//! reaches a hook with its queue's list held, and the hook takes the ready
//! list, then wakes the set's own queues; nothing takes a poll queue's
//! list while holding a ready list or an interest list (a watch leaving
//! is taken off the interest list first, then off the queues), and no
//! file is polled with any of them held.

use super::file::OpenFile;
use crate::sched::{PollHook, PollQueue, PollTable};
use crate::sync::SpinLock;
use alloc::collections::{BTreeMap, VecDeque};
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, Ordering};
use kernel_ops::{Error, EventSetChange, Fd, Interest, KResult, PollEvents, ReadyEntry};

/// A watch's key: the descriptor number it was added by, its file, and
/// its filter (several per descriptor in a kqueue; always 0 in epoll).
type Key = (Fd, usize, u32);

fn key(fd: Fd, file: &Arc<OpenFile>, filter: u32) -> Key {
    (fd, Arc::as_ptr(file) as usize, filter)
}

/// What the watches' hooks reach: the ready list and the set's queues.
struct Shared {
    list: SpinLock<BTreeMap<Key, Arc<Watch>>>,
    ready: SpinLock<VecDeque<Arc<Watch>>>,
    /// Callers of epoll_wait.
    waiters: PollQueue,
    /// Pollers of the set itself (poll, select, a set watching this one).
    pollers: PollQueue,
}

struct WatchState {
    interest: Interest,
    /// The object's change counts at the last report (edge-triggered
    /// watches); None until the first.
    reported: Option<(u64, u64)>,
}

/// One entry of an event set, and the hook on its file's poll queues.
pub struct Watch {
    me: Weak<Watch>,
    key: Key,
    set: Weak<Shared>,
    file: Weak<OpenFile>,
    exclusive: bool,
    state: SpinLock<WatchState>,
    /// On the ready list (changed with the ready list locked).
    queued: AtomicBool,
    /// Asks for some event (a one-shot watch that reported does not).
    armed: AtomicBool,
    /// Deleted from the set: a wake or a wait ignores it.
    removed: AtomicBool,
    /// Its places on the file's queues; taken out (and dropped) when the
    /// watch leaves the set, which ends the cycle queue → hook → table.
    registration: SpinLock<Option<PollTable>>,
}

fn armed(i: &Interest) -> bool {
    let e = i.events;
    e.readable || e.writable || e.priority || e.read_hang_up
}

impl Watch {
    /// Puts it on its set's ready list (once) and wakes the set's waiters
    /// and pollers; returns whether a waiter was woken.
    fn queue(&self) -> bool {
        let (Some(set), Some(me)) = (self.set.upgrade(), self.me.upgrade()) else { return false };
        {
            let mut ready = set.ready.lock();
            if !self.queued.swap(true, Ordering::AcqRel) {
                ready.push_back(me);
            }
        }
        let woke = set.waiters.wake();
        set.pollers.wake();
        woke
    }

    /// Leaves its set's interest list (if still there) and the file's
    /// queues.
    fn detach(&self) {
        if let Some(set) = self.set.upgrade() {
            let gone = {
                let mut list = set.list.lock();
                match list.get(&self.key) {
                    Some(w) if core::ptr::eq(Arc::as_ptr(w), self) => list.remove(&self.key),
                    _ => None,
                }
            };
            drop(gone);
        }
        self.remove();
    }

    /// Leaves the set: off the file's queues.
    fn remove(&self) {
        self.removed.store(true, Ordering::Release);
        let registration = self.registration.lock().take();
        drop(registration);
    }
}

impl PollHook for Watch {
    fn wake(&self) -> bool {
        if self.removed.load(Ordering::Acquire) || !self.armed.load(Ordering::Acquire) {
            return false;
        }
        self.queue()
    }

    fn exclusive(&self) -> bool {
        self.exclusive
    }
}

/// An event set (epoll instance): its interest list, its ready list, the
/// queue of its epoll_wait callers, and the queue of its own pollers.
pub struct EventSet {
    shared: Arc<Shared>,
}

impl EventSet {
    pub fn new() -> EventSet {
        EventSet {
            shared: Arc::new(Shared {
                list: SpinLock::new(BTreeMap::new()),
                ready: SpinLock::new(VecDeque::new()),
                waiters: PollQueue::new(),
                pollers: PollQueue::new(),
            }),
        }
    }

    /// The queue a poller of the set itself waits on: woken whenever a
    /// watch is put on the ready list.
    pub fn pollers(&self) -> &PollQueue {
        &self.shared.pollers
    }

    /// The files watched (whose last reference is not gone).
    pub fn files(&self) -> Vec<Arc<OpenFile>> {
        self.shared.list.lock().values().filter_map(|w| w.file.upgrade()).collect()
    }

    /// Adds, modifies or deletes the watch of `target`, named `fd`.
    pub fn change(&self, change: EventSetChange, fd: Fd, target: &Arc<OpenFile>, interest: Interest) -> KResult<()> {
        let k = key(fd, target, interest.filter);
        match change {
            EventSetChange::Add => {
                if self.shared.list.lock().contains_key(&k) {
                    return Err(Error::Exists);
                }
                let watch = Arc::new_cyclic(|me| Watch {
                    me: me.clone(),
                    key: k,
                    set: Arc::downgrade(&self.shared),
                    file: Arc::downgrade(target),
                    exclusive: interest.exclusive,
                    state: SpinLock::new(WatchState { interest, reported: None }),
                    queued: AtomicBool::new(false),
                    armed: AtomicBool::new(armed(&interest)),
                    removed: AtomicBool::new(false),
                    registration: SpinLock::new(None),
                });
                // On the file's queues first, then polled once: a change
                // after the registration wakes it, one before is seen.
                let mut table = PollTable::with_hook(watch.clone());
                target.register_poll(&mut table);
                *watch.registration.lock() = Some(table);
                let lost = {
                    let mut list = self.shared.list.lock();
                    if list.contains_key(&k) {
                        Some(watch.clone())
                    } else {
                        // Watches whose file went and that no wake reached
                        // are swept now and then (each time the list doubles).
                        let swept = if list.len() >= 64 && list.len().is_power_of_two() {
                            let dead: Vec<Key> =
                                list.iter().filter(|(_, w)| w.file.strong_count() == 0).map(|(k, _)| *k).collect();
                            dead.iter().filter_map(|k| list.remove(k)).collect()
                        } else {
                            Vec::new()
                        };
                        list.insert(k, watch.clone());
                        drop(list);
                        for w in swept {
                            w.remove();
                        }
                        None
                    }
                };
                if let Some(w) = lost {
                    w.remove();
                    return Err(Error::Exists);
                }
                {
                    // Known to the file, which ends it with its last
                    // reference (those already gone are dropped here).
                    let mut watches = target.watches.lock();
                    watches.retain(|w| w.strong_count() > 0);
                    watches.push(Arc::downgrade(&watch));
                }
                watch.queue();
                Ok(())
            }
            EventSetChange::Modify => {
                let watch = self.shared.list.lock().get(&k).cloned().ok_or(Error::NotFound)?;
                if watch.exclusive {
                    return Err(Error::InvalidArgument);
                }
                {
                    // A modified watch reports what is ready now, edge or
                    // not (Linux checks readiness again on EPOLL_CTL_MOD).
                    let mut s = watch.state.lock();
                    s.interest = interest;
                    s.reported = None;
                    watch.armed.store(armed(&interest), Ordering::Release);
                }
                watch.queue();
                Ok(())
            }
            EventSetChange::Delete => {
                let watch = self.shared.list.lock().remove(&k).ok_or(Error::NotFound)?;
                watch.remove();
                Ok(())
            }
        }
    }

    /// Drops a watch whose file is gone (if it is still this one).
    fn forget(&self, watch: &Arc<Watch>) {
        watch.detach();
    }

    /// Registers a waiting call on the set's queue of waiters (before it
    /// looks at the ready list).
    pub fn register_waiter(&self, table: &mut PollTable) {
        table.register(&self.shared.waiters);
    }

    /// Takes what is ready off the ready list into `out`, at most its
    /// length, and returns how many:
    /// one-shot watches disarm, edge-triggered ones remember what they
    /// reported, level-triggered ones go back on the list. Only the
    /// watches on the list are polled.
    pub fn collect(&self, out: &mut [ReadyEntry]) -> usize {
        let max = out.len();
        let mut batch: VecDeque<Arc<Watch>> = {
            let mut ready = self.shared.ready.lock();
            for w in ready.iter() {
                w.queued.store(false, Ordering::Release);
            }
            core::mem::take(&mut *ready)
        };
        let mut found = 0;
        let mut dead: Vec<Arc<Watch>> = Vec::new();
        // `batch` holds, in order, the watches not looked at yet and then the
        // reported ones that go back on the list (level-triggered), so that
        // its buffer goes back as the list's: a wait with one ready watch
        // allocates only what it returns.
        let mut unlooked = batch.len();
        while found < max && unlooked > 0 {
            let Some(w) = batch.pop_front() else { break };
            unlooked -= 1;
            if w.removed.load(Ordering::Acquire) {
                continue;
            }
            let Some(file) = w.file.upgrade() else {
                dead.push(w);
                continue;
            };
            // What the file waits on may have changed since it was added
            // (a socket connected: its peer's queue): registering again is
            // a look-up when nothing changed.
            if let Some(t) = w.registration.lock().as_mut() {
                file.register_poll(t);
            }
            let s = file.poll();
            let mut st = w.state.lock();
            let wanted = st.interest.events;
            let mut e = PollEvents {
                readable: s.readable && wanted.readable,
                writable: s.writable && wanted.writable,
                hang_up: s.hang_up,
                error: s.error,
                read_hang_up: s.read_hang_up && wanted.read_hang_up,
                ..PollEvents::default()
            };
            if st.interest.edge_triggered {
                if let (Some(now), Some(before)) = (s.changes, st.reported) {
                    if now.0 == before.0 {
                        e.readable = false;
                        e.hang_up = false;
                        e.read_hang_up = false;
                    }
                    if now.1 == before.1 {
                        e.writable = false;
                        e.error = false;
                    }
                }
            }
            // A disarmed one-shot watch (no events asked) stays quiet.
            if !armed(&st.interest) || !(e.readable || e.writable || e.hang_up || e.error || e.read_hang_up) {
                continue;
            }
            out[found] = ReadyEntry { events: e, data: st.interest.data, fd: w.key.0, filter: w.key.2 };
            found += 1;
            st.reported = s.changes;
            if st.interest.one_shot {
                st.interest.events = PollEvents::default();
                w.armed.store(false, Ordering::Release);
            } else if !st.interest.edge_triggered || s.changes.is_none() {
                drop(st);
                batch.push_back(w);
            }
        }
        if !batch.is_empty() {
            {
                let mut ready = self.shared.ready.lock();
                // Those not looked at keep their place ahead of the others;
                // the reported ones go last, so a full batch does not starve
                // the rest (Linux's order). Watches queued meanwhile go
                // between the two.
                if ready.is_empty() {
                    batch.retain(|w| !w.queued.swap(true, Ordering::AcqRel));
                    core::mem::swap(&mut *ready, &mut batch);
                } else {
                    let again = batch.split_off(unlooked);
                    for w in batch.into_iter().rev() {
                        if !w.queued.swap(true, Ordering::AcqRel) {
                            ready.push_front(w);
                        }
                    }
                    for w in again {
                        if !w.queued.swap(true, Ordering::AcqRel) {
                            ready.push_back(w);
                        }
                    }
                }
            }
            // Another waiter may have found the list empty while these were
            // off it, and gone to sleep: it looks again (Linux's
            // ep_done_scan does the same).
            self.shared.waiters.wake();
        }
        for w in &dead {
            self.forget(w);
        }
        found
    }

    /// Whether a watch on the ready list has an event it asks for now (the
    /// set polled itself, or by a set that watches it). Only a look.
    pub fn has_ready(&self) -> bool {
        let queued: Vec<Arc<Watch>> = self.shared.ready.lock().iter().cloned().collect();
        queued.iter().any(|w| {
            if w.removed.load(Ordering::Acquire) || !w.armed.load(Ordering::Acquire) {
                return false;
            }
            let Some(f) = w.file.upgrade() else { return false };
            let i = w.state.lock().interest;
            let s = f.poll();
            (i.events.readable && (s.readable || s.hang_up))
                || (i.events.writable && s.writable)
                || ((i.events.readable || i.events.writable) && s.error)
        })
    }
}

impl Default for EventSet {
    fn default() -> Self {
        Self::new()
    }
}

/// The last reference to `file` is gone: its watches leave their sets
/// (Linux's eventpoll_release), so nothing of it is left on its objects'
/// queues.
pub fn file_closed(file: &OpenFile) {
    let watches = core::mem::take(&mut *file.watches.lock());
    for w in watches.iter().filter_map(Weak::upgrade) {
        w.detach();
    }
}

impl Drop for EventSet {
    fn drop(&mut self) {
        // Every watch leaves its file's queues (a queue's entry is the
        // only other holder of a watch besides the ready list).
        let list = core::mem::take(&mut *self.shared.list.lock());
        for w in list.values() {
            w.remove();
        }
        // Dropped outside the ready list's lock, as everything that may end
        // a watch.
        let ready = core::mem::take(&mut *self.shared.ready.lock());
        drop(ready);
    }
}
