//! Byte-range ("record") locks: POSIX locks owned by processes and
//! open-file-description locks, on one file.

use crate::{LockKind, NoMemory, Range};
use alloc::vec::Vec;

/// Who holds a record lock. Locks of one owner never conflict with each
/// other; they replace, split and merge instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RecordOwner {
    /// A POSIX (`F_SETLK`) lock: the process, or rather what Linux keys it
    /// by, the descriptor table its threads share. Released when the owner
    /// closes any descriptor of the file; takes part in deadlock detection.
    Process(u64),
    /// An open-file-description (`F_OFD_SETLK`) lock: released when the
    /// description's last reference goes.
    OpenFile(u64),
}

/// A granted lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordLock {
    pub owner: RecordOwner,
    /// The process that set it (what `F_GETLK` reports for POSIX locks).
    pub pid: u32,
    pub kind: LockKind,
    pub range: Range,
}

/// A request to lock (`kind` Some) or unlock (None) a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordRequest {
    pub owner: RecordOwner,
    pub pid: u32,
    pub kind: Option<LockKind>,
    pub range: Range,
}

/// The record locks of one file, sorted by start. An owner's locks never
/// overlap, and two of its locks of one kind never touch (they would have
/// been merged): the state is canonical, so equal byte maps are equal
/// lists.
#[derive(Debug, Default, Clone)]
pub struct RecordLocks {
    locks: Vec<RecordLock>,
}

impl RecordLocks {
    pub const fn new() -> Self {
        RecordLocks { locks: Vec::new() }
    }

    /// The first lock (lowest start) of another owner that keeps `owner`
    /// from taking `kind` on `range`: what `F_GETLK` reports.
    pub fn conflict(&self, owner: RecordOwner, kind: LockKind, range: &Range) -> Option<RecordLock> {
        self.locks.iter().find(|l| l.owner != owner && l.range.overlaps(range) && l.kind.conflicts_with(kind)).copied()
    }

    /// One attempt at `request`. `Ok(None)`: done; the owner's locks
    /// overlapping the range were replaced (split where they stick out,
    /// merged with the new lock where they are of its kind and touch it),
    /// or, to unlock, cut away. `Ok(Some(lock))`: refused because of
    /// `lock`, the first conflicting one; nothing changed. Unlocking
    /// never conflicts.
    pub fn set(&mut self, request: &RecordRequest) -> Result<Option<RecordLock>, NoMemory> {
        if let Some(kind) = request.kind {
            if let Some(blocker) = self.conflict(request.owner, kind, &request.range) {
                return Ok(Some(blocker));
            }
        }
        // A split turns one lock into two, and the new lock adds one.
        let mut next = Vec::new();
        next.try_reserve_exact(self.locks.len() + 2).map_err(|_| NoMemory)?;
        let mut merged = request.range;
        for l in &self.locks {
            if l.owner != request.owner {
                next.push(*l);
            } else if Some(l.kind) == request.kind && l.range.touches(&request.range) {
                merged = merged.union(&l.range);
            } else if !l.range.overlaps(&request.range) {
                next.push(*l);
            } else {
                let (before, after) = l.range.minus(&request.range);
                next.extend(before.into_iter().chain(after).map(|range| RecordLock { range, ..*l }));
            }
        }
        if let Some(kind) = request.kind {
            next.push(RecordLock { owner: request.owner, pid: request.pid, kind, range: merged });
        }
        // (start, owner) is unique: an owner's locks do not overlap.
        next.sort_unstable_by_key(|l| (l.range.start(), l.owner));
        self.locks = next;
        Ok(None)
    }

    /// Drops every lock of `owner`; true if there was one.
    pub fn release(&mut self, owner: RecordOwner) -> bool {
        let before = self.locks.len();
        self.locks.retain(|l| l.owner != owner);
        self.locks.len() != before
    }

    /// The locks, by start.
    pub fn iter(&self) -> impl Iterator<Item = &RecordLock> + '_ {
        self.locks.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.locks.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MAX_OFFSET;
    use alloc::vec;
    use LockKind::*;

    const P1: RecordOwner = RecordOwner::Process(1);
    const P2: RecordOwner = RecordOwner::Process(2);
    const D1: RecordOwner = RecordOwner::OpenFile(1);

    fn r(start: u64, end: u64) -> Range {
        Range::new(start, end).unwrap()
    }

    fn set(locks: &mut RecordLocks, owner: RecordOwner, kind: Option<LockKind>, range: Range) -> Option<RecordLock> {
        locks.set(&RecordRequest { owner, pid: 100, kind, range }).unwrap()
    }

    fn held(locks: &RecordLocks) -> Vec<(RecordOwner, LockKind, u64, u64)> {
        locks.iter().map(|l| (l.owner, l.kind, l.range.start(), l.range.end())).collect()
    }

    #[test]
    fn readers_share_writers_exclude() {
        let mut l = RecordLocks::new();
        assert_eq!(set(&mut l, P1, Some(Shared), r(0, 9)), None);
        assert_eq!(set(&mut l, P2, Some(Shared), r(5, 14)), None);
        let blocker = set(&mut l, P2, Some(Exclusive), r(0, 3)).unwrap();
        assert_eq!((blocker.owner, blocker.range), (P1, r(0, 9)));
        // Outside the other's range, exclusive is fine.
        assert_eq!(set(&mut l, P2, Some(Exclusive), r(10, 20)), None);
        assert_eq!(held(&l), vec![(P1, Shared, 0, 9), (P2, Shared, 5, 9), (P2, Exclusive, 10, 20)]);
    }

