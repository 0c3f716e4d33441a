//! A set of half-open `[start, end)` ranges of `u64`, kept disjoint and
//! merged: inserting a range that overlaps or touches others joins them,
//! removing one may split a range in two.
//!
//! The kernel keeps an address space's locked memory (mlock, mlockall) in
//! one: locking the same page twice counts it once, unlocking part of a
//! locked range leaves the rest locked, and unmapping memory drops its
//! lock. Costs: O(log n + k) for k ranges touched, one allocation per
//! range kept.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RangeSet {
    /// start -> end; no two ranges overlap or touch.
    ranges: BTreeMap<u64, u64>,
}

impl RangeSet {
    pub const fn new() -> Self {
        RangeSet { ranges: BTreeMap::new() }
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// The ranges in ascending order, as (start, end).
    pub fn iter(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.ranges.iter().map(|(s, e)| (*s, *e))
    }

    /// The ranges that overlap or touch `[start, end)`.
    fn touching(&self, start: u64, end: u64) -> Vec<(u64, u64)> {
        let mut found = Vec::new();
        // At most one range starts before `start` and reaches it.
        if let Some((s, e)) = self.ranges.range(..start).next_back() {
            if *e >= start {
                found.push((*s, *e));
            }
        }
        found.extend(self.ranges.range(start..=end).map(|(s, e)| (*s, *e)));
        found
    }

    /// Adds `[start, end)` (nothing when empty).
    pub fn insert(&mut self, start: u64, end: u64) {
        if start >= end {
            return;
        }
        let (mut lo, mut hi) = (start, end);
        for (s, e) in self.touching(start, end) {
            self.ranges.remove(&s);
            lo = lo.min(s);
            hi = hi.max(e);
        }
        self.ranges.insert(lo, hi);
    }

    /// Takes `[start, end)` out, splitting ranges it cuts through.
    pub fn remove(&mut self, start: u64, end: u64) {
        if start >= end {
            return;
        }
        for (s, e) in self.touching(start, end) {
            if e <= start || s >= end {
                continue; // only touching
            }
            self.ranges.remove(&s);
            if s < start {
                self.ranges.insert(s, start);
            }
            if e > end {
                self.ranges.insert(end, e);
            }
        }
    }

    /// How much of `[start, end)` the set covers.
    pub fn covered(&self, start: u64, end: u64) -> u64 {
        if start >= end {
            return 0;
        }
        self.touching(start, end).iter().map(|&(s, e)| e.min(end).saturating_sub(s.max(start))).sum()
    }

    /// Whether `addr` is in the set.
    pub fn contains(&self, addr: u64) -> bool {
        self.ranges.range(..=addr).next_back().is_some_and(|(_, e)| addr < *e)
    }

    /// The size of everything in the set.
    pub fn total(&self) -> u64 {
        self.ranges.iter().map(|(s, e)| e - s).sum()
    }

    pub fn clear(&mut self) {
        self.ranges.clear();
    }
}
