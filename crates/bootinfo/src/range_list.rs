//! A fixed-capacity list of address ranges kept sorted, disjoint and merged,
//! the storage under [`crate::MemoryMap`].
//!
//! When the list is full and an operation needs one more slot, the smallest
//! range (the new one included) is dropped and reported. Losing usable memory
//! is safe; the list never holds anything that was not added.

use crate::memory_map::UsableRange;

pub(crate) struct RangeList<const N: usize> {
    items: [UsableRange; N],
    len: usize,
}

impl<const N: usize> RangeList<N> {
    pub(crate) const fn new() -> Self {
        Self { items: [UsableRange { start: 0, end: 0 }; N], len: 0 }
    }

    pub(crate) fn as_slice(&self) -> &[UsableRange] {
        &self.items[..self.len]
    }

    /// Adds `new` (non-empty), merging it with every range it overlaps or
    /// touches. Returns whether it truly overlapped (shared a byte with) an
    /// existing range.
    pub(crate) fn insert(&mut self, new: UsableRange, on_drop: &mut impl FnMut(UsableRange)) -> bool {
        let ranges = self.as_slice();
        let first = ranges.iter().position(|r| r.end >= new.start).unwrap_or(ranges.len());
        let touching = ranges[first..].iter().take_while(|r| r.start <= new.end).count();
        let overlapped = ranges[first..first + touching].iter().any(|r| r.start < new.end && new.start < r.end);
        if touching == 0 {
            self.insert_at(first, new, on_drop);
            return false;
        }
        let last = first + touching - 1;
        let merged = UsableRange { start: new.start.min(ranges[first].start), end: new.end.max(ranges[last].end) };
        self.items[first] = merged;
        self.items.copy_within(last + 1..self.len, first + 1);
        self.len -= touching - 1;
        overlapped
    }

    /// Takes `[start, end)` out of every range. Returns whether anything was
    /// removed.
    pub(crate) fn remove(&mut self, start: u64, end: u64, on_drop: &mut impl FnMut(UsableRange)) -> bool {
        if start >= end {
            return false;
        }
        let mut removed = false;
        let mut i = 0;
        while i < self.len {
            let r = self.items[i];
            if r.end <= start {
                i += 1;
                continue;
            }
            if r.start >= end {
                break;
            }
            removed = true;
            let left = UsableRange { start: r.start, end: start };
            let right = UsableRange { start: end, end: r.end };
            match (r.start < start, end < r.end) {
                (false, false) => self.remove_at(i),
                (true, false) => {
                    self.items[i] = left;
                    i += 1;
                }
                (false, true) => {
                    self.items[i] = right;
                    break;
                }
                (true, true) => {
                    self.items[i] = left;
                    self.insert_at(i + 1, right, on_drop);
                    break;
                }
            }
        }
        removed
    }

    /// Puts `new` at `index` (which keeps the order), evicting the smallest
    /// range if the list is full.
    fn insert_at(&mut self, mut index: usize, new: UsableRange, on_drop: &mut impl FnMut(UsableRange)) {
        if self.len == N {
            let smallest = (0..self.len).min_by_key(|&i| self.items[i].len());
            match smallest {
                Some(victim) if self.items[victim].len() < new.len() => {
                    on_drop(self.items[victim]);
                    self.remove_at(victim);
                    if victim < index {
                        index -= 1;
                    }
                }
                _ => {
                    on_drop(new);
                    return;
                }
            }
        }
        self.items.copy_within(index..self.len, index + 1);
        self.items[index] = new;
        self.len += 1;
    }

