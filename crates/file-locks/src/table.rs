//! The locks of every file, by a key the caller picks, and the wait-for
//! graph between them.

use crate::whole_file::FlockOutcome;
use crate::{
    LockKind, NoMemory, Range, RecordLock, RecordLocks, RecordOwner, RecordRequest, WaitGraph, WholeFileLocks,
};
use alloc::vec::Vec;

#[derive(Debug, Default, Clone)]
struct FileLocks {
    whole: WholeFileLocks,
    records: RecordLocks,
}

impl FileLocks {
    fn is_empty(&self) -> bool {
        self.whole.is_empty() && self.records.is_empty()
    }
}

/// What one attempt at a record lock came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Done (locks replaced, split, merged or cut as asked).
    Granted,
    /// Refused because of this lock; nothing changed. A blocking request
    /// has been entered in the wait-for graph: retry after a release, and
    /// call [`LockTable::stop_waiting`] when giving up.
    Blocked(RecordLock),
    /// Waiting would close a cycle of processes waiting for each other
    /// (EDEADLK). Nothing changed; the request is out of the graph.
    Deadlock,
}

/// Every file's locks. Files without locks take no room: an entry goes
/// when its last lock does.
#[derive(Debug, Clone)]
pub struct LockTable<K> {
    /// Sorted by key; a vector so that growing it can fail politely.
    files: Vec<(K, FileLocks)>,
    graph: WaitGraph,
}

impl<K: Ord + Copy> Default for LockTable<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Ord + Copy> LockTable<K> {
    pub const fn new() -> Self {
        LockTable { files: Vec::new(), graph: WaitGraph::new() }
    }

    fn find(&self, key: K) -> Result<usize, usize> {
        self.files.binary_search_by(|(k, _)| k.cmp(&key))
    }

    fn file(&self, key: K) -> Option<&FileLocks> {
        self.find(key).ok().map(|i| &self.files[i].1)
    }

    /// The index of `key`'s entry, made if missing.
    fn entry(&mut self, key: K) -> Result<usize, NoMemory> {
        match self.find(key) {
            Ok(i) => Ok(i),
            Err(i) => {
                self.files.try_reserve(1).map_err(|_| NoMemory)?;
                self.files.insert(i, (key, FileLocks::default()));
                Ok(i)
            }
        }
    }

    /// Drops entry `i` if it holds nothing any more.
    fn tidy(&mut self, i: usize) {
        if self.files[i].1.is_empty() {
            self.files.remove(i);
        }
    }

    /// One flock(2) attempt (see [`WholeFileLocks::lock`]: a conversion
    /// releases first).
    pub fn flock(&mut self, key: K, description: u64, kind: LockKind) -> Result<FlockOutcome, NoMemory> {
        let i = self.entry(key)?;
        let outcome = self.files[i].1.whole.lock(description, kind);
        self.tidy(i);
        outcome
    }

    /// LOCK_UN: true if the description held a lock.
    pub fn funlock(&mut self, key: K, description: u64) -> bool {
        let Ok(i) = self.find(key) else { return false };
        let released = self.files[i].1.whole.unlock(description);
        self.tidy(i);
        released
    }

    /// The flock(2) lock `description` holds on `key`.
    pub fn flock_held(&self, key: K, description: u64) -> Option<LockKind> {
        self.file(key)?.whole.held_by(description)
    }

