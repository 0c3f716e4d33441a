//! Who waits for whom: deadlock detection for blocking POSIX lock
//! requests.
//!
//! A process blocked in `F_SETLKW` waits for the owner of the lock in its
//! way. If that owner is itself blocked, and so on, and the chain comes
//! back to the requester, nobody would ever wake: Linux fails the request
//! that would close the cycle with EDEADLK instead of sleeping. Only POSIX
//! locks take part (a description is not a process, it cannot be said to
//! wait), as in Linux; flock and OFD waits can deadlock for real.

use crate::{NoMemory, RecordOwner};
use alloc::vec::Vec;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Wait {
    /// Who is waiting: a thread, say (one wait at a time each).
    token: u64,
    /// The process (POSIX owner) the waiter acts for.
    waiter: u64,
    /// The owner of the lock it waits behind.
    holder: RecordOwner,
}

/// The blocked POSIX requests of the whole system (the graph spans files).
#[derive(Debug, Default, Clone)]
pub struct WaitGraph {
    waits: Vec<Wait>,
}

impl WaitGraph {
    pub const fn new() -> Self {
        WaitGraph { waits: Vec::new() }
    }

    /// Whether process `waiter` waiting behind `holder` would close a
    /// cycle: following "is blocked behind" from `holder` leads back to
    /// `waiter`. Like Linux, each blocked process is followed through one
    /// of its waits, and a chain that loops without reaching `waiter` is
    /// not the requester's deadlock.
    pub fn would_deadlock(&self, waiter: u64, holder: RecordOwner) -> bool {
        let mut current = holder;
        // A chain longer than the number of waits has looped.
        for _ in 0..=self.waits.len() {
            let RecordOwner::Process(p) = current else {
                return false;
            };
            if p == waiter {
                return true;
            }
            match self.waits.iter().find(|w| w.waiter == p) {
                Some(w) => current = w.holder,
                None => return false,
            }
        }
        false
    }

    /// Records (or updates) that `token`, acting for process `waiter`, is
    /// blocked behind `holder`.
    pub fn wait(&mut self, token: u64, waiter: u64, holder: RecordOwner) -> Result<(), NoMemory> {
        if let Some(w) = self.waits.iter_mut().find(|w| w.token == token) {
            *w = Wait { token, waiter, holder };
            return Ok(());
        }
        self.waits.try_reserve(1).map_err(|_| NoMemory)?;
        self.waits.push(Wait { token, waiter, holder });
        Ok(())
    }

    /// `token` waits no more (granted, refused, interrupted).
    pub fn done(&mut self, token: u64) {
        self.waits.retain(|w| w.token != token);
    }

    /// How many requests are blocked.
    pub fn len(&self) -> usize {
        self.waits.len()
    }

    pub fn is_empty(&self) -> bool {
        self.waits.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RecordOwner::{OpenFile, Process};

    #[test]
    fn two_processes_waiting_for_each_other() {
        let mut g = WaitGraph::new();
        assert!(!g.would_deadlock(1, Process(2)));
        g.wait(10, 1, Process(2)).unwrap();
        assert!(g.would_deadlock(2, Process(1)));
        // A third process waiting for 1 is merely blocked.
        assert!(!g.would_deadlock(3, Process(1)));
    }

    #[test]
    fn longer_cycles_are_found() {
        let mut g = WaitGraph::new();
        g.wait(10, 1, Process(2)).unwrap();
        g.wait(20, 2, Process(3)).unwrap();
        g.wait(30, 3, Process(4)).unwrap();
        assert!(g.would_deadlock(4, Process(1)));
        assert!(g.would_deadlock(4, Process(3)));
        assert!(!g.would_deadlock(5, Process(1)));
    }

    #[test]
    fn descriptions_end_the_chain() {
        let mut g = WaitGraph::new();
        g.wait(10, 1, OpenFile(7)).unwrap();
        assert!(!g.would_deadlock(2, Process(1)));
        assert!(!g.would_deadlock(1, OpenFile(7)));
    }

    #[test]
    fn a_cycle_elsewhere_does_not_loop_forever() {
        let mut g = WaitGraph::new();
        // 1 and 2 already wait for each other (as after a missed check).
        g.wait(10, 1, Process(2)).unwrap();
        g.wait(20, 2, Process(1)).unwrap();
        assert!(!g.would_deadlock(3, Process(1)));
    }

    #[test]
    fn done_and_updates() {
        let mut g = WaitGraph::new();
        g.wait(10, 1, Process(2)).unwrap();
        g.wait(10, 1, Process(3)).unwrap();
        assert_eq!(g.len(), 1);
        assert!(!g.would_deadlock(2, Process(1)));
        assert!(g.would_deadlock(3, Process(1)));
        g.done(10);
        assert!(g.is_empty());
        assert!(!g.would_deadlock(3, Process(1)));
    }
}
