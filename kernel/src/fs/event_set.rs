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

use super::file::Watched;
use crate::sched::{PollQueue, PollTable};
use crate::sync::SpinLock;
use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use kernel_ops::{Fd, PollEvents};

/// An event set (epoll instance): its interest list by descriptor number,
/// and the queue of its waiters (epoll_wait, and pollers of the set
/// itself), woken when an entry is added or changed. Changes of the
/// watched objects wake the waiters through the objects' own queues,
/// which every waiter registers on as it looks at them.
pub struct EventSet {
    pub list: SpinLock<BTreeMap<Fd, Watched>>,
    pub pollers: PollQueue,
}

impl EventSet {
    pub fn new() -> EventSet {
        EventSet { list: SpinLock::new(BTreeMap::new()), pollers: PollQueue::new() }
    }
}

impl Default for EventSet {
    fn default() -> Self {
        Self::new()
    }
}

/// The events the set has for its waiter now, at most `max`, as (events,
/// the watch's data). With `commit`, the report counts: one-shot watches
/// disarm and edge-triggered ones remember what they reported; without,
/// it is only a look. With a `table`, it is put on the set's queue and on
/// each watched file's before that file is looked at.
pub fn collect(set: &EventSet, max: usize, commit: bool, mut table: Option<&mut PollTable>) -> Vec<(PollEvents, u64)> {
    let list = &set.list;
    if let Some(t) = table.as_deref_mut() {
        t.register(&set.pollers);
    }
    // The files are polled without the set's lock held: polling one may
    // take its own locks (or, for a set inside the set, that set's).
    let watched: Vec<(Fd, Watched)> = list.lock().iter().map(|(fd, w)| (*fd, w.clone())).collect();
    let mut out = Vec::new();
    let mut reported: Vec<(Fd, Option<(u64, u64)>, bool)> = Vec::new();
    for (fd, w) in watched {
        if out.len() >= max {
            break;
        }
        let Some(file) = w.file.upgrade() else { continue };
        if let Some(t) = table.as_deref_mut() {
            file.register_poll(t);
        }
        let s = file.poll();
        let wanted = w.interest.events;
        let mut e = PollEvents {
            readable: s.readable && wanted.readable,
            writable: s.writable && wanted.writable,
            hang_up: s.hang_up,
            error: s.error,
            read_hang_up: s.read_hang_up && wanted.read_hang_up,
            ..PollEvents::default()
        };
        if w.interest.edge_triggered {
            if let (Some(now), Some(before)) = (s.changes, w.reported) {
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
        let armed = wanted.readable || wanted.writable || wanted.priority || wanted.read_hang_up;
        if !armed || !(e.readable || e.writable || e.hang_up || e.error || e.read_hang_up) {
            continue;
        }
        out.push((e, w.interest.data));
        reported.push((fd, s.changes, w.interest.one_shot));
    }
    if commit && !reported.is_empty() {
        let mut list = list.lock();
        for (fd, changes, one_shot) in reported {
            if let Some(w) = list.get_mut(&fd) {
                w.reported = changes;
                if one_shot {
                    w.interest.events = PollEvents::default();
                }
            }
        }
    }
    out
}
