//! Deadlines kept in order, for the kernel's timer interrupt: it must find
//! what is due without looking at what is not, and know the earliest
//! deadline still ahead (the next clock event) without a scan.
//!
//! A `BTreeMap` keyed by (deadline, sequence) rather than a binary heap:
//! both give the earliest entry in O(log n), but the map can also remove
//! any entry by its key in O(log n). A sleeper woken early (a signal, the
//! condition it waited for) cancels its own entry on the way out, so no
//! stale entry is left to be found later; a heap could only mark it and
//! purge in bulk. The sequence number makes keys unique (two sleepers with
//! the same deadline) and orders equal deadlines first come, first
//! served; it also means a key, once removed, never names another entry.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

use alloc::collections::BTreeMap;

/// Names one entry, for `cancel`: its deadline and its place in line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimerId {
    deadline: u64,
    seq: u64,
}

impl TimerId {
    /// When the entry is due (the caller's clock, in its units).
    pub fn deadline(&self) -> u64 {
        self.deadline
    }
}

/// Values waiting for their deadlines.
pub struct TimerQueue<T> {
    entries: BTreeMap<TimerId, T>,
    next_seq: u64,
}

impl<T> TimerQueue<T> {
    pub const fn new() -> Self {
        TimerQueue { entries: BTreeMap::new(), next_seq: 0 }
    }

    /// Adds `value`, due at `deadline`.
    pub fn insert(&mut self, deadline: u64, value: T) -> TimerId {
        let id = TimerId { deadline, seq: self.next_seq };
        // 2^64 insertions do not happen; wrapping keeps the type total.
        self.next_seq = self.next_seq.wrapping_add(1);
        self.entries.insert(id, value);
        id
    }

    /// Removes the entry `id` names; None if it is gone already (it came
    /// due and was taken, or was cancelled before).
    pub fn cancel(&mut self, id: TimerId) -> Option<T> {
        self.entries.remove(&id)
    }

    /// The earliest deadline waiting, if any.
    pub fn earliest(&self) -> Option<u64> {
        self.entries.first_key_value().map(|(id, _)| id.deadline)
    }

    /// Takes the earliest entry if it is due at `now` (deadline <= now).
    pub fn pop_due(&mut self, now: u64) -> Option<(TimerId, T)> {
        if self.earliest()? > now {
            return None;
        }
        self.entries.pop_first()
    }

    /// Keeps only the entries for which `keep` holds (a purge of entries
    /// whose owner went away without cancelling).
    pub fn retain(&mut self, mut keep: impl FnMut(TimerId, &T) -> bool) {
        self.entries.retain(|id, v| keep(*id, v));
    }

    /// Every entry, earliest first.
    pub fn iter(&self) -> impl Iterator<Item = (TimerId, &T)> {
        self.entries.iter().map(|(id, v)| (*id, v))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<T> Default for TimerQueue<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// When to purge entries whose owners went away without cancelling: once
/// the queue has doubled since the last purge (and holds more than a few),
/// so the work is proportional to the insertions since, and stale entries
/// can never outnumber live ones by more than that factor.
#[derive(Clone, Copy, Debug)]
pub struct PurgePolicy {
    after_last: usize,
}

impl PurgePolicy {
    /// Below this many entries no purge is worth its scan.
    pub const FLOOR: usize = 64;

    pub const fn new() -> Self {
        PurgePolicy { after_last: 0 }
    }

    /// Whether a queue of `len` entries should be purged now.
    pub fn due(&self, len: usize) -> bool {
        len > Self::FLOOR.max(self.after_last.saturating_mul(2))
    }

    /// A purge left `len` entries.
    pub fn purged(&mut self, len: usize) {
        self.after_last = len;
    }
}

impl Default for PurgePolicy {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    #[test]
    fn pops_in_deadline_order_and_fifo_among_equals() {
        let mut q = TimerQueue::new();
        q.insert(30, 'c');
        q.insert(10, 'a');
        q.insert(30, 'd');
        q.insert(20, 'b');
        assert_eq!(q.earliest(), Some(10));
        assert_eq!(q.pop_due(5), None);
        let got: Vec<char> = core::iter::from_fn(|| q.pop_due(30).map(|(_, v)| v)).collect();
        assert_eq!(got, ['a', 'b', 'c', 'd']);
        assert!(q.is_empty());
        assert_eq!(q.earliest(), None);
    }

    #[test]
    fn cancel_is_exact_and_idempotent() {
        let mut q = TimerQueue::new();
        let a = q.insert(10, 1);
        let b = q.insert(10, 2);
        assert_eq!(q.cancel(a), Some(1));
        assert_eq!(q.cancel(a), None);
        assert_eq!(q.pop_due(10), Some((b, 2)));
        // A key taken by pop_due names nothing afterwards, even when a new
        // entry gets the same deadline.
        let c = q.insert(10, 3);
        assert_ne!(b, c);
        assert_eq!(q.cancel(b), None);
        assert_eq!(q.len(), 1);
    }

    #[test]
    fn purge_policy_is_amortized() {
        let mut p = PurgePolicy::new();
        assert!(!p.due(PurgePolicy::FLOOR));
        assert!(p.due(PurgePolicy::FLOOR + 1));
        p.purged(100);
        assert!(!p.due(200));
        assert!(p.due(201));
    }

    #[derive(Debug, Clone)]
    enum Op {
        Insert(u64),
        Cancel(usize),
        Advance(u64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (0u64..1000).prop_map(Op::Insert),
            2 => any::<usize>().prop_map(Op::Cancel),
            1 => (0u64..200).prop_map(Op::Advance),
        ]
    }

    proptest! {
        /// Against a model (a plain list): every entry comes out exactly
        /// once, either cancelled or popped, never before its deadline, and
        /// `earliest` is always the model's minimum.
        #[test]
        fn matches_a_list(ops in proptest::collection::vec(op(), 0..300)) {
            let mut q = TimerQueue::new();
            let mut model: Vec<(TimerId, u64, usize)> = Vec::new();
            let mut issued: Vec<TimerId> = Vec::new();
            let mut now = 0u64;
            for (n, op) in ops.into_iter().enumerate() {
                match op {
                    Op::Insert(after) => {
                        let id = q.insert(now + after, n);
                        model.push((id, now + after, n));
                        issued.push(id);
                    }
                    Op::Cancel(i) if !issued.is_empty() => {
                        let id = issued[i % issued.len()];
                        let expected = model.iter().position(|e| e.0 == id).map(|p| model.remove(p).2);
                        prop_assert_eq!(q.cancel(id), expected);
                    }
                    Op::Cancel(_) => {}
                    Op::Advance(by) => {
                        now += by;
                        while let Some((id, v)) = q.pop_due(now) {
                            prop_assert!(id.deadline() <= now);
                            let p = model.iter().position(|e| e.0 == id).expect("popped twice or never inserted");
                            prop_assert_eq!(model.remove(p).2, v);
                        }
                        prop_assert!(model.iter().all(|e| e.1 > now), "a due entry was left behind");
                    }
                }
                prop_assert_eq!(q.earliest(), model.iter().map(|e| e.1).min());
                prop_assert_eq!(q.len(), model.len());
            }
        }
    }
}