    fn remove_at(&mut self, index: usize) {
        self.items.copy_within(index + 1..self.len, index);
        self.len -= 1;
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    fn r(start: u64, end: u64) -> UsableRange {
        UsableRange { start, end }
    }

    fn list<const N: usize>(ranges: &[(u64, u64)]) -> (RangeList<N>, Vec<UsableRange>) {
        let mut list = RangeList::new();
        let mut dropped = Vec::new();
        for &(s, e) in ranges {
            list.insert(r(s, e), &mut |d| dropped.push(d));
        }
        (list, dropped)
    }

    #[test]
    fn insert_keeps_order_and_merges_touching_and_overlapping() {
        let (l, dropped) = list::<8>(&[(50, 60), (10, 20), (30, 40), (20, 25), (35, 52)]);
        assert_eq!(l.as_slice(), &[r(10, 25), r(30, 60)]);
        assert!(dropped.is_empty());
    }

    #[test]
    fn insert_reports_true_overlap_only() {
        let mut l = RangeList::<4>::new();
        let mut none = |_| panic!("nothing should be dropped");
        assert!(!l.insert(r(10, 20), &mut none));
        assert!(!l.insert(r(20, 30), &mut none), "touching is not overlapping");
        assert!(l.insert(r(29, 31), &mut none));
        assert!(l.insert(r(10, 31), &mut none), "a duplicate overlaps");
        assert_eq!(l.as_slice(), &[r(10, 31)]);
    }

    #[test]
    fn insert_spanning_many_ranges_collapses_them() {
        let (mut l, _) = list::<8>(&[(10, 20), (30, 40), (50, 60), (70, 80)]);
        l.insert(r(15, 75), &mut |_| {});
        assert_eq!(l.as_slice(), &[r(10, 80)]);
    }

    #[test]
    fn full_list_drops_the_smallest_range() {
        let (l, dropped) = list::<2>(&[(0, 100), (200, 210), (300, 350)]);
        assert_eq!(l.as_slice(), &[r(0, 100), r(300, 350)]);
        assert_eq!(dropped, [r(200, 210)]);
        let (l, dropped) = list::<2>(&[(0, 100), (200, 250), (300, 301)]);
        assert_eq!(l.as_slice(), &[r(0, 100), r(200, 250)]);
        assert_eq!(dropped, [r(300, 301)], "the new range is dropped when it is the smallest");
        // Merging needs no new slot, so a full list still merges.
        let (l, dropped) = list::<2>(&[(0, 100), (200, 250), (100, 200)]);
        assert_eq!(l.as_slice(), &[r(0, 250)]);
        assert!(dropped.is_empty());
    }

    #[test]
    fn zero_capacity_drops_everything() {
        let (l, dropped) = list::<0>(&[(0, 10), (20, 30)]);
        assert!(l.as_slice().is_empty());
        assert_eq!(dropped, [r(0, 10), r(20, 30)]);
    }

    #[test]
    fn remove_trims_splits_and_deletes() {
        let (mut l, _) = list::<8>(&[(0, 100), (200, 300), (400, 500)]);
        let mut none = |_| panic!("nothing should be dropped");
        assert!(l.remove(50, 250, &mut none));
        assert_eq!(l.as_slice(), &[r(0, 50), r(250, 300), r(400, 500)]);
        assert!(l.remove(420, 430, &mut none));
        assert_eq!(l.as_slice(), &[r(0, 50), r(250, 300), r(400, 420), r(430, 500)]);
        assert!(l.remove(0, 300, &mut none));
        assert_eq!(l.as_slice(), &[r(400, 420), r(430, 500)]);
        assert!(!l.remove(420, 430, &mut none), "gap: nothing to remove");
        assert!(!l.remove(600, 500, &mut none), "inverted range is empty");
        assert!(l.remove(0, u64::MAX, &mut none));
        assert!(l.as_slice().is_empty());
    }

    #[test]
    fn split_in_a_full_list_drops_the_smallest() {
        let (mut l, _) = list::<2>(&[(0, 100), (200, 205)]);
        let mut dropped = Vec::new();
        l.remove(40, 50, &mut |d| dropped.push(d));
        assert_eq!(l.as_slice(), &[r(0, 40), r(50, 100)]);
        assert_eq!(dropped, [r(200, 205)]);
        let mut dropped = Vec::new();
        l.remove(10, 95, &mut |d| dropped.push(d));
        assert_eq!(l.as_slice(), &[r(0, 10), r(95, 100)], "trims across two ranges, no split");
        assert!(dropped.is_empty());
        l.insert(r(50, 60), &mut |d| dropped.push(d));
        assert_eq!(dropped, [r(95, 100)], "inserting into a full list evicts the smallest");
        dropped.clear();
        l.remove(52, 58, &mut |d| dropped.push(d));
        assert_eq!(dropped, [r(58, 60)], "the new right piece is the smallest, so it goes");
        assert_eq!(l.as_slice(), &[r(0, 10), r(50, 52)]);
    }
}
