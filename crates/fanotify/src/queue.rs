//! A group's queue of events, as Linux's fsnotify_insert_event and
//! fanotify_merge keep it.
//!
//! - A full queue (as many events as its limit, the overflow event
//!   counted) takes no more: the first event lost queues one
//!   FAN_Q_OVERFLOW event, the ones after it are only lost, until a reader
//!   takes the overflow event. Events that could have merged are lost too
//!   (the limit is checked first).
//! - A new event merges into a queued one about the same object by the
//!   same process (its mask joins the queued one's); at most
//!   [`MAX_MERGE`] recent queued events with the same object and process
//!   are looked at. Permission events never merge, and nothing merges into
//!   them or into the overflow event.

use crate::bits::FAN_Q_OVERFLOW;
use alloc::collections::{BTreeMap, VecDeque};

/// How many recent events about the same object and process a new event
/// is compared with (Linux's FANOTIFY_MAX_MERGE_EVENTS).
pub const MAX_MERGE: usize = 128;

/// What an event is about, as far as merging goes.
pub trait Object {
    /// Equal for the same object (a hash: `same` decides).
    fn key(&self) -> u64;
    fn same(&self, other: &Self) -> bool;
}

/// One queued event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued<O> {
    pub mask: u32,
    /// The process (or thread) that acted; 0 for the overflow event.
    pub pid: i32,
    /// None for the overflow event.
    pub object: Option<O>,
    /// A permission event: someone waits for the answer.
    pub permission: bool,
}

impl<O> Queued<O> {
    pub fn is_overflow(&self) -> bool {
        self.object.is_none()
    }
}

/// What became of a pushed event.
#[derive(Debug, PartialEq, Eq)]
pub enum Pushed<O> {
    Queued,
    /// Joined an event already queued.
    Merged,
    /// Lost to a full queue (or to memory running out): handed back, so
    /// that a process waiting on it can be let go.
    Lost(Queued<O>),
}

pub struct Queue<O> {
    events: VecDeque<Queued<O>>,
    /// The sequence number of `events[0]`; each event keeps its number.
    first: u64,
    /// Recent mergeable events by (object key, pid): their numbers, oldest first.
    by_key: BTreeMap<(u64, i32), VecDeque<u64>>,
    /// At most this many events (None: no limit).
    limit: Option<usize>,
    /// Whether the overflow event is queued (there is never a second).
    overflowed: bool,
}

impl<O: Object> Queue<O> {
    pub fn new(limit: Option<usize>) -> Self {
        Queue { events: VecDeque::new(), first: 0, by_key: BTreeMap::new(), limit, overflowed: false }
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    pub fn front(&self) -> Option<&Queued<O>> {
        self.events.front()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Queued<O>> {
        self.events.iter()
    }

    pub fn push(&mut self, event: Queued<O>) -> Pushed<O> {
        if self.limit.is_some_and(|l| self.events.len() >= l) {
            if self.overflowed || self.events.try_reserve(1).is_err() {
                return Pushed::Lost(event);
            }
            self.overflowed = true;
            self.events.push_back(Queued { mask: FAN_Q_OVERFLOW, pid: 0, object: None, permission: false });
            return Pushed::Lost(event);
        }
        let key = event.object.as_ref().map(|o| (o.key(), event.pid));
        if let (Some(key), false) = (key, event.permission) {
            if let Some(seqs) = self.by_key.get(&key) {
                for seq in seqs.iter().rev().take(MAX_MERGE) {
                    let Some(queued) = self.events.get_mut((seq - self.first) as usize) else { continue };
                    let same = match (&queued.object, &event.object) {
                        (Some(a), Some(b)) => a.same(b),
                        _ => false,
                    };
                    if same && queued.pid == event.pid && !queued.permission {
                        queued.mask |= event.mask;
                        return Pushed::Merged;
                    }
                }
            }
        }
        if self.events.try_reserve(1).is_err() {
            return Pushed::Lost(event);
        }
        let seq = self.first + self.events.len() as u64;
        if let (Some(key), false) = (key, event.permission) {
            let seqs = self.by_key.entry(key).or_default();
            if seqs.try_reserve(1).is_ok() {
                seqs.push_back(seq);
            }
        }
        self.events.push_back(event);
        Pushed::Queued
    }

    /// Takes the oldest event.
    pub fn pop(&mut self) -> Option<Queued<O>> {
        let event = self.events.pop_front()?;
        let seq = self.first;
        self.first += 1;
        if event.is_overflow() {
            self.overflowed = false;
        }
        if let (Some(o), false) = (&event.object, event.permission) {
            let key = (o.key(), event.pid);
            if let Some(seqs) = self.by_key.get_mut(&key) {
                if seqs.front() == Some(&seq) {
                    seqs.pop_front();
                }
                if seqs.is_empty() {
                    self.by_key.remove(&key);
                }
            }
        }
        Some(event)
    }

    /// Takes every event (the group is closing).
    pub fn drain(&mut self) -> impl Iterator<Item = Queued<O>> + '_ {
        self.by_key.clear();
        self.overflowed = false;
        self.first += self.events.len() as u64;
        self.events.drain(..)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Object for u32 {
        fn key(&self) -> u64 {
            u64::from(*self)
        }
        fn same(&self, other: &Self) -> bool {
            self == other
        }
    }

    fn ev(mask: u32, pid: i32, object: u32) -> Queued<u32> {
        Queued { mask, pid, object: Some(object), permission: false }
    }

    #[test]
    fn like_events_merge() {
        let mut q = Queue::new(None);
        assert_eq!(q.push(ev(1, 5, 7)), Pushed::Queued);
        assert_eq!(q.push(ev(2, 6, 7)), Pushed::Queued);
        assert_eq!(q.push(ev(8, 5, 7)), Pushed::Merged);
        assert_eq!(q.pop().map(|e| e.mask), Some(9));
        assert_eq!(q.pop().map(|e| e.mask), Some(2));
        assert!(q.pop().is_none());
    }

    #[test]
    fn overflow_once() {
        let mut q = Queue::new(Some(2));
        q.push(ev(1, 1, 1));
        q.push(ev(1, 1, 2));
        assert!(matches!(q.push(ev(1, 1, 3)), Pushed::Lost(_)));
        assert!(matches!(q.push(ev(1, 1, 1)), Pushed::Lost(_)));
        assert_eq!(q.len(), 3);
        q.pop();
        q.pop();
        assert!(q.pop().is_some_and(|e| e.mask == FAN_Q_OVERFLOW && e.is_overflow()));
        assert_eq!(q.push(ev(1, 1, 4)), Pushed::Queued);
    }
}