    #[test]
    fn unlocking_the_middle_splits() {
        let mut l = RecordLocks::new();
        set(&mut l, P1, Some(Exclusive), r(0, 9));
        set(&mut l, P1, None, r(3, 5));
        assert_eq!(held(&l), vec![(P1, Exclusive, 0, 2), (P1, Exclusive, 6, 9)]);
        // The hole is free for others; the rest is not.
        assert_eq!(set(&mut l, P2, Some(Exclusive), r(3, 5)), None);
        assert_eq!(set(&mut l, P2, Some(Exclusive), r(2, 2)).map(|b| b.range), Some(r(0, 2)));
    }

    #[test]
    fn changing_the_kind_of_the_middle_splits_in_three() {
        let mut l = RecordLocks::new();
        set(&mut l, P1, Some(Exclusive), Range::to_end(0).unwrap());
        set(&mut l, P1, Some(Shared), r(10, 19));
        assert_eq!(held(&l), vec![(P1, Exclusive, 0, 9), (P1, Shared, 10, 19), (P1, Exclusive, 20, MAX_OFFSET)]);
    }

    #[test]
    fn same_kind_locks_merge_when_they_touch_or_overlap() {
        let mut l = RecordLocks::new();
        set(&mut l, P1, Some(Shared), r(0, 4));
        set(&mut l, P1, Some(Shared), r(10, 14));
        set(&mut l, P1, Some(Shared), r(5, 9));
        assert_eq!(held(&l), vec![(P1, Shared, 0, 14)]);
        set(&mut l, P1, Some(Shared), r(12, 30));
        assert_eq!(held(&l), vec![(P1, Shared, 0, 30)]);
        // Different kinds touch without merging.
        set(&mut l, P1, Some(Exclusive), r(31, 40));
        assert_eq!(held(&l), vec![(P1, Shared, 0, 30), (P1, Exclusive, 31, 40)]);
        // Owners never merge.
        set(&mut l, P2, Some(Shared), r(0, 0));
        assert_eq!(l.iter().count(), 3);
    }

    #[test]
    fn a_new_lock_swallows_what_it_covers() {
        let mut l = RecordLocks::new();
        set(&mut l, P1, Some(Shared), r(2, 3));
        set(&mut l, P1, Some(Exclusive), r(5, 6));
        set(&mut l, P1, Some(Shared), r(8, 9));
        set(&mut l, P1, Some(Exclusive), r(0, 20));
        assert_eq!(held(&l), vec![(P1, Exclusive, 0, 20)]);
        set(&mut l, P1, None, Range::all());
        assert!(l.is_empty());
    }

    #[test]
    fn unlocking_never_conflicts() {
        let mut l = RecordLocks::new();
        set(&mut l, P1, Some(Exclusive), r(0, 9));
        assert_eq!(set(&mut l, P2, None, r(0, 9)), None);
        assert_eq!(held(&l), vec![(P1, Exclusive, 0, 9)]);
    }

    #[test]
    fn ofd_and_posix_locks_are_different_owners() {
        let mut l = RecordLocks::new();
        set(&mut l, P1, Some(Exclusive), r(0, 9));
        // Even the same process's OFD lock conflicts with its POSIX lock.
        assert_eq!(set(&mut l, D1, Some(Shared), r(9, 9)).map(|b| b.owner), Some(P1));
        assert_eq!(l.conflict(D1, Shared, &r(10, 10)), None);
    }

    #[test]
    fn conflict_reports_the_lowest_conflicting_lock() {
        let mut l = RecordLocks::new();
        set(&mut l, P1, Some(Shared), r(20, 29));
        set(&mut l, P2, Some(Exclusive), r(30, 39));
        set(&mut l, P2, Some(Shared), r(0, 9));
        assert_eq!(l.conflict(D1, Shared, &Range::all()).map(|b| b.range), Some(r(30, 39)));
        assert_eq!(l.conflict(D1, Exclusive, &Range::all()).map(|b| b.range), Some(r(0, 9)));
        assert_eq!(l.conflict(P2, Exclusive, &Range::all()).map(|b| b.range), Some(r(20, 29)));
    }

    #[test]
    fn release_drops_one_owner() {
        let mut l = RecordLocks::new();
        set(&mut l, P1, Some(Shared), r(0, 9));
        set(&mut l, P2, Some(Shared), r(0, 9));
        set(&mut l, P1, Some(Exclusive), r(20, 29));
        assert!(l.release(P1));
        assert!(!l.release(P1));
        assert_eq!(held(&l), vec![(P2, Shared, 0, 9)]);
    }

    #[test]
    fn locks_at_the_largest_offset() {
        let mut l = RecordLocks::new();
        set(&mut l, P1, Some(Exclusive), r(MAX_OFFSET, MAX_OFFSET));
        set(&mut l, P1, Some(Exclusive), r(0, MAX_OFFSET - 1));
        assert_eq!(held(&l), vec![(P1, Exclusive, 0, MAX_OFFSET)]);
        set(&mut l, P1, None, r(MAX_OFFSET, MAX_OFFSET));
        assert_eq!(held(&l), vec![(P1, Exclusive, 0, MAX_OFFSET - 1)]);
    }
}