    /// Every flock(2) lock on `key`.
    pub fn flocks(&self, key: K) -> impl Iterator<Item = (u64, LockKind)> + '_ {
        self.file(key).into_iter().flat_map(|f| f.whole.iter())
    }

    /// One attempt at a record lock. `wait` names the waiter (a thread) of
    /// a blocking request: then a conflict first checks for a deadlock
    /// (POSIX owners only) and enters the wait in the graph.
    pub fn set_record(&mut self, key: K, request: &RecordRequest, wait: Option<u64>) -> Result<Attempt, NoMemory> {
        if request.kind.is_none() && self.find(key).is_err() {
            return Ok(self.granted(wait));
        }
        let i = self.entry(key)?;
        let result = self.files[i].1.records.set(request);
        self.tidy(i);
        let Some(blocker) = result? else {
            return Ok(self.granted(wait));
        };
        if let (Some(token), RecordOwner::Process(waiter)) = (wait, request.owner) {
            if self.graph.would_deadlock(waiter, blocker.owner) {
                self.graph.done(token);
                return Ok(Attempt::Deadlock);
            }
            self.graph.wait(token, waiter, blocker.owner)?;
        }
        Ok(Attempt::Blocked(blocker))
    }

    fn granted(&mut self, wait: Option<u64>) -> Attempt {
        if let Some(token) = wait {
            self.graph.done(token);
        }
        Attempt::Granted
    }

    /// The first lock of another owner that would keep `owner` from taking
    /// `kind` on `range` (`F_GETLK`).
    pub fn test_record(&self, key: K, owner: RecordOwner, kind: LockKind, range: &Range) -> Option<RecordLock> {
        self.file(key)?.records.conflict(owner, kind, range)
    }

    /// A blocking request ended without its lock (interrupted): out of the
    /// wait-for graph.
    pub fn stop_waiting(&mut self, token: u64) {
        self.graph.done(token);
    }

    /// A process closed a descriptor of `key`: all its POSIX locks on the
    /// file go, whichever descriptor set them. True if there were any.
    pub fn close(&mut self, key: K, process: u64) -> bool {
        let Ok(i) = self.find(key) else { return false };
        let released = self.files[i].1.records.release(RecordOwner::Process(process));
        self.tidy(i);
        released
    }

    /// An open file description's last reference went: its flock(2) lock
    /// and its OFD locks on `key` go. True if there were any.
    pub fn release_description(&mut self, key: K, description: u64) -> bool {
        let Ok(i) = self.find(key) else { return false };
        let file = &mut self.files[i].1;
        let flock = file.whole.unlock(description);
        let records = file.records.release(RecordOwner::OpenFile(description));
        self.tidy(i);
        flock || records
    }

    /// The record locks on `key`, by start.
    pub fn records(&self, key: K) -> impl Iterator<Item = &RecordLock> + '_ {
        self.file(key).into_iter().flat_map(|f| f.records.iter())
    }

    /// The blocked POSIX requests.
    pub fn waits(&self) -> &WaitGraph {
        &self.graph
    }

    /// How many files have locks.
    pub fn file_count(&self) -> usize {
        self.files.len()
    }

    /// No locks anywhere and nobody waiting.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.graph.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use LockKind::*;
    use RecordOwner::{OpenFile, Process};

    fn req(owner: RecordOwner, kind: Option<LockKind>, start: u64, end: u64) -> RecordRequest {
        RecordRequest { owner, pid: 42, kind, range: Range::new(start, end).unwrap() }
    }

    #[test]
    fn entries_come_and_go_with_their_locks() {
        let mut t = LockTable::new();
        assert_eq!(t.set_record(1u32, &req(Process(1), None, 0, 9), None), Ok(Attempt::Granted));
        assert_eq!(t.file_count(), 0);
        t.set_record(1, &req(Process(1), Some(Shared), 0, 9), None).unwrap();
        t.flock(1, 5, Exclusive).unwrap();
        t.flock(2, 5, Exclusive).unwrap();
        assert_eq!(t.file_count(), 2);
        assert!(t.funlock(2, 5));
        assert_eq!(t.file_count(), 1);
        assert!(t.close(1, 1));
        assert!(t.release_description(1, 5));
        assert!(t.is_empty());
        // A refused flock leaves no empty entry behind.
        t.flock(3, 1, Exclusive).unwrap();
        assert!(!t.flock(3, 2, Exclusive).unwrap().granted);
        assert!(t.release_description(3, 1));
        assert!(t.is_empty());
    }

    #[test]
    fn files_are_independent() {
        let mut t = LockTable::new();
        t.set_record(1u32, &req(Process(1), Some(Exclusive), 0, 9), None).unwrap();
        assert_eq!(t.set_record(2, &req(Process(2), Some(Exclusive), 0, 9), None), Ok(Attempt::Granted));
        assert!(matches!(t.set_record(1, &req(Process(2), Some(Shared), 0, 0), None), Ok(Attempt::Blocked(_))));
    }

    #[test]
    fn closing_a_file_drops_only_that_files_posix_locks() {
        let mut t = LockTable::new();
        t.set_record(1u32, &req(Process(1), Some(Exclusive), 0, 9), None).unwrap();
        t.set_record(2, &req(Process(1), Some(Exclusive), 0, 9), None).unwrap();
        t.set_record(1, &req(OpenFile(1), Some(Exclusive), 20, 29), None).unwrap();
        t.flock(1, 1, Exclusive).unwrap();
        assert!(t.close(1, 1));
        assert_eq!(t.records(1).count(), 1);
        assert_eq!(t.records(2).count(), 1);
        assert_eq!(t.flock_held(1, 1), Some(Exclusive));
    }

    #[test]
    fn description_release_keeps_posix_locks() {
        let mut t = LockTable::new();
        t.set_record(1u32, &req(Process(1), Some(Exclusive), 0, 9), None).unwrap();
        t.set_record(1, &req(OpenFile(1), Some(Exclusive), 20, 29), None).unwrap();
        t.flock(1, 1, Shared).unwrap();
        assert!(t.release_description(1, 1));
        assert_eq!(t.records(1).map(|l| l.owner).collect::<Vec<_>>(), [Process(1)]);
        assert_eq!(t.flocks(1).count(), 0);
    }

    #[test]
    fn two_process_deadlock_across_files() {
        let mut t = LockTable::new();
        t.set_record(1u32, &req(Process(1), Some(Exclusive), 0, 0), None).unwrap();
        t.set_record(2, &req(Process(2), Some(Exclusive), 0, 0), None).unwrap();
        // 1 blocks on 2's lock of file 2...
        let a = t.set_record(2, &req(Process(1), Some(Exclusive), 0, 0), Some(100)).unwrap();
        assert!(matches!(a, Attempt::Blocked(l) if l.owner == Process(2)));
        assert_eq!(t.waits().len(), 1);
        // ...so 2 waiting on 1's lock of file 1 would never wake.
        assert_eq!(t.set_record(1, &req(Process(2), Some(Exclusive), 0, 0), Some(200)), Ok(Attempt::Deadlock));
        assert_eq!(t.waits().len(), 1);
        // Without waiting it is a plain conflict.
        assert!(matches!(t.set_record(1, &req(Process(2), Some(Exclusive), 0, 0), None), Ok(Attempt::Blocked(_))));
        // 2 unlocks; 1's retry is granted and leaves the graph.
        t.set_record(2, &req(Process(2), None, 0, 0), None).unwrap();
        assert_eq!(t.set_record(2, &req(Process(1), Some(Exclusive), 0, 0), Some(100)), Ok(Attempt::Granted));
        assert!(t.waits().is_empty());
    }

    #[test]
    fn ofd_waits_detect_no_deadlock() {
        let mut t = LockTable::new();
        t.set_record(1u32, &req(OpenFile(1), Some(Exclusive), 0, 0), None).unwrap();
        t.set_record(2, &req(OpenFile(2), Some(Exclusive), 0, 0), None).unwrap();
        assert!(matches!(
            t.set_record(2, &req(OpenFile(1), Some(Exclusive), 0, 0), Some(100)),
            Ok(Attempt::Blocked(_))
        ));
        assert!(matches!(
            t.set_record(1, &req(OpenFile(2), Some(Exclusive), 0, 0), Some(200)),
            Ok(Attempt::Blocked(_))
        ));
        assert!(t.waits().is_empty());
    }

    #[test]
    fn interrupted_waits_leave_the_graph() {
        let mut t = LockTable::new();
        t.set_record(1u32, &req(Process(1), Some(Exclusive), 0, 0), None).unwrap();
        t.set_record(1, &req(Process(2), Some(Exclusive), 0, 0), Some(200)).unwrap();
        t.stop_waiting(200);
        assert!(t.waits().is_empty());
        // With 2 no longer waiting, 1 may wait for 2 without deadlock.
        t.set_record(1, &req(Process(2), Some(Exclusive), 5, 5), None).unwrap();
        assert!(matches!(t.set_record(1, &req(Process(1), Some(Exclusive), 5, 5), Some(100)), Ok(Attempt::Blocked(_))));
    }
}
